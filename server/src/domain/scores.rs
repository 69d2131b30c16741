//! Panel and community scores: ship/skip tallies and the percentages shown.

use std::collections::HashMap;

use entities::{pick, review, tool_tally, vote, Verdict, VoteStatus};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};

/// How many say SHIP and how many SKIP.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// SHIP verdicts.
    pub ship: u32,
    /// SKIP verdicts.
    pub skip: u32,
}

impl Tally {
    /// Every verdict counted.
    pub fn total(&self) -> u32 {
        self.ship + self.skip
    }

    /// `round(100 * ship / total)`, halves rounded up; `None` when nothing was counted.
    /// The same formula as SQL: [`ship_percent_sql`] (a test holds them equal
    /// on both databases).
    pub fn ship_percent(&self) -> Option<u32> {
        let total = self.total();
        (total > 0).then(|| (200 * self.ship + total) / (2 * total))
    }

    fn add(&mut self, verdict: Verdict, count: u32) {
        match verdict {
            Verdict::Ship => self.ship += count,
            Verdict::Skip => self.skip += count,
        }
    }
}

/// [`Tally::ship_percent`] as an SQL expression over two integer
/// expressions (the total must be positive), for statements that order or
/// filter by a score: integer division rounds the same way on SQLite and
/// PostgreSQL for non-negative numbers.
pub fn ship_percent_sql(ship: &str, total: &str) -> String {
    format!("((200 * ({ship}) + ({total})) / (2 * ({total})))")
}

/// The readers' tally with the rule that withholds small samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommunityScore {
    /// The votes counted.
    pub tally: Tally,
    /// Votes needed before the percentage is shown (`MIN_COMMUNITY_VOTES`).
    pub min_votes: u32,
}

impl CommunityScore {
    /// The percentage, withheld until the tool has `min_votes` votes.
    pub fn ship_percent(&self) -> Option<u32> {
        if self.tally.total() >= self.min_votes {
            self.tally.ship_percent()
        } else {
            None
        }
    }

    /// How many more votes until the percentage shows (0 once it does).
    pub fn missing_votes(&self) -> u32 {
        self.min_votes.saturating_sub(self.tally.total())
    }
}

/// A tool's two tallies, as kept in `tool_tallies`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tallies {
    /// The panel's published reviews.
    pub panel: Tally,
    /// The readers' votes that count.
    pub community: Tally,
    /// Readers' votes held by a counting rule (not counted, yet).
    pub held: u32,
    /// Readers' votes set aside for good.
    pub rejected: u32,
}

impl From<tool_tally::Model> for Tallies {
    fn from(row: tool_tally::Model) -> Self {
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Tallies {
            panel: Tally {
                ship: count(row.panel_ship),
                skip: count(row.panel_skip),
            },
            community: Tally {
                ship: count(row.community_ship),
                skip: count(row.community_skip),
            },
            held: count(row.community_held),
            rejected: count(row.community_rejected),
        }
    }
}

/// Both tallies of these tools, in one statement: a primary-key lookup in
/// `tool_tallies`, which triggers keep exact in the transaction of every
/// change to reviews and votes (migration 9). Tools without a row (none
/// exist: a trigger adds it with the tool) are absent.
pub async fn tallies<C: sea_orm::ConnectionTrait>(
    db: &C,
    tool_ids: &[i64],
) -> Result<HashMap<i64, Tallies>, DbErr> {
    Ok(tool_tally::Entity::find()
        .filter(tool_tally::Column::ToolId.is_in(tool_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.tool_id, Tallies::from(row)))
        .collect())
}

/// Published reviews' tallies for these tools, in one statement.
pub async fn panel_tallies<C: sea_orm::ConnectionTrait>(
    db: &C,
    tool_ids: &[i64],
) -> Result<HashMap<i64, Tally>, DbErr> {
    let all = tallies(db, tool_ids).await?;
    Ok(all.into_iter().map(|(id, t)| (id, t.panel)).collect())
}

/// Readers' vote tallies for these tools, in one statement.
pub async fn community_tallies<C: sea_orm::ConnectionTrait>(
    db: &C,
    tool_ids: &[i64],
) -> Result<HashMap<i64, Tally>, DbErr> {
    let all = tallies(db, tool_ids).await?;
    Ok(all.into_iter().map(|(id, t)| (id, t.community)).collect())
}

/// The tallies counted from the rows themselves rather than read from
/// `tool_tallies`: what the triggers must always agree with (the tests
/// compare the two on both engines).
pub async fn counted_tallies<C: sea_orm::ConnectionTrait>(
    db: &C,
    tool_ids: &[i64],
) -> Result<HashMap<i64, Tallies>, DbErr> {
    let panel: Vec<(i64, Verdict, i64)> = review::Entity::find()
        .select_only()
        .column(review::Column::ToolId)
        .column(review::Column::Verdict)
        .column_as(review::Column::Id.count(), "count")
        .filter(review::Column::ToolId.is_in(tool_ids.iter().copied()))
        .filter(crate::domain::catalogue::public::review())
        .group_by(review::Column::ToolId)
        .group_by(review::Column::Verdict)
        .into_tuple()
        .all(db)
        .await?;
    let community: Vec<(i64, Verdict, VoteStatus, i64)> = vote::Entity::find()
        .select_only()
        .column(vote::Column::ToolId)
        .column(vote::Column::Verdict)
        .column(vote::Column::Status)
        .column_as(vote::Column::Id.count(), "count")
        .filter(vote::Column::ToolId.is_in(tool_ids.iter().copied()))
        .group_by(vote::Column::ToolId)
        .group_by(vote::Column::Verdict)
        .group_by(vote::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut all: HashMap<i64, Tallies> = tool_ids
        .iter()
        .map(|id| (*id, Tallies::default()))
        .collect();
    for (id, tally) in fold(panel) {
        all.entry(id).or_default().panel = tally;
    }
    let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
    let mut counted = Vec::new();
    for (id, verdict, status, n) in community {
        let tallies = all.entry(id).or_default();
        match status {
            VoteStatus::Counted => counted.push((id, verdict, n)),
            VoteStatus::Held => tallies.held += count(n),
            VoteStatus::Rejected => tallies.rejected += count(n),
        }
    }
    for (id, tally) in fold(counted) {
        all.entry(id).or_default().community = tally;
    }
    Ok(all)
}

/// Readers' picks per unordered pair (`pick::pair`): tool id → picks, in
/// one statement.
pub async fn pick_counts(
    db: &DatabaseConnection,
    pairs: &[(i64, i64)],
) -> Result<HashMap<(i64, i64), HashMap<i64, u32>>, DbErr> {
    let mut pairs: Vec<(i64, i64)> = pairs.iter().map(|&(a, b)| pick::pair(a, b)).collect();
    pairs.sort_unstable();
    pairs.dedup();
    if pairs.is_empty() {
        return Ok(HashMap::new());
    }
    // The pairs' tools narrow the rows by index; the pairs themselves are
    // checked below.
    let lows: Vec<i64> = pairs.iter().map(|p| p.0).collect();
    let highs: Vec<i64> = pairs.iter().map(|p| p.1).collect();
    let rows: Vec<(i64, i64, i64, i64)> = pick::Entity::find()
        .select_only()
        .column(pick::Column::LowToolId)
        .column(pick::Column::HighToolId)
        .column(pick::Column::ToolId)
        .column_as(pick::Column::Id.count(), "count")
        .filter(pick::Column::LowToolId.is_in(lows))
        .filter(pick::Column::HighToolId.is_in(highs))
        .group_by(pick::Column::LowToolId)
        .group_by(pick::Column::HighToolId)
        .group_by(pick::Column::ToolId)
        .into_tuple()
        .all(db)
        .await?;
    let mut counts: HashMap<(i64, i64), HashMap<i64, u32>> = HashMap::new();
    for (low, high, tool_id, count) in rows {
        if pairs.binary_search(&(low, high)).is_err() {
            continue;
        }
        counts
            .entry((low, high))
            .or_default()
            .insert(tool_id, u32::try_from(count).unwrap_or(u32::MAX));
    }
    Ok(counts)
}

fn fold(rows: Vec<(i64, Verdict, i64)>) -> HashMap<i64, Tally> {
    let mut tallies: HashMap<i64, Tally> = HashMap::new();
    for (tool_id, verdict, count) in rows {
        let count = u32::try_from(count).unwrap_or(u32::MAX);
        tallies.entry(tool_id).or_default().add(verdict, count);
    }
    tallies
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ship_percent_of_the_demo_panels_is_50_and_75() {
        assert_eq!(Tally { ship: 2, skip: 2 }.ship_percent(), Some(50));
        assert_eq!(Tally { ship: 3, skip: 1 }.ship_percent(), Some(75));
        assert_eq!(Tally { ship: 2, skip: 1 }.ship_percent(), Some(67));
        assert_eq!(Tally { ship: 1, skip: 7 }.ship_percent(), Some(13));
        assert_eq!(Tally::default().ship_percent(), None);
    }

    #[test]
    fn community_score_below_threshold_is_withheld_with_missing_count() {
        let score = CommunityScore {
            tally: Tally { ship: 3, skip: 1 },
            min_votes: 10,
        };
        assert_eq!(score.ship_percent(), None);
        assert_eq!(score.missing_votes(), 6);
        let score = CommunityScore {
            tally: Tally { ship: 7, skip: 3 },
            min_votes: 10,
        };
        assert_eq!(score.ship_percent(), Some(70));
        assert_eq!(score.missing_votes(), 0);
    }
}
