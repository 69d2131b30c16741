//! `/search?q=`: tools and comparisons matching the reader's text.

use contract::limits::MAX_SEARCH_CHARS;
use contract::operations::{Search, SearchData, SearchVars};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::params::ParamsMap;

use crate::components::tool_list::ToolList;
use crate::graphql::{Backend, GqlError};
use crate::pages::loaded::loaded;
use crate::pages::not_found::{failure, NotFound};
use crate::seo::Seo;

/// The search box, as on every results page.
#[component]
pub fn SearchBox(value: String) -> impl IntoView {
    view! {
        <form class="search search-page-box" method="get" action="/search" role="search">
            <label for="search-q" class="visually-hidden">"Search tools and comparisons"</label>
            <input id="search-q" name="q" type="search" value=value placeholder="A tool, a vendor, a comparison" maxlength=MAX_SEARCH_CHARS.to_string()/>
            <button class="button" type="submit">"Search"</button>
        </form>
    }
}

/// The search page.
#[component]
pub fn SearchPage() -> impl IntoView {
    let set_status = expect_context::<Backend>().0.status_setter();
    // The head first: a failure page's own title must come after it.
    let head = view! {
        <Seo
            path="/search"
            title="Search"
            description="Search the Verdicts catalogue: AI tools and head-to-head comparisons."
        />
        <Meta name="robots" content="noindex"/>
    };
    let results = match loaded::<SearchResults>() {
        Some(Ok((q, found))) => view! { <Results q found/> }.into_any(),
        Some(Err(error)) => failure(&error, &set_status),
        None => view! { <NotFound/> }.into_any(),
    };
    (head, results)
}

/// The text searched for (trimmed and cut as the API allows) and what it
/// found; nothing is asked for an empty text.
type SearchResults = Result<(String, Option<SearchData>), GqlError>;

/// The results for `?q=`.
pub(crate) async fn load(backend: &Backend, query: &ParamsMap) -> SearchResults {
    let q = query
        .get("q")
        .map(|q| q.trim().chars().take(MAX_SEARCH_CHARS).collect::<String>())
        .unwrap_or_default();
    if q.is_empty() {
        return Ok((q, None));
    }
    let found = backend.run::<Search>(&SearchVars { q: q.clone() }).await?;
    Ok((q, Some(found)))
}

#[component]
fn Results(q: String, found: Option<SearchData>) -> impl IntoView {
    let Some(SearchData { tools, comparisons }) = found else {
        return view! {
            <main class="page search-page">
                <header class="hero">
                    <p class="eyebrow">"Search"</p>
                    <h1>"Find a tool or a comparison"</h1>
                </header>
                <SearchBox value=String::new()/>
            </main>
        }
        .into_any();
    };
    let nothing = (tools.nodes.is_empty() && comparisons.nodes.is_empty()).then(|| {
        view! {
            <div class="empty-results">
                <p>{format!("Nothing matches \u{201c}{q}\u{201d}.")}</p>
                <p>
                    "Try a shorter word, a vendor\u{2019}s name, or "
                    <a href="/tools">"browse every tool"</a>
                    "."
                </p>
            </div>
        }
    });
    let comparisons_view = (!comparisons.nodes.is_empty()).then(|| {
        view! {
            <section aria-labelledby="found-comparisons">
                <h2 id="found-comparisons">{format!("Comparisons ({})", comparisons.total_count)}</h2>
                <ul class="link-list">
                    {comparisons
                        .nodes
                        .into_iter()
                        .map(|c| view! { <li><a href=format!("/compare/{}", c.slug)>{c.title}</a></li> })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    let tools_view = (!tools.nodes.is_empty()).then(|| {
        view! {
            <section aria-labelledby="found-tools">
                <h2 id="found-tools">{format!("Tools ({})", tools.total_count)}</h2>
                <ToolList tools=tools.nodes/>
            </section>
        }
    });
    view! {
        <main class="page search-page">
            <header class="hero">
                <p class="eyebrow">"Search"</p>
                <h1>{format!("Results for \u{201c}{q}\u{201d}")}</h1>
            </header>
            <SearchBox value=q.clone()/>
            {nothing}
            {comparisons_view}
            {tools_view}
        </main>
    }
    .into_any()
}
