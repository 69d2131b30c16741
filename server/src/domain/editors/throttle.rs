//! Sign-in throttling with growing delays, kept in `rate_limits` so every
//! instance counts together. A bucket allows `free` attempts, then each
//! further attempt must wait longer than the one before (1, 2, 4, 8, then
//! 15 minutes); an attempt is counted, atomically, before the password is
//! checked, and a bucket left alone for an hour starts over.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, Statement};

use crate::error::AppError;

/// Seconds to wait after the first attempt past the free ones; doubled for
/// each further one.
const FIRST_DELAY_SECS: i64 = 60;
/// The longest wait between two attempts.
const LONGEST_DELAY_SECS: i64 = 15 * 60;
/// A bucket with no attempt for this long past its wait starts over.
const FORGET_AFTER_SECS: i64 = 60 * 60;

/// The wait after the `n`-th attempt (1-based) when `free` come without one.
fn delay_after(n: i64, free: i64) -> i64 {
    if n < free {
        return 0;
    }
    let doublings = u32::try_from(n - free).unwrap_or(u32::MAX).min(16);
    (FIRST_DELAY_SECS << doublings).min(LONGEST_DELAY_SECS)
}

/// `CASE` over the new count `n` (an SQL expression) giving [`delay_after`]
/// with `free` as parameter `$free`: one text for every `free`.
fn delay_sql(n: &str, free: &str) -> String {
    let mut sql = format!("CASE WHEN {n} < {free} THEN 0");
    let mut doublings = 0;
    while (FIRST_DELAY_SECS << doublings) < LONGEST_DELAY_SECS {
        sql.push_str(&format!(
            " WHEN {n} - {free} = {doublings} THEN {}",
            FIRST_DELAY_SECS << doublings
        ));
        doublings += 1;
    }
    sql.push_str(&format!(" ELSE {LONGEST_DELAY_SECS} END"));
    sql
}

// `window_start` holds the earliest time of the next attempt; `hits` the
// attempts in the current run. `$n` placeholders serve both databases (see
// `rate_limit`). The update happens only when the wait is over, so a refused
// attempt changes nothing and no row is returned.
fn take_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let fresh = "rate_limits.window_start <= $3";
        let n = format!("(CASE WHEN {fresh} THEN 1 ELSE rate_limits.hits + 1 END)");
        format!(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket) DO UPDATE SET \
             hits = {n}, \
             window_start = $4 + {} \
             WHERE rate_limits.window_start <= $4 \
             RETURNING hits",
            delay_sql(&n, "$5")
        )
    })
}

/// Counts one attempt on `bucket` if its wait is over; `RateLimited` (with
/// the seconds left) otherwise. `free`: attempts allowed before waits begin.
pub async fn take(db: &DatabaseConnection, bucket: &str, free: u32) -> Result<(), AppError> {
    let now = Utc::now().timestamp();
    let free = i64::from(free.max(1));
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            take_sql(),
            [
                bucket.into(),
                (now + delay_after(1, free)).into(),
                (now - FORGET_AFTER_SECS).into(),
                now.into(),
                free.into(),
            ],
        ))
        .await?;
    if row.is_some() {
        return Ok(());
    }
    let next = entities::rate_limit::Entity::find_by_id(bucket.to_owned())
        .one(db)
        .await?
        .map_or(now + 1, |row| row.window_start);
    Err(AppError::RateLimited {
        retry_after: u64::try_from(next - now).unwrap_or(1).max(1),
    })
}

/// Starts `bucket` over (after a success).
pub async fn forget(db: &DatabaseConnection, bucket: &str) -> Result<(), DbErr> {
    entities::rate_limit::Entity::delete_by_id(bucket.to_owned())
        .exec(db)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn database() -> DatabaseConnection {
        let (db, _) = crate::db::connect("sqlite::memory:", 1)
            .await
            .expect("a database");
        crate::db::migrate(&db).await.expect("migrated");
        db
    }

    #[test]
    fn delays_grow_from_the_first_unfree_attempt_up_to_the_longest() {
        let delays: Vec<i64> = (1..=10).map(|n| delay_after(n, 5)).collect();
        assert_eq!(delays, [0, 0, 0, 0, 60, 120, 240, 480, 900, 900]);
        assert_eq!(delay_after(1, 1), 60);
        assert_eq!(delay_after(i64::MAX, 1), LONGEST_DELAY_SECS);
    }

    #[tokio::test]
    async fn take_refuses_past_the_free_attempts_until_forgotten() {
        let db = database().await;
        for _ in 0..3 {
            take(&db, "t:a", 3).await.expect("a free attempt");
        }
        match take(&db, "t:a", 3).await {
            Err(AppError::RateLimited { retry_after }) => assert!(retry_after > 50),
            other => panic!("not refused: {other:?}"),
        }
        take(&db, "t:b", 3).await.expect("another bucket is apart");
        forget(&db, "t:a").await.expect("forgotten");
        take(&db, "t:a", 3).await.expect("starts over");
    }
}
