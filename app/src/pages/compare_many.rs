//! `/compare/<a>-vs-<b>-vs-<c>(-vs-<d>)`: three or four tools side by side:
//! the panel's pick, both scores of each, the cards, the scorecard with one
//! column per tool, each pair's own page, and share links. The same tools
//! in any order are one page: its canonical address lists them in slug
//! order, while the page shows them in the order the address names them.

use contract::operations::{
    ComparisonOfMany, ManyComparisonPage, ManyScorecardRow, ManyVars, MatchName, NameVars,
    PanelVerdict, PickerTool, RelatedComparison, ReviewText, ToolCard as ToolCardData, ToolMatch,
};
use contract::Code;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use serde_json::json;

use crate::components::facts::FactsTable;
use crate::components::lens_label;
use crate::components::newsletter::NewsletterForm;
use crate::components::provenance::ReviewProvenance;
use crate::components::{
    score::{percent_text, VerdictBadge},
    tool_card::ToolCard,
};
use crate::graphql::{Backend, GqlError};
use crate::pages::compare::{share_links, Lookup};

/// The most tools one page compares.
pub const MAX_TOOLS: usize = 4;

/// The names an address joins with `-vs-`, in order (`a-vs-b-vs-c` is
/// three); empty names are kept, so a caller can tell `a-vs--vs-b` apart.
pub(crate) fn names(slug: &str) -> Vec<String> {
    slug.split("-vs-").map(str::to_owned).collect()
}

/// The address of these names, in this order.
fn path_of<S: AsRef<str>>(names: &[S]) -> String {
    let joined: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    format!("/compare/{}", joined.join("-vs-"))
}

/// What an address of three or more names stands for when it is read as
/// they are written: the page of those tools; where the page of the same
/// tools, each named once, lives; or too many tools. `None` when the names
/// are not all tools (the caller tries other readings of the address,
/// then [`unmatched`]).
pub(crate) async fn find(backend: &Backend, names: &[String]) -> Result<Option<Lookup>, GqlError> {
    // Only slugs can be tools, and only slugs may go into a `Location`:
    // other names are read as typed by hand (or not found).
    if names.iter().any(|name| !contract::slug::is_slug(name)) {
        return Ok(None);
    }
    let mut once: Vec<&String> = Vec::with_capacity(names.len());
    for name in names {
        if !once.contains(&name) {
            once.push(name);
        }
    }
    if once.len() < names.len() {
        // `a-vs-b-vs-a` is the page of a and b: for good.
        return Ok(Some(if once.len() >= 2 {
            Lookup::Moved(path_of(&once))
        } else {
            Lookup::Nothing
        }));
    }
    if names.len() > MAX_TOOLS {
        return Ok(Some(Lookup::TooMany(names.to_vec())));
    }
    let found = backend
        .run::<ComparisonOfMany>(&ManyVars {
            tools: names.to_vec(),
        })
        .await?;
    Ok(found.compare_many.map(|page| Lookup::Many(Box::new(page))))
}

/// Three or four names typed by hand (`/compare/cursor-vs-copilot-vs-qdrant`):
/// the page of the tools they stand for, or what each stands for when one
/// names no tool.
pub(crate) async fn unmatched(backend: &Backend, names: Vec<String>) -> Result<Lookup, GqlError> {
    if names.len() > MAX_TOOLS || names.iter().any(String::is_empty) {
        return Ok(Lookup::Nothing);
    }
    let mut typed = Vec::with_capacity(names.len());
    for name in names {
        let found = backend
            .run::<MatchName>(&NameVars { name: name.clone() })
            .await?;
        typed.push(TypedName {
            typed: name,
            found: found.match_tool,
        });
    }
    if typed.iter().all(|name| name.found.tool.is_some()) {
        let mut slugs: Vec<&str> = Vec::with_capacity(typed.len());
        for slug in typed.iter().filter_map(|n| n.found.tool.as_ref()) {
            if !slugs.contains(&slug.slug.as_str()) {
                slugs.push(&slug.slug);
            }
        }
        return Ok(if slugs.len() >= 2 {
            Lookup::Resolved(path_of(&slugs))
        } else {
            Lookup::Nothing
        });
    }
    Ok(Lookup::UnmatchedMany(typed))
}

/// One name of an address typed by hand, and what it stands for.
#[derive(Clone, Debug)]
pub struct TypedName {
    pub typed: String,
    pub found: ToolMatch,
}

/// The page of three or four tools.
#[component]
pub fn ManyComparison(page: ManyComparisonPage) -> impl IntoView {
    let ManyComparisonPage {
        slug,
        canonical_slug,
        title,
        panel_pick,
        tools,
        scorecard,
        facts,
        curated,
    } = page;
    let path = format!("/compare/{slug}");
    let canonical = format!("/compare/{canonical_slug}");
    let names: Vec<String> = tools.iter().map(|t| t.name.clone()).collect();
    let description = format!(
        "{}? The Verdicts panel's ship/skip verdicts and the readers' votes, side by side.",
        or_list(&names)
    );
    let about: Vec<serde_json::Value> = tools
        .iter()
        .enumerate()
        .map(|(column, tool)| {
            let reviews: Vec<crate::seo::ReviewData<'_>> = scorecard
                .iter()
                .filter_map(|row| {
                    row.reviews
                        .get(column)?
                        .as_ref()
                        .map(|r| crate::seo::ReviewData {
                            reviewer: &row.reviewer,
                            verdict: r.verdict,
                            body: &r.body,
                            reviewed_on: &r.provenance.reviewed_on,
                        })
                })
                .collect();
            crate::seo::software_application(tool, &reviews)
        })
        .collect();
    let structured = crate::seo::document(json!({
        "@type": "WebPage",
        "name": title,
        "description": description,
        "url": crate::seo::absolute(&canonical),
        "about": about,
    }));
    let same_category = tools
        .windows(2)
        .all(|pair| pair[0].category.slug == pair[1].category.slug);
    let count = tools.len();
    let how_many = if count == 3 { "three" } else { "four" };
    let eyebrow = match tools.first() {
        Some(first) if same_category => format!(
            "{} \u{b7} {} tools side by side",
            first.category.name,
            capitalized(how_many)
        ),
        _ => format!("{} tools side by side", capitalized(how_many)),
    };
    let heading = names
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let vs = (i > 0).then(|| view! { <span class="vs">" vs "</span> });
            view! { {vs}<span>{name.clone()}</span> }
        })
        .collect_view();
    let pick = match panel_pick {
        Some(tool) => view! {
            <p class="panel-pick" data-testid="panel-pick">
                <span class="panel-pick-label">"Panel\u{2019}s pick"</span>
                <a href=format!("/tools/{}", tool.slug)>{tool.name}</a>
                <span class="panel-pick-why">"highest share of SHIP verdicts"</span>
            </p>
        }
        .into_any(),
        None => view! {
            <p class="panel-pick split" data-testid="panel-pick">
                <span class="panel-pick-label">"Split decision"</span>
                <span class="panel-pick-why">"no tool has the panel\u{2019}s highest share of SHIP verdicts alone"</span>
            </p>
        }
        .into_any(),
    };
    let columns = format!("--columns: {count}");
    let strip = tools.iter().cloned().map(strip_column).collect_view();
    let pairs = pairs_of(&tools, &curated);
    let columns_of: Vec<(String, String)> = tools
        .iter()
        .map(|t| (t.slug.clone(), t.name.clone()))
        .collect();
    let cards = tools
        .into_iter()
        .map(|tool| view! { <ToolCard tool return_to=path.clone()/> })
        .collect_view();
    let share = share_links(&title, &crate::seo::absolute(&path));
    view! {
        <crate::seo::Seo path=canonical title=title.clone() description kind="article" structured/>
        <main class="page compare compare-many" data-tools=count.to_string()>
            <header class="hero">
                <p class="eyebrow">{eyebrow}</p>
                <h1>{heading}</h1>
                {pick}
            </header>
            <section class="score-strip many" style=columns.clone() aria-label="Critics and readers, side by side" data-testid="score-strip">
                {strip}
            </section>
            <div class="hero-more">
                <p class="question">{format!("Which of the {how_many} do you ship?")}</p>
            </div>
            <section class="cards many" style=columns aria-label=format!("The {how_many} tools")>
                {cards}
            </section>
            <FactsTable tools=columns_of rows=facts/>
            <MultiScorecard rows=scorecard names=names/>
            {pairs}
            {share}
            <NewsletterForm/>
        </main>
    }
}

/// "Four" for "four".
fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "A, B or C".
fn or_list(names: &[String]) -> String {
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// One tool's panel top line and readers' score, for the strip under the title.
fn strip_column(tool: ToolCardData) -> impl IntoView {
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
    view! {
        <div class="strip-tool" data-testid="strip-tool" data-tool=tool.slug.clone()>
            <p class="strip-name"><a href=format!("#tool-{}", tool.slug)>{tool.name.clone()}</a></p>
            <p class="strip-line">
                <span class="strip-label">"Panel"</span>
                {verdict}
                <span class="strip-value" data-testid="strip-panel">{percent_text(tool.panel.ship_percent)}</span>
                <span class="strip-note">{reviewers}</span>
            </p>
            <p class="strip-line">
                <span class="strip-label">"Readers"</span>
                <span class="strip-value" data-testid="strip-readers">{percent_text(tool.community.ship_percent)}</span>
                <span class="strip-note">{votes}</span>
            </p>
        </div>
    }
}

/// Every pair of the tools, each linking to its own page: the editors'
/// comparison where one exists (under its title), else the pair side by side.
fn pairs_of(tools: &[ToolCardData], curated: &[RelatedComparison]) -> impl IntoView {
    let mut items = Vec::new();
    for (i, a) in tools.iter().enumerate() {
        for b in &tools[i + 1..] {
            let editors = curated.iter().find(|c| {
                (c.left.slug == a.slug && c.right.slug == b.slug)
                    || (c.left.slug == b.slug && c.right.slug == a.slug)
            });
            let pair = format!("{} vs {}", a.name, b.name);
            items.push(match editors {
                Some(c) => view! {
                    <li class="pair curated" data-testid="pair-curated">
                        <a href=format!("/compare/{}", c.slug)>{c.title.clone()}</a>
                        <span class="related-pair">"The editors\u{2019} comparison \u{b7} " {pair}</span>
                    </li>
                }
                .into_any(),
                None => view! {
                    <li class="pair" data-testid="pair-ad-hoc">
                        <a href=format!("/compare/{}-vs-{}", a.slug, b.slug)>{pair}</a>
                        <span class="related-pair">"Head to head"</span>
                    </li>
                }
                .into_any(),
            });
        }
    }
    view! {
        <section class="related pairs" aria-labelledby="pairs-title" data-testid="pairs">
            <h2 id="pairs-title">"Two at a time"</h2>
            <p class="section-note">
                "Each pair on its own page, where readers pick between the two; where our editors compared them, their verdict too."
            </p>
            <ul class="related-list">{items}</ul>
        </section>
    }
}

/// The panel's scorecard, one column per tool. On a narrow screen the
/// table scrolls sideways under a reviewer column that stays put.
#[component]
fn MultiScorecard(rows: Vec<ManyScorecardRow>, names: Vec<String>) -> impl IntoView {
    let empty = rows.is_empty().then(|| {
        view! { <p class="empty">"The panel has not reviewed these tools yet."</p> }
    });
    let head = names
        .iter()
        .map(|name| view! { <th scope="col">{name.clone()}</th> })
        .collect_view();
    let body = rows
        .into_iter()
        .map(|row| {
            let cells = row
                .reviews
                .into_iter()
                .zip(names.iter().cloned())
                .map(|(review, tool_name)| view! { <MultiCell review tool_name/> })
                .collect_view();
            view! {
                <tr>
                    <th scope="row" class="many-reviewer">
                        <a class="reviewer-name" href=format!("/reviewers/{}", row.reviewer.slug)>{row.reviewer.name.clone()}</a>
                        <span class="lens">{lens_label(&row.reviewer.lens)}</span>
                    </th>
                    {cells}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="scorecard" aria-labelledby="scorecard-title">
            <h2 id="scorecard-title">"The panel\u{2019}s scorecard"</h2>
            <p class="section-note">
                "Four reviewers, four fixed lenses: each gives every tool a SHIP or SKIP."
                <span class="swipe-hint">" Swipe the table sideways to see every tool."</span>
            </p>
            <div class="many-scroll" role="region" aria-label="Verdicts by reviewer, one column per tool" tabindex="0" data-testid="many-scorecard">
                <table class="many-table" style=format!("--columns: {}", names.len())>
                    <thead>
                        <tr>
                            <th scope="col" class="many-reviewer">"Reviewer"</th>
                            {head}
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                </table>
            </div>
            {empty}
        </section>
    }
}

#[component]
fn MultiCell(review: Option<ReviewText>, tool_name: String) -> impl IntoView {
    match review {
        Some(review) => view! {
            <td class="verdict-cell" data-tool-name=tool_name>
                <VerdictBadge verdict=review.verdict/>
                <p>{review.body}</p>
                <ReviewProvenance provenance=review.provenance/>
            </td>
        }
        .into_any(),
        None => view! {
            <td class="verdict-cell none" data-tool-name=tool_name>
                <p>"No review yet."</p>
            </td>
        }
        .into_any(),
    }
}

/// The 404 page of an address of three or four names typed by hand when one
/// names no tool: which, and the closest tools, each linking to the address
/// with that name replaced.
#[component]
pub fn DidYouMeanMany(names: Vec<TypedName>) -> impl IntoView {
    if let Some(backend) = use_context::<Backend>() {
        (backend.0.status_setter())(Code::NotFound.status());
    }
    // Each name as a link would put it: the tool found, else as typed.
    let slugs: Vec<String> = names
        .iter()
        .map(|n| {
            n.found
                .tool
                .as_ref()
                .map_or_else(|| n.typed.clone(), |t| t.slug.clone())
        })
        .collect();
    let items = names
        .into_iter()
        .enumerate()
        .map(|(i, TypedName { typed, found })| {
            let ToolMatch { tool, suggestions } = found;
            if let Some(PickerTool { slug, name, .. }) = tool {
                return view! {
                    <li class="typed-found">
                        {format!("\u{201c}{typed}\u{201d} is ")}
                        <a href=format!("/tools/{slug}")>{name}</a>
                        "."
                    </li>
                }
                .into_any();
            }
            let count = suggestions.len();
            let links = suggestions
                .into_iter()
                .enumerate()
                .map(|(k, tool)| {
                    let separator = match k {
                        0 => "",
                        _ if k + 1 == count => " or ",
                        _ => ", ",
                    };
                    let mut replaced = slugs.clone();
                    replaced[i] = tool.slug;
                    view! { {separator}<a href=path_of(&replaced)>{tool.name}</a> }
                })
                .collect_view();
            let hint = if count == 0 {
                view! { " Check the spelling, or " <a href="/tools">"browse every tool"</a> "." }
                    .into_any()
            } else {
                view! { " Did you mean " {links} "?" }.into_any()
            };
            view! {
                <li class="typed-missing" data-testid="typed-missing">
                    {format!("No tool is called \u{201c}{typed}\u{201d}.")}
                    {hint}
                </li>
            }
            .into_any()
        })
        .collect_view();
    view! {
        <Title text="Which tools did you mean? \u{b7} Verdicts"/>
        <Meta name="robots" content="noindex"/>
        <main class="page message-page">
            <p class="eyebrow">"404"</p>
            <h1>"Which tools did you mean?"</h1>
            <p>"We compare published tools, and not every name in this address is one:"</p>
            <ul class="typed-names" data-testid="typed-names">{items}</ul>
            <p>
                <a class="button" href="/compare">
                    "Pick the tools"
                </a>
            </p>
        </main>
    }
}

/// The 400 page of an address naming more tools than a page compares: the
/// first four side by side, or the picker.
#[component]
pub fn TooManyTools(names: Vec<String>) -> impl IntoView {
    if let Some(backend) = use_context::<Backend>() {
        (backend.0.status_setter())(Code::Validation.status());
    }
    let count = names.len();
    let first = path_of(&names[..MAX_TOOLS.min(count)]);
    view! {
        <Title text="Four tools at most \u{b7} Verdicts"/>
        <Meta name="robots" content="noindex"/>
        <main class="page message-page">
            <p class="eyebrow">"400"</p>
            <h1>"Four tools at a time"</h1>
            <p>
                {format!("This address names {count} tools; a comparison shows up to four side by side, so that every column stays readable.")}
            </p>
            <p class="actions">
                <a class="button" href=first data-testid="first-four">
                    "Compare the first four"
                </a>
                " "
                <a href="/compare">"Pick the tools"</a>
            </p>
        </main>
    }
}
