//! `/admin/reviewers` (the panel, searched and paged), `/admin/reviewers/new`
//! and `/admin/reviewers/<slug>` (the form).

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::editing::{DeleteButton, Derived, EntityForm, FieldSpec};
use crate::components::lens_label;
use crate::pages::admin::{
    admin_view, list_search, next_page, AdminHead, CreatedNotice, ListSearch,
};
use crate::pages::not_found::NotFound;
use contract::operations::{AdminReviewer, AdminReviewers, Me};

const LENSES: [&str; 4] = [
    "DEVELOPER_EXPERIENCE",
    "COMPETITIVE_RISK",
    "STRATEGIC_THESIS",
    "BUSINESS_CASE",
];

/// The panel list.
#[component]
pub fn AdminReviewersPage() -> impl IntoView {
    let search = list_search();
    view! {
        <Title text="Reviewers \u{b7} Verdicts admin"/>
        {admin_view::<AdminReviewers>(move |data| {
            let page = data.reviewers;
            let next = page.next_cursor();
            let empty = page
                .edges
                .is_empty()
                .then(|| view! { <p class="empty">"No reviewer matches."</p> });
            let rows = page
                .nodes()
                .map(|r| {
                    view! {
                        <li class="draft" data-reviewer=r.slug.clone()>
                            <span>
                                <a href=format!("/admin/reviewers/{}", r.slug)><strong>{r.name}</strong></a>
                                " \u{b7} " {lens_label(&r.lens)}
                            </span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <main class="page admin">
                    <AdminHead title="Reviewers">
                        <a class="button" href="/admin/reviewers/new">"New reviewer"</a>
                    </AdminHead>
                    <ListSearch action="/admin/reviewers" placeholder="Name or slug" value=search.clone()/>
                    {empty}
                    <ul class="draft-list">{rows}</ul>
                    {next_page("/admin/reviewers", &search, next)}
                </main>
            }
            .into_any()
        })}
    }
}

/// The fields of the reviewer form: those of the API's `ReviewerInput`.
pub(crate) fn reviewer_fields() -> Vec<FieldSpec> {
    // Unchosen until the editor picks one: no lens is assumed.
    let lenses = std::iter::once((String::new(), "Choose a lens\u{2026}".to_owned()))
        .chain(
            LENSES
                .into_iter()
                .map(|l| (l.to_owned(), lens_label(l).to_owned())),
        )
        .collect();
    vec![
        FieldSpec::text("name", "Name"),
        FieldSpec::text("slug", "Slug").derived(
            Derived::SlugOf("name".into()),
            "Their address, /reviewers/\u{2026}: made from the name unless you change it.",
        ),
        // Sent as null while unchosen: the API refuses it on the field.
        FieldSpec::choice("lens", "Lens", lenses).optional(),
        FieldSpec::long("bio", "Bio"),
    ]
}

/// The form for a new reviewer.
#[component]
pub fn AdminNewReviewerPage() -> impl IntoView {
    view! {
        <Title text="New reviewer \u{b7} Verdicts admin"/>
        {admin_view::<Me>(|_| {
            let values = BTreeMap::new();
            view! {
                <main class="page admin">
                    <AdminHead parent=("Reviewers", "/admin/reviewers".to_owned()) title="New reviewer"/>
                    <EntityForm kind="reviewer".to_owned() fields=reviewer_fields() values/>
                </main>
            }
            .into_any()
        })}
    }
}

/// The edit form of one reviewer, with delete.
#[component]
pub fn AdminReviewerEditPage() -> impl IntoView {
    view! {
        <Title text="Edit reviewer \u{b7} Verdicts admin"/>
        {admin_view::<AdminReviewer>(|data| {
            let Some(r) = data.reviewer else {
                return view! { <NotFound/> }.into_any();
            };
            let values = BTreeMap::from([
                ("slug".to_owned(), r.slug.clone()),
                ("name".to_owned(), r.name.clone()),
                ("lens".to_owned(), r.lens),
                ("bio".to_owned(), r.bio),
            ]);
            view! {
                <main class="page admin">
                    <AdminHead parent=("Reviewers", "/admin/reviewers".to_owned()) title=r.name.clone()/>
                    <CreatedNotice what="reviewer"/>
                    <EntityForm kind="reviewer".to_owned() original_slug=r.slug.clone() fields=reviewer_fields() values/>
                    <section class="danger-zone" aria-label="Delete">
                        <DeleteButton kind="reviewer".to_owned() slug=r.slug name=r.name/>
                    </section>
                </main>
            }
            .into_any()
        })}
    }
}
