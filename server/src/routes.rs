//! The HTTP surface: one module per area, merged here with the shared layers.

pub mod feeds;
pub mod graphql;
pub mod health;
pub mod item_feeds;
pub mod newsletter;
pub mod pages;
pub mod persisted;
pub mod picker;
pub mod security;
pub mod sign_in;
pub mod vote_form;
pub mod webhook_forms;

use axum::{http::header, middleware, response::Response, Router};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

use crate::state::AppState;

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(graphql::router(&state))
        .merge(health::router())
        .merge(vote_form::router())
        .merge(newsletter::router())
        .merge(sign_in::router())
        .merge(webhook_forms::router())
        .merge(feeds::router())
        .merge(item_feeds::router())
        .merge(picker::router())
        .merge(pages::router(&state))
        .layer(middleware::map_response(private_when_setting_cookies))
        .layer(middleware::from_fn_with_state(
            security::for_state(&state),
            security::headers,
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// An answer that sets a cookie (a new voter id, a session) belongs to the
/// one client it was sent to: no shared cache may keep it.
async fn private_when_setting_cookies(mut response: Response) -> Response {
    if response.headers().contains_key(header::SET_COOKIE) {
        crate::caller::mark_personal(response.headers_mut());
    }
    response
}
