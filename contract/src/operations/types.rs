//! The pieces several operations' data share: scores, cards, rows, pages.

use serde::{Deserialize, Serialize};

/// `$slug`: the one thing an operation is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlugVars {
    pub slug: String,
}

/// A reader's or reviewer's judgement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    Ship,
    Skip,
}

impl Verdict {
    /// The word on the badge.
    pub fn label(self) -> &'static str {
        match self {
            Verdict::Ship => "SHIP",
            Verdict::Skip => "SKIP",
        }
    }
}

/// A ship/skip tally with its percentage (absent when there is nothing to show).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Score {
    pub ship: i64,
    pub skip: i64,
    pub total: i64,
    pub ship_percent: Option<i64>,
}

/// The readers' tally, with how many votes are missing before it is shown.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommunityScore {
    pub ship: i64,
    pub skip: i64,
    pub total: i64,
    pub ship_percent: Option<i64>,
    pub missing_votes: i64,
}

/// Only the percentage and how many were counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreShort {
    pub ship_percent: Option<i64>,
    pub total: i64,
}

/// Only the percentage of a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScorePercent {
    pub ship_percent: Option<i64>,
}

/// The readers' percentage, with the votes still missing before it shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommunityShort {
    pub ship_percent: Option<i64>,
    pub total: i64,
    pub missing_votes: i64,
}

/// The readers' picks between a comparison's two tools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeadToHead {
    pub left: i64,
    pub right: i64,
    pub total: i64,
    pub left_percent: Option<i64>,
    pub missing_picks: i64,
}

/// A category's name and address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryRef {
    pub slug: String,
    pub name: String,
}

/// Only a category's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryName {
    pub name: String,
}

/// Pricing model and the short entry text ("Free", "$20/mo").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pricing {
    pub model: String,
    pub entry: String,
}

/// Only a slug.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlugOnly {
    pub slug: String,
}

/// Only a name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameOnly {
    pub name: String,
}

/// A tool's name and address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolRef {
    pub slug: String,
    pub name: String,
}

/// A panel member as shown beside a review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewerRef {
    pub slug: String,
    pub name: String,
    pub lens: String,
}

/// Everything a tool card shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolCard {
    pub slug: String,
    pub name: String,
    pub vendor: String,
    pub tagline: String,
    pub description: String,
    pub license: String,
    pub website_url: Option<String>,
    pub category: CategoryRef,
    pub pricing: Pricing,
    pub panel: Score,
    pub community: CommunityScore,
    pub viewer_vote: Option<Verdict>,
    /// Null while a draft (only editors see drafts).
    #[serde(rename = "publishedAt", default)]
    pub published_at: Option<String>,
    /// The one line about votes set aside, shown under the community score.
    #[serde(default)]
    pub integrity: Option<IntegrityLine>,
    /// The panel's top line (asked for by the comparison page only).
    #[serde(default)]
    pub panel_verdict: Option<PanelVerdict>,
}

/// The panel's top line on one tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PanelVerdict {
    Ship,
    Skip,
    Split,
}

impl PanelVerdict {
    /// The word readers see.
    pub fn label(self) -> &'static str {
        match self {
            PanelVerdict::Ship => "SHIP",
            PanelVerdict::Skip => "SKIP",
            PanelVerdict::Split => "SPLIT",
        }
    }
}

/// Which side the panel picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PanelPickSide {
    Left,
    Right,
    Split,
}

/// `Tool.integrity.summary`: one line for readers, null when no vote was set aside.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IntegrityLine {
    pub summary: Option<String>,
}

/// A decision about held votes or about a partner app's votes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoteDecisionLine {
    /// `RELEASE`, `REJECT`, `EXPIRE`, `SOURCE_OFF` or `SOURCE_ON`.
    pub kind: String,
    pub votes: i64,
    /// Why, in the editor's words (or the rule's).
    pub reason: String,
    pub decided_at: String,
    /// False when the expiry rule decided.
    pub by_editor: bool,
    /// The partner app it was about (site-wide list only).
    #[serde(default)]
    pub source: Option<String>,
    /// The window it was about (site-wide list only).
    #[serde(default)]
    pub window_id: Option<String>,
    /// The tool whose votes it moved (site-wide list only).
    #[serde(default)]
    pub tool: Option<ToolRef>,
}

/// A window in which one network brought more new voters to a tool than count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldWindowLine {
    pub id: String,
    /// `PENDING`, `RELEASED`, `REJECTED`, `EXPIRED`, `MIXED` or `WITHDRAWN`.
    pub status: String,
    pub starts_at: String,
    pub ends_at: String,
    pub new_voters: i64,
    pub set_aside: i64,
    pub held: i64,
    pub released: i64,
    pub rejected: i64,
    pub decisions: Vec<VoteDecisionLine>,
    /// The tool voted on (site-wide lists only; null for a draft).
    #[serde(default)]
    pub tool: Option<ToolRef>,
    /// The client network: editors only.
    #[serde(default)]
    pub network: Option<String>,
}

/// Votes on a tool from one source: the site's readers or a partner app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VoteSourceLine {
    pub source: String,
    pub partner: bool,
    pub switched_off: bool,
    pub counted: i64,
    pub held: i64,
    pub rejected: i64,
}

/// How a tool's readers' votes were counted (`Tool.integrity`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolIntegrity {
    pub counted: i64,
    pub held: i64,
    pub rejected: i64,
    pub stored: i64,
    pub summary: Option<String>,
    pub by_source: Vec<VoteSourceLine>,
    pub windows: Vec<HeldWindowLine>,
}

/// The counting rule in force (`Query.integrity`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountingRule {
    /// In words.
    pub rule: String,
    /// Days held votes wait for an editor (0: no limit).
    pub held_votes_expire_days: i64,
}

/// A tool in a list: catalogue, category, search, alternatives.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolRow {
    pub slug: String,
    pub name: String,
    pub vendor: String,
    pub tagline: String,
    pub license: String,
    pub category: CategoryRef,
    pub pricing: Pricing,
    pub panel: ScoreShort,
    pub community: CommunityShort,
}

/// A comparison a tool appears in, or a search finds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonLink {
    pub slug: String,
    pub title: String,
    pub left: ToolRef,
    pub right: ToolRef,
}

/// Paging facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

/// A connection's nodes, its total, and where the next page starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CountedPage<T> {
    pub total_count: i64,
    pub nodes: Vec<T>,
    #[serde(default)]
    pub page_info: Option<PageInfo>,
}

impl<T> CountedPage<T> {
    /// The cursor of the next page, if there is one.
    pub fn next_cursor(&self) -> Option<String> {
        self.page_info
            .as_ref()
            .filter(|p| p.has_next_page)
            .and_then(|p| p.end_cursor.clone())
    }
}

/// A connection's nodes and its total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counted<T> {
    pub total_count: i64,
    pub nodes: Vec<T>,
}

/// A connection reduced to its nodes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nodes<T> {
    pub nodes: Vec<T>,
}

/// A connection's edge, reduced to its node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge<T> {
    pub node: T,
}

/// A connection reduced to its edges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Connection<T> {
    pub edges: Vec<Edge<T>>,
}

/// A connection page with its paging facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paged<T> {
    pub edges: Vec<Edge<T>>,
    #[serde(default)]
    pub page_info: Option<PageInfo>,
}

impl<T> Paged<T> {
    /// The nodes, in order.
    pub fn nodes(self) -> impl Iterator<Item = T> {
        self.edges.into_iter().map(|e| e.node)
    }

    /// The cursor of the next page, if there is one.
    pub fn next_cursor(&self) -> Option<String> {
        self.page_info
            .as_ref()
            .filter(|p| p.has_next_page)
            .and_then(|p| p.end_cursor.clone())
    }
}

/// When a review was written and what it judged, why it is due for a
/// re-review (if it is), and the verdicts it gave before.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Provenance {
    /// `YYYY-MM-DD`.
    pub reviewed_on: String,
    pub judged_version: Option<String>,
    pub stale: Option<Staleness>,
    /// Newest first.
    pub history: Vec<EarlierVerdict>,
}

/// Why a review is due for a re-review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Staleness {
    /// `AGE` or `NEWER_RELEASE`.
    pub reason: String,
    /// `YYYY-MM-DD`: the day it became due.
    pub since: String,
    pub max_age_days: i64,
    /// The newer release (`NEWER_RELEASE`).
    pub release: Option<ReleaseRef>,
}

/// A tool's release, by name and day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseRef {
    pub version: String,
    /// `YYYY-MM-DD`.
    pub released_on: String,
}

/// A verdict a review gave before its reviewer changed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EarlierVerdict {
    pub verdict: Verdict,
    pub body: String,
    pub judged_version: Option<String>,
    /// `YYYY-MM-DD`.
    pub reviewed_on: String,
    /// RFC 3339.
    pub replaced_at: String,
}
