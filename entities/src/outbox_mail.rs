//! `outbox`: every mail Verdicts writes, kept until (and after) it is sent.

use sea_orm::entity::prelude::*;

use crate::enums::MailKind;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub subscriber_id: Option<i64>,
    pub kind: MailKind,
    /// Makes writing the same mail twice (a digest for the same week) a no-op.
    #[sea_orm(unique)]
    pub dedupe_key: Option<String>,
    pub to_address: String,
    pub subject: String,
    /// Plain text.
    pub body: String,
    /// The one-click unsubscribe URL (`List-Unsubscribe`).
    pub list_unsubscribe: String,
    pub created_at: DateTimeUtc,
    /// Delivery attempts so far.
    pub attempts: i32,
    /// When the sender may try (again).
    pub next_attempt_at: DateTimeUtc,
    pub last_error: Option<String>,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
