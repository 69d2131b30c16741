//! The headers of a GraphQL answer: its media type, its entity tag and how
//! caches may keep it, the client's budget (`RateLimit-*`), and the 304.

use axum::{
    body::{Body, Bytes},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};

use super::protocol::GRAPHQL_RESPONSE;

/// Caches may keep an anonymous GET's answer but must ask again (with its
/// ETag) before reusing it: scores change with every vote.
const CACHEABLE: &str = "public, max-age=0, must-revalidate";
/// What else an answer depends on: the media type asked for, and cookies
/// (a reader with a voter cookie gets their own vote back).
const VARY: &str = "Accept, Cookie, Authorization";

/// The budget headers (IETF draft `RateLimit` fields), exposed to other
/// origins by CORS.
pub(super) const RATE_LIMIT: [&str; 3] =
    ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"];

/// Where a client stands with its query budget.
#[derive(Debug, Clone, Copy)]
pub(super) struct Allowance {
    /// Cost points per window.
    pub(super) limit: i64,
    /// What remains of them.
    pub(super) remaining: i64,
    /// Seconds until the window resets.
    pub(super) reset: i64,
}

/// The `Content-Type` of an answer in `media`.
pub(super) fn content_type(media: &'static str) -> HeaderValue {
    if media == GRAPHQL_RESPONSE {
        HeaderValue::from_static("application/graphql-response+json; charset=utf-8")
    } else {
        HeaderValue::from_static("application/json; charset=utf-8")
    }
}

/// The headers of an answer that are the same for every client: its media
/// type, and whether caches may keep it (an anonymous GET's, with its
/// entity tag `etag`) or not.
pub(super) fn shared(media: &'static str, etag: Option<&str>) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, content_type(media));
    match etag {
        Some(etag) => revalidate(&mut headers, etag),
        None => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
    headers
}

/// Caches may keep the answer tagged `etag`, asking again before each use.
fn revalidate(headers: &mut HeaderMap, etag: &str) {
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHEABLE));
    headers.insert(header::VARY, HeaderValue::from_static(VARY));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
}

/// The client's budget as `RateLimit-*` headers.
pub(super) fn write_allowance(headers: &mut HeaderMap, allowance: &Allowance) {
    let [limit, remaining, reset] = RATE_LIMIT;
    headers.insert(limit, allowance.limit.into());
    headers.insert(remaining, allowance.remaining.into());
    headers.insert(reset, allowance.reset.into());
}

/// An answer: `body` with the `shared` headers, the client's allowance and
/// the wait a rate limit asks for.
pub(super) fn answer(
    status: StatusCode,
    body: Bytes,
    shared: HeaderMap,
    allowance: Option<&Allowance>,
    retry_after: Option<u64>,
) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    *response.headers_mut() = shared;
    let headers = response.headers_mut();
    if let Some(allowance) = allowance {
        write_allowance(headers, allowance);
    }
    if let Some(seconds) = retry_after {
        headers.insert(header::RETRY_AFTER, seconds.into());
    }
    response
}

/// 304: the client's copy, tagged `etag`, is current.
pub(super) fn not_modified(etag: &str) -> Response {
    let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
    revalidate(not_modified.headers_mut(), etag);
    not_modified
}

/// A weak entity tag: the SHA-256 of the answer without the client's
/// budget figures, shortened. Weak, because the figures in the body differ
/// from one request to the next while the answer itself does not.
pub(super) fn entity_tag(body: &[u8]) -> String {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(body);
    format!("W/\"{}\"", URL_SAFE_NO_PAD.encode(&digest[..18]))
}
