//! `me`, `apiTokens` and `voteAnomalies`: reads for signed-in editors.

use async_graphql::{
    connection::{Connection, Edge},
    Context, Object, SimpleObject,
};
use entities::{audit_entry, category, comparison, pick, review, tool, vote, vote_anomaly};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Func},
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::domain::editors;
use crate::error::{AppError, GqlResultExt};
use crate::graphql::auth;
use crate::graphql::types::{
    ApiToken, AuditEntry, Category, Comparison, Editor, Tool, VoteAnomaly,
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

/// What waits to be published.
#[Object]
impl Drafts {
    /// Draft tools, by slug.
    async fn tools(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Tool>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = tool::Entity::find()
            .filter(tool::Column::PublishedAt.is_null())
            .order_by_asc(tool::Column::Slug)
            .all(db)
            .await
            .map_err(AppError::from)
            .gql()?;
        Ok(rows.into_iter().map(Tool).collect())
    }

    /// Draft comparisons, by slug.
    async fn comparisons(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Comparison>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = comparison::Entity::find()
            .filter(comparison::Column::PublishedAt.is_null())
            .order_by_asc(comparison::Column::Slug)
            .all(db)
            .await
            .map_err(AppError::from)
            .gql()?;
        Ok(rows.into_iter().map(Comparison::from_model).collect())
    }
}

#[Object]
impl EditorQuery {
    /// The signed-in editor, or null.
    async fn me(&self, ctx: &Context<'_>) -> Option<Editor> {
        auth::editor(ctx).ok().map(|e| Editor(e.clone()))
    }

    /// The signed-in editor's API tokens, newest first. Editors only.
    async fn api_tokens(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiToken>> {
        let editor = auth::editor(ctx)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let tokens = editors::api_tokens(db, editor.id).await.gql()?;
        Ok(tokens.into_iter().map(ApiToken).collect())
    }

    /// Every tool, drafts included, in slug order, optionally those whose
    /// name, vendor or slug contains `search`. Editors only.
    async fn all_tools(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Text to look for in name, vendor or slug.")] search: Option<String>,
        #[graphql(default = 20, desc = "Page size, 0 to 100.")] first: i32,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Tool>> {
        auth::editor(ctx)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let first = crate::graphql::query::cursor::page_size(first).gql()?;
        let after_slug = after
            .as_deref()
            .map(|c| crate::graphql::query::cursor::decode(c, "all-tools"))
            .transpose()
            .gql()?;
        let mut query = tool::Entity::find()
            .order_by_asc(tool::Column::Slug)
            .limit(first + 1);
        if let Some(slug) = &after_slug {
            query = query.filter(tool::Column::Slug.gt(slug.as_str()));
        }
        if let Some(text) = search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            let pattern = format!("%{}%", text.to_lowercase().replace(['%', '_'], ""));
            query = query.filter(
                Condition::any()
                    .add(
                        Expr::expr(Func::lower(Expr::col(tool::Column::Name)))
                            .like(pattern.as_str()),
                    )
                    .add(
                        Expr::expr(Func::lower(Expr::col(tool::Column::Vendor)))
                            .like(pattern.as_str()),
                    )
                    .add(tool::Column::Slug.like(pattern.as_str())),
            );
        }
        let mut rows = query.all(db).await.map_err(AppError::from).gql()?;
        let has_next = rows.len() as u64 > first;
        rows.truncate(first as usize);
        let mut connection = Connection::new(after_slug.is_some(), has_next);
        connection.edges.extend(rows.into_iter().map(|t| {
            Edge::new(
                crate::graphql::query::cursor::encode("all-tools", &t.slug),
                Tool(t),
            )
        }));
        Ok(connection)
    }

    /// Every category, by name (for the editors' forms).
    async fn categories(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Category>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = category::Entity::find()
            .order_by_asc(category::Column::Name)
            .all(db)
            .await
            .map_err(AppError::from)
            .gql()?;
        Ok(rows.into_iter().map(Category).collect())
    }

    /// What waits to be published. Editors only.
    async fn drafts(&self, ctx: &Context<'_>) -> async_graphql::Result<Drafts> {
        auth::editor(ctx)?;
        Ok(Drafts)
    }

    /// How big the catalogue is. Editors only.
    async fn catalogue_stats(&self, ctx: &Context<'_>) -> async_graphql::Result<CatalogueStats> {
        auth::editor(ctx)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let count = |n: Result<u64, sea_orm::DbErr>| n.map_err(AppError::from).gql();
        Ok(CatalogueStats {
            tools: count(tool::Entity::find().count(db).await)?,
            comparisons: count(comparison::Entity::find().count(db).await)?,
            reviews: count(review::Entity::find().count(db).await)?,
            votes: count(vote::Entity::find().count(db).await)?,
            picks: count(pick::Entity::find().count(db).await)?,
        })
    }

    /// Editors' changes, newest first. Editors only.
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, desc = "How many, 1 to 100.")] first: i32,
    ) -> async_graphql::Result<Vec<AuditEntry>> {
        auth::editor(ctx)?;
        let first = crate::graphql::query::cursor::page_size(first).gql()?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = audit_entry::Entity::find()
            .order_by_desc(audit_entry::Column::Id)
            .limit(first)
            .all(db)
            .await
            .map_err(AppError::from)
            .gql()?;
        Ok(rows.into_iter().map(AuditEntry).collect())
    }

    /// Unusual voting noticed (rate limits passed, bursts), newest first. Editors only.
    async fn vote_anomalies(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 50, desc = "How many, 1 to 100.")] first: i32,
    ) -> async_graphql::Result<Vec<VoteAnomaly>> {
        auth::editor(ctx)?;
        let first = crate::graphql::query::cursor::page_size(first).gql()?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let rows = vote_anomaly::Entity::find()
            .order_by_desc(vote_anomaly::Column::Id)
            .limit(first)
            .all(db)
            .await
            .map_err(AppError::from)
            .gql()?;
        Ok(rows.into_iter().map(VoteAnomaly).collect())
    }
}
