//! `tool`, `tools`, `reviewer` and `reviewers`.

use async_graphql::{
    connection::{Connection, Edge},
    Context, Object,
};
use entities::{reviewer, tool};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::error::{AppError, GqlResultExt};
use crate::graphql::query::cursor;
use crate::graphql::query::listing::{containing, page_by_slug, PageArgs};
use crate::graphql::types::{Reviewer, Tool};

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
        let found = reviewer::Entity::find()
            .filter(reviewer::Column::Slug.eq(slug))
            .one(db)
            .await
            .map_err(AppError::from)
            .gql()?;
        Ok(found.map(Reviewer))
    }

    /// The expert panel in slug order, a page at a time, optionally those
    /// whose name or slug contains `search`.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, child_complexity)")]
    async fn reviewers(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Text to look for in name or slug.")] search: Option<String>,
        #[graphql(default = 20, desc = "Page size, 0 to 100.")] first: i32,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Reviewer>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let mut query = reviewer::Entity::find();
        if let Some(matching) = containing(
            &[reviewer::Column::Name, reviewer::Column::Slug],
            search.as_deref(),
        ) {
            query = query.filter(matching);
        }
        page_by_slug(
            db,
            query,
            (reviewer::Column::Slug, "reviewer"),
            PageArgs { first, after },
            |r| r.slug.clone(),
            Reviewer,
        )
        .await
    }

    /// The published tool with this slug, or null (editors see drafts too).
    async fn tool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Tool>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let tool = if crate::graphql::auth::editor(ctx).is_ok() {
            crate::domain::catalogue::any_tool(db, &slug).await.gql()?
        } else {
            crate::domain::catalogue::published_tool(db, &slug)
                .await
                .gql()?
        };
        Ok(tool.map(Tool))
    }

    /// Published tools in slug order, a page at a time.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, child_complexity)")]
    async fn tools(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "Page size, 0 to 100.")] first: i32,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Tool>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let first = cursor::page_size(first).gql()?;
        let after_slug = after
            .as_deref()
            .map(|c| {
                cursor::decode(c, "tool").and_then(|slug| {
                    if crate::domain::slug::is_slug(&slug) {
                        Ok(slug)
                    } else {
                        Err(AppError::validation("after", "not a cursor of this list"))
                    }
                })
            })
            .transpose()
            .gql()?;
        let mut query = tool::Entity::find()
            .filter(tool::Column::PublishedAt.is_not_null())
            .order_by_asc(tool::Column::Slug)
            .limit(first + 1);
        if let Some(slug) = &after_slug {
            query = query.filter(tool::Column::Slug.gt(slug.as_str()));
        }
        let mut rows = query.all(db).await.map_err(AppError::from).gql()?;
        let has_next = rows.len() as u64 > first;
        rows.truncate(first as usize);
        prefetch(ctx, &rows).await?;
        let mut connection = Connection::new(after_slug.is_some(), has_next);
        connection.edges.extend(
            rows.into_iter()
                .map(|t| Edge::new(cursor::encode("tool", &t.slug), Tool(t))),
        );
        Ok(connection)
    }
}

/// Loads, in one statement each, the relations the query asks for on every
/// tool of the page, so the count stays the same whatever the timing of the
/// loaders' batching window.
async fn prefetch(ctx: &Context<'_>, rows: &[tool::Model]) -> async_graphql::Result<()> {
    let look_ahead = ctx.look_ahead();
    let edges = look_ahead.field("edges").field("node");
    let nodes = look_ahead.field("nodes");
    let wants = |field: &str| edges.field(field).exists() || nodes.field(field).exists();
    let loaders = crate::graphql::types::loaders(ctx);
    let ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
    if wants("category") {
        let categories: Vec<i64> = rows.iter().map(|t| t.category_id).collect();
        loaders.category.load_many(categories).await.gql()?;
    }
    if wants("panel") {
        loaders.panel.load_many(ids.iter().copied()).await.gql()?;
    }
    if wants("community") {
        loaders
            .community
            .load_many(ids.iter().copied())
            .await
            .gql()?;
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
