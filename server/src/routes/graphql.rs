//! `/graphql` by the GraphQL-over-HTTP specification: POST runs any
//! operation, GET runs queries (never mutations) and, asked for HTML, serves
//! GraphiQL. The answer is `application/graphql-response+json` or
//! `application/json` as the client accepts; with the former, a request that
//! fails before execution is a 400 without a `data` entry.
//!
//! One file per job: [`protocol`] reads requests and says what a response
//! means over HTTP, [`cached`] looks answers up, keeps and serves them,
//! [`cost`] charges the client's budget, [`headers`] writes the entity tag,
//! caching and `RateLimit-*` headers, and [`graphiql`] is the explorer.

use std::{sync::Arc, time::Instant};

use async_graphql::Request;
use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, DefaultBodyLimit, RawQuery, State},
    http::{header, HeaderMap, HeaderName, Method, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::{
    cache::{self, Kind},
    changes::Reads,
    graphql,
    graphql::Caller,
    metrics::Metrics,
    state::AppState,
    voter::VoterSession,
};

mod cached;
mod cost;
mod graphiql;
mod headers;
mod protocol;
pub mod ws;

pub use protocol::retry_after;
use protocol::{Delivery, Outcome};

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

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
    let [limit, remaining, reset] = headers::RATE_LIMIT;
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT, header::AUTHORIZATION])
        .expose_headers([
            header::ETAG,
            header::RETRY_AFTER,
            HeaderName::from_static(limit),
            HeaderName::from_static(remaining),
            HeaderName::from_static(reset),
        ])
        .max_age(std::time::Duration::from_secs(86_400))
}

async fn execute_post(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(media) = protocol::negotiate(&headers) else {
        return protocol::not_acceptable();
    };
    let body = match protocol::post_body(&headers, body, media) {
        Ok(body) => body,
        Err(refusal) => return *refusal,
    };
    let mut delivery = Delivery::post(media, &headers);
    let key = cache::key(Kind::GraphqlPost, &[media.as_bytes(), &body]);
    if let Some(kept) = cached::lookup(&state, &caller, key, &mut delivery).await {
        return kept;
    }
    let request = protocol::post_params(&body, media)
        .and_then(|params| protocol::prepare(&state, &params, media));
    match request {
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
    let query = query.unwrap_or_default();
    let pairs = protocol::get_pairs(&query);
    if protocol::opens_the_explorer(&pairs, &headers) {
        return graphiql::page();
    }
    let Some(media) = protocol::negotiate(&headers) else {
        return protocol::not_acceptable();
    };
    let mut delivery = Delivery::get(media, &headers);
    let key = cache::key(Kind::GraphqlGet, &[media.as_bytes(), query.as_bytes()]);
    if let Some(kept) = cached::lookup(&state, &caller, key, &mut delivery).await {
        return kept;
    }
    let request = protocol::get_params(pairs, media)
        .and_then(|params| protocol::prepare(&state, &params, media));
    let mut request = match request {
        Ok(request) => request,
        Err(refusal) => return *refusal,
    };
    if !protocol::runs_a_query(&mut request) {
        return protocol::queries_only(media);
    }
    run(state, caller, request, delivery).await
}

/// Answers the request and counts it in the metrics.
async fn run(state: AppState, caller: Caller, request: Request, delivery: Delivery) -> Response {
    let started = Instant::now();
    let operation = request
        .operation_name
        .clone()
        .or_else(|| protocol::operation_name_in(&request.query).map(str::to_owned));
    let metrics = state.metrics.clone();
    let response = answer(state, caller, request, delivery, operation.clone()).await;
    record(&metrics, operation.as_deref(), &response, started);
    response
}

/// Counts an answer to `operation` in `/metrics`.
fn record(metrics: &Metrics, operation: Option<&str>, response: &Response, started: Instant) {
    metrics.record(
        operation,
        response.status().as_u16(),
        started.elapsed(),
        response.status() == StatusCode::TOO_MANY_REQUESTS,
    );
}

/// Runs the request on the client's budget and answers it; a query's
/// answer that is the same for everyone is kept for the next to ask.
async fn answer(
    state: AppState,
    caller: Caller,
    mut request: Request,
    mut delivery: Delivery,
    operation: Option<String>,
) -> Response {
    let media = delivery.media;
    let personal = caller.is_personal();
    // A reader with a voter cookie may get their own vote back: never for
    // shared caches.
    delivery.anonymous_get &= !personal;
    let ticket = match cost::ticket(&state, &caller, media) {
        Ok(ticket) => ticket,
        Err(refusal) => return *refusal,
    };
    let slot = cached::claim(&state, delivery.cache.take(), personal, &mut request);
    let (voter, cookies) = (caller.voter.clone(), caller.cookies.clone());
    let request = match &ticket {
        Some(ticket) => request.data(ticket.clone()),
        None => request,
    };
    // What the answer read, for the cache to know what ends it.
    let reads = match slot {
        Some(_) => Arc::new(Reads::default()),
        None => Reads::ignored(),
    };
    let mut request = request.data(reads.clone());
    // A query waits its turn to run; a mutation does not (votes arriving
    // together are written together: see `domain::votes::VoteWriter`).
    let _turn = match protocol::runs_a_query(&mut request) {
        true => state.render().await,
        false => None,
    };
    let response = graphql::execute(&state.schema, &state.db, request, caller).await;
    let usage = match &ticket {
        // An answer with errors may have stopped after the costly part (a
        // field that failed late nulls what was read): it pays its estimate.
        Some(ticket) => {
            let actual = cost::actual_cost(&response).filter(|_| response.errors.is_empty());
            ticket.settle(actual).await
        }
        None => None,
    };
    let outcome = Outcome::of(&response, media);
    // The JSON tree is built only where a budget's figures go into it.
    let json = state.budget.enabled().then(|| outcome.body(&response));
    let body = Bytes::from(match &json {
        Some(json) => json.to_string().into_bytes(),
        None => outcome.text(&response),
    });
    // The entity tag covers what is the same for every client: not the
    // budget figures written into what this client gets.
    let etag = (delivery.anonymous_get && outcome.status == StatusCode::OK)
        .then(|| headers::entity_tag(&body));
    let shared = headers::shared(media, etag.as_deref());
    let allowance = cost::allowance(&state, usage);
    // A limit met while the request ran (votes, sign-ups) is not the
    // budget: its 429 carries that limit's `Retry-After` and none of the
    // budget's `RateLimit-*` headers, which would say there is plenty left.
    let budget_headers = allowance.as_ref().filter(|_| outcome.retry_after.is_none());
    let mut http = match etag.as_deref().filter(|etag| delivery.holds(etag)) {
        Some(etag) => headers::not_modified(etag),
        None => headers::answer(
            outcome.status,
            allowance.map_or_else(
                || body.clone(),
                |a| match &json {
                    Some(json) => cost::with_figures(json, &a),
                    None => cost::with_figures(&outcome.body(&response), &a),
                },
            ),
            shared.clone(),
            budget_headers,
            outcome.retry_after,
        ),
    };
    if http.status() == StatusCode::UNAUTHORIZED {
        // RFC 9110: a 401 names how to authenticate (an editor's API token;
        // the admin pages' session cookie needs no challenge).
        http.headers_mut().insert(
            axum::http::header::WWW_AUTHENTICATE,
            axum::http::HeaderValue::from_static("Bearer realm=\"Verdicts\""),
        );
    }
    let minted = hand_out_cookies(&state, &voter, &cookies, http.headers_mut());
    // An answer for this caller, or one that gives them a cookie, is theirs.
    if personal || minted {
        crate::caller::mark_personal(http.headers_mut());
    }
    // An answer with errors is not kept: a timeout or a limit is not the
    // same for the next client.
    let keep = outcome.status == StatusCode::OK && response.errors.is_empty() && !minted;
    if let Some(slot) = slot.filter(|_| keep) {
        let extra = cache::Extra {
            operation,
            cost: cost::query_cost(&response),
            etag,
            json,
        };
        cached::keep(
            &state,
            slot,
            &reads,
            cache::Entry::new(outcome.status, shared, body, extra),
        );
    }
    http
}

/// Sets the cookies the request earned (a new voter id, a session);
/// whether there was one.
fn hand_out_cookies(
    state: &AppState,
    voter: &VoterSession,
    cookies: &crate::graphql::auth::ResponseCookies,
    headers: &mut HeaderMap,
) -> bool {
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
    minted
}

/// The live schema in SDL, the same text as the committed `schema.graphql`.
async fn sdl(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        state.schema.sdl(),
    )
        .into_response()
}
