//! A comparison's scorecard (each reviewer's verdicts on both tools), the
//! reviewer split derived from it, the panel's top line per tool and the
//! panel's pick between the two.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use entities::{review, reviewer, Verdict};

use crate::domain::scores::Tally;

/// One reviewer's reviews of the left and the right tool.
#[derive(Debug, Clone)]
pub struct ScorecardRow {
    /// The panel member.
    pub reviewer: reviewer::Model,
    /// Their review of the left tool, if any.
    pub left: Option<review::Model>,
    /// Their review of the right tool, if any.
    pub right: Option<review::Model>,
}

/// How the reviewers who judged both tools split.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Split {
    /// SHIP on both.
    pub both_ship: u32,
    /// SHIP on the left only.
    pub only_left: u32,
    /// SHIP on the right only.
    pub only_right: u32,
    /// SKIP on both.
    pub neither: u32,
}

/// One row per reviewer who reviewed either tool, in lens order.
pub fn scorecard(
    reviewers: &[reviewer::Model],
    left_reviews: &[review::Model],
    right_reviews: &[review::Model],
) -> Vec<ScorecardRow> {
    let mut rows: BTreeMap<i64, (Option<review::Model>, Option<review::Model>)> = BTreeMap::new();
    for review in left_reviews {
        rows.entry(review.reviewer_id).or_default().0 = Some(review.clone());
    }
    for review in right_reviews {
        rows.entry(review.reviewer_id).or_default().1 = Some(review.clone());
    }
    let mut card: Vec<ScorecardRow> = reviewers
        .iter()
        .filter_map(|reviewer| {
            let (left, right) = rows.get(&reviewer.id)?.clone();
            Some(ScorecardRow {
                reviewer: reviewer.clone(),
                left,
                right,
            })
        })
        .collect();
    card.sort_by(|a, b| {
        (a.reviewer.lens, &a.reviewer.name).cmp(&(b.reviewer.lens, &b.reviewer.name))
    });
    card
}

/// One reviewer's reviews of several tools: one cell per tool, in the
/// order the tools were given.
#[derive(Debug, Clone)]
pub struct LineupRow {
    /// The panel member.
    pub reviewer: reviewer::Model,
    /// Their review of each tool, if any, aligned with the tools.
    pub reviews: Vec<Option<review::Model>>,
}

/// The scorecard of several tools side by side: one row per reviewer who
/// reviewed any of them, in lens order (then name), each with one cell per
/// tool of `reviews_by_tool` (the tools' published reviews, in the tools'
/// order).
pub fn lineup_scorecard(
    reviewers: &[reviewer::Model],
    reviews_by_tool: &[Vec<review::Model>],
) -> Vec<LineupRow> {
    let columns = reviews_by_tool.len();
    let mut rows: BTreeMap<i64, Vec<Option<review::Model>>> = BTreeMap::new();
    for (column, reviews) in reviews_by_tool.iter().enumerate() {
        for review in reviews {
            rows.entry(review.reviewer_id)
                .or_insert_with(|| vec![None; columns])[column] = Some(review.clone());
        }
    }
    let mut card: Vec<LineupRow> = reviewers
        .iter()
        .filter_map(|reviewer| {
            Some(LineupRow {
                reviewer: reviewer.clone(),
                reviews: rows.get(&reviewer.id)?.clone(),
            })
        })
        .collect();
    card.sort_by(|a, b| {
        (a.reviewer.lens, &a.reviewer.name).cmp(&(b.reviewer.lens, &b.reviewer.name))
    });
    card
}

/// Counts the rows where the reviewer judged both tools.
pub fn split(rows: &[ScorecardRow]) -> Split {
    let mut split = Split::default();
    for row in rows {
        let (Some(left), Some(right)) = (&row.left, &row.right) else {
            continue;
        };
        match (left.verdict, right.verdict) {
            (Verdict::Ship, Verdict::Ship) => split.both_ship += 1,
            (Verdict::Ship, Verdict::Skip) => split.only_left += 1,
            (Verdict::Skip, Verdict::Ship) => split.only_right += 1,
            (Verdict::Skip, Verdict::Skip) => split.neither += 1,
        }
    }
    split
}

/// The panel's top line on one tool: a majority of its published reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelVerdict {
    /// More reviewers say SHIP than SKIP.
    Ship,
    /// More reviewers say SKIP than SHIP.
    Skip,
    /// As many say SHIP as SKIP.
    Split,
}

/// The majority of the panel's reviews of a tool; `None` before any review.
pub fn panel_verdict(panel: Tally) -> Option<PanelVerdict> {
    if panel.total() == 0 {
        return None;
    }
    Some(match (2 * panel.ship).cmp(&panel.total()) {
        Ordering::Greater => PanelVerdict::Ship,
        Ordering::Less => PanelVerdict::Skip,
        Ordering::Equal => PanelVerdict::Split,
    })
}

/// Which tool of a comparison the panel favours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PanelPick {
    /// The left tool has the higher SHIP share.
    Left,
    /// The right tool has the higher SHIP share.
    Right,
    /// Equal shares, or a tool without any review: a split decision.
    Split,
}

/// The panel's pick: the tool whose share of SHIP reviews is higher,
/// compared exactly (2 of 3 beats 3 of 5 although both round near 65 %).
/// Equal shares, or either tool unreviewed, is a split decision.
pub fn panel_pick(left: Tally, right: Tally) -> PanelPick {
    if left.total() == 0 || right.total() == 0 {
        return PanelPick::Split;
    }
    // ship_l / total_l against ship_r / total_r, without division.
    let l = u64::from(left.ship) * u64::from(right.total());
    let r = u64::from(right.ship) * u64::from(left.total());
    match l.cmp(&r) {
        Ordering::Greater => PanelPick::Left,
        Ordering::Less => PanelPick::Right,
        Ordering::Equal => PanelPick::Split,
    }
}

/// The panel's pick among several tools: the index of the one whose share
/// of SHIP reviews is higher than every other's (compared exactly, as
/// [`panel_pick`] does); `None`, a split decision, when the top share is
/// shared or any tool has no review yet.
pub fn panel_pick_of_many(tallies: &[Tally]) -> Option<usize> {
    if tallies.len() < 2 || tallies.iter().any(|t| t.total() == 0) {
        return None;
    }
    let best = (1..tallies.len()).fold(0, |best, i| match panel_pick(tallies[best], tallies[i]) {
        PanelPick::Right => i,
        _ => best,
    });
    let beats_all = tallies
        .iter()
        .enumerate()
        .all(|(i, t)| i == best || panel_pick(tallies[best], *t) == PanelPick::Left);
    beats_all.then_some(best)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(ship: u32, skip: u32) -> Tally {
        Tally { ship, skip }
    }

    #[test]
    fn panel_pick_prefers_the_higher_ship_share_and_splits_on_ties_or_no_reviews() {
        assert_eq!(panel_pick(tally(2, 2), tally(3, 1)), PanelPick::Right);
        assert_eq!(panel_pick(tally(4, 0), tally(3, 1)), PanelPick::Left);
        assert_eq!(panel_pick(tally(2, 1), tally(3, 2)), PanelPick::Left);
        assert_eq!(panel_pick(tally(1, 1), tally(2, 2)), PanelPick::Split);
        assert_eq!(panel_pick(tally(0, 0), tally(3, 1)), PanelPick::Split);
        assert_eq!(panel_pick(tally(3, 1), tally(0, 0)), PanelPick::Split);
    }

    #[test]
    fn panel_verdict_is_the_majority_of_reviews() {
        assert_eq!(panel_verdict(tally(3, 1)), Some(PanelVerdict::Ship));
        assert_eq!(panel_verdict(tally(1, 3)), Some(PanelVerdict::Skip));
        assert_eq!(panel_verdict(tally(2, 2)), Some(PanelVerdict::Split));
        assert_eq!(panel_verdict(tally(0, 0)), None);
    }

    #[test]
    fn the_panel_pick_of_many_is_the_one_top_share_or_a_split() {
        assert_eq!(
            panel_pick_of_many(&[tally(2, 2), tally(3, 1), tally(1, 3)]),
            Some(1)
        );
        assert_eq!(
            panel_pick_of_many(&[tally(2, 1), tally(3, 2), tally(1, 1), tally(4, 0)]),
            Some(3)
        );
        // Two tools share the top: nobody is picked.
        assert_eq!(
            panel_pick_of_many(&[tally(3, 1), tally(1, 3), tally(3, 1)]),
            None
        );
        // A tool without a review: a split decision, as for two.
        assert_eq!(
            panel_pick_of_many(&[tally(3, 1), tally(0, 0), tally(1, 3)]),
            None
        );
        assert_eq!(
            panel_pick_of_many(&[tally(2, 2), tally(3, 1)]),
            Some(1),
            "two tools pick as panel_pick does"
        );
    }

    #[test]
    fn a_lineup_scorecard_has_one_cell_per_tool_in_order() {
        use entities::{Lens, Verdict};
        let reviewer = |id: i64, lens: Lens| reviewer::Model {
            id,
            slug: format!("r{id}"),
            name: format!("Reviewer {id}"),
            lens,
            bio: String::new(),
        };
        let review = |id: i64, reviewer_id: i64, tool_id: i64| review::Model {
            id,
            reviewer_id,
            tool_id,
            verdict: Verdict::Ship,
            body: String::new(),
            published_at: None,
            reviewed_on: chrono::NaiveDate::default(),
            judged_version: None,
        };
        let reviewers = [
            reviewer(1, Lens::BusinessCase),
            reviewer(2, Lens::DeveloperExperience),
            reviewer(3, Lens::CompetitiveRisk),
        ];
        let rows = lineup_scorecard(
            &reviewers,
            &[
                vec![review(10, 1, 100)],
                vec![],
                vec![review(11, 2, 300), review(12, 1, 300)],
            ],
        );
        // Reviewer 3 reviewed none of them: no row.
        let ids: Vec<i64> = rows.iter().map(|r| r.reviewer.id).collect();
        assert_eq!(ids, [2, 1]);
        let cells = |row: &LineupRow| {
            row.reviews
                .iter()
                .map(|r| r.as_ref().map(|r| r.id))
                .collect::<Vec<_>>()
        };
        assert_eq!(cells(&rows[0]), [None, None, Some(11)]);
        assert_eq!(cells(&rows[1]), [Some(10), None, Some(12)]);
    }
}
