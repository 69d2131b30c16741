//! The community score and the ship/skip buttons: a hydrated island that votes
//! through GraphQL in place, and a plain form POST when JavaScript is off.

use leptos::prelude::*;

use crate::components::score::{community_note, percent_text};
use contract::operations::{CommunityScore, LiveCommunity, ToolVars, Verdict};

/// The readers' score of one tool, with buttons to add one's own verdict.
#[island]
pub fn VoteBox(
    tool: String,
    tool_name: String,
    community: CommunityScore,
    viewer_vote: Option<Verdict>,
    return_to: String,
) -> impl IntoView {
    let score = RwSignal::new(community);
    let mine = RwSignal::new(viewer_vote);
    let status = RwSignal::new(viewer_vote.map(your_vote).unwrap_or_default());
    let pending = RwSignal::new(false);
    // Effects run only in the browser: this marks the buttons as live.
    let hydrated = RwSignal::new(false);
    // Set once the first live number arrived: from then on, others' votes show.
    let live = RwSignal::new(false);
    let live_tool = tool.clone();
    Effect::new(move |_| {
        hydrated.set(true);
        // Other readers' votes arrive here as they happen.
        let variables = ToolVars {
            tool: live_tool.clone(),
        };
        crate::live::subscribe::<LiveCommunity>(&variables, move |data| {
            score.set(data.community_score);
            live.set(true);
        });
    });

    // Pressing the pressed button takes the vote back.
    let cast = {
        let tool = tool.clone();
        move |verdict: Verdict| {
            let choice = (mine.get_untracked() != Some(verdict)).then_some(verdict);
            send_vote(tool.clone(), choice, score, mine, status, pending)
        }
    };
    let cast_skip = cast.clone();
    let pressed = move |verdict: Verdict| move || (mine.get() == Some(verdict)).to_string();
    // Without JavaScript the pressed button posts WITHDRAW: a form sent
    // twice withdraws twice (the second does nothing) instead of flipping.
    let value = move |verdict: Verdict| {
        move || {
            if mine.get() == Some(verdict) {
                WITHDRAW
            } else {
                verdict.label()
            }
        }
    };

    view! {
        <div class="score community" data-testid="community">
            <span class="score-label">"Readers"</span>
            <span class="score-value" data-testid="community-percent">
                {move || percent_text(score.with(|s| s.ship_percent))}
            </span>
            <span class="score-note" data-testid="community-note">
                {move || score.with(community_note)}
            </span>
        </div>
        <form
            class="vote"
            method="post"
            action="/vote"
            data-hydrated=move || hydrated.get().to_string()
            data-live=move || live.get().to_string()
        >
            <input type="hidden" name="tool" value=tool.clone()/>
            <input type="hidden" name="return_to" value=return_to/>
            <p class="vote-prompt">"Your verdict: would you ship " {tool_name.clone()} "?"</p>
            <button
                type="submit"
                name="verdict"
                value=value(Verdict::Ship)
                class="vote-ship"
                aria-label=format!("Ship {tool_name}")
                aria-pressed=pressed(Verdict::Ship)
                disabled=move || pending.get()
                on:click=move |ev| {
                    ev.prevent_default();
                    cast(Verdict::Ship);
                }
            >
                "Ship"
            </button>
            <button
                type="submit"
                name="verdict"
                value=value(Verdict::Skip)
                class="vote-skip"
                aria-label=format!("Skip {tool_name}")
                aria-pressed=pressed(Verdict::Skip)
                disabled=move || pending.get()
                on:click=move |ev| {
                    ev.prevent_default();
                    cast_skip(Verdict::Skip);
                }
            >
                "Skip"
            </button>
        </form>
        <p class="vote-status" role="status" data-testid="vote-status">
            {move || status.get()}
        </p>
        <p class="vote-hint" data-testid="vote-hint" hidden=move || mine.get().is_none()>
            "Press your vote again to withdraw it."
        </p>
    }
}

/// What the no-JavaScript form posts as its verdict to take the vote back.
pub const WITHDRAW: &str = "WITHDRAW";

/// "Your vote: SHIP".
fn your_vote(verdict: Verdict) -> String {
    format!("Your vote: {}", verdict.label())
}

/// Casts `verdict`, or withdraws the reader's vote when it is `None`.
#[cfg(feature = "hydrate")]
fn send_vote(
    tool: String,
    verdict: Option<Verdict>,
    score: RwSignal<CommunityScore>,
    mine: RwSignal<Option<Verdict>>,
    status: RwSignal<String>,
    pending: RwSignal<bool>,
) {
    use crate::graphql::post;
    use contract::operations::{CastVote, CastVoteVars, WithdrawVote};

    pending.set(true);
    leptos::task::spawn_local(async move {
        let answer = match verdict {
            Some(verdict) => post::<CastVote>(&CastVoteVars { tool, verdict })
                .await
                .map(|answer| answer.cast_vote),
            None => post::<WithdrawVote>(&ToolVars { tool })
                .await
                .map(|answer| answer.withdraw_vote),
        };
        match (answer, verdict) {
            (Ok(community), _) => {
                score.set(community);
                mine.set(verdict);
                status.set(verdict.map_or_else(|| "Vote withdrawn.".to_owned(), your_vote));
            }
            (Err(error), Some(_)) => {
                status.set(format!("Your vote was not counted: {}", error.message))
            }
            (Err(error), None) => {
                status.set(format!("Your vote was not withdrawn: {}", error.message))
            }
        }
        pending.set(false);
    });
}

// On the server the buttons are rendered, never clicked.
#[cfg(not(feature = "hydrate"))]
fn send_vote(
    _tool: String,
    _verdict: Option<Verdict>,
    _score: RwSignal<CommunityScore>,
    _mine: RwSignal<Option<Verdict>>,
    _status: RwSignal<String>,
    _pending: RwSignal<bool>,
) {
}
