//! How scores read: percentages, the dash, and the "n more votes" note.

use leptos::prelude::*;

use contract::operations::{CommunityScore, Score, Verdict};

/// "75%", or "—" when there is nothing to show.
pub fn percent_text(percent: Option<i64>) -> String {
    match percent {
        Some(p) => format!("{p}%"),
        None => "\u{2014}".to_owned(),
    }
}

/// "3 of 4 ship", or "No reviews yet".
pub fn panel_note(score: &Score) -> String {
    if score.total == 0 {
        "No reviews yet".to_owned()
    } else {
        format!("{} of {} ship", score.ship, score.total)
    }
}

/// "3 of 12 ship", or how many votes are still needed before the score shows.
pub fn community_note(score: &CommunityScore) -> String {
    if score.ship_percent.is_some() {
        return format!("{} of {} ship", score.ship, score.total);
    }
    let more = match score.missing_votes {
        1 => "1 more vote needed".to_owned(),
        n => format!("{n} more votes needed"),
    };
    match score.total {
        0 => format!("No votes yet \u{b7} {more}"),
        1 => format!("1 vote \u{b7} {more}"),
        n => format!("{n} votes \u{b7} {more}"),
    }
}

/// A SHIP or SKIP badge.
#[component]
pub fn VerdictBadge(verdict: Verdict) -> impl IntoView {
    let class = match verdict {
        Verdict::Ship => "badge ship",
        Verdict::Skip => "badge skip",
    };
    view! { <span class=class>{verdict.label()}</span> }
}
