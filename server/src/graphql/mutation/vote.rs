//! `castVote`, `withdrawVote` and `pick`: readers' votes and head-to-head picks.

use std::sync::Arc;

use async_graphql::{Context, Object};
use entities::Verdict as VerdictModel;
use sea_orm::DatabaseConnection;

use crate::domain::{
    scores,
    votes::{self, Reader},
};
use crate::error::{AppError, GqlResultExt};
use crate::graphql::types::{settings, CommunityScore, Comparison, Verdict};
use crate::graphql::ClientAddress;
use crate::live::{LiveScores, ScoreChange};
use crate::voter::VoterSession;

/// Readers' votes.
#[derive(Default)]
pub struct VoteMutation;

fn reader(ctx: &Context<'_>) -> async_graphql::Result<Reader> {
    let voter = ctx
        .data_opt::<Arc<VoterSession>>()
        .ok_or_else(|| AppError::validation("voter", "vote with POST /graphql"))
        .gql()?;
    Ok(Reader {
        voter: voter.id(),
        address: ctx.data_opt::<ClientAddress>().and_then(|a| a.0),
    })
}

async fn vote(
    ctx: &Context<'_>,
    tool: &str,
    verdict: Option<VerdictModel>,
) -> async_graphql::Result<CommunityScore> {
    let db = ctx.data_unchecked::<DatabaseConnection>();
    let settings = settings(ctx);
    let (tool_id, tally) = votes::cast_vote(
        db,
        ctx.data_unchecked::<votes::VoteWriter>(),
        &reader(ctx)?,
        tool,
        verdict,
    )
    .await
    .gql()?;
    ctx.data_unchecked::<LiveScores>()
        .publish(ScoreChange::Tool(tool_id))
        .await;
    Ok(scores::CommunityScore {
        tally,
        min_votes: settings.min_community_votes,
    }
    .into())
}

#[Object]
impl VoteMutation {
    /// Votes SHIP or SKIP on a published tool as the reader in the signed voter
    /// cookie (set on the first vote); a new vote replaces the reader's earlier
    /// one. Returns the tool's new community score. Rate limited per reader
    /// and per address (`RATE_LIMITED`, with `extensions.retryAfter` seconds).
    async fn cast_vote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] tool: String,
        #[graphql(desc = "SHIP or SKIP.")] verdict: Verdict,
    ) -> async_graphql::Result<CommunityScore> {
        vote(ctx, &tool, Some(verdict.into())).await
    }

    /// Withdraws the reader's vote on a tool (nothing happens if there is
    /// none). Returns the tool's new community score.
    async fn withdraw_vote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] tool: String,
    ) -> async_graphql::Result<CommunityScore> {
        vote(ctx, &tool, None).await
    }

    /// Picks one of the two tools of a curated comparison as the reader's
    /// winner; a new pick replaces the old. Returns the comparison, whose
    /// `headToHead` holds the new numbers.
    async fn pick(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comparison's slug.")] comparison: String,
        #[graphql(desc = "The slug of the tool picked: the comparison's left or right.")]
        tool: String,
    ) -> async_graphql::Result<Comparison> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let settings = settings(ctx);
        let model = votes::pick(db, &settings.vote_limits, &reader(ctx)?, &comparison, &tool)
            .await
            .gql()?;
        ctx.data_unchecked::<LiveScores>()
            .publish(ScoreChange::Comparison(model.id))
            .await;
        Ok(Comparison::from_model(model))
    }
}
