//! The file's shape: one serde type per kind of record, and [`parse`].
//! Unknown keys are refused everywhere; missing lists are empty.

use serde::{Deserialize, Deserializer, Serialize};

use super::{invalid, DatasetError};

/// The `format` every file carries.
pub const FORMAT: &str = "toolverdicts/v1";

/// A whole catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Always [`FORMAT`].
    pub format: String,
    /// Categories.
    #[serde(default)]
    pub categories: Vec<CategoryRecord>,
    /// The panel.
    #[serde(default)]
    pub reviewers: Vec<ReviewerRecord>,
    /// Tools.
    #[serde(default)]
    pub tools: Vec<ToolRecord>,
    /// Reviews, one per reviewer and tool.
    #[serde(default)]
    pub reviews: Vec<ReviewRecord>,
    /// Curated comparisons.
    #[serde(default)]
    pub comparisons: Vec<ComparisonRecord>,
    /// Readers' votes, one per voter and tool.
    #[serde(default)]
    pub votes: Vec<VoteRecord>,
}

/// A category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRecord {
    pub slug: String,
    pub name: String,
    /// The fact labels it suggests for its tools, in order: absent = the
    /// stored ones stay (files from before facts); a list = exactly these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_facts: Option<Vec<SuggestedFactRecord>>,
}

/// A fact label a category suggests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SuggestedFactRecord {
    pub label: String,
    /// `TEXT`, `NUMBER`, `BOOLEAN` or `LIST`.
    pub kind: String,
    /// Absent or null: none.
    #[serde(default)]
    pub unit: Option<String>,
}

/// A fact about a tool. `value`: a JSON number for a NUMBER, `true` or
/// `false` for a BOOLEAN, an array of strings for a LIST, a string for a
/// TEXT (a string is also read as typed for the other kinds: "128,000").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactRecord {
    pub label: String,
    /// `TEXT`, `NUMBER`, `BOOLEAN` or `LIST`.
    pub kind: String,
    pub value: serde_json::Value,
    /// Absent or null: none.
    #[serde(default)]
    pub unit: Option<String>,
}

/// A panel member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewerRecord {
    pub slug: String,
    pub name: String,
    pub lens: String,
    pub bio: String,
}

/// A tool's pricing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PricingRecord {
    pub model: String,
    pub entry: String,
}

/// A tool. `published_at`: absent = published on first import; null = draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolRecord {
    pub slug: String,
    pub name: String,
    pub vendor: String,
    pub category: String,
    pub tagline: String,
    pub description: String,
    pub license: String,
    pub pricing: PricingRecord,
    #[serde(default)]
    pub website_url: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub published_at: Option<Option<String>>,
    /// The releases editors recorded: absent = the stored ones stay; a
    /// list = exactly these (matched by version).
    #[serde(default)]
    pub releases: Option<Vec<ReleaseRecord>>,
    /// Its facts, in order: absent = the stored ones stay (files from
    /// before facts); a list = exactly these.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<Vec<FactRecord>>,
}

/// A release of a tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseRecord {
    pub version: String,
    /// `YYYY-MM-DD`.
    pub released_on: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// A review. `published_at`: absent = published on first import; null = draft.
/// `reviewed_on`: absent = the stored day, else the publication day, else today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRecord {
    pub tool: String,
    pub reviewer: String,
    pub verdict: String,
    pub body: String,
    #[serde(default, deserialize_with = "present")]
    pub published_at: Option<Option<String>>,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub reviewed_on: Option<String>,
    /// Absent: the stored version stays; `null`: none.
    #[serde(default, deserialize_with = "present")]
    pub judged_version: Option<Option<String>>,
    /// Earlier verdicts, newest first: absent = the stored ones stay; a
    /// list = exactly these.
    #[serde(default)]
    pub history: Option<Vec<RevisionRecord>>,
}

/// An earlier verdict of a review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevisionRecord {
    pub verdict: String,
    pub body: String,
    #[serde(default)]
    pub judged_version: Option<String>,
    /// `YYYY-MM-DD`.
    pub reviewed_on: String,
    /// RFC 3339.
    pub replaced_at: String,
}

/// A curated comparison. `published_at`: absent = published on first import; null = draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonRecord {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub left: String,
    pub right: String,
    #[serde(default, deserialize_with = "present")]
    pub published_at: Option<Option<String>>,
    /// The editor's one-line verdict; absent for none, or (importing over a
    /// stored comparison) to keep what is stored: older files have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict_line: Option<String>,
    /// Who wrote the verdict; absent as `verdict_line`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byline: Option<String>,
}

/// A reader's vote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteRecord {
    pub tool: String,
    pub voter: String,
    pub verdict: String,
}

/// Tells a present `null` (Some(None)) from an absent key (None).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Parses a file's text.
pub fn parse(text: &str) -> Result<Dataset, DatasetError> {
    let dataset: Dataset =
        serde_json::from_str(text).map_err(|e| DatasetError::Parse(e.to_string()))?;
    if dataset.format != FORMAT {
        return Err(invalid(
            "format",
            format!("is \"{}\", expected \"{FORMAT}\"", dataset.format),
        ));
    }
    Ok(dataset)
}
