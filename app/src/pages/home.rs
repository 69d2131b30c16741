//! `/`: the published comparisons, newest first.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use serde_json::json;

use crate::components::score::percent_text;
use crate::graphql::{Backend, GqlError};
use crate::operations::{ComparisonSummary, Home, HOME};
use crate::pages::not_found::Unavailable;

/// How many comparisons the home page lists.
const HOME_COMPARISONS: i64 = 24;

/// The home page.
#[component]
pub fn HomePage() -> impl IntoView {
    let backend = expect_context::<Backend>();
    let set_status = backend.0.status_setter();
    let comparisons = Resource::new(
        || (),
        move |_| {
            let home = backend.run::<Home>(HOME, json!({ "first": HOME_COMPARISONS }));
            async move {
                home.await.map(|h| {
                    h.comparisons
                        .edges
                        .into_iter()
                        .map(|e| e.node)
                        .collect::<Vec<_>>()
                })
            }
        },
    );
    view! {
        <Title text="Verdicts \u{b7} AI tools, head to head"/>
        <Meta
            name="description"
            content="Which AI tool do you ship? An expert panel's SHIP or SKIP verdicts through four lenses, and the readers' votes, compared head to head."
        />
        <Link rel="canonical" href="/"/>
        <main class="page home">
            <header class="hero">
                <p class="eyebrow">"AI tools, head to head"</p>
                <h1>"Which one do you ship?"</h1>
                <p class="summary">
                    "Four reviewers judge every tool through fixed lenses \u{2014} developer experience, competitive risk, strategic thesis and business case \u{2014} and readers vote too. Pick a comparison."
                </p>
            </header>
            <Suspense fallback=|| view! { <p class="loading">"Loading comparisons…"</p> }>
                {move || {
                    let set_status = set_status.clone();
                    Suspend::new(async move {
                        match comparisons.await {
                            Ok(list) => view! { <ComparisonList list/> }.into_any(),
                            Err(GqlError { .. }) => {
                                set_status(500);
                                view! { <Unavailable/> }.into_any()
                            }
                        }
                    })
                }}
            </Suspense>
        </main>
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
