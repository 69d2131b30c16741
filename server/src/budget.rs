//! Every API client spends a budget of query cost per minute: the cost of
//! each query is added to the client's bucket in the database after it is
//! validated and before it runs (one atomic upsert, so every instance and
//! every concurrent request counts together). A query runs only while the
//! bucket was under budget before its own cost; past that the client is
//! refused with `RATE_LIMITED` until the window ends. `RateLimit-*` headers
//! say where it stands.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use sea_orm::DatabaseConnection;

use crate::domain::rate_limit::{self, Limit, Usage};

/// The window budgets are counted over, in seconds.
pub const WINDOW_SECS: u32 = 60;

/// Query cost each client may spend per window, and who is over it.
pub struct ApiBudget {
    limit: Limit,
    /// Clients known (here) to be over budget, until their window ends.
    blocked: Mutex<HashMap<String, i64>>,
}

impl ApiBudget {
    /// `per_window` cost points per client per minute; 0 turns budgets off.
    pub fn new(per_window: u32) -> Self {
        ApiBudget {
            limit: Limit {
                scope: "api-cost",
                max: per_window,
                window_secs: WINDOW_SECS,
            },
            blocked: Mutex::new(HashMap::new()),
        }
    }

    /// Whether budgets are counted at all.
    pub fn enabled(&self) -> bool {
        self.limit.max > 0
    }

    /// Points per window.
    pub fn per_window(&self) -> u32 {
        self.limit.max
    }

    /// Seconds until `key` may query again, when it is over budget.
    pub fn wait(&self, key: &str) -> Option<u64> {
        let now = Utc::now().timestamp();
        let mut blocked = self.blocked.lock().ok()?;
        blocked.retain(|_, until| *until > now);
        blocked
            .get(key)
            .map(|until| u64::try_from(until - now).unwrap_or(1).max(1))
    }

    /// Charges `cost` to `key`; remembers it as blocked once it is over.
    pub async fn charge(&self, db: &DatabaseConnection, key: &str, cost: i64) -> Option<Usage> {
        let usage = match rate_limit::charge(db, self.limit, key, cost.max(1)).await {
            Ok(usage) => usage,
            Err(error) => {
                tracing::error!(%error, "the API budget could not be charged");
                return None;
            }
        };
        if usage.used >= i64::from(self.limit.max) {
            if let Ok(mut blocked) = self.blocked.lock() {
                blocked.insert(key.to_owned(), usage.window_end);
            }
        }
        Some(usage)
    }

    /// Gives `amount` back to `key` in the window of `usage` (none once that
    /// window is over); where it stands afterwards.
    pub async fn refund(
        &self,
        db: &DatabaseConnection,
        key: &str,
        usage: Usage,
        amount: i64,
    ) -> Usage {
        let window_start = usage.window_end - i64::from(WINDOW_SECS);
        match rate_limit::refund(db, self.limit, key, window_start, amount).await {
            Ok(Some(used)) => {
                if used < i64::from(self.limit.max) {
                    if let Ok(mut blocked) = self.blocked.lock() {
                        blocked.remove(key);
                    }
                }
                Usage { used, ..usage }
            }
            Ok(None) => usage,
            Err(error) => {
                tracing::warn!(%error, "a query's unused cost could not be refunded");
                usage
            }
        }
    }
}

/// One request's account with the budget: the query-cost extension charges
/// the validated cost to it before execution, and the route reads back
/// where the client stands.
pub struct BudgetTicket {
    budget: Arc<ApiBudget>,
    db: DatabaseConnection,
    key: String,
    usage: Mutex<Option<Usage>>,
    /// What was charged before the query ran (its estimated cost).
    charged: Mutex<Option<i64>>,
}

impl BudgetTicket {
    /// A ticket for the client `key`.
    pub fn new(budget: Arc<ApiBudget>, db: DatabaseConnection, key: String) -> Arc<Self> {
        Arc::new(BudgetTicket {
            budget,
            db,
            key,
            usage: Mutex::new(None),
            charged: Mutex::new(None),
        })
    }

    /// Points per window.
    pub fn per_window(&self) -> u32 {
        self.budget.per_window()
    }

    /// Charges `cost`; `Err(seconds to wait)` when the client was already at
    /// its budget before this query (the query must not run). The query
    /// that crosses the budget still runs, so nothing concurrent can spend
    /// more than one query past it.
    pub async fn charge(&self, cost: i64) -> Result<(), u64> {
        let cost = cost.max(1);
        let Some(usage) = self.budget.charge(&self.db, &self.key, cost).await else {
            return Ok(());
        };
        if let Ok(mut slot) = self.usage.lock() {
            *slot = Some(usage);
        }
        if let Ok(mut slot) = self.charged.lock() {
            *slot = Some(cost);
        }
        if usage.used - cost >= i64::from(self.budget.per_window()) {
            let now = Utc::now().timestamp();
            return Err(u64::try_from(usage.window_end - now).unwrap_or(1).max(1));
        }
        Ok(())
    }

    /// Where the client stands after this request: its charge, less what
    /// the answer did not use when it returned clearly less than its
    /// estimate (`actual`: a page of 100 that held 10), or, when the
    /// request never reached validation (a document that does not parse),
    /// a charge of 1 now.
    pub async fn settle(&self, actual: Option<i64>) -> Option<Usage> {
        let usage = self.usage.lock().ok().and_then(|slot| *slot);
        let charged = self.charged.lock().ok().and_then(|slot| *slot);
        match (usage, charged, actual) {
            (Some(usage), Some(charged), Some(actual)) if unused(charged, actual) > 0 => Some(
                self.budget
                    .refund(&self.db, &self.key, usage, unused(charged, actual))
                    .await,
            ),
            (Some(usage), ..) => Some(usage),
            (None, ..) => self.budget.charge(&self.db, &self.key, 1).await,
        }
    }
}

/// What to give back of a charge: nothing for small differences (a refund
/// is one more statement), else all that the answer did not use.
fn unused(charged: i64, actual: i64) -> i64 {
    let unused = charged - actual.max(1);
    if unused >= 10 && unused * 10 >= charged {
        unused
    } else {
        0
    }
}
