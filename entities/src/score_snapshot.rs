//! `score_snapshots`: a tool's panel and community tallies on one day.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "score_snapshots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tool_id: i64,
    /// `YYYY-MM-DD` (UTC).
    #[sea_orm(primary_key, auto_increment = false)]
    pub day: String,
    pub panel_ship: i32,
    pub panel_total: i32,
    pub community_ship: i32,
    pub community_total: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
