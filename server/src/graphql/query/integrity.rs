//! `integrity` and `heldVoteWindow`: the public integrity ledger.

use async_graphql::{Context, Object, ID};
use sea_orm::DatabaseConnection;

use crate::changes::Read;
use crate::domain::integrity;
use crate::error::{AppError, GqlResultExt};
use crate::graphql::types::{integrity::parse_id, reads, HeldVoteWindow, IntegrityLedger};

/// The integrity ledger's reads.
#[derive(Default)]
pub struct IntegrityQuery;

#[Object]
impl IntegrityQuery {
    /// The site-wide integrity ledger: the counting rule, the windows that
    /// held readers' votes and what editors decided, newest first. Per tool:
    /// `Tool.integrity`.
    async fn integrity(&self) -> IntegrityLedger {
        IntegrityLedger
    }

    /// One window that held votes, by its `id`; null when there is none.
    async fn held_vote_window(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The window's `id`.")] id: ID,
    ) -> async_graphql::Result<Option<HeldVoteWindow>> {
        let id = parse_id(&id, "id")?;
        reads(ctx).read(Read::CommunityScores);
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(integrity::held_window(db, id)
            .await
            .map_err(AppError::from)
            .gql()?
            .map(HeldVoteWindow))
    }
}
