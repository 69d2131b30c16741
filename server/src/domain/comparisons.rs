//! A comparison's scorecard (each reviewer's verdicts on both tools) and the
//! reviewer split derived from it.

use std::collections::BTreeMap;

use entities::{review, reviewer, Verdict};

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
