//! `/compare/<slug>`: two tools side by side, the panel's scorecard, the
//! reviewer split, and the readers' votes. Curated slugs carry the editor's
//! title and summary; any `<a>-vs-<b>` pair works too.

use contract::operations::{
    ComparisonByPair, ComparisonBySlug, ComparisonPage, PairVars, ReviewText, ScorecardRow,
    SlugVars, Split,
};
use contract::Code;
use leptos::prelude::*;
use serde_json::json;

use crate::components::lens_label;
use crate::components::newsletter::NewsletterForm;
use crate::components::provenance::ReviewProvenance;
use crate::components::{pick::PickBox, score::VerdictBadge, tool_card::ToolCard};
use crate::graphql::{Backend, GqlError};
use crate::pages::loaded::loaded;
use crate::pages::not_found::{failure, NotFound};

/// The comparison page.
#[component]
pub fn ComparePage() -> impl IntoView {
    let set_status = expect_context::<Backend>().0.status_setter();
    match loaded::<Result<Option<ComparisonPage>, GqlError>>() {
        Some(Ok(Some(comparison))) => view! { <Comparison comparison/> }.into_any(),
        Some(Ok(None)) | None => view! { <NotFound/> }.into_any(),
        Some(Err(error)) if error.code == Code::Validation => view! { <NotFound/> }.into_any(),
        Some(Err(error)) => failure(&error, &set_status),
    }
}

/// The curated comparison with this slug, else the ad hoc pair it names.
pub(crate) async fn load(
    backend: &Backend,
    slug: String,
) -> Result<Option<ComparisonPage>, GqlError> {
    let curated = backend
        .run::<ComparisonBySlug>(&SlugVars { slug: slug.clone() })
        .await?;
    if curated.comparison.is_some() {
        return Ok(curated.comparison);
    }
    // Tool slugs may themselves contain "-vs-": try each place the pair could split.
    for (at, _) in slug.match_indices("-vs-").take(4) {
        let (a, b) = (&slug[..at], &slug[at + 4..]);
        let (a, b) = (a.to_owned(), b.to_owned());
        let pair = backend.run::<ComparisonByPair>(&PairVars { a, b }).await?;
        if pair.compare.is_some() {
            return Ok(pair.compare);
        }
    }
    Ok(None)
}

#[component]
fn Comparison(comparison: ComparisonPage) -> impl IntoView {
    let ComparisonPage {
        slug,
        title,
        summary,
        left,
        right,
        split,
        scorecard,
        head_to_head,
        viewer_pick,
        curated,
        published_at,
    } = comparison;
    let drafts: Vec<&str> = [
        (curated && published_at.is_none()).then_some("this comparison"),
        left.published_at.is_none().then_some(left.name.as_str()),
        right.published_at.is_none().then_some(right.name.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    let preview = draft_notice(&drafts);
    let path = format!("/compare/{slug}");
    let description = summary.clone().unwrap_or_else(|| {
        format!(
            "{} or {}? The Verdicts panel's ship/skip verdicts and the readers' votes, side by side.",
            left.name, right.name
        )
    });
    let side = |pick: fn(&ScorecardRow) -> Option<&ReviewText>| {
        scorecard
            .iter()
            .filter_map(|row| {
                pick(row).map(|r| crate::seo::ReviewData {
                    reviewer: &row.reviewer,
                    verdict: r.verdict,
                    body: &r.body,
                    reviewed_on: &r.provenance.reviewed_on,
                })
            })
            .collect::<Vec<_>>()
    };
    let structured = crate::seo::document(json!({
        "@type": "WebPage",
        "name": title,
        "description": description,
        "url": crate::seo::absolute(&path),
        "about": [
            crate::seo::software_application(&left, &side(|row| row.left.as_ref())),
            crate::seo::software_application(&right, &side(|row| row.right.as_ref())),
        ],
    }));
    let same_category = left.category.slug == right.category.slug;
    let eyebrow = if same_category {
        format!("{} \u{b7} Head to head", left.category.name)
    } else {
        "Head to head".to_owned()
    };
    let left_name = left.name.clone();
    let right_name = right.name.clone();
    let summary = summary.map(|text| view! { <p class="summary">{text}</p> });
    let pick = head_to_head.map(|head_to_head| {
        view! {
            <section class="head-to-head" aria-labelledby="h2h-title">
                <h2 id="h2h-title">"Readers\u{2019} pick"</h2>
                <p class="section-note">"If you could ship only one of the two, which would it be?"</p>
                <PickBox
                    comparison=slug.clone()
                    left=(left.slug.clone(), left.name.clone())
                    right=(right.slug.clone(), right.name.clone())
                    head_to_head
                    viewer_pick=viewer_pick.map(|p| p.slug)
                    return_to=format!("/compare/{slug}#h2h-title")
                />
            </section>
        }
    });
    view! {
        <crate::seo::Seo path=path.clone() title=title.clone() description kind="article" structured/>
        <main class="page compare">
            {preview}
            <header class="hero">
                <p class="eyebrow">{eyebrow}</p>
                <h1>
                    <span>{left_name.clone()}</span>
                    <span class="vs">" vs "</span>
                    <span>{right_name.clone()}</span>
                </h1>
                <p class="question">"Which of the two do you ship?"</p>
                {summary}
            </header>
            <section class="cards" aria-label="The two tools">
                <ToolCard tool=left return_to=path.clone()/>
                <ToolCard tool=right return_to=path/>
            </section>
            {pick}
            <Scorecard rows=scorecard left_name=left_name.clone() right_name=right_name.clone()/>
            <ReviewerSplit split left_name right_name/>
            <NewsletterForm/>
        </main>
    }
}

#[component]
fn Scorecard(rows: Vec<ScorecardRow>, left_name: String, right_name: String) -> impl IntoView {
    let empty = rows.is_empty().then(|| {
        view! { <p class="empty">"The panel has not reviewed these tools yet."</p> }
    });
    let rows = rows
        .into_iter()
        .map(|row| {
            view! {
                <div class="scorecard-row" role="row">
                    <div class="reviewer" role="rowheader">
                        <a class="reviewer-name" href=format!("/reviewers/{}", row.reviewer.slug)>{row.reviewer.name.clone()}</a>
                        <span class="lens">{lens_label(&row.reviewer.lens)}</span>
                    </div>
                    <ScorecardCell review=row.left tool_name=left_name.clone()/>
                    <ScorecardCell review=row.right tool_name=right_name.clone()/>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="scorecard" aria-labelledby="scorecard-title">
            <h2 id="scorecard-title">"The panel\u{2019}s scorecard"</h2>
            <p class="section-note">
                "Four reviewers, four fixed lenses: each gives every tool a SHIP or SKIP."
            </p>
            <div class="scorecard-table" role="table" aria-label="Verdicts by reviewer">
                <div class="scorecard-row scorecard-head" role="row">
                    <span role="columnheader">"Reviewer"</span>
                    <span role="columnheader">{left_name.clone()}</span>
                    <span role="columnheader">{right_name.clone()}</span>
                </div>
                {rows}
            </div>
            {empty}
        </section>
    }
}

#[component]
fn ScorecardCell(review: Option<ReviewText>, tool_name: String) -> impl IntoView {
    match review {
        Some(review) => view! {
            <div class="verdict-cell" role="cell">
                <span class="cell-tool">{tool_name}</span>
                <VerdictBadge verdict=review.verdict/>
                <p>{review.body}</p>
                <ReviewProvenance provenance=review.provenance/>
            </div>
        }
        .into_any(),
        None => view! {
            <div class="verdict-cell none" role="cell">
                <span class="cell-tool">{tool_name}</span>
                <p>"No review yet."</p>
            </div>
        }
        .into_any(),
    }
}

#[component]
fn ReviewerSplit(split: Split, left_name: String, right_name: String) -> impl IntoView {
    let cells = [
        ("Ship both".to_owned(), split.both_ship, "both"),
        (format!("Only {left_name}"), split.only_left, "left"),
        (format!("Only {right_name}"), split.only_right, "right"),
        ("Ship neither".to_owned(), split.neither, "neither"),
    ];
    view! {
        <section class="split" aria-labelledby="split-title">
            <h2 id="split-title">"How the panel splits"</h2>
            <ul class="split-grid">
                {cells
                    .into_iter()
                    .map(|(label, count, key)| {
                        view! {
                            <li class=format!("split-cell {key}") data-testid=format!("split-{key}")>
                                <span class="split-count">{count}</span>
                                <span class="split-label">{label}</span>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The banner an editor sees when a page shows drafts readers cannot see yet.
pub(crate) fn draft_notice(drafts: &[&str]) -> Option<impl IntoView> {
    (!drafts.is_empty()).then(|| {
        view! {
            <p class="draft-notice" role="note">
                <strong>"Draft preview."</strong>
                " Readers cannot see this page until "
                {drafts.join(", ")}
                " "
                {if drafts.len() == 1 { "is" } else { "are" }}
                " published."
            </p>
        }
    })
}
