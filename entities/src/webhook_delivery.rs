//! `webhook_deliveries`: one event to one endpoint, until delivered or given up,
//! with the lease of the instance sending it.

use sea_orm::entity::prelude::*;

use crate::enums::DeliveryStatus;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_deliveries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub event_id: String,
    pub endpoint_id: i64,
    pub status: DeliveryStatus,
    /// Attempts since it was (re)queued.
    pub attempts: i32,
    /// When it may be tried (again).
    pub next_attempt_at: DateTimeUtc,
    /// Until when the instance that claimed it is sending it.
    pub locked_until: Option<DateTimeUtc>,
    /// Which instance claimed it last.
    pub claimed_by: Option<String>,
    pub created_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
