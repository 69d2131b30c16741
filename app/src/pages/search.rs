//! `/search?q=`: tools and comparisons matching the reader's text.

use contract::limits::MAX_SEARCH_CHARS;
use contract::operations::{MarkedText, Search, SearchData, SearchHit, SearchVars};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::params::ParamsMap;

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
    // The search looks for letters and digits: text without any finds
    // nothing (and is not sent).
    if !q.chars().any(char::is_alphanumeric) {
        return Ok((q, None));
    }
    let found = backend.run::<Search>(&SearchVars { q: q.clone() }).await?;
    Ok((q, Some(found)))
}

/// Text with the words the search matched in `<mark>`.
#[component]
fn Marked(parts: Vec<MarkedText>) -> impl IntoView {
    parts
        .into_iter()
        .map(|part| {
            if part.matched {
                view! { <mark>{part.text}</mark> }.into_any()
            } else {
                part.text.into_any()
            }
        })
        .collect_view()
}

/// "62 %" or "–".
fn percent(value: Option<i64>) -> String {
    value.map_or_else(|| "\u{2013}".to_owned(), |p| format!("{p}\u{a0}%"))
}

#[component]
fn Hit(hit: SearchHit) -> impl IntoView {
    let SearchHit {
        title,
        context,
        tool,
        comparison,
    } = hit;
    let (href, kind, scores) = match (tool, comparison) {
        (Some(tool), _) => (
            format!("/tools/{}", tool.slug),
            format!("Tool \u{b7} {}", tool.category.name),
            Some(format!(
                "Panel {} \u{b7} Readers {}",
                percent(tool.panel.ship_percent),
                percent(tool.community.ship_percent)
            )),
        ),
        (None, Some(comparison)) => (
            format!("/compare/{}", comparison.slug),
            "Comparison".to_owned(),
            None,
        ),
        (None, None) => return ().into_any(),
    };
    view! {
        <li class="search-hit">
            <p class="hit-kind">{kind}</p>
            <a class="hit-title" href=href><Marked parts=title/></a>
            <p class="hit-context"><Marked parts=context/></p>
            {scores.map(|scores| view! { <p class="hit-scores">{scores}</p> })}
        </li>
    }
    .into_any()
}

#[component]
fn Results(q: String, found: Option<SearchData>) -> impl IntoView {
    let Some(SearchData { search }) = found else {
        let hint = (!q.is_empty()).then(|| {
            view! { <p class="empty">"Type a letter or a digit to search for."</p> }
        });
        return view! {
            <main class="page search-page">
                <header class="hero">
                    <p class="eyebrow">"Search"</p>
                    <h1>"Find a tool or a comparison"</h1>
                </header>
                <SearchBox value=q.clone()/>
                {hint}
            </main>
        }
        .into_any();
    };
    let corrections = (!search.corrections.is_empty()).then(|| {
        let said: Vec<String> = search
            .corrections
            .iter()
            .map(|c| {
                format!(
                    "\u{201c}{}\u{201d} as {}",
                    c.typed,
                    c.searched_for.join(" or ")
                )
            })
            .collect();
        view! { <p class="search-corrections">{format!("Searched for {}.", said.join("; "))}</p> }
    });
    let count = search.hits.len();
    let nothing = search.hits.is_empty().then(|| {
        view! {
            <div class="empty-results">
                <p>{format!("Nothing matches \u{201c}{q}\u{201d}.")}</p>
                <p>
                    "Try another word, a vendor\u{2019}s name, or "
                    <a href="/tools">"browse every tool"</a>
                    "."
                </p>
            </div>
        }
    });
    let results = (!search.hits.is_empty()).then(|| {
        view! {
            <p class="section-note">
                {if count == 1 { "1 result, best first.".to_owned() } else { format!("{count} results, best first.") }}
            </p>
            <ol class="search-results">
                {search.hits.into_iter().map(|hit| view! { <Hit hit/> }).collect_view()}
            </ol>
        }
    });
    view! {
        <main class="page search-page">
            <header class="hero">
                <p class="eyebrow">"Search"</p>
                <h1>{format!("Results for \u{201c}{q}\u{201d}")}</h1>
            </header>
            <SearchBox value=q.clone()/>
            {corrections}
            {nothing}
            {results}
        </main>
    }
    .into_any()
}
