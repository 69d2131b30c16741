//! `reviews`: one reviewer's verdict and text on one tool (unique per reviewer and tool).

use sea_orm::entity::prelude::*;

use crate::Verdict;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reviews")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tool_id: i64,
    pub reviewer_id: i64,
    pub verdict: Verdict,
    pub body: String,
    pub published_at: Option<DateTimeUtc>,
    /// The day the review was written (UTC).
    pub reviewed_on: Date,
    /// The tool's version or release it judged, as the reviewer named it.
    pub judged_version: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
