//! `/admin/tools` (every tool, drafts included, searched and paged) and
//! `/admin/tools/<slug>` (the edit form).

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};
use serde_json::json;

use crate::components::admin::{PublishButton, ToolForm};
use crate::graphql::Backend;
use crate::operations::{AdminTool, AdminTools, ToolFields, ADMIN_TOOL, ADMIN_TOOLS};
use crate::pages::admin::to_sign_in;
use crate::pages::not_found::{NotFound, Unavailable};

/// The tool list.
#[component]
pub fn AdminToolsPage() -> impl IntoView {
    let backend = expect_context::<Backend>();
    let set_status = backend.0.status_setter();
    let redirect = backend.clone();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let after = move || query.read().get("after");
    let tools = Resource::new(
        move || (search(), after()),
        move |(search, after)| {
            let search = (!search.is_empty()).then_some(search);
            backend.run::<AdminTools>(ADMIN_TOOLS, json!({ "search": search, "after": after }))
        },
    );
    view! {
        <Title text="Tools \u{b7} Verdicts admin"/>
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| view! { <main class="page loading">"Loading…"</main> }>
            {move || {
                let set_status = set_status.clone();
                let redirect = redirect.clone();
                Suspend::new(async move {
                    match tools.await {
                        Ok(AdminTools { me: Some(_), all_tools: Some(page) }) => {
                            view! { <ToolList page search=search()/> }.into_any()
                        }
                        Ok(_) => to_sign_in(&redirect),
                        Err(error) if error.code == "UNAUTHENTICATED" => to_sign_in(&redirect),
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
fn ToolList(page: crate::operations::AdminToolPage, search: String) -> impl IntoView {
    let next = page
        .page_info
        .end_cursor
        .filter(|_| page.page_info.has_next_page)
        .map(|cursor| {
            let q = search.clone();
            view! {
                <a class="button" href=format!("/admin/tools?q={}&after={cursor}", encode(&q))>
                    "Next page"
                </a>
            }
        });
    let empty = page
        .edges
        .is_empty()
        .then(|| view! { <p class="empty">"No tool matches."</p> });
    let rows = page
        .edges
        .into_iter()
        .map(|edge| {
            let t = edge.node;
            let status = if t.published_at.is_some() {
                "Published"
            } else {
                "Draft"
            };
            let publish = t.published_at.is_none().then(|| {
                view! { <PublishButton kind="tool".to_owned() slug=t.slug.clone()/> }
            });
            view! {
                <li class="draft" data-tool=t.slug.clone()>
                    <span>
                        <a href=format!("/admin/tools/{}", t.slug)><strong>{t.name}</strong></a>
                        " \u{b7} " {t.vendor} " \u{b7} " {t.category.name}
                        " \u{b7} " <em>{status}</em>
                    </span>
                    {publish}
                </li>
            }
        })
        .collect_view();
    view! {
        <main class="page admin">
            <header class="admin-head">
                <div>
                    <p class="eyebrow"><a href="/admin">"Admin"</a></p>
                    <h1>"Tools"</h1>
                </div>
            </header>
            <form class="search" method="get" action="/admin/tools" role="search">
                <label for="q" class="visually-hidden">"Search tools"</label>
                <input id="q" name="q" type="search" placeholder="Name, vendor or slug" value=search/>
                <button class="button" type="submit">"Search"</button>
            </form>
            {empty}
            <ul class="draft-list">{rows}</ul>
            <p>{next}</p>
        </main>
    }
}

/// Percent-encodes a query value.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The edit form of one tool.
#[component]
pub fn AdminToolEditPage() -> impl IntoView {
    let backend = expect_context::<Backend>();
    let set_status = backend.0.status_setter();
    let redirect = backend.clone();
    let params = use_params_map();
    let tool = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        move |slug| backend.run::<AdminTool>(ADMIN_TOOL, json!({ "slug": slug })),
    );
    view! {
        <Title text="Edit tool \u{b7} Verdicts admin"/>
        <Meta name="robots" content="noindex"/>
        <Suspense fallback=|| view! { <main class="page loading">"Loading…"</main> }>
            {move || {
                let set_status = set_status.clone();
                let redirect = redirect.clone();
                Suspend::new(async move {
                    match tool.await {
                        Ok(AdminTool { me: None, .. }) => to_sign_in(&redirect),
                        Ok(AdminTool { tool: None, .. }) => view! { <NotFound/> }.into_any(),
                        Ok(AdminTool { tool: Some(t), categories, .. }) => {
                            let original_slug = t.slug.clone();
                            let title = t.name.clone();
                            let fields = ToolFields {
                                slug: t.slug,
                                name: t.name,
                                vendor: t.vendor,
                                category: t.category.slug,
                                tagline: t.tagline,
                                description: t.description,
                                license: t.license,
                                pricing_model: t.pricing.model,
                                pricing_entry: t.pricing.entry,
                                website_url: t.website_url,
                            };
                            let categories = categories.into_iter().map(|c| (c.slug, c.name)).collect();
                            view! {
                                <main class="page admin">
                                    <header class="admin-head">
                                        <div>
                                            <p class="eyebrow"><a href="/admin/tools">"Tools"</a></p>
                                            <h1>{title}</h1>
                                        </div>
                                    </header>
                                    <ToolForm original_slug fields categories/>
                                </main>
                            }
                            .into_any()
                        }
                        Err(error) if error.code == "UNAUTHENTICATED" => to_sign_in(&redirect),
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
