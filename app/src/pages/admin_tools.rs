//! `/admin/tools` (every tool, drafts included, searched and paged),
//! `/admin/tools/new` and `/admin/tools/<slug>` (the form).

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::admin::PublishButton;
use crate::components::editing::{DeleteButton, Derived, EntityForm, FieldSpec};
use crate::components::fact_editor::FactEditor;
use crate::components::releases::ReleaseEditor;
use crate::pages::admin::{
    admin_view, list_search, next_page, AdminHead, CreatedNotice, ListSearch,
};
use crate::pages::not_found::{NotFound, Unavailable};
use contract::operations::{AdminNewTool, AdminTool, AdminTools, CategoryRef};

/// The tool list.
#[component]
pub fn AdminToolsPage() -> impl IntoView {
    let search = list_search();
    view! {
        <Title text="Tools \u{b7} Verdicts admin"/>
        {admin_view::<AdminTools>(move |data| {
            let Some(page) = data.all_tools else {
                return view! { <Unavailable/> }.into_any();
            };
            let next = page.next_cursor();
            let empty = page
                .edges
                .is_empty()
                .then(|| view! { <p class="empty">"No tool matches."</p> });
            let rows = page
                .nodes()
                .map(|t| {
                    let published = t.published_at.is_some();
                    view! {
                        <li class="draft" data-tool=t.slug.clone()>
                            <span>
                                <a href=format!("/admin/tools/{}", t.slug)><strong>{t.name}</strong></a>
                                " \u{b7} " {t.vendor} " \u{b7} " {t.category.name} " \u{b7} "
                                <em>{if published { "Published" } else { "Draft" }}</em>
                            </span>
                            <PublishButton kind="tool".to_owned() slug=t.slug.clone() published/>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <main class="page admin">
                    <AdminHead title="Tools">
                        <a class="button" href="/admin/tools/new">"New tool"</a>
                    </AdminHead>
                    <ListSearch action="/admin/tools" placeholder="Name, vendor or slug" value=search.clone()/>
                    {empty}
                    <ul class="draft-list">{rows}</ul>
                    {next_page("/admin/tools", &search, next)}
                </main>
            }
            .into_any()
        })}
    }
}

/// The fields of the tool form: those of the API's `ToolInput`.
pub(crate) fn tool_fields(categories: Vec<CategoryRef>) -> Vec<FieldSpec> {
    let pricing = [
        ("FREE", "Free"),
        ("FREEMIUM", "Freemium"),
        ("PAID", "Paid"),
        ("CONTACT", "Contact sales"),
    ]
    .into_iter()
    .map(|(v, l)| (v.to_owned(), l.to_owned()))
    .collect();
    vec![
        FieldSpec::text("name", "Name"),
        FieldSpec::text("slug", "Slug").derived(
            Derived::SlugOf("name".into()),
            "Its address, /tools/\u{2026}: made from the name unless you change it.",
        ),
        FieldSpec::text("vendor", "Vendor"),
        FieldSpec::choice(
            "category",
            "Category",
            std::iter::once((String::new(), "Choose a category\u{2026}".to_owned()))
                .chain(categories.into_iter().map(|c| (c.slug, c.name)))
                .collect(),
        ),
        FieldSpec::text("tagline", "Tagline"),
        FieldSpec::long("description", "Description"),
        FieldSpec::text("license", "License"),
        FieldSpec::choice("pricingModel", "Pricing model", pricing),
        FieldSpec::text("pricingEntry", "Entry price"),
        FieldSpec::text("websiteUrl", "Website").optional(),
    ]
}

/// The form for a new tool (saved as a draft).
#[component]
pub fn AdminNewToolPage() -> impl IntoView {
    view! {
        <Title text="New tool \u{b7} Verdicts admin"/>
        {admin_view::<AdminNewTool>(|data| {
            // No category until the editor chooses one.
            let values = BTreeMap::from([("pricingModel".to_owned(), "FREE".to_owned())]);
            let fields = tool_fields(data.all_categories.nodes);
            view! {
                <main class="page admin">
                    <AdminHead parent=("Tools", "/admin/tools".to_owned()) title="New tool"/>
                    <EntityForm kind="tool".to_owned() fields values/>
                </main>
            }
            .into_any()
        })}
    }
}

/// The edit form of one tool, with publish and delete.
#[component]
pub fn AdminToolEditPage() -> impl IntoView {
    view! {
        <Title text="Edit tool \u{b7} Verdicts admin"/>
        {admin_view::<AdminTool>(|data| {
            let Some(t) = data.tool else {
                return view! { <NotFound/> }.into_any();
            };
            let values: BTreeMap<String, String> = [
                ("slug", t.slug.clone()),
                ("name", t.name.clone()),
                ("vendor", t.vendor),
                ("category", t.category.slug),
                ("tagline", t.tagline),
                ("description", t.description),
                ("license", t.license),
                ("pricingModel", t.pricing.model),
                ("pricingEntry", t.pricing.entry),
                ("websiteUrl", t.website_url.unwrap_or_default()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
            let fields = tool_fields(data.all_categories.nodes);
            let published = t.published_at.is_some();
            let publish_slug = t.slug.clone();
            let comparisons = t.compared_in.map(|c| c.nodes).unwrap_or_default();
            let scorecards = if comparisons.is_empty() {
                view! {
                    <p class="section-note">
                        "Its reviews are edited on a comparison\u{2019}s scorecard: "
                        <a href="/admin/comparisons/new">"compare it with another tool"</a> " first."
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <p class="section-note">"Its reviews are edited on the scorecard of any comparison it is in:"</p>
                    <ul class="link-list">
                        {comparisons
                            .into_iter()
                            .map(|c| view! {
                                <li><a href=format!("/admin/comparisons/{}/scorecard", c.slug)>{format!("Scorecard: {}", c.title)}</a></li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            };
            let reader_link = published.then(|| {
                view! { <a href=format!("/tools/{}", t.slug)>"See it as a reader"</a> }
            });
            view! {
                <main class="page admin">
                    <AdminHead parent=("Tools", "/admin/tools".to_owned()) title=t.name.clone()>
                        <div class="head-actions">
                            {reader_link}
                            <PublishButton kind="tool".to_owned() slug=publish_slug published/>
                        </div>
                    </AdminHead>
                    <CreatedNotice what="tool"/>
                    <EntityForm kind="tool".to_owned() original_slug=t.slug.clone() fields values/>
                    <section id="facts" class="admin-section" aria-labelledby="facts-title">
                        <h2 id="facts-title">"Facts"</h2>
                        <p class="section-note">
                            "Typed facts readers see on the tool\u{2019}s page and side by side on its comparisons. Its category suggests labels so that comparable tools carry comparable facts; a number may have a unit (\u{201c}tokens\u{201d}, \u{201c}B\u{201d})."
                        </p>
                        <FactEditor tool=t.slug.clone() facts=t.facts suggestions=t.category.suggested_facts.clone()/>
                    </section>
                    <section id="releases" class="admin-section" aria-labelledby="releases-title">
                        <h2 id="releases-title">"Releases"</h2>
                        <p class="section-note">
                            "Record the tool\u{2019}s releases: a review written before the latest one is marked \u{201c}re-review due\u{201d} for readers (its verdict still counts) and joins the re-review queue on the dashboard."
                        </p>
                        <ReleaseEditor tool=t.slug.clone() releases=t.releases/>
                    </section>
                    <section id="scorecards" class="admin-section" aria-labelledby="scorecards-title">
                        <h2 id="scorecards-title">"Reviews"</h2>
                        {scorecards}
                    </section>
                    <section class="danger-zone" aria-label="Delete">
                        <DeleteButton kind="tool".to_owned() slug=t.slug name=t.name/>
                    </section>
                </main>
            }
            .into_any()
        })}
    }
}
