//! `Comparison`: two tools side by side, curated by an editor or asked for ad hoc.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entities::{comparison, pick, tool};

use crate::domain::comparisons::{self, Split};
use crate::error::{AppError, GqlResultExt};
use crate::graphql::types::{
    loaders, reads, settings, HeadToHead, PanelPickSide, Review, Reviewer, Tool,
};

/// Two tools compared: the editor's words when curated, always the panel's scorecard.
#[derive(Clone)]
pub struct Comparison {
    /// The curated comparison's row; none when ad hoc.
    id: Option<i64>,
    slug: String,
    title: String,
    summary: Option<String>,
    curated: bool,
    left_id: i64,
    right_id: i64,
    published_at: Option<DateTime<Utc>>,
    verdict_line: Option<String>,
    byline: Option<String>,
    updated_at: Option<DateTime<Utc>>,
}

impl Comparison {
    /// An editor's comparison.
    pub fn from_model(model: comparison::Model) -> Self {
        Comparison {
            id: Some(model.id),
            slug: model.slug,
            title: model.title,
            summary: Some(model.summary),
            curated: true,
            left_id: model.left_tool_id,
            right_id: model.right_tool_id,
            published_at: model.published_at,
            verdict_line: model.verdict_line,
            byline: model.byline,
            updated_at: model.updated_at,
        }
    }

    /// Any two tools, without an editor's title or summary.
    pub fn ad_hoc(left: &tool::Model, right: &tool::Model) -> Self {
        Comparison {
            id: None,
            slug: format!("{}-vs-{}", left.slug, right.slug),
            title: format!("{} vs {}", left.name, right.name),
            summary: None,
            curated: false,
            left_id: left.id,
            right_id: right.id,
            published_at: None,
            verdict_line: None,
            byline: None,
            updated_at: None,
        }
    }

    async fn tool(&self, ctx: &Context<'_>, id: i64) -> async_graphql::Result<Tool> {
        let tool = loaders(ctx).tool.load_one(id).await.gql()?;
        tool.map(Tool)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("comparison without tool {id}")))
            .gql()
    }

    async fn rows(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<comparisons::ScorecardRow>> {
        let loaders = loaders(ctx);
        let mut reviews = loaders
            .reviews
            .load_many([self.left_id, self.right_id])
            .await
            .gql()?;
        let left = reviews.remove(&self.left_id).unwrap_or_default();
        let right = reviews.remove(&self.right_id).unwrap_or_default();
        let reviewer_ids = left.iter().chain(&right).map(|r| r.reviewer_id);
        let reviewers: Vec<_> = loaders
            .reviewer
            .load_many(reviewer_ids)
            .await
            .gql()?
            .into_values()
            .collect();
        Ok(comparisons::scorecard(&reviewers, &left, &right))
    }
}

/// One reviewer's reviews of both tools.
pub struct ScorecardRow(comparisons::ScorecardRow);

/// One reviewer's reviews of both tools of a comparison.
#[Object]
impl ScorecardRow {
    /// The panel member.
    async fn reviewer(&self) -> Reviewer {
        Reviewer(self.0.reviewer.clone())
    }

    /// Their review of the left tool; null if they have not reviewed it.
    async fn left(&self) -> Option<Review> {
        self.0.left.clone().map(Review)
    }

    /// Their review of the right tool; null if they have not reviewed it.
    async fn right(&self) -> Option<Review> {
        self.0.right.clone().map(Review)
    }
}

/// The panel's pick between the two tools of a comparison.
pub struct PanelPick {
    side: comparisons::PanelPick,
    tool: Option<i64>,
}

/// Which tool the panel favours: the one with the higher share of SHIP
/// reviews; a split decision when the shares are equal or a tool has no
/// review yet.
#[Object]
impl PanelPick {
    /// LEFT or RIGHT, or SPLIT for a split decision.
    async fn side(&self) -> PanelPickSide {
        self.side.into()
    }

    /// The tool picked; null for a split decision.
    async fn tool(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Tool>> {
        let Some(id) = self.tool else {
            return Ok(None);
        };
        Ok(loaders(ctx).tool.load_one(id).await.gql()?.map(Tool))
    }
}

/// How the reviewers who judged both tools split.
#[derive(SimpleObject)]
pub struct ReviewerSplit {
    /// Reviewers who ship both.
    pub both_ship: u32,
    /// Reviewers who ship only the left tool.
    pub only_left: u32,
    /// Reviewers who ship only the right tool.
    pub only_right: u32,
    /// Reviewers who ship neither.
    pub neither: u32,
}

impl From<Split> for ReviewerSplit {
    fn from(split: Split) -> Self {
        ReviewerSplit {
            both_ship: split.both_ship,
            only_left: split.only_left,
            only_right: split.only_right,
            neither: split.neither,
        }
    }
}

/// Two tools side by side: the editor's words when curated, always the panel's scorecard.
#[Object]
impl Comparison {
    /// Its global id (ad hoc comparisons have one too).
    pub(crate) async fn id(&self) -> async_graphql::ID {
        use crate::graphql::types::node::{global_id, Target};
        match self.id {
            Some(id) => global_id(Target::Comparison(id)),
            None => global_id(Target::Pair(self.left_id, self.right_id)),
        }
    }

    /// Its address: `/compare/<slug>`; `<left>-vs-<right>` when ad hoc.
    async fn slug(&self) -> &str {
        &self.slug
    }

    /// The editor's title, or "Left vs Right".
    async fn title(&self) -> &str {
        &self.title
    }

    /// The editor's summary; null when ad hoc.
    async fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }

    /// Whether an editor published this comparison (else it was asked for ad hoc).
    async fn curated(&self) -> bool {
        self.curated
    }

    /// When the editor published it; null when ad hoc.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.published_at
    }

    /// The editor's one-line verdict; null when ad hoc or not written.
    async fn verdict_line(&self) -> Option<&str> {
        self.verdict_line.as_deref()
    }

    /// Who wrote the verdict (the editor's byline); null when ad hoc or unsigned.
    async fn byline(&self) -> Option<&str> {
        self.byline.as_deref()
    }

    /// When an editor last changed it (its fields; publishing aside); null
    /// when ad hoc.
    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.updated_at
    }

    /// The panel's pick: the tool with the higher share of SHIP reviews,
    /// or a split decision (equal shares, or a tool not yet reviewed).
    async fn panel_pick(&self, ctx: &Context<'_>) -> async_graphql::Result<PanelPick> {
        let mut tallies = loaders(ctx)
            .tallies
            .load_many([self.left_id, self.right_id])
            .await
            .gql()?;
        let mut panel = |id| tallies.remove(&id).unwrap_or_default().panel;
        let side = comparisons::panel_pick(panel(self.left_id), panel(self.right_id));
        let tool = match side {
            comparisons::PanelPick::Left => Some(self.left_id),
            comparisons::PanelPick::Right => Some(self.right_id),
            comparisons::PanelPick::Split => None,
        };
        Ok(PanelPick { side, tool })
    }

    /// Other published comparisons to read next: those sharing a tool with
    /// this one first, then those of a tool in either tool's category,
    /// newest first within each.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn related(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "How many, 1 to 12 (6 when not given).", default = 6)] first: i32,
    ) -> async_graphql::Result<Vec<Comparison>> {
        let limit = u64::try_from(first)
            .ok()
            .filter(|n| (1..=12).contains(n))
            .ok_or_else(|| AppError::validation("first", "must be 1 to 12"))
            .gql()?;
        let db = ctx.data_unchecked::<sea_orm::DatabaseConnection>();
        // Which comparisons are public depends on their tools' publication,
        // and the categories on the tools' rows.
        reads(ctx).all([
            crate::changes::Read::Comparisons,
            crate::changes::Read::Tools,
        ]);
        let related = crate::domain::catalogue::comparisons::related(
            db,
            self.id,
            self.left_id,
            self.right_id,
            limit,
        )
        .await
        .gql()?;
        for c in &related {
            reads(ctx).comparison(c.id, c.left_tool_id, c.right_tool_id);
        }
        Ok(related.into_iter().map(Comparison::from_model).collect())
    }

    /// The tool on the left.
    async fn left(&self, ctx: &Context<'_>) -> async_graphql::Result<Tool> {
        self.tool(ctx, self.left_id).await
    }

    /// The tool on the right.
    async fn right(&self, ctx: &Context<'_>) -> async_graphql::Result<Tool> {
        self.tool(ctx, self.right_id).await
    }

    /// One row per reviewer who reviewed either tool, in lens order.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn scorecard(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScorecardRow>> {
        let rows = self.rows(ctx).await?;
        // Each cell's history and staleness, loaded now in one statement
        // each: cells resolving over a longer time than the loaders'
        // batching window would otherwise split a batch (a statement more
        // on a busy server).
        let look_ahead = ctx.look_ahead();
        let wants = |field: &str| {
            look_ahead.field("left").field(field).exists()
                || look_ahead.field("right").field(field).exists()
        };
        let loaders = loaders(ctx);
        if wants("history") {
            let ids: Vec<i64> = rows
                .iter()
                .flat_map(|row| [row.left.as_ref(), row.right.as_ref()])
                .flatten()
                .map(|review| review.id)
                .collect();
            loaders.revisions.load_many(ids).await.gql()?;
        }
        if wants("stale") {
            loaders
                .releases
                .load_many([self.left_id, self.right_id])
                .await
                .gql()?;
        }
        Ok(rows.into_iter().map(ScorecardRow).collect())
    }

    /// The readers' picks between the two tools. Picks belong to the pair,
    /// whichever order it is asked in: a curated comparison and its pair's
    /// ad hoc page show the same picks. Never null (kept nullable for
    /// older clients).
    async fn head_to_head(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<HeadToHead>> {
        let picks = loaders(ctx)
            .picks
            .load_one(pick::pair(self.left_id, self.right_id))
            .await
            .gql()?
            .unwrap_or_default();
        let count = |tool: i64| picks.get(&tool).copied().unwrap_or(0);
        Ok(Some(HeadToHead::new(
            count(self.left_id),
            count(self.right_id),
            settings(ctx).min_community_votes,
        )))
    }

    /// The tool the requesting reader picked between the two (from the
    /// voter cookie); null if they have not picked.
    async fn viewer_pick(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Tool>> {
        let pair = pick::pair(self.left_id, self.right_id);
        match loaders(ctx).viewer_picks.load_one(pair).await.gql()? {
            Some(tool_id) => Ok(Some(self.tool(ctx, tool_id).await?)),
            None => Ok(None),
        }
    }

    /// The two tools' facts side by side, aligned by label: one row per
    /// label either tool has (their category's suggested labels first, in
    /// its order, then the others from A to Z), each with a cell for the
    /// left tool and one for the right, null where a tool has none.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn facts(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::types::FactRow>> {
        crate::graphql::types::fact::fact_rows(ctx, &[self.left_id, self.right_id]).await
    }

    /// How the reviewers who judged both tools split.
    async fn split(&self, ctx: &Context<'_>) -> async_graphql::Result<ReviewerSplit> {
        Ok(comparisons::split(&self.rows(ctx).await?).into())
    }
}
