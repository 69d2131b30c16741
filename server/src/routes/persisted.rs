//! Automatic persisted queries (Apollo's protocol): a client sends the
//! SHA-256 of a query instead of its text; on a miss it sends both once,
//! and the server remembers the text under its hash.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use async_graphql::Request;
use sha2::{Digest, Sha256};

/// Most query texts remembered; the oldest go first.
const CAPACITY: usize = 10_000;
/// Longest query text remembered, in bytes (the body limit bounds it too).
const MAX_QUERY_BYTES: usize = 64 * 1024;

/// Query texts by the hex SHA-256 of their text, in this process. A miss
/// costs a client one round trip, so instances need not share them.
#[derive(Clone, Default)]
pub struct PersistedQueries {
    inner: Arc<Mutex<Store>>,
}

#[derive(Default)]
struct Store {
    by_hash: HashMap<String, Arc<str>>,
    order: VecDeque<String>,
}

/// Why a persisted query could not be used.
#[derive(Debug, PartialEq, Eq)]
pub enum Refused {
    /// The hash is unknown here: send the query text with it.
    NotFound,
    /// Something else, in words for the developer.
    Invalid(String),
}

impl PersistedQueries {
    fn get(&self, hash: &str) -> Option<Arc<str>> {
        let store = self.inner.lock().ok()?;
        store.by_hash.get(hash).cloned()
    }

    fn remember(&self, hash: String, query: &str) {
        let Ok(mut store) = self.inner.lock() else {
            return;
        };
        if store.by_hash.contains_key(&hash) || query.len() > MAX_QUERY_BYTES {
            return;
        }
        while store.order.len() >= CAPACITY {
            if let Some(oldest) = store.order.pop_front() {
                store.by_hash.remove(&oldest);
            }
        }
        store.order.push_back(hash.clone());
        store.by_hash.insert(hash, Arc::from(query));
    }
}

/// Fills in (or checks and remembers) the text of a request that carries
/// `extensions.persistedQuery`; other requests pass through unchanged.
pub fn resolve(store: &PersistedQueries, mut request: Request) -> Result<Request, Refused> {
    let Some(persisted) = request.extensions.get("persistedQuery") else {
        return Ok(request);
    };
    let persisted = persisted
        .clone()
        .into_json()
        .map_err(|e| Refused::Invalid(format!("`persistedQuery` is unreadable: {e}")))?;
    if persisted.get("version").and_then(|v| v.as_i64()) != Some(1) {
        return Err(Refused::Invalid(
            "`persistedQuery.version` must be 1".to_owned(),
        ));
    }
    let hash = persisted
        .get("sha256Hash")
        .and_then(|h| h.as_str())
        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
        .ok_or_else(|| {
            Refused::Invalid("`persistedQuery.sha256Hash` must be 64 hex digits".to_owned())
        })?
        .to_ascii_lowercase();
    if request.query.is_empty() {
        let query = store.get(&hash).ok_or(Refused::NotFound)?;
        request.query = query.to_string();
    } else {
        let actual = hex::encode(Sha256::digest(request.query.as_bytes()));
        if actual != hash {
            return Err(Refused::Invalid(format!(
                "`persistedQuery.sha256Hash` does not match the query (its SHA-256 is {actual})"
            )));
        }
        store.remember(hash, &request.query);
    }
    request.extensions.remove("persistedQuery");
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_hash(query: &str, hash: &str) -> Request {
        let mut request = Request::new(query);
        request.extensions.insert(
            "persistedQuery".to_owned(),
            async_graphql::Value::from_json(
                serde_json::json!({ "version": 1, "sha256Hash": hash }),
            )
            .expect("a value"),
        );
        request
    }

    #[test]
    fn a_hash_is_refused_until_its_query_was_sent_once() {
        let store = PersistedQueries::default();
        let query = "{ __typename }";
        let hash = hex::encode(Sha256::digest(query.as_bytes()));
        assert_eq!(
            resolve(&store, with_hash("", &hash)).err(),
            Some(Refused::NotFound)
        );
        let first = resolve(&store, with_hash(query, &hash)).expect("registered");
        assert_eq!(first.query, query);
        let later = resolve(&store, with_hash("", &hash)).expect("found");
        assert_eq!(later.query, query);
        assert!(matches!(
            resolve(&store, with_hash("{ other }", &hash)),
            Err(Refused::Invalid(_))
        ));
    }
}
