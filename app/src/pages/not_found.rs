//! The 404 page, the page for an address the API cannot read (400), and the
//! page shown when the API could not answer.

use contract::Code;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

use crate::graphql::{Backend, GqlError, StatusSetter};

/// "Not found", with status 404 and ways back in.
#[component]
pub fn NotFound() -> impl IntoView {
    if let Some(backend) = use_context::<Backend>() {
        (backend.0.status_setter())(Code::NotFound.status());
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

/// The page for an operation that failed, with its status: a 400 when the
/// address carried something the API refused (a junk cursor or parameter,
/// `VALIDATION`), else a 500 that reveals nothing.
pub fn failure(error: &GqlError, set_status: &StatusSetter) -> AnyView {
    if error.code == Code::Validation {
        set_status(Code::Validation.status());
        view! { <BadRequest/> }.into_any()
    } else {
        set_status(Code::Internal.status());
        view! { <Unavailable/> }.into_any()
    }
}

/// Shown when the address carries a parameter the API refused (a cursor
/// from elsewhere, an out-of-range number): the reader's link is wrong, not
/// the site.
#[component]
pub fn BadRequest() -> impl IntoView {
    view! {
        <Title text="Bad address · Verdicts"/>
        <Meta name="robots" content="noindex"/>
        <main class="page message-page">
            <p class="eyebrow">"400"</p>
            <h1>"This address cannot be read"</h1>
            <p>"A parameter in the address (a page cursor or a number) is not one this page made. Start again from the first page."</p>
            <p>
                <a class="button" href="/">
                    "Back to the comparisons"
                </a>
            </p>
        </main>
    }
}
