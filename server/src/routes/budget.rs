//! Every API client spends a budget of query cost per minute: the cost of
//! each answered query is added to the client's bucket in the database, so
//! every instance counts together. A client past its budget is refused with
//! `RATE_LIMITED` until the window ends; `RateLimit-*` headers say where it
//! stands.

use std::collections::HashMap;
use std::sync::Mutex;

use chrono::Utc;
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};

use crate::domain::rate_limit::{self, Limit, Usage};
use crate::graphql::Caller;

/// The window budgets are counted over, in seconds.
pub const WINDOW_SECS: u32 = 60;

/// Query cost each client may spend per window, and who is over it.
pub struct ApiBudget {
    limit: Limit,
    /// Clients known (here) to be over budget, until their window ends.
    blocked: Mutex<HashMap<String, i64>>,
}

/// Who pays for a request: its API token when it has one (never stored,
/// only a hash), else its address.
pub fn client_key(caller: &Caller) -> String {
    match &caller.bearer {
        Some(token) => format!(
            "token:{}",
            &hex::encode(Sha256::digest(token.as_bytes()))[..32]
        ),
        None => match caller.address.0 {
            Some(address) => format!("address:{address}"),
            None => "address:unknown".to_owned(),
        },
    }
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
}
