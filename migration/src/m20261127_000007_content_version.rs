//! The content version: one number that grows with every change to what
//! readers can see (the catalogue, reviews, comparisons, votes, picks, score
//! history). Triggers bump it inside the writing transaction, so no write
//! path can forget it and a reader who sees a version also sees every change
//! before it. The response cache keys its entries on it (on PostgreSQL,
//! every instance sharing the database reads the same row).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every table whose rows show up on a page or in an anonymous answer.
const CONTENT_TABLES: [&str; 9] = [
    "categories",
    "tools",
    "reviewers",
    "reviews",
    "comparisons",
    "votes",
    "picks",
    "score_snapshots",
    "settings",
];

pub(crate) fn up_statements(backend: DbBackend) -> Vec<String> {
    let mut statements = vec![
        "CREATE TABLE content_version (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            version BIGINT NOT NULL CHECK (version >= 1)
        )"
        .to_owned(),
        "INSERT INTO content_version (id, version) VALUES (1, 1)".to_owned(),
    ];
    match backend {
        DbBackend::Postgres => {
            statements.push(
                "CREATE FUNCTION bump_content_version() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE content_version SET version = version + 1 WHERE id = 1;
                    RETURN NULL;
                END
                $$"
                .to_owned(),
            );
            // BEFORE the statement: a writer takes the version row's lock
            // before any row of content, so two writers always lock in the
            // same order and cannot deadlock on each other.
            for table in CONTENT_TABLES {
                statements.push(format!(
                    "CREATE TRIGGER {table}_bump_content_version
                     BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
                     FOR EACH STATEMENT EXECUTE FUNCTION bump_content_version()"
                ));
            }
        }
        _ => {
            // SQLite has row triggers only; its writers are serialised anyway.
            for table in CONTENT_TABLES {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    statements.push(format!(
                        "CREATE TRIGGER {table}_{}_bump_content_version
                         AFTER {event} ON {table}
                         BEGIN
                             UPDATE content_version SET version = version + 1 WHERE id = 1;
                         END",
                        event.to_ascii_lowercase()
                    ));
                }
            }
        }
    }
    statements
}

pub(crate) fn down_statements(backend: DbBackend) -> Vec<String> {
    let mut statements = Vec::new();
    match backend {
        DbBackend::Postgres => {
            for table in CONTENT_TABLES {
                statements.push(format!(
                    "DROP TRIGGER {table}_bump_content_version ON {table}"
                ));
            }
            statements.push("DROP FUNCTION bump_content_version()".to_owned());
        }
        _ => {
            for table in CONTENT_TABLES {
                for event in ["insert", "update", "delete"] {
                    statements.push(format!("DROP TRIGGER {table}_{event}_bump_content_version"));
                }
            }
        }
    }
    statements.push("DROP TABLE content_version".to_owned());
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
