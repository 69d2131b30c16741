//! `votes`: a reader's ship/skip on a tool (unique per voter and tool; a new vote replaces the old).

use sea_orm::entity::prelude::*;

use crate::{Verdict, VoteStatus};

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "votes")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub tool_id: i64,
    pub voter: String,
    pub verdict: Verdict,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Whether it counts (migration 11: a trigger holds a new voter past the
    /// network's quota).
    pub status: VoteStatus,
    /// The client network (IPv4 address or IPv6 /64) of the site's readers.
    pub network: Option<String>,
    /// The counting window the vote fell in (Unix seconds), with `network`.
    pub window_start: Option<i64>,
    /// The window that holds (or held) it.
    pub hold_id: Option<i64>,
    /// The partner app (API token) that cast it for one of its users.
    pub token_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
