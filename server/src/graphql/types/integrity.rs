//! `VoteIntegrity`, `HeldVoteWindow`, `VoteDecision` and `IntegrityLedger`:
//! the public evidence of how readers' votes were counted.

use async_graphql::{Context, Enum, Object, SimpleObject, ID};
use chrono::{DateTime, Duration, Utc};
use entities::vote_decision;
use sea_orm::DatabaseConnection;

use crate::changes::Read;
use crate::domain::integrity::{self, HeldWindow, Rules, WindowStatus};
use crate::error::{AppError, GqlResultExt};
use crate::graphql::types::{reads, Tool};

/// The counting rule in force, from the server's settings.
pub(crate) fn rules(ctx: &Context<'_>) -> Rules {
    crate::graphql::types::settings(ctx).counting
}

/// How a tool's readers' votes were counted: what counts, what was set
/// aside and why, and where the votes came from.
pub struct VoteIntegrity {
    pub tool_id: i64,
    pub tallies: crate::domain::scores::Tallies,
}

/// How a tool's readers' votes were counted: what counts, what was set
/// aside and why, and where the votes came from.
#[Object]
impl VoteIntegrity {
    /// Votes that count for the community score.
    async fn counted(&self) -> u32 {
        self.tallies.community.total()
    }

    /// Votes held by a counting rule until an editor releases or rejects them.
    async fn held(&self) -> u32 {
        self.tallies.held
    }

    /// Votes set aside for good: rejected by an editor or by the expiry
    /// rule, or cast through a partner app whose votes are switched off.
    async fn rejected(&self) -> u32 {
        self.tallies.rejected
    }

    /// Every vote stored: `counted + held + rejected`.
    async fn stored(&self) -> u32 {
        self.tallies.community.total() + self.tallies.held + self.tallies.rejected
    }

    /// One line for readers, shown under the community score; null when
    /// nothing was set aside. For example "271 votes from one network
    /// within one hour were set aside, held for an editor's review".
    async fn summary(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        if self.tallies.held == 0 && self.tallies.rejected == 0 {
            return Ok(None);
        }
        let windows = windows_of(ctx, self.tool_id, 20).await?;
        Ok(integrity::summary(
            self.tallies.held,
            self.tallies.rejected,
            &windows,
            &rules(ctx),
        ))
    }

    /// Votes by where they came from: the site's readers first, then each
    /// partner app voting for its users.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn by_source(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<VoteSource>> {
        reads(ctx).tool(self.tool_id);
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let mut all = integrity::by_source(db, &[self.tool_id])
            .await
            .map_err(AppError::from)
            .gql()?;
        Ok(all
            .remove(&self.tool_id)
            .unwrap_or_default()
            .into_iter()
            .map(|s| VoteSource {
                source: s
                    .name
                    .clone()
                    .unwrap_or_else(|| "Verdicts readers".to_owned()),
                partner: s.token_id.is_some(),
                switched_off: s.switched_off,
                counted: s.counted,
                held: s.held,
                rejected: s.rejected,
            })
            .collect())
    }

    /// The counting windows of this tool that held votes, newest first.
    #[graphql(
        complexity = "crate::graphql::query::cost::page(Some(first), None, child_complexity)"
    )]
    async fn windows(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 10, desc = "How many, 1 to 50.")] first: i32,
    ) -> async_graphql::Result<Vec<HeldVoteWindow>> {
        let first = page(first)?;
        Ok(windows_of(ctx, self.tool_id, first)
            .await?
            .into_iter()
            .map(HeldVoteWindow)
            .collect())
    }
}

fn page(first: i32) -> async_graphql::Result<u64> {
    if (1..=50).contains(&first) {
        Ok(first as u64)
    } else {
        Err(AppError::validation(
            "first",
            format!("must be between 1 and 50, got {first}"),
        ))
        .gql()
    }
}

async fn windows_of(
    ctx: &Context<'_>,
    tool_id: i64,
    first: u64,
) -> async_graphql::Result<Vec<HeldWindow>> {
    reads(ctx).tool(tool_id);
    let db = ctx.data_unchecked::<DatabaseConnection>();
    integrity::held_windows(db, Some(tool_id), first, None)
        .await
        .map_err(AppError::from)
        .gql()
}

/// Votes from one source.
#[derive(SimpleObject)]
pub struct VoteSource {
    /// "Verdicts readers" for the site's own, else the partner app's name.
    pub source: String,
    /// Whether a partner app cast these votes for its users.
    pub partner: bool,
    /// Whether an editor switched this partner app's votes off (they are then rejected).
    pub switched_off: bool,
    /// Votes that count.
    pub counted: u64,
    /// Votes held for review.
    pub held: u64,
    /// Votes set aside for good.
    pub rejected: u64,
}

/// What became of a window's held votes.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum HeldWindowStatus {
    /// Votes wait for an editor.
    Pending,
    /// An editor released them: they count.
    Released,
    /// An editor rejected them: they never count.
    Rejected,
    /// No editor decided in time: the rule rejected them.
    Expired,
    /// Some were released, some rejected.
    Mixed,
    /// Their voters withdrew every one before an editor decided.
    Withdrawn,
}

impl From<WindowStatus> for HeldWindowStatus {
    fn from(status: WindowStatus) -> Self {
        match status {
            WindowStatus::Pending => HeldWindowStatus::Pending,
            WindowStatus::Released => HeldWindowStatus::Released,
            WindowStatus::Rejected => HeldWindowStatus::Rejected,
            WindowStatus::Expired => HeldWindowStatus::Expired,
            WindowStatus::Mixed => HeldWindowStatus::Mixed,
            WindowStatus::Withdrawn => HeldWindowStatus::Withdrawn,
        }
    }
}

/// New voters from one client network on one tool in one counting window,
/// more than the rule counts: the votes past the quota were held.
pub struct HeldVoteWindow(pub HeldWindow);

/// New voters from one client network on one tool in one counting window,
/// more than the rule counts: the votes past the quota were held. The
/// network itself is not published.
#[Object]
impl HeldVoteWindow {
    /// The window's id, for editors' decisions.
    async fn id(&self) -> ID {
        ID(self.0.window.id.to_string())
    }

    /// The tool voted on.
    async fn tool(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Tool>> {
        let tool = crate::graphql::types::loaders(ctx)
            .tool
            .load_one(self.0.window.tool_id)
            .await
            .gql()?;
        Ok(tool.filter(|t| t.published_at.is_some()).map(Tool))
    }

    /// When the window began.
    async fn starts_at(&self) -> DateTime<Utc> {
        self.0.started_at()
    }

    /// When the window ended (or ends).
    async fn ends_at(&self, ctx: &Context<'_>) -> DateTime<Utc> {
        self.0.started_at() + Duration::seconds(i64::from(rules(ctx).window_secs))
    }

    /// The first vote seen from the network in the window.
    async fn first_vote_at(&self) -> DateTime<Utc> {
        self.0.window.first_at
    }

    /// The last vote seen from the network in the window.
    async fn last_vote_at(&self) -> DateTime<Utc> {
        self.0.window.last_at
    }

    /// The rule that held the votes, in words.
    async fn rule(&self, ctx: &Context<'_>) -> String {
        rules(ctx).describe()
    }

    /// New voters the network brought to the tool in the window.
    async fn new_voters(&self) -> i64 {
        self.0.window.voters
    }

    /// Of them, votes the rule set aside (held, released, rejected or withdrawn since).
    async fn set_aside(&self) -> i64 {
        self.0.set_aside()
    }

    /// Votes still held.
    async fn held(&self) -> i64 {
        self.0.window.held
    }

    /// Held votes an editor released: they count.
    async fn released(&self) -> i64 {
        self.0.window.released
    }

    /// Held votes rejected, by an editor or by the expiry rule.
    async fn rejected(&self) -> i64 {
        self.0.window.rejected
    }

    /// Set-aside votes their voters withdrew since (the window keeps them
    /// as evidence).
    async fn withdrawn(&self) -> i64 {
        self.0.window.withdrawn
    }

    /// Where it stands.
    async fn status(&self) -> HeldWindowStatus {
        self.0.status().into()
    }

    /// What was decided about it, newest first.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn decisions(&self) -> Vec<VoteDecision> {
        self.0.decisions.iter().cloned().map(VoteDecision).collect()
    }

    /// The client network (an IPv4 address or an IPv6 /64). Editors only:
    /// null for everyone else.
    async fn network(&self, ctx: &Context<'_>) -> Option<String> {
        crate::graphql::auth::editor(ctx)
            .ok()
            .map(|_| self.0.window.network.clone())
    }
}

/// A decision about held votes or about a partner app's votes.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum VoteDecisionKind {
    /// An editor released held votes: they count.
    Release,
    /// An editor rejected held votes.
    Reject,
    /// Held votes no editor decided in time were rejected by rule.
    Expire,
    /// An editor switched a partner app's votes off: they are rejected.
    SourceOff,
    /// An editor switched a partner app's votes back on: they count again.
    SourceOn,
}

/// A decision about held votes or about a partner app's votes, as the
/// ledger shows it.
pub struct VoteDecision(pub vote_decision::Model);

/// A decision about held votes or about a partner app's votes, as the
/// ledger shows it.
#[Object]
impl VoteDecision {
    /// What was decided.
    async fn kind(&self) -> VoteDecisionKind {
        match self.0.decision.as_str() {
            "RELEASE" => VoteDecisionKind::Release,
            "REJECT" => VoteDecisionKind::Reject,
            "SOURCE_OFF" => VoteDecisionKind::SourceOff,
            "SOURCE_ON" => VoteDecisionKind::SourceOn,
            _ => VoteDecisionKind::Expire,
        }
    }

    /// The votes it moved.
    async fn votes(&self) -> i64 {
        self.0.votes
    }

    /// Why, in the editor's words (or the rule's).
    async fn reason(&self) -> &str {
        &self.0.reason
    }

    /// When.
    async fn decided_at(&self) -> DateTime<Utc> {
        self.0.decided_at
    }

    /// Whether an editor decided (false: the expiry rule did).
    async fn by_editor(&self) -> bool {
        self.0.decision != "EXPIRE"
    }

    /// The tool whose votes it moved, when it was about one window.
    async fn tool(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Tool>> {
        let Some(tool_id) = self.0.tool_id else {
            return Ok(None);
        };
        let tool = crate::graphql::types::loaders(ctx)
            .tool
            .load_one(tool_id)
            .await
            .gql()?;
        Ok(tool.filter(|t| t.published_at.is_some()).map(Tool))
    }

    /// The window it was about, by id (null for a partner app's switch).
    async fn window_id(&self) -> Option<ID> {
        self.0.window_id.map(|id| ID(id.to_string()))
    }

    /// The partner app it was about, by name (null for a window).
    async fn source(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        let Some(token_id) = self.0.token_id else {
            return Ok(None);
        };
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(crate::domain::editors::token_names(db, [token_id])
            .await
            .map_err(AppError::from)
            .gql()?
            .remove(&token_id))
    }
}

/// The site-wide integrity ledger: the rule in force, the windows that
/// held votes and the decisions taken, newest first.
#[derive(Default)]
pub struct IntegrityLedger;

/// The site-wide integrity ledger: the rule in force, the windows that
/// held votes and the decisions taken, newest first.
#[Object]
impl IntegrityLedger {
    /// The counting rule, in words.
    async fn rule(&self, ctx: &Context<'_>) -> String {
        rules(ctx).describe()
    }

    /// New voters per network, tool and window that count (0: no rule).
    async fn network_quota(&self, ctx: &Context<'_>) -> u32 {
        rules(ctx).network_quota
    }

    /// The counting window, in seconds.
    async fn window_seconds(&self, ctx: &Context<'_>) -> u32 {
        rules(ctx).window_secs
    }

    /// Days held votes wait for an editor before the rule rejects them (0: no limit).
    async fn held_votes_expire_days(&self, ctx: &Context<'_>) -> u32 {
        rules(ctx).expire_days
    }

    /// Windows that held votes, on every tool, newest first.
    #[graphql(
        complexity = "crate::graphql::query::cost::page(Some(first), None, child_complexity)"
    )]
    async fn windows(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many, 1 to 50.")] first: i32,
        #[graphql(desc = "Only windows older than this one (its `id`), to page on.")]
        before: Option<ID>,
    ) -> async_graphql::Result<Vec<HeldVoteWindow>> {
        let first = page(first)?;
        let before = before.map(|id| parse_id(&id, "before")).transpose()?;
        reads(ctx).read(Read::CommunityScores);
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(integrity::held_windows(db, None, first, before)
            .await
            .map_err(AppError::from)
            .gql()?
            .into_iter()
            .map(HeldVoteWindow)
            .collect())
    }

    /// Decisions, newest first.
    #[graphql(
        complexity = "crate::graphql::query::cost::page(Some(first), None, child_complexity)"
    )]
    async fn decisions(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "How many, 1 to 50.")] first: i32,
    ) -> async_graphql::Result<Vec<VoteDecision>> {
        let first = page(first)?;
        reads(ctx).read(Read::CommunityScores);
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(integrity::decisions(db, first, None)
            .await
            .map_err(AppError::from)
            .gql()?
            .into_iter()
            .map(VoteDecision)
            .collect())
    }
}

/// A plain numeric id (a window's or a token's), or `VALIDATION`.
pub(crate) fn parse_id(id: &ID, field: &'static str) -> async_graphql::Result<i64> {
    id.parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::validation(field, format!("`{}` is not an id", id.as_str())))
        .gql()
}
