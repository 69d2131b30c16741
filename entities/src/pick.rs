//! `picks`: a reader's choice between two tools, one per voter and unordered
//! pair (`low_tool_id < high_tool_id`), whether or not an editor published a
//! comparison of the two.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "picks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The pair's tool with the smaller id.
    pub low_tool_id: i64,
    /// The pair's tool with the larger id.
    pub high_tool_id: i64,
    pub voter: String,
    /// The tool picked: one of the two.
    pub tool_id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// The key of the unordered pair of two tools: the smaller id first.
pub fn pair(a: i64, b: i64) -> (i64, i64) {
    (a.min(b), a.max(b))
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
