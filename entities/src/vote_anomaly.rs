//! `vote_anomalies`: bursts of votes noticed for editors to look at.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vote_anomalies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What was noticed, such as `VOTE_VOTER_RATE_EXCEEDED` or `TOOL_BURST_FROM_ADDRESS`.
    pub kind: String,
    /// The rate-limit bucket that tripped (scope and key).
    pub subject: String,
    /// The tool voted on when it tripped, if any.
    pub tool_id: Option<i64>,
    /// Requests counted in the window when it tripped.
    pub hits: i64,
    /// Start of the window it was noticed in (seconds since the Unix epoch).
    pub window_start: i64,
    pub observed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
