//! A panel review's provenance as readers see it, under its reasoning:
//! "Reviewed 14 Oct 2026 · v2.1", a calm "Re-review due" note with the
//! reason (the verdict still counts), and the verdict it gave before, with
//! that reasoning one click away (`<details>`: no JavaScript needed).

use contract::operations::{Provenance, Staleness};
use leptos::prelude::*;

use crate::components::score::VerdictBadge;

/// `2026-10-14` (or the day of an RFC 3339 time) as "14 Oct 2026"; other text as it is.
pub fn day_text(day: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (Some(year), Some(month), Some(date)) = (
        day.get(0..4),
        day.get(5..7).and_then(|m| m.parse::<usize>().ok()),
        day.get(8..10).and_then(|d| d.parse::<u32>().ok()),
    ) else {
        return day.to_owned();
    };
    match MONTHS.get(month.wrapping_sub(1)) {
        Some(month) => format!("{date} {month} {year}"),
        None => day.to_owned(),
    }
}

/// How old a review due by age is, in words: "over a year old".
fn age_text(max_age_days: i64) -> String {
    match max_age_days {
        365 => "over a year old".to_owned(),
        days if days > 365 && days % 365 == 0 => format!("over {} years old", days / 365),
        1 => "over a day old".to_owned(),
        days => format!("over {days} days old"),
    }
}

/// Why a review is due, in words: "v3.0 released 2 Nov 2026", "over a year old".
pub fn stale_reason(stale: &Staleness) -> String {
    match (&stale.release, stale.reason.as_str()) {
        (Some(release), "NEWER_RELEASE") => format!(
            "{} released {}",
            release.version,
            day_text(&release.released_on)
        ),
        _ => age_text(stale.max_age_days),
    }
}

/// The line, the re-review note and the earlier verdicts of one review.
#[component]
pub fn ReviewProvenance(provenance: Provenance) -> impl IntoView {
    let Provenance {
        reviewed_on,
        judged_version,
        stale,
        history,
    } = provenance;
    let version =
        judged_version.map(|v| view! { " \u{b7} " <span class="judged-version">{v}</span> });
    let stale = stale.map(|stale| {
        view! {
            <p class="stale-note" role="note" data-testid="stale-note">
                <strong>"Re-review due"</strong>
                {format!(": {}. The verdict still counts.", stale_reason(&stale))}
            </p>
        }
    });
    let earlier = history.first().cloned().map(|newest| {
        let more = match history.len() {
            1 => String::new(),
            n => format!(" ({n} earlier verdicts)"),
        };
        let summary = format!(
            "Was {} until {}{more}",
            newest.verdict.label(),
            day_text(&newest.replaced_at)
        );
        let items = history
            .into_iter()
            .map(|e| {
                let version = e
                    .judged_version
                    .map(|v| format!(" \u{b7} {v}"))
                    .unwrap_or_default();
                view! {
                    <li>
                        <p class="earlier-head">
                            <VerdictBadge verdict=e.verdict/>
                            {format!(
                                " Reviewed {}{version}, replaced {}",
                                day_text(&e.reviewed_on),
                                day_text(&e.replaced_at)
                            )}
                        </p>
                        <p class="earlier-body">{e.body}</p>
                    </li>
                }
            })
            .collect_view();
        view! {
            <details class="earlier-verdicts" data-testid="earlier-verdicts">
                <summary>{summary}</summary>
                <ol class="earlier-list">{items}</ol>
            </details>
        }
    });
    view! {
        <div class="provenance">
            <p class="provenance-line">
                "Reviewed " <time datetime=reviewed_on.clone()>{day_text(&reviewed_on)}</time>
                {version}
            </p>
            {stale}
            {earlier}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use contract::operations::ReleaseRef;

    #[test]
    fn days_and_reasons_read_as_words() {
        assert_eq!(day_text("2026-10-14"), "14 Oct 2026");
        assert_eq!(day_text("2026-10-02T09:30:00Z"), "2 Oct 2026");
        assert_eq!(day_text("soon"), "soon");
        let mut stale = Staleness {
            reason: "NEWER_RELEASE".into(),
            since: "2026-11-02".into(),
            max_age_days: 365,
            release: Some(ReleaseRef {
                version: "v3.0".into(),
                released_on: "2026-11-02".into(),
            }),
        };
        assert_eq!(stale_reason(&stale), "v3.0 released 2 Nov 2026");
        stale.reason = "AGE".into();
        stale.release = None;
        assert_eq!(stale_reason(&stale), "over a year old");
        stale.max_age_days = 730;
        assert_eq!(stale_reason(&stale), "over 2 years old");
        stale.max_age_days = 30;
        assert_eq!(stale_reason(&stale), "over 30 days old");
    }
}
