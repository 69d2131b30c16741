//! Prometheus metrics for `/metrics`: GraphQL requests by operation and
//! status, their latency, rate-limit refusals, the connection pool and the
//! SQL statements run.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;
use std::time::Duration;

use sea_orm::{DatabaseBackend, DatabaseConnection};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];
/// Distinct operation names kept as labels; later names count as `other`,
/// so a client cannot grow the metrics without bound.
const MAX_OPERATIONS: usize = 200;

/// Counters shared by every request of this process.
#[derive(Default)]
pub struct Metrics {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    requests: BTreeMap<(String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
    rate_limited: u64,
}

#[derive(Default, Clone)]
struct Histogram {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

/// An operation name safe to use as a label.
fn label(operation: Option<&str>) -> String {
    match operation {
        None => "anonymous".to_owned(),
        Some(name)
            if !name.is_empty()
                && name.len() <= 64
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
        {
            name.to_owned()
        }
        Some(_) => "other".to_owned(),
    }
}

impl Metrics {
    /// Counts one GraphQL request.
    pub fn record(
        &self,
        operation: Option<&str>,
        status: u16,
        elapsed: Duration,
        rate_limited: bool,
    ) {
        let Ok(mut inner) = self.inner.lock() else {
            return;
        };
        let mut name = label(operation);
        if !inner.latency.contains_key(&name) && inner.latency.len() >= MAX_OPERATIONS {
            name = "other".to_owned();
        }
        *inner.requests.entry((name.clone(), status)).or_default() += 1;
        let seconds = elapsed.as_secs_f64();
        let histogram = inner.latency.entry(name).or_default();
        histogram.count += 1;
        histogram.sum += seconds;
        for (bucket, bound) in histogram.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= bound {
                *bucket += 1;
            }
        }
        if rate_limited {
            inner.rate_limited += 1;
        }
    }

    /// Everything, in the Prometheus text format.
    pub fn render(
        &self,
        db: &DatabaseConnection,
        (statements, background): (u64, u64),
        cache: &crate::cache::Counts,
        (kept_bytes, budget_bytes): (u64, u64),
        changes: &crate::changes::Counts,
    ) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "# HELP verdicts_sql_statements_total SQL statements executed by this process for requests (besides reads of the change log and the timed background tasks).\n\
             # TYPE verdicts_sql_statements_total counter\n\
             verdicts_sql_statements_total {statements}\n\
             # HELP verdicts_sql_background_statements_total SQL statements executed by the timed background tasks (webhook deliveries, scans, pruning, mail).\n\
             # TYPE verdicts_sql_background_statements_total counter\n\
             verdicts_sql_background_statements_total {background}"
        );
        let load = |counter: &std::sync::atomic::AtomicU64| {
            counter.load(std::sync::atomic::Ordering::Relaxed)
        };
        let _ = writeln!(
            out,
            "# HELP verdicts_cache_hits_total Answers served from the response cache.\n\
             # TYPE verdicts_cache_hits_total counter\n\
             verdicts_cache_hits_total {}\n\
             # HELP verdicts_cache_misses_total Cacheable requests answered afresh.\n\
             # TYPE verdicts_cache_misses_total counter\n\
             verdicts_cache_misses_total {}\n\
             # HELP verdicts_cache_stale_total Of the misses, answers that were kept but had read something changed since.\n\
             # TYPE verdicts_cache_stale_total counter\n\
             verdicts_cache_stale_total {}\n\
             # HELP verdicts_cache_log_reads_total Reads of the change log.\n\
             # TYPE verdicts_cache_log_reads_total counter\n\
             verdicts_cache_log_reads_total {}\n\
             # HELP verdicts_cache_changes_total Changes read from the log, by any instance.\n\
             # TYPE verdicts_cache_changes_total counter\n\
             verdicts_cache_changes_total {}\n\
             # HELP verdicts_cache_kept_bytes What the kept answers weigh (bodies, compressed copies, bookkeeping).\n\
             # TYPE verdicts_cache_kept_bytes gauge\n\
             verdicts_cache_kept_bytes {kept_bytes}\n\
             # HELP verdicts_cache_budget_bytes The most the kept answers may weigh (--cache-mb).\n\
             # TYPE verdicts_cache_budget_bytes gauge\n\
             verdicts_cache_budget_bytes {budget_bytes}",
            load(&cache.hits),
            load(&cache.misses),
            load(&cache.stale),
            load(&changes.polls),
            load(&changes.changes)
        );
        let (size, idle) = pool_use(db);
        let _ = writeln!(
            out,
            "# HELP verdicts_db_pool_connections Connections the pool holds open.\n\
             # TYPE verdicts_db_pool_connections gauge\n\
             verdicts_db_pool_connections {size}\n\
             # HELP verdicts_db_pool_idle_connections Open connections not in use.\n\
             # TYPE verdicts_db_pool_idle_connections gauge\n\
             verdicts_db_pool_idle_connections {idle}"
        );
        let Ok(inner) = self.inner.lock() else {
            return out;
        };
        let _ = writeln!(
            out,
            "# HELP verdicts_graphql_requests_total GraphQL requests by operation name and HTTP status.\n\
             # TYPE verdicts_graphql_requests_total counter"
        );
        for ((operation, status), count) in &inner.requests {
            let _ = writeln!(
                out,
                "verdicts_graphql_requests_total{{operation=\"{operation}\",status=\"{status}\"}} {count}"
            );
        }
        let _ = writeln!(
            out,
            "# HELP verdicts_graphql_request_duration_seconds Time to answer a GraphQL request.\n\
             # TYPE verdicts_graphql_request_duration_seconds histogram"
        );
        for (operation, histogram) in &inner.latency {
            for (bound, count) in BUCKETS.iter().zip(histogram.buckets) {
                let _ = writeln!(
                    out,
                    "verdicts_graphql_request_duration_seconds_bucket{{operation=\"{operation}\",le=\"{bound}\"}} {count}"
                );
            }
            let _ = writeln!(
                out,
                "verdicts_graphql_request_duration_seconds_bucket{{operation=\"{operation}\",le=\"+Inf\"}} {count}\n\
                 verdicts_graphql_request_duration_seconds_sum{{operation=\"{operation}\"}} {sum}\n\
                 verdicts_graphql_request_duration_seconds_count{{operation=\"{operation}\"}} {count}",
                count = histogram.count,
                sum = histogram.sum,
            );
        }
        let _ = writeln!(
            out,
            "# HELP verdicts_rate_limited_total Requests refused for going over a rate limit.\n\
             # TYPE verdicts_rate_limited_total counter\n\
             verdicts_rate_limited_total {}",
            inner.rate_limited
        );
        out
    }
}

/// `(open, idle)` connections of the pool.
fn pool_use(db: &DatabaseConnection) -> (u32, usize) {
    match db.get_database_backend() {
        DatabaseBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_operation_names_become_other() {
        assert_eq!(label(Some("Compare")), "Compare");
        assert_eq!(label(Some("a\"} 1\nevil{")), "other");
        assert_eq!(label(None), "anonymous");
    }
}
