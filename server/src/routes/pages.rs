//! The Leptos pages (server-rendered, islands hydrated) and the built assets.

use std::sync::Arc;

use std::time::Duration;

use app::{shell, App, Backend};
use axum::{
    body::Body,
    extract::Request,
    http::{header, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use leptos::prelude::provide_context;
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};

use crate::{ssr::InProcess, state::AppState};

/// Every page route, and the fallback that serves `/pkg/…` and renders the 404 page.
pub fn router(state: &AppState) -> Router<AppState> {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        let site = app::SiteUrl(state.config.public_url.trim_end_matches('/').to_owned());
        move || {
            provide_context(site.clone());
            provide_context(Backend(Arc::new(InProcess::for_current_request(
                state.clone(),
            ))))
        }
    };
    let options = state.leptos_options.clone();
    Router::new()
        .leptos_routes_with_context(state, routes, context.clone(), move || {
            shell(options.clone())
        })
        .fallback(file_and_error_handler_with_context::<AppState, _>(
            context, shell,
        ))
        .layer(middleware::from_fn(render_with_retry))
}

/// How long one render of a page may take; pages render in milliseconds.
const RENDER_LIMIT: Duration = Duration::from_secs(5);
/// Renders tried before giving up.
const RENDER_ATTEMPTS: u32 = 3;

/// Renders a page again when a render stalls. Leptos 0.8's async SSR now
/// and then loses the wake-up of a resolved resource and never finishes
/// (seen here about once in a few thousand renders; upstream reports:
/// leptos-rs/leptos#4851, #4578). A page render only reads, so trying again
/// is safe; the reader gets the page a few seconds late instead of never.
async fn render_with_retry(request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let (parts, _) = request.into_parts();
    for attempt in 1..=RENDER_ATTEMPTS {
        let request = Request::from_parts(parts.clone(), Body::empty());
        match tokio::time::timeout(RENDER_LIMIT, next.clone().run(request)).await {
            Ok(response) => return response,
            Err(_) => {
                tracing::warn!(path = %parts.uri, attempt, "a page render stalled; rendering it again")
            }
        }
    }
    tracing::error!(path = %parts.uri, "a page render stalled every time");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "1")],
        "This page could not be rendered in time. Please reload.",
    )
        .into_response()
}
