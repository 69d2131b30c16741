//! The readers' operations: the pages' queries, the islands' votes, picks
//! and sign-ups, and the live scores.

use serde::{Deserialize, Serialize};

use super::{types::*, NoVars};

operations! { Reader;
    /// A curated comparison by its slug.
    ComparisonBySlug(SlugVars) -> ComparisonBySlugData = concat!(
        "query ComparisonBySlug($slug: String!) { comparison(slug: $slug) { ...ComparisonPage } } ",
        comparison_page!(),
        " ",
        tool_card!(),
        " ",
        review_card!()
    );

    /// Any two tools side by side.
    ComparisonByPair(PairVars) -> ComparisonByPairData = concat!(
        "query ComparisonByPair($a: String!, $b: String!) { compare(left: $a, right: $b) { ...ComparisonPage } } ",
        comparison_page!(),
        " ",
        tool_card!(),
        " ",
        review_card!()
    );

    /// The home page: the newest published comparisons, the best-scored tools
    /// by the panel and by readers, and the categories.
    Home(HomeVars) -> HomeData = concat!(
        "query Home($first: Int!) { comparisons(first: $first) { edges { node { \
        slug title summary \
        left { slug name panel { shipPercent } } right { slug name panel { shipPercent } } } } } \
        topPanel: tools(orderBy: { field: PANEL_SCORE }, first: 5) { nodes { ...ToolRow } } \
        topCommunity: tools(filter: { minCommunityScore: 0 }, orderBy: { field: COMMUNITY_SCORE }, first: 5) \
        { nodes { ...ToolRow } } \
        allCategories(first: 100) { nodes { slug name } } } ",
        tool_row!()
    );

    /// One tool with its panel's reviews.
    ToolPage(SlugVars) -> ToolPageData = concat!(
        "query ToolPage($slug: String!) { tool(slug: $slug) { ...ToolCard \
        versus: panelVersusReaders { gap agreement summary } \
        facts { label kind value display unit } \
        reviews { reviewer { slug name lens } ...ReviewCard } \
        scoreHistory(days: 90) { day panel { shipPercent total } community { shipPercent total } } \
        comparisons: comparedIn(first: 50) { nodes { slug title left { slug name } right { slug name } } } \
        ledger: integrity { counted held rejected stored summary \
        bySource { source partner switchedOff counted held rejected } \
        windows(first: 10) { ...HeldWindow } } } \
        countingRule: integrity { rule heldVotesExpireDays } } ",
        tool_card!(),
        " ",
        held_window!(),
        " ",
        review_card!()
    );

    /// A reader's ship/skip vote; answers with the tool's new community score.
    CastVote(CastVoteVars) -> CastVoteData = "mutation CastVote($tool: String!, $verdict: Verdict!) { \
        castVote(tool: $tool, verdict: $verdict) { ship skip total shipPercent missingVotes } }";

    /// A reader takes their vote on a tool back; answers with the tool's new community score.
    WithdrawVote(ToolVars) -> WithdrawVoteData = "mutation WithdrawVote($tool: String!) { \
        withdrawVote(tool: $tool) { ship skip total shipPercent missingVotes } }";

    /// A reader's pick between a comparison's two tools; answers with the new head-to-head.
    Pick(PickVars) -> PickData = "mutation Pick($comparison: String!, $tool: String!) { \
        pick(comparison: $comparison, tool: $tool) { \
        headToHead { left right total leftPercent missingPicks } } }";

    /// A reader's pick between any two tools (a pair's page); answers with
    /// the pair's new head-to-head.
    PickBetween(PickBetweenVars) -> PickBetweenData = "mutation PickBetween($tools: [String!]!, $tool: String!) { \
        pickBetween(tools: $tools, tool: $tool) { \
        headToHead { left right total leftPercent missingPicks } } }";

    /// A reader's newsletter sign-up (double opt-in); answers with what to tell them.
    Subscribe(SubscribeVars) -> SubscribeData =
        "mutation Subscribe($email: String!) { subscribe(email: $email) { email message } }";

    /// A category: its tools, best panel score first.
    CategoryPage(SlugVars) -> CategoryPageData = concat!(
        "query CategoryPage($slug: String!) { category(slug: $slug) { slug name } \
        tools(filter: { category: $slug }, orderBy: { field: PANEL_SCORE }, first: 100) \
        { totalCount nodes { ...ToolRow } } } ",
        tool_row!()
    );

    /// A panel member: lens, bio and every review, a page at a time.
    ReviewerPage(ReviewerPageVars) -> ReviewerPageData = "query ReviewerPage($slug: String!, $after: String) { \
        reviewer(slug: $slug) { slug name lens bio \
        reviews(first: 50, after: $after) { totalCount nodes { verdict body publishedAt \
        tool { slug name vendor category { slug name } } } pageInfo { hasNextPage endCursor } } } }";

    /// The catalogue: tools filtered and ordered as the API allows, a page at a time.
    Catalogue(CatalogueVars) -> CatalogueData = concat!(
        "query Catalogue($filter: ToolFilter, $orderBy: ToolOrder, $after: String) { \
        tools(filter: $filter, orderBy: $orderBy, first: 24, after: $after) { totalCount \
        nodes { ...ToolRow } pageInfo { hasNextPage endCursor } } \
        allCategories(first: 100) { nodes { slug name } } } ",
        tool_row!()
    );

    /// Search: tools and comparisons matching the reader's text.
    Search(SearchVars) -> SearchData = "query Search($q: String!) { search(query: $q, first: 30) { \
        corrections { typed searchedFor } \
        hits { title { text matched } context { text matched } \
        tool { slug category { name } panel { shipPercent } community { shipPercent } } \
        comparison { slug } } } }";

    /// The compare picker's suggestions as the reader types.
    PickerTools(PickerToolsVars) -> PickerToolsData = "query PickerTools($search: String!) { \
        search(query: $search, kinds: [TOOL], first: 8) { hits { tool { slug name vendor } } } }";

    /// What the two names of a comparison address typed by hand stand for
    /// (`/compare/cursor-vs-copilot`).
    MatchPair(PairVars) -> MatchPairData = "query MatchPair($a: String!, $b: String!) { \
        left: matchTool(name: $a) { tool { slug name vendor } suggestions { slug name vendor } } \
        right: matchTool(name: $b) { tool { slug name vendor } suggestions { slug name vendor } } }";

    /// Two to four tools side by side (`/compare/a-vs-b-vs-c`).
    ComparisonOfMany(ManyVars) -> ComparisonOfManyData = concat!(
        "query ComparisonOfMany($tools: [String!]!) { compareMany(tools: $tools) { \
        slug canonicalSlug title panelPick { slug name } tools { ...ToolCard panelVerdict } \
        scorecard { reviewer { slug name lens } reviews { ...ReviewCard } } \
        facts { label unit suggested cells { value display unit } } \
        curated { slug title left { slug name } right { slug name } } } } ",
        tool_card!(),
        " ",
        review_card!()
    );

    /// What one name of a comparison address typed by hand stands for.
    MatchName(NameVars) -> MatchNameData = "query MatchName($name: String!) { \
        matchTool(name: $name) { tool { slug name vendor } suggestions { slug name vendor } } }";

    /// A tool's alternatives: the best-scored tools of its category.
    Alternatives(AlternativesVars) -> AlternativesData = concat!(
        "query Alternatives($category: String!) { \
        tools(filter: { category: $category }, orderBy: { field: PANEL_SCORE }, first: 6) \
        { totalCount nodes { ...ToolRow } } } ",
        tool_row!()
    );

    /// The integrity ledger: the counting rule, the windows that held votes
    /// (a page of them, older than `before`) and the decisions, newest first.
    IntegrityPage(BeforeVars) -> IntegrityPageData = concat!(
        "query IntegrityPage($before: ID) { integrity { rule heldVotesExpireDays \
        windows(first: 20, before: $before) { ...HeldWindow tool { slug name } } \
        decisions(first: 30) { kind votes reason decidedAt byEditor source windowId tool { slug name } } } } ",
        held_window!()
    );

    /// The panel versus readers: each lens's record, the tools that split the
    /// panel most, and the tools panel and readers disagree on most.
    PanelPage(NoVars) -> PanelPageData = concat!(
        "query PanelPage { panel { lenses { lens reviewers verdicts { ship skip total shipPercent } \
        comparedWithReaders agreesWithReaders agreementPercent } \
        splitTools(first: 10) { tool { slug name vendor } panel { ship skip total shipPercent } } } \
        disputed: tools(orderBy: { field: DISPUTED }, first: 10) { nodes { ...ToolRow \
        versus: panelVersusReaders { gap agreement summary } } } } ",
        tool_row!()
    );

    /// A tool's community score, pushed whenever anyone votes on it.
    LiveCommunity(ToolVars) -> LiveCommunityData = "subscription LiveCommunity($tool: String!) { \
        communityScore(tool: $tool) { ship skip total shipPercent missingVotes } }";

    /// A comparison's head-to-head, pushed whenever anyone picks (or votes).
    LiveHeadToHead(SlugVars) -> LiveHeadToHeadData = "subscription LiveHeadToHead($slug: String!) { \
        comparisonScores(slug: $slug) { headToHead { left right total leftPercent missingPicks } } }";
}

/// `$tool`: the tool a subscription follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolVars {
    pub tool: String,
}

/// `$before`: where a page of the ledger starts (a window's id), none for the newest.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BeforeVars {
    pub before: Option<String>,
}

/// Variables of [`ComparisonByPair`]: the two tools' slugs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PairVars {
    pub a: String,
    pub b: String,
}

/// Variables of [`ComparisonOfMany`]: the tools' slugs, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManyVars {
    pub tools: Vec<String>,
}

/// Variables of [`MatchName`]: a name as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NameVars {
    pub name: String,
}

/// Variables of [`Home`]: how many comparisons to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeVars {
    pub first: i64,
}

/// Variables of [`CastVote`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CastVoteVars {
    pub tool: String,
    pub verdict: Verdict,
}

/// Variables of [`Pick`]: the comparison and the tool picked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickVars {
    pub comparison: String,
    pub tool: String,
}

/// Variables of [`PickBetween`]: the two tools, left first, and the tool picked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickBetweenVars {
    pub tools: Vec<String>,
    pub tool: String,
}

/// Variables of [`Subscribe`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscribeVars {
    pub email: String,
}

/// Variables of [`ReviewerPage`]: the reviewer, and where the page starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewerPageVars {
    pub slug: String,
    pub after: Option<String>,
}

/// Variables of [`Catalogue`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogueVars {
    pub filter: ToolFilter,
    pub order_by: ToolOrder,
    pub after: Option<String>,
}

/// The API's `ToolFilter`; what is `None` is left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolFilter {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `FREE`, `FREEMIUM`, `PAID` or `CONTACT`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pricing_model: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_panel_score: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_community_score: Option<i64>,
}

/// The API's `ToolOrder`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ToolOrder {
    /// `PANEL_SCORE`, `COMMUNITY_SCORE`, `NEWEST` or `NAME`.
    pub field: String,
    /// `ASC` or `DESC`; the field's natural direction when left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<String>,
}

impl Default for ToolOrder {
    fn default() -> Self {
        ToolOrder {
            field: "PANEL_SCORE".to_owned(),
            direction: None,
        }
    }
}

/// Variables of [`Search`]: the reader's text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchVars {
    pub q: String,
}

/// Variables of [`PickerTools`]: what the reader typed so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PickerToolsVars {
    pub search: String,
}

/// Variables of [`Alternatives`]: the category's slug.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlternativesVars {
    pub category: String,
}

/// A panel member's review inside a comparison's scorecard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewText {
    pub verdict: Verdict,
    pub body: String,
    /// When it was written, what it judged, whether it is due, what it said before.
    #[serde(flatten)]
    pub provenance: Provenance,
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
    /// The editor's one-line verdict (curated only).
    #[serde(rename = "verdictLine", default)]
    pub verdict_line: Option<String>,
    /// Who wrote the verdict.
    #[serde(default)]
    pub byline: Option<String>,
    /// When an editor last changed it.
    #[serde(rename = "updatedAt", default)]
    pub updated_at: Option<String>,
    #[serde(rename = "panelPick")]
    pub panel_pick: PanelPickData,
    /// Comparisons to read next.
    #[serde(default)]
    pub related: Vec<RelatedComparison>,
    /// Both tools' facts, aligned by label.
    #[serde(default)]
    pub facts: Vec<FactRow>,
}

/// A fact as readers see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactLine {
    pub label: String,
    /// `TEXT`, `NUMBER`, `BOOLEAN` or `LIST`.
    pub kind: String,
    /// Without the unit.
    pub value: String,
    /// With the unit.
    pub display: String,
    pub unit: Option<String>,
}

/// One tool's fact in a facts table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactCell {
    /// Without the unit.
    pub value: String,
    /// With the unit.
    pub display: String,
    pub unit: Option<String>,
}

/// One label of a facts table: a cell per tool, none where a tool has none.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactRow {
    pub label: String,
    /// The unit every fact in the row shares, if any.
    pub unit: Option<String>,
    /// Whether the tools' category suggests the label.
    #[serde(default)]
    pub suggested: bool,
    pub cells: Vec<Option<FactCell>>,
}

/// `Comparison.panelPick`: the side and, unless split, the tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelPickData {
    pub side: PanelPickSide,
    pub tool: Option<ToolRef>,
}

/// A comparison listed under "Related comparisons".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelatedComparison {
    pub slug: String,
    pub title: String,
    pub left: ToolRef,
    pub right: ToolRef,
}

/// `data` of [`ComparisonBySlug`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonBySlugData {
    pub comparison: Option<ComparisonPage>,
}

/// `data` of [`ComparisonByPair`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonByPairData {
    pub compare: Option<ComparisonPage>,
}

/// One reviewer's verdicts on every tool of a [`ManyComparisonPage`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManyScorecardRow {
    pub reviewer: ReviewerRef,
    /// One cell per tool, in the tools' order.
    pub reviews: Vec<Option<ReviewText>>,
}

/// The page of two to four tools side by side.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManyComparisonPage {
    pub slug: String,
    /// The same tools in slug order: the canonical address.
    pub canonical_slug: String,
    pub title: String,
    pub panel_pick: Option<ToolRef>,
    pub tools: Vec<ToolCard>,
    pub scorecard: Vec<ManyScorecardRow>,
    /// The tools' facts, aligned by label.
    #[serde(default)]
    pub facts: Vec<FactRow>,
    /// The editors' comparisons of two of the tools.
    pub curated: Vec<RelatedComparison>,
}

/// `data` of [`ComparisonOfMany`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComparisonOfManyData {
    pub compare_many: Option<ManyComparisonPage>,
}

/// `data` of [`MatchName`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MatchNameData {
    pub match_tool: ToolMatch,
}

/// A tool's name and panel percentage, for the comparison list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolHeadline {
    pub slug: String,
    pub name: String,
    pub panel: ScorePercent,
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

/// `data` of [`Home`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HomeData {
    pub comparisons: Connection<ComparisonSummary>,
    pub top_panel: Nodes<ToolRow>,
    pub top_community: Nodes<ToolRow>,
    pub all_categories: Nodes<CategoryRef>,
}

/// A published review on the tool page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolReview {
    pub reviewer: ReviewerRef,
    pub verdict: Verdict,
    pub body: String,
    /// When it was written, what it judged, whether it is due, what it said before.
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// A tool's scores on one recorded day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryPoint {
    pub day: String,
    pub panel: ScoreShort,
    pub community: ScoreShort,
}

/// Everything the tool page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolDetail {
    #[serde(flatten)]
    pub card: ToolCard,
    pub reviews: Vec<ToolReview>,
    #[serde(rename = "scoreHistory")]
    pub score_history: Vec<HistoryPoint>,
    pub comparisons: Nodes<ComparisonLink>,
    /// How its readers' votes were counted.
    pub ledger: ToolIntegrity,
    /// Its panel's score beside its readers'; none without both.
    pub versus: Option<Versus>,
    /// Its facts, in order.
    #[serde(default)]
    pub facts: Vec<FactLine>,
}

/// `data` of [`ToolPage`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ToolPageData {
    pub tool: Option<ToolDetail>,
    pub counting_rule: CountingRule,
}

/// The site-wide ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntegrityLedger {
    #[serde(flatten)]
    pub rule: CountingRule,
    pub windows: Vec<HeldWindowLine>,
    pub decisions: Vec<VoteDecisionLine>,
}

/// `data` of [`IntegrityPage`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IntegrityPageData {
    pub integrity: IntegrityLedger,
}

/// `data` of [`CastVote`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CastVoteData {
    pub cast_vote: CommunityScore,
}

/// `data` of [`WithdrawVote`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WithdrawVoteData {
    pub withdraw_vote: CommunityScore,
}

/// The head-to-head inside [`Pick`]'s answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickedComparison {
    pub head_to_head: Option<HeadToHead>,
}

/// `data` of [`Pick`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickData {
    pub pick: PickedComparison,
}

/// `data` of [`PickBetween`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PickBetweenData {
    pub pick_between: PickedComparison,
}

/// What `subscribe` answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewsletterSignup {
    /// The address as stored.
    pub email: String,
    /// What to tell the reader.
    pub message: String,
}

/// `data` of [`Subscribe`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubscribeData {
    /// The sign-up's answer.
    pub subscribe: NewsletterSignup,
}

/// `data` of [`CategoryPage`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CategoryPageData {
    pub category: Option<CategoryRef>,
    pub tools: CountedPage<ToolRow>,
}

/// The tool a review is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewedTool {
    pub slug: String,
    pub name: String,
    pub vendor: String,
    pub category: CategoryRef,
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

/// A panel member with their reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewerProfile {
    pub slug: String,
    pub name: String,
    pub lens: String,
    pub bio: String,
    pub reviews: CountedPage<ReviewerReview>,
}

/// `data` of [`ReviewerPage`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewerPageData {
    pub reviewer: Option<ReviewerProfile>,
}

/// `data` of [`Catalogue`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogueData {
    pub tools: CountedPage<ToolRow>,
    pub all_categories: Nodes<CategoryRef>,
}

/// A piece of a search result's text, matched or not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MarkedText {
    pub text: String,
    pub matched: bool,
}

/// A word searched for as its closest indexed words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchCorrection {
    pub typed: String,
    pub searched_for: Vec<String>,
}

/// A tool found by a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundTool {
    pub slug: String,
    pub category: CategoryName,
    pub panel: ScorePercent,
    pub community: ScorePercent,
}

/// A comparison found by a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundComparison {
    pub slug: String,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub title: Vec<MarkedText>,
    pub context: Vec<MarkedText>,
    pub tool: Option<FoundTool>,
    pub comparison: Option<FoundComparison>,
}

/// The search inside [`SearchData`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchFound {
    pub corrections: Vec<SearchCorrection>,
    pub hits: Vec<SearchHit>,
}

/// `data` of [`Search`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchData {
    pub search: SearchFound,
}

/// A suggestion in the compare picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickerTool {
    pub slug: String,
    pub name: String,
    pub vendor: String,
}

/// A picker suggestion inside [`PickerToolsData`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickerHit {
    pub tool: Option<PickerTool>,
}

/// The search inside [`PickerToolsData`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickerFound {
    pub hits: Vec<PickerHit>,
}

/// `data` of [`PickerTools`]: tools only, best first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PickerToolsData {
    pub search: PickerFound,
}

/// What one typed name stands for: the tool, or tools to suggest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolMatch {
    pub tool: Option<PickerTool>,
    pub suggestions: Vec<PickerTool>,
}

/// `data` of [`MatchPair`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchPairData {
    pub left: ToolMatch,
    pub right: ToolMatch,
}

/// `data` of [`Alternatives`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlternativesData {
    pub tools: CountedPage<ToolRow>,
}

/// `data` of [`LiveCommunity`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveCommunityData {
    pub community_score: CommunityScore,
}

/// The head-to-head inside [`LiveHeadToHead`]'s data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveComparison {
    pub head_to_head: HeadToHead,
}

/// `data` of [`LiveHeadToHead`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LiveHeadToHeadData {
    pub comparison_scores: LiveComparison,
}

/// A tool's panel score beside its readers' (`panelVersusReaders`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Versus {
    /// Panel percentage minus readers' percentage.
    pub gap: i64,
    /// `AGREE`, `DISAGREE` or `UNDECIDED`.
    pub agreement: String,
    /// Both in one sentence.
    pub summary: String,
}

/// One lens's record on the panel page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LensLine {
    pub lens: String,
    pub reviewers: i64,
    pub verdicts: Score,
    pub compared_with_readers: i64,
    pub agrees_with_readers: i64,
    pub agreement_percent: Option<i64>,
}

/// A tool the panel is split on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SplitLine {
    pub tool: PickerTool,
    pub panel: Score,
}

/// The panel record inside [`PanelPageData`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PanelLines {
    pub lenses: Vec<LensLine>,
    pub split_tools: Vec<SplitLine>,
}

/// A tool row with its panel-versus-readers line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DisputedRow {
    #[serde(flatten)]
    pub row: ToolRow,
    pub versus: Option<Versus>,
}

/// `data` of [`PanelPage`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PanelPageData {
    pub panel: PanelLines,
    pub disputed: Nodes<DisputedRow>,
}
