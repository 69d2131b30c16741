//! `webhook_attempts`: every try of a delivery and what the receiver answered.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub delivery_id: i64,
    pub attempted_at: DateTimeUtc,
    /// The receiver's HTTP status; `None` when none came.
    pub http_status: Option<i32>,
    /// Why no answer came (or why it did not count), shortened.
    pub error: Option<String>,
    /// The start of the receiver's answer (1 KiB at most).
    pub response_body: Option<String>,
    pub duration_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
