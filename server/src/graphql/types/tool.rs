//! `Tool`: a reviewed AI product.

use async_graphql::{Context, Object, SimpleObject};
use entities::tool;

use crate::domain::scores;
use crate::error::{AppError, GqlResultExt};
use crate::graphql::types::{
    loaders, settings, Category, CommunityScore, Comparison, PanelScore, PanelVerdict,
    PricingModel, Review, ScoreSnapshot, Verdict, VoteIntegrity,
};

/// An AI tool under review.
#[derive(Clone)]
pub struct Tool(pub tool::Model);

/// How a tool is priced.
#[derive(SimpleObject)]
pub struct Pricing {
    /// The pricing model.
    pub model: PricingModel,
    /// The short text shown to readers ("Free", "$20/mo").
    pub entry: String,
}

/// What a tool's name typed by a reader refers to.
#[derive(SimpleObject)]
pub struct ToolMatch {
    /// The published tool the name stands for, when exactly one fits best
    /// (its slug, its name, vendor and name, the start of one, or a word in
    /// one, ignoring case); null when none or several do.
    pub tool: Option<Tool>,
    /// When `tool` is null: the published tools that fit equally, or whose
    /// names are a few letters off, closest first (at most five; none when
    /// nothing is near).
    pub suggestions: Vec<Tool>,
}

/// An AI tool under review: what it is, its price and license, and both scores.
#[Object]
impl Tool {
    /// Its global id.
    pub(crate) async fn id(&self) -> async_graphql::ID {
        crate::graphql::types::node::global_id(crate::graphql::types::node::Target::Tool(self.0.id))
    }

    /// URL-safe unique name, as in `/tools/<slug>`.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// Who makes it.
    async fn vendor(&self) -> &str {
        &self.0.vendor
    }

    /// One line on what it is.
    async fn tagline(&self) -> &str {
        &self.0.tagline
    }

    /// A few sentences on what it is.
    async fn description(&self) -> &str {
        &self.0.description
    }

    /// License name, such as "Apache-2.0".
    async fn license(&self) -> &str {
        &self.0.license
    }

    /// The vendor's page for it.
    async fn website_url(&self) -> Option<&str> {
        self.0.website_url.as_deref()
    }

    /// When it was published; null while a draft (only editors see drafts).
    async fn published_at(&self) -> Option<chrono::DateTime<chrono::Utc>> {
        self.0.published_at
    }

    /// Model and entry price.
    async fn pricing(&self) -> Pricing {
        Pricing {
            model: self.0.pricing_model.into(),
            entry: self.0.pricing_entry.clone(),
        }
    }

    /// The category it belongs to.
    async fn category(&self, ctx: &Context<'_>) -> async_graphql::Result<Category> {
        let category = loaders(ctx)
            .category
            .load_one(self.0.category_id)
            .await
            .gql()?;
        category
            .map(Category)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("tool without category")))
            .gql()
    }

    /// The panel's score from published reviews.
    async fn panel(&self, ctx: &Context<'_>) -> async_graphql::Result<PanelScore> {
        let tallies = loaders(ctx).tallies.load_one(self.0.id).await.gql()?;
        Ok(tallies.unwrap_or_default().panel.into())
    }

    /// The panel's top line: SHIP or SKIP when most of its published
    /// reviews say so, SPLIT when as many say each; null before any review.
    async fn panel_verdict(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<PanelVerdict>> {
        let tallies = loaders(ctx).tallies.load_one(self.0.id).await.gql()?;
        Ok(
            crate::domain::comparisons::panel_verdict(tallies.unwrap_or_default().panel)
                .map(Into::into),
        )
    }

    /// How many panel members published a review of it (the panel's
    /// percentage rests on this many verdicts).
    async fn reviewer_count(&self, ctx: &Context<'_>) -> async_graphql::Result<u32> {
        let tallies = loaders(ctx).tallies.load_one(self.0.id).await.gql()?;
        Ok(tallies.unwrap_or_default().panel.total())
    }

    /// The readers' score from their votes.
    async fn community(&self, ctx: &Context<'_>) -> async_graphql::Result<CommunityScore> {
        let tallies = loaders(ctx).tallies.load_one(self.0.id).await.gql()?;
        Ok(scores::CommunityScore {
            tally: tallies.unwrap_or_default().community,
            min_votes: settings(ctx).min_community_votes,
        }
        .into())
    }

    /// The panel's score beside the readers' (critics versus audience): the
    /// gap between them and whether they agree, in numbers and in words.
    /// Null while the tool lacks either score (no published review, or too
    /// few readers' votes).
    async fn panel_versus_readers(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::graphql::types::PanelVersusReaders>> {
        let tallies = loaders(ctx).tallies.load_one(self.0.id).await.gql()?;
        Ok(crate::domain::panel::Versus::of(
            &tallies.unwrap_or_default(),
            settings(ctx).min_community_votes,
        )
        .map(Into::into))
    }

    /// How the readers' votes were counted: what counts, what the counting
    /// rules set aside and why, and votes by source (the integrity ledger).
    async fn integrity(&self, ctx: &Context<'_>) -> async_graphql::Result<VoteIntegrity> {
        let tallies = loaders(ctx).tallies.load_one(self.0.id).await.gql()?;
        Ok(VoteIntegrity {
            tool_id: self.0.id,
            tallies: tallies.unwrap_or_default(),
        })
    }

    /// How the panel's and readers' scores moved: one snapshot per day the
    /// server recorded, oldest first, over the last `days` days.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn score_history(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 90, desc = "How many days back, 1 to 366.")] days: i32,
    ) -> async_graphql::Result<Vec<ScoreSnapshot>> {
        if !(1..=366).contains(&days) {
            return Err(AppError::validation(
                "days",
                format!("must be between 1 and 366, got {days}"),
            ))
            .gql();
        }
        let db = ctx.data_unchecked::<sea_orm::DatabaseConnection>();
        let since = chrono::Utc::now().date_naive() - chrono::Duration::days(i64::from(days) - 1);
        let rows = crate::domain::history::of_tool(db, self.0.id, since)
            .await
            .map_err(AppError::from)
            .gql()?;
        let min_votes = settings(ctx).min_community_votes;
        let count = |n: i32| u32::try_from(n).unwrap_or(0);
        Ok(rows
            .into_iter()
            .map(|row| ScoreSnapshot {
                day: row.day,
                panel: scores::Tally {
                    ship: count(row.panel_ship),
                    skip: count(row.panel_total - row.panel_ship),
                }
                .into(),
                community: scores::CommunityScore {
                    tally: scores::Tally {
                        ship: count(row.community_ship),
                        skip: count(row.community_total - row.community_ship),
                    },
                    min_votes,
                }
                .into(),
            })
            .collect())
    }

    /// The requesting reader's own vote (from the voter cookie); null if they have not voted.
    async fn viewer_vote(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Verdict>> {
        let vote = loaders(ctx).viewer_votes.load_one(self.0.id).await.gql()?;
        Ok(vote.flatten().map(Verdict::from))
    }

    /// The releases editors recorded for this tool, latest first: a review
    /// written before the latest is due for a re-review.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn releases(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::types::ToolRelease>> {
        let releases = loaders(ctx).releases.load_one(self.0.id).await.gql()?;
        Ok(releases
            .unwrap_or_default()
            .into_iter()
            .map(crate::graphql::types::ToolRelease)
            .collect())
    }

    /// Its facts as editors recorded them, in their order ("Parameters":
    /// 3B; "Context window": 128,000 tokens; "Open weights": Yes).
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn facts(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::types::ToolFact>> {
        let facts = loaders(ctx).facts.load_one(self.0.id).await.gql()?;
        Ok(facts
            .unwrap_or_default()
            .into_iter()
            .map(crate::graphql::types::ToolFact)
            .collect())
    }

    /// The latest release editors recorded (the latest day); null when none.
    async fn latest_release(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::graphql::types::ToolRelease>> {
        let releases = loaders(ctx)
            .releases
            .load_one(self.0.id)
            .await
            .gql()?
            .unwrap_or_default();
        Ok(crate::domain::provenance::latest(&releases)
            .cloned()
            .map(crate::graphql::types::ToolRelease))
    }

    /// The panel's published reviews of this tool; with `includeDrafts`
    /// (editors only) their draft reviews too.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn reviews(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false, desc = "Draft reviews too. Editors only.")] include_drafts: bool,
    ) -> async_graphql::Result<Vec<Review>> {
        if include_drafts {
            crate::graphql::auth::editor(ctx)?;
            crate::graphql::types::reads(ctx).everything();
            let db = ctx.data_unchecked::<sea_orm::DatabaseConnection>();
            let reviews = crate::domain::catalogue::reviews::every_of(db, self.0.id)
                .await
                .map_err(AppError::from)
                .gql()?;
            return Ok(reviews.into_iter().map(Review).collect());
        }
        let reviews = loaders(ctx).reviews.load_one(self.0.id).await.gql()?;
        Ok(reviews
            .unwrap_or_default()
            .into_iter()
            .map(Review)
            .collect())
    }

    /// The published comparisons this tool appears in, newest first.
    #[graphql(
        complexity = "crate::graphql::query::cost::list(child_complexity)",
        deprecation = "Use `comparedIn`, a connection that pages and counts."
    )]
    async fn comparisons(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Comparison>> {
        let comparisons = loaders(ctx).comparisons.load_one(self.0.id).await.gql()?;
        Ok(comparisons
            .unwrap_or_default()
            .into_iter()
            .map(Comparison::from_model)
            .collect())
    }

    /// The published comparisons this tool appears in, newest first, a page
    /// at a time.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, last, child_complexity)")]
    async fn compared_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Page size reading forwards, 0 to 100 (20 when neither `first` nor `last` is given). A page of 0 holds no items: `hasNextPage` says whether any follow, and its `endCursor` is the `after` given (null from the start), so paging on from it starts at the same place."
        )]
        first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(
            desc = "Page size reading backwards, 0 to 100. A page of 0 holds no items: `hasPreviousPage` says whether any come before, and its `startCursor` is the `before` given (null from the end)."
        )]
        last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
    ) -> async_graphql::Result<crate::graphql::types::Page<Comparison>> {
        let args = crate::graphql::query::listing::PageArgs {
            first,
            after,
            last,
            before,
        };
        crate::graphql::query::comparison::public_comparisons(ctx, Some(&self.0.slug), None, args)
            .await
    }
}
