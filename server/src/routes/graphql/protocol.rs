//! GraphQL over HTTP: reading a GET's or a POST's request, choosing the
//! answer's media type, refusing what is not a GraphQL request, and the
//! status a GraphQL response is sent with.

use async_graphql::{Request, Variables};
use axum::{
    body::Bytes,
    extract::rejection::BytesRejection,
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use contract::Code;
use serde_json::{json, Map, Value};

use super::{cached::CacheSlot, headers};
use crate::{
    error::{code_of, http_status},
    routes::persisted,
    state::AppState,
};

/// The media type of GraphQL responses.
pub(super) const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
/// The older media type every client understands.
pub(super) const JSON: &str = "application/json";

/// Which media type the answer uses, from the `Accept` header: none means
/// `application/json`; `None` when the client accepts neither.
pub(super) fn negotiate(headers: &HeaderMap) -> Option<&'static str> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(JSON);
    };
    let mut ranges: Vec<(f32, &str)> = accept
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';').map(str::trim);
            let media = parts.next()?.to_ascii_lowercase();
            let quality = parts
                .find_map(|p| p.strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let media = match media.as_str() {
                GRAPHQL_RESPONSE => GRAPHQL_RESPONSE,
                JSON | "application/*" | "*/*" => JSON,
                _ => return None,
            };
            (quality > 0.0).then_some((quality, media))
        })
        .collect();
    // The best quality wins; among equals, the order the client listed.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranges.first().map(|(_, media)| *media)
}

/// Whether a GET is someone opening the API in a browser (or with any
/// client that does not insist on JSON) without a query: GraphiQL answers it.
pub(super) fn opens_the_explorer(pairs: &[(String, String)], headers: &HeaderMap) -> bool {
    let has_request = pairs.iter().any(|(k, _)| k == "query" || k == "extensions");
    !has_request
        && match headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) {
            None => true,
            Some(accept) => {
                accept.contains("text/html")
                    || !(accept.contains(JSON) || accept.contains(GRAPHQL_RESPONSE))
            }
        }
}

/// A request refused before it became GraphQL, as a GraphQL error body.
pub(super) fn refuse(status: StatusCode, media: &'static str, message: String) -> Response {
    let body = json!({
        "errors": [{ "message": message, "extensions": { "code": Code::Validation.as_str() } }]
    });
    with_media(status, media, body)
}

/// `body` as the answer, in the media type the client asked for.
pub(super) fn with_media(status: StatusCode, media: &'static str, body: Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, headers::content_type(media));
    response
}

/// 406: the client accepts neither media type.
pub(super) fn not_acceptable() -> Response {
    refuse(
        StatusCode::NOT_ACCEPTABLE,
        JSON,
        format!("answers are {GRAPHQL_RESPONSE} or {JSON}: accept one of them"),
    )
}

/// 405: a GET that would run a mutation.
pub(super) fn queries_only(media: &'static str) -> Response {
    let mut response = refuse(
        StatusCode::METHOD_NOT_ALLOWED,
        media,
        "GET runs queries only: send mutations with POST".to_owned(),
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
    response
}

/// A POST's body, once its media type and its size are known to be right.
pub(super) fn post_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    media: &'static str,
) -> Result<Bytes, Box<Response>> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    if content_type.as_deref() != Some(JSON) {
        return Err(Box::new(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "send the request as `Content-Type: application/json`".to_owned(),
        )));
    }
    let body = body.map_err(|rejection| {
        Box::new(refuse(
            rejection.status(),
            media,
            format!("the request body could not be read: {rejection}"),
        ))
    })?;
    if body.is_empty() {
        return Err(Box::new(refuse(
            StatusCode::BAD_REQUEST,
            media,
            "the request has no body".to_owned(),
        )));
    }
    Ok(body)
}

/// The parameters of a POST's body: one JSON object.
pub(super) fn post_params(
    body: &[u8],
    media: &'static str,
) -> Result<Map<String, Value>, Box<Response>> {
    let reason = match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(params)) => return Ok(params),
        Ok(Value::Array(_)) => {
            "batched requests are not supported: send one operation per request".to_owned()
        }
        Ok(_) => "the body must be a JSON object with `query`".to_owned(),
        Err(error) => {
            format!("the request is not a GraphQL request: the body is not JSON ({error})")
        }
    };
    Err(Box::new(refuse(StatusCode::BAD_REQUEST, media, reason)))
}

/// A GET's query string, as pairs (none when it does not decode).
pub(super) fn get_pairs(query: &str) -> Vec<(String, String)> {
    serde_urlencoded::from_str(query).unwrap_or_default()
}

/// The parameters of a GET: `variables` and `extensions` come as JSON text.
pub(super) fn get_params(
    pairs: Vec<(String, String)>,
    media: &'static str,
) -> Result<Map<String, Value>, Box<Response>> {
    let mut params = Map::new();
    for (key, value) in pairs {
        let value = match key.as_str() {
            "variables" | "extensions" => serde_json::from_str(&value).map_err(|error| {
                Box::new(refuse(
                    StatusCode::BAD_REQUEST,
                    media,
                    format!("`{key}` is not JSON: {error}"),
                ))
            })?,
            _ => Value::String(value),
        };
        params.insert(key, value);
    }
    Ok(params)
}

/// The GraphQL request in a JSON object (a POST body, or GET's parameters
/// decoded), each parameter checked for its type.
fn request_from(params: &Map<String, Value>) -> Result<Request, String> {
    let persisted = params
        .get("extensions")
        .is_some_and(|e| e.get("persistedQuery").is_some());
    let query = match params.get("query") {
        Some(Value::String(query)) => query.clone(),
        Some(_) => return Err("`query` must be a string".to_owned()),
        // A persisted query's hash stands for its text.
        None if persisted => String::new(),
        None => return Err("`query` is missing".to_owned()),
    };
    let mut request = Request::new(query);
    match params.get("operationName") {
        Some(Value::String(name)) => request = request.operation_name(name.clone()),
        None | Some(Value::Null) => {}
        Some(_) => return Err("`operationName` must be a string or null".to_owned()),
    }
    match params.get("variables") {
        Some(variables @ Value::Object(_)) => {
            request = request.variables(Variables::from_json(variables.clone()))
        }
        None | Some(Value::Null) => {}
        Some(_) => return Err("`variables` must be an object or null".to_owned()),
    }
    match params.get("extensions") {
        Some(Value::Object(extensions)) => {
            for (key, value) in extensions {
                let value = async_graphql::Value::from_json(value.clone())
                    .map_err(|e| format!("`extensions.{key}` is not usable: {e}"))?;
                request.extensions.insert(key.clone(), value);
            }
        }
        None | Some(Value::Null) => {}
        Some(_) => return Err("`extensions` must be an object or null".to_owned()),
    }
    Ok(request)
}

/// The request in `params`, with a persisted query's text filled in, or the
/// answer that refuses it.
pub(super) fn prepare(
    state: &AppState,
    params: &Map<String, Value>,
    media: &'static str,
) -> Result<Request, Box<Response>> {
    let request = request_from(params).map_err(|reason| {
        Box::new(refuse(
            StatusCode::BAD_REQUEST,
            media,
            format!("the request is not a GraphQL request: {reason}"),
        ))
    })?;
    persisted::resolve(&state.persisted_queries, request).map_err(|refused| match refused {
        // Apollo's clients look for this exact message, then send the text.
        persisted::Refused::NotFound => Box::new(with_media(
            http_status(Code::PersistedQueryNotFound),
            media,
            json!({ "errors": [{
                "message": "PersistedQueryNotFound",
                "extensions": { "code": Code::PersistedQueryNotFound.as_str() }
            }] }),
        )),
        persisted::Refused::Invalid(reason) => {
            Box::new(refuse(StatusCode::BAD_REQUEST, media, reason))
        }
    })
}

/// Whether the operation the request would run is a query (a document that
/// does not parse is left for execution to report). The parsed document
/// stays on the request, so execution does not parse it again.
pub(super) fn runs_a_query(request: &mut Request) -> bool {
    // A document sent before was parsed then: its parse is kept, and
    // parsing it again here cost as much as a sixth of a `Compare`.
    if let Some(query) = crate::graphql::schema::kept_operation_is_query(
        &request.query,
        request.operation_name.as_deref(),
    ) {
        return query;
    }
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return true;
    };
    crate::graphql::schema::operation_is_query(document, name.as_deref())
}

/// The name of a document's operation when the document starts with it
/// (`query Compare(…)`), for the metrics of requests without `operationName`.
pub(super) fn operation_name_in(query: &str) -> Option<&str> {
    let rest = query.trim_start();
    let rest = ["query", "mutation", "subscription"]
        .iter()
        .find_map(|keyword| rest.strip_prefix(keyword))?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

/// How the request arrived, for the caching headers of the answer.
pub(super) struct Delivery {
    pub(super) media: &'static str,
    /// A GET from a client without a session, token or voter cookie: its
    /// answer is the same for everyone, so caches may keep it.
    pub(super) anonymous_get: bool,
    /// The `If-None-Match` header, for a 304.
    if_none_match: Option<String>,
    /// The `Accept-Encoding` header, for answers served from the cache.
    pub(super) accept_encoding: Option<HeaderValue>,
    /// Where the answer is kept, when it may be.
    pub(super) cache: Option<CacheSlot>,
}

impl Delivery {
    /// A POST: never kept by caches on the way, so no entity tag.
    pub(super) fn post(media: &'static str, headers: &HeaderMap) -> Self {
        Delivery {
            media,
            anonymous_get: false,
            if_none_match: None,
            accept_encoding: headers.get(header::ACCEPT_ENCODING).cloned(),
            cache: None,
        }
    }

    /// A GET, anonymous until the caller is known to be someone.
    pub(super) fn get(media: &'static str, headers: &HeaderMap) -> Self {
        Delivery {
            media,
            anonymous_get: true,
            if_none_match: headers
                .get(header::IF_NONE_MATCH)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            accept_encoding: headers.get(header::ACCEPT_ENCODING).cloned(),
            cache: None,
        }
    }

    /// Whether the client already holds the answer with this entity tag
    /// (compared weakly, as `If-None-Match` is).
    pub(super) fn holds(&self, etag: &str) -> bool {
        let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
        self.if_none_match.as_deref().is_some_and(|sent| {
            sent.split(',')
                .any(|t| t.trim() == "*" || opaque(t) == opaque(etag))
        })
    }
}

/// What a GraphQL response means over HTTP.
pub(super) struct Outcome {
    /// The HTTP status.
    pub(super) status: StatusCode,
    /// The wait a `RATE_LIMITED` error asks for, as `Retry-After`.
    pub(super) retry_after: Option<u64>,
    /// The request failed before execution (parsing, validation, variables,
    /// limits), or only on arguments it gave that were refused: it leaves no
    /// data.
    before_execution: bool,
}

impl Outcome {
    /// The status of `response`, sent as `media`.
    pub(super) fn of(response: &async_graphql::Response, media: &'static str) -> Self {
        let retry_after = retry_after(response);
        // A request error: it failed before execution, or every error is
        // an argument refused (`first: 101`, a foreign cursor) so that
        // nothing came back. Either way the request as sent is wrong, and
        // both answer alike: no `data`, 400 as graphql-response+json.
        let before_execution = response.data == async_graphql::Value::Null
            && !response.errors.is_empty()
            && response
                .errors
                .iter()
                .all(|e| e.path.is_empty() || code_of(e) == Some(Code::Validation));
        let unauthenticated = response.data == async_graphql::Value::Null
            && has_code(response, Code::Unauthenticated);
        let status = if retry_after.is_some() {
            http_status(Code::RateLimited)
        } else if has_code(response, Code::Timeout) {
            http_status(Code::Timeout)
        } else if unauthenticated {
            http_status(Code::Unauthenticated)
        } else if before_execution && media == GRAPHQL_RESPONSE {
            http_status(Code::Validation)
        } else {
            StatusCode::OK
        };
        Outcome {
            status,
            retry_after,
            before_execution,
        }
    }

    /// The response as JSON text, with the entries of [`Outcome::body`],
    /// written straight from the response: the fields in the order the
    /// query asked for them (as the GraphQL spec recommends; the
    /// [`Outcome::body`] a budget's figures are written into orders them
    /// by name), and without building a JSON tree first, which took about
    /// a twentieth of an uncached `Tools(first: 50)`.
    pub(super) fn text(&self, response: &async_graphql::Response) -> Vec<u8> {
        struct Answer<'a> {
            response: &'a async_graphql::Response,
            data: bool,
        }
        impl serde::Serialize for Answer<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let response = self.response;
                let mut map = serializer.serialize_map(None)?;
                if self.data {
                    map.serialize_entry("data", &response.data)?;
                }
                if !response.errors.is_empty() {
                    map.serialize_entry("errors", &response.errors)?;
                }
                if !response.extensions.is_empty() {
                    map.serialize_entry("extensions", &response.extensions)?;
                }
                map.end()
            }
        }
        let answer = Answer {
            response,
            data: !self.before_execution,
        };
        serde_json::to_vec(&answer).unwrap_or_else(|_| b"{}".to_vec())
    }

    /// The response as JSON: without a `data` entry when it failed before
    /// execution.
    pub(super) fn body(&self, response: &async_graphql::Response) -> Value {
        let mut body = serde_json::to_value(response).unwrap_or_else(|_| json!({}));
        if self.before_execution {
            if let Some(object) = body.as_object_mut() {
                object.remove("data");
            }
        }
        body
    }
}

fn has_code(response: &async_graphql::Response, code: Code) -> bool {
    response.errors.iter().any(|e| code_of(e) == Some(code))
}

/// The longest wait asked for by a `RATE_LIMITED` error, if any.
pub fn retry_after(response: &async_graphql::Response) -> Option<u64> {
    response
        .errors
        .iter()
        .filter(|e| code_of(e) == Some(Code::RateLimited))
        .filter_map(|e| e.extensions.as_ref())
        .filter_map(|e| match e.get("retryAfter") {
            Some(async_graphql::Value::Number(n)) => n.as_u64(),
            _ => Some(1),
        })
        .max()
}
