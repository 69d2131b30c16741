//! What the server keeps only for a while: rate-limit windows that ended,
//! sessions that expired, the vote log past its retention, and held votes
//! no editor decided in time. Pruned by a
//! background task, so no table grows with every new voter, junk token or
//! e-mail address tried.

use std::time::Duration;

use chrono::{DateTime, Utc};
use entities::{rate_limit, session, vote_event};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

/// Rate-limit rows whose window started longer ago than this are over:
/// every window (votes, sign-ups, sign-ins, the API budget) is at most a
/// day, so two days leaves every live window alone.
pub const RATE_LIMIT_KEEP_SECS: i64 = 2 * 24 * 3600;

/// How long things are kept.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    /// Days the vote log (who voted how, from which address) is kept for
    /// the anomaly scan and the editors' dashboard; 0 keeps it forever.
    pub vote_event_days: u32,
    /// The vote counting window (its rows are kept a little longer).
    pub vote_window_secs: u32,
    /// Days held votes wait for an editor before the rule rejects them (0: for ever).
    pub held_votes_expire_days: u32,
}

/// Rows removed by one [`prune`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pruned {
    /// Rate-limit windows that ended.
    pub rate_limits: u64,
    /// Expired sessions.
    pub sessions: u64,
    /// Vote log entries past the retention.
    pub vote_events: u64,
    /// Counting windows that ended holding nothing, and networks past the
    /// retention forgotten.
    pub vote_windows: u64,
    /// Held votes no editor decided in time, rejected by rule.
    pub held_votes_expired: u64,
}

/// Deletes what is no longer needed as of `now`.
pub async fn prune(
    db: &DatabaseConnection,
    retention: Retention,
    now: DateTime<Utc>,
) -> Result<Pruned, DbErr> {
    let rate_limits = rate_limit::Entity::delete_many()
        .filter(rate_limit::Column::WindowStart.lt(now.timestamp() - RATE_LIMIT_KEEP_SECS))
        .exec(db)
        .await?
        .rows_affected;
    let sessions = session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?
        .rows_affected;
    let vote_events = if retention.vote_event_days == 0 {
        0
    } else {
        let before = now - chrono::Duration::days(i64::from(retention.vote_event_days));
        vote_event::Entity::delete_many()
            .filter(vote_event::Column::CreatedAt.lt(before))
            .exec(db)
            .await?
            .rows_affected
    };
    let held_votes_expired =
        super::integrity::expire(db, retention.held_votes_expire_days, now).await?;
    let vote_windows = super::integrity::prune(
        db,
        retention.vote_window_secs,
        retention.vote_event_days,
        now,
    )
    .await?;
    Ok(Pruned {
        rate_limits,
        sessions,
        vote_events,
        vote_windows,
        held_votes_expired,
    })
}

/// Prunes now and then every `every`.
pub async fn watch(db: DatabaseConnection, retention: Retention, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        match prune(&db, retention, Utc::now()).await {
            Ok(pruned) if pruned != Pruned::default() => tracing::info!(?pruned, "pruned"),
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "pruning failed; trying again later"),
        }
    }
}
