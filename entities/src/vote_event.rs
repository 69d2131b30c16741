//! `vote_events`: every vote, change and withdrawal as it happened, kept so
//! that scores can be recomputed and bursts examined.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vote_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tool_id: i64,
    pub voter: String,
    /// `SHIP`, `SKIP` or `WITHDRAW`.
    pub action: String,
    /// The client address the request came from, if known.
    pub address: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
