//! `/compare/<slug>`: two tools side by side: the panel's pick and both
//! scores first, then the cards, their facts aligned by label, the
//! readers' pick, the panel's scorecard,
//! the reviewer split, related comparisons and share links. Curated slugs
//! carry the editor's title, verdict line, byline and summary; any
//! `<a>-vs-<b>` pair works too.

use contract::operations::{
    ComparisonByPair, ComparisonBySlug, ComparisonPage, ManyComparisonPage, MatchPair, PairVars,
    PanelPickData, PanelPickSide, PanelVerdict, RelatedComparison, ReviewText, ScorecardRow,
    SlugVars, Split, ToolCard as ToolCardData,
};
use contract::Code;
use leptos::prelude::*;
use serde_json::json;

use crate::components::facts::FactsTable;
use crate::components::lens_label;
use crate::components::newsletter::NewsletterForm;
use crate::components::provenance::ReviewProvenance;
use crate::components::share::CopyLink;
use crate::components::{
    pick::PickBox,
    score::{percent_text, VerdictBadge},
    tool_card::ToolCard,
};
use crate::graphql::{Backend, GqlError};
use crate::pages::compare_many::{self, DidYouMeanMany, ManyComparison, TooManyTools, TypedName};
use crate::pages::loaded::loaded;
use crate::pages::not_found::{failure, DidYouMean, NotFound, TypedPair};

/// The comparison page.
#[component]
pub fn ComparePage() -> impl IntoView {
    let set_status = expect_context::<Backend>().0.status_setter();
    match loaded::<Result<Lookup, GqlError>>() {
        Some(Ok(Lookup::Page(comparison))) => {
            view! { <Comparison comparison=*comparison/> }.into_any()
        }
        Some(Ok(Lookup::Unmatched(pair))) => view! { <DidYouMean pair=*pair/> }.into_any(),
        Some(Ok(Lookup::Many(page))) => view! { <ManyComparison page=*page/> }.into_any(),
        Some(Ok(Lookup::UnmatchedMany(names))) => view! { <DidYouMeanMany names/> }.into_any(),
        Some(Ok(Lookup::TooMany(names))) => view! { <TooManyTools names/> }.into_any(),
        // A resolved or moved address is redirected before it renders.
        Some(Ok(Lookup::Resolved(_) | Lookup::Moved(_) | Lookup::Nothing)) | None => {
            view! { <NotFound/> }.into_any()
        }
        Some(Err(error)) if error.code == Code::Validation => view! { <NotFound/> }.into_any(),
        Some(Err(error)) => failure(&error, &set_status),
    }
}

/// What `/compare/<slug>` stands for.
#[derive(Clone, Debug)]
pub(crate) enum Lookup {
    /// A curated comparison, or the pair of tools the slugs name.
    Page(Box<ComparisonPage>),
    /// Names typed by hand that stand for two tools: their comparison's path.
    Resolved(String),
    /// Names typed by hand, one or both standing for no single tool.
    Unmatched(Box<TypedPair>),
    /// No pair of names at all.
    Nothing,
    /// Three or four tools side by side.
    Many(Box<ManyComparisonPage>),
    /// The same tools, each named once: where the page lives for good.
    Moved(String),
    /// Three or four names typed by hand, one standing for no tool.
    UnmatchedMany(Vec<TypedName>),
    /// More tools than one page compares.
    TooMany(Vec<String>),
}

/// The curated comparison with this slug, else the ad hoc pair it names,
/// else what the two names in it, typed by hand, stand for.
pub(crate) async fn load(backend: &Backend, slug: String) -> Result<Lookup, GqlError> {
    let curated = backend
        .run::<ComparisonBySlug>(&SlugVars { slug: slug.clone() })
        .await?;
    if let Some(comparison) = curated.comparison {
        return Ok(Lookup::Page(Box::new(comparison)));
    }
    let names = compare_many::names(&slug);
    let many = names.len() > 2;
    if many {
        if let Some(found) = compare_many::find(backend, &names).await? {
            return Ok(found);
        }
    }
    // Tool slugs may themselves contain "-vs-": try each place the pair could split.
    let splits: Vec<(String, String)> = slug
        .match_indices("-vs-")
        .take(4)
        .map(|(at, _)| (slug[..at].to_owned(), slug[at + 4..].to_owned()))
        .filter(|(a, b)| !a.is_empty() && !b.is_empty())
        .collect();
    for (a, b) in &splits {
        let (a, b) = (a.clone(), b.clone());
        let pair = backend.run::<ComparisonByPair>(&PairVars { a, b }).await?;
        if let Some(comparison) = pair.compare {
            return Ok(Lookup::Page(Box::new(comparison)));
        }
    }
    if many {
        return compare_many::unmatched(backend, names).await;
    }
    let mut unmatched = None;
    for (a, b) in splits {
        let found = backend
            .run::<MatchPair>(&PairVars {
                a: a.clone(),
                b: b.clone(),
            })
            .await?;
        match (&found.left.tool, &found.right.tool) {
            (Some(left), Some(right)) if left.slug != right.slug => {
                return Ok(Lookup::Resolved(format!(
                    "/compare/{}-vs-{}",
                    left.slug, right.slug
                )));
            }
            // One tool twice is no comparison.
            (Some(_), Some(_)) => {}
            _ => {
                unmatched.get_or_insert(Box::new(TypedPair {
                    left: a,
                    right: b,
                    found,
                }));
            }
        }
    }
    Ok(unmatched.map_or(Lookup::Nothing, Lookup::Unmatched))
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
        verdict_line,
        byline,
        updated_at,
        panel_pick,
        related,
        facts,
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
    let description = verdict_line
        .clone()
        .or_else(|| summary.clone())
        .unwrap_or_else(|| {
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
    let mut page_data = json!({
        "@type": "WebPage",
        "name": title,
        "description": description,
        "url": crate::seo::absolute(&path),
        "about": [
            crate::seo::software_application(&left, &side(|row| row.left.as_ref())),
            crate::seo::software_application(&right, &side(|row| row.right.as_ref())),
        ],
    });
    if let Some(at) = &published_at {
        page_data["datePublished"] = json!(at);
    }
    if let Some(at) = updated_at.as_ref().or(published_at.as_ref()) {
        page_data["dateModified"] = json!(at);
    }
    if let Some(name) = &byline {
        page_data["author"] = json!({ "@type": "Person", "name": name });
    }
    let structured = crate::seo::document(page_data);
    let same_category = left.category.slug == right.category.slug;
    let eyebrow = if same_category {
        format!("{} \u{b7} Head to head", left.category.name)
    } else {
        "Head to head".to_owned()
    };
    let left_name = left.name.clone();
    let right_name = right.name.clone();
    let summary = summary.map(|text| view! { <p class="summary">{text}</p> });
    let verdict_line = verdict_line.map(|text| {
        view! { <p class="verdict-line" data-testid="verdict-line">{text}</p> }
    });
    let credits = curated.then(|| credits(byline, published_at.as_deref(), updated_at.as_deref()));
    // Every pair can be picked on: the picks are the pair's, curated or not.
    let pick = head_to_head.map(|head_to_head| {
        view! {
            <section class="head-to-head" aria-labelledby="h2h-title" data-testid="h2h-section">
                <p class="eyebrow">"Head to head \u{b7} one choice"</p>
                <h2 id="h2h-title">"Which would you pick?"</h2>
                <p class="section-note">
                    "Not a verdict on each tool (vote on those in the cards above): if you could have only one of the two, which one?"
                </p>
                <PickBox
                    comparison=curated.then(|| slug.clone())
                    left=(left.slug.clone(), left.name.clone())
                    right=(right.slug.clone(), right.name.clone())
                    head_to_head
                    viewer_pick=viewer_pick.map(|p| p.slug)
                    return_to=format!("/compare/{slug}#h2h-title")
                />
            </section>
        }
    });
    let strip = view! {
        <ScoreStrip left=left.clone() right=right.clone()/>
        <StickyScores left=left.clone() right=right.clone()/>
    };
    let facts_table = view! {
        <FactsTable
            tools=vec![(left.slug.clone(), left.name.clone()), (right.slug.clone(), right.name.clone())]
            rows=facts
        />
    };
    let pick_line = panel_pick_line(&panel_pick);
    let share = share_links(&title, &crate::seo::absolute(&path));
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
                {verdict_line}
                {pick_line}
                {credits}
            </header>
            {strip}
            <div class="hero-more">
                <p class="question">"Which of the two do you ship?"</p>
                {summary}
            </div>
            <section class="cards" aria-label="The two tools">
                <ToolCard tool=left return_to=path.clone()/>
                <ToolCard tool=right return_to=path/>
            </section>
            {facts_table}
            {pick}
            <Scorecard rows=scorecard left_name=left_name.clone() right_name=right_name.clone()/>
            <ReviewerSplit split left_name right_name/>
            <RelatedComparisons related/>
            {share}
            <NewsletterForm/>
        </main>
    }
}

/// "Panel's pick: X", or "Split decision" when the panel favours neither.
fn panel_pick_line(pick: &PanelPickData) -> impl IntoView {
    match (&pick.side, &pick.tool) {
        (PanelPickSide::Left | PanelPickSide::Right, Some(tool)) => view! {
            <p class="panel-pick" data-testid="panel-pick">
                <span class="panel-pick-label">"Panel\u{2019}s pick"</span>
                <a href=format!("/tools/{}", tool.slug)>{tool.name.clone()}</a>
                <span class="panel-pick-why">"higher share of SHIP verdicts"</span>
            </p>
        }
        .into_any(),
        _ => view! {
            <p class="panel-pick split" data-testid="panel-pick">
                <span class="panel-pick-label">"Split decision"</span>
                <span class="panel-pick-why">"the panel favours neither tool"</span>
            </p>
        }
        .into_any(),
    }
}

/// "By Name · Published 21 Nov 2026 · Updated 3 Dec 2026": the byline and
/// the dates of a curated comparison (Updated only when it changed after
/// publication).
fn credits(
    byline: Option<String>,
    published: Option<&str>,
    updated: Option<&str>,
) -> impl IntoView {
    let published_day = published.map(day);
    let updated_day = updated
        .filter(|u| published.is_some_and(|p| *u > p))
        .map(day)
        .filter(|u| Some(u) != published_day.as_ref());
    let by = byline.map(|name| view! { <span class="byline">"By " {name}</span> });
    let published_view = published.zip(published_day).map(|(at, text)| {
        view! { <span>"Published " <time datetime=at.to_owned()>{text}</time></span> }
    });
    let updated_view = updated.zip(updated_day).map(|(at, text)| {
        view! { <span>"Updated " <time datetime=at.to_owned()>{text}</time></span> }
    });
    view! { <p class="credits" data-testid="credits">{by}{published_view}{updated_view}</p> }
}

/// `2026-11-21T09:00:00Z` as "21 Nov 2026".
fn day(at: &str) -> String {
    let when = crate::components::ledger::when(at);
    match when.split_once(", ") {
        Some((day, _)) => day.to_owned(),
        None => when,
    }
}

/// Critics and readers side by side, before the cards: for each tool the
/// panel's top line (SHIP/SKIP, its percentage and how many reviewers) and
/// the readers' score with its vote count.
#[component]
fn ScoreStrip(left: ToolCardData, right: ToolCardData) -> impl IntoView {
    let column = |tool: ToolCardData, side: &'static str| {
        let verdict = tool.panel_verdict.map(|v| {
            let class = match v {
                PanelVerdict::Ship => "badge ship",
                PanelVerdict::Skip => "badge skip",
                PanelVerdict::Split => "badge split",
            };
            view! { <span class=class>{v.label()}</span> }
        });
        let reviewers = match tool.panel.total {
            0 => "no reviews yet".to_owned(),
            1 => "1 reviewer".to_owned(),
            n => format!("{n} reviewers"),
        };
        let votes = match tool.community.total {
            1 => "1 vote".to_owned(),
            n => format!("{n} votes"),
        };
        let readers = match tool.community.ship_percent {
            Some(p) => format!("{p}%"),
            None => "\u{2014}".to_owned(),
        };
        view! {
            <div class=format!("strip-tool {side}") data-testid=format!("strip-{side}")>
                <p class="strip-name"><a href=format!("#tool-{}", tool.slug)>{tool.name.clone()}</a></p>
                <p class="strip-line">
                    <span class="strip-label">"Panel"</span>
                    {verdict}
                    <span class="strip-value" data-testid="strip-panel">{percent_text(tool.panel.ship_percent)}</span>
                    <span class="strip-note">{reviewers}</span>
                </p>
                <p class="strip-line">
                    <span class="strip-label">"Readers"</span>
                    <span class="strip-value" data-testid="strip-readers">{readers}</span>
                    <span class="strip-note">{votes}</span>
                </p>
            </div>
        }
    };
    view! {
        <section class="score-strip" aria-label="Critics and readers, side by side" data-testid="score-strip">
            {column(left, "left")}
            {column(right, "right")}
        </section>
    }
}

/// The panel's two scores in a slim bar that stays at the top of a phone's
/// screen once the full strip has scrolled away: each tool's name over
/// "Panel 75% SHIP". CSS alone places it (sticky, tucked under the
/// strip's bottom edge until the strip leaves); it is hidden on wide
/// screens, and from screen readers, which have the strip itself.
#[component]
fn StickyScores(left: ToolCardData, right: ToolCardData) -> impl IntoView {
    let side = |tool: ToolCardData, which: &'static str| {
        let verdict = tool.panel_verdict.map(|v| {
            let class = match v {
                PanelVerdict::Ship => "badge ship",
                PanelVerdict::Skip => "badge skip",
                PanelVerdict::Split => "badge split",
            };
            view! { <span class=class>{v.label()}</span> }
        });
        view! {
            <span class=format!("sticky-tool {which}") data-testid=format!("sticky-{which}")>
                <span class="sticky-name">{tool.name}</span>
                " "
                <span class="sticky-line">
                    <span class="sticky-label">"Panel"</span>
                    " "
                    <span class="sticky-value">{percent_text(tool.panel.ship_percent)}</span>
                    " "
                    {verdict}
                </span>
            </span>
        }
    };
    view! {
        <div class="sticky-scores" aria-hidden="true" data-testid="sticky-scores">
            {side(left, "left")}
            {side(right, "right")}
        </div>
    }
}

/// More comparisons to read: those sharing a tool first, then the same category.
#[component]
fn RelatedComparisons(related: Vec<RelatedComparison>) -> impl IntoView {
    (!related.is_empty()).then(|| {
        let items = related
            .into_iter()
            .map(|c| {
                let pair = format!("{} vs {}", c.left.name, c.right.name);
                let pair =
                    (pair != c.title).then(|| view! { <span class="related-pair">{pair}</span> });
                view! {
                    <li>
                        <a href=format!("/compare/{}", c.slug)>{c.title}</a>
                        {pair}
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="related" aria-labelledby="related-title" data-testid="related">
                <h2 id="related-title">"Related comparisons"</h2>
                <ul class="related-list">{items}</ul>
            </section>
        }
    })
}

/// Copy the link, or share it on a network: plain links, no third-party script.
pub(crate) fn share_links(title: &str, url: &str) -> impl IntoView {
    let links = share_targets(title, url)
        .into_iter()
        .map(|(name, href)| {
            view! {
                <li><a href=href rel="noopener noreferrer" target="_blank">{name}</a></li>
            }
        })
        .collect_view();
    view! {
        <section class="share" aria-labelledby="share-title" data-testid="share">
            <h2 id="share-title">"Share this comparison"</h2>
            <CopyLink url=url.to_owned()/>
            <ul class="share-links">{links}</ul>
        </section>
    }
}

/// Each network's share address for `url` and `title`, every part URL-encoded.
pub(crate) fn share_targets(title: &str, url: &str) -> Vec<(&'static str, String)> {
    let (t, u) = (encode_component(title), encode_component(url));
    let text_and_url = encode_component(&format!("{title} {url}"));
    vec![
        (
            "X (Twitter)",
            format!("https://twitter.com/intent/tweet?text={t}&url={u}"),
        ),
        (
            "LinkedIn",
            format!("https://www.linkedin.com/sharing/share-offsite/?url={u}"),
        ),
        (
            "Reddit",
            format!("https://www.reddit.com/submit?url={u}&title={t}"),
        ),
        (
            "Hacker News",
            format!("https://news.ycombinator.com/submitlink?u={u}&t={t}"),
        ),
        (
            "Bluesky",
            format!("https://bsky.app/intent/compose?text={text_and_url}"),
        ),
        (
            "Mastodon",
            format!("https://toot.kytta.dev/?text={text_and_url}"),
        ),
        (
            "Email",
            format!(
                "mailto:?subject={t}&body={}",
                encode_component(&format!("{title}\n\n{url}"))
            ),
        ),
    ]
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so the
/// text is one query value whatever it holds (`&`, `#`, quotes, spaces).
pub(crate) fn encode_component(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
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
