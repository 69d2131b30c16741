//! `category_fact_labels`: the fact labels a category suggests for its
//! tools, with the kind and unit they take, in order.

use sea_orm::entity::prelude::*;

use crate::FactKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "category_fact_labels")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub category_id: i64,
    /// Its place among the category's labels, from 0.
    pub position: i32,
    /// Unique per category ignoring case.
    pub label: String,
    pub kind: FactKind,
    pub unit: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
