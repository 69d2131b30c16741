//! `POST /graphql` runs operations; `GET /graphql` serves GraphiQL.

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{
    rejection::GraphQLRejection, GraphQLRequest, GraphQLResponse, GraphQLSubscription,
};
use axum::{
    extract::State,
    http::{header, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde_json::json;
use tower_http::limit::RequestBodyLimitLayer;

use crate::{graphql, graphql::Caller, state::AppState};

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// `/graphql`, and `/graphql/ws` for subscriptions (graphql-transport-ws).
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/graphql", get(graphiql).post(execute))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
        .route_service(
            "/graphql/ws",
            GraphQLSubscription::new(state.schema.clone()),
        )
}

async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("Verdicts API")
            .finish(),
    )
}

async fn execute(
    State(state): State<AppState>,
    caller: Caller,
    request: Result<GraphQLRequest, GraphQLRejection>,
) -> Response {
    let request = match request {
        Ok(request) => request.into_inner(),
        Err(rejection) => return rejected(&rejection.0.to_string()),
    };
    let voter = caller.voter.clone();
    let cookies = caller.cookies.clone();
    let response = graphql::execute(&state.schema, &state.db, request, caller).await;
    let retry_after = retry_after(&response);
    let unauthenticated =
        response.data == async_graphql::Value::Null && has_code(&response, "UNAUTHENTICATED");
    let mut http = GraphQLResponse::from(response).into_response();
    if let Some(seconds) = retry_after {
        *http.status_mut() = StatusCode::TOO_MANY_REQUESTS;
        http.headers_mut()
            .insert(header::RETRY_AFTER, seconds.into());
    } else if unauthenticated {
        *http.status_mut() = StatusCode::UNAUTHORIZED;
    }
    let headers = http.headers_mut();
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

/// A request that could not be read as GraphQL: 400 with a GraphQL error body.
fn rejected(reason: &str) -> Response {
    let body = json!({
        "errors": [{
            "message": format!("the request is not a GraphQL request: {reason}"),
            "extensions": { "code": "VALIDATION" }
        }]
    });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}
