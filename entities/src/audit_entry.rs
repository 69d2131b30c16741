//! `audit_entries`: every change an editor made — who, when, what, before and after.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub editor_id: Option<i64>,
    /// `CREATE`, `UPDATE`, `DELETE`, `PUBLISH` or `UNPUBLISH`.
    pub action: String,
    /// `CATEGORY`, `TOOL`, `REVIEWER`, `REVIEW` or `COMPARISON`.
    pub entity: String,
    /// The slug (for a review, `reviewer/tool`).
    pub entity_key: String,
    /// JSON summary before the change; none for a creation.
    pub before: Option<String>,
    /// JSON summary after the change; none for a deletion.
    pub after: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
