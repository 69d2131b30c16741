//! `tool_releases`: the releases editors record for a tool, one per version.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tool_releases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tool_id: i64,
    /// As the vendor names it ("v3.0", "2026-10 release").
    pub version: String,
    /// The day it came out (UTC).
    pub released_on: Date,
    /// What changed, in a line.
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
