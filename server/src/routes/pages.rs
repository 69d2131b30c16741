//! The Leptos pages (server-rendered, islands hydrated) and the built assets.

use std::sync::Arc;

use app::{shell, App, Backend};
use axum::Router;
use leptos::prelude::provide_context;
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};

use crate::{ssr::InProcess, state::AppState};

/// Every page route, and the fallback that serves `/pkg/…` and renders the 404 page.
pub fn router(state: &AppState) -> Router<AppState> {
    let routes = generate_route_list(App);
    let context = {
        let state = state.clone();
        move || {
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
}
