//! `/integrity`: the site-wide integrity ledger. The counting rule in words,
//! the windows that held votes (newest first, a page at a time) and the
//! decisions taken, with an Atom feed of both at `/integrity.atom`.

use contract::operations::{BeforeVars, IntegrityLedger, IntegrityPage as Ledger};
use leptos::prelude::*;
use leptos_meta::Link;
use leptos_router::params::ParamsMap;

use crate::components::ledger::{DecisionItem, WindowItem};
use crate::graphql::Backend;
use crate::pages::loaded::{loaded, Answer};
use crate::pages::not_found::{failure, NotFound};
use crate::seo::Seo;

/// Windows on one page of the ledger (the operation asks for as many).
const PAGE: usize = 20;

/// The ledger's page that starts before the window `?before=` names.
pub(crate) async fn load(backend: &Backend, query: &ParamsMap) -> Answer<Ledger> {
    let before = query.get("before").filter(|b| !b.is_empty());
    backend.run::<Ledger>(&BeforeVars { before }).await
}

/// The integrity ledger page.
#[component]
pub fn IntegrityPage() -> impl IntoView {
    let set_status = expect_context::<Backend>().0.status_setter();
    let older_page = leptos_router::hooks::use_query_map()
        .read_untracked()
        .get("before")
        .is_some();
    match loaded::<Answer<Ledger>>() {
        Some(Ok(data)) => view! { <LedgerView ledger=data.integrity older_page/> }.into_any(),
        None => view! { <NotFound/> }.into_any(),
        Some(Err(error)) => failure(&error, &set_status),
    }
}

#[component]
fn LedgerView(ledger: IntegrityLedger, older_page: bool) -> impl IntoView {
    let IntegrityLedger {
        rule,
        windows,
        decisions,
    } = ledger;
    let next = (windows.len() >= PAGE)
        .then(|| windows.last().map(|w| w.id.clone()))
        .flatten()
        .map(|id| {
            view! {
                <p>
                    <a class="button" href=format!("/integrity?before={}", crate::pages::admin::encode(&id))>
                        "Older windows"
                    </a>
                </p>
            }
        });
    let windows_view = if windows.is_empty() {
        let text = if older_page {
            "No older window held votes."
        } else {
            "No counting rule has set any vote aside yet: every reader\u{2019}s vote counts."
        };
        view! { <p class="empty">{text}</p> }.into_any()
    } else {
        view! {
            <ul class="window-list">
                {windows
                    .into_iter()
                    .map(|window| view! { <WindowItem window tool_link=true/> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let decisions_view = if decisions.is_empty() {
        view! { <p class="empty">"No decision has been taken yet."</p> }.into_any()
    } else {
        view! {
            <ul class="decision-list standalone">
                {decisions
                    .into_iter()
                    .map(|decision| view! { <DecisionItem decision/> })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let expiry = if rule.held_votes_expire_days > 0 {
        "When the expiry rule rejects held votes, the ledger lists it like an editor\u{2019}s decision."
    } else {
        "Held votes wait for an editor however long it takes."
    };
    view! {
        <Seo
            path="/integrity"
            title="The integrity ledger"
            description="How Verdicts counts readers\u{2019} votes: the rule, every burst of votes it set aside, and what editors decided, with their reasons."
        />
        <Link rel="alternate" type_="application/atom+xml" title="Verdicts: the integrity ledger" href="/integrity.atom"/>
        <main class="page integrity-page">
            <header class="hero">
                <p class="eyebrow">"Readers\u{2019} votes"</p>
                <h1>"The integrity ledger"</h1>
                <p class="summary">
                    "Every vote is stored, but not every vote counts at once. The counting rule: "
                    {rule.rule}
                    ". "
                    {expiry}
                </p>
                <p class="section-note">
                    "Editors\u{2019} reasons are published as they wrote them. Follow the ledger in a feed reader: "
                    <a href="/integrity.atom">"Atom feed"</a>
                    "."
                </p>
            </header>
            <section aria-labelledby="windows-title">
                <h2 id="windows-title">"Votes set aside"</h2>
                <p class="section-note">"Windows in which one network brought a tool more new voters than the rule counts, newest first."</p>
                {windows_view}
                {next}
            </section>
            <section aria-labelledby="decisions-title">
                <h2 id="decisions-title">"Decisions"</h2>
                <p class="section-note">"Held votes released or rejected, and partner apps\u{2019} votes switched off or on, newest first."</p>
                {decisions_view}
            </section>
        </main>
    }
}
