//! Review provenance: when a review was written and what it judged, and the
//! one rule that says when it is due for a re-review (too old, or older than
//! a release the editors recorded for its tool). A due review's verdict
//! still counts: the rule only tells readers and editors to look again.

use chrono::{Days, NaiveDate, Utc};
use entities::{review, tool_release};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Query},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::domain::catalogue;
use crate::error::AppError;

/// Days after which a review is due for a re-review, unless configured.
pub const DEFAULT_STALE_DAYS: u32 = 365;

/// Longest judged version or release name, in characters.
pub const MAX_VERSION_CHARS: usize = 40;

/// Longest note on a release, in characters.
pub const MAX_RELEASE_NOTE_CHARS: usize = 500;

/// The earliest day a review or release may be dated.
const EARLIEST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(1990, 1, 1) {
    Some(day) => day,
    None => panic!("a valid date"),
};

/// Why a review is due for a re-review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaleReason {
    /// It is older than the configured age.
    Age,
    /// The editors recorded a release of its tool after it was written.
    NewerRelease,
}

/// A review due for a re-review: why, and since which day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Staleness {
    /// Why.
    pub reason: StaleReason,
    /// The day it became due: the newer release's day, or the day it
    /// reached the configured age.
    pub since: NaiveDate,
    /// The newer release ([`StaleReason::NewerRelease`] only).
    pub release: Option<tool_release::Model>,
}

/// Today, in UTC: the day reviews and releases are dated in.
pub fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The latest of a tool's releases: the latest day, then the last recorded.
pub fn latest(releases: &[tool_release::Model]) -> Option<&tool_release::Model> {
    releases
        .iter()
        .max_by_key(|release| (release.released_on, release.id))
}

/// The staleness rule. A review written on `reviewed_on` is due when its
/// tool's `latest_release` came out after that day (the more telling
/// reason, so it wins), or when it is `max_age_days` old or older on
/// `today` (0 turns the age rule off).
pub fn staleness(
    reviewed_on: NaiveDate,
    latest_release: Option<&tool_release::Model>,
    today: NaiveDate,
    max_age_days: u32,
) -> Option<Staleness> {
    if let Some(release) = latest_release.filter(|r| r.released_on > reviewed_on) {
        return Some(Staleness {
            reason: StaleReason::NewerRelease,
            since: release.released_on,
            release: Some(release.clone()),
        });
    }
    let due = reviewed_on.checked_add_days(Days::new(u64::from(max_age_days)))?;
    (max_age_days > 0 && due <= today).then_some(Staleness {
        reason: StaleReason::Age,
        since: due,
        release: None,
    })
}

/// The published reviews due for a re-review on `today` (the rule of
/// [`staleness`], in SQL), oldest first, at most `limit`.
pub async fn due_reviews<C: ConnectionTrait>(
    db: &C,
    today: NaiveDate,
    max_age_days: u32,
    limit: u64,
) -> Result<Vec<review::Model>, DbErr> {
    let newer_release = Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(tool_release::Entity)
            .and_where(
                Expr::col((tool_release::Entity, tool_release::Column::ToolId))
                    .equals((review::Entity, review::Column::ToolId)),
            )
            .and_where(
                Expr::col((tool_release::Entity, tool_release::Column::ReleasedOn))
                    .gt(Expr::col((review::Entity, review::Column::ReviewedOn))),
            )
            .to_owned(),
    );
    let mut due = Condition::any().add(newer_release);
    if max_age_days > 0 {
        if let Some(cutoff) = today.checked_sub_days(Days::new(u64::from(max_age_days))) {
            due = due.add(review::Column::ReviewedOn.lte(cutoff));
        }
    }
    review::Entity::find()
        .filter(catalogue::public::review())
        .filter(due)
        .order_by_asc(review::Column::ReviewedOn)
        .order_by_asc(review::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Reads a day given as `YYYY-MM-DD`: a real date, not after `today` and
/// not before 1990; `VALIDATION` on `field` otherwise.
pub fn parse_day(field: &str, text: &str, today: NaiveDate) -> Result<NaiveDate, AppError> {
    let day = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|_| text.trim().len() == 10)
        .ok_or_else(|| AppError::validation(field, "must be a date as YYYY-MM-DD"))?;
    if day > today {
        return Err(AppError::validation(field, "must not be in the future"));
    }
    if day < EARLIEST_DAY {
        return Err(AppError::validation(field, "must not be before 1990"));
    }
    Ok(day)
}

/// A judged version or release name, trimmed: 1 to [`MAX_VERSION_CHARS`]
/// characters on one line; `None` for an empty one.
pub fn version(field: &str, text: &str) -> Result<Option<String>, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    if text.chars().count() > MAX_VERSION_CHARS {
        return Err(AppError::validation(
            field,
            format!("must be at most {MAX_VERSION_CHARS} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(AppError::validation(field, "must be one line of text"));
    }
    Ok(Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
    }

    fn release(version: &str, on: &str, id: i64) -> tool_release::Model {
        tool_release::Model {
            id,
            tool_id: 1,
            version: version.into(),
            released_on: day(on),
            note: None,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn a_review_is_due_after_a_newer_release_or_once_it_reaches_the_age() {
        let today = day("2026-12-06");
        let reviewed = day("2026-10-14");
        assert_eq!(staleness(reviewed, None, today, 365), None);
        let older = release("v2.0", "2026-09-01", 1);
        assert_eq!(staleness(reviewed, Some(&older), today, 365), None);
        let newer = release("v3.0", "2026-11-02", 2);
        let due = staleness(reviewed, Some(&newer), today, 365).expect("due");
        assert_eq!(due.reason, StaleReason::NewerRelease);
        assert_eq!(due.since, day("2026-11-02"));
        assert_eq!(due.release.map(|r| r.version).as_deref(), Some("v3.0"));

        let aged = staleness(reviewed, None, today, 30).expect("due by age");
        assert_eq!(
            (aged.reason, aged.since),
            (StaleReason::Age, day("2026-11-13"))
        );
        assert_eq!(staleness(reviewed, None, day("2026-11-12"), 30), None);
        assert!(staleness(reviewed, None, day("2026-11-13"), 30).is_some());
        assert_eq!(staleness(reviewed, None, today, 0), None, "0: no age rule");
        assert_eq!(
            staleness(reviewed, Some(&newer), today, 30).map(|s| s.reason),
            Some(StaleReason::NewerRelease),
            "the release is the more telling reason"
        );
    }

    #[test]
    fn the_latest_release_is_the_latest_day() {
        let releases = [
            release("v3.0", "2026-11-02", 1),
            release("v2.9", "2026-11-20", 2),
            release("v2.1", "2026-01-01", 3),
        ];
        assert_eq!(latest(&releases).map(|r| r.id), Some(2));
        assert_eq!(latest(&[]), None);
    }

    #[test]
    fn days_are_checked_for_shape_the_future_and_the_past() {
        let today = day("2026-12-06");
        assert_eq!(parse_day("d", "2026-12-06", today).ok(), Some(today));
        for bad in [
            "2026-12-07",
            "2026-13-01",
            "6 Dec 2026",
            "",
            "1989-12-31",
            "2026-1-1",
        ] {
            let error = parse_day("d", bad, today).expect_err(bad);
            assert!(matches!(error, AppError::Validation { .. }), "{bad}");
        }
        assert_eq!(version("v", "  v2.1 ").ok(), Some(Some("v2.1".to_owned())));
        assert_eq!(version("v", " ").ok(), Some(None));
        assert!(version("v", &"x".repeat(41)).is_err());
        assert!(version("v", "a\nb").is_err());
    }
}
