//! `createWebhookEndpoint`, `updateWebhookEndpoint`, `deleteWebhookEndpoint`
//! and `redeliverWebhook`: editors' changes to webhooks (session with the
//! CSRF header, or an API token).

use async_graphql::{Context, Object, ID};
use sea_orm::{DatabaseConnection, EntityTrait};

use crate::domain::webhooks::{self, EventType};
use crate::error::GqlResultExt;
use crate::graphql::auth;
use crate::graphql::types::integrity::parse_id;
use crate::graphql::types::settings;
use crate::graphql::types::webhook::{
    CreatedWebhookEndpoint, WebhookDelivery, WebhookEndpoint, WebhookEventType,
};

/// Editors' changes to webhooks.
#[derive(Default)]
pub struct WebhookMutation;

fn names(events: &[WebhookEventType]) -> Vec<String> {
    events
        .iter()
        .map(|e| EventType::from(*e).as_str().to_owned())
        .collect()
}

#[Object]
impl WebhookMutation {
    /// Registers an endpoint that receives the chosen events, signed with a
    /// new secret returned only now. The URL must be http(s), at most 2,048
    /// characters, without a user name or password, and its host must
    /// resolve to public addresses only (else `VALIDATION`). Editors only.
    async fn create_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Where to POST events.")] url: String,
        #[graphql(desc = "The events to send there, at least one.")] events: Vec<WebhookEventType>,
    ) -> async_graphql::Result<CreatedWebhookEndpoint> {
        let editor = auth::editor_for_change(ctx)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let (endpoint, secret) = webhooks::create_endpoint(
            db,
            editor,
            &url,
            &names(&events),
            settings(ctx).webhooks_allow_private,
        )
        .await
        .gql()?;
        Ok(CreatedWebhookEndpoint {
            endpoint: WebhookEndpoint(endpoint),
            secret,
        })
    }

    /// Changes an endpoint's events, or switches it off or on again
    /// (switching on clears its failures; waiting deliveries go out).
    /// Editors only.
    async fn update_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint's `id`.")] id: ID,
        #[graphql(desc = "The events to send there from now on; unchanged when absent.")]
        events: Option<Vec<WebhookEventType>>,
        #[graphql(desc = "Whether events are sent there; unchanged when absent.")] enabled: Option<
            bool,
        >,
    ) -> async_graphql::Result<WebhookEndpoint> {
        auth::editor_for_change(ctx)?;
        let id = parse_id(&id, "id")?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let events = events.map(|e| names(&e));
        Ok(WebhookEndpoint(
            webhooks::update_endpoint(db, id, events.as_deref(), enabled)
                .await
                .gql()?,
        ))
    }

    /// Deletes an endpoint with its deliveries. Editors only.
    async fn delete_webhook_endpoint(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The endpoint's `id`.")] id: ID,
    ) -> async_graphql::Result<bool> {
        auth::editor_for_change(ctx)?;
        let id = parse_id(&id, "id")?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        webhooks::delete_endpoint(db, id).await.gql()?;
        Ok(true)
    }

    /// Sends a delivery again at once ("send again"), whether it was
    /// delivered, failed or is waiting; earlier attempts stay listed.
    /// Editors only.
    async fn redeliver_webhook(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The delivery's `id`.")] delivery_id: ID,
    ) -> async_graphql::Result<WebhookDelivery> {
        auth::editor_for_change(ctx)?;
        let id = parse_id(&delivery_id, "deliveryId")?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let delivery = webhooks::redeliver(db, id).await.gql()?;
        let event = entities::webhook_event::Entity::find_by_id(delivery.event_id.clone())
            .one(db)
            .await
            .map_err(crate::error::AppError::from)
            .gql()?
            .ok_or_else(|| crate::error::AppError::NotFound {
                what: "webhook event",
                key: delivery.event_id.clone(),
            })
            .gql()?;
        Ok(WebhookDelivery(webhooks::DeliveryRow { delivery, event }))
    }
}
