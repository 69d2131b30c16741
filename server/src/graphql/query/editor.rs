//! `me`, `apiTokens` and `voteAnomalies`: reads for signed-in editors.

use async_graphql::{Context, Object, SimpleObject};
use chrono::{Duration, Utc};
use entities::{audit_entry, category, comparison, tool, vote_anomaly};
use sea_orm::{sea_query::Expr, DatabaseConnection, EntityTrait};

use crate::domain::{catalogue, desk, editors};
use crate::error::{AppError, GqlResultExt};
use crate::graphql::auth;
use crate::graphql::query::listing::{page_by_slug, PageArgs};
use crate::graphql::types::{
    ApiToken, AuditEntry, Category, Comparison, Editor, Page, Review, Tool, VoteAnomaly,
};

/// Reads about the signed-in editor.
#[derive(Default)]
pub struct EditorQuery;

/// How big the catalogue is, drafts included.
#[derive(SimpleObject)]
pub struct CatalogueStats {
    /// Tools, drafts included.
    pub tools: u64,
    /// Comparisons, drafts included.
    pub comparisons: u64,
    /// Reviews.
    pub reviews: u64,
    /// Readers' votes.
    pub votes: u64,
    /// Readers' picks.
    pub picks: u64,
}

/// What waits to be published.
pub struct Drafts;

/// Readers' votes on one tool within a recent window.
#[derive(SimpleObject)]
pub struct ToolVoteActivity {
    /// The tool.
    pub tool: Tool,
    /// Votes cast or changed to SHIP.
    pub ship: u64,
    /// Votes cast or changed to SKIP.
    pub skip: u64,
    /// Votes withdrawn.
    pub withdrawn: u64,
    /// All of the above.
    pub total: u64,
}

/// What waits to be published.
#[Object]
impl Drafts {
    /// Draft tools, by slug.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn tools(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Tool>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = desk::draft_tools(db).await.gql()?;
        Ok(rows.into_iter().map(Tool).collect())
    }

    /// Draft comparisons, by slug.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn comparisons(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Comparison>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = desk::draft_comparisons(db).await.gql()?;
        Ok(rows.into_iter().map(Comparison::from_model).collect())
    }
}

#[Object]
impl EditorQuery {
    /// The signed-in editor, or null.
    async fn me(&self, ctx: &Context<'_>) -> Option<Editor> {
        auth::editor(ctx).ok().map(|e| Editor(e.clone()))
    }

    /// The re-review queue: published reviews due for a re-review (older
    /// than the site's re-review age, or written before a release recorded
    /// for their tool), oldest first. Editors only.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn reviews_due(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, desc = "How many, 1 to 100.")] first: i32,
    ) -> async_graphql::Result<Vec<Review>> {
        auth::editor(ctx)?;
        if !(1..=100).contains(&first) {
            return Err(AppError::validation(
                "first",
                format!("must be between 1 and 100, got {first}"),
            ))
            .gql();
        }
        // Which reviews are due changes with any review or release.
        crate::graphql::types::reads(ctx).everything();
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let reviews = crate::domain::provenance::due_reviews(
            db,
            crate::domain::provenance::today(),
            crate::graphql::types::settings(ctx).review_stale_days,
            u64::try_from(first).unwrap_or(50),
        )
        .await
        .map_err(AppError::from)
        .gql()?;
        Ok(reviews.into_iter().map(Review).collect())
    }

    /// The signed-in editor's API tokens, newest first. Editors only.
    #[graphql(complexity = "crate::graphql::query::cost::list(child_complexity)")]
    async fn api_tokens(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiToken>> {
        let editor = auth::editor(ctx)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let tokens = editors::api_tokens(db, editor.id).await.gql()?;
        Ok(tokens.into_iter().map(ApiToken).collect())
    }

    /// Every tool, drafts included, in slug order, optionally those whose
    /// name, vendor or slug contains `search`. Editors only.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn all_tools(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Text to look for in name, vendor or slug.")] search: Option<String>,
        #[graphql(desc = "Only published tools (true) or only drafts (false); both when absent.")]
        published: Option<bool>,
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
    ) -> async_graphql::Result<Page<Tool>> {
        auth::editor(ctx)?;
        page_by_slug(
            ctx,
            desk::all_tools(published, search.as_deref()),
            (tool::Column::Slug, "all-tools"),
            PageArgs {
                first,
                after,
                last,
                before,
            },
            |t| t.slug.clone(),
            Tool,
        )
        .await
    }

    /// Every comparison, drafts included, in slug order, optionally those
    /// whose title or slug contains `search`. Editors only.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn all_comparisons(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Text to look for in title or slug.")] search: Option<String>,
        #[graphql(
            desc = "Only published comparisons (true) or only drafts (false); both when absent."
        )]
        published: Option<bool>,
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
    ) -> async_graphql::Result<Page<Comparison>> {
        auth::editor(ctx)?;
        page_by_slug(
            ctx,
            desk::all_comparisons(published, search.as_deref()),
            (comparison::Column::Slug, "all-comparisons"),
            PageArgs {
                first,
                after,
                last,
                before,
            },
            |c| c.slug.clone(),
            Comparison::from_model,
        )
        .await
    }

    /// The tools readers voted on most in the last `hours`, busiest first,
    /// with what they voted. Editors only.
    #[graphql(
        complexity = "crate::graphql::query::cost::page(Some(first), None, child_complexity)"
    )]
    async fn recent_vote_activity(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 24, desc = "The window, 1 to 720 hours.")] hours: i32,
        #[graphql(default = 10, desc = "How many tools, 0 to 100.")] first: i32,
    ) -> async_graphql::Result<Vec<ToolVoteActivity>> {
        auth::editor(ctx)?;
        if !(1..=720).contains(&hours) {
            return Err(AppError::validation(
                "hours",
                format!("must be between 1 and 720, got {hours}"),
            ))
            .gql();
        }
        let first = crate::graphql::query::cursor::page_size(first).gql()? as usize;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let since = Utc::now() - Duration::hours(i64::from(hours));
        let activity = desk::vote_activity(db, since, first).await.gql()?;
        Ok(activity
            .into_iter()
            .map(|a| ToolVoteActivity {
                tool: Tool(a.tool),
                ship: a.ship,
                skip: a.skip,
                withdrawn: a.withdrawn,
                total: a.total,
            })
            .collect())
    }

    /// Every category, by name.
    #[graphql(
        complexity = "crate::graphql::query::cost::list(child_complexity)",
        deprecation = "Use `allCategories`, a connection that pages and counts."
    )]
    async fn categories(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Category>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = catalogue::categories::all_by_name(db).await.gql()?;
        let reads = crate::graphql::types::reads(ctx);
        reads.read(crate::changes::Read::Categories);
        reads.all(rows.iter().map(|c| crate::changes::Read::Category(c.id)));
        Ok(rows.into_iter().map(Category).collect())
    }

    /// The categories in slug order, a page at a time.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, last, child_complexity)")]
    async fn all_categories(
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
    ) -> async_graphql::Result<Page<Category>> {
        let reads = crate::graphql::types::reads(ctx);
        reads.read(crate::changes::Read::Categories);
        page_by_slug(
            ctx,
            catalogue::categories::list(),
            (category::Column::Slug, "category"),
            PageArgs {
                first,
                after,
                last,
                before,
            },
            |c| c.slug.clone(),
            |c| {
                reads.read(crate::changes::Read::Category(c.id));
                Category(c)
            },
        )
        .await
    }

    /// What waits to be published. Editors only.
    #[graphql(
        deprecation = "Use `allTools(published: false)` and `allComparisons(published: false)`, connections that page and count."
    )]
    async fn drafts(&self, ctx: &Context<'_>) -> async_graphql::Result<Drafts> {
        auth::editor(ctx)?;
        Ok(Drafts)
    }

    /// How big the catalogue is. Editors only.
    async fn catalogue_stats(&self, ctx: &Context<'_>) -> async_graphql::Result<CatalogueStats> {
        auth::editor(ctx)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let stats = desk::stats(db).await.gql()?;
        Ok(CatalogueStats {
            tools: stats.tools,
            comparisons: stats.comparisons,
            reviews: stats.reviews,
            votes: stats.votes,
            picks: stats.picks,
        })
    }

    /// Editors' changes, newest first. Editors only.
    #[graphql(
        complexity = "crate::graphql::query::cost::page(Some(first), None, child_complexity)",
        deprecation = "Use `auditEntries`, a connection that pages back through every change."
    )]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, desc = "How many, 1 to 100.")] first: i32,
    ) -> async_graphql::Result<Vec<AuditEntry>> {
        auth::editor(ctx)?;
        let first = crate::graphql::query::cursor::page_size(first).gql()?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = desk::latest_audit(db, first).await.gql()?;
        Ok(rows.into_iter().map(AuditEntry).collect())
    }

    /// Editors' changes, newest first, a page at a time. Editors only.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, last, child_complexity)")]
    async fn audit_entries(
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
    ) -> async_graphql::Result<Page<AuditEntry>> {
        auth::editor(ctx)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        newest_first(
            ctx,
            desk::audit_entries(),
            Expr::col((audit_entry::Entity, audit_entry::Column::Id)),
            ("audit", args),
            |a: &audit_entry::Model| a.id,
            AuditEntry,
        )
        .await
    }

    /// Unusual voting noticed, newest first, a page at a time. Editors only.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, last, child_complexity)")]
    async fn anomalies(
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
    ) -> async_graphql::Result<Page<VoteAnomaly>> {
        auth::editor(ctx)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        newest_first(
            ctx,
            desk::anomalies(),
            Expr::col((vote_anomaly::Entity, vote_anomaly::Column::Id)),
            ("anomalies", args),
            |a: &vote_anomaly::Model| a.id,
            VoteAnomaly,
        )
        .await
    }

    /// Unusual voting noticed (rate limits passed, bursts), newest first. Editors only.
    #[graphql(
        complexity = "crate::graphql::query::cost::page(Some(first), None, child_complexity)",
        deprecation = "Use `anomalies`, a connection that pages back through every one."
    )]
    async fn vote_anomalies(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, desc = "How many, 1 to 100.")] first: i32,
    ) -> async_graphql::Result<Vec<VoteAnomaly>> {
        auth::editor(ctx)?;
        let first = crate::graphql::query::cursor::page_size(first).gql()?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = desk::latest_anomalies(db, first).await.gql()?;
        Ok(rows.into_iter().map(VoteAnomaly).collect())
    }
}

/// A page of an append-only log, newest first (by primary key).
pub(crate) async fn newest_first<E, N>(
    ctx: &Context<'_>,
    query: sea_orm::Select<E>,
    id: sea_orm::sea_query::SimpleExpr,
    (kind, args): (&str, PageArgs),
    id_of: impl Fn(&E::Model) -> i64,
    wrap: impl Fn(E::Model) -> N,
) -> async_graphql::Result<Page<N>>
where
    E: EntityTrait,
    E::Model: sea_orm::FromQueryResult + Send + Sync,
    N: async_graphql::OutputType + Clone,
    crate::graphql::types::page::Edge<N>: async_graphql::OutputType,
{
    use crate::graphql::query::listing::{keyset_page, wants_total, KeyKind, Keyset, TieKind};
    let db = ctx.data_unchecked::<DatabaseConnection>();
    let keyset = Keyset {
        primary: Some((id.clone(), true, KeyKind::Int)),
        tiebreak: id,
        tie_kind: TieKind::Id,
    };
    let window = args.window(kind).gql()?;
    keyset_page(
        db,
        query,
        &keyset,
        (window, kind),
        wants_total(ctx),
        |row: &E::Model| {
            let id = id_of(row).to_string();
            Keyset::position(Some(id.clone()), &id)
        },
        wrap,
        async |_| Ok(()),
    )
    .await
}
