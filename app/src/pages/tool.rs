//! `/tools/<slug>`: one tool, its scores, every published review, and the
//! comparisons it appears in.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use leptos_router::hooks::use_params_map;
use serde_json::json;

use crate::components::{score::VerdictBadge, tool_card::ToolCard};
use crate::graphql::Backend;
use crate::operations::{lens_label, ToolPage as ToolPageData, ToolPageData as Answer, TOOL_PAGE};
use crate::pages::not_found::{NotFound, Unavailable};

/// The tool page.
#[component]
pub fn ToolPage() -> impl IntoView {
    let backend = expect_context::<Backend>();
    let set_status = backend.0.status_setter();
    let params = use_params_map();
    let tool = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        move |slug| {
            let answer = backend.run::<Answer>(TOOL_PAGE, json!({ "slug": slug }));
            async move { answer.await.map(|a| a.tool) }
        },
    );
    view! {
        <Suspense fallback=|| view! { <main class="page loading">"Loading the tool…"</main> }>
            {move || {
                let set_status = set_status.clone();
                Suspend::new(async move {
                    match tool.await {
                        Ok(Some(tool)) => view! { <ToolView tool/> }.into_any(),
                        Ok(None) => view! { <NotFound/> }.into_any(),
                        Err(_) => {
                            set_status(500);
                            view! { <Unavailable/> }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ToolView(tool: ToolPageData) -> impl IntoView {
    let ToolPageData {
        card,
        reviews,
        comparisons,
    } = tool;
    let comparisons = comparisons.nodes;
    let path = format!("/tools/{}", card.slug);
    let preview = crate::pages::compare::draft_notice(if card.published_at.is_none() {
        &["this tool"]
    } else {
        &[]
    });
    let title = format!("{} \u{b7} Verdicts", card.name);
    let description = format!("{} by {}: {}", card.name, card.vendor, card.tagline);
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
                                    <span class="reviewer-name">{r.reviewer.name}</span>
                                    <span class="lens">{lens_label(&r.reviewer.lens)}</span>
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
        <Title text=title/>
        <Meta name="description" content=description/>
        <Link rel="canonical" href=path.clone()/>
        <main class="page tool">
            {preview}
            <nav class="crumbs" aria-label="Breadcrumb">
                <a href="/">"Comparisons"</a>
                " / "
                <span>{card.category.name.clone()}</span>
            </nav>
            <div class="tool-solo">
                <ToolCard tool=card return_to=path link_name=false/>
            </div>
            <section aria-labelledby="reviews-title">
                <h2 id="reviews-title">"The panel\u{2019}s reviews"</h2>
                {reviews_view}
            </section>
            {comparisons_view}
        </main>
    }
}
