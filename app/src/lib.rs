//! The Verdicts reader UI. Pages render on the server; only the islands
//! (the vote buttons) hydrate in the browser.

#![recursion_limit = "256"]

pub mod components;
pub mod escape;
pub mod graphql;
pub mod live;
pub mod pages;
mod routes;
pub mod seo;

pub use graphql::{Backend, GqlError, GraphqlBackend};
pub use routes::{shell, App, Bundle};
pub use seo::SiteUrl;

/// Browser entry point: wakes up the islands of the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    leptos::mount::hydrate_islands();
}
