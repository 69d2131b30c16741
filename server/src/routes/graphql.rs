//! `/graphql` by the GraphQL-over-HTTP specification: POST runs any
//! operation, GET runs queries (never mutations) and, asked for HTML, serves
//! GraphiQL. The answer is `application/graphql-response+json` or
//! `application/json` as the client accepts; with the former, a request that
//! fails before execution is a 400 without a `data` entry.

use async_graphql::{http::GraphiQLSource, parser::types::OperationType, Request, Variables};
use async_graphql_axum::GraphQLSubscription;
use axum::{
    body::Bytes,
    extract::{rejection::BytesRejection, RawQuery, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Router,
};
use serde_json::{json, Map, Value};
use tower_http::limit::RequestBodyLimitLayer;

use crate::{graphql, graphql::Caller, state::AppState};

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
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .route_service(
            "/graphql/ws",
            GraphQLSubscription::new(state.schema.clone()),
        )
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
        "errors": [{ "message": message, "extensions": { "code": "VALIDATION" } }]
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
    let query = match params.get("query") {
        Some(Value::String(query)) => query.clone(),
        Some(_) => return Err("`query` must be a string".to_owned()),
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
    match request_from(&params) {
        Ok(request) => run(state, caller, request, media).await,
        Err(reason) => refuse(
            StatusCode::BAD_REQUEST,
            media,
            format!("the request is not a GraphQL request: {reason}"),
        ),
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
    if !pairs.iter().any(|(k, _)| k == "query") && wants_html(&headers) {
        return graphiql();
    }
    let Some(media) = negotiate(&headers) else {
        return not_acceptable();
    };
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
    let request = match request_from(&params) {
        Ok(request) => request,
        Err(reason) => {
            return refuse(
                StatusCode::BAD_REQUEST,
                media,
                format!("the request is not a GraphQL request: {reason}"),
            )
        }
    };
    if !runs_a_query(&request) {
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
    run(state, caller, request, media).await
}

/// Whether the operation the request would run is a query (a document that
/// does not parse is left for execution to report).
fn runs_a_query(request: &Request) -> bool {
    let Ok(document) = async_graphql::parser::parse_query(&request.query) else {
        return true;
    };
    let chosen = match &request.operation_name {
        Some(name) => document
            .operations
            .iter()
            .find(|(n, _)| n.map(|n| n.as_str()) == Some(name.as_str())),
        None => document.operations.iter().next(),
    };
    chosen.is_none_or(|(_, operation)| operation.node.ty == OperationType::Query)
}

async fn run(state: AppState, caller: Caller, request: Request, media: &'static str) -> Response {
    let voter = caller.voter.clone();
    let cookies = caller.cookies.clone();
    let response = graphql::execute(&state.schema, &state.db, request, caller).await;
    let retry_after = retry_after(&response);
    // Errors before execution (parsing, validation, variables, limits) carry
    // no path and leave no data.
    let before_execution = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    let unauthenticated =
        response.data == async_graphql::Value::Null && has_code(&response, "UNAUTHENTICATED");
    let status = if retry_after.is_some() {
        StatusCode::TOO_MANY_REQUESTS
    } else if unauthenticated {
        StatusCode::UNAUTHORIZED
    } else if before_execution && media == GRAPHQL_RESPONSE {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let mut body = serde_json::to_value(&response).unwrap_or_else(|_| json!({}));
    if before_execution {
        if let Some(object) = body.as_object_mut() {
            object.remove("data");
        }
    }
    let mut http = (status, body.to_string()).into_response();
    set_content_type(&mut http, media);
    let headers = http.headers_mut();
    if let Some(seconds) = retry_after {
        headers.insert(header::RETRY_AFTER, seconds.into());
    }
    if let Some(cookie) = voter.set_cookie(&state.voter_key, state.config.secure_cookies) {
        headers.append(header::SET_COOKIE, cookie);
    }
    for cookie in cookies.take() {
        if let Ok(value) = cookie.parse() {
            headers.append(header::SET_COOKIE, value);
        }
    }
    http
}

fn graphiql() -> Response {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("Verdicts API")
            .finish(),
    )
    .into_response()
}

fn has_code(response: &async_graphql::Response, code: &str) -> bool {
    response.errors.iter().any(|e| {
        matches!(
            e.extensions.as_ref().and_then(|x| x.get("code")),
            Some(async_graphql::Value::String(c)) if c == code
        )
    })
}

/// The longest wait asked for by a `RATE_LIMITED` error, if any.
pub fn retry_after(response: &async_graphql::Response) -> Option<u64> {
    response
        .errors
        .iter()
        .filter_map(|e| e.extensions.as_ref())
        .filter(|e| matches!(e.get("code"), Some(async_graphql::Value::String(c)) if c == "RATE_LIMITED"))
        .filter_map(|e| match e.get("retryAfter") {
            Some(async_graphql::Value::Number(n)) => n.as_u64(),
            _ => Some(1),
        })
        .max()
}
