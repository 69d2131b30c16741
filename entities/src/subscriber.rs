//! `subscribers`: newsletter addresses with their double opt-in state.

use sea_orm::entity::prelude::*;

use crate::enums::SubscriberStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "subscribers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Lower case, validated.
    #[sea_orm(unique)]
    pub email: String,
    pub status: SubscriberStatus,
    /// SHA-256 (hex) of the pending confirmation link's token.
    #[sea_orm(unique)]
    pub confirm_token_hash: Option<String>,
    pub confirm_expires_at: Option<DateTimeUtc>,
    /// The token of every mail's unsubscribe link.
    #[sea_orm(unique)]
    pub unsubscribe_token: String,
    pub created_at: DateTimeUtc,
    /// When the last confirmation mail was written (resends are spaced).
    pub confirmation_sent_at: Option<DateTimeUtc>,
    pub confirmed_at: Option<DateTimeUtc>,
    pub unsubscribed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
