//! `review_revisions`: a review's earlier verdicts, kept when its reviewer
//! changed the verdict.

use sea_orm::entity::prelude::*;

use crate::Verdict;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_revisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub review_id: i64,
    /// The review's tool (for the change log).
    pub tool_id: i64,
    /// The verdict it gave then.
    pub verdict: Verdict,
    /// The reasoning then.
    pub body: String,
    pub judged_version: Option<String>,
    pub reviewed_on: Date,
    /// When the newer verdict replaced it.
    pub replaced_at: DateTimeUtc,
    /// The editor who saved the change (none once they are deleted).
    pub replaced_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
