//! `webhook_score_marks`: a tool's scores as the webhooks last announced them.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_score_marks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tool_id: i64,
    /// The panel's score last announced (or recorded).
    pub panel_percent: Option<i32>,
    /// The readers' score last announced; `None` while withheld.
    pub community_percent: Option<i32>,
    /// Recorded without an event on the next scan (tools that existed before webhooks).
    pub baseline: bool,
    /// Bumped by every change: a scan writes only over the version it read.
    pub version: i64,
    pub checked_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
