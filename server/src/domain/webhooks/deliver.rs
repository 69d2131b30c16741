//! The delivery task: claims due deliveries with a lease, POSTs each signed
//! body, records the attempt, and schedules a retry with exponential backoff
//! or gives up; switches an endpoint off after repeated failures. It also
//! runs the score scan ([`super::scan_scores`]) on its own period.

use std::{
    error::Error as StdError,
    net::SocketAddr,
    sync::Arc,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use entities::{
    webhook_attempt, webhook_delivery, webhook_endpoint, webhook_event, DeliveryStatus,
};
use futures::StreamExt;
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ActiveModelTrait,
    ActiveValue::NotSet,
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::addresses::is_forbidden_address;
use super::{now, sign, WAKE};

/// Deliveries claimed per pass.
const BATCH: u64 = 32;
/// Deliveries sent at once by one instance.
const IN_FLIGHT: usize = 8;
/// The most of a receiver's answer kept, in bytes.
pub const RESPONSE_EXCERPT: usize = 1024;
/// The most of an error text kept, in characters.
const ERROR_EXCERPT: usize = 500;

/// How the task delivers.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Send to loopback and private addresses too (tests, private networks).
    pub allow_private: bool,
    /// The wait after the first failed attempt; each next one waits four
    /// times longer, up to [`MAX_BACKOFF`].
    pub retry_base: Duration,
    /// Attempts before a delivery is given up.
    pub max_attempts: u32,
    /// Longest a receiver may take to answer.
    pub timeout: Duration,
    /// Deliveries failed for good in a row that switch an endpoint off.
    pub disable_after: u32,
    /// Time failing (no attempt succeeding) that switches an endpoint off.
    pub disable_after_failing: Duration,
    /// How often the outbox is read when nothing says it changed.
    pub poll: Duration,
    /// Points a score must move by for `tool.score_moved`.
    pub score_step: u32,
    /// How often tallies are scanned for score events (0: never).
    pub score_debounce: Duration,
    /// Votes a community score needs (`MIN_COMMUNITY_VOTES`).
    pub min_community_votes: u32,
}

/// The longest wait between two attempts.
pub const MAX_BACKOFF: Duration = Duration::from_secs(12 * 3600);

/// The wait after failed attempt number `attempt` (1 for the first):
/// `base × 4^(attempt − 1)`, at most [`MAX_BACKOFF`]. With the default 30 s:
/// 30 s, 2 min, 8 min, 32 min, 2 h 8 min, 8 h 32 min, then 12 h.
pub fn backoff(base: Duration, attempt: u32) -> Duration {
    let factor = 4u32.saturating_pow(std::cmp::min(attempt.saturating_sub(1), 15));
    base.saturating_mul(factor).min(MAX_BACKOFF)
}

/// Resolves endpoint names, refusing any that resolves to an address
/// webhooks may not reach: the connection goes to the address checked.
struct PublicOnly;

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addresses: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some(bad) = addresses.iter().find(|a| is_forbidden_address(a.ip())) {
                return Err(format!(
                    "{host} resolves to {}, which webhooks may not reach",
                    bad.ip()
                )
                .into());
            }
            let addresses: reqwest::dns::Addrs = Box::new(addresses.into_iter());
            Ok(addresses)
        })
    }
}

/// The client that delivers: no redirects, and no proxy from the
/// environment (`HTTP(S)_PROXY`): through a proxy, the address checked
/// would be the proxy's, and the proxy would reach the private one.
fn client(settings: &Settings) -> Option<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout)
        .user_agent(concat!("Verdicts-Webhooks/", env!("CARGO_PKG_VERSION")));
    if !settings.allow_private {
        builder = builder.dns_resolver(Arc::new(PublicOnly));
    }
    // No fallback to a default client: it would skip the address checks.
    builder
        .build()
        .map_err(|error| tracing::error!(%error, "the webhook client could not be built: no webhook is delivered"))
        .ok()
}

/// Delivers due events and scans scores until the task is dropped.
pub async fn run(db: DatabaseConnection, settings: Settings) {
    let instance = format!("instance-{}", uuid::Uuid::new_v4().simple());
    let Some(client) = client(&settings) else {
        return;
    };
    let mut wake = WAKE.subscribe();
    let scanning = !settings.score_debounce.is_zero();
    let mut next_scan = Instant::now() + settings.score_debounce;
    loop {
        if scanning && Instant::now() >= next_scan {
            if let Err(error) = super::scan_scores(&db, &settings).await {
                tracing::warn!(%error, "the webhook score scan failed");
            }
            next_scan = Instant::now() + settings.score_debounce;
        }
        match deliver_due(&db, &client, &settings, &instance).await {
            // A full batch: more may be due already.
            Ok(claimed) if claimed as u64 >= BATCH => continue,
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "the webhook outbox could not be read"),
        }
        let until_scan = if scanning {
            next_scan.saturating_duration_since(Instant::now())
        } else {
            settings.poll
        };
        tokio::select! {
            _ = wake.changed() => {}
            () = tokio::time::sleep(settings.poll.min(until_scan)) => {}
        }
    }
}

/// One pass: claims the due deliveries (at most [`BATCH`]) and sends them;
/// returns how many it claimed.
pub async fn deliver_due(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    settings: &Settings,
    instance: &str,
) -> Result<usize, DbErr> {
    let at = now();
    let enabled = webhook_endpoint::Entity::find()
        .select_only()
        .column(webhook_endpoint::Column::Id)
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    if enabled.is_empty() {
        return Ok(0);
    }
    let free = || {
        Condition::any()
            .add(webhook_delivery::Column::LockedUntil.is_null())
            .add(webhook_delivery::Column::LockedUntil.lt(at))
    };
    let due = webhook_delivery::Entity::find()
        .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending))
        .filter(webhook_delivery::Column::NextAttemptAt.lte(at))
        .filter(free())
        .filter(webhook_delivery::Column::EndpointId.is_in(enabled))
        .order_by_asc(webhook_delivery::Column::NextAttemptAt)
        .order_by_asc(webhook_delivery::Column::Id)
        .limit(BATCH)
        .all(db)
        .await?;
    let lease = chrono::Duration::from_std(settings.timeout * 3 + Duration::from_secs(30))
        .unwrap_or(chrono::Duration::minutes(1));
    let mut claimed = Vec::new();
    for delivery in due {
        // Claim it: only the update that still finds it free and at the
        // attempt count read wins (on PostgreSQL a second instance's update
        // waits for the first's and then no longer matches).
        let won = webhook_delivery::Entity::update_many()
            .col_expr(
                webhook_delivery::Column::LockedUntil,
                Expr::value(at + lease),
            )
            .col_expr(webhook_delivery::Column::ClaimedBy, Expr::value(instance))
            .col_expr(
                webhook_delivery::Column::Attempts,
                Expr::value(delivery.attempts + 1),
            )
            .filter(webhook_delivery::Column::Id.eq(delivery.id))
            .filter(webhook_delivery::Column::Status.eq(DeliveryStatus::Pending))
            .filter(webhook_delivery::Column::Attempts.eq(delivery.attempts))
            .filter(free())
            .exec(db)
            .await?;
        if won.rows_affected == 1 {
            claimed.push(webhook_delivery::Model {
                attempts: delivery.attempts + 1,
                claimed_by: Some(instance.to_owned()),
                ..delivery
            });
        }
    }
    let count = claimed.len();
    let results: Vec<Result<(), DbErr>> = futures::stream::iter(claimed)
        .map(|delivery| deliver_one(db, client, settings, instance, delivery))
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await;
    for result in results {
        result?;
    }
    Ok(count)
}

/// What one attempt came to.
struct Outcome {
    status: Option<u16>,
    error: Option<String>,
    body: Option<String>,
    duration: Duration,
}

impl Outcome {
    fn delivered(&self) -> bool {
        self.error.is_none() && self.status.is_some_and(|s| (200..300).contains(&s))
    }

    fn failure(message: String, started: Instant) -> Self {
        Outcome {
            status: None,
            error: Some(message),
            body: None,
            duration: started.elapsed(),
        }
    }
}

fn excerpt(text: &str, max_chars: usize) -> String {
    text.chars().take(max_chars).collect()
}

/// The full chain of an error, as `reqwest` nests the cause.
fn describe(error: &reqwest::Error) -> String {
    let mut text = if error.is_timeout() {
        "timed out".to_owned()
    } else if error.is_connect() {
        "could not connect".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source: Option<&dyn StdError> = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

async fn attempt(
    client: &reqwest::Client,
    settings: &Settings,
    endpoint: &webhook_endpoint::Model,
    event: &webhook_event::Model,
) -> Outcome {
    let started = Instant::now();
    let Ok(url) = url::Url::parse(&endpoint.url) else {
        return Outcome::failure("the endpoint URL does not parse".into(), started);
    };
    if !settings.allow_private {
        // Names are checked by the resolver as they connect; an address
        // written in the URL is checked here.
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(std::net::IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(std::net::IpAddr::V6(ip)),
            _ => None,
        };
        if literal.is_some_and(is_forbidden_address) {
            return Outcome::failure(
                "the endpoint's address is not public; webhooks go to public addresses only".into(),
                started,
            );
        }
    }
    let timestamp = Utc::now().timestamp();
    let Some(signature) = sign(&endpoint.secret, &event.id, timestamp, &event.payload) else {
        return Outcome::failure("the endpoint's secret is not usable".into(), started);
    };
    let request = client
        .post(url)
        .header("content-type", "application/json")
        .header("webhook-id", &event.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(event.payload.clone());
    let mut response = match request.send().await {
        Ok(response) => response,
        Err(error) => return Outcome::failure(describe(&error), started),
    };
    let status = response.status().as_u16();
    let mut body = Vec::new();
    let mut error = None;
    // The answer is read up to the excerpt's size only: a receiver cannot
    // make the sender hold more.
    while body.len() < RESPONSE_EXCERPT {
        match response.chunk().await {
            Ok(Some(chunk)) => body.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) => {
                error = Some(describe(&e));
                break;
            }
        }
    }
    body.truncate(RESPONSE_EXCERPT);
    let body = String::from_utf8_lossy(&body).into_owned();
    if (300..400).contains(&status) && error.is_none() {
        error = Some("redirects are not followed".to_owned());
    }
    Outcome {
        status: Some(status),
        error: error.filter(|_| !(200..300).contains(&status)),
        body: Some(body),
        duration: started.elapsed(),
    }
}

async fn deliver_one(
    db: &DatabaseConnection,
    client: &reqwest::Client,
    settings: &Settings,
    instance: &str,
    delivery: webhook_delivery::Model,
) -> Result<(), DbErr> {
    let endpoint = webhook_endpoint::Entity::find_by_id(delivery.endpoint_id)
        .one(db)
        .await?;
    let event = webhook_event::Entity::find_by_id(delivery.event_id.clone())
        .one(db)
        .await?;
    let (Some(endpoint), Some(event)) = (endpoint, event) else {
        return Ok(());
    };
    let outcome = attempt(client, settings, &endpoint, &event).await;
    let at = now();
    webhook_attempt::ActiveModel {
        id: NotSet,
        delivery_id: Set(delivery.id),
        attempted_at: Set(at),
        http_status: Set(outcome.status.map(i32::from)),
        error: Set(outcome.error.as_deref().map(|e| excerpt(e, ERROR_EXCERPT))),
        response_body: Set(outcome.body.clone()),
        duration_ms: Set(i64::try_from(outcome.duration.as_millis()).unwrap_or(i64::MAX)),
    }
    .insert(db)
    .await?;
    let mine = || {
        webhook_delivery::Entity::update_many()
            .filter(webhook_delivery::Column::Id.eq(delivery.id))
            .filter(webhook_delivery::Column::ClaimedBy.eq(instance))
            .filter(webhook_delivery::Column::Attempts.eq(delivery.attempts))
            .col_expr(
                webhook_delivery::Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
    };
    let endpoint_row = || {
        webhook_endpoint::Entity::update_many().filter(webhook_endpoint::Column::Id.eq(endpoint.id))
    };
    if outcome.delivered() {
        mine()
            .col_expr(
                webhook_delivery::Column::Status,
                Expr::value(DeliveryStatus::Delivered),
            )
            .col_expr(webhook_delivery::Column::DeliveredAt, Expr::value(at))
            .exec(db)
            .await?;
        endpoint_row()
            .col_expr(
                webhook_endpoint::Column::ConsecutiveFailures,
                Expr::value(0),
            )
            .col_expr(
                webhook_endpoint::Column::FailingSince,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .exec(db)
            .await?;
        return Ok(());
    }
    let attempts = u32::try_from(delivery.attempts).unwrap_or(u32::MAX);
    let given_up = attempts >= settings.max_attempts;
    if given_up {
        mine()
            .col_expr(
                webhook_delivery::Column::Status,
                Expr::value(DeliveryStatus::Failed),
            )
            .exec(db)
            .await?;
    } else {
        let wait = chrono::Duration::from_std(backoff(settings.retry_base, attempts))
            .unwrap_or(chrono::Duration::hours(12));
        mine()
            .col_expr(
                webhook_delivery::Column::NextAttemptAt,
                Expr::value(at + wait),
            )
            .exec(db)
            .await?;
    }
    let mut failing = endpoint_row().col_expr(
        webhook_endpoint::Column::FailingSince,
        Expr::col(webhook_endpoint::Column::FailingSince).if_null(at),
    );
    if given_up {
        failing = failing.col_expr(
            webhook_endpoint::Column::ConsecutiveFailures,
            Expr::col(webhook_endpoint::Column::ConsecutiveFailures).add(1),
        );
    }
    failing.exec(db).await?;
    let failing_for = chrono::Duration::from_std(settings.disable_after_failing)
        .unwrap_or(chrono::Duration::hours(24));
    let Some(now_failing) = webhook_endpoint::Entity::find_by_id(endpoint.id)
        .one(db)
        .await?
        .filter(|e| e.enabled)
    else {
        return Ok(());
    };
    let last = outcome
        .error
        .clone()
        .or(outcome.status.map(|s| format!("HTTP {s}")))
        .map(|e| excerpt(&e, 200))
        .unwrap_or_default();
    let in_a_row = u32::try_from(now_failing.consecutive_failures).unwrap_or(0);
    let reason = if in_a_row >= settings.disable_after {
        let deliveries = if in_a_row == 1 {
            "delivery"
        } else {
            "deliveries"
        };
        format!("after {in_a_row} {deliveries} in a row failed every attempt (last: {last})")
    } else if now_failing
        .failing_since
        .is_some_and(|since| since < at - failing_for)
    {
        format!(
            "after {} hours of failed attempts (last: {last})",
            failing_for.num_hours()
        )
    } else {
        return Ok(());
    };
    let switched = endpoint_row()
        .filter(webhook_endpoint::Column::Enabled.eq(true))
        .col_expr(webhook_endpoint::Column::Enabled, Expr::value(false))
        .col_expr(
            webhook_endpoint::Column::DisabledReason,
            Expr::value(reason),
        )
        .col_expr(webhook_endpoint::Column::DisabledAt, Expr::value(at))
        .exec(db)
        .await?;
    if switched.rows_affected > 0 {
        tracing::warn!(endpoint = endpoint.id, url = %endpoint.url, "webhook endpoint switched off after repeated failures");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backoff_grows_fourfold_up_to_twelve_hours() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(120));
        assert_eq!(backoff(base, 3), Duration::from_secs(480));
        assert_eq!(backoff(base, 7), MAX_BACKOFF);
        assert_eq!(backoff(base, 40), MAX_BACKOFF);
    }
}
