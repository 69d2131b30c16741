//! The 404 page, and the page shown when the API could not answer.

use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::graphql::Backend;

/// "Not found", with status 404 and ways back in.
#[component]
pub fn NotFound() -> impl IntoView {
    if let Some(backend) = use_context::<Backend>() {
        (backend.0.status_setter())(404);
    }
    view! {
        <Title text="Not found · Verdicts"/>
        <Meta name="robots" content="noindex"/>
        <main class="page message-page">
            <p class="eyebrow">"404"</p>
            <h1>"We have no verdict on that page"</h1>
            <p>
                "The address may be mistyped, or the tool or comparison is not published. "
                "Comparisons live at "
                <code>"/compare/a-vs-b"</code>
                " and tools at "
                <code>"/tools/name"</code>
                "."
            </p>
            <p>
                <a class="button" href="/">
                    "See all comparisons"
                </a>
            </p>
        </main>
    }
}

/// Shown when the API failed; never reveals internals.
#[component]
pub fn Unavailable() -> impl IntoView {
    view! {
        <Title text="Something went wrong · Verdicts"/>
        <main class="page message-page">
            <p class="eyebrow">"Error"</p>
            <h1>"This page could not be loaded"</h1>
            <p>"Something went wrong on our side. Please try again in a moment."</p>
            <p>
                <a class="button" href="/">
                    "Back to the comparisons"
                </a>
            </p>
        </main>
    }
}
