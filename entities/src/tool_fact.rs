//! `tool_facts`: the typed facts editors record per tool, in order.

use sea_orm::entity::prelude::*;

use crate::FactKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "tool_facts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tool_id: i64,
    /// Its place among the tool's facts, from 0.
    pub position: i32,
    /// "Context window"; unique per tool ignoring case.
    pub label: String,
    pub kind: FactKind,
    /// A NUMBER's canonical decimal, a BOOLEAN's `true`/`false`, a LIST's
    /// items one per line, or the text.
    pub value: String,
    /// "tokens", "B"; none for a fact without one.
    pub unit: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
