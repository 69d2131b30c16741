//! Head-to-head picks, the vote event log, anomalies, and the shared
//! rate-limit counters.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::dialect::{self, Dialect};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn up_statements(backend: DbBackend) -> Vec<String> {
    let Dialect {
        id, timestamp: ts, ..
    } = Dialect::of(backend);
    vec![
        format!(
            "CREATE TABLE picks (
                id {id},
                comparison_id BIGINT NOT NULL REFERENCES comparisons (id) ON DELETE CASCADE,
                voter TEXT NOT NULL CHECK (length(voter) BETWEEN 1 AND 64),
                tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                CONSTRAINT picks_one_per_voter_and_comparison UNIQUE (comparison_id, voter)
            )"
        ),
        format!(
            "CREATE TABLE vote_events (
                id {id},
                tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
                voter TEXT NOT NULL,
                action TEXT NOT NULL CHECK (action IN ('SHIP', 'SKIP', 'WITHDRAW')),
                address TEXT,
                created_at {ts} NOT NULL
            )"
        ),
        "CREATE INDEX vote_events_tool_id_created_at ON vote_events (tool_id, created_at)".into(),
        format!(
            "CREATE TABLE vote_anomalies (
                id {id},
                kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                tool_id BIGINT REFERENCES tools (id) ON DELETE SET NULL,
                hits BIGINT NOT NULL,
                window_start BIGINT NOT NULL,
                observed_at {ts} NOT NULL,
                CONSTRAINT vote_anomalies_once_per_window UNIQUE (kind, subject, window_start)
            )"
        ),
        "CREATE TABLE rate_limits (
            bucket TEXT NOT NULL PRIMARY KEY,
            window_start BIGINT NOT NULL,
            hits BIGINT NOT NULL
        )"
        .into(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, up_statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::drop_tables(
            manager,
            &["rate_limits", "vote_anomalies", "vote_events", "picks"],
        )
        .await
    }
}
