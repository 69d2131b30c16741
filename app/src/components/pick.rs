//! The readers' head-to-head: pick the one you would ship. A hydrated island
//! that picks through GraphQL in place, and a plain form POST without JavaScript.

use leptos::prelude::*;

use contract::operations::{HeadToHead, LiveHeadToHead, SlugVars};

/// One side of the pick: its slug and name.
pub type Side = (String, String);

/// The head-to-head numbers and the two pick buttons of a pair of tools:
/// one choice between the two, worded apart from the per-tool votes. Picks
/// belong to the pair, so a curated comparison and its pair's ad hoc page
/// count the same picks.
#[island]
pub fn PickBox(
    /// The curated comparison's slug (its numbers update live); none on
    /// an ad hoc pair's page.
    comparison: Option<String>,
    left: Side,
    right: Side,
    head_to_head: HeadToHead,
    viewer_pick: Option<String>,
    return_to: String,
) -> impl IntoView {
    let numbers = RwSignal::new(head_to_head);
    let mine = RwSignal::new(viewer_pick);
    let status = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    let live_comparison = comparison.clone();
    Effect::new(move |_| {
        hydrated.set(true);
        if let Some(slug) = live_comparison.clone() {
            let variables = SlugVars { slug };
            crate::live::subscribe::<LiveHeadToHead>(&variables, move |live| {
                numbers.set(live.comparison_scores.head_to_head);
            });
        }
    });

    let (left_slug, left_name) = left;
    let (right_slug, right_name) = right;
    let names = (left_name.clone(), right_name.clone());
    let summary = move || {
        let h = numbers.get();
        match h.left_percent {
            Some(p) => format!(
                "Readers\u{2019} picks: {} {p}% \u{b7} {} {}% \u{b7} {} picks",
                names.0,
                names.1,
                100 - p,
                h.total
            ),
            None => {
                let so_far = match h.total {
                    0 => "Readers\u{2019} picks: none yet".to_owned(),
                    1 => "Readers\u{2019} picks: 1 so far".to_owned(),
                    n => format!("Readers\u{2019} picks: {n} so far"),
                };
                format!(
                    "{so_far} \u{b7} {} more needed to show the split",
                    h.missing_picks
                )
            }
        }
    };
    let left_width = move || format!("{}%", numbers.with(|h| h.left_percent.unwrap_or(50)));
    let shown = move || numbers.with(|h| h.left_percent.is_some());
    // What the form posts besides the tool: the comparison, or the pair.
    let target = match comparison.clone() {
        Some(slug) => view! { <input type="hidden" name="comparison" value=slug/> }.into_any(),
        None => view! {
            <input type="hidden" name="left" value=left_slug.clone()/>
            <input type="hidden" name="right" value=right_slug.clone()/>
        }
        .into_any(),
    };
    let pair = (left_slug.clone(), right_slug.clone());
    let button = move |slug: String, name: String, side: &'static str| {
        let pressed_slug = slug.clone();
        let pick_slug = slug.clone();
        let comparison = comparison.clone();
        let pair = pair.clone();
        view! {
            <button
                type="submit"
                name="tool"
                value=slug
                class=format!("pick-{side}")
                aria-pressed=move || (mine.get().as_deref() == Some(pressed_slug.as_str())).to_string()
                disabled=move || pending.get()
                on:click=move |ev| {
                    ev.prevent_default();
                    let on = match comparison.clone() {
                        Some(slug) => PickOn::Comparison(slug),
                        None => PickOn::Pair(pair.0.clone(), pair.1.clone()),
                    };
                    send_pick(on, pick_slug.clone(), numbers, mine, status, pending);
                }
            >
                "Pick " {name}
            </button>
        }
    };
    let left_button = button.clone()(left_slug, left_name, "left");
    let right_button = button(right_slug, right_name, "right");
    view! {
        <div class="h2h" data-testid="head-to-head">
            <div class="h2h-bar" class:withheld=move || !shown() aria-hidden="true">
                <span class="h2h-left" style:width=left_width></span>
            </div>
            <p class="h2h-summary" data-testid="h2h-summary">{summary}</p>
            <form
                class="pick"
                method="post"
                action="/pick"
                data-hydrated=move || hydrated.get().to_string()
            >
                {target}
                <input type="hidden" name="return_to" value=return_to/>
                {left_button}
                <span class="pick-or" aria-hidden="true">"or"</span>
                {right_button}
            </form>
            <p class="vote-status" role="status" data-testid="pick-status">
                {move || status.get()}
            </p>
        </div>
    }
}

/// What a pick is made on.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum PickOn {
    /// A curated comparison, by slug.
    Comparison(String),
    /// Two tools, by slug, left first.
    Pair(String, String),
}

#[cfg(feature = "hydrate")]
fn send_pick(
    on: PickOn,
    tool: String,
    numbers: RwSignal<HeadToHead>,
    mine: RwSignal<Option<String>>,
    status: RwSignal<String>,
    pending: RwSignal<bool>,
) {
    use crate::graphql::post;
    use contract::operations::{Pick, PickBetween, PickBetweenVars, PickVars};

    pending.set(true);
    leptos::task::spawn_local(async move {
        let answer = match on {
            PickOn::Comparison(comparison) => post::<Pick>(&PickVars {
                comparison,
                tool: tool.clone(),
            })
            .await
            .map(|data| data.pick),
            PickOn::Pair(left, right) => post::<PickBetween>(&PickBetweenVars {
                tools: vec![left, right],
                tool: tool.clone(),
            })
            .await
            .map(|data| data.pick_between),
        };
        match answer {
            Ok(answer) => {
                if let Some(h) = answer.head_to_head {
                    numbers.set(h);
                }
                mine.set(Some(tool));
                status.set("Your pick between the two is counted.".to_owned());
            }
            Err(error) => status.set(format!("Your pick was not counted: {}", error.message)),
        }
        pending.set(false);
    });
}

// On the server the buttons are rendered, never clicked.
#[cfg(not(feature = "hydrate"))]
fn send_pick(
    _on: PickOn,
    _tool: String,
    _numbers: RwSignal<HeadToHead>,
    _mine: RwSignal<Option<String>>,
    _status: RwSignal<String>,
    _pending: RwSignal<bool>,
) {
}
