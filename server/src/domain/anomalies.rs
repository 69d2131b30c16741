//! Vote anomalies for editors: buckets that tripped a rate limit, and bursts
//! found by scanning the vote event log off the voting path.

use chrono::{DateTime, Duration, Utc};
use entities::{vote_anomaly, vote_event};
use sea_orm::{
    sea_query::OnConflict, ActiveValue::NotSet, ColumnTrait, DatabaseConnection, DbErr,
    EntityTrait, QueryFilter, QuerySelect, Set,
};

/// Votes on one tool from one address within [`BURST_WINDOW_SECS`] that make a burst.
pub const BURST_FROM_ADDRESS: i64 = 30;
/// Votes on one tool from everyone within [`BURST_WINDOW_SECS`] that make a burst.
pub const BURST_ON_TOOL: i64 = 600;
/// The window bursts are counted in.
pub const BURST_WINDOW_SECS: i64 = 60;

/// Records an anomaly once per (kind, subject, window); repeats are ignored,
/// so every instance may report the same one.
pub async fn record<C: sea_orm::ConnectionTrait>(
    db: &C,
    kind: &str,
    subject: &str,
    tool_id: Option<i64>,
    hits: i64,
    window_start: i64,
) -> Result<(), DbErr> {
    vote_anomaly::Entity::insert(vote_anomaly::ActiveModel {
        id: NotSet,
        kind: Set(kind.to_owned()),
        subject: Set(subject.to_owned()),
        tool_id: Set(tool_id),
        hits: Set(hits),
        window_start: Set(window_start),
        observed_at: Set(Utc::now()),
    })
    .on_conflict(
        OnConflict::columns([
            vote_anomaly::Column::Kind,
            vote_anomaly::Column::Subject,
            vote_anomaly::Column::WindowStart,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Looks for bursts in the [`BURST_WINDOW_SECS`] before `now` and records them.
/// Returns how many bursts it saw.
pub async fn scan(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, DbErr> {
    let since = now - Duration::seconds(BURST_WINDOW_SECS);
    let window_start = now.timestamp() - now.timestamp().rem_euclid(BURST_WINDOW_SECS);
    let by_address: Vec<(i64, Option<String>, i64)> = vote_event::Entity::find()
        .select_only()
        .column(vote_event::Column::ToolId)
        .column(vote_event::Column::Address)
        .column_as(vote_event::Column::Id.count(), "count")
        .filter(vote_event::Column::CreatedAt.gte(since))
        .filter(vote_event::Column::Address.is_not_null())
        .group_by(vote_event::Column::ToolId)
        .group_by(vote_event::Column::Address)
        .into_tuple()
        .all(db)
        .await?;
    let mut seen = 0;
    for (tool_id, address, count) in by_address {
        if count >= BURST_FROM_ADDRESS {
            let subject = format!("tool:{tool_id}:address:{}", address.unwrap_or_default());
            record(
                db,
                "TOOL_BURST_FROM_ADDRESS",
                &subject,
                Some(tool_id),
                count,
                window_start,
            )
            .await?;
            seen += 1;
        }
    }
    let by_tool: Vec<(i64, i64)> = vote_event::Entity::find()
        .select_only()
        .column(vote_event::Column::ToolId)
        .column_as(vote_event::Column::Id.count(), "count")
        .filter(vote_event::Column::CreatedAt.gte(since))
        .group_by(vote_event::Column::ToolId)
        .into_tuple()
        .all(db)
        .await?;
    for (tool_id, count) in by_tool {
        if count >= BURST_ON_TOOL {
            let subject = format!("tool:{tool_id}");
            record(
                db,
                "TOOL_BURST",
                &subject,
                Some(tool_id),
                count,
                window_start,
            )
            .await?;
            seen += 1;
        }
    }
    Ok(seen)
}

/// Scans for bursts every `period` (the first scan one period after start),
/// for as long as the server runs.
pub async fn watch(db: DatabaseConnection, period: std::time::Duration) {
    let start = tokio::time::Instant::now() + period;
    let mut ticks = tokio::time::interval_at(start, period);
    loop {
        ticks.tick().await;
        if let Err(error) = scan(&db, Utc::now()).await {
            tracing::warn!(%error, "could not scan votes for bursts");
        }
    }
}
