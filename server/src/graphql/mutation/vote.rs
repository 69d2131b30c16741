//! `castVote`: a reader's ship/skip on a tool.

use std::sync::Arc;

use async_graphql::{Context, Object};
use sea_orm::DatabaseConnection;

use crate::domain::{scores, votes};
use crate::error::GqlResultExt;
use crate::graphql::types::{settings, CommunityScore, Verdict};
use crate::voter::VoterSession;

/// Readers' votes.
#[derive(Default)]
pub struct VoteMutation;

#[Object]
impl VoteMutation {
    /// Votes SHIP or SKIP on a published tool as the reader in the signed voter
    /// cookie (set on the first vote); a new vote replaces the reader's earlier
    /// one. Returns the tool's new community score.
    async fn cast_vote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] tool: String,
        verdict: Verdict,
    ) -> async_graphql::Result<CommunityScore> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let voter = ctx.data_unchecked::<Arc<VoterSession>>().id();
        let tally = votes::cast_vote(db, &tool, &voter, verdict.into())
            .await
            .gql()?;
        Ok(scores::CommunityScore {
            tally,
            min_votes: settings(ctx).min_community_votes,
        }
        .into())
    }
}
