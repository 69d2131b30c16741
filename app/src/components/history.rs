//! A tool's score history as a small inline SVG chart (no JavaScript):
//! the panel's and the readers' SHIP percentages per recorded day.

use leptos::prelude::*;

use contract::operations::HistoryPoint;

// A narrow drawing scales up on desktop (capped by CSS) and keeps its
// labels readable on a phone.
const WIDTH: f64 = 400.0;
const HEIGHT: f64 = 160.0;
// Room for "100%" at the larger label size phones get (see the CSS).
const LEFT: f64 = 50.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 26.0;

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian).
pub fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The SVG polyline segments of one series: a gap where it has no value.
fn segments(points: &[(f64, Option<i64>)]) -> Vec<String> {
    let mut out = vec![];
    let mut current = vec![];
    for (x, value) in points {
        match value {
            Some(v) => {
                let y = TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - *v as f64 / 100.0);
                current.push(format!("{x:.1},{y:.1}"));
            }
            None if !current.is_empty() => out.push(std::mem::take(&mut current).join(" ")),
            None => {}
        }
    }
    if !current.is_empty() {
        out.push(current.join(" "));
    }
    out
}

/// The chart, its legend and the numbers as a table.
#[component]
pub fn ScoreHistory(points: Vec<HistoryPoint>, tool_name: String) -> impl IntoView {
    let days: Vec<i64> = points.iter().filter_map(|p| day_number(&p.day)).collect();
    if points.is_empty() || days.len() != points.len() {
        return view! { <p class="empty">"No score history recorded yet."</p> }.into_any();
    }
    let (first, last) = (days[0], days[days.len() - 1]);
    let percent = |p: Option<i64>| p.map_or("not shown".to_owned(), |p| format!("{p}%"));
    if first == last {
        // One recorded day is a dot, not a history: say where it starts.
        let latest = &points[points.len() - 1];
        return view! {
            <p class="history-start" data-testid="history-start">
                {format!(
                    "The history starts on {}: panel {}, readers {}. The chart appears once a second day is recorded.",
                    latest.day,
                    percent(latest.panel.ship_percent),
                    percent(latest.community.ship_percent),
                )}
            </p>
        }
        .into_any();
    }
    let span = (last - first).max(1) as f64;
    let x_of = |day: i64| LEFT + (WIDTH - LEFT - RIGHT) * (day - first) as f64 / span;
    let series = |pick: fn(&HistoryPoint) -> Option<i64>| {
        points
            .iter()
            .zip(&days)
            .map(|(p, day)| (x_of(*day), pick(p)))
            .collect::<Vec<_>>()
    };
    let panel = series(|p| p.panel.ship_percent);
    let readers = series(|p| p.community.ship_percent);
    let dots = |series: &[(f64, Option<i64>)], class: &'static str| {
        series
            .iter()
            .filter_map(|(x, v)| v.map(|v| (*x, v)))
            .map(|(x, v)| {
                let y = TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - v as f64 / 100.0);
                view! { <circle class=class cx=format!("{x:.1}") cy=format!("{y:.1}") r="3"/> }
            })
            .collect_view()
    };
    let lines = |series: &[(f64, Option<i64>)], class: &'static str| {
        segments(series)
            .into_iter()
            .map(|points| view! { <polyline class=class points=points fill="none"/> })
            .collect_view()
    };
    let grid = [0, 50, 100]
        .into_iter()
        .map(|v| {
            let y = TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - f64::from(v) / 100.0);
            view! {
                <line class="chart-grid" x1=LEFT x2=WIDTH - RIGHT y1=y y2=y/>
                <text class="chart-axis" x=LEFT - 6.0 y=y + 4.0 text-anchor="end">{format!("{v}%")}</text>
            }
        })
        .collect_view();
    let first_day = points[0].day.clone();
    let last_day = points[points.len() - 1].day.clone();
    let latest = &points[points.len() - 1];
    let summary = format!(
        "{tool_name}: {} recorded days from {first_day} to {last_day}; latest panel {}, readers {}.",
        points.len(),
        percent(latest.panel.ship_percent),
        percent(latest.community.ship_percent),
    );
    let rows = points
        .iter()
        .rev()
        .map(|p| {
            view! {
                <tr>
                    <td>{p.day.clone()}</td>
                    <td class="num">{percent(p.panel.ship_percent)}</td>
                    <td class="num">{percent(p.community.ship_percent)}</td>
                    <td class="num">{p.community.total}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="history">
            <svg
                class="history-chart"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=summary.clone()
                preserveAspectRatio="xMidYMid meet"
            >
                {grid}
                {lines(&panel, "chart-panel")}
                {lines(&readers, "chart-readers")}
                {dots(&panel, "chart-panel-dot")}
                {dots(&readers, "chart-readers-dot")}
                <text class="chart-axis" x=LEFT y=HEIGHT - 8.0>{first_day.clone()}</text>
                <text class="chart-axis" x=WIDTH - RIGHT y=HEIGHT - 8.0 text-anchor="end">{last_day.clone()}</text>
            </svg>
            <figcaption>
                <span class="legend legend-panel">"Panel"</span>
                <span class="legend legend-readers">"Readers"</span>
                <span class="legend-note">"SHIP percentage per recorded day"</span>
            </figcaption>
            <details class="history-data">
                <summary>"The numbers"</summary>
                <div class="table-wrap">
                    <table class="audit">
                        <thead><tr><th>"Day"</th><th class="num">"Panel"</th><th class="num">"Readers"</th><th class="num">"Votes"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::{day_number, segments};

    #[test]
    fn day_numbers_count_days_since_1970() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2026-11-27"), Some(20_784));
        assert_eq!(
            day_number("2024-03-01")
                .zip(day_number("2024-02-28"))
                .map(|(a, b)| a - b),
            Some(2)
        );
        assert_eq!(day_number("2026-13-01"), None);
        assert_eq!(day_number("nonsense"), None);
    }

    #[test]
    fn a_missing_value_breaks_the_line() {
        let lines = segments(&[
            (1.0, Some(50)),
            (2.0, Some(60)),
            (3.0, None),
            (4.0, Some(70)),
        ]);
        assert_eq!(lines.len(), 2);
    }
}
