//! `Review`, `Reviewer` and `Category`.

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};
use entities::{category, review, reviewer};

use crate::error::{AppError, GqlResultExt};
use crate::graphql::types::node::{global_id, Target};
use crate::graphql::types::{
    loaders, settings, Lens, Page, ReviewRevision, ReviewStaleness, Tool, Verdict,
};

/// A shelf of tools ("Developer Tools").
#[derive(Clone)]
pub struct Category(pub category::Model);

/// A shelf of tools, such as "Developer Tools".
#[Object]
impl Category {
    /// Its global id.
    pub(crate) async fn id(&self) -> async_graphql::ID {
        global_id(Target::Category(self.0.id))
    }

    /// URL-safe unique name.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Display name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The fact labels editors suggest for its tools, in order, each with
    /// the kind and unit its values take: comparable tools carry comparable
    /// facts, and facts tables list these labels first.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn suggested_facts(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::graphql::types::SuggestedFact>> {
        let labels = crate::graphql::types::loaders(ctx)
            .suggested_facts
            .load_one(self.0.id)
            .await
            .gql()?;
        Ok(labels
            .unwrap_or_default()
            .into_iter()
            .map(crate::graphql::types::SuggestedFact)
            .collect())
    }
}

/// A member of the expert panel.
#[derive(Clone)]
pub struct Reviewer(pub reviewer::Model);

/// A member of the expert panel, judging every tool through one lens.
#[Object]
impl Reviewer {
    /// Its global id.
    pub(crate) async fn id(&self) -> async_graphql::ID {
        global_id(Target::Reviewer(self.0.id))
    }

    /// URL-safe unique name.
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    /// Full name.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The angle they judge every tool from.
    async fn lens(&self) -> Lens {
        self.0.lens.into()
    }

    /// Who they are and what they look for.
    async fn bio(&self) -> &str {
        &self.0.bio
    }

    /// Their published reviews of published tools, oldest first, a page at a time.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, last, child_complexity)")]
    async fn reviews(
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
    ) -> async_graphql::Result<Page<Review>> {
        use crate::graphql::query::listing::{keyset_page, wants_total, Keyset, PageArgs, TieKind};
        use sea_orm::sea_query::Expr;
        let db = ctx.data_unchecked::<sea_orm::DatabaseConnection>();
        // Their reviews, and whether each one's tool is published.
        crate::graphql::types::reads(ctx).all([
            crate::changes::Read::Reviewer(self.0.id),
            crate::changes::Read::Tools,
        ]);
        let query = crate::domain::catalogue::reviews::public_by(self.0.id);
        let keyset = Keyset {
            primary: None,
            tiebreak: Expr::col((review::Entity, review::Column::Id)),
            tie_kind: TieKind::Id,
        };
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        let window = args.window("reviews").gql()?;
        keyset_page(
            db,
            query,
            &keyset,
            (window, "reviews"),
            wants_total(ctx),
            |r: &review::Model| r.id.to_string(),
            Review,
            async |_| Ok(()),
        )
        .await
    }
}

/// One reviewer's verdict and text on one tool.
#[derive(Clone)]
pub struct Review(pub review::Model);

/// One reviewer's SHIP or SKIP on one tool, with the reasoning.
#[Object]
impl Review {
    /// Its global id.
    pub(crate) async fn id(&self) -> async_graphql::ID {
        global_id(Target::Review(self.0.id))
    }

    /// SHIP or SKIP.
    async fn verdict(&self) -> Verdict {
        self.0.verdict.into()
    }

    /// The reviewer's reasoning.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// When it was published.
    async fn published_at(&self) -> Option<DateTime<Utc>> {
        self.0.published_at
    }

    /// The day it was written, `YYYY-MM-DD` (UTC).
    async fn reviewed_on(&self) -> String {
        self.0.reviewed_on.to_string()
    }

    /// The tool's version or release it judged, as the reviewer named it
    /// ("v2.1", "2026-10 release"); null when they named none.
    async fn judged_version(&self) -> Option<&str> {
        self.0.judged_version.as_deref()
    }

    /// Why it is due for a re-review, if it is: older than the site's
    /// re-review age, or written before a release the editors recorded for
    /// the tool. Null while it is current. Its verdict counts either way.
    async fn stale(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<ReviewStaleness>> {
        let releases = loaders(ctx)
            .releases
            .load_one(self.0.tool_id)
            .await
            .gql()?
            .unwrap_or_default();
        let max_age_days = settings(ctx).review_stale_days;
        Ok(crate::domain::provenance::staleness(
            self.0.reviewed_on,
            crate::domain::provenance::latest(&releases),
            crate::domain::provenance::today(),
            max_age_days,
        )
        .map(|staleness| ReviewStaleness {
            staleness,
            max_age_days,
        }))
    }

    /// The verdicts it gave before its reviewer changed it, newest first,
    /// each with the reasoning of the time; empty when it never changed.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn history(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ReviewRevision>> {
        crate::graphql::types::reads(ctx).all([crate::changes::Read::Tool(self.0.tool_id)]);
        let revisions = loaders(ctx)
            .revisions
            .load_one(self.0.id)
            .await
            .gql()?
            .unwrap_or_default();
        Ok(revisions.into_iter().map(ReviewRevision::from).collect())
    }

    /// Who wrote it.
    async fn reviewer(&self, ctx: &Context<'_>) -> async_graphql::Result<Reviewer> {
        let reviewer = loaders(ctx)
            .reviewer
            .load_one(self.0.reviewer_id)
            .await
            .gql()?;
        reviewer
            .map(Reviewer)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("review without reviewer")))
            .gql()
    }

    /// The tool it judges.
    async fn tool(&self, ctx: &Context<'_>) -> async_graphql::Result<Tool> {
        let tool = loaders(ctx).tool.load_one(self.0.tool_id).await.gql()?;
        tool.map(Tool)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("review without tool")))
            .gql()
    }
}
