//! Panel versus readers: how far the panel's score of a tool is from the
//! readers', how often each lens ships and agrees with the readers, and
//! which tools split the panel. Every figure is computed in SQL from the
//! kept tallies (`tool_tallies`) and the published reviews, on both engines.

use entities::{tool, Lens};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, QueryResult, Statement, Value};

use crate::domain::catalogue::public;
use crate::domain::scores::{ship_percent_sql, Tallies, Tally};

/// Where a tool's panel and its readers stand, for a tool with both scores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Versus {
    /// The panel's SHIP percentage.
    pub panel: u32,
    /// The readers' SHIP percentage.
    pub readers: u32,
}

/// Whether the panel and the readers come down on the same side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// Both ship it, or both skip it.
    Agree,
    /// One ships it and the other skips it.
    Disagree,
    /// One of them is split exactly in half.
    Undecided,
}

/// Which side a SHIP percentage comes down on.
fn side(percent: u32) -> std::cmp::Ordering {
    percent.cmp(&50)
}

/// A percentage in words, as "they ship it" reads: "mostly ship it".
fn leaning(percent: u32) -> &'static str {
    match percent {
        80.. => "overwhelmingly ship it",
        60..=79 => "mostly ship it",
        51..=59 => "narrowly ship it",
        50 => "are split on it",
        41..=49 => "narrowly skip it",
        21..=40 => "mostly skip it",
        _ => "overwhelmingly skip it",
    }
}

impl Versus {
    /// Both scores of a tool, or `None` while either is missing (no
    /// published review, or fewer readers' votes than `min_votes`).
    pub fn of(tallies: &Tallies, min_votes: u32) -> Option<Versus> {
        let panel = tallies.panel.ship_percent()?;
        let readers = crate::domain::scores::CommunityScore {
            tally: tallies.community,
            min_votes,
        }
        .ship_percent()?;
        Some(Versus { panel, readers })
    }

    /// The panel's percentage minus the readers': positive when the panel
    /// likes the tool more than its readers do.
    pub fn gap(&self) -> i32 {
        i32::try_from(self.panel).unwrap_or(0) - i32::try_from(self.readers).unwrap_or(0)
    }

    /// Whether they come down on the same side.
    pub fn agreement(&self) -> Agreement {
        use std::cmp::Ordering::Equal;
        match (side(self.panel), side(self.readers)) {
            (Equal, _) | (_, Equal) => Agreement::Undecided,
            (panel, readers) if panel == readers => Agreement::Agree,
            _ => Agreement::Disagree,
        }
    }

    /// The two scores in one sentence: "The panel mostly ships it (75 %);
    /// readers mostly skip it (30 %): a 45-point gap."
    pub fn summary(&self) -> String {
        let panel = leaning(self.panel)
            .replacen("ship it", "ships it", 1)
            .replacen("skip it", "skips it", 1)
            .replacen("are split", "is split", 1);
        let readers = leaning(self.readers);
        let gap = self.gap().unsigned_abs();
        let verdict = match (self.agreement(), gap) {
            (_, 0) => "they agree exactly".to_owned(),
            (Agreement::Agree, 1..=9) => format!("they agree within {gap} points"),
            (Agreement::Agree, _) if self.panel > 50 => format!("both ship it, {gap} points apart"),
            (Agreement::Agree, _) => format!("both skip it, {gap} points apart"),
            (Agreement::Disagree, _) => format!("they disagree by {gap} points"),
            (Agreement::Undecided, _) => format!("{gap} points apart"),
        };
        format!(
            "The panel {panel} ({} %); readers {readers} ({} %): {verdict}.",
            self.panel, self.readers
        )
    }
}

/// `ABS(panel % − readers %)` of the tool `"tools"."id"` as SQL, or
/// `missing` when it lacks either score: the order "most disputed". The
/// percentages are [`Tally::ship_percent`]'s formula ([`ship_percent_sql`]).
pub fn gap_sql(min_votes: u32, missing: i64) -> String {
    let panel = ship_percent_sql("s.panel_ship", "s.panel_ship + s.panel_skip");
    let readers = ship_percent_sql("s.community_ship", "s.community_ship + s.community_skip");
    format!(
        "COALESCE((SELECT ABS({panel} - {readers}) FROM tool_tallies s \
         WHERE s.tool_id = \"tools\".\"id\" AND s.panel_ship + s.panel_skip >= 1 \
         AND s.community_ship + s.community_skip >= {min_votes}), {missing})",
        min_votes = min_votes.max(1)
    )
}

/// One lens's record across the public catalogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LensRecord {
    /// The lens.
    pub lens: Lens,
    /// Panel members judging through it.
    pub reviewers: u32,
    /// Its published reviews of published tools: SHIP and SKIP.
    pub verdicts: Tally,
    /// Of those, reviews of tools whose readers have a score that is not
    /// split exactly in half: the ones that can agree or not.
    pub compared: u32,
    /// Of `compared`, the reviews that say what most readers say.
    pub agreed: u32,
}

impl LensRecord {
    /// How often it agrees with the readers, in percent (the score formula);
    /// `None` when none of its reviews can be compared.
    pub fn agreement_percent(&self) -> Option<u32> {
        Tally {
            ship: self.agreed,
            skip: self.compared - self.agreed,
        }
        .ship_percent()
    }
}

fn count(row: &QueryResult, column: &str) -> Result<u32, DbErr> {
    let n: i64 = row.try_get("", column)?;
    Ok(u32::try_from(n).unwrap_or(0))
}

/// Every lens's record, in the order of [`Lens`] (lenses without reviews
/// included), in two statements whatever the catalogue's size.
pub async fn lenses<C: ConnectionTrait>(db: &C, min_votes: u32) -> Result<Vec<LensRecord>, DbErr> {
    let backend = db.get_database_backend();
    // Readers "ship" a tool when more than half of its counted votes say
    // SHIP, "skip" it when fewer do; a tool under the vote minimum, or split
    // exactly, cannot agree with anyone.
    let readers_total = "(t.community_ship + t.community_skip)";
    let comparable = format!(
        "{readers_total} >= {min_votes} AND 2 * t.community_ship <> {readers_total}",
        min_votes = min_votes.max(1)
    );
    let sql = format!(
        "SELECT r.lens AS lens, \
           SUM(CASE WHEN v.verdict = 'SHIP' THEN 1 ELSE 0 END) AS ships, \
           SUM(CASE WHEN v.verdict = 'SKIP' THEN 1 ELSE 0 END) AS skips, \
           SUM(CASE WHEN {comparable} THEN 1 ELSE 0 END) AS compared, \
           SUM(CASE WHEN {comparable} AND ((v.verdict = 'SHIP' AND 2 * t.community_ship > {readers_total}) \
             OR (v.verdict = 'SKIP' AND 2 * t.community_ship < {readers_total})) THEN 1 ELSE 0 END) AS agreed \
         FROM reviews v \
         JOIN reviewers r ON r.id = v.reviewer_id \
         JOIN tools tl ON tl.id = v.tool_id \
         JOIN tool_tallies t ON t.tool_id = v.tool_id \
         WHERE {review} AND {tool} \
         GROUP BY r.lens",
        review = public::review_sql("v"),
        tool = public::tool_sql("tl"),
    );
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql))
        .await?;
    let members = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT lens, COUNT(*) AS reviewers FROM reviewers GROUP BY lens",
        ))
        .await?;
    let lens_of = |row: &QueryResult| -> Result<Option<Lens>, DbErr> {
        let name: String = row.try_get("", "lens")?;
        Ok(lens_from_str(&name))
    };
    let mut records: Vec<LensRecord> = LENSES
        .iter()
        .map(|&lens| LensRecord {
            lens,
            reviewers: 0,
            verdicts: Tally::default(),
            compared: 0,
            agreed: 0,
        })
        .collect();
    for row in &rows {
        if let Some(record) = lens_of(row)?.and_then(|l| records.iter_mut().find(|r| r.lens == l)) {
            record.verdicts = Tally {
                ship: count(row, "ships")?,
                skip: count(row, "skips")?,
            };
            record.compared = count(row, "compared")?;
            record.agreed = count(row, "agreed")?;
        }
    }
    for row in &members {
        if let Some(record) = lens_of(row)?.and_then(|l| records.iter_mut().find(|r| r.lens == l)) {
            record.reviewers = count(row, "reviewers")?;
        }
    }
    Ok(records)
}

/// The lenses in the order readers see them.
pub const LENSES: [Lens; 4] = [
    Lens::DeveloperExperience,
    Lens::CompetitiveRisk,
    Lens::StrategicThesis,
    Lens::BusinessCase,
];

fn lens_from_str(name: &str) -> Option<Lens> {
    use sea_orm::ActiveEnum;
    LENSES.into_iter().find(|lens| lens.to_value() == name)
}

/// A tool the panel is split on, with its panel tally.
#[derive(Debug, Clone)]
pub struct Split {
    /// The tool.
    pub tool: tool::Model,
    /// Its published reviews.
    pub panel: Tally,
}

struct SplitRow(Split);

impl FromQueryResult for SplitRow {
    fn from_query_result(row: &QueryResult, prefix: &str) -> Result<Self, DbErr> {
        Ok(SplitRow(Split {
            tool: tool::Model::from_query_result(row, prefix)?,
            panel: Tally {
                ship: count(row, "split_ship")?,
                skip: count(row, "split_skip")?,
            },
        }))
    }
}

/// The published tools that split the panel most, at most `first`: the
/// larger the minority of their reviews, the earlier (a 2–2 before a 3–1),
/// then the more reviews, then by slug. Tools every reviewer agrees on are
/// not listed. One statement.
pub async fn split_tools<C: ConnectionTrait>(db: &C, first: u64) -> Result<Vec<Split>, DbErr> {
    let backend = db.get_database_backend();
    let minority = "CASE WHEN s.panel_ship < s.panel_skip THEN s.panel_ship ELSE s.panel_skip END";
    let total = "(s.panel_ship + s.panel_skip)";
    let minority_percent = ship_percent_sql(minority, total);
    let sql = format!(
        "SELECT tools.*, s.panel_ship AS split_ship, s.panel_skip AS split_skip \
         FROM tools JOIN tool_tallies s ON s.tool_id = tools.id \
         WHERE {public} AND s.panel_ship > 0 AND s.panel_skip > 0 \
         ORDER BY {minority_percent} DESC, {total} DESC, tools.slug ASC \
         LIMIT {first}",
        public = public::tool_sql("tools"),
    );
    Ok(SplitRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql,
        Vec::<Value>::new(),
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|SplitRow(split)| split)
    .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn versus(panel: u32, readers: u32) -> Versus {
        Versus { panel, readers }
    }

    #[test]
    fn the_gap_is_the_panels_percentage_minus_the_readers() {
        assert_eq!(versus(75, 30).gap(), 45);
        assert_eq!(versus(30, 75).gap(), -45);
        assert_eq!(versus(60, 60).gap(), 0);
    }

    #[test]
    fn agreement_is_about_sides_not_distance() {
        assert_eq!(versus(75, 30).agreement(), Agreement::Disagree);
        assert_eq!(versus(100, 51).agreement(), Agreement::Agree);
        assert_eq!(versus(0, 49).agreement(), Agreement::Agree);
        assert_eq!(versus(50, 90).agreement(), Agreement::Undecided);
        assert_eq!(versus(52, 48).agreement(), Agreement::Disagree);
    }

    #[test]
    fn the_summary_says_it_in_words() {
        assert_eq!(
            versus(75, 30).summary(),
            "The panel mostly ships it (75 %); readers mostly skip it (30 %): they disagree by 45 points."
        );
        assert_eq!(
            versus(100, 96).summary(),
            "The panel overwhelmingly ships it (100 %); readers overwhelmingly ship it (96 %): they agree within 4 points."
        );
        assert_eq!(
            versus(50, 20).summary(),
            "The panel is split on it (50 %); readers overwhelmingly skip it (20 %): 30 points apart."
        );
    }

    #[test]
    fn a_tool_needs_both_scores() {
        let tallies = Tallies {
            panel: Tally { ship: 3, skip: 1 },
            community: Tally { ship: 2, skip: 0 },
            ..Tallies::default()
        };
        assert_eq!(Versus::of(&tallies, 5), None);
        assert_eq!(Versus::of(&tallies, 2), Some(versus(75, 100)));
        let no_reviews = Tallies {
            community: Tally { ship: 9, skip: 1 },
            ..Tallies::default()
        };
        assert_eq!(Versus::of(&no_reviews, 5), None);
    }
}
