//! `WebhookEndpoint`, `WebhookDelivery` and `WebhookAttempt`: what editors
//! see of the webhooks they registered.

use async_graphql::{Context, Enum, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entities::{webhook_attempt, webhook_endpoint};
use sea_orm::DatabaseConnection;

use crate::domain::webhooks::{self, DeliveryRow, EventType};
use crate::error::{AppError, GqlResultExt};
use crate::graphql::query::cursor;
use crate::graphql::types::Page;

/// What can happen that a webhook tells.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum WebhookEventType {
    /// `comparison.published`: a comparison was published.
    ComparisonPublished,
    /// `comparison.updated`: a published comparison's title, summary, slug or tools changed.
    ComparisonUpdated,
    /// `review.verdict_flipped`: a reviewer's published verdict on a tool went from SHIP to SKIP or back.
    ReviewVerdictFlipped,
    /// `tool.community_score_available`: enough readers voted for a tool's community score to show.
    ToolCommunityScoreAvailable,
    /// `tool.score_moved`: a tool's panel or community score moved by the step (5 points by default) or more since the last such event.
    ToolScoreMoved,
}

impl From<WebhookEventType> for EventType {
    fn from(t: WebhookEventType) -> Self {
        match t {
            WebhookEventType::ComparisonPublished => EventType::ComparisonPublished,
            WebhookEventType::ComparisonUpdated => EventType::ComparisonUpdated,
            WebhookEventType::ReviewVerdictFlipped => EventType::ReviewVerdictFlipped,
            WebhookEventType::ToolCommunityScoreAvailable => EventType::ToolCommunityScoreAvailable,
            WebhookEventType::ToolScoreMoved => EventType::ToolScoreMoved,
        }
    }
}

impl From<EventType> for WebhookEventType {
    fn from(t: EventType) -> Self {
        match t {
            EventType::ComparisonPublished => WebhookEventType::ComparisonPublished,
            EventType::ComparisonUpdated => WebhookEventType::ComparisonUpdated,
            EventType::ReviewVerdictFlipped => WebhookEventType::ReviewVerdictFlipped,
            EventType::ToolCommunityScoreAvailable => WebhookEventType::ToolCommunityScoreAvailable,
            EventType::ToolScoreMoved => WebhookEventType::ToolScoreMoved,
        }
    }
}

/// Where a delivery stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entities::DeliveryStatus")]
pub enum WebhookDeliveryStatus {
    /// Waiting for its first or next attempt.
    Pending,
    /// The receiver answered with a 2xx status.
    Delivered,
    /// Every attempt failed; "send again" (`redeliverWebhook`) queues it anew.
    Failed,
}

/// An address that receives events, registered by an editor.
pub struct WebhookEndpoint(pub webhook_endpoint::Model);

/// An address that receives events, registered by an editor.
#[Object]
impl WebhookEndpoint {
    /// The endpoint's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Where events are POSTed.
    async fn url(&self) -> &str {
        &self.0.url
    }

    /// The events it receives.
    async fn events(&self) -> Vec<WebhookEventType> {
        webhooks::wanted(&self.0)
            .into_iter()
            .map(Into::into)
            .collect()
    }

    /// Whether events are sent to it; false once switched off by an editor
    /// or after repeated failures.
    async fn enabled(&self) -> bool {
        self.0.enabled
    }

    /// Why it was switched off, while it is: "by an editor", or after
    /// how many failed deliveries or how long failing, with the last error.
    async fn disabled_reason(&self) -> Option<&str> {
        self.0.disabled_reason.as_deref()
    }

    /// When it was switched off, while it is.
    async fn disabled_at(&self) -> Option<DateTime<Utc>> {
        self.0.disabled_at
    }

    /// Deliveries in a row that failed every attempt (0 after one is delivered).
    async fn consecutive_failures(&self) -> i32 {
        self.0.consecutive_failures
    }

    /// When it was registered.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// Its deliveries, newest first.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, None, child_complexity)")]
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 100 (20 when not given).")] first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<Page<WebhookDelivery>> {
        let first = cursor::page_size(first.unwrap_or(20)).gql()?;
        let before_id = match after.as_deref() {
            Some(c) => Some(
                cursor::decode(c, "delivery")
                    .gql()?
                    .parse::<i64>()
                    .map_err(|_| AppError::validation("after", "not a cursor of this list"))
                    .gql()?,
            ),
            None => None,
        };
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let (rows, more, total) = webhooks::deliveries(db, self.0.id, first, before_id)
            .await
            .map_err(AppError::from)
            .gql()?;
        let items = rows
            .into_iter()
            .map(|row| {
                (
                    cursor::encode("delivery", &row.delivery.id.to_string()),
                    WebhookDelivery(row),
                )
            })
            .collect();
        Ok(Page::new(items, after.is_some(), more, total))
    }
}

/// The endpoint just registered, with its signing secret.
#[derive(SimpleObject)]
pub struct CreatedWebhookEndpoint {
    /// The endpoint.
    pub endpoint: WebhookEndpoint,
    /// The signing secret (`whsec_` and base64): shown only now; receivers
    /// verify `webhook-signature` with it.
    pub secret: String,
}

/// One event's way to one endpoint.
#[derive(Clone)]
pub struct WebhookDelivery(pub DeliveryRow);

/// One event's way to one endpoint.
#[Object]
impl WebhookDelivery {
    /// The delivery's id, for `redeliverWebhook`.
    async fn id(&self) -> ID {
        ID(self.0.delivery.id.to_string())
    }

    /// The event's id: the `webhook-id` header and the payload's `id`.
    async fn event_id(&self) -> &str {
        &self.0.event.id
    }

    /// What happened.
    async fn event_type(&self) -> Option<WebhookEventType> {
        EventType::parse(&self.0.event.event_type).map(Into::into)
    }

    /// When it happened.
    async fn occurred_at(&self) -> DateTime<Utc> {
        self.0.event.occurred_at
    }

    /// The JSON body sent (and signed).
    async fn payload(&self) -> &str {
        &self.0.event.payload
    }

    /// Where it stands.
    async fn status(&self) -> WebhookDeliveryStatus {
        self.0.delivery.status.into()
    }

    /// When it is (or was) to be tried next, while pending.
    async fn next_attempt_at(&self) -> Option<DateTime<Utc>> {
        (self.0.delivery.status == entities::DeliveryStatus::Pending)
            .then_some(self.0.delivery.next_attempt_at)
    }

    /// When the receiver accepted it.
    async fn delivered_at(&self) -> Option<DateTime<Utc>> {
        self.0.delivery.delivered_at
    }

    /// Every attempt, oldest first, with the receiver's answers.
    // At most `--webhook-max-attempts` (10) per sending.
    #[graphql(complexity = "1 + 10 * child_complexity")]
    async fn attempts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<WebhookAttempt>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        Ok(webhooks::attempts(db, self.0.delivery.id)
            .await
            .map_err(AppError::from)
            .gql()?
            .into_iter()
            .map(WebhookAttempt)
            .collect())
    }
}

/// One try to deliver an event, and what came back.
pub struct WebhookAttempt(pub webhook_attempt::Model);

/// One try to deliver an event, and what came back.
#[Object]
impl WebhookAttempt {
    /// When it was made.
    async fn attempted_at(&self) -> DateTime<Utc> {
        self.0.attempted_at
    }

    /// The receiver's HTTP status; null when none came (see `error`).
    async fn http_status(&self) -> Option<i32> {
        self.0.http_status
    }

    /// Why it failed without a status, or why a status did not count
    /// (a redirect), shortened to 500 characters.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    /// The start of the receiver's answer, 1 KiB at most.
    async fn response_body(&self) -> Option<&str> {
        self.0.response_body.as_deref()
    }

    /// How long it took, in milliseconds.
    async fn duration_ms(&self) -> i64 {
        self.0.duration_ms
    }
}
