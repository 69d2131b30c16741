//! `/compare`: pick two to four tools and see them side by side.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::picker::{ComparePicker, MAX_BOXES};
use crate::seo::Seo;

/// The picker's boxes, by their form names, in order.
const BOX_NAMES: [&str; MAX_BOXES] = ["left", "right", "third", "fourth"];

/// The compare page: the picker.
#[component]
pub fn ComparePickerPage() -> impl IntoView {
    let query = use_query_map();
    let problem = move || match query.read().get("problem").as_deref() {
        Some("same") => Some("Choose two different tools."),
        Some("missing") => Some("Choose a tool in each box."),
        _ => None,
    };
    // "Add a tool" without JavaScript comes back here with the names typed
    // so far and `add`: the same names, and a box more.
    let (typed, boxes) = query.with_untracked(|query| {
        let typed: Vec<String> = BOX_NAMES
            .iter()
            .map(|name| query.get(name).unwrap_or_default())
            .collect();
        let filled = typed[2..].iter().filter(|t| !t.trim().is_empty()).count();
        let add = usize::from(query.get("add").is_some());
        (typed, (2 + filled + add).min(MAX_BOXES))
    });
    view! {
        <Seo
            path="/compare"
            title="Compare AI tools side by side"
            description="Pick two to four AI tools and see the Verdicts panel's SHIP or SKIP verdicts and the readers' votes side by side."
        />
        <main class="page picker-page">
            <header class="hero">
                <p class="eyebrow">"Head to head"</p>
                <h1>"Compare any two tools, or up to four"</h1>
                <p class="summary">
                    "Type two names, or add a third and a fourth. You get the panel\u{2019}s pick, its verdicts lens by lens and the readers\u{2019} scores; with two, you can also pick the one you would ship."
                </p>
            </header>
            {move || problem().map(|p| view! { <p class="notice notice-error" role="alert">{p}</p> })}
            <ComparePicker typed=typed boxes=boxes/>
            <p class="section-note">
                "Not sure where to start? " <a href="/tools">"Browse every tool"</a> " or " <a href="/">"read the editors\u{2019} comparisons"</a> "."
            </p>
        </main>
    }
}
