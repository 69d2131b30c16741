//! `releaseHeldVotes`, `rejectHeldVotes` and `setPartnerVotes`: editors'
//! decisions about votes the counting rules set aside, and about partner
//! apps' votes. Each is recorded in the public ledger with its reason.

use async_graphql::{Context, Object, ID};
use sea_orm::DatabaseConnection;

use crate::domain::integrity::{self, Decision};
use crate::error::GqlResultExt;
use crate::graphql::auth;
use crate::graphql::types::{integrity::parse_id, ApiToken, HeldVoteWindow};
use crate::live::{LiveScores, ScoreChange};

/// Editors' decisions about held votes.
#[derive(Default)]
pub struct IntegrityMutation;

async fn decide(
    ctx: &Context<'_>,
    window: &ID,
    decision: Decision,
    reason: &str,
) -> async_graphql::Result<HeldVoteWindow> {
    let editor = auth::editor_for_change(ctx)?;
    let id = parse_id(window, "window")?;
    let db = ctx.data_unchecked::<DatabaseConnection>();
    let decided = integrity::decide(db, editor.id, id, decision, reason)
        .await
        .gql()?;
    ctx.data_unchecked::<LiveScores>()
        .publish(ScoreChange::Tool(decided.window.tool_id))
        .await;
    Ok(HeldVoteWindow(decided))
}

#[Object]
impl IntegrityMutation {
    /// Releases the votes a window still holds: they count from now on.
    /// The reason is published in the ledger. Editors only.
    async fn release_held_votes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The window's `id`.")] window: ID,
        #[graphql(desc = "Why, 1 to 500 characters: readers see it.")] reason: String,
    ) -> async_graphql::Result<HeldVoteWindow> {
        decide(ctx, &window, Decision::Release, &reason).await
    }

    /// Rejects the votes a window still holds: they never count. The
    /// reason is published in the ledger. Editors only.
    async fn reject_held_votes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The window's `id`.")] window: ID,
        #[graphql(desc = "Why, 1 to 500 characters: readers see it.")] reason: String,
    ) -> async_graphql::Result<HeldVoteWindow> {
        decide(ctx, &window, Decision::Reject, &reason).await
    }

    /// Switches a partner app's votes off (every vote it cast for its users
    /// is set aside, and new ones are stored set aside) or back on. The
    /// reason is published in the ledger. Editors only.
    async fn set_partner_votes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The app's API token `id`.")] token: ID,
        #[graphql(desc = "Whether its votes count.")] counted: bool,
        #[graphql(desc = "Why, 1 to 500 characters: readers see it.")] reason: String,
    ) -> async_graphql::Result<ApiToken> {
        let editor = auth::editor_for_change(ctx)?;
        let id = parse_id(&token, "token")?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let (token, tools) = integrity::switch_partner_votes(db, editor.id, id, counted, &reason)
            .await
            .gql()?;
        let live = ctx.data_unchecked::<LiveScores>();
        for tool in tools {
            live.publish(ScoreChange::Tool(tool)).await;
        }
        Ok(ApiToken(token))
    }
}
