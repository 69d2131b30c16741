//! `comparisons`: an editor's curated pairing of two different tools.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comparisons")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub left_tool_id: i64,
    pub right_tool_id: i64,
    pub published_at: Option<DateTimeUtc>,
    /// The editor's one-line verdict (at most 160 characters); none on older rows.
    pub verdict_line: Option<String>,
    /// Who wrote the verdict, as readers see it.
    pub byline: Option<String>,
    /// When an editor last changed it; none on drafts made before it was recorded.
    pub updated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
