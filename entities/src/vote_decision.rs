//! `vote_decisions`: what was decided about held votes (release, reject, or
//! expiry by rule) and about partner apps' votes (switched off or on), by
//! whom and why; the public integrity ledger shows them.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vote_decisions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub window_id: Option<i64>,
    pub token_id: Option<i64>,
    pub tool_id: Option<i64>,
    /// `RELEASE`, `REJECT`, `EXPIRE`, `SOURCE_OFF` or `SOURCE_ON`.
    pub decision: String,
    /// Votes the decision moved.
    pub votes: i64,
    pub reason: String,
    /// `None`: decided by rule (or the editor's account is gone).
    pub editor_id: Option<i64>,
    pub decided_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
