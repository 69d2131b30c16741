//! `rate_limits`: fixed-window request counters shared by every server instance.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rate_limits")]
pub struct Model {
    /// Scope and key, such as `vote-address:203.0.113.7`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub bucket: String,
    /// Start of the current window, in seconds since the Unix epoch.
    pub window_start: i64,
    /// Requests counted in that window.
    pub hits: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
