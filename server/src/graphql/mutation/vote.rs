//! `castVote`, `withdrawVote`, `pick` and `pickBetween`: readers' votes and
//! head-to-head picks.

use std::sync::Arc;

use async_graphql::{Context, Object};
use entities::Verdict as VerdictModel;
use sea_orm::DatabaseConnection;

use crate::domain::{
    scores,
    votes::{self, Partner, Reader},
};
use crate::error::{AppError, GqlResultExt};
use crate::graphql::auth::Viewer;
use crate::graphql::types::{loaders, settings, CommunityScore, Comparison, Verdict};
use crate::graphql::ClientAddress;
use crate::live::{LiveScores, ScoreChange};
use crate::voter::VoterSession;

/// Readers' votes.
#[derive(Default)]
pub struct VoteMutation;

/// Longest opaque user id a partner app may send.
const MAX_USER_ID: usize = 128;

fn reader(ctx: &Context<'_>, on_behalf_of: Option<&str>) -> async_graphql::Result<Reader> {
    let address = ctx.data_opt::<ClientAddress>().and_then(|a| a.0);
    if let Some(user) = on_behalf_of {
        let token = ctx
            .data_opt::<Viewer>()
            .and_then(|viewer| viewer.token.as_ref())
            .filter(|token| token.partner)
            .ok_or_else(|| {
                AppError::validation(
                    "onBehalfOf",
                    "voting for a partner app's user needs the app's own API token \
                     (Authorization: Bearer …; editors create one with \
                     createApiToken(partner: true))",
                )
            })
            .gql()?;
        if user.is_empty()
            || user.chars().count() > MAX_USER_ID
            || user.chars().any(char::is_control)
        {
            return Err(AppError::validation(
                "onBehalfOf",
                format!("must be 1 to {MAX_USER_ID} printable characters"),
            ))
            .gql();
        }
        let partner = Partner {
            token_id: token.id,
            quota: token
                .vote_quota
                .map_or(settings(ctx).partner_vote_quota, |q| {
                    u32::try_from(q).unwrap_or(u32::MAX)
                }),
            votes_off: token.votes_off_at.is_some(),
        };
        return Ok(Reader {
            voter: ctx
                .data_unchecked::<crate::voter::VoterKey>()
                .partner_user(partner.token_id, user),
            address,
            partner: Some(partner),
        });
    }
    // Another site's page may read the API, but not make its visitors
    // vote: their browser would be a new reader on every visit.
    if ctx
        .data_opt::<crate::graphql::schema::FromThisSite>()
        .is_some_and(|site| !site.0)
    {
        return Err(AppError::Forbidden(
            "readers vote and pick on Verdicts' own pages; a page of another site cannot \
             do it for its visitors (a partner app votes for its users with its token and \
             onBehalfOf)"
                .to_owned(),
        ))
        .gql();
    }
    let voter = ctx
        .data_opt::<Arc<VoterSession>>()
        .ok_or_else(|| AppError::validation("voter", "vote with POST /graphql"))
        .gql()?;
    Ok(Reader {
        voter: voter.id(),
        address,
        partner: None,
    })
}

async fn vote(
    ctx: &Context<'_>,
    tool: &str,
    verdict: Option<VerdictModel>,
    on_behalf_of: Option<&str>,
) -> async_graphql::Result<CommunityScore> {
    let db = ctx.data_unchecked::<DatabaseConnection>();
    let settings = settings(ctx);
    let (tool_id, tally) = votes::cast_vote(
        db,
        ctx.data_unchecked::<votes::VoteWriter>(),
        &reader(ctx, on_behalf_of)?,
        tool,
        verdict,
    )
    .await
    .gql()?;
    loaders(ctx).forget_votes();
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
    /// cookie (set on the first vote), or, with `onBehalfOf` and a partner
    /// app's API token, as that app's user; a new vote replaces the voter's
    /// earlier one. Returns the tool's new community score (the counted
    /// votes). Every vote is stored; whether it counts follows the counting
    /// rules (see `Tool.integrity`). Rate limited per voter and per address,
    /// or per app (`RATE_LIMITED`, with `extensions.retryAfter` seconds).
    async fn cast_vote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] tool: String,
        #[graphql(desc = "SHIP or SKIP.")] verdict: Verdict,
        #[graphql(
            desc = "A partner app's own id for its user (1 to 128 characters, opaque; \
                    stored only as a keyed hash): the vote is that user's. Needs the app's API \
                    token; no voter cookie is read or set."
        )]
        on_behalf_of: Option<String>,
    ) -> async_graphql::Result<CommunityScore> {
        vote(ctx, &tool, Some(verdict.into()), on_behalf_of.as_deref()).await
    }

    /// Withdraws the voter's vote on a tool (nothing happens if there is
    /// none). Returns the tool's new community score.
    async fn withdraw_vote(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] tool: String,
        #[graphql(desc = "As in `castVote`: the partner app's user whose vote goes.")]
        on_behalf_of: Option<String>,
    ) -> async_graphql::Result<CommunityScore> {
        vote(ctx, &tool, None, on_behalf_of.as_deref()).await
    }

    /// Picks one of the two tools of a curated comparison as the reader's
    /// winner; a new pick replaces the old (picks belong to the pair of
    /// tools: see `pickBetween`). Returns the comparison, whose
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
        let model = votes::pick(
            db,
            &settings.vote_limits,
            &reader(ctx, None)?,
            &comparison,
            &tool,
        )
        .await
        .gql()?;
        loaders(ctx).forget_picks();
        let (low, high) = entities::pick::pair(model.left_tool_id, model.right_tool_id);
        ctx.data_unchecked::<LiveScores>()
            .publish(ScoreChange::Pair(low, high))
            .await;
        Ok(Comparison::from_model(model))
    }

    /// Picks one of any two published tools as the reader's winner, as on
    /// a pair's page (`/compare/a-vs-b`) whether or not an editor compared
    /// them. Picks belong to the pair: this is the same pick as `pick` on
    /// a curated comparison of the two, and a new one replaces the old.
    /// Returns the pair (ad hoc, in the order given), whose `headToHead`
    /// holds the new numbers. Refused with `NOT_FOUND` for a tool that is
    /// not published, `VALIDATION` unless `tools` names two different
    /// tools and `tool` is one of them; rate limited as votes are.
    async fn pick_between(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The two tools' slugs, left first.")] tools: Vec<String>,
        #[graphql(desc = "The slug of the tool picked: one of the two.")] tool: String,
    ) -> async_graphql::Result<Comparison> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let settings = settings(ctx);
        let reader = reader(ctx, None)?;
        let (left, right) = votes::pick_between(db, &settings.vote_limits, &reader, &tools, &tool)
            .await
            .gql()?;
        loaders(ctx).forget_picks();
        let (low, high) = entities::pick::pair(left.id, right.id);
        ctx.data_unchecked::<LiveScores>()
            .publish(ScoreChange::Pair(low, high))
            .await;
        Ok(Comparison::ad_hoc(&left, &right))
    }
}
