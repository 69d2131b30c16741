//! `/reviewers/<slug>`: a panel member's lens, bio and every published
//! review with its verdict.

use contract::operations::{
    self as op, ReviewerPageData as Data, ReviewerPageVars, ReviewerProfile, Verdict,
};
use leptos::prelude::*;
use leptos_router::params::ParamsMap;
use serde_json::json;

use crate::components::lens_label;
use crate::components::score::VerdictBadge;
use crate::graphql::Backend;
use crate::pages::loaded::{loaded, Answer};
use crate::pages::not_found::{failure, NotFound};
use crate::seo::{absolute, Seo};

/// What each lens asks, as the panel's page explains it.
pub fn lens_question(lens: &str) -> &'static str {
    match lens {
        "DEVELOPER_EXPERIENCE" => "What is the primitive, what is the DX bet, and what is the moment of truth?",
        "COMPETITIVE_RISK" => "Who are the direct competitors, in which scenario does it break, and what kills it in 12 months?",
        "STRATEGIC_THESIS" => "What is the thesis, which dependency must hold, and what is the second-order effect?",
        "BUSINESS_CASE" => "Who buys it, what is the moat, and do the unit economics work?",
        _ => "",
    }
}

/// The reviewer page.
#[component]
pub fn ReviewerPage() -> impl IntoView {
    let set_status = expect_context::<Backend>().0.status_setter();
    match loaded::<Answer<op::ReviewerPage>>() {
        Some(Ok(Data {
            reviewer: Some(reviewer),
        })) => view! { <ReviewerView reviewer/> }.into_any(),
        Some(Ok(Data { reviewer: None })) | None => view! { <NotFound/> }.into_any(),
        Some(Err(error)) => failure(&error, &set_status),
    }
}

/// The reviewer named `slug` and a page of their reviews (from `?after=`).
pub(crate) async fn load(
    backend: &Backend,
    slug: String,
    query: &ParamsMap,
) -> Answer<op::ReviewerPage> {
    let after = query.get("after");
    backend
        .run::<op::ReviewerPage>(&ReviewerPageVars { slug, after })
        .await
}

#[component]
fn ReviewerView(reviewer: ReviewerProfile) -> impl IntoView {
    let path = format!("/reviewers/{}", reviewer.slug);
    let lens = lens_label(&reviewer.lens);
    let question = lens_question(&reviewer.lens);
    let ships = reviewer
        .reviews
        .nodes
        .iter()
        .filter(|r| r.verdict == Verdict::Ship)
        .count();
    let skips = reviewer.reviews.nodes.len() - ships;
    let total = reviewer.reviews.total_count;
    let next = reviewer.reviews.next_cursor();
    let structured = json!({
        "@context": "https://schema.org",
        "@type": "Person",
        "name": reviewer.name,
        "description": reviewer.bio,
        "url": absolute(&path),
        "jobTitle": format!("Verdicts panel: {lens}"),
    });
    let description = format!(
        "{}, the Verdicts panel's {} reviewer: {} of AI tools, each SHIP or SKIP.",
        reviewer.name,
        lens.to_lowercase(),
        crate::components::ledger::plural(total, "review")
    );
    let reviews = if reviewer.reviews.nodes.is_empty() {
        view! { <p class="empty">"No published review yet."</p> }.into_any()
    } else {
        view! {
            <ul class="review-list">
                {reviewer
                    .reviews
                    .nodes
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li class="review" data-tool=r.tool.slug.clone()>
                                <div class="review-head">
                                    <VerdictBadge verdict=r.verdict/>
                                    <a class="reviewer-name" href=format!("/tools/{}", r.tool.slug)>{r.tool.name}</a>
                                    <span class="lens">
                                        {r.tool.vendor} " \u{b7} "
                                        <a href=format!("/categories/{}", r.tool.category.slug)>{r.tool.category.name}</a>
                                    </span>
                                </div>
                                <p>{r.body}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let more = next.map(|cursor| {
        view! {
            <p>
                <a class="button" href=format!("{path}?after={}", crate::pages::admin::encode(&cursor))>
                    "More reviews"
                </a>
            </p>
        }
    });
    view! {
        <crate::seo::ItemFeed path=path.clone() title=format!("{}'s verdicts on Verdicts", reviewer.name)/>
        <Seo path=path.clone() title=format!("{} \u{b7} {lens}", reviewer.name) description structured/>
        <main class="page reviewer">
            <nav class="crumbs" aria-label="Breadcrumb">
                <a href="/">"Comparisons"</a>
                " / "
                <span>"The panel"</span>
            </nav>
            <header class="hero">
                <p class="eyebrow">{format!("Panel \u{b7} {lens}")}</p>
                <h1>{reviewer.name}</h1>
                <p class="summary">{reviewer.bio}</p>
            </header>
            <section class="lens-box" aria-labelledby="lens-title">
                <h2 id="lens-title">{format!("The {} lens", lens.to_lowercase())}</h2>
                <p>{question}</p>
            </section>
            <section aria-labelledby="reviews-title">
                <h2 id="reviews-title">{format!("Reviews ({total})")}</h2>
                <p class="section-note">{format!("{ships} SHIP and {skips} SKIP below.")}</p>
                {reviews}
                {more}
            </section>
        </main>
    }
}
