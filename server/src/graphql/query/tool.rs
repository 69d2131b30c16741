//! `tool`, `tools`, `reviewer` and `reviewers`.

use async_graphql::{Context, Object};
use entities::{reviewer, tool};
use sea_orm::DatabaseConnection;

use crate::changes::Read;
use crate::domain::catalogue;
use crate::error::GqlResultExt;
use crate::graphql::query::listing::{page_by_slug, PageArgs};
use crate::graphql::query::tool_list::{self, ToolFilter, ToolOrder};
use crate::graphql::types::reads;
use crate::graphql::types::{Category, Page, Reviewer, Tool, ToolMatch};

/// Reads of tools.
#[derive(Default)]
pub struct ToolQuery;

#[Object]
impl ToolQuery {
    /// The panel member with this slug, or null.
    async fn reviewer(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reviewer's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Reviewer>> {
        if !crate::domain::slug::is_slug(&slug) {
            return Ok(None);
        }
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let found = catalogue::reviewers::by_slug(db, &slug).await.gql()?;
        reads(ctx).read(
            found
                .as_ref()
                .map_or(Read::Reviewers, |r| Read::Reviewer(r.id)),
        );
        Ok(found.map(Reviewer))
    }

    /// The expert panel in slug order, a page at a time, optionally those
    /// whose name or slug contains `search`.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, last, child_complexity)")]
    async fn reviewers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Text to look for in name or slug.")] search: Option<String>,
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
    ) -> async_graphql::Result<Page<Reviewer>> {
        reads(ctx).read(Read::Reviewers);
        page_by_slug(
            ctx,
            catalogue::reviewers::list(search.as_deref()),
            (reviewer::Column::Slug, "reviewer"),
            PageArgs {
                first,
                after,
                last,
                before,
            },
            |r| r.slug.clone(),
            Reviewer,
        )
        .await
    }

    /// The category with this slug, or null.
    async fn category(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The category's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Category>> {
        if !crate::domain::slug::is_slug(&slug) {
            return Ok(None);
        }
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let found = catalogue::categories::by_slug(db, &slug).await.gql()?;
        reads(ctx).read(
            found
                .as_ref()
                .map_or(Read::Categories, |c| Read::Category(c.id)),
        );
        Ok(found.map(Category))
    }

    /// The published tool with this slug, or null (editors see drafts too).
    async fn tool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Tool>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let tool = if crate::graphql::auth::editor(ctx).is_ok() {
            catalogue::tools::any(db, &slug).await.gql()?
        } else {
            catalogue::tools::published(db, &slug).await.gql()?
        };
        reads(ctx).read(tool.as_ref().map_or(Read::Tools, |t| Read::Tool(t.id)));
        Ok(tool.map(Tool))
    }

    /// The published tool a name typed by a reader stands for ("copilot",
    /// "Whisper", "GitHub Copilot"), or the closest tools when it stands for
    /// none or for several. A name longer than 100 characters is refused
    /// (`VALIDATION`).
    #[graphql(complexity = 10)]
    async fn match_tool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The name as typed: a slug, a name, vendor and name, or part of one.")]
        name: String,
    ) -> async_graphql::Result<ToolMatch> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let found = crate::domain::tool_names::match_tool(db, &name)
            .await
            .gql()?;
        // Any published tool could be the answer: a change to any name may change it.
        reads(ctx).read(Read::Tools);
        reads(ctx).tools(found.tool.iter().chain(&found.suggestions).map(|t| t.id));
        Ok(ToolMatch {
            tool: found.tool.map(Tool),
            suggestions: found.suggestions.into_iter().map(Tool).collect(),
        })
    }

    /// Published tools, a page at a time: in slug order, or as `orderBy`
    /// says; narrowed by `filter`.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn tools(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Which tools: all published ones when absent.")] filter: Option<
            ToolFilter,
        >,
        #[graphql(desc = "The order; by slug when absent.")] order_by: Option<ToolOrder>,
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
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        tool_list::page(ctx, filter.unwrap_or_default(), order_by, args).await
    }
}

/// Loads, in one statement each, the relations the query asks for on every
/// tool of the page, so the count stays the same whatever the timing of the
/// loaders' batching window.
pub(super) async fn prefetch(ctx: &Context<'_>, rows: &[tool::Model]) -> async_graphql::Result<()> {
    let look_ahead = ctx.look_ahead();
    let edges = look_ahead.field("edges").field("node");
    let nodes = look_ahead.field("nodes");
    let wants = |field: &str| edges.field(field).exists() || nodes.field(field).exists();
    let loaders = crate::graphql::types::loaders(ctx);
    let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
    reads(ctx).tools(ids.iter().copied());
    if wants("category") || wants("panel") || wants("community") {
        // One statement brings every tool's category and tallies with it
        // (`ToolById`), where asking for each would take one statement each.
        loaders.tool.load_many(ids.iter().copied()).await.gql()?;
    }
    if wants("viewerVote") {
        loaders
            .viewer_votes
            .load_many(ids.iter().copied())
            .await
            .gql()?;
    }
    Ok(())
}
