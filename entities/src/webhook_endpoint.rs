//! `webhook_endpoints`: where editors asked for events to be sent, and whether
//! they are still sent there.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// An http(s) URL, checked at registration and again at every delivery.
    pub url: String,
    /// The event types wanted, comma-separated (`comparison.published,…`).
    pub events: String,
    /// `whsec_` and the base64 of the signing key.
    pub secret: String,
    /// False once switched off (by an editor or after repeated failures).
    pub enabled: bool,
    /// Why it was switched off.
    pub disabled_reason: Option<String>,
    pub disabled_at: Option<DateTimeUtc>,
    /// Deliveries that failed for good in a row (reset by one delivered).
    pub consecutive_failures: i32,
    /// The first failed attempt since the last success.
    pub failing_since: Option<DateTimeUtc>,
    /// The editor who registered it.
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
