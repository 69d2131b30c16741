//! `picks`: a reader's choice between the two tools of a comparison (one per voter and comparison).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "picks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub comparison_id: i64,
    pub voter: String,
    pub tool_id: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
