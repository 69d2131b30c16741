//! `/graphql` by the GraphQL-over-HTTP specification: POST runs any
//! operation, GET runs queries (never mutations) and, asked for HTML, serves
//! GraphiQL. The answer is `application/graphql-response+json` or
//! `application/json` as the client accepts; with the former, a request that
//! fails before execution is a 400 without a `data` entry.

use async_graphql::{parser::types::OperationType, Request, Variables};
use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, DefaultBodyLimit, RawQuery, State},
    http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};
use contract::Code;
use serde_json::{json, Map, Value};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::{
    budget::BudgetTicket,
    cache::{self, Kind},
    error::{code_of, http_status},
    graphql,
    graphql::Caller,
    routes::persisted,
    state::AppState,
};

pub mod ws;

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The media type of GraphQL responses.
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";
/// The older media type every client understands.
const JSON: &str = "application/json";

/// `/graphql`, and `/graphql/ws` for subscriptions (graphql-transport-ws).
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/graphql", get(execute_get).post(execute_post))
        .route("/graphql/schema.graphql", get(sdl))
        // Read by the `Bytes` extractor, so that a body over the limit gets
        // a GraphQL error (413) like every other refusal.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(cors())
        .route(
            "/graphql/ws",
            get(ws::upgrade).layer(axum::Extension(std::sync::Arc::new(ws::Sockets::new(
                &state.config,
            )))),
        )
}

/// Any web page may run queries here from its own origin, with an API token
/// or none. Cookies never cross: no `Access-Control-Allow-Credentials`, and
/// the CSRF header that cookie-authenticated changes need is not allowed
/// across origins, so the admin's session stays same-origin.
fn cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT, header::AUTHORIZATION])
        .expose_headers([
            header::ETAG,
            header::RETRY_AFTER,
            HeaderName::from_static("ratelimit-limit"),
            HeaderName::from_static("ratelimit-remaining"),
            HeaderName::from_static("ratelimit-reset"),
        ])
        .max_age(std::time::Duration::from_secs(86_400))
}

/// Which media type the answer uses, from the `Accept` header: none means
/// `application/json`; `None` when the client accepts neither.
fn negotiate(headers: &HeaderMap) -> Option<&'static str> {
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

/// Whether a GET without a query is someone opening the API in a browser
/// (or with any client that does not insist on JSON): GraphiQL answers it.
fn wants_html(headers: &HeaderMap) -> bool {
    match headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(accept) => {
            accept.contains("text/html")
                || !(accept.contains(JSON) || accept.contains(GRAPHQL_RESPONSE))
        }
    }
}

/// A request refused before it became GraphQL, as a GraphQL error body.
fn refuse(status: StatusCode, media: &'static str, message: String) -> Response {
    let body = json!({
        "errors": [{ "message": message, "extensions": { "code": Code::Validation.as_str() } }]
    });
    let mut response = (status, body.to_string()).into_response();
    set_content_type(&mut response, media);
    response
}

fn set_content_type(response: &mut Response, media: &'static str) {
    let value = if media == GRAPHQL_RESPONSE {
        HeaderValue::from_static("application/graphql-response+json; charset=utf-8")
    } else {
        HeaderValue::from_static("application/json; charset=utf-8")
    };
    response.headers_mut().insert(header::CONTENT_TYPE, value);
}

fn not_acceptable() -> Response {
    refuse(
        StatusCode::NOT_ACCEPTABLE,
        JSON,
        format!("answers are {GRAPHQL_RESPONSE} or {JSON}: accept one of them"),
    )
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
fn prepare(
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
        persisted::Refused::NotFound => {
            let body = json!({ "errors": [{
                "message": "PersistedQueryNotFound",
                "extensions": { "code": Code::PersistedQueryNotFound.as_str() }
            }] });
            let status = http_status(Code::PersistedQueryNotFound);
            let mut response = (status, body.to_string()).into_response();
            set_content_type(&mut response, media);
            Box::new(response)
        }
        persisted::Refused::Invalid(reason) => {
            Box::new(refuse(StatusCode::BAD_REQUEST, media, reason))
        }
    })
}

async fn execute_post(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
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
        return refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            media,
            "send the request as `Content-Type: application/json`".to_owned(),
        );
    }
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            let status = rejection.status();
            return refuse(
                status,
                media,
                format!("the request body could not be read: {rejection}"),
            );
        }
    };
    if body.is_empty() {
        return refuse(
            StatusCode::BAD_REQUEST,
            media,
            "the request has no body".to_owned(),
        );
    }
    let mut delivery = Delivery::post(media, &headers);
    let key = cache::key(Kind::GraphqlPost, &[media.as_bytes(), &body]);
    match lookup(&state, &caller, key, &delivery).await {
        Lookup::Hit(response) => return response,
        Lookup::Miss(slot) => delivery.cache = Some(slot),
        Lookup::Bypass => {}
    }
    let params = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(params)) => params,
        Ok(Value::Array(_)) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                media,
                "batched requests are not supported: send one operation per request".to_owned(),
            )
        }
        Ok(_) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                media,
                "the body must be a JSON object with `query`".to_owned(),
            )
        }
        Err(error) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                media,
                format!("the request is not a GraphQL request: the body is not JSON ({error})"),
            )
        }
    };
    match prepare(&state, &params, media) {
        Ok(request) => run(state, caller, request, delivery).await,
        Err(refusal) => *refusal,
    }
}

async fn execute_get(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    if !pairs.iter().any(|(k, _)| k == "query" || k == "extensions") && wants_html(&headers) {
        return graphiql();
    }
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
    let mut delivery = Delivery {
        media,
        anonymous_get: true,
        if_none_match: headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned),
        accept_encoding: headers.get(header::ACCEPT_ENCODING).cloned(),
        cache: None,
    };
    let key = cache::key(
        Kind::GraphqlGet,
        &[media.as_bytes(), query.as_deref().unwrap_or("").as_bytes()],
    );
    match lookup(&state, &caller, key, &delivery).await {
        Lookup::Hit(response) => return response,
        Lookup::Miss(slot) => delivery.cache = Some(slot),
        Lookup::Bypass => {}
    }
    let mut params = Map::new();
    for (key, value) in pairs {
        // GET carries `variables` and `extensions` as JSON text.
        let value = match key.as_str() {
            "variables" | "extensions" => match serde_json::from_str(&value) {
                Ok(parsed) => parsed,
                Err(error) => {
                    return refuse(
                        StatusCode::BAD_REQUEST,
                        media,
                        format!("`{key}` is not JSON: {error}"),
                    )
                }
            },
            _ => Value::String(value),
        };
        params.insert(key, value);
    }
    let mut request = match prepare(&state, &params, media) {
        Ok(request) => request,
        Err(refusal) => return *refusal,
    };
    if !runs_a_query(&mut request) {
        let mut response = refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            media,
            "GET runs queries only: send mutations with POST".to_owned(),
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
        return response;
    }
    run(state, caller, request, delivery).await
}

/// Whether the operation the request would run is a query (a document that
/// does not parse is left for execution to report). The parsed document
/// stays on the request, so execution does not parse it again.
fn runs_a_query(request: &mut Request) -> bool {
    let name = request.operation_name.clone();
    let Ok(document) = request.parsed_query() else {
        return true;
    };
    let chosen = match &name {
        Some(name) => document
            .operations
            .iter()
            .find(|(n, _)| n.map(|n| n.as_str()) == Some(name.as_str())),
        None => document.operations.iter().next(),
    };
    chosen.is_none_or(|(_, operation)| operation.node.ty == OperationType::Query)
}

/// The name of a document's operation when the document starts with it
/// (`query Compare(…)`), for the metrics of requests without `operationName`.
fn operation_name_in(query: &str) -> Option<&str> {
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
struct Delivery {
    media: &'static str,
    /// A GET from a client without a session, token or voter cookie: its
    /// answer is the same for everyone, so caches may keep it.
    anonymous_get: bool,
    /// The `If-None-Match` header, for a 304.
    if_none_match: Option<String>,
    /// The `Accept-Encoding` header, for answers served from the cache.
    accept_encoding: Option<HeaderValue>,
    /// Where the answer is kept, when it may be.
    cache: Option<CacheSlot>,
}

impl Delivery {
    fn post(media: &'static str, headers: &HeaderMap) -> Self {
        Delivery {
            media,
            anonymous_get: false,
            if_none_match: None,
            accept_encoding: headers.get(header::ACCEPT_ENCODING).cloned(),
            cache: None,
        }
    }

    /// Whether the client already holds the answer with this entity tag
    /// (compared weakly, as `If-None-Match` is).
    fn holds(&self, etag: &str) -> bool {
        let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
        self.if_none_match.as_deref().is_some_and(|sent| {
            sent.split(',')
                .any(|t| t.trim() == "*" || opaque(t) == opaque(etag))
        })
    }
}

/// Where an answer is kept: its key, and the content version read before
/// the query ran.
struct CacheSlot {
    key: Box<[u8]>,
    version: i64,
    /// Held until the answer is kept (or not): others asking wait for it.
    _flight: Option<cache::Flight>,
}

/// What the response cache says about a request.
enum Lookup {
    /// The answer, served from the cache.
    Hit(Response),
    /// Not kept yet: run the query and keep the answer here.
    Miss(CacheSlot),
    /// Not for the cache (a reader with a voter cookie, an editor, a token).
    Bypass,
}

async fn lookup(state: &AppState, caller: &Caller, key: Box<[u8]>, delivery: &Delivery) -> Lookup {
    if caller.is_personal() || !state.cache.admit(&key) {
        return Lookup::Bypass;
    }
    let Some(version) = state.cache.version().await else {
        return Lookup::Bypass;
    };
    if let Some(entry) = state.cache.get(&key, version) {
        return Lookup::Hit(serve_cached(state, caller, &entry, delivery).await);
    }
    let flight = state.cache.turn(&key).await;
    if let Some(entry) = state.cache.get(&key, version) {
        return Lookup::Hit(serve_cached(state, caller, &entry, delivery).await);
    }
    Lookup::Miss(CacheSlot {
        key,
        version,
        _flight: flight,
    })
}

/// A kept answer, charged to the client's budget like a fresh one.
async fn serve_cached(
    state: &AppState,
    caller: &Caller,
    entry: &cache::Entry,
    delivery: &Delivery,
) -> Response {
    let started = std::time::Instant::now();
    let response = if state.budget.enabled() {
        let client = caller.budget_key();
        match state.budget.wait(&client) {
            Some(wait) => over_budget(delivery.media, state.budget.per_window(), wait),
            None => {
                let ticket = BudgetTicket::new(state.budget.clone(), state.db.clone(), client);
                match ticket.charge(entry.extra.cost).await {
                    Err(wait) => over_budget(delivery.media, state.budget.per_window(), wait),
                    Ok(()) => {
                        let usage = ticket.settle().await;
                        let mut body = entry.extra.json.clone().unwrap_or_default();
                        let tag = delivery
                            .anonymous_get
                            .then(|| entity_tag(body.to_string().as_bytes()));
                        let budget = write_budget(state, &mut body, usage);
                        finish(
                            entry.status,
                            Bytes::from(body.to_string()),
                            budget,
                            delivery,
                            tag,
                            None,
                        )
                    }
                }
            }
        }
    } else {
        let etag = entry
            .headers
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok());
        match etag.filter(|etag| delivery.holds(etag)) {
            Some(etag) => not_modified(etag),
            None => {
                let mut request = HeaderMap::new();
                if let Some(accept) = &delivery.accept_encoding {
                    request.insert(header::ACCEPT_ENCODING, accept.clone());
                }
                entry.respond(&request)
            }
        }
    };
    state.metrics.record(
        entry.extra.operation.as_deref(),
        response.status().as_u16(),
        started.elapsed(),
        response.status() == StatusCode::TOO_MANY_REQUESTS,
    );
    response
}

async fn run(state: AppState, caller: Caller, request: Request, delivery: Delivery) -> Response {
    let started = std::time::Instant::now();
    let operation = request
        .operation_name
        .clone()
        .or_else(|| operation_name_in(&request.query).map(str::to_owned));
    let metrics = state.metrics.clone();
    let response = answer(state, caller, request, delivery, operation.clone()).await;
    metrics.record(
        operation.as_deref(),
        response.status().as_u16(),
        started.elapsed(),
        response.status() == StatusCode::TOO_MANY_REQUESTS,
    );
    response
}

async fn answer(
    state: AppState,
    caller: Caller,
    mut request: Request,
    mut delivery: Delivery,
    operation: Option<String>,
) -> Response {
    let media = delivery.media;
    let personal = caller.is_personal();
    let anonymous = !personal;
    // A reader with a voter cookie may get their own vote back: never for
    // shared caches.
    delivery.anonymous_get &= anonymous;
    let voter = caller.voter.clone();
    let cookies = caller.cookies.clone();
    let client = caller.budget_key();
    let ticket = if state.budget.enabled() {
        if let Some(wait) = state.budget.wait(&client) {
            return over_budget(media, state.budget.per_window(), wait);
        }
        Some(BudgetTicket::new(
            state.budget.clone(),
            state.db.clone(),
            client,
        ))
    } else {
        None
    };
    // Only a query's answer is kept (a mutation's body may come again).
    let slot = match delivery.cache.take() {
        Some(slot) if anonymous && !runs_a_query(&mut request) => {
            state.cache.refuse(&slot.key);
            None
        }
        slot => slot.filter(|_| anonymous),
    };
    let request = match &ticket {
        Some(ticket) => request.data(ticket.clone()),
        None => request,
    };
    let response = graphql::execute(&state.schema, &state.db, request, caller).await;
    let cost = query_cost(&response);
    let usage = match &ticket {
        Some(ticket) => ticket.settle().await,
        None => None,
    };
    let retry_after = retry_after(&response);
    // Errors before execution (parsing, validation, variables, limits) carry
    // no path and leave no data.
    let before_execution = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let unauthenticated =
        response.data == async_graphql::Value::Null && has_code(&response, Code::Unauthenticated);
    let status = if retry_after.is_some() {
        http_status(Code::RateLimited)
    } else if has_code(&response, Code::Timeout) {
        http_status(Code::Timeout)
    } else if unauthenticated {
        http_status(Code::Unauthenticated)
    } else if before_execution && media == GRAPHQL_RESPONSE {
        http_status(Code::Validation)
    } else {
        StatusCode::OK
    };
    // An answer with errors is not kept: a timeout or a limit is not the
    // same for the next client.
    let slot = slot.filter(|_| status == StatusCode::OK && response.errors.is_empty());
    let mut body = serde_json::to_value(&response).unwrap_or_else(|_| json!({}));
    if before_execution {
        if let Some(object) = body.as_object_mut() {
            object.remove("data");
        }
    }
    let unbudgeted = (slot.is_some() && state.budget.enabled()).then(|| body.clone());
    // The entity tag covers what is the same for every client: the budget
    // figures written below change with each request.
    let tag = (delivery.anonymous_get && status == StatusCode::OK)
        .then(|| entity_tag(body.to_string().as_bytes()));
    let budget = write_budget(&state, &mut body, usage);
    let body = Bytes::from(body.to_string());
    let mut http = finish(status, body.clone(), budget, &delivery, tag, retry_after);
    let headers = http.headers_mut();
    let mut minted = false;
    if let Some(cookie) = voter.set_cookie(&state.voter_key, state.config.secure_cookies) {
        headers.append(header::SET_COOKIE, cookie);
        minted = true;
    }
    for cookie in cookies.take() {
        if let Ok(value) = cookie.parse() {
            headers.append(header::SET_COOKIE, value);
            minted = true;
        }
    }
    // An answer for this caller, or one that gives them a cookie, is theirs.
    if personal || minted {
        crate::caller::mark_personal(headers);
    }
    if let Some(CacheSlot { key, version, .. }) = slot.filter(|_| !minted) {
        let mut kept = headers.clone();
        for name in ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"] {
            kept.remove(name);
        }
        kept.remove(header::CONTENT_LENGTH);
        let extra = cache::Extra {
            operation,
            cost,
            json: unbudgeted,
        };
        let entry = cache::Entry::new(status, kept, body, extra);
        state.cache.put(key, version, std::sync::Arc::new(entry));
    }
    http
}

/// The client's remaining budget, written into the answer's cost extension;
/// returns the limit, what remains and the seconds until the window resets.
fn write_budget(
    state: &AppState,
    body: &mut Value,
    usage: Option<crate::domain::rate_limit::Usage>,
) -> Option<(i64, i64, i64)> {
    let now = chrono::Utc::now().timestamp();
    let budget = usage.map(|usage| {
        let per_window = i64::from(state.budget.per_window());
        (
            per_window,
            (per_window - usage.used).max(0),
            (usage.window_end - now).max(0),
        )
    });
    if let (Some((limit, remaining, reset)), Some(cost)) = (
        budget,
        body.pointer_mut("/extensions/cost")
            .and_then(Value::as_object_mut),
    ) {
        cost.insert("budget".into(), json!(limit));
        cost.insert("remaining".into(), json!(remaining));
        cost.insert("resetsIn".into(), json!(reset));
    }
    budget
}

/// The HTTP answer: the body with its media type, caching headers (an
/// anonymous GET may be kept by caches, with its entity tag `etag`; a 304
/// when the client holds it), the budget's headers and `Retry-After`.
fn finish(
    status: StatusCode,
    body: Bytes,
    budget: Option<(i64, i64, i64)>,
    delivery: &Delivery,
    etag: Option<String>,
    retry_after: Option<u64>,
) -> Response {
    let cacheable = delivery.anonymous_get && status == StatusCode::OK;
    let etag = etag.filter(|_| cacheable);
    if let Some(etag) = etag.as_deref().filter(|etag| delivery.holds(etag)) {
        return not_modified(etag);
    }
    let mut http = (status, body).into_response();
    set_content_type(&mut http, delivery.media);
    let headers = http.headers_mut();
    if let Some((limit, remaining, reset)) = budget {
        headers.insert("ratelimit-limit", limit.into());
        headers.insert("ratelimit-remaining", remaining.into());
        headers.insert("ratelimit-reset", reset.into());
    }
    match &etag {
        Some(etag) => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHEABLE));
            headers.insert(header::VARY, HeaderValue::from_static(VARY));
            if let Ok(value) = HeaderValue::from_str(etag) {
                headers.insert(header::ETAG, value);
            }
        }
        None => {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        }
    }
    if let Some(seconds) = retry_after {
        headers.insert(header::RETRY_AFTER, seconds.into());
    }
    http
}

/// 304: the client's copy is current.
fn not_modified(etag: &str) -> Response {
    let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
    let headers = not_modified.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHEABLE));
    headers.insert(header::VARY, HeaderValue::from_static(VARY));
    if let Ok(value) = HeaderValue::from_str(etag) {
        headers.insert(header::ETAG, value);
    }
    not_modified
}

/// What the answered query cost (at least 1: every request is work).
fn query_cost(response: &async_graphql::Response) -> i64 {
    let cost = response
        .extensions
        .get("cost")
        .and_then(|cost| match cost {
            async_graphql::Value::Object(fields) => fields.get("requestedQueryCost").cloned(),
            _ => None,
        })
        .and_then(|value| match value {
            async_graphql::Value::Number(n) => n.as_i64(),
            _ => None,
        });
    cost.unwrap_or(1).max(1)
}

/// The refusal for a client that spent its budget for this window.
fn over_budget(media: &'static str, per_window: u32, wait: u64) -> Response {
    let body = json!({ "errors": [graphql::schema::over_budget(per_window, wait)] });
    let status = http_status(Code::RateLimited);
    let mut response = (status, body.to_string()).into_response();
    set_content_type(&mut response, media);
    let headers = response.headers_mut();
    headers.insert(header::RETRY_AFTER, wait.into());
    headers.insert("ratelimit-limit", per_window.into());
    headers.insert("ratelimit-remaining", 0.into());
    headers.insert("ratelimit-reset", wait.into());
    response
}

/// Caches may keep an anonymous GET's answer but must ask again (with its
/// ETag) before reusing it: scores change with every vote.
const CACHEABLE: &str = "public, max-age=0, must-revalidate";
/// What else an answer depends on: the media type asked for, and cookies
/// (a reader with a voter cookie gets their own vote back).
const VARY: &str = "Accept, Cookie, Authorization";

/// A weak entity tag: the SHA-256 of the answer without the client's
/// budget figures, shortened. Weak, because the figures in the body differ
/// from one request to the next while the answer itself does not.
fn entity_tag(body: &[u8]) -> String {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(body);
    format!("W/\"{}\"", URL_SAFE_NO_PAD.encode(&digest[..18]))
}

/// The live schema in SDL, the same text as the committed `schema.graphql`.
async fn sdl(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        state.schema.sdl(),
    )
        .into_response()
}

/// GraphiQL from the site's own `graphiql/` files (pinned, installed from npm
/// by `make site`): nothing comes from a CDN, and no inline script runs.
fn graphiql() -> Response {
    (
        [(
            header::CONTENT_SECURITY_POLICY,
            crate::routes::security::GRAPHIQL_POLICY,
        )],
        Html(GRAPHIQL_PAGE),
    )
        .into_response()
}

const GRAPHIQL_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Verdicts API</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/graphiql/graphiql.min.css">
    <link rel="stylesheet" href="/graphiql/explorer.css">
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL, the API explorer…</div>
    <noscript>GraphiQL needs JavaScript. Without it, send queries to <code>POST /graphql</code>: <a href="/api">the API's guide</a> shows how.</noscript>
    <script src="/graphiql/react.production.min.js"></script>
    <script src="/graphiql/react-dom.production.min.js"></script>
    <script src="/graphiql/graphiql.min.js"></script>
    <script src="/graphiql/explorer.js"></script>
  </body>
</html>
"#;

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
