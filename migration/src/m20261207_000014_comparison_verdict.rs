//! A curated comparison's consensus line: the editor's one-line verdict, who
//! wrote it (a free-text byline), and when it last changed (`updated_at`,
//! backfilled from `published_at`). All optional, so older rows stay valid.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::dialect::{self, Dialect};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn up_statements(backend: DbBackend) -> Vec<String> {
    let Dialect { timestamp, .. } = Dialect::of(backend);
    vec![
        // Characters, not bytes: `length` counts characters on both engines.
        "ALTER TABLE comparisons ADD COLUMN verdict_line TEXT \
         CHECK (verdict_line IS NULL OR length(verdict_line) BETWEEN 1 AND 160)"
            .to_owned(),
        "ALTER TABLE comparisons ADD COLUMN byline TEXT \
         CHECK (byline IS NULL OR length(byline) BETWEEN 1 AND 100)"
            .to_owned(),
        format!("ALTER TABLE comparisons ADD COLUMN updated_at {timestamp}"),
        "UPDATE comparisons SET updated_at = published_at".to_owned(),
    ]
}

fn down_statements(_backend: DbBackend) -> Vec<String> {
    vec![
        "ALTER TABLE comparisons DROP COLUMN updated_at".to_owned(),
        "ALTER TABLE comparisons DROP COLUMN byline".to_owned(),
        "ALTER TABLE comparisons DROP COLUMN verdict_line".to_owned(),
    ]
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
