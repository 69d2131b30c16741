//! Webhooks: endpoints editors register, events written to an outbox in the
//! transaction of the change that causes them, and the task that delivers
//! them, signed the Standard Webhooks way, at least once, with retries.
//!
//! Events come from the editors' changes (a comparison published or
//! changed, a reviewer's verdict flipped: see [`record`]) and from a scan of
//! the tallies (a community score becoming available, a score moving by the
//! step: see [`scan_scores`]), so that the vote path does no work for them.
//! A delivery is claimed with a lease (`locked_until`) by a conditional
//! update, so instances sharing a database never send one event to one
//! endpoint at the same time.

mod addresses;
mod deliver;
mod scores;

use std::sync::LazyLock;

use base64::{engine::general_purpose::STANDARD, Engine};
use chrono::{DateTime, SubsecRound, Utc};
use entities::{
    comparison, editor, review, reviewer, setting, tool, webhook_attempt, webhook_delivery,
    webhook_endpoint, webhook_event, DeliveryStatus,
};
use hmac::{Hmac, Mac};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::domain::ids::{global_id, Target};
use crate::error::AppError;

pub use addresses::{check_url, is_forbidden_address, MAX_URL_LEN};
pub use deliver::{backoff, run, Settings};
pub use scores::scan_scores;

/// What can happen, as receivers see it in `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventType {
    /// A comparison was published.
    ComparisonPublished,
    /// A published comparison's title, summary, slug or tools changed.
    ComparisonUpdated,
    /// A reviewer's published verdict on a tool went from SHIP to SKIP or back.
    ReviewVerdictFlipped,
    /// A tool's community score appeared: enough readers voted.
    ToolCommunityScoreAvailable,
    /// A tool's panel or community score moved by the step or more since
    /// the last such event.
    ToolScoreMoved,
}

impl EventType {
    /// Every type, in the order the docs list them.
    pub const ALL: [EventType; 5] = [
        EventType::ComparisonPublished,
        EventType::ComparisonUpdated,
        EventType::ReviewVerdictFlipped,
        EventType::ToolCommunityScoreAvailable,
        EventType::ToolScoreMoved,
    ];

    /// Its name in payloads, as `comparison.published`.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ComparisonPublished => "comparison.published",
            EventType::ComparisonUpdated => "comparison.updated",
            EventType::ReviewVerdictFlipped => "review.verdict_flipped",
            EventType::ToolCommunityScoreAvailable => "tool.community_score_available",
            EventType::ToolScoreMoved => "tool.score_moved",
        }
    }

    /// The type named `name`.
    pub fn parse(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// Its name in the API's `WebhookEventType` enum, as `COMPARISON_PUBLISHED`.
    pub fn api_name(self) -> String {
        self.as_str().replace('.', "_").to_uppercase()
    }
}

/// The event types an endpoint wants, from its stored list.
pub fn wanted(endpoint: &webhook_endpoint::Model) -> Vec<EventType> {
    endpoint
        .events
        .split(',')
        .filter_map(|name| EventType::parse(name.trim()))
        .collect()
}

/// Wakes every delivery task of this process after an event was written.
static WAKE: LazyLock<tokio::sync::watch::Sender<u64>> =
    LazyLock::new(|| tokio::sync::watch::channel(0).0);

/// Says that events were committed: the delivery tasks look at once.
pub fn wake() {
    WAKE.send_modify(|n| *n = n.wrapping_add(1));
}

/// Now, to the microsecond: what both databases store exactly.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// The settings key under which the server keeps `PUBLIC_URL` for payloads.
pub const PUBLIC_URL_SETTING: &str = "webhooks.public_url";

/// Stores the site's public address, which payloads link to (every writer
/// of events reads it in its own transaction).
pub async fn store_public_url(db: &DatabaseConnection, public_url: &str) -> Result<(), DbErr> {
    let value = public_url.trim_end_matches('/').to_owned();
    let found = setting::Entity::find_by_id(PUBLIC_URL_SETTING.to_owned())
        .one(db)
        .await?;
    match found {
        Some(row) if row.value == value => Ok(()),
        Some(row) => {
            let mut change: setting::ActiveModel = row.into();
            change.value = Set(value);
            change.update(db).await.map(|_| ())
        }
        None => setting::ActiveModel {
            key: Set(PUBLIC_URL_SETTING.to_owned()),
            value: Set(value),
        }
        .insert(db)
        .await
        .map(|_| ()),
    }
}

async fn public_url<C: ConnectionTrait>(db: &C) -> Result<String, DbErr> {
    Ok(setting::Entity::find_by_id(PUBLIC_URL_SETTING.to_owned())
        .one(db)
        .await?
        .map_or_else(String::new, |s| s.value))
}

/// A tool as payloads name it: global id, slug, public URL.
fn tool_ref(base: &str, tool: &tool::Model) -> Value {
    json!({
        "id": global_id(Target::Tool(tool.id)),
        "slug": tool.slug,
        "name": tool.name,
        "url": format!("{base}/tools/{}", tool.slug),
    })
}

/// Writes an event and one pending delivery per enabled endpoint that wants
/// it, on `db` (the transaction of the change that causes it). The caller
/// calls [`wake`] once it committed.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    event_type: EventType,
    data: Value,
) -> Result<String, DbErr> {
    let at = now();
    let id = format!("evt_{}", uuid::Uuid::new_v4().simple());
    let payload = json!({
        "id": id,
        "type": event_type.as_str(),
        "timestamp": at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        "data": data,
    });
    webhook_event::ActiveModel {
        id: Set(id.clone()),
        event_type: Set(event_type.as_str().to_owned()),
        occurred_at: Set(at),
        payload: Set(payload.to_string()),
    }
    .insert(db)
    .await?;
    let endpoints = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .all(db)
        .await?;
    let deliveries: Vec<webhook_delivery::ActiveModel> = endpoints
        .iter()
        .filter(|e| wanted(e).contains(&event_type))
        .map(|e| webhook_delivery::ActiveModel {
            id: NotSet,
            event_id: Set(id.clone()),
            endpoint_id: Set(e.id),
            status: Set(DeliveryStatus::Pending),
            attempts: Set(0),
            next_attempt_at: Set(at),
            locked_until: Set(None),
            claimed_by: Set(None),
            created_at: Set(at),
            delivered_at: Set(None),
        })
        .collect();
    if !deliveries.is_empty() {
        webhook_delivery::Entity::insert_many(deliveries)
            .exec_without_returning(db)
            .await?;
    }
    Ok(id)
}

/// What payloads say of a comparison: its fields that readers see.
fn comparison_fields(c: &comparison::Model, left: &tool::Model, right: &tool::Model) -> Value {
    json!({
        "slug": c.slug, "title": c.title, "summary": c.summary,
        "verdictLine": c.verdict_line, "byline": c.byline,
        "left": left.slug, "right": right.slug,
    })
}

async fn tool_by_id<C: ConnectionTrait>(db: &C, id: i64) -> Result<tool::Model, DbErr> {
    tool::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("tool {id}")))
}

/// Records `comparison.published` (with `before` the comparison's fields
/// before a change, `comparison.updated`) for a published comparison.
pub async fn record_comparison<C: ConnectionTrait>(
    db: &C,
    event_type: EventType,
    before: Option<&comparison::Model>,
    after: &comparison::Model,
) -> Result<(), DbErr> {
    let base = public_url(db).await?;
    let left = tool_by_id(db, after.left_tool_id).await?;
    let right = tool_by_id(db, after.right_tool_id).await?;
    let before = match before {
        Some(b) => {
            let (bl, br) = (
                tool_by_id(db, b.left_tool_id).await?,
                tool_by_id(db, b.right_tool_id).await?,
            );
            comparison_fields(b, &bl, &br)
        }
        None => Value::Null,
    };
    let data = json!({
        "comparison": {
            "id": global_id(Target::Comparison(after.id)),
            "slug": after.slug,
            "url": format!("{base}/compare/{}", after.slug),
        },
        "tools": [tool_ref(&base, &left), tool_ref(&base, &right)],
        "before": before,
        "after": comparison_fields(after, &left, &right),
    });
    record(db, event_type, data).await.map(|_| ())
}

/// Records `review.verdict_flipped` for a published review whose verdict changed.
pub async fn record_verdict_flip<C: ConnectionTrait>(
    db: &C,
    before: &review::Model,
    after: &review::Model,
) -> Result<(), DbErr> {
    let base = public_url(db).await?;
    let tool = tool_by_id(db, after.tool_id).await?;
    let reviewer = reviewer::Entity::find_by_id(after.reviewer_id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("reviewer {}", after.reviewer_id)))?;
    let verdict = |r: &review::Model| sea_orm::ActiveEnum::to_value(&r.verdict);
    let data = json!({
        "review": { "id": global_id(Target::Review(after.id)) },
        "tool": tool_ref(&base, &tool),
        "reviewer": {
            "id": global_id(Target::Reviewer(reviewer.id)),
            "slug": reviewer.slug,
            "name": reviewer.name,
            "url": format!("{base}/reviewers/{}", reviewer.slug),
        },
        "before": { "verdict": verdict(before) },
        "after": { "verdict": verdict(after) },
    });
    record(db, EventType::ReviewVerdictFlipped, data)
        .await
        .map(|_| ())
}

/// The Standard Webhooks signature of `body`: `v1,` and the base64 of
/// HMAC-SHA256 over `{id}.{timestamp}.{body}`, keyed with the secret's
/// bytes (the base64 after `whsec_`).
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap_or(secret))
        .ok()?;
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).ok()?;
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    Some(format!(
        "v1,{}",
        STANDARD.encode(mac.finalize().into_bytes())
    ))
}

/// A new signing secret: `whsec_` and 32 random bytes in base64.
fn new_secret() -> String {
    let bytes: [u8; 32] = rand::random();
    format!("whsec_{}", STANDARD.encode(bytes))
}

/// The event types named in `names`, checked: at least one, each known.
fn parse_events(names: &[String]) -> Result<Vec<EventType>, AppError> {
    if names.is_empty() {
        return Err(AppError::validation("events", "choose at least one event"));
    }
    let mut types = Vec::new();
    for name in names {
        let event = EventType::parse(name.trim()).ok_or_else(|| {
            AppError::validation("events", format!("no event type `{}`", name.trim()))
        })?;
        if !types.contains(&event) {
            types.push(event);
        }
    }
    Ok(types)
}

fn events_text(types: &[EventType]) -> String {
    types
        .iter()
        .map(|t| t.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

/// Registers an endpoint; returns it with its secret (shown once).
pub async fn create_endpoint(
    db: &DatabaseConnection,
    editor: &editor::Model,
    url: &str,
    events: &[String],
    allow_private: bool,
) -> Result<(webhook_endpoint::Model, String), AppError> {
    let url = check_url(url, allow_private).await?;
    let types = parse_events(events)?;
    let secret = new_secret();
    let created = webhook_endpoint::ActiveModel {
        id: NotSet,
        url: Set(url),
        events: Set(events_text(&types)),
        secret: Set(secret.clone()),
        enabled: Set(true),
        disabled_reason: Set(None),
        disabled_at: Set(None),
        consecutive_failures: Set(0),
        failing_since: Set(None),
        created_by: Set(Some(editor.id)),
        created_at: Set(now()),
    }
    .insert(db)
    .await?;
    Ok((created, secret))
}

/// The endpoint with this id.
pub async fn endpoint(
    db: &DatabaseConnection,
    id: i64,
) -> Result<webhook_endpoint::Model, AppError> {
    webhook_endpoint::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "webhook endpoint",
            key: id.to_string(),
        })
}

/// Changes an endpoint's events, or switches it on or off. Switching it
/// on clears the failures that switched it off; its waiting deliveries go
/// out again.
pub async fn update_endpoint(
    db: &DatabaseConnection,
    id: i64,
    events: Option<&[String]>,
    enabled: Option<bool>,
) -> Result<webhook_endpoint::Model, AppError> {
    let found = endpoint(db, id).await?;
    let mut change: webhook_endpoint::ActiveModel = found.clone().into();
    if let Some(events) = events {
        change.events = Set(events_text(&parse_events(events)?));
    }
    match enabled {
        Some(true) if !found.enabled => {
            change.enabled = Set(true);
            change.disabled_reason = Set(None);
            change.disabled_at = Set(None);
            change.consecutive_failures = Set(0);
            change.failing_since = Set(None);
        }
        Some(false) if found.enabled => {
            change.enabled = Set(false);
            change.disabled_reason = Set(Some("by an editor".to_owned()));
            change.disabled_at = Set(Some(now()));
        }
        _ => {}
    }
    let updated = change.update(db).await?;
    if updated.enabled {
        wake();
    }
    Ok(updated)
}

/// Deletes an endpoint with its deliveries and their attempts.
pub async fn delete_endpoint(db: &DatabaseConnection, id: i64) -> Result<(), AppError> {
    let found = endpoint(db, id).await?;
    webhook_endpoint::Entity::delete_by_id(found.id)
        .exec(db)
        .await?;
    Ok(())
}

/// Queues a delivery again at once ("send again"), whatever became of it;
/// its earlier attempts stay listed.
pub async fn redeliver(
    db: &DatabaseConnection,
    id: i64,
) -> Result<webhook_delivery::Model, AppError> {
    let found = webhook_delivery::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "webhook delivery",
            key: id.to_string(),
        })?;
    let mut change: webhook_delivery::ActiveModel = found.into();
    change.status = Set(DeliveryStatus::Pending);
    change.attempts = Set(0);
    change.next_attempt_at = Set(now());
    change.delivered_at = Set(None);
    let updated = change.update(db).await?;
    wake();
    Ok(updated)
}

/// Every endpoint, oldest first.
pub async fn endpoints(db: &DatabaseConnection) -> Result<Vec<webhook_endpoint::Model>, DbErr> {
    webhook_endpoint::Entity::find()
        .order_by_asc(webhook_endpoint::Column::Id)
        .all(db)
        .await
}

/// The endpoints switched off, for the dashboard's notice.
pub async fn switched_off(db: &DatabaseConnection) -> Result<Vec<webhook_endpoint::Model>, DbErr> {
    webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::Enabled.eq(false))
        .order_by_asc(webhook_endpoint::Column::Id)
        .all(db)
        .await
}

/// A delivery with its event.
#[derive(Debug, Clone)]
pub struct DeliveryRow {
    /// The delivery.
    pub delivery: webhook_delivery::Model,
    /// What it delivers.
    pub event: webhook_event::Model,
}

/// A page of an endpoint's deliveries, newest first: up to `first` with
/// ids below `before_id`, and whether more follow; with the total.
pub async fn deliveries(
    db: &DatabaseConnection,
    endpoint_id: i64,
    first: u64,
    before_id: Option<i64>,
) -> Result<(Vec<DeliveryRow>, bool, u64), DbErr> {
    let total = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id))
        .count(db)
        .await?;
    let mut query = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::EndpointId.eq(endpoint_id))
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(first + 1);
    if let Some(before) = before_id {
        query = query.filter(webhook_delivery::Column::Id.lt(before));
    }
    let mut rows = query.all(db).await?;
    let more = rows.len() as u64 > first;
    rows.truncate(first as usize);
    let events: std::collections::HashMap<String, webhook_event::Model> =
        webhook_event::Entity::find()
            .filter(webhook_event::Column::Id.is_in(rows.iter().map(|r| r.event_id.clone())))
            .all(db)
            .await?
            .into_iter()
            .map(|e| (e.id.clone(), e))
            .collect();
    let rows = rows
        .into_iter()
        .filter_map(|delivery| {
            events.get(&delivery.event_id).map(|event| DeliveryRow {
                event: event.clone(),
                delivery,
            })
        })
        .collect();
    Ok((rows, more, total))
}

/// A delivery's attempts, oldest first.
pub async fn attempts(
    db: &DatabaseConnection,
    delivery_id: i64,
) -> Result<Vec<webhook_attempt::Model>, DbErr> {
    webhook_attempt::Entity::find()
        .filter(webhook_attempt::Column::DeliveryId.eq(delivery_id))
        .order_by_asc(webhook_attempt::Column::Id)
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_matches_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification.
        let signature = sign(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(
            signature.as_deref(),
            Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        );
    }

    #[test]
    fn event_types_round_trip() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
        }
        assert_eq!(EventType::parse("tool.deleted"), None);
    }
}
