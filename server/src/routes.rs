//! The HTTP surface: one module per area, merged here with the shared layers.

pub mod budget;
pub mod client;
pub mod feeds;
pub mod graphql;
pub mod health;
pub mod newsletter;
pub mod pages;
pub mod persisted;
pub mod picker;
pub mod security;
pub mod vote_form;

use axum::{middleware, Router};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

use crate::state::AppState;

/// Every route of the server.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(graphql::router(&state))
        .merge(health::router())
        .merge(vote_form::router())
        .merge(newsletter::router())
        .merge(feeds::router())
        .merge(picker::router())
        .merge(pages::router(&state))
        .layer(middleware::from_fn_with_state(
            security::for_state(&state),
            security::headers,
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
