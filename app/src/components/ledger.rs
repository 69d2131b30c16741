//! The integrity ledger as readers see it: the one line under a community
//! score, and the windows that held votes with what was decided about them.
//! Shared by the tool page, the comparison page and `/integrity`.

use contract::operations::{HeldWindowLine, VoteDecisionLine};
use leptos::prelude::*;

/// The one honest line under a tool's community score, with a link to the
/// details; nothing when no vote was set aside.
#[component]
pub fn IntegrityNote(
    /// `Tool.integrity.summary`.
    summary: Option<String>,
    /// Where the details are (`#vote-integrity` on the tool's own page).
    details: String,
) -> impl IntoView {
    summary.map(|summary| {
        view! {
            <p class="integrity-note" data-testid="integrity-note">
                {summary}
                " \u{b7} "
                <a href=details>"details"</a>
            </p>
        }
    })
}

/// `2026-12-06T16:07:01.123Z` as "6 Dec 2026, 16:07 UTC"; other text as it is.
pub fn when(at: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (Some(year), Some(month), Some(day), Some(time)) = (
        at.get(0..4),
        at.get(5..7).and_then(|m| m.parse::<usize>().ok()),
        at.get(8..10).and_then(|d| d.parse::<u32>().ok()),
        at.get(11..16),
    ) else {
        return at.to_owned();
    };
    match MONTHS.get(month.wrapping_sub(1)) {
        Some(month) => format!("{day} {month} {year}, {time} UTC"),
        None => at.to_owned(),
    }
}

/// A window's span: "6 Dec 2026, 16:00–17:00 UTC" within one day,
/// else both ends in full.
pub fn between(start: &str, end: &str) -> String {
    let (from, to) = (when(start), when(end));
    match (from.strip_suffix(" UTC"), to.split_once(", ")) {
        (Some(from), Some((day, time))) if from.starts_with(&format!("{day}, ")) => {
            format!("{from}\u{2013}{time}")
        }
        _ => format!("{from} \u{2013} {to}"),
    }
}

/// A window's status in words.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "PENDING" => "Held for review",
        "RELEASED" => "Released: they count",
        "REJECTED" => "Rejected: they do not count",
        "EXPIRED" => "Expired: rejected by rule",
        "MIXED" => "Partly released, partly rejected",
        "WITHDRAWN" => "Withdrawn by their voters",
        _ => "Decided",
    }
}

/// A decision's kind as a verb phrase ("released 12 votes").
pub fn decision_label(decision: &VoteDecisionLine) -> String {
    let votes = plural(decision.votes, "vote");
    match decision.kind.as_str() {
        "RELEASE" => format!("Released {votes}"),
        "REJECT" => format!("Rejected {votes}"),
        "EXPIRE" => format!("{votes} expired"),
        "SOURCE_OFF" => format!("Switched a partner app\u{2019}s votes off ({votes})"),
        "SOURCE_ON" => format!("Switched a partner app\u{2019}s votes back on ({votes})"),
        _ => votes,
    }
}

/// "1 vote", "12 votes".
pub fn plural(n: i64, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The decisions taken about one window (or one tool), newest first.
#[component]
pub fn DecisionList(decisions: Vec<VoteDecisionLine>) -> impl IntoView {
    (!decisions.is_empty()).then(|| {
        view! {
            <ul class="decision-list">
                {decisions
                    .into_iter()
                    .map(|d| view! { <DecisionItem decision=d/> })
                    .collect_view()}
            </ul>
        }
    })
}

/// One decision: what, when, by whom, and the reason in quotes.
#[component]
pub fn DecisionItem(decision: VoteDecisionLine) -> impl IntoView {
    let by = if decision.by_editor {
        "by an editor"
    } else {
        "by rule"
    };
    let label = decision_label(&decision);
    let source = decision
        .source
        .clone()
        .map(|source| view! { <span class="decision-source">" \u{b7} " {source}</span> });
    let tool = decision.tool.clone().map(|tool| {
        view! {
            " \u{b7} "
            <a href=format!("/tools/{}#vote-integrity", tool.slug)>{tool.name}</a>
        }
    });
    view! {
        <li class="decision" data-decision=decision.kind.to_lowercase()>
            <p class="decision-head">
                <strong>{label}</strong>
                {tool}
                {source}
                " \u{b7} "
                <time datetime=decision.decided_at.clone()>{when(&decision.decided_at)}</time>
                " \u{b7} "
                {by}
            </p>
            <blockquote class="decision-reason">{decision.reason}</blockquote>
        </li>
    }
}

/// A window that held votes: when, how many were set aside, where it stands,
/// and each decision. `tool_link`: name the tool (site-wide lists).
#[component]
pub fn WindowItem(window: HeldWindowLine, #[prop(optional)] tool_link: bool) -> impl IntoView {
    let tool = tool_link.then(|| match window.tool.clone() {
        Some(tool) => view! {
            <a class="window-tool" href=format!("/tools/{}#vote-integrity", tool.slug)>{tool.name}</a>
        }
        .into_any(),
        None => view! { <span class="window-tool">"A tool not yet published"</span> }.into_any(),
    });
    let status = window.status.to_lowercase();
    let counts = format!(
        "{} new voters from one network; {} set aside",
        window.new_voters, window.set_aside
    );
    let remaining = (window.held > 0 && window.status != "PENDING")
        .then(|| format!(" \u{b7} {} still held", window.held));
    view! {
        <li class="window" id=format!("window-{}", window.id) data-window=window.id.clone() data-status=status.clone()>
            <p class="window-head">
                {tool}
                <span class=format!("window-status {status}")>{status_label(&window.status)}</span>
            </p>
            <p class="window-meta">
                <time datetime=window.starts_at.clone()>{between(&window.starts_at, &window.ends_at)}</time>
            </p>
            <p class="window-counts">{counts}{remaining}</p>
            <DecisionList decisions=window.decisions/>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn when_reads_rfc3339_and_leaves_other_text_alone() {
        assert_eq!(when("2026-12-06T16:07:01.123Z"), "6 Dec 2026, 16:07 UTC");
        assert_eq!(when("2026-01-31T00:00:00+00:00"), "31 Jan 2026, 00:00 UTC");
        assert_eq!(when("soon"), "soon");
        assert_eq!(when("2026-13-06T16:07:01Z"), "2026-13-06T16:07:01Z");
        assert_eq!(
            between("2026-12-06T16:00:00Z", "2026-12-06T17:00:00Z"),
            "6 Dec 2026, 16:00\u{2013}17:00 UTC"
        );
        assert_eq!(
            between("2026-12-06T23:00:00Z", "2026-12-07T00:00:00Z"),
            "6 Dec 2026, 23:00 UTC \u{2013} 7 Dec 2026, 00:00 UTC"
        );
    }
}
