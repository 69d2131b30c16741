//! `/panel`: the panel versus readers. How often each lens ships and says
//! what readers say, the tools that split the panel, and the tools panel
//! and readers disagree on most.

use contract::operations::{DisputedRow, LensLine, NoVars, PanelPage as Panel, SplitLine};
use leptos::prelude::*;

use crate::components::lens_label;
use crate::graphql::Backend;
use crate::pages::loaded::{loaded, Answer};
use crate::pages::not_found::{failure, NotFound};
use crate::seo::Seo;

/// The panel page's data.
pub(crate) async fn load(backend: &Backend) -> Answer<Panel> {
    backend.run::<Panel>(&NoVars {}).await
}

/// The panel page.
#[component]
pub fn PanelPage() -> impl IntoView {
    let set_status = expect_context::<Backend>().0.status_setter();
    match loaded::<Answer<Panel>>() {
        Some(Ok(data)) => {
            let disputed: Vec<DisputedRow> = data
                .disputed
                .nodes
                .into_iter()
                .filter(|row| row.versus.is_some())
                .collect();
            view! { <PanelView lenses=data.panel.lenses splits=data.panel.split_tools disputed/> }
                .into_any()
        }
        None => view! { <NotFound/> }.into_any(),
        Some(Err(error)) => failure(&error, &set_status),
    }
}

/// "62 %" or "–" for no percentage.
fn percent(value: Option<i64>) -> String {
    value.map_or_else(|| "\u{2013}".to_owned(), |p| format!("{p}\u{a0}%"))
}

/// "1 review" / "3 reviews".
fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[component]
fn LensCard(line: LensLine) -> impl IntoView {
    let ships = if line.verdicts.total == 0 {
        "no review yet".to_owned()
    } else {
        format!(
            "{} of {}",
            percent(line.verdicts.ship_percent),
            count(line.verdicts.total, "review", "reviews")
        )
    };
    let agrees = if line.compared_with_readers == 0 {
        "no tool with a readers\u{2019} score yet".to_owned()
    } else {
        format!(
            "{} of {}",
            percent(line.agreement_percent),
            count(line.compared_with_readers, "review", "reviews")
        )
    };
    view! {
        <li class="lens-card">
            <h3>{lens_label(&line.lens)}</h3>
            <p class="lens-reviewers">{count(line.reviewers, "reviewer", "reviewers")}</p>
            <dl>
                <dt>"Ships"</dt>
                <dd>{ships}</dd>
                <dt>"Agrees with readers"</dt>
                <dd>{agrees}</dd>
            </dl>
        </li>
    }
}

#[component]
fn SplitItem(split: SplitLine) -> impl IntoView {
    let SplitLine { tool, panel } = split;
    view! {
        <li>
            <a href=format!("/tools/{}", tool.slug)>{tool.name}</a>
            <span class="vendor">{format!(" by {}", tool.vendor)}</span>
            <span class="split-tally">
                {format!(" \u{b7} {} SHIP, {} SKIP", panel.ship, panel.skip)}
            </span>
        </li>
    }
}

#[component]
fn DisputedItem(row: DisputedRow) -> impl IntoView {
    let summary = row.versus.map(|v| v.summary).unwrap_or_default();
    view! {
        <li>
            <a href=format!("/tools/{}", row.row.slug)>{row.row.name}</a>
            <span class="vendor">{format!(" by {}", row.row.vendor)}</span>
            <p class="versus-line">{summary}</p>
        </li>
    }
}

#[component]
fn PanelView(
    lenses: Vec<LensLine>,
    splits: Vec<SplitLine>,
    disputed: Vec<DisputedRow>,
) -> impl IntoView {
    let splits_view = if splits.is_empty() {
        view! { <p class="empty">"Every reviewed tool has a unanimous panel so far."</p> }
            .into_any()
    } else {
        view! {
            <ol class="link-list ranked">
                {splits.into_iter().map(|split| view! { <SplitItem split/> }).collect_view()}
            </ol>
        }
        .into_any()
    };
    let disputed_view = if disputed.is_empty() {
        view! {
            <p class="empty">
                "No tool has both a panel score and enough readers\u{2019} votes for a readers\u{2019} score yet."
            </p>
        }
        .into_any()
    } else {
        view! {
            <ol class="link-list ranked">
                {disputed.into_iter().map(|row| view! { <DisputedItem row/> }).collect_view()}
            </ol>
            <p><a href="/tools?order=disputed">"Every tool, most disputed first"</a></p>
        }
        .into_any()
    };
    view! {
        <Seo
            path="/panel"
            title="Panel versus readers"
            description="How often each lens of the Verdicts panel ships a tool, how often it says what readers say, where the panel splits, and where panel and readers disagree most."
        />
        <main class="page panel-page">
            <header class="hero">
                <p class="eyebrow">"Critics and audience"</p>
                <h1>"Panel versus readers"</h1>
                <p class="summary">
                    "Four lenses judge every tool, and readers vote too. Here is how often each lens ships, how often it says what most readers say, where the panel splits, and where panel and readers part ways."
                </p>
            </header>
            <section aria-labelledby="lenses-title">
                <h2 id="lenses-title">"Lens by lens"</h2>
                <p class="section-note">
                    "Published reviews of published tools. A review agrees with the readers when its verdict is what most of that tool\u{2019}s readers say; tools without a readers\u{2019} score, or with readers split exactly in half, are left out."
                </p>
                <ul class="lens-cards">
                    {lenses.into_iter().map(|line| view! { <LensCard line/> }).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="splits-title">
                <h2 id="splits-title">"Where the panel splits"</h2>
                <p class="section-note">"Tools whose reviewers disagree most: an even split first, then the tools with more reviews."</p>
                {splits_view}
            </section>
            <section aria-labelledby="disputed-title">
                <h2 id="disputed-title">"Where panel and readers disagree most"</h2>
                <p class="section-note">"The largest gaps between the panel\u{2019}s SHIP percentage and the readers\u{2019}."</p>
                {disputed_view}
            </section>
        </main>
    }
}
