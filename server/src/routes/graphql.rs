//! `POST /graphql` runs operations; `GET /graphql` serves GraphiQL.

use std::sync::Arc;

use async_graphql::http::GraphiQLSource;
use async_graphql_axum::{rejection::GraphQLRejection, GraphQLRequest, GraphQLResponse};
use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{Html, IntoResponse, Response},
    routing::get,
    Json, Router,
};
use serde_json::json;
use tower_http::limit::RequestBodyLimitLayer;

use crate::{graphql, state::AppState, voter::VoterSession};

/// Largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// `/graphql`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/graphql", get(graphiql).post(execute))
        .layer(RequestBodyLimitLayer::new(MAX_BODY_BYTES))
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
    headers: HeaderMap,
    request: Result<GraphQLRequest, GraphQLRejection>,
) -> Response {
    let request = match request {
        Ok(request) => request.into_inner(),
        Err(rejection) => return rejected(&rejection.0.to_string()),
    };
    let voter = Arc::new(VoterSession::from_headers(&headers, &state.voter_key));
    let response = graphql::execute(&state.schema, &state.db, request, voter.clone()).await;
    let mut http = GraphQLResponse::from(response).into_response();
    if let Some(cookie) = voter.set_cookie(&state.voter_key, state.config.secure_cookies) {
        http.headers_mut().append(header::SET_COOKIE, cookie);
    }
    http
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
