//! `webhook_events`: what happened, written in the transaction of the change
//! that caused it, with the exact body every endpoint receives.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_events")]
pub struct Model {
    /// `evt_` and 32 hex digits: the `webhook-id` header.
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    /// Such as `comparison.published`.
    pub event_type: String,
    pub occurred_at: DateTimeUtc,
    /// The JSON body, as signed and sent.
    pub payload: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
