//! `webhookEndpoints` and `webhookEventTypes`: editors' reads of webhooks.

use async_graphql::{Context, Object};
use sea_orm::DatabaseConnection;

use crate::domain::webhooks::{self, EventType};
use crate::error::{AppError, GqlResultExt};
use crate::graphql::auth;
use crate::graphql::types::webhook::{WebhookEndpoint, WebhookEventType};

/// Reads of the webhooks.
#[derive(Default)]
pub struct WebhookQuery;

#[Object]
impl WebhookQuery {
    /// Every registered webhook endpoint, oldest first, with its
    /// deliveries. Editors only.
    // Endpoints are few (a handful per site): counted as five.
    #[graphql(complexity = "1 + 5 * child_complexity")]
    async fn webhook_endpoints(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<WebhookEndpoint>> {
        auth::editor(ctx)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(webhooks::endpoints(db)
            .await
            .map_err(AppError::from)
            .gql()?
            .into_iter()
            .map(WebhookEndpoint)
            .collect())
    }

    /// Every event type an endpoint may ask for.
    async fn webhook_event_types(&self) -> Vec<WebhookEventType> {
        EventType::ALL.into_iter().map(Into::into).collect()
    }
}
