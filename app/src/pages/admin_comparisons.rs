//! `/admin/comparisons` (every comparison, drafts included, searched and
//! paged), `/admin/comparisons/new`, `/admin/comparisons/<slug>` (the form)
//! and `/admin/comparisons/<slug>/scorecard` (the scorecard editor).

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::admin::PublishButton;
use crate::components::editing::{
    Cell, DeleteButton, Derived, EntityForm, FieldSpec, ScorecardEditor, ScorecardLine,
};
use crate::components::lens_rank;
use crate::pages::admin::{
    admin_view, list_search, next_page, AdminHead, CreatedNotice, ListSearch,
};
use crate::pages::not_found::{NotFound, Unavailable};
use contract::operations::{
    AdminComparison, AdminComparisons, AdminNewComparison, AdminScorecard, Paged, ScorecardTool,
    ToolRef, Verdict,
};

/// The comparison list.
#[component]
pub fn AdminComparisonsPage() -> impl IntoView {
    let search = list_search();
    view! {
        <Title text="Comparisons \u{b7} Verdicts admin"/>
        {admin_view::<AdminComparisons>(move |data| {
            let Some(page) = data.all_comparisons else {
                return view! { <Unavailable/> }.into_any();
            };
            let next = page.next_cursor();
            let empty = page
                .edges
                .is_empty()
                .then(|| view! { <p class="empty">"No comparison matches."</p> });
            let rows = page
                .nodes()
                .map(|c| {
                    let published = c.published_at.is_some();
                    // The pair, unless the title already says it.
                    let pair = format!("{} vs {}", c.left.name, c.right.name);
                    let pair = (pair != c.title).then(|| format!(" \u{b7} {pair}"));
                    view! {
                        <li class="draft" data-comparison=c.slug.clone()>
                            <span>
                                <a href=format!("/admin/comparisons/{}", c.slug)><strong>{c.title}</strong></a>
                                {pair} " \u{b7} "
                                <em>{if published { "Published" } else { "Draft" }}</em>
                                " \u{b7} "
                                <a href=format!("/admin/comparisons/{}/scorecard", c.slug)>"Scorecard"</a>
                            </span>
                            <PublishButton kind="comparison".to_owned() slug=c.slug.clone() published/>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <main class="page admin">
                    <AdminHead title="Comparisons">
                        <a class="button" href="/admin/comparisons/new">"New comparison"</a>
                    </AdminHead>
                    <ListSearch action="/admin/comparisons" placeholder="Title or slug" value=search.clone()/>
                    {empty}
                    <ul class="draft-list">{rows}</ul>
                    {next_page("/admin/comparisons", &search, next)}
                </main>
            }
            .into_any()
        })}
    }
}

/// The fields of the comparison form: those of the API's `ComparisonInput`.
pub(crate) fn comparison_fields(tools: Option<Paged<ToolRef>>) -> Vec<FieldSpec> {
    let tools: Vec<(String, String)> = tools
        .map(|page| page.nodes().map(|t| (t.slug, t.name)).collect())
        .unwrap_or_default();
    let options: Vec<(String, String)> =
        std::iter::once((String::new(), "Choose a tool\u{2026}".to_owned()))
            .chain(tools)
            .collect();
    let pair = || ("left".to_owned(), "right".to_owned());
    vec![
        FieldSpec::text("title", "Title").derived(
            Derived::PairTitle(pair().0, pair().1),
            "\u{201c}Left vs Right\u{201d} from the two tools unless you change it.",
        ),
        FieldSpec::text("slug", "Slug").derived(
            Derived::PairSlug(pair().0, pair().1),
            "Its address, /compare/\u{2026}: made from the two tools unless you change it.",
        ),
        FieldSpec::choice("left", "Left tool", options.clone()),
        FieldSpec::choice("right", "Right tool", options),
        FieldSpec::text(
            "verdictLine",
            "Verdict line (one line, at most 160 characters)",
        )
        .optional(),
        FieldSpec::text("byline", "Byline (who wrote the verdict)").optional(),
        FieldSpec::long("summary", "Summary"),
    ]
}

/// The form for a new comparison (saved as a draft).
#[component]
pub fn AdminNewComparisonPage() -> impl IntoView {
    view! {
        <Title text="New comparison \u{b7} Verdicts admin"/>
        {admin_view::<AdminNewComparison>(|data| {
            // No pair until the editor chooses both tools.
            let values = BTreeMap::new();
            view! {
                <main class="page admin">
                    <AdminHead parent=("Comparisons", "/admin/comparisons".to_owned()) title="New comparison"/>
                    <EntityForm kind="comparison".to_owned() fields=comparison_fields(data.all_tools) values/>
                </main>
            }
            .into_any()
        })}
    }
}

/// The edit form of one comparison, with publish, scorecard and delete.
#[component]
pub fn AdminComparisonEditPage() -> impl IntoView {
    view! {
        <Title text="Edit comparison \u{b7} Verdicts admin"/>
        {admin_view::<AdminComparison>(|data| {
            let Some(c) = data.comparison else {
                return view! { <NotFound/> }.into_any();
            };
            let values = BTreeMap::from([
                ("slug".to_owned(), c.slug.clone()),
                ("title".to_owned(), c.title.clone()),
                ("summary".to_owned(), c.summary.unwrap_or_default()),
                ("left".to_owned(), c.left.slug),
                ("right".to_owned(), c.right.slug),
                ("verdictLine".to_owned(), c.verdict_line.unwrap_or_default()),
                ("byline".to_owned(), c.byline.unwrap_or_default()),
            ]);
            let published = c.published_at.is_some();
            let preview = format!("/compare/{}", c.slug);
            let scorecard = format!("/admin/comparisons/{}/scorecard", c.slug);
            let publish_slug = c.slug.clone();
            view! {
                <main class="page admin">
                    <AdminHead parent=("Comparisons", "/admin/comparisons".to_owned()) title=c.title.clone()>
                        <div class="head-actions">
                            <a href=preview>"Preview"</a>
                            <a class="button" href=scorecard>"Edit the scorecard"</a>
                            <PublishButton kind="comparison".to_owned() slug=publish_slug published/>
                        </div>
                    </AdminHead>
                    <CreatedNotice what="comparison"/>
                    <EntityForm kind="comparison".to_owned() original_slug=c.slug.clone() fields=comparison_fields(data.all_tools) values/>
                    <section class="danger-zone" aria-label="Delete">
                        <DeleteButton kind="comparison".to_owned() slug=c.slug name=c.title/>
                    </section>
                </main>
            }
            .into_any()
        })}
    }
}

/// A reviewer's saved review of one side, as a cell of the editor.
fn cell_of(tool: &ScorecardTool, reviewer: &str) -> Cell {
    tool.reviews
        .iter()
        .find(|r| r.reviewer.slug == reviewer)
        .map(|r| Cell {
            verdict: match r.verdict {
                Verdict::Ship => "SHIP",
                Verdict::Skip => "SKIP",
            }
            .to_owned(),
            body: r.body.clone(),
            draft: r.published_at.is_none(),
            saved: true,
            judged_version: r.judged_version.clone().unwrap_or_default(),
            reviewed_on: r.reviewed_on.clone(),
            saved_reviewed_on: r.reviewed_on.clone(),
        })
        .unwrap_or_default()
}

/// Every reviewer's verdict and text for both tools on one screen.
#[component]
pub fn AdminScorecardPage() -> impl IntoView {
    view! {
        <Title text="Scorecard \u{b7} Verdicts admin"/>
        {admin_view::<AdminScorecard>(|data| {
            let Some(c) = data.comparison else {
                return view! { <NotFound/> }.into_any();
            };
            let mut lines: Vec<ScorecardLine> = data
                .reviewers
                .nodes()
                .map(|r| ScorecardLine {
                    left: cell_of(&c.left, &r.slug),
                    right: cell_of(&c.right, &r.slug),
                    reviewer: r.slug,
                    name: r.name,
                    lens: r.lens,
                })
                .collect();
            // As readers see the scorecard: lens by lens.
            lines.sort_by(|a, b| {
                (lens_rank(&a.lens), &a.name).cmp(&(lens_rank(&b.lens), &b.name))
            });
            let published = c.published_at.is_some();
            let edit = format!("/admin/comparisons/{}", c.slug);
            let preview = format!("/compare/{}", c.slug);
            let empty = lines.is_empty().then(|| {
                view! {
                    <p class="empty">
                        "The panel is empty: " <a href="/admin/reviewers/new">"add a reviewer"</a> " first."
                    </p>
                }
            });
            view! {
                <main class="page admin">
                    <AdminHead
                        parent=("Comparisons", "/admin/comparisons".to_owned())
                        item=(c.title.clone(), edit)
                        title=format!("Scorecard: {}", c.title)
                    >
                        <div class="head-actions">
                            <a href=preview>"Preview"</a>
                            <PublishButton kind="comparison".to_owned() slug=c.slug.clone() published/>
                        </div>
                    </AdminHead>
                    <p class="section-note">
                        "Each reviewer's verdict on " <strong>{c.left.name.clone()}</strong> " and "
                        <strong>{c.right.name.clone()}</strong>
                        ". Reviews belong to the tool: they show on every comparison of it. "
                        "Choose \u{201c}No review\u{201d} to remove one."
                    </p>
                    {empty}
                    <ScorecardEditor left=(c.left.slug, c.left.name) right=(c.right.slug, c.right.name) lines/>
                </main>
            }
            .into_any()
        })}
    }
}
