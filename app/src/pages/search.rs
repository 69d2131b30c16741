//! `/search?q=`: tools and comparisons matching the reader's text.

use contract::limits::MAX_SEARCH_CHARS;
use contract::operations::{Search, SearchData, SearchVars};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

use crate::components::tool_list::ToolList;
use crate::graphql::Backend;
use crate::pages::not_found::failure;
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
    let backend = expect_context::<Backend>();
    let set_status = backend.0.status_setter();
    let query = use_query_map();
    let text = move || {
        query
            .read()
            .get("q")
            .map(|q| q.trim().chars().take(MAX_SEARCH_CHARS).collect::<String>())
            .unwrap_or_default()
    };
    let results = Resource::new(text, move |q| {
        let answer = (!q.is_empty()).then(|| backend.run::<Search>(&SearchVars { q: q.clone() }));
        async move {
            match answer {
                Some(answer) => answer.await.map(|a| (q, Some(a))),
                None => Ok((q, None)),
            }
        }
    });
    view! {
        <Seo
            path="/search"
            title="Search"
            description="Search the Verdicts catalogue: AI tools and head-to-head comparisons."
        />
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| view! { <main class="page loading">"Searching…"</main> }>
            {move || {
                let set_status = set_status.clone();
                Suspend::new(async move {
                    match results.await {
                        Ok((q, found)) => view! { <Results q found/> }.into_any(),
                        Err(error) => failure(&error, &set_status),
                    }
                })
            }}
        </Suspense>
    }
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
