//! The response cache on `/graphql`: looking a request up, keeping a
//! query's answer for everyone, and the one way a kept answer is served
//! (charged to the client's budget like a fresh one).

use std::{sync::Arc, time::Instant};

use async_graphql::Request;
use axum::{
    http::{header, HeaderMap},
    response::Response,
};

use super::{cost, headers, protocol::Delivery};
use crate::{cache, caller::Caller, changes::Reads, state::AppState};

/// Where an answer is kept: its key, and the epoch taken before the query
/// ran (see [`crate::changes`]).
pub(super) struct CacheSlot {
    key: Box<[u8]>,
    stamp: u64,
    /// Held until the answer is kept (or not): others asking wait for it.
    _flight: Option<cache::Flight>,
}

/// The kept answer to the request `key`, served; `None` when the request is
/// to run, with `delivery.cache` set when its answer may be kept. Not for
/// the cache: a reader with a voter cookie, an editor, a token.
pub(super) async fn lookup(
    state: &AppState,
    caller: &Caller,
    key: Box<[u8]>,
    delivery: &mut Delivery,
) -> Option<Response> {
    if caller.is_personal() || !state.cache.admit(&key) {
        return None;
    }
    let stamp = state.cache.stamp().await?;
    if let Some(entry) = state.cache.get(&key) {
        return Some(serve(state, caller, &entry, delivery).await);
    }
    let flight = state.cache.turn(&key).await;
    if let Some(entry) = state.cache.again(&key) {
        return Some(serve(state, caller, &entry, delivery).await);
    }
    delivery.cache = Some(CacheSlot {
        key,
        stamp,
        _flight: flight,
    });
    None
}

/// Where this request's answer may be kept: only a query's answer for
/// everyone is (a mutation's body may come again: it is never looked up
/// again either).
pub(super) fn claim(
    state: &AppState,
    slot: Option<CacheSlot>,
    personal: bool,
    request: &mut Request,
) -> Option<CacheSlot> {
    let slot = slot.filter(|_| !personal)?;
    if super::protocol::runs_a_query(request) {
        Some(slot)
    } else {
        state.cache.refuse(&slot.key);
        None
    }
}

/// Keeps `entry`, the answer every anonymous client gets, in `slot`, with
/// what it read.
pub(super) fn keep(state: &AppState, slot: CacheSlot, reads: &Reads, entry: cache::Entry) {
    state
        .cache
        .put(slot.key, slot.stamp, reads.set(), Arc::new(entry));
}

/// A kept answer, charged to the client's budget like a fresh one; a 304
/// when the client holds it.
async fn serve(
    state: &AppState,
    caller: &Caller,
    entry: &cache::Entry,
    delivery: &Delivery,
) -> Response {
    let started = Instant::now();
    let response = match cost::charge_kept(state, caller, entry.extra.cost, delivery.media).await {
        Err(refusal) => *refusal,
        Ok(allowance) => respond(entry, delivery, allowance),
    };
    super::record(
        &state.metrics,
        entry.extra.operation.as_deref(),
        &response,
        started,
    );
    response
}

fn respond(
    entry: &cache::Entry,
    delivery: &Delivery,
    allowance: Option<headers::Allowance>,
) -> Response {
    if let Some(etag) = entry
        .extra
        .etag
        .as_deref()
        .filter(|etag| delivery.holds(etag))
    {
        return headers::not_modified(etag);
    }
    match (allowance, &entry.extra.json) {
        // The client's own figures go into the body: it is made afresh.
        (Some(allowance), Some(json)) => headers::answer(
            entry.status,
            cost::with_figures(json, &allowance),
            entry.headers.clone(),
            Some(&allowance),
            None,
        ),
        _ => {
            let mut request = HeaderMap::new();
            if let Some(accept) = &delivery.accept_encoding {
                request.insert(header::ACCEPT_ENCODING, accept.clone());
            }
            entry.respond(&request)
        }
    }
}
