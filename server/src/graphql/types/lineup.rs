//! `MultiComparison`: two to four tools side by side (`compareMany`).

use async_graphql::{Context, Object};
use entities::{comparison, tool};

use crate::domain::comparisons::{self, LineupRow};
use crate::error::GqlResultExt;
use crate::graphql::types::{loaders, Comparison, Review, Reviewer, Tool};

/// Two to four published tools side by side, in the order asked.
pub struct MultiComparison {
    tools: Vec<tool::Model>,
    curated: Vec<comparison::Model>,
}

impl MultiComparison {
    /// These tools (in the order asked) and the published comparisons
    /// among them.
    pub fn new(tools: Vec<tool::Model>, curated: Vec<comparison::Model>) -> Self {
        MultiComparison { tools, curated }
    }

    fn ids(&self) -> Vec<i64> {
        self.tools.iter().map(|t| t.id).collect()
    }

    /// The address segment of these tools in this order: `a-vs-b-vs-c`.
    fn joined(tools: &[&tool::Model]) -> String {
        tools
            .iter()
            .map(|t| t.slug.as_str())
            .collect::<Vec<_>>()
            .join("-vs-")
    }
}

/// One panel member's reviews of every tool of a [`MultiComparison`].
pub struct MultiScorecardRow(LineupRow);

/// One panel member's reviews of the tools compared, one cell per tool.
#[Object]
impl MultiScorecardRow {
    /// The panel member.
    async fn reviewer(&self) -> Reviewer {
        Reviewer(self.0.reviewer.clone())
    }

    /// Their review of each tool, in the order of `MultiComparison.tools`
    /// (as many cells as tools); null where they have not reviewed that tool.
    async fn reviews(&self) -> Vec<Option<Review>> {
        self.0
            .reviews
            .iter()
            .cloned()
            .map(|r| r.map(Review))
            .collect()
    }
}

/// Two to four published tools side by side: their cards and scores, the
/// panel's scorecard with one cell per tool, and the curated comparisons
/// among them.
#[Object]
impl MultiComparison {
    /// The address segment of the tools in the order asked:
    /// `/compare/<slug>` is this page (`a-vs-b-vs-c`).
    async fn slug(&self) -> String {
        Self::joined(&self.tools.iter().collect::<Vec<_>>())
    }

    /// The same tools in slug order: the address every order of them shares
    /// (pages name it as their canonical address).
    async fn canonical_slug(&self) -> String {
        let mut sorted: Vec<&tool::Model> = self.tools.iter().collect();
        sorted.sort_by(|a, b| a.slug.cmp(&b.slug));
        Self::joined(&sorted)
    }

    /// "A vs B vs C", in the order asked.
    async fn title(&self) -> String {
        self.tools
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>()
            .join(" vs ")
    }

    /// The tools, in the order asked.
    async fn tools(&self) -> Vec<Tool> {
        self.tools.iter().cloned().map(Tool).collect()
    }

    /// The panel's pick: the tool whose share of SHIP reviews is higher than
    /// every other's; null for a split decision (the top share is shared,
    /// or a tool has no review yet).
    async fn panel_pick(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Tool>> {
        let mut tallies = loaders(ctx).tallies.load_many(self.ids()).await.gql()?;
        let panels: Vec<_> = self
            .tools
            .iter()
            .map(|t| tallies.remove(&t.id).unwrap_or_default().panel)
            .collect();
        Ok(comparisons::panel_pick_of_many(&panels)
            .and_then(|i| self.tools.get(i))
            .cloned()
            .map(Tool))
    }

    /// One row per panel member who reviewed any of the tools, in lens
    /// order, each with one cell per tool.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn scorecard(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<MultiScorecardRow>> {
        let loaders = loaders(ctx);
        let ids = self.ids();
        let mut reviews = loaders.reviews.load_many(ids.clone()).await.gql()?;
        let by_tool: Vec<_> = ids
            .iter()
            .map(|id| reviews.remove(id).unwrap_or_default())
            .collect();
        let reviewer_ids = by_tool.iter().flatten().map(|r| r.reviewer_id);
        let reviewers: Vec<_> = loaders
            .reviewer
            .load_many(reviewer_ids)
            .await
            .gql()?
            .into_values()
            .collect();
        let rows = comparisons::lineup_scorecard(&reviewers, &by_tool);
        // Each cell's history and staleness, loaded now in one statement
        // each (as `Comparison.scorecard` does): cells resolving apart
        // could split a loader's batch.
        let look_ahead = ctx.look_ahead();
        let wants = |field: &str| look_ahead.field("reviews").field(field).exists();
        if wants("history") {
            let review_ids: Vec<i64> = by_tool.iter().flatten().map(|r| r.id).collect();
            loaders.revisions.load_many(review_ids).await.gql()?;
        }
        if wants("stale") {
            loaders.releases.load_many(ids).await.gql()?;
        }
        Ok(rows.into_iter().map(MultiScorecardRow).collect())
    }

    /// The tools' facts side by side, aligned by label: one row per label
    /// any of them has (their categories' suggested labels first, in
    /// order, then the others from A to Z), each with one cell per tool in
    /// the tools' order, null where a tool has none.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn facts(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::types::FactRow>> {
        crate::graphql::types::fact::fact_rows(ctx, &self.ids()).await
    }

    /// The published, curated comparisons of two of these tools (any two,
    /// either order), newest first: each pair's editor's page.
    async fn curated(&self) -> Vec<Comparison> {
        self.curated
            .iter()
            .cloned()
            .map(Comparison::from_model)
            .collect()
    }
}
