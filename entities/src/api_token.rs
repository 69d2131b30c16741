//! `api_tokens`: named bearer tokens for automation; only a hash of the
//! secret is stored, and revoked tokens are kept for the record.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_tokens")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub editor_id: i64,
    pub name: String,
    /// SHA-256 of the secret, hex.
    #[sea_orm(unique)]
    pub secret_hash: String,
    pub created_at: DateTimeUtc,
    pub last_used_at: Option<DateTimeUtc>,
    pub revoked_at: Option<DateTimeUtc>,
    /// A partner app's token: it votes for the app's users and has none of
    /// the editor's powers.
    pub partner: bool,
    /// Votes per hour the token may cast for its users (`None`: the server's default).
    pub vote_quota: Option<i64>,
    /// When an editor switched the token's votes off (they are then set aside).
    pub votes_off_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
