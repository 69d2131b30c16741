//! `me`, `apiTokens` and `voteAnomalies`: reads for signed-in editors.

use async_graphql::{Context, Object};
use entities::{audit_entry, vote_anomaly};
use sea_orm::{DatabaseConnection, EntityTrait, QueryOrder, QuerySelect};

use crate::domain::editors;
use crate::error::{AppError, GqlResultExt};
use crate::graphql::auth;
use crate::graphql::types::{ApiToken, AuditEntry, Editor, VoteAnomaly};

/// Reads about the signed-in editor.
#[derive(Default)]
pub struct EditorQuery;

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
