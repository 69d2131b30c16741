//! Score history: each published tool's panel and community tallies, one
//! row per tool and day, recorded by the server so pages can chart them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn up_statements(_backend: DbBackend) -> Vec<String> {
    vec![
        // `day` is `YYYY-MM-DD` text on both engines: it sorts as dates do.
        "CREATE TABLE score_snapshots (
            tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
            day TEXT NOT NULL CHECK (length(day) = 10),
            panel_ship INTEGER NOT NULL CHECK (panel_ship >= 0),
            panel_total INTEGER NOT NULL CHECK (panel_total >= panel_ship),
            community_ship INTEGER NOT NULL CHECK (community_ship >= 0),
            community_total INTEGER NOT NULL CHECK (community_total >= community_ship),
            PRIMARY KEY (tool_id, day)
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
        dialect::drop_tables(manager, &["score_snapshots"]).await
    }
}
