//! Panel and community scores as the API shows them.

use async_graphql::SimpleObject;

use crate::domain::scores::{self, Tally};

/// The expert panel's verdicts on a tool (published reviews).
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct PanelScore {
    /// Reviews that say SHIP.
    pub ship: u32,
    /// Reviews that say SKIP.
    pub skip: u32,
    /// Published reviews.
    pub total: u32,
    /// `round(100 * ship / total)`; null when there are no reviews.
    pub ship_percent: Option<u32>,
}

impl From<Tally> for PanelScore {
    fn from(tally: Tally) -> Self {
        PanelScore {
            ship: tally.ship,
            skip: tally.skip,
            total: tally.total(),
            ship_percent: tally.ship_percent(),
        }
    }
}

/// The readers' votes on a tool.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct CommunityScore {
    /// Votes that say SHIP.
    pub ship: u32,
    /// Votes that say SKIP.
    pub skip: u32,
    /// All votes.
    pub total: u32,
    /// `round(100 * ship / total)`; null until the tool has enough votes.
    pub ship_percent: Option<u32>,
    /// Votes still needed before `shipPercent` is shown (0 once it is).
    pub missing_votes: u32,
}

impl From<scores::CommunityScore> for CommunityScore {
    fn from(score: scores::CommunityScore) -> Self {
        CommunityScore {
            ship: score.tally.ship,
            skip: score.tally.skip,
            total: score.tally.total(),
            ship_percent: score.ship_percent(),
            missing_votes: score.missing_votes(),
        }
    }
}

/// The readers' picks between the two tools of a comparison.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct HeadToHead {
    /// Readers who picked the left tool.
    pub left: u32,
    /// Readers who picked the right tool.
    pub right: u32,
    /// All picks.
    pub total: u32,
    /// `round(100 * left / total)`; null until the comparison has enough picks.
    pub left_percent: Option<u32>,
    /// Picks still needed before `leftPercent` is shown (0 once it is).
    pub missing_picks: u32,
}

impl HeadToHead {
    /// The numbers from the two counts, withheld below `min_picks`.
    pub fn new(left: u32, right: u32, min_picks: u32) -> Self {
        let score = scores::CommunityScore {
            tally: Tally {
                ship: left,
                skip: right,
            },
            min_votes: min_picks,
        };
        HeadToHead {
            left,
            right,
            total: left + right,
            left_percent: score.ship_percent(),
            missing_picks: score.missing_votes(),
        }
    }
}

/// A tool's scores as recorded on one day.
#[derive(SimpleObject, Debug, Clone)]
pub struct ScoreSnapshot {
    /// The day, `YYYY-MM-DD` (UTC).
    pub day: String,
    /// The panel's score that day.
    pub panel: PanelScore,
    /// The readers' score that day (withheld under the vote minimum, as today).
    pub community: CommunityScore,
}
