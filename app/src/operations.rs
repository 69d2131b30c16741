//! Every GraphQL operation the UI sends, beside the types its answers decode
//! into. A server test runs each one against the live schema.

use serde::{Deserialize, Serialize};

// Fragments are macros so that `concat!` can splice them into literals.
macro_rules! tool_card {
    () => {
        "fragment ToolCard on Tool { slug name vendor tagline description license \
        websiteUrl publishedAt category { slug name } pricing { model entry } \
        panel { ship skip total shipPercent } \
        community { ship skip total shipPercent missingVotes } viewerVote }"
    };
}

macro_rules! tool_row {
    () => {
        "fragment ToolRow on Tool { slug name vendor tagline license category { slug name } \
        pricing { model entry } panel { shipPercent total } \
        community { shipPercent total missingVotes } }"
    };
}

macro_rules! comparison_page {
    () => {
        "fragment ComparisonPage on Comparison { slug title summary curated publishedAt \
        left { ...ToolCard } right { ...ToolCard } \
        split { bothShip onlyLeft onlyRight neither } \
        headToHead { left right total leftPercent missingPicks } viewerPick { slug } \
        scorecard { reviewer { slug name lens } left { verdict body } right { verdict body } } }"
    };
}

/// A curated comparison by its slug.
pub const COMPARISON_BY_SLUG: &str = concat!(
    "query ComparisonBySlug($slug: String!) { comparison(slug: $slug) { ...ComparisonPage } } ",
    comparison_page!(),
    " ",
    tool_card!()
);

/// Any two tools side by side.
pub const COMPARISON_BY_PAIR: &str = concat!(
    "query ComparisonByPair($a: String!, $b: String!) { compare(left: $a, right: $b) { ...ComparisonPage } } ",
    comparison_page!(),
    " ",
    tool_card!()
);

/// The home page: the newest published comparisons, the best-scored tools
/// by the panel and by readers, and the categories.
pub const HOME: &str = concat!(
    "query Home($first: Int!) { comparisons(first: $first) { edges { node { \
    slug title summary \
    left { slug name panel { shipPercent } } right { slug name panel { shipPercent } } } } } \
    topPanel: tools(orderBy: { field: PANEL_SCORE }, first: 5) { nodes { ...ToolRow } } \
    topCommunity: tools(filter: { minCommunityScore: 0 }, orderBy: { field: COMMUNITY_SCORE }, first: 5) \
    { nodes { ...ToolRow } } \
    allCategories(first: 100) { nodes { slug name } } } ",
    tool_row!()
);

/// A category: its tools, best panel score first.
pub const CATEGORY_PAGE: &str = concat!(
    "query CategoryPage($slug: String!) { category(slug: $slug) { slug name } \
    tools(filter: { category: $slug }, orderBy: { field: PANEL_SCORE }, first: 100) \
    { totalCount nodes { ...ToolRow } } } ",
    tool_row!()
);

/// A panel member: lens, bio and every review, a page at a time.
pub const REVIEWER_PAGE: &str = "query ReviewerPage($slug: String!, $after: String) { \
    reviewer(slug: $slug) { slug name lens bio \
    reviews(first: 50, after: $after) { totalCount nodes { verdict body publishedAt \
    tool { slug name vendor category { slug name } } } pageInfo { hasNextPage endCursor } } } }";

/// The catalogue: tools filtered and ordered as the API allows, a page at a time.
pub const CATALOGUE: &str = concat!(
    "query Catalogue($filter: ToolFilter, $orderBy: ToolOrder, $after: String) { \
    tools(filter: $filter, orderBy: $orderBy, first: 24, after: $after) { totalCount \
    nodes { ...ToolRow } pageInfo { hasNextPage endCursor } } \
    allCategories(first: 100) { nodes { slug name } } } ",
    tool_row!()
);

/// Search: tools and comparisons matching the reader's text.
pub const SEARCH: &str = concat!(
    "query Search($q: String!) { tools(filter: { search: $q }, orderBy: { field: PANEL_SCORE }, first: 30) \
    { totalCount nodes { ...ToolRow } } \
    comparisons(search: $q, first: 30) { totalCount nodes { slug title \
    left { slug name } right { slug name } } } } ",
    tool_row!()
);

/// A tool's alternatives: the best-scored tools of its category.
pub const ALTERNATIVES: &str = concat!(
    "query Alternatives($category: String!) { \
    tools(filter: { category: $category }, orderBy: { field: PANEL_SCORE }, first: 6) \
    { totalCount nodes { ...ToolRow } } } ",
    tool_row!()
);

/// `data` of [`ALTERNATIVES`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternatives {
    pub tools: CountedPage<ToolRow>,
}

/// The compare picker's suggestions as the reader types.
pub const PICKER_TOOLS: &str = "query PickerTools($search: String) { \
    tools(filter: { search: $search }, orderBy: { field: NAME }, first: 8) { nodes { slug name vendor } } }";

/// One tool with its panel's reviews.
pub const TOOL_PAGE: &str = concat!(
    "query ToolPage($slug: String!) { tool(slug: $slug) { ...ToolCard \
    reviews { reviewer { slug name lens } verdict body } \
    scoreHistory(days: 90) { day panel { shipPercent total } community { shipPercent total } } \
    comparisons: comparedIn(first: 50) { nodes { slug title left { slug name } right { slug name } } } } } ",
    tool_card!()
);

/// A reader's ship/skip vote; answers with the tool's new community score.
pub const CAST_VOTE: &str = "mutation CastVote($tool: String!, $verdict: Verdict!) { \
    castVote(tool: $tool, verdict: $verdict) { ship skip total shipPercent missingVotes } }";

/// A reader's pick between a comparison's two tools; answers with the new head-to-head.
pub const PICK: &str = "mutation Pick($comparison: String!, $tool: String!) { \
    pick(comparison: $comparison, tool: $tool) { \
    headToHead { left right total leftPercent missingPicks } } }";

/// A reader's newsletter sign-up (double opt-in); answers with what to tell them.
pub const SUBSCRIBE: &str =
    "mutation Subscribe($email: String!) { subscribe(email: $email) { email message } }";

/// A tool's community score, pushed whenever anyone votes on it.
pub const LIVE_COMMUNITY: &str = "subscription LiveCommunity($tool: String!) { \
    communityScore(tool: $tool) { ship skip total shipPercent missingVotes } }";

/// A comparison's head-to-head, pushed whenever anyone picks (or votes).
pub const LIVE_HEAD_TO_HEAD: &str = "subscription LiveHeadToHead($slug: String!) { \
    comparisonScores(slug: $slug) { headToHead { left right total leftPercent missingPicks } } }";

/// The subscriptions, named, for the test that runs them over WebSocket.
pub const SUBSCRIPTIONS: &[(&str, &str)] = &[
    ("LiveCommunity", LIVE_COMMUNITY),
    ("LiveHeadToHead", LIVE_HEAD_TO_HEAD),
];

/// Every query and mutation above, named, for the test that checks them against the schema.
pub const ALL: &[(&str, &str)] = &[
    ("ComparisonBySlug", COMPARISON_BY_SLUG),
    ("ComparisonByPair", COMPARISON_BY_PAIR),
    ("Home", HOME),
    ("ToolPage", TOOL_PAGE),
    ("CastVote", CAST_VOTE),
    ("Pick", PICK),
    ("Subscribe", SUBSCRIBE),
    ("CategoryPage", CATEGORY_PAGE),
    ("ReviewerPage", REVIEWER_PAGE),
    ("Catalogue", CATALOGUE),
    ("Search", SEARCH),
    ("PickerTools", PICKER_TOOLS),
    ("Alternatives", ALTERNATIVES),
];

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

/// A category's name and address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryRef {
    pub slug: String,
    pub name: String,
}

/// Pricing model and the short entry text ("Free", "$20/mo").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pricing {
    pub model: String,
    pub entry: String,
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
}

/// A panel member as shown beside a review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewerRef {
    pub slug: String,
    pub name: String,
    pub lens: String,
}

/// One side of a scorecard row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewText {
    pub verdict: Verdict,
    pub body: String,
}

/// One reviewer's verdicts on both tools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardRow {
    pub reviewer: ReviewerRef,
    pub left: Option<ReviewText>,
    pub right: Option<ReviewText>,
}

/// How the reviewers who judged both tools split.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Split {
    pub both_ship: i64,
    pub only_left: i64,
    pub only_right: i64,
    pub neither: i64,
}

/// The readers' picks between the two tools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeadToHead {
    pub left: i64,
    pub right: i64,
    pub total: i64,
    pub left_percent: Option<i64>,
    pub missing_picks: i64,
}

/// Only a tool's slug.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlugOnly {
    pub slug: String,
}

/// A comparison page's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonPage {
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    /// An editor's comparison (else two tools asked for ad hoc).
    #[serde(default)]
    pub curated: bool,
    /// Null while a draft or ad hoc.
    #[serde(rename = "publishedAt", default)]
    pub published_at: Option<String>,
    pub left: ToolCard,
    pub right: ToolCard,
    pub split: Split,
    pub scorecard: Vec<ScorecardRow>,
    #[serde(rename = "headToHead")]
    pub head_to_head: Option<HeadToHead>,
    #[serde(rename = "viewerPick")]
    pub viewer_pick: Option<SlugOnly>,
}

/// `data` of [`COMPARISON_BY_SLUG`].
#[derive(Debug, Clone, Deserialize)]
pub struct ComparisonBySlug {
    pub comparison: Option<ComparisonPage>,
}

/// `data` of [`COMPARISON_BY_PAIR`].
#[derive(Debug, Clone, Deserialize)]
pub struct ComparisonByPair {
    pub compare: Option<ComparisonPage>,
}

/// A tool's name and panel percentage, for the comparison list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolHeadline {
    pub slug: String,
    pub name: String,
    pub panel: ScorePercent,
}

/// Only the percentage of a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScorePercent {
    pub ship_percent: Option<i64>,
}

/// A comparison in the home page's list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonSummary {
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub left: ToolHeadline,
    pub right: ToolHeadline,
}

/// A connection's edge, reduced to its node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Edge<T> {
    pub node: T,
}

/// A connection, reduced to its edges.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Connection<T> {
    pub edges: Vec<Edge<T>>,
}

/// `data` of [`HOME`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Home {
    pub comparisons: Connection<ComparisonSummary>,
    pub top_panel: Nodes<ToolRow>,
    pub top_community: Nodes<ToolRow>,
    pub all_categories: Nodes<CategoryRef>,
}

/// Only the percentage and how many were counted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScoreShort {
    pub ship_percent: Option<i64>,
    pub total: i64,
}

/// The readers' percentage, with the votes still missing before it shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommunityShort {
    pub ship_percent: Option<i64>,
    pub total: i64,
    pub missing_votes: i64,
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

/// `data` of [`CATEGORY_PAGE`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryPage {
    pub category: Option<CategoryRef>,
    pub tools: CountedPage<ToolRow>,
}

/// A review on a reviewer's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewerReview {
    pub verdict: Verdict,
    pub body: String,
    pub published_at: Option<String>,
    pub tool: ReviewedTool,
}

/// The tool a review is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewedTool {
    pub slug: String,
    pub name: String,
    pub vendor: String,
    pub category: CategoryRef,
}

/// A panel member with their reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewerProfile {
    pub slug: String,
    pub name: String,
    pub lens: String,
    pub bio: String,
    pub reviews: CountedPage<ReviewerReview>,
}

/// `data` of [`REVIEWER_PAGE`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewerPage {
    pub reviewer: Option<ReviewerProfile>,
}

/// `data` of [`CATALOGUE`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalogue {
    pub tools: CountedPage<ToolRow>,
    pub all_categories: Nodes<CategoryRef>,
}

/// `data` of [`SEARCH`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Search {
    pub tools: CountedPage<ToolRow>,
    pub comparisons: CountedPage<ComparisonLink>,
}

/// A suggestion in the compare picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickerTool {
    pub slug: String,
    pub name: String,
    pub vendor: String,
}

/// `data` of [`PICKER_TOOLS`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickerTools {
    pub tools: Nodes<PickerTool>,
}

/// A published review on the tool page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolReview {
    pub reviewer: ReviewerRef,
    pub verdict: Verdict,
    pub body: String,
}

/// A tool's name and address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolRef {
    pub slug: String,
    pub name: String,
}

/// A comparison a tool appears in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonLink {
    pub slug: String,
    pub title: String,
    pub left: ToolRef,
    pub right: ToolRef,
}

/// A tool page's data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolPage {
    #[serde(flatten)]
    pub card: ToolCard,
    pub reviews: Vec<ToolReview>,
    #[serde(rename = "scoreHistory")]
    pub score_history: Vec<HistoryPoint>,
    pub comparisons: Nodes<ComparisonLink>,
}

/// A tool's scores on one recorded day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    pub day: String,
    pub panel: ScoreShort,
    pub community: ScoreShort,
}

/// `data` of [`TOOL_PAGE`].
#[derive(Debug, Clone, Deserialize)]
pub struct ToolPageData {
    pub tool: Option<ToolPage>,
}

/// `data` of [`SUBSCRIBE`].
#[derive(Debug, Clone, Deserialize)]
pub struct Subscribed {
    /// The sign-up's answer.
    pub subscribe: NewsletterSignup,
}

/// What `subscribe` answers.
#[derive(Debug, Clone, Deserialize)]
pub struct NewsletterSignup {
    /// The address as stored.
    pub email: String,
    /// What to tell the reader.
    pub message: String,
}

/// `data` of [`CAST_VOTE`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CastVote {
    pub cast_vote: CommunityScore,
}

/// The head-to-head inside [`PICK`]'s answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickedComparison {
    pub head_to_head: Option<HeadToHead>,
}

/// `data` of [`PICK`].
#[derive(Debug, Clone, Deserialize)]
pub struct Pick {
    pub pick: PickedComparison,
}

/// `data` of [`LIVE_COMMUNITY`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveCommunity {
    pub community_score: CommunityScore,
}

/// The head-to-head inside [`LIVE_HEAD_TO_HEAD`]'s data.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveComparison {
    pub head_to_head: HeadToHead,
}

/// `data` of [`LIVE_HEAD_TO_HEAD`].
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveHeadToHead {
    pub comparison_scores: LiveComparison,
}

/// A lens's name as readers read it.
pub fn lens_label(lens: &str) -> &'static str {
    match lens {
        "DEVELOPER_EXPERIENCE" => "Developer experience",
        "COMPETITIVE_RISK" => "Competitive risk",
        "STRATEGIC_THESIS" => "Strategic thesis",
        "BUSINESS_CASE" => "Business case",
        _ => "Panel",
    }
}

/// The admin dashboard: who is signed in, counts, drafts, recent changes and anomalies.
pub const ADMIN_DASHBOARD: &str = "query AdminDashboard { me { email } \
    catalogueStats { tools comparisons reviews votes picks } \
    draftTools: allTools(published: false, first: 50) { totalCount nodes { slug name vendor } } \
    draftComparisons: allComparisons(published: false, first: 50) { totalCount nodes { slug title } } \
    auditEntries(first: 12) { nodes { action entity key at } } \
    anomalies(first: 8) { nodes { kind subject hits observedAt } } \
    recentVoteActivity(hours: 24, first: 8) { tool { slug name } ship skip withdrawn total } \
    subscriberCounts { pending confirmed unsubscribed } }";

/// Who is signed in (the sign-in page sends editors on to the dashboard).
pub const ME: &str = "query Me { me { email } }";

/// Signs an editor in (sets the session cookie).
pub const SIGN_IN: &str = "mutation SignIn($email: String!, $password: String!) { \
    signIn(email: $email, password: $password) { email } }";

/// Ends the session.
pub const SIGN_OUT: &str = "mutation SignOut { signOut }";

/// Publishes a draft tool.
pub const PUBLISH_TOOL: &str =
    "mutation PublishTool($slug: String!) { publishTool(slug: $slug) { slug } }";

/// Publishes a draft comparison.
pub const PUBLISH_COMPARISON: &str =
    "mutation PublishComparison($slug: String!) { publishComparison(slug: $slug) { slug } }";

/// Unpublishes a tool.
pub const UNPUBLISH_TOOL: &str =
    "mutation UnpublishTool($slug: String!) { unpublishTool(slug: $slug) { slug } }";

/// Unpublishes a comparison.
pub const UNPUBLISH_COMPARISON: &str =
    "mutation UnpublishComparison($slug: String!) { unpublishComparison(slug: $slug) { slug } }";

/// The categories a new tool can go in.
pub const ADMIN_NEW_TOOL: &str =
    "query AdminNewTool { me { email } allCategories(first: 100) { nodes { slug name } } }";

/// Creates a draft tool.
pub const CREATE_TOOL: &str =
    "mutation CreateTool($input: ToolInput!) { createTool(input: $input) { slug } }";

/// Deletes a tool (with readers' votes when `cascade`).
pub const DELETE_TOOL: &str = "mutation DeleteTool($slug: String!, $cascade: Boolean!) { \
    deleteTool(slug: $slug, cascadeVotes: $cascade) }";

/// The panel, searched and paged.
pub const ADMIN_REVIEWERS: &str = "query AdminReviewers($search: String, $after: String) { \
    me { email } reviewers(search: $search, first: 25, after: $after) { \
    edges { node { slug name lens } } pageInfo { hasNextPage endCursor } } }";

/// One reviewer for the edit form.
pub const ADMIN_REVIEWER: &str = "query AdminReviewer($slug: String!) { me { email } \
    reviewer(slug: $slug) { slug name lens bio } }";

/// Creates a reviewer.
pub const CREATE_REVIEWER: &str = "mutation CreateReviewer($input: ReviewerInput!) { \
    createReviewer(input: $input) { slug } }";

/// Saves a reviewer's fields.
pub const UPDATE_REVIEWER: &str =
    "mutation UpdateReviewer($slug: String!, $input: ReviewerInput!) { \
    updateReviewer(slug: $slug, input: $input) { slug } }";

/// Deletes a reviewer without reviews.
pub const DELETE_REVIEWER: &str =
    "mutation DeleteReviewer($slug: String!) { deleteReviewer(slug: $slug) }";

/// Every comparison, drafts included, searched and paged.
pub const ADMIN_COMPARISONS: &str = "query AdminComparisons($search: String, $after: String) { \
    me { email } allComparisons(search: $search, first: 25, after: $after) { \
    edges { node { slug title publishedAt left { name } right { name } } } \
    pageInfo { hasNextPage endCursor } } }";

/// One comparison for the edit form, with the tools to choose from.
pub const ADMIN_COMPARISON: &str = "query AdminComparison($slug: String!) { me { email } \
    comparison(slug: $slug) { slug title summary publishedAt left { slug } right { slug } } \
    allTools(first: 100) { edges { node { slug name } } } }";

/// The tools a new comparison can set side by side.
pub const ADMIN_NEW_COMPARISON: &str =
    "query AdminNewComparison { me { email } allTools(first: 100) { edges { node { slug name } } } }";

/// Creates a draft comparison.
pub const CREATE_COMPARISON: &str = "mutation CreateComparison($input: ComparisonInput!) { \
    createComparison(input: $input) { slug } }";

/// Saves a comparison's fields.
pub const UPDATE_COMPARISON: &str =
    "mutation UpdateComparison($slug: String!, $input: ComparisonInput!) { \
    updateComparison(slug: $slug, input: $input) { slug } }";

/// Deletes a comparison (with readers' picks when `cascade`).
pub const DELETE_COMPARISON: &str =
    "mutation DeleteComparison($slug: String!, $cascade: Boolean!) { \
    deleteComparison(slug: $slug, cascadePicks: $cascade) }";

/// A comparison's scorecard for editing: every reviewer, and both tools'
/// reviews, drafts included.
pub const ADMIN_SCORECARD: &str = "query AdminScorecard($slug: String!) { me { email } \
    comparison(slug: $slug) { slug title publishedAt left { ...ScorecardTool } right { ...ScorecardTool } } \
    reviewers(first: 100) { edges { node { slug name lens } } } } \
    fragment ScorecardTool on Tool { slug name \
    reviews(includeDrafts: true) { verdict body publishedAt reviewer { slug } } }";

/// Saves several reviews at once, all or none.
pub const UPSERT_REVIEWS: &str = "mutation UpsertReviews($input: [ReviewInput!]!) { \
    upsertReviews(input: $input) { verdict } }";

/// Deletes one review.
pub const DELETE_REVIEW: &str = "mutation DeleteReview($tool: String!, $reviewer: String!) { \
    deleteReview(tool: $tool, reviewer: $reviewer) }";

/// The admin operations, named, in an order the schema test can run them
/// as a signed-in editor (creations before the deletions that undo them).
pub const ADMIN: &[(&str, &str)] = &[
    ("AdminDashboard", ADMIN_DASHBOARD),
    ("AdminTools", ADMIN_TOOLS),
    ("AdminTool", ADMIN_TOOL),
    ("AdminNewTool", ADMIN_NEW_TOOL),
    ("UpdateTool", UPDATE_TOOL),
    ("CreateTool", CREATE_TOOL),
    ("Me", ME),
    ("PublishTool", PUBLISH_TOOL),
    ("UnpublishTool", UNPUBLISH_TOOL),
    ("PublishComparison", PUBLISH_COMPARISON),
    ("UnpublishComparison", UNPUBLISH_COMPARISON),
    ("AdminReviewers", ADMIN_REVIEWERS),
    ("AdminReviewer", ADMIN_REVIEWER),
    ("CreateReviewer", CREATE_REVIEWER),
    ("UpdateReviewer", UPDATE_REVIEWER),
    ("AdminComparisons", ADMIN_COMPARISONS),
    ("AdminComparison", ADMIN_COMPARISON),
    ("AdminNewComparison", ADMIN_NEW_COMPARISON),
    ("CreateComparison", CREATE_COMPARISON),
    ("UpdateComparison", UPDATE_COMPARISON),
    ("AdminScorecard", ADMIN_SCORECARD),
    ("UpsertReviews", UPSERT_REVIEWS),
    ("DeleteReview", DELETE_REVIEW),
    ("DeleteComparison", DELETE_COMPARISON),
    ("AdminOutbox", ADMIN_OUTBOX),
    ("DeleteReviewer", DELETE_REVIEWER),
    ("DeleteTool", DELETE_TOOL),
    ("SignOut", SIGN_OUT),
];

/// The signed-in editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorRef {
    pub email: String,
}

/// `data` of [`ME`].
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Me {
    pub me: Option<EditorRef>,
}

/// Catalogue counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogueStats {
    pub tools: i64,
    pub comparisons: i64,
    pub reviews: i64,
    pub votes: i64,
    pub picks: i64,
}

/// A draft tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftTool {
    pub slug: String,
    pub name: String,
    pub vendor: String,
}

/// A draft comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftComparison {
    pub slug: String,
    pub title: String,
}

/// What waits to be published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drafts {
    pub tools: Vec<DraftTool>,
    pub comparisons: Vec<DraftComparison>,
}

/// One audit entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditLine {
    pub action: String,
    pub entity: String,
    pub key: String,
    pub at: String,
}

/// One vote anomaly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnomalyLine {
    pub kind: String,
    pub subject: String,
    pub hits: i64,
    pub observed_at: String,
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

/// `data` of [`ADMIN_DASHBOARD`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminDashboard {
    pub me: Option<EditorRef>,
    pub catalogue_stats: Option<CatalogueStats>,
    pub draft_tools: Option<Counted<DraftTool>>,
    pub draft_comparisons: Option<Counted<DraftComparison>>,
    pub audit_entries: Option<Nodes<AuditLine>>,
    pub anomalies: Option<Nodes<AnomalyLine>>,
    pub recent_vote_activity: Option<Vec<VoteActivityLine>>,
    pub subscriber_counts: Option<SubscriberCounts>,
}

/// Newsletter subscribers by status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubscriberCounts {
    pub pending: i64,
    pub confirmed: i64,
    pub unsubscribed: i64,
}

/// The outbox, newest first, with the subscriber counts.
pub const ADMIN_OUTBOX: &str = "query AdminOutbox($after: String) { me { email } \
    subscriberCounts { pending confirmed unsubscribed } \
    outbox(first: 25, after: $after) { edges { node { \
    to kind subject body status attempts lastError createdAt sentAt } } \
    pageInfo { hasNextPage endCursor } } }";

/// `data` of [`ADMIN_OUTBOX`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminOutbox {
    pub me: Option<EditorRef>,
    pub subscriber_counts: Option<SubscriberCounts>,
    pub outbox: Option<Paged<OutboxLine>>,
}

/// One mail of the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutboxLine {
    pub to: String,
    pub kind: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub created_at: String,
    pub sent_at: Option<String>,
}

/// Readers' votes on one tool in the last day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteActivityLine {
    pub tool: ToolRef,
    pub ship: i64,
    pub skip: i64,
    pub withdrawn: i64,
    pub total: i64,
}

/// The admin tool list: every tool, drafts included, searched and paged.
pub const ADMIN_TOOLS: &str = "query AdminTools($search: String, $after: String) { me { email } \
    allTools(search: $search, first: 25, after: $after) { \
    edges { node { slug name vendor publishedAt category { name } } } \
    pageInfo { hasNextPage endCursor } } }";

/// One tool for the edit form, with the categories to choose from.
pub const ADMIN_TOOL: &str = "query AdminTool($slug: String!) { me { email } \
    tool(slug: $slug) { slug name vendor tagline description license websiteUrl publishedAt \
    category { slug } pricing { model entry } } allCategories(first: 100) { nodes { slug name } } }";

/// Saves a tool's fields.
pub const UPDATE_TOOL: &str = "mutation UpdateTool($slug: String!, $input: ToolInput!) { \
    updateTool(slug: $slug, input: $input) { slug } }";

/// A tool row of the admin list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminToolRow {
    pub slug: String,
    pub name: String,
    pub vendor: String,
    pub published_at: Option<String>,
    pub category: CategoryName,
}

/// Only a category's name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryName {
    pub name: String,
}

/// Paging facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PageInfo {
    pub has_next_page: bool,
    pub end_cursor: Option<String>,
}

/// `data` of [`ADMIN_TOOLS`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminTools {
    pub me: Option<EditorRef>,
    pub all_tools: Option<Paged<AdminToolRow>>,
}

/// A tool as the edit page loads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminToolData {
    pub slug: String,
    pub name: String,
    pub vendor: String,
    pub tagline: String,
    pub description: String,
    pub license: String,
    pub website_url: Option<String>,
    pub published_at: Option<String>,
    pub category: SlugOnly,
    pub pricing: Pricing,
}

/// `data` of [`ADMIN_TOOL`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminTool {
    pub me: Option<EditorRef>,
    pub tool: Option<AdminToolData>,
    pub all_categories: Nodes<CategoryRef>,
}

/// A connection page with its paging facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Paged<T> {
    pub edges: Vec<Node<T>>,
    #[serde(default)]
    pub page_info: Option<PageInfo>,
}

/// One edge of [`Paged`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node<T> {
    pub node: T,
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

/// `data` of [`ADMIN_NEW_TOOL`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminNewTool {
    pub me: Option<EditorRef>,
    pub all_categories: Nodes<CategoryRef>,
}

/// A reviewer as the admin shows and edits them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminReviewerData {
    pub slug: String,
    pub name: String,
    pub lens: String,
    #[serde(default)]
    pub bio: String,
}

/// `data` of [`ADMIN_REVIEWERS`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminReviewers {
    pub me: Option<EditorRef>,
    pub reviewers: Paged<AdminReviewerData>,
}

/// `data` of [`ADMIN_REVIEWER`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminReviewer {
    pub me: Option<EditorRef>,
    pub reviewer: Option<AdminReviewerData>,
}

/// Only a name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameOnly {
    pub name: String,
}

/// A comparison row of the admin list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminComparisonRow {
    pub slug: String,
    pub title: String,
    pub published_at: Option<String>,
    pub left: NameOnly,
    pub right: NameOnly,
}

/// `data` of [`ADMIN_COMPARISONS`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminComparisons {
    pub me: Option<EditorRef>,
    pub all_comparisons: Option<Paged<AdminComparisonRow>>,
}

/// A comparison as the edit form loads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminComparisonData {
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub published_at: Option<String>,
    pub left: SlugOnly,
    pub right: SlugOnly,
}

/// `data` of [`ADMIN_COMPARISON`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminComparison {
    pub me: Option<EditorRef>,
    pub comparison: Option<AdminComparisonData>,
    pub all_tools: Option<Paged<ToolRef>>,
}

/// `data` of [`ADMIN_NEW_COMPARISON`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminNewComparison {
    pub me: Option<EditorRef>,
    pub all_tools: Option<Paged<ToolRef>>,
}

/// A review as the scorecard editor loads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScorecardReview {
    pub verdict: Verdict,
    pub body: String,
    pub published_at: Option<String>,
    pub reviewer: SlugOnly,
}

/// One side of the scorecard editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardTool {
    pub slug: String,
    pub name: String,
    pub reviews: Vec<ScorecardReview>,
}

/// The comparison whose scorecard is edited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScorecardComparison {
    pub slug: String,
    pub title: String,
    pub published_at: Option<String>,
    pub left: ScorecardTool,
    pub right: ScorecardTool,
}

/// `data` of [`ADMIN_SCORECARD`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminScorecard {
    pub me: Option<EditorRef>,
    pub comparison: Option<ScorecardComparison>,
    pub reviewers: Paged<AdminReviewerData>,
}
