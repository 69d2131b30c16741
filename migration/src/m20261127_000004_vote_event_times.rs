//! Vote events by time alone: the editors' "votes in the last day" reads
//! every tool's recent events, which the (tool, time) index cannot serve.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn up_statements(_backend: DbBackend) -> Vec<String> {
    vec!["CREATE INDEX vote_events_created_at ON vote_events (created_at)".into()]
}

fn down_statements(_backend: DbBackend) -> Vec<String> {
    vec!["DROP INDEX vote_events_created_at".into()]
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
