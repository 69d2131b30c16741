//! `/`: the published comparisons, newest first; the tools the panel and
//! the readers ship most; the categories.

use contract::operations::{ComparisonSummary, Home, HomeData, HomeVars};
use leptos::prelude::*;
use serde_json::json;

use crate::components::newsletter::NewsletterForm;
use crate::components::score::percent_text;
use crate::components::tool_list::ToolList;
use crate::graphql::Backend;
use crate::pages::loaded::{loaded, Answer};
use crate::pages::not_found::{failure, NotFound};
use crate::seo::Seo;

/// How many comparisons the home page lists.
const HOME_COMPARISONS: i64 = 24;

/// The home page's data.
pub(crate) async fn load(backend: &Backend) -> Answer<Home> {
    backend
        .run::<Home>(&HomeVars {
            first: HOME_COMPARISONS,
        })
        .await
}

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let set_status = expect_context::<Backend>().0.status_setter();
    // The head first: a failure page's own title must come after it.
    let head = view! {
        <Seo
            path="/"
            title="AI tools, head to head"
            description="Which AI tool do you ship? An expert panel's SHIP or SKIP verdicts through four lenses, and the readers' votes, compared head to head."
            structured=crate::seo::document(json!({
                "@type": "WebSite",
                "name": "Verdicts",
                "url": crate::seo::absolute("/"),
                "potentialAction": {
                    "@type": "SearchAction",
                    "target": crate::seo::absolute("/search?q={query}"),
                    "query-input": "required name=query",
                },
            }))
        />
    };
    let sections = match loaded::<Answer<Home>>() {
        Some(Ok(home)) => view! { <HomeSections home/> }.into_any(),
        Some(Err(error)) => failure(&error, &set_status),
        None => view! { <NotFound/> }.into_any(),
    };
    view! {
        {head}
        <main class="page home">
            <header class="hero">
                <p class="eyebrow">"AI tools, head to head"</p>
                <h1>"Which one do you ship?"</h1>
                <p class="summary">
                    "Four reviewers judge every tool through fixed lenses \u{2014} developer experience, competitive risk, strategic thesis and business case \u{2014} and readers vote too. Pick a comparison."
                </p>
            </header>
            {sections}
            <NewsletterForm/>
        </main>
    }
}

#[component]
fn HomeSections(home: HomeData) -> impl IntoView {
    let list = home
        .comparisons
        .edges
        .into_iter()
        .map(|e| e.node)
        .collect::<Vec<_>>();
    let top_panel = home.top_panel.nodes;
    let top_community = home.top_community.nodes;
    let readers = if top_community.is_empty() {
        view! { <p class="empty">"No tool has enough reader votes yet: vote on any tool page."</p> }
            .into_any()
    } else {
        view! { <ToolList tools=top_community/> }.into_any()
    };
    let categories = home
        .all_categories
        .nodes
        .into_iter()
        .map(|c| view! { <li><a class="chip" href=format!("/categories/{}", c.slug)>{c.name}</a></li> })
        .collect_view();
    view! {
        <ComparisonList list/>
        <p class="home-actions">
            <a class="button" href="/compare">"Compare any two tools"</a>
            <a class="button button-quiet" href="/tools">"Browse every tool"</a>
        </p>
        <div class="top-tools">
            <section aria-labelledby="top-panel-title">
                <h2 id="top-panel-title">"The panel ships"</h2>
                <ToolList tools=top_panel/>
            </section>
            <section aria-labelledby="top-readers-title">
                <h2 id="top-readers-title">"Readers ship"</h2>
                {readers}
            </section>
        </div>
        <section aria-labelledby="categories-title">
            <h2 id="categories-title">"Categories"</h2>
            <ul class="chips">{categories}</ul>
        </section>
    }
}

#[component]
fn ComparisonList(list: Vec<ComparisonSummary>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="empty">"No comparisons are published yet."</p> }.into_any();
    }
    view! {
        <section aria-labelledby="latest-title">
            <h2 id="latest-title">"Latest comparisons"</h2>
            <ul class="comparison-list">
                {list
                    .into_iter()
                    .map(|c| {
                        let href = format!("/compare/{}", c.slug);
                        view! {
                            <li class="comparison-item">
                                <a class="comparison-link" href=href>
                                    <span class="comparison-title">{c.title}</span>
                                    <span class="comparison-scores">
                                        <span>
                                            {c.left.name} " "
                                            <strong>{percent_text(c.left.panel.ship_percent)}</strong>
                                        </span>
                                        <span class="vs">"vs"</span>
                                        <span>
                                            {c.right.name} " "
                                            <strong>{percent_text(c.right.panel.ship_percent)}</strong>
                                        </span>
                                    </span>
                                    {c.summary.map(|s| view! { <span class="comparison-summary">{s}</span> })}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
    .into_any()
}
