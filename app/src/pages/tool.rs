//! `/tools/<slug>`: one tool, its scores, its facts, every published
//! review, and the comparisons it appears in.

use contract::operations::{
    self as op, Alternatives, AlternativesVars, CountingRule, SlugVars, ToolDetail as ToolPageData,
    ToolIntegrity, ToolRow,
};
use leptos::prelude::*;

use crate::components::facts::FactList;
use crate::components::ledger::{plural, WindowItem};
use crate::components::lens_label;
use crate::components::provenance::ReviewProvenance;
use crate::components::{
    history::ScoreHistory, picker::ComparePicker, score::VerdictBadge, tool_card::ToolCard,
    tool_list::ToolList,
};
use crate::escape;
use crate::graphql::{Backend, GqlError};
use crate::pages::loaded::loaded;
use crate::pages::not_found::{failure, NotFound};
use crate::seo::{absolute, software_application, ReviewData, Seo};

/// A tool page's data: the tool (none when no such tool is visible) and up
/// to five others of its category.
type ToolData = Result<Option<(ToolPageData, Vec<ToolRow>, CountingRule)>, GqlError>;

/// The tool named `slug` and its alternatives.
pub(crate) async fn load(backend: &Backend, slug: String) -> ToolData {
    let data = backend.run::<op::ToolPage>(&SlugVars { slug }).await?;
    let rule = data.counting_rule;
    let Some(tool) = data.tool else {
        return Ok(None);
    };
    let category = tool.card.category.slug.clone();
    let alternatives = backend
        .run::<Alternatives>(&AlternativesVars { category })
        .await?
        .tools
        .nodes
        .into_iter()
        .filter(|t| t.slug != tool.card.slug)
        .take(5)
        .collect::<Vec<_>>();
    Ok(Some((tool, alternatives, rule)))
}

/// The tool page.
#[component]
pub fn ToolPage() -> impl IntoView {
    let set_status = expect_context::<Backend>().0.status_setter();
    match loaded::<ToolData>() {
        Some(Ok(Some((tool, alternatives, rule)))) => {
            view! { <ToolView tool alternatives rule/> }.into_any()
        }
        Some(Ok(None)) | None => view! { <NotFound/> }.into_any(),
        Some(Err(error)) => failure(&error, &set_status),
    }
}

#[component]
fn ToolView(tool: ToolPageData, alternatives: Vec<ToolRow>, rule: CountingRule) -> impl IntoView {
    let ToolPageData {
        card,
        reviews,
        comparisons,
        score_history,
        ledger,
        versus,
        facts,
    } = tool;
    let review_data: Vec<ReviewData> = reviews
        .iter()
        .map(|r| ReviewData {
            reviewer: &r.reviewer,
            verdict: r.verdict,
            body: &r.body,
            reviewed_on: &r.provenance.reviewed_on,
        })
        .collect();
    let structured = crate::seo::document(software_application(&card, &review_data));
    let badge_url = absolute(&format!("/badge/{}.svg", card.slug));
    let page_url = absolute(&format!("/tools/{}", card.slug));
    // HTML that site owners paste: the name is text of an attribute there.
    let embed = format!(
        "<a href=\"{}\"><img src=\"{}\" alt=\"{}\" height=\"20\"></a>",
        escape::attribute(&page_url),
        escape::attribute(&badge_url),
        escape::attribute(&format!("Verdicts scores for {}", card.name)),
    );
    let badge_path = format!("/badge/{}.svg", card.slug);
    let slug = card.slug.clone();
    let name = card.name.clone();
    let category_slug = card.category.slug.clone();
    let alternatives_view = (!alternatives.is_empty()).then(|| {
        view! {
            <section aria-labelledby="alternatives-title">
                <h2 id="alternatives-title">"Alternatives"</h2>
                <p class="section-note">
                    "Other tools in "
                    <a href=format!("/categories/{category_slug}")>{card.category.name.clone()}</a>
                    ", best panel score first."
                </p>
                <ToolList tools=alternatives compare_from=(slug.clone(), name.clone())/>
            </section>
        }
    });
    let comparisons = comparisons.nodes;
    let path = format!("/tools/{}", card.slug);
    let preview = crate::pages::compare::draft_notice(if card.published_at.is_none() {
        &["this tool"]
    } else {
        &[]
    });
    let title = format!("{} by {}", card.name, card.vendor);
    let description = format!(
        "{} by {}: {}. Panel: {}; readers: {}.",
        card.name,
        card.vendor,
        card.tagline.trim_end_matches('.'),
        crate::components::score::panel_note(&card.panel),
        crate::components::score::percent_text(card.community.ship_percent)
    );
    let reviews_view = if reviews.is_empty() {
        view! { <p class="empty">"The panel has not reviewed this tool yet."</p> }.into_any()
    } else {
        view! {
            <ul class="review-list">
                {reviews
                    .into_iter()
                    .map(|r| {
                        view! {
                            <li class="review">
                                <div class="review-head">
                                    <VerdictBadge verdict=r.verdict/>
                                    <a class="reviewer-name" href=format!("/reviewers/{}", r.reviewer.slug)>{r.reviewer.name}</a>
                                    <span class="lens">{lens_label(&r.reviewer.lens)}</span>
                                </div>
                                <p>{r.body}</p>
                                <ReviewProvenance provenance=r.provenance/>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let comparisons_view = (!comparisons.is_empty()).then(|| {
        view! {
            <section aria-labelledby="in-comparisons">
                <h2 id="in-comparisons">"Compared with"</h2>
                <ul class="link-list">
                    {comparisons
                        .into_iter()
                        .map(|c| {
                            view! {
                                <li>
                                    <a href=format!("/compare/{}", c.slug)>{c.title}</a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    view! {
        <crate::seo::ItemFeed path=path.clone() title=format!("{name} on Verdicts")/>
        <Seo path=path.clone() title description structured/>
        <main class="page tool">
            {preview}
            <nav class="crumbs" aria-label="Breadcrumb">
                <a href="/tools">"Tools"</a>
                " / "
                <a href=format!("/categories/{}", card.category.slug)>{card.category.name.clone()}</a>
            </nav>
            <div class="tool-solo">
                <ToolCard tool=card return_to=path link_name=false/>
            </div>
            {versus.map(|versus| view! { <PanelVersusReaders versus/> })}
            <FactList facts/>
            <section aria-labelledby="reviews-title">
                <h2 id="reviews-title">"The panel\u{2019}s reviews"</h2>
                {reviews_view}
            </section>
            <section aria-labelledby="history-title">
                <h2 id="history-title">"Score history"</h2>
                <ScoreHistory points=score_history tool_name=name.clone()/>
            </section>
            <VoteIntegrity ledger rule tool_name=name.clone()/>
            {comparisons_view}
            {alternatives_view}
            <section aria-labelledby="compare-title">
                <h2 id="compare-title">{format!("Compare {name} with any tool")}</h2>
                <ComparePicker left=(slug, name.clone())/>
            </section>
            <section class="embed" aria-labelledby="embed-title">
                <h2 id="embed-title">"Embed this"</h2>
                <p class="section-note">"Show the live scores on your site or README:"</p>
                <p><img src=badge_path alt=format!("Verdicts scores for {name}") height="20"/></p>
                <label for="embed-code">"HTML"</label>
                <textarea id="embed-code" class="embed-code" readonly rows="3">{escape::raw_text(&embed)}</textarea>
            </section>
        </main>
    }
}

/// The panel's score beside the readers', in words, with the gap marked
/// when they come down on different sides.
#[component]
fn PanelVersusReaders(versus: op::Versus) -> impl IntoView {
    let class = if versus.agreement == "DISAGREE" {
        "versus disagree"
    } else {
        "versus"
    };
    view! {
        <p class=class data-testid="panel-versus-readers">
            <span class="versus-label">"Panel vs readers"</span>
            {versus.summary}
            " "
            <a href="/panel">"How the panel compares with readers"</a>
        </p>
    }
}

/// "How readers' votes were counted": counted, held and rejected, votes by
/// source, and the windows that held votes with each decision. Shown even
/// when nothing was set aside, with the rule in words.
#[component]
fn VoteIntegrity(ledger: ToolIntegrity, rule: CountingRule, tool_name: String) -> impl IntoView {
    let set_aside = ledger.held + ledger.rejected;
    let headline = if ledger.stored == 0 {
        format!("No reader has voted on {tool_name} yet.")
    } else if set_aside == 0 {
        format!(
            "{}: no counting rule set any aside.",
            if ledger.stored == 1 {
                "The one vote counts".to_owned()
            } else {
                format!("All {} votes count", ledger.stored)
            }
        )
    } else {
        ledger
            .summary
            .clone()
            .map(|s| format!("{}.", s.trim_end_matches('.')))
            .unwrap_or_else(|| format!("{} were set aside.", plural(set_aside, "vote")))
    };
    let details = (set_aside > 0).then(|| {
        view! {
            <ul class="stat-grid integrity-stats" aria-label="Votes on this tool">
                <li><span class="split-count">{ledger.counted}</span><span class="split-label">"counted"</span></li>
                <li><span class="split-count">{ledger.held}</span><span class="split-label">"held for review"</span></li>
                <li><span class="split-count">{ledger.rejected}</span><span class="split-label">"rejected"</span></li>
            </ul>
        }
    });
    let sources = (ledger.stored > 0 && (set_aside > 0 || ledger.by_source.len() > 1)).then(|| {
        let rows = ledger
            .by_source
            .into_iter()
            .map(|s| {
                let kind = match (s.partner, s.switched_off) {
                    (false, _) => "this site",
                    (true, false) => "partner app",
                    (true, true) => "partner app, switched off",
                };
                view! {
                    <tr>
                        <th scope="row">{s.source}<span class="source-kind">{kind}</span></th>
                        <td class="num">{s.counted}</td>
                        <td class="num">{s.held}</td>
                        <td class="num">{s.rejected}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <h3>"Votes by source"</h3>
            <div class="table-wrap">
                <table class="audit sources">
                    <thead><tr><th scope="col">"Source"</th><th scope="col" class="num">"Counted"</th><th scope="col" class="num">"Held"</th><th scope="col" class="num">"Rejected"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
    });
    let windows = (!ledger.windows.is_empty()).then(|| {
        view! {
            <h3>"Votes set aside, by window"</h3>
            <ul class="window-list">
                {ledger
                    .windows
                    .into_iter()
                    .map(|window| view! { <WindowItem window/> })
                    .collect_view()}
            </ul>
        }
    });
    view! {
        <section id="vote-integrity" class="integrity" aria-labelledby="integrity-title">
            <h2 id="integrity-title">"How readers\u{2019} votes were counted"</h2>
            <p class="integrity-headline" data-testid="integrity-headline">{headline}</p>
            {details}
            {sources}
            {windows}
            <p class="section-note">
                "The counting rule: " {rule.rule} ". "
                <a href="/integrity">"The integrity ledger"</a>
                " lists every window and decision on the site."
            </p>
        </section>
    }
}
