//! The response cache: rendered pages and anonymous GraphQL answers, kept in
//! memory and keyed on the exact request.
//!
//! Each kept answer knows what it read (tools, comparisons, categories and
//! reviewers by id, any list of them, any order by score: see
//! [`crate::changes`]) and the epoch it was computed from, taken *before* it
//! read anything. It is served only while nothing it read has changed since
//! that epoch, which this instance knows without a database round trip: a
//! write ends only the answers that read what it touched (a vote on one tool
//! leaves the pages that do not show it, except those ordered or filtered by
//! score). Changes this instance makes are applied before the write is
//! answered; changes made by other instances sharing the database are
//! applied within [`crate::changes::STALENESS_BOUND`] (1 s), and when the
//! change log cannot be read for that long, nothing is served from the cache.
//!
//! Entries also expire after `max_age` (pages show times relative to now),
//! and the whole cache is bounded in bytes: the store is a `moka` cache
//! weighed in bytes, whose admission and eviction (TinyLFU: an answer asked
//! for often stays, a burst of one-off answers does not push it out) decide
//! what is kept. Compressed variants (brotli, gzip) are made once per entry,
//! when a client first asks for them.

use std::{
    collections::HashMap,
    io::Write,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, OnceLock,
    },
    time::Duration,
};

use crate::{
    caller::Caller,
    changes::{Changes, ReadSet, Reads},
    state::AppState,
};
use axum::{
    body::{Body, Bytes},
    extract::{Request, State},
    http::{header, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Bodies smaller than this are sent as they are: compressing saves nothing.
const COMPRESS_FROM_BYTES: usize = 1024;
/// The largest page the cache reads into memory.
pub(crate) const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// What a key stands for, so that a page and a query never share one.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// A rendered page, keyed on its path and query string.
    Page = 1,
    /// A GraphQL POST, keyed on the media type and the body.
    GraphqlPost = 2,
    /// A GraphQL GET, keyed on the media type and the query string.
    GraphqlGet = 3,
}

/// A cache key: the kind, then the bytes that make the request.
pub fn key(kind: Kind, parts: &[&[u8]]) -> Box<[u8]> {
    let mut key = Vec::with_capacity(1 + parts.iter().map(|p| p.len() + 1).sum::<usize>());
    key.push(kind as u8);
    for part in parts {
        key.extend_from_slice(part);
        // A separator that cannot occur in a header value or a path.
        key.push(0);
    }
    key.into_boxed_slice()
}

/// One kept answer.
pub struct Entry {
    /// The status (always a success: only those are kept).
    pub status: StatusCode,
    /// The headers to send with it (never `Set-Cookie`).
    pub headers: HeaderMap,
    body: Bytes,
    gzip: OnceLock<Option<Bytes>>,
    brotli: OnceLock<Option<Bytes>>,
    /// Whatever else the kind of answer needs to serve it again.
    pub extra: Extra,
}

/// What a GraphQL answer keeps beside its body.
#[derive(Debug, Default, Clone)]
pub struct Extra {
    /// The operation's name, for the metrics.
    pub operation: Option<String>,
    /// What the query cost, charged again to each client it is served to.
    pub cost: i64,
    /// The answer before the per-client budget was written into it (kept
    /// only while the budget is on).
    pub json: Option<serde_json::Value>,
    /// The entity tag of an anonymous GET's answer, computed once when the
    /// answer was kept.
    pub etag: Option<String>,
}

impl Entry {
    /// An answer to keep. Its body is copied into an allocation of its own
    /// length: a body serialised into a growing buffer (a GraphQL answer)
    /// holds up to twice its length, and a kept one would hold that for
    /// as long as it is kept, outside what the budget counts.
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes, extra: Extra) -> Self {
        Entry {
            status,
            headers,
            body: Bytes::copy_from_slice(&body),
            gzip: OnceLock::new(),
            brotli: OnceLock::new(),
            extra,
        }
    }

    /// What the entry takes in memory, roughly, in bytes.
    fn size(&self) -> usize {
        // The compressed variants, when made, are a fraction of the body; a
        // parsed JSON answer takes a few times its text. What it read is
        // counted with the kept answer.
        let json = if self.extra.json.is_some() {
            3 * self.body.len()
        } else {
            0
        };
        self.body.len() + self.body.len() / 2 + json + 256
    }

    /// The answer, compressed as the request accepts.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let mut response = Response::new(Body::empty());
        *response.status_mut() = self.status;
        *response.headers_mut() = self.headers.clone();
        let (encoding, body) = self.encoded(request);
        let headers = response.headers_mut();
        if self.body.len() >= COMPRESS_FROM_BYTES {
            headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
        }
        if let Some(encoding) = encoding {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        *response.body_mut() = Body::from(body);
        response
    }

    fn encoded(&self, request: &HeaderMap) -> (Option<&'static str>, Bytes) {
        if self.body.len() < COMPRESS_FROM_BYTES {
            return (None, self.body.clone());
        }
        let accepted = Accepted::from(request);
        if accepted.brotli {
            if let Some(body) = self.brotli.get_or_init(|| brotli(&self.body)) {
                return (Some("br"), body.clone());
            }
        }
        if accepted.gzip {
            if let Some(body) = self.gzip.get_or_init(|| gzip(&self.body)) {
                return (Some("gzip"), body.clone());
            }
        }
        (None, self.body.clone())
    }
}

/// The encodings a request accepts (a `q=0` refuses one).
#[derive(Debug, Default, PartialEq)]
struct Accepted {
    brotli: bool,
    gzip: bool,
}

impl From<&HeaderMap> for Accepted {
    fn from(headers: &HeaderMap) -> Self {
        let mut accepted = Accepted::default();
        for value in headers.get_all(header::ACCEPT_ENCODING) {
            let Ok(value) = value.to_str() else { continue };
            for coding in value.split(',') {
                let mut parts = coding.split(';').map(str::trim);
                let name = parts.next().unwrap_or("").to_ascii_lowercase();
                let refused = parts
                    .filter_map(|p| p.strip_prefix("q="))
                    .any(|q| q.parse::<f32>().is_ok_and(|q| q <= 0.0));
                match name.as_str() {
                    "br" => accepted.brotli = !refused,
                    "gzip" => accepted.gzip = !refused,
                    _ => {}
                }
            }
        }
        accepted
    }
}

/// `body` compressed with brotli at `quality` (0–11).
pub fn compress_brotli(body: &[u8], quality: u32) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 64 * 1024, quality, 22);
        writer.write_all(body)?;
    }
    Ok(out)
}

/// `body` compressed with gzip at `level` (0–9).
pub fn compress_gzip(body: &[u8], level: u32) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 4),
        flate2::Compression::new(level),
    );
    encoder.write_all(body)?;
    encoder.finish()
}

fn brotli(body: &[u8]) -> Option<Bytes> {
    compress_brotli(body, 6).ok().map(Bytes::from)
}

fn gzip(body: &[u8]) -> Option<Bytes> {
    compress_gzip(body, 6).ok().map(Bytes::from)
}

/// A kept answer, the epoch it was computed from, and what it read.
#[derive(Clone)]
struct Kept {
    stamp: u64,
    reads: Arc<ReadSet>,
    entry: Arc<Entry>,
}

impl Kept {
    /// What the entry and its reads take in memory, roughly, in bytes.
    fn size(&self) -> usize {
        self.entry.size() + self.reads.as_ref().as_ref().map_or(0, |r| r.len() * 16)
    }
}

/// Hits and misses since start, for `/metrics`.
#[derive(Debug, Default)]
pub struct Counts {
    /// Answers served from the cache.
    pub hits: AtomicU64,
    /// Cacheable requests answered afresh (or by waiting for another
    /// request computing the same answer).
    pub misses: AtomicU64,
    /// Of the misses, those whose answer was kept but had read something
    /// changed since (the others were never kept, or were evicted or
    /// expired).
    pub stale: AtomicU64,
}

/// The cache shared by every request of this process.
pub struct ResponseCache {
    max_bytes: usize,
    max_age: Duration,
    /// What changed since each answer was computed.
    pub changes: Arc<Changes>,
    /// The kept answers, weighed in bytes, each for 'max_age' at most.
    store: moka::sync::Cache<Box<[u8]>, Kept>,
    /// Hashes of the keys asked for once (`true`): an answer is kept from
    /// the second time it is asked for, so one-off requests (a crawler's, a
    /// refused query's) cost nothing; and of those never to keep (`false`:
    /// mutations).
    seen: moka::sync::Cache<u64, bool>,
    /// Answers being computed, by key: the others asking for the same wait
    /// for that one instead of computing it again (see [`ResponseCache::turn`]).
    flights: Mutex<HashMap<Box<[u8]>, tokio::sync::watch::Sender<()>>>,
    hasher: std::collections::hash_map::RandomState,
    /// Hits and misses.
    pub counts: Counts,
}

/// Keys remembered as asked for once, at most (the cache's own admission
/// and eviction choose which).
const SEEN_KEYS: u64 = 16_384;

impl ResponseCache {
    /// What the kept answers weigh now (as the store counts them: each
    /// body, its compressed copies' allowance and its bookkeeping), and the
    /// budget they are held within, in bytes.
    pub fn weight(&self) -> (u64, u64) {
        self.store.run_pending_tasks();
        (self.store.weighted_size(), self.max_bytes as u64)
    }

    /// A cache of at most `max_bytes` (0 turns it off) whose entries live at
    /// most `max_age`.
    pub fn new(changes: Arc<Changes>, max_bytes: usize, max_age: Duration) -> Self {
        let store = moka::sync::Cache::<Box<[u8]>, Kept>::builder()
            .max_capacity(max_bytes as u64)
            .weigher(|key, kept| u32::try_from(key.len() + kept.size()).unwrap_or(u32::MAX))
            .time_to_live(max_age.max(Duration::from_millis(1)))
            .build();
        ResponseCache {
            max_bytes,
            max_age,
            changes,
            store,
            seen: moka::sync::Cache::new(SEEN_KEYS),
            flights: Mutex::new(HashMap::new()),
            hasher: Default::default(),
            counts: Counts::default(),
        }
    }

    /// Whether answers are kept at all.
    pub fn enabled(&self) -> bool {
        self.max_bytes > 0 && !self.max_age.is_zero()
    }

    /// Whether `key` was asked for before (and so is worth keeping); the
    /// first time, it is remembered and `false` is the answer.
    pub fn admit(&self, key: &[u8]) -> bool {
        if !self.enabled() {
            return false;
        }
        let hash = self.hash(key);
        if let Some(keep) = self.seen.get(&hash) {
            return keep;
        }
        self.seen.insert(hash, true);
        false
    }

    /// Never keeps answers to `key` (a mutation's body: the next one alike
    /// is not looked up either).
    pub fn refuse(&self, key: &[u8]) {
        self.seen.insert(self.hash(key), false);
    }

    fn hash(&self, key: &[u8]) -> u64 {
        use std::hash::{BuildHasher, Hasher};
        let mut hasher = self.hasher.build_hasher();
        hasher.write(key);
        hasher.finish()
    }

    /// Whose turn it is to compute the answer for `key`, on a miss: the
    /// first to ask gets a [`Flight`] and computes it; the others wait until
    /// that one is done (kept or not) and get `None`: they then look again,
    /// and compute it themselves only if it still is not there. So after a
    /// change, 64 readers of one page cost one render, not 64 at once.
    pub async fn turn(self: &Arc<Self>, key: &[u8]) -> Option<Flight> {
        let mut done = {
            let mut flights = self.flights.lock().unwrap_or_else(|p| p.into_inner());
            match flights.get(key) {
                Some(flight) => flight.subscribe(),
                None => {
                    flights.insert(key.into(), tokio::sync::watch::channel(()).0);
                    return Some(Flight {
                        cache: self.clone(),
                        key: key.into(),
                    });
                }
            }
        };
        // The sender goes when the flight ends: `changed` then returns.
        let _ = done.changed().await;
        None
    }

    /// The epoch to compute an answer from, taken before it reads anything;
    /// `None` when answers may not be kept now (see [`Changes::stamp`]).
    pub async fn stamp(&self) -> Option<u64> {
        self.changes.stamp().await
    }

    /// The entry kept for `key`, if nothing it read has changed since it
    /// was computed: the request's lookup, counted as a hit or a miss.
    pub fn get(&self, key: &[u8]) -> Option<Arc<Entry>> {
        let kept = self.store.get(key);
        let was_kept = kept.is_some();
        let found = kept
            .filter(|kept| self.changes.fresh(kept.stamp, &kept.reads))
            .map(|kept| kept.entry);
        if found.is_some() {
            self.counts.hits.fetch_add(1, Ordering::Relaxed);
        } else {
            self.counts.misses.fetch_add(1, Ordering::Relaxed);
            if was_kept {
                self.counts.stale.fetch_add(1, Ordering::Relaxed);
            }
        }
        found
    }

    /// The entry kept for `key` once the request that computed it is done
    /// (see [`ResponseCache::turn`]): the request's miss is counted already.
    pub fn again(&self, key: &[u8]) -> Option<Arc<Entry>> {
        self.store
            .get(key)
            .filter(|kept| self.changes.fresh(kept.stamp, &kept.reads))
            .map(|kept| kept.entry)
    }

    /// Keeps `entry`, computed from epoch `stamp` after reading `reads`;
    /// an entry already overtaken by a change is not kept.
    pub fn put(&self, key: Box<[u8]>, stamp: u64, reads: ReadSet, entry: Arc<Entry>) {
        let kept = Kept {
            stamp,
            reads: Arc::new(reads),
            entry,
        };
        if !self.enabled()
            || key.len() + kept.size() > self.max_bytes / 8
            || !self.changes.fresh(stamp, &kept.reads)
        {
            return;
        }
        self.store.insert(key, kept);
    }
}

/// The right to compute one answer; the others asking for it are let go
/// when it is dropped.
pub struct Flight {
    cache: Arc<ResponseCache>,
    key: Box<[u8]>,
}

impl Drop for Flight {
    fn drop(&mut self) {
        let mut flights = self.cache.flights.lock().unwrap_or_else(|p| p.into_inner());
        flights.remove(&self.key);
    }
}

/// Serves anonymous page views from the cache, and keeps what was rendered.
/// A reader with a voter id or a session sees their own vote or drafts, so
/// their pages are rendered for them, marked private (no shared cache may
/// keep them or hand them to another cookie); so are the editors' pages.
pub async fn pages(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let personal = Caller::of(&mut parts, &state).is_personal()
        || parts.uri.path().starts_with("/admin")
        || carries_a_secret(&parts.uri);
    let mut request = Request::from_parts(parts, body);
    if personal {
        let mut response = render(&state, next, request).await;
        crate::caller::mark_personal(response.headers_mut());
        return response;
    }
    let cache = &state.cache;
    if request.method() != Method::GET {
        return shared(next.run(request).await);
    }
    if !cache.enabled() {
        return shared(render(&state, next, request).await);
    }
    let target = request
        .uri()
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .to_owned();
    let key = key(Kind::Page, &[target.as_bytes()]);
    if !cache.admit(&key) {
        return shared(render(&state, next, request).await);
    }
    let Some(stamp) = cache.stamp().await else {
        return shared(render(&state, next, request).await);
    };
    if let Some(entry) = cache.get(&key) {
        return entry.respond(request.headers());
    }
    let _flight = cache.turn(&key).await;
    if let Some(entry) = cache.again(&key) {
        return entry.respond(request.headers());
    }
    let request_headers = request.headers().clone();
    // Filled by every operation the page runs (see `ssr::InProcess`).
    let reads = Arc::new(Reads::default());
    request.extensions_mut().insert(reads.clone());
    // The turn is held until the page is read whole (the renderer streams
    // it): reading it waits for nobody outside.
    let turn = state.render().await;
    let response = shared(next.run(request).await);
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if response.status() != StatusCode::OK
        || !html
        || response.headers().contains_key(header::SET_COOKIE)
        || response.headers().contains_key(header::CONTENT_ENCODING)
    {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(path = %target, %error, "a rendered page could not be read");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "This page could not be rendered. Please reload.",
            )
                .into_response();
        }
    };
    drop(turn);
    let mut headers = parts.headers;
    headers.remove(header::CONTENT_LENGTH);
    let entry = Arc::new(Entry::new(parts.status, headers, body, Extra::default()));
    // A page that ran no operation cannot say what it showed.
    let read = if reads.is_empty() { None } else { reads.set() };
    cache.put(key, stamp, read, entry.clone());
    entry.respond(&request_headers)
}

/// The page rendered, once it is its turn (see [`crate::state::Shared::render`]);
/// whoever waits for the same page's flight waits without a turn. The turn
/// ends when the page starts going out: a slow client never holds one.
async fn render(state: &AppState, next: Next, request: Request) -> Response {
    let _turn = state.render().await;
    next.run(request).await
}

/// Whether the address holds a one-time secret (the newsletter's confirm
/// and unsubscribe links): its page is for the one reader who has the link,
/// never for a cache.
fn carries_a_secret(uri: &axum::http::Uri) -> bool {
    uri.path() == "/newsletter"
        && uri.query().is_some_and(|q| {
            q.split('&')
                .any(|pair| pair.starts_with("confirm=") || pair.starts_with("unsubscribe="))
        })
}

/// An answer that is the same for every anonymous reader: it still says
/// that a cookie would change it, so no cache hands it to a reader whose
/// own vote belongs on the page.
fn shared(mut response: Response) -> Response {
    crate::caller::vary_on(response.headers_mut(), "Cookie");
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::changes::Read;
    use sea_orm::DatabaseConnection;

    fn headers(accept_encoding: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(accept_encoding).unwrap(),
        );
        headers
    }

    #[test]
    fn accepted_encodings_honour_refusals() {
        assert_eq!(
            Accepted::from(&headers("gzip, deflate, br, zstd")),
            Accepted {
                brotli: true,
                gzip: true
            }
        );
        assert_eq!(
            Accepted::from(&headers("br;q=0, gzip;q=0.5")),
            Accepted {
                brotli: false,
                gzip: true
            }
        );
        assert_eq!(Accepted::from(&HeaderMap::new()), Accepted::default());
    }

    #[test]
    fn compressed_variants_decode_to_the_body() {
        let body = Bytes::from("<p>SHIP or SKIP</p>".repeat(200));
        let entry = Entry::new(
            StatusCode::OK,
            HeaderMap::new(),
            body.clone(),
            Extra::default(),
        );
        let (encoding, brotli) = entry.encoded(&headers("br"));
        assert_eq!(encoding, Some("br"));
        let mut decoded = Vec::new();
        brotli::BrotliDecompress(&mut brotli.as_ref(), &mut decoded).unwrap();
        assert_eq!(decoded, body);
        let (encoding, gzip) = entry.encoded(&headers("gzip"));
        assert_eq!(encoding, Some("gzip"));
        let mut decoded = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(gzip.as_ref()),
            &mut decoded,
        )
        .unwrap();
        assert_eq!(decoded, body);
        assert_eq!(entry.encoded(&HeaderMap::new()), (None, body));
    }

    fn answer(bytes: usize) -> Arc<Entry> {
        Arc::new(Entry::new(
            StatusCode::OK,
            HeaderMap::new(),
            Bytes::from(vec![b'x'; bytes]),
            Extra::default(),
        ))
    }

    fn cache_of(max_bytes: usize) -> ResponseCache {
        let changes = Changes::new(DatabaseConnection::default(), Arc::default());
        changes.assume_current();
        ResponseCache::new(Arc::new(changes), max_bytes, Duration::from_secs(60))
    }

    fn reading(reads: &[Read]) -> ReadSet {
        Some(reads.into())
    }

    #[test]
    fn a_cache_filled_past_its_budget_keeps_the_answer_asked_for_most() {
        let budget = 64 * 1024;
        let cache = cache_of(budget);
        let hot = key(Kind::Page, &[b"/"]);
        cache.put(hot.clone(), 0, reading(&[]), answer(1000));
        // Each answer weighs about 1.8 KiB: the budget holds some 35 of the
        // 600 offered, each asked for twice, and the home page all along.
        for round in 0..600 {
            for _ in 0..3 {
                assert!(cache.get(&hot).is_some(), "round {round}");
            }
            let once = key(Kind::Page, &[format!("/tools/{round}").as_bytes()]);
            cache.put(once.clone(), 0, reading(&[]), answer(1000));
            cache.get(&once);
            cache.store.run_pending_tasks();
            assert!(
                cache.store.weighted_size() <= budget as u64,
                "round {round}: {} bytes kept",
                cache.store.weighted_size()
            );
        }
        assert!(cache.get(&hot).is_some());
        let kept = cache.store.entry_count();
        assert!(
            (10..40).contains(&kept),
            "{kept} answers kept in {budget} bytes"
        );
    }

    #[test]
    fn an_answer_is_served_until_something_it_read_changes() {
        let cache = cache_of(64 * 1024);
        let page = key(Kind::Page, &[b"/tools/a"]);
        let list = key(Kind::Page, &[b"/tools"]);
        cache.put(page.clone(), 0, reading(&[Read::Tool(1)]), answer(100));
        cache.put(list.clone(), 0, None, answer(100));
        assert!(cache.get(&page).is_some() && cache.get(&list).is_some());
        cache.changes.apply(&[("v".to_owned(), 2)], false);
        assert!(cache.get(&page).is_some(), "a vote on another tool");
        assert!(cache.get(&list).is_none(), "an answer that read everything");
        cache.changes.apply(&[("t".to_owned(), 1)], false);
        assert!(cache.get(&page).is_none(), "an edit of its tool");
        // Computed before that edit (from epoch 1): not kept.
        cache.put(page.clone(), 1, reading(&[Read::Tool(1)]), answer(100));
        assert!(cache.get(&page).is_none());
        cache.put(page.clone(), 2, reading(&[Read::Tool(1)]), answer(100));
        assert!(cache.get(&page).is_some());
        // Too big for the budget (over an eighth of it): not kept.
        let big = key(Kind::Page, &[b"/big"]);
        cache.put(big.clone(), 2, reading(&[]), answer(9 * 1024));
        assert!(cache.get(&big).is_none());
    }

    #[test]
    fn an_answer_is_kept_from_the_second_time_it_is_asked_for_and_never_a_refused_one() {
        let cache = cache_of(64 * 1024);
        let query = key(Kind::GraphqlGet, &[b"query={tools{slug}}"]);
        assert!(!cache.admit(&query));
        assert!(cache.admit(&query));
        let mutation = key(Kind::GraphqlPost, &[b"{\"query\":\"mutation{x}\"}"]);
        assert!(!cache.admit(&mutation));
        cache.refuse(&mutation);
        assert!(!cache.admit(&mutation));
        assert!(!cache_of(0).admit(&query), "a cache of 0 bytes is off");
    }
}
