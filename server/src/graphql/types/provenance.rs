//! What a review judged and when: `ToolRelease`, `ReviewStaleness` (why a
//! review is due for a re-review) and `ReviewRevision` (an earlier verdict).

use async_graphql::{Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entities::{review_revision, tool_release};

use crate::domain::provenance::{self, Staleness};
use crate::graphql::types::Verdict;

/// A release of a tool that editors recorded.
#[derive(Clone)]
pub struct ToolRelease(pub tool_release::Model);

/// A release of a tool that editors recorded; reviews written before the
/// latest one are due for a re-review.
#[Object]
impl ToolRelease {
    /// As the vendor names it ("v3.0", "2026-10 release").
    async fn version(&self) -> &str {
        &self.0.version
    }

    /// The day it came out, `YYYY-MM-DD` (UTC).
    async fn released_on(&self) -> String {
        self.0.released_on.to_string()
    }

    /// What changed, in a line; null when the editors wrote none.
    async fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
}

/// Why a review is due for a re-review.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "provenance::StaleReason")]
pub enum StaleReason {
    /// It is older than the site's re-review age (`maxAgeDays`).
    Age,
    /// The editors recorded a release of the tool after it was written (`release`).
    NewerRelease,
}

/// Why, and since when, a review is due for a re-review. Its verdict still
/// counts in the panel score; readers are told to weigh its age.
pub struct ReviewStaleness {
    pub(crate) staleness: Staleness,
    pub(crate) max_age_days: u32,
}

/// Why, and since when, a review is due for a re-review. Its verdict still
/// counts in the panel score; readers are told to weigh its age.
#[Object]
impl ReviewStaleness {
    /// AGE or NEWER_RELEASE (a newer release wins when both hold).
    async fn reason(&self) -> StaleReason {
        self.staleness.reason.into()
    }

    /// The day it became due, `YYYY-MM-DD`: the newer release's day, or the
    /// day it reached `maxAgeDays`.
    async fn since(&self) -> String {
        self.staleness.since.to_string()
    }

    /// The release it predates (NEWER_RELEASE); null for AGE.
    async fn release(&self) -> Option<ToolRelease> {
        self.staleness.release.clone().map(ToolRelease)
    }

    /// The site's re-review age: a review this many days old is due.
    async fn max_age_days(&self) -> u32 {
        self.max_age_days
    }
}

/// An earlier verdict of a review, kept when the reviewer changed it.
#[derive(SimpleObject)]
pub struct ReviewRevision {
    /// The verdict it gave then.
    pub verdict: Verdict,
    /// The reasoning then.
    pub body: String,
    /// The version it judged then; null when none was named.
    pub judged_version: Option<String>,
    /// The day it was written, `YYYY-MM-DD`.
    pub reviewed_on: String,
    /// When the newer verdict replaced it.
    pub replaced_at: DateTime<Utc>,
}

impl From<review_revision::Model> for ReviewRevision {
    fn from(row: review_revision::Model) -> Self {
        ReviewRevision {
            verdict: row.verdict.into(),
            body: row.body,
            judged_version: row.judged_version,
            reviewed_on: row.reviewed_on.to_string(),
            replaced_at: row.replaced_at,
        }
    }
}
