//! `/categories/<slug>`: every published tool of one category, best panel
//! score first.

use contract::operations::{self as op, CategoryPageData as Data, SlugVars};
use leptos::prelude::*;

use crate::components::ledger::plural;
use crate::components::tool_list::ToolList;
use crate::graphql::Backend;
use crate::pages::loaded::{loaded, Answer};
use crate::pages::not_found::{failure, NotFound};
use crate::seo::Seo;

/// The category page.
#[component]
pub fn CategoryPage() -> impl IntoView {
    let set_status = expect_context::<Backend>().0.status_setter();
    match loaded::<Answer<op::CategoryPage>>() {
        Some(Ok(Data {
            category: Some(category),
            tools,
        })) => {
            let path = format!("/categories/{}", category.slug);
            let count = tools.total_count;
            let description = format!(
                "{} with the Verdicts panel's SHIP or SKIP score and the readers' votes, best first.",
                plural(count, &format!("{} tool", category.name)),
            );
            let compare_hint = (tools.nodes.len() >= 2).then(|| {
                let a = tools.nodes[0].slug.clone();
                let b = tools.nodes[1].slug.clone();
                view! {
                    <p class="section-note">
                        "The two best scored, side by side: "
                        <a href=format!("/compare/{a}-vs-{b}")>"compare them"</a>
                        "."
                    </p>
                }
            });
            let structured = crate::seo::document(serde_json::json!({
                "@type": "ItemList",
                "name": category.name,
                "itemListOrder": "https://schema.org/ItemListOrderDescending",
                "numberOfItems": tools.nodes.len(),
                "itemListElement": tools.nodes.iter().enumerate().map(|(i, t)| serde_json::json!({
                    "@type": "ListItem",
                    "position": i + 1,
                    "name": t.name,
                    "url": crate::seo::absolute(&format!("/tools/{}", t.slug)),
                })).collect::<Vec<_>>(),
            }));
            let list = if tools.nodes.is_empty() {
                view! { <p class="empty">"No published tool in this category yet."</p> }.into_any()
            } else {
                view! { <ToolList tools=tools.nodes/> }.into_any()
            };
            view! {
                <crate::seo::ItemFeed path=path.clone() title=format!("{} on Verdicts", category.name)/>
                <Seo path title=format!("{}: AI tools ranked", category.name) description structured/>
                <main class="page category">
                    <nav class="crumbs" aria-label="Breadcrumb">
                        <a href="/tools">"All tools"</a>
                        " / "
                        <span>{category.name.clone()}</span>
                    </nav>
                    <header class="hero">
                        <p class="eyebrow">"Category"</p>
                        <h1>{category.name}</h1>
                        <p class="summary">{format!("{}, best panel score first.", plural(count, "tool"))}</p>
                    </header>
                    {compare_hint}
                    {list}
                </main>
            }
            .into_any()
        }
        Some(Ok(Data { category: None, .. })) | None => view! { <NotFound/> }.into_any(),
        Some(Err(error)) => failure(&error, &set_status),
    }
}

/// The category named `slug` and its tools.
pub(crate) async fn load(backend: &Backend, slug: String) -> Answer<op::CategoryPage> {
    backend.run::<op::CategoryPage>(&SlugVars { slug }).await
}
