//! `vote_windows`: the new voters one client network brought to one tool in
//! one counting window, and what became of the votes held past its quota
//! (kept by triggers, migration 11).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "vote_windows")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tool_id: i64,
    /// An IPv4 address or an IPv6 /64 (`expired` once past the log's retention).
    pub network: String,
    /// Unix seconds.
    pub window_start: i64,
    /// New voters seen.
    pub voters: i64,
    /// Votes still held.
    pub held: i64,
    /// Held votes an editor released (they count now).
    pub released: i64,
    /// Held votes rejected (by an editor or by age).
    pub rejected: i64,
    /// Once-held votes their voters withdrew (the window keeps the count).
    pub withdrawn: i64,
    pub first_at: DateTimeUtc,
    pub last_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
