//! `/compare`: pick any two tools and see them side by side.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::picker::ComparePicker;
use crate::seo::Seo;

/// The compare-any-two page.
#[component]
pub fn ComparePickerPage() -> impl IntoView {
    let query = use_query_map();
    let problem = move || match query.read().get("problem").as_deref() {
        Some("same") => Some("Choose two different tools."),
        Some("missing") => Some("Choose a tool in each box."),
        _ => None,
    };
    view! {
        <Seo
            path="/compare"
            title="Compare any two AI tools"
            description="Pick any two AI tools and see the Verdicts panel's SHIP or SKIP verdicts and the readers' votes side by side."
        />
        <main class="page picker-page">
            <header class="hero">
                <p class="eyebrow">"Head to head"</p>
                <h1>"Compare any two tools"</h1>
                <p class="summary">
                    "Type two names. You get the panel\u{2019}s pick, its verdicts lens by lens and the readers\u{2019} scores; on the pairs our editors compare, you can also pick the one you would ship."
                </p>
            </header>
            {move || problem().map(|p| view! { <p class="notice notice-error" role="alert">{p}</p> })}
            <ComparePicker/>
            <p class="section-note">
                "Not sure where to start? " <a href="/tools">"Browse every tool"</a> " or " <a href="/">"read the editors\u{2019} comparisons"</a> "."
            </p>
        </main>
    }
}
