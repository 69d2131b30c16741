//! Fixed-window rate limits kept in the database, so every instance sharing
//! it counts together. A bucket that trips is recorded as an anomaly (once
//! per window) for editors.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, Statement};

use crate::error::AppError;

/// At most `max` requests per `window_secs` for each key of one scope.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// What is limited, such as `vote-voter`; `vote-` scopes record anomalies.
    pub scope: &'static str,
    /// Requests allowed per window.
    pub max: u32,
    /// The window's length in seconds.
    pub window_secs: u32,
}

// `$n` placeholders: PostgreSQL's, and SQLite reads them as named parameters
// numbered in order of appearance, so one text serves both.
const HIT: &str = "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, $3) \
    ON CONFLICT (bucket) DO UPDATE SET \
    hits = CASE WHEN rate_limits.window_start = excluded.window_start \
        THEN rate_limits.hits + excluded.hits ELSE excluded.hits END, \
    window_start = excluded.window_start \
    RETURNING hits";

/// Where a bucket stands after a charge.
#[derive(Debug, Clone, Copy)]
pub struct Usage {
    /// What the bucket has used in this window, the charge included.
    pub used: i64,
    /// When the window ends (Unix seconds).
    pub window_end: i64,
}

/// Adds `amount` to `key`'s bucket for this window and says where it stands.
pub async fn charge(
    db: &DatabaseConnection,
    limit: Limit,
    key: &str,
    amount: i64,
) -> Result<Usage, AppError> {
    let window = i64::from(limit.window_secs.max(1));
    let now = Utc::now().timestamp();
    let window_start = now - now.rem_euclid(window);
    let bucket = format!("{}:{key}", limit.scope);
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            HIT,
            [bucket.into(), window_start.into(), amount.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("rate limit upsert returned nothing".into()))?;
    Ok(Usage {
        used: row.try_get_by_index(0)?,
        window_end: window_start + window,
    })
}

/// Takes `amount` off `key`'s bucket if its window still starts at
/// `window_start`; the bucket's new count, or `None` when the window is
/// over (nothing to give back).
pub async fn refund(
    db: &DatabaseConnection,
    limit: Limit,
    key: &str,
    window_start: i64,
    amount: i64,
) -> Result<Option<i64>, AppError> {
    let bucket = format!("{}:{key}", limit.scope);
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "UPDATE rate_limits SET hits = CASE WHEN hits > $1 THEN hits - $1 ELSE 0 END \
             WHERE bucket = $2 AND window_start = $3 RETURNING hits",
            [amount.into(), bucket.into(), window_start.into()],
        ))
        .await?;
    Ok(match row {
        Some(row) => Some(row.try_get_by_index(0)?),
        None => None,
    })
}

/// Counts one request for `key`; `RateLimited` (with the seconds until the
/// window ends) once the limit is passed.
pub async fn hit<C: ConnectionTrait>(
    db: &C,
    limit: Limit,
    key: &str,
    tool_id: Option<i64>,
) -> Result<(), AppError> {
    hit_many(db, limit, &[(key, tool_id)])
        .await?
        .pop()
        .unwrap_or(Ok(()))
}

/// Counts one request for each `(key, tool)` in order, one statement per
/// run of up to 32 keys (see [`runs`]), and says for each whether it passed: exactly what calling [`hit`] for
/// each in turn would say (the k-th request of a key in this window is
/// refused when the key's count, it included, passes the limit).
pub async fn hit_many<C: ConnectionTrait>(
    db: &C,
    limit: Limit,
    requests: &[(&str, Option<i64>)],
) -> Result<Vec<Result<(), AppError>>, AppError> {
    if requests.is_empty() {
        return Ok(Vec::new());
    }
    let window = i64::from(limit.window_secs.max(1));
    let now = Utc::now().timestamp();
    let window_start = now - now.rem_euclid(window);
    // Each bucket once (an upsert may not touch a row twice), with its count.
    let mut buckets: Vec<(String, i64)> = Vec::new();
    let mut index = std::collections::HashMap::new();
    let mut which = Vec::with_capacity(requests.len());
    for (key, _) in requests {
        let bucket = format!("{}:{key}", limit.scope);
        let at = *index.entry(bucket.clone()).or_insert_with(|| {
            buckets.push((bucket, 0));
            buckets.len() - 1
        });
        buckets[at].1 += 1;
        which.push(at);
    }
    let mut totals = std::collections::HashMap::new();
    for run in runs(&buckets) {
        let mut values = Vec::with_capacity(run.len() * 3);
        let mut rows = Vec::with_capacity(run.len());
        for (i, (bucket, count)) in run.iter().enumerate() {
            rows.push(format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3));
            values.push(bucket.clone().into());
            values.push(window_start.into());
            values.push((*count).into());
        }
        let sql = format!(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES {} \
             ON CONFLICT (bucket) DO UPDATE SET \
             hits = CASE WHEN rate_limits.window_start = excluded.window_start \
                 THEN rate_limits.hits + excluded.hits ELSE excluded.hits END, \
             window_start = excluded.window_start \
             RETURNING bucket, hits",
            rows.join(", ")
        );
        for row in db
            .query_all_raw(Statement::from_sql_and_values(
                db.get_database_backend(),
                sql,
                values,
            ))
            .await?
        {
            let bucket: String = row.try_get_by_index(0)?;
            let hits: i64 = row.try_get_by_index(1)?;
            totals.insert(bucket, hits);
        }
    }
    // The hits each bucket had before this batch; then one more per request.
    let mut seen: Vec<i64> = buckets
        .iter()
        .map(|(bucket, count)| totals.get(bucket).copied().unwrap_or(*count) - count)
        .collect();
    let mut outcomes = Vec::with_capacity(requests.len());
    for ((_, tool_id), at) in requests.iter().zip(which) {
        seen[at] += 1;
        let hits = seen[at];
        if hits <= i64::from(limit.max) {
            outcomes.push(Ok(()));
            continue;
        }
        if limit.scope.starts_with("vote-") {
            let kind = format!(
                "{}_RATE_EXCEEDED",
                limit.scope.replace('-', "_").to_uppercase()
            );
            crate::domain::anomalies::record(
                db,
                &kind,
                &buckets[at].0,
                *tool_id,
                hits,
                window_start,
            )
            .await?;
        }
        outcomes.push(Err(AppError::RateLimited {
            retry_after: retry_after(window_start, window, now),
        }));
    }
    Ok(outcomes)
}

/// Splits `items` into runs of 32, 16, 8, 4, 2 and 1, for one statement per
/// run: a statement's text depends on its number of rows, and each
/// connection keeps every text it prepared, so six shapes stay cached where
/// one per batch size would fill the caches with large programs.
pub fn runs<T>(mut items: &[T]) -> Vec<&[T]> {
    let mut out = Vec::new();
    while !items.is_empty() {
        let size = (1usize << items.len().ilog2()).min(32);
        let (run, rest) = items.split_at(size);
        out.push(run);
        items = rest;
    }
    out
}

fn retry_after(window_start: i64, window: i64, now: i64) -> u64 {
    u64::try_from(window_start + window - now)
        .unwrap_or(1)
        .max(1)
}

/// `RateLimited` if `key` has already used up this window, without counting.
pub async fn check(db: &DatabaseConnection, limit: Limit, key: &str) -> Result<(), AppError> {
    let window = i64::from(limit.window_secs.max(1));
    let now = Utc::now().timestamp();
    let window_start = now - now.rem_euclid(window);
    let bucket = format!("{}:{key}", limit.scope);
    let row = entities::rate_limit::Entity::find_by_id(bucket)
        .one(db)
        .await?;
    match row {
        Some(row) if row.window_start == window_start && row.hits >= i64::from(limit.max) => {
            Err(AppError::RateLimited {
                retry_after: retry_after(window_start, window, now),
            })
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One connection: an in-memory SQLite database is per connection.
    async fn database() -> DatabaseConnection {
        let (db, _) = crate::db::connect("sqlite::memory:", 1)
            .await
            .expect("a database");
        crate::db::migrate(&db).await.expect("migrated");
        db
    }

    #[tokio::test]
    async fn hit_many_says_what_hitting_one_by_one_would() {
        let db = database().await;
        let limit = Limit {
            scope: "test",
            max: 3,
            window_secs: 3600,
        };
        hit(&db, limit, "a", None).await.expect("the first of a");
        let outcomes = hit_many(
            &db,
            limit,
            &[
                ("a", None),
                ("b", None),
                ("a", None),
                ("a", None),
                ("b", None),
            ],
        )
        .await
        .expect("counted");
        let passed: Vec<bool> = outcomes.iter().map(Result::is_ok).collect();
        // `a` had one hit: its 2nd and 3rd pass, its 4th does not; `b` passes.
        assert_eq!(passed, [true, true, true, false, true]);
        assert!(matches!(hit(&db, limit, "b", None).await, Ok(())));
        assert!(matches!(
            hit(&db, limit, "b", None).await,
            Err(AppError::RateLimited { .. })
        ));
        assert!(hit_many(&db, limit, &[]).await.expect("nothing").is_empty());
    }

    #[test]
    fn runs_are_powers_of_two_up_to_32() {
        let items: Vec<u32> = (0..77).collect();
        let sizes: Vec<usize> = runs(&items).iter().map(|r| r.len()).collect();
        assert_eq!(sizes, [32, 32, 8, 4, 1]);
        assert!(runs::<u32>(&[]).is_empty());
    }
}
