//! Review provenance (issue 18, items 1 to 3): what a review judged and
//! when, the releases editors record for a tool, and the verdicts a review
//! gave before its reviewer changed it.
//!
//! - `reviews.reviewed_on`: the day the review was written (backfilled from
//!   `published_at`, else today); `reviews.judged_version`: the tool's
//!   version or release it looked at, free text, optional.
//! - `tool_releases`: the releases editors record for a tool, one per
//!   version; the latest is the one with the latest `released_on`.
//! - `review_revisions`: a review's earlier verdicts, written in the
//!   transaction of the edit that changed the verdict; `tool_id` repeats
//!   the review's so that the change log names the tool.
//!
//! Days are `DATE` on PostgreSQL and `YYYY-MM-DD` text on SQLite: both
//! compare and sort as days do. Both new tables feed the change log
//! (migration 10) with the tool they belong to.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::dialect::{self, Dialect};
use crate::m20261130_000010_content_changes::{
    postgres_triggers, sqlite_triggers, Watched, EVENTS,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The new tables readers see, as the change log watches them.
const WATCHED: [Watched; 2] = [
    Watched {
        table: "tool_releases",
        rows: &[("t", "tool_id")],
        list: None,
        listed_columns: None,
    },
    Watched {
        table: "review_revisions",
        rows: &[("r", "tool_id")],
        list: None,
        listed_columns: None,
    },
];

fn up_statements(backend: DbBackend) -> Vec<String> {
    let Dialect { id, timestamp, .. } = Dialect::of(backend);
    let (day, day_check) = match backend {
        DbBackend::Postgres => ("DATE", ""),
        _ => ("TEXT", " CHECK (length(reviewed_on) = 10)"),
    };
    let mut statements = Vec::new();
    match backend {
        DbBackend::Postgres => statements.extend([
            "ALTER TABLE reviews ADD COLUMN reviewed_on DATE".to_owned(),
            "UPDATE reviews SET reviewed_on = \
             COALESCE(CAST(published_at AT TIME ZONE 'UTC' AS DATE), CURRENT_DATE)"
                .to_owned(),
            "ALTER TABLE reviews ALTER COLUMN reviewed_on SET NOT NULL".to_owned(),
        ]),
        // SQLite adds a NOT NULL column only with a default; the server
        // always writes the day, the default only fills the rows backfilled below.
        _ => statements.extend([
            format!(
                "ALTER TABLE reviews ADD COLUMN reviewed_on TEXT NOT NULL DEFAULT '1970-01-01'{day_check}"
            ),
            "UPDATE reviews SET reviewed_on = COALESCE(substr(published_at, 1, 10), date('now'))"
                .to_owned(),
        ]),
    }
    let release_day_check = day_check.replace("reviewed_on", "released_on");
    statements.extend([
        "ALTER TABLE reviews ADD COLUMN judged_version TEXT \
         CHECK (judged_version IS NULL OR length(judged_version) BETWEEN 1 AND 40)"
            .to_owned(),
        "CREATE INDEX reviews_reviewed_on ON reviews (reviewed_on, id)".to_owned(),
        format!(
            "CREATE TABLE tool_releases (
                id {id},
                tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
                version TEXT NOT NULL CHECK (length(version) BETWEEN 1 AND 40),
                released_on {day} NOT NULL{release_day_check},
                note TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 500),
                created_at {timestamp} NOT NULL,
                CONSTRAINT tool_releases_one_per_version UNIQUE (tool_id, version)
            )"
        ),
        "CREATE INDEX tool_releases_by_tool ON tool_releases (tool_id, released_on)".to_owned(),
        format!(
            "CREATE TABLE review_revisions (
                id {id},
                review_id BIGINT NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
                tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
                verdict TEXT NOT NULL CHECK (verdict IN ('SHIP', 'SKIP')),
                body TEXT NOT NULL,
                judged_version TEXT,
                reviewed_on {day} NOT NULL{day_check},
                replaced_at {timestamp} NOT NULL,
                replaced_by BIGINT REFERENCES editors (id) ON DELETE SET NULL
            )"
        ),
        "CREATE INDEX review_revisions_by_review ON review_revisions (review_id, id)".to_owned(),
    ]);
    for watched in &WATCHED {
        statements.extend(match backend {
            DbBackend::Postgres => postgres_triggers(watched),
            _ => sqlite_triggers(watched),
        });
    }
    statements
}

fn down_statements(backend: DbBackend) -> Vec<String> {
    let mut statements = Vec::new();
    for watched in &WATCHED {
        let table = watched.table;
        for event in EVENTS {
            let lower = event.to_ascii_lowercase();
            match backend {
                DbBackend::Postgres => {
                    statements.push(format!("DROP TRIGGER {table}_{lower}_changes ON {table}"));
                    statements.push(format!("DROP FUNCTION {table}_{lower}_changes()"));
                }
                _ => statements.push(format!("DROP TRIGGER {table}_{lower}_changes")),
            }
        }
        if backend == DbBackend::Postgres {
            statements.push(format!("DROP TRIGGER {table}_truncate_changes ON {table}"));
        }
    }
    statements.extend([
        "DROP TABLE review_revisions".to_owned(),
        "DROP TABLE tool_releases".to_owned(),
        "DROP INDEX reviews_reviewed_on".to_owned(),
        "ALTER TABLE reviews DROP COLUMN judged_version".to_owned(),
        "ALTER TABLE reviews DROP COLUMN reviewed_on".to_owned(),
    ]);
    statements
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, up_statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, down_statements).await
    }
}
