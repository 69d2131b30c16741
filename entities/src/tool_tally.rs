//! `tool_tallies`: a tool's panel and community tallies, one row per tool,
//! kept exact by triggers on `reviews` and `votes` (migration 9). Read-only
//! for the application.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tool_tallies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tool_id: i64,
    /// Published reviews saying SHIP.
    pub panel_ship: i64,
    /// Published reviews saying SKIP.
    pub panel_skip: i64,
    /// Readers' counted votes saying SHIP.
    pub community_ship: i64,
    /// Readers' counted votes saying SKIP.
    pub community_skip: i64,
    /// Readers' votes held by a counting rule.
    pub community_held: i64,
    /// Readers' votes set aside for good.
    pub community_rejected: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
