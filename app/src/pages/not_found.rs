//! The 404 page, its "did you mean" form for comparison addresses typed by
//! hand, the page for an address the API cannot read (400), and the page
//! shown when the API could not answer.

use contract::operations::{MatchPairData, PickerTool, ToolMatch};
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

/// The two names of a comparison address typed by hand (as typed) and what
/// each stands for.
#[derive(Clone, Debug)]
pub struct TypedPair {
    pub left: String,
    pub right: String,
    pub found: MatchPairData,
}

/// The 404 page of `/compare/<a>-vs-<b>` when a name stands for no single
/// tool: which one, and the closest tools, each linking to its comparison
/// with the other name.
#[component]
pub fn DidYouMean(pair: TypedPair) -> impl IntoView {
    if let Some(backend) = use_context::<Backend>() {
        (backend.0.status_setter())(Code::NotFound.status());
    }
    let TypedPair { left, right, found } = pair;
    let MatchPairData {
        left: left_match,
        right: right_match,
    } = found;
    // The other side of a link: the tool found, else the name as typed.
    let slug_of = |found: &ToolMatch, typed: &str| {
        found
            .tool
            .as_ref()
            .map_or_else(|| typed.to_owned(), |tool| tool.slug.clone())
    };
    let (left_slug, right_slug) = (slug_of(&left_match, &left), slug_of(&right_match, &right));
    let left_view = typed_name(left, left_match, move |slug| {
        format!("/compare/{slug}-vs-{right_slug}")
    });
    let right_view = typed_name(right, right_match, move |slug| {
        format!("/compare/{left_slug}-vs-{slug}")
    });
    view! {
        <Title text="Which tools did you mean? \u{b7} Verdicts"/>
        <Meta name="robots" content="noindex"/>
        <main class="page message-page">
            <p class="eyebrow">"404"</p>
            <h1>"Which tools did you mean?"</h1>
            <p>"We compare two published tools, and not every name in this address is one:"</p>
            <ul class="typed-names" data-testid="typed-names">
                {left_view}
                {right_view}
            </ul>
            <p>
                <a class="button" href="/compare">
                    "Pick two tools"
                </a>
            </p>
        </main>
    }
}

/// One typed name: the tool it stands for, or that none does and what is near.
fn typed_name(typed: String, found: ToolMatch, compare_with: impl Fn(&str) -> String) -> AnyView {
    let ToolMatch { tool, suggestions } = found;
    if let Some(PickerTool { slug, name, .. }) = tool {
        return view! {
            <li class="typed-found">
                {format!("\u{201c}{typed}\u{201d} is ")}
                <a href=format!("/tools/{slug}")>{name}</a>
                "."
            </li>
        }
        .into_any();
    }
    let count = suggestions.len();
    let links = suggestions
        .into_iter()
        .enumerate()
        .map(|(i, tool)| {
            let separator = match i {
                0 => "",
                _ if i + 1 == count => " or ",
                _ => ", ",
            };
            view! {
                {separator}
                <a href=compare_with(&tool.slug)>{tool.name}</a>
            }
        })
        .collect_view();
    let hint = if count == 0 {
        view! { " Check the spelling, or " <a href="/tools">"browse every tool"</a> "." }.into_any()
    } else {
        view! { " Did you mean " {links} "?" }.into_any()
    };
    view! {
        <li class="typed-missing" data-testid="typed-missing">
            {format!("No tool is called \u{201c}{typed}\u{201d}.")}
            {hint}
        </li>
    }
    .into_any()
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
