//! Webhooks: the endpoints editors register, the events written in the
//! transaction of the change that causes them (the outbox), one delivery per
//! event and endpoint with its lease, every attempt's outcome, and the score
//! each tool last announced.

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
            "CREATE TABLE webhook_endpoints (
                id {id},
                url TEXT NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
                events TEXT NOT NULL,
                secret TEXT NOT NULL,
                enabled BOOLEAN NOT NULL DEFAULT TRUE,
                disabled_reason TEXT,
                disabled_at {ts},
                consecutive_failures INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
                failing_since {ts},
                created_by BIGINT REFERENCES editors (id) ON DELETE SET NULL,
                created_at {ts} NOT NULL
            )"
        ),
        format!(
            "CREATE TABLE webhook_events (
                id TEXT NOT NULL PRIMARY KEY CHECK (length(id) BETWEEN 5 AND 64),
                event_type TEXT NOT NULL,
                occurred_at {ts} NOT NULL,
                payload TEXT NOT NULL
            )"
        ),
        "CREATE INDEX webhook_events_occurred_at ON webhook_events (occurred_at)".into(),
        format!(
            "CREATE TABLE webhook_deliveries (
                id {id},
                event_id TEXT NOT NULL REFERENCES webhook_events (id) ON DELETE CASCADE,
                endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
                status TEXT NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                next_attempt_at {ts} NOT NULL,
                locked_until {ts},
                claimed_by TEXT,
                created_at {ts} NOT NULL,
                delivered_at {ts},
                CONSTRAINT webhook_deliveries_one_per_event_and_endpoint UNIQUE (event_id, endpoint_id)
            )"
        ),
        "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)".into(),
        "CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id)".into(),
        format!(
            "CREATE TABLE webhook_attempts (
                id {id},
                delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
                attempted_at {ts} NOT NULL,
                http_status INTEGER,
                error TEXT,
                response_body TEXT,
                duration_ms BIGINT NOT NULL CHECK (duration_ms >= 0)
            )"
        ),
        "CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id)".into(),
        format!(
            "CREATE TABLE webhook_score_marks (
                tool_id BIGINT NOT NULL PRIMARY KEY REFERENCES tools (id) ON DELETE CASCADE,
                panel_percent INTEGER,
                community_percent INTEGER,
                baseline BOOLEAN NOT NULL DEFAULT FALSE,
                version BIGINT NOT NULL DEFAULT 0,
                checked_at {ts}
            )"
        ),
        // The tools that exist already have scores nobody was told about as
        // news: the first scan records them without an event.
        "INSERT INTO webhook_score_marks (tool_id, baseline, version) SELECT id, TRUE, 0 FROM tools"
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
            &[
                "webhook_score_marks",
                "webhook_attempts",
                "webhook_deliveries",
                "webhook_events",
                "webhook_endpoints",
            ],
        )
        .await
    }
}
