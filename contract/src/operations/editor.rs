//! The editors' operations: the admin pages' queries and the forms' and
//! buttons' mutations. Listed in an order a signed-in editor can run them
//! one after another: sign in first, creations before the deletions that
//! undo them, sign out last.

use serde::{Deserialize, Serialize};

use super::{types::*, NoVars};

operations! { Editor;
    /// Signs an editor in (sets the session cookie).
    SignIn(SignInVars) -> SignInData = "mutation SignIn($email: String!, $password: String!) { \
        signIn(email: $email, password: $password) { email } }";

    /// The admin dashboard: who is signed in, counts, drafts, recent changes and anomalies.
    AdminDashboard(NoVars) -> AdminDashboardData = concat!("query AdminDashboard { me { email } \
        catalogueStats { tools comparisons reviews votes picks } \
        draftTools: allTools(published: false, first: 50) { totalCount nodes { slug name vendor } } \
        draftComparisons: allComparisons(published: false, first: 50) { totalCount nodes { slug title } } \
        auditEntries(first: 12) { nodes { action entity key at } } \
        anomalies(first: 8) { nodes { kind subject hits observedAt } } \
        recentVoteActivity(hours: 24, first: 8) { tool { slug name } ship skip withdrawn total } \
        subscriberCounts { pending confirmed unsubscribed } \
        integrity { windows(first: 50) { ...HeldWindow network tool { slug name } } } \
        reviewsDue(first: 50) { verdict reviewedOn judgedVersion \
        stale { reason since maxAgeDays release { version releasedOn } } \
        reviewer { slug name } tool { slug name } } \
        webhookEndpoints { id url enabled disabledReason disabledAt } } ",
        held_window!()
    );

    /// Releases the votes a held window still holds, with a public reason.
    ReleaseHeldVotes(DecideVars) -> DecideHeldVotesData = concat!(
        "mutation ReleaseHeldVotes($window: ID!, $reason: String!) { \
        decided: releaseHeldVotes(window: $window, reason: $reason) { ...HeldWindow } } ",
        held_window!()
    );

    /// Rejects the votes a held window still holds, with a public reason.
    RejectHeldVotes(DecideVars) -> DecideHeldVotesData = concat!(
        "mutation RejectHeldVotes($window: ID!, $reason: String!) { \
        decided: rejectHeldVotes(window: $window, reason: $reason) { ...HeldWindow } } ",
        held_window!()
    );

    /// The admin tool list: every tool, drafts included, searched and paged.
    AdminTools(ListVars) -> AdminToolsData = "query AdminTools($search: String, $after: String) { me { email } \
        allTools(search: $search, first: 25, after: $after) { \
        edges { node { slug name vendor publishedAt category { name } } } \
        pageInfo { hasNextPage endCursor } } }";

    /// One tool for the edit form, with the categories to choose from.
    AdminTool(SlugVars) -> AdminToolData = "query AdminTool($slug: String!) { me { email } \
        tool(slug: $slug) { slug name vendor tagline description license websiteUrl publishedAt \
        category { slug name suggestedFacts { label kind unit } } pricing { model entry } \
        releases { version releasedOn note } facts { label kind value items unit } \
        comparedIn(first: 50) { nodes { slug title } } } \
        allCategories(first: 100) { nodes { slug name } } }";

    /// The categories a new tool can go in.
    AdminNewTool(NoVars) -> AdminNewToolData =
        "query AdminNewTool { me { email } allCategories(first: 100) { nodes { slug name } } }";

    /// Saves a tool's fields.
    UpdateTool(UpdateVars<ToolInput>) -> UpdateToolData = "mutation UpdateTool($slug: String!, $input: ToolInput!) { \
        updateTool(slug: $slug, input: $input) { slug } }";

    /// Creates a draft tool.
    CreateTool(CreateVars<ToolInput>) -> CreateToolData =
        "mutation CreateTool($input: ToolInput!) { createTool(input: $input) { slug } }";

    /// Records a release of a tool (its older reviews become due for a re-review).
    RecordToolRelease(CreateVars<ToolReleaseInput>) -> RecordToolReleaseData =
        "mutation RecordToolRelease($input: ToolReleaseInput!) { \
        recordToolRelease(input: $input) { version releasedOn note } }";

    /// Deletes a recorded release of a tool.
    DeleteToolRelease(DeleteReleaseVars) -> DeleteToolReleaseData =
        "mutation DeleteToolRelease($tool: String!, $version: String!) { \
        deleteToolRelease(tool: $tool, version: $version) }";

    /// Sets a tool's facts as a whole list.
    SetToolFacts(SetToolFactsVars) -> SetToolFactsData =
        "mutation SetToolFacts($slug: String!, $facts: [ToolFactInput!]!) { \
        setToolFacts(slug: $slug, facts: $facts) { slug facts { label kind value items unit } } }";

    /// Who is signed in (the sign-in page sends editors on to the dashboard).
    Me(NoVars) -> MeData = "query Me { me { email } }";

    /// Publishes a draft tool.
    PublishTool(SlugVars) -> PublishToolData =
        "mutation PublishTool($slug: String!) { publishTool(slug: $slug) { slug } }";

    /// Unpublishes a tool.
    UnpublishTool(SlugVars) -> UnpublishToolData =
        "mutation UnpublishTool($slug: String!) { unpublishTool(slug: $slug) { slug } }";

    /// Publishes a draft comparison.
    PublishComparison(SlugVars) -> PublishComparisonData =
        "mutation PublishComparison($slug: String!) { publishComparison(slug: $slug) { slug } }";

    /// Publishes a draft comparison and those of its tools that are drafts,
    /// in one change (the editor confirmed it).
    PublishComparisonWithTools(SlugVars) -> PublishComparisonData =
        "mutation PublishComparisonWithTools($slug: String!) { \
        publishComparison(slug: $slug, withTools: true) { slug } }";

    /// A comparison's two tools and whether each is published (what
    /// publishing it would also publish).
    ComparisonTools(SlugVars) -> ComparisonToolsData = "query ComparisonTools($slug: String!) { \
        comparison(slug: $slug) { left { name publishedAt } right { name publishedAt } } }";

    /// Unpublishes a comparison.
    UnpublishComparison(SlugVars) -> UnpublishComparisonData =
        "mutation UnpublishComparison($slug: String!) { unpublishComparison(slug: $slug) { slug } }";

    /// The panel, searched and paged.
    AdminReviewers(ListVars) -> AdminReviewersData = "query AdminReviewers($search: String, $after: String) { \
        me { email } reviewers(search: $search, first: 25, after: $after) { \
        edges { node { slug name lens } } pageInfo { hasNextPage endCursor } } }";

    /// One reviewer for the edit form.
    AdminReviewer(SlugVars) -> AdminReviewerData = "query AdminReviewer($slug: String!) { me { email } \
        reviewer(slug: $slug) { slug name lens bio } }";

    /// Creates a reviewer.
    CreateReviewer(CreateVars<ReviewerInput>) -> CreateReviewerData = "mutation CreateReviewer($input: ReviewerInput!) { \
        createReviewer(input: $input) { slug } }";

    /// Saves a reviewer's fields.
    UpdateReviewer(UpdateVars<ReviewerInput>) -> UpdateReviewerData =
        "mutation UpdateReviewer($slug: String!, $input: ReviewerInput!) { \
        updateReviewer(slug: $slug, input: $input) { slug } }";

    /// Every comparison, drafts included, searched and paged.
    AdminComparisons(ListVars) -> AdminComparisonsData = "query AdminComparisons($search: String, $after: String) { \
        me { email } allComparisons(search: $search, first: 25, after: $after) { \
        edges { node { slug title publishedAt left { name } right { name } } } \
        pageInfo { hasNextPage endCursor } } }";

    /// One comparison for the edit form, with the tools to choose from.
    AdminComparison(SlugVars) -> AdminComparisonData = "query AdminComparison($slug: String!) { me { email } \
        comparison(slug: $slug) { slug title summary verdictLine byline publishedAt left { slug } right { slug } } \
        allTools(first: 100) { edges { node { slug name } } } }";

    /// The tools a new comparison can set side by side.
    AdminNewComparison(NoVars) -> AdminNewComparisonData =
        "query AdminNewComparison { me { email } allTools(first: 100) { edges { node { slug name } } } }";

    /// Creates a draft comparison.
    CreateComparison(CreateVars<ComparisonInput>) -> CreateComparisonData = "mutation CreateComparison($input: ComparisonInput!) { \
        createComparison(input: $input) { slug } }";

    /// Saves a comparison's fields.
    UpdateComparison(UpdateVars<ComparisonInput>) -> UpdateComparisonData =
        "mutation UpdateComparison($slug: String!, $input: ComparisonInput!) { \
        updateComparison(slug: $slug, input: $input) { slug } }";

    /// A comparison's scorecard for editing: every reviewer, and both tools'
    /// reviews, drafts included.
    AdminScorecard(SlugVars) -> AdminScorecardData = "query AdminScorecard($slug: String!) { me { email } \
        comparison(slug: $slug) { slug title publishedAt left { ...ScorecardTool } right { ...ScorecardTool } } \
        reviewers(first: 100) { edges { node { slug name lens } } } } \
        fragment ScorecardTool on Tool { slug name \
        reviews(includeDrafts: true) { verdict body publishedAt reviewedOn judgedVersion reviewer { slug } } }";

    /// Saves several reviews at once, all or none.
    UpsertReviews(UpsertReviewsVars) -> UpsertReviewsData = "mutation UpsertReviews($input: [ReviewInput!]!) { \
        upsertReviews(input: $input) { verdict } }";

    /// Deletes one review.
    DeleteReview(DeleteReviewVars) -> DeleteReviewData = "mutation DeleteReview($tool: String!, $reviewer: String!) { \
        deleteReview(tool: $tool, reviewer: $reviewer) }";

    /// Deletes a comparison (with readers' picks when `cascade`).
    DeleteComparison(CascadeVars) -> DeleteComparisonData =
        "mutation DeleteComparison($slug: String!, $cascade: Boolean!) { \
        deleteComparison(slug: $slug, cascadePicks: $cascade) }";

    /// The webhooks page: every endpoint with its latest deliveries and their attempts.
    AdminWebhooks(NoVars) -> AdminWebhooksData = "query AdminWebhooks { me { email } \
        webhookEventTypes \
        webhookEndpoints { id url events enabled disabledReason disabledAt consecutiveFailures createdAt \
        deliveries(first: 10) { totalCount nodes { id eventId eventType status occurredAt \
        nextAttemptAt deliveredAt payload \
        attempts { attemptedAt httpStatus error responseBody durationMs } } } } }";

    /// The outbox, newest first, with the subscriber counts.
    AdminOutbox(AfterVars) -> AdminOutboxData = "query AdminOutbox($after: String) { me { email } \
        subscriberCounts { pending confirmed unsubscribed } \
        outbox(first: 25, after: $after) { edges { node { \
        to kind subject body status attempts lastError createdAt sentAt } } \
        pageInfo { hasNextPage endCursor } } }";

    /// Deletes a reviewer without reviews.
    DeleteReviewer(SlugVars) -> DeleteReviewerData =
        "mutation DeleteReviewer($slug: String!) { deleteReviewer(slug: $slug) }";

    /// Deletes a tool (with readers' votes when `cascade`).
    DeleteTool(CascadeVars) -> DeleteToolData = "mutation DeleteTool($slug: String!, $cascade: Boolean!) { \
        deleteTool(slug: $slug, cascadeVotes: $cascade) }";

    /// Ends the session.
    SignOut(NoVars) -> SignOutData = "mutation SignOut { signOut }";
}

/// Variables of [`SignIn`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInVars {
    pub email: String,
    pub password: String,
}

/// An admin list's variables: the search text and where the page starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListVars {
    pub search: Option<String>,
    pub after: Option<String>,
}

/// Where a page starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfterVars {
    pub after: Option<String>,
}

/// A creation's variables: the new item's fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreateVars<I> {
    pub input: I,
}

/// An update's variables: the item's slug now, and its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpdateVars<I> {
    pub slug: String,
    pub input: I,
}

/// A deletion that may take readers' votes or picks with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CascadeVars {
    pub slug: String,
    pub cascade: bool,
}

/// Variables of [`UpsertReviews`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpsertReviewsVars {
    pub input: Vec<ReviewInput>,
}

/// Variables of [`DeleteToolRelease`]: the tool's slug and the release's version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteReleaseVars {
    pub tool: String,
    pub version: String,
}

/// The API's `ToolReleaseInput`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
pub struct ToolReleaseInput {
    pub tool: String,
    pub version: String,
    /// `YYYY-MM-DD`.
    pub released_on: String,
    pub note: Option<String>,
}

/// A fact as the tool editor sends it (`ToolFactInput`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolFactInput {
    pub label: String,
    /// `TEXT`, `NUMBER`, `BOOLEAN` or `LIST`.
    pub kind: String,
    /// As typed (a LIST's items separated by commas).
    pub value: Option<String>,
    pub unit: Option<String>,
}

/// Variables of [`SetToolFacts`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetToolFactsVars {
    pub slug: String,
    pub facts: Vec<ToolFactInput>,
}

/// A fact as the tool editor loads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditableFact {
    pub label: String,
    pub kind: String,
    /// As readers see it.
    pub value: String,
    /// A LIST's items.
    #[serde(default)]
    pub items: Option<Vec<String>>,
    pub unit: Option<String>,
}

/// A label a category suggests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestedFactLine {
    pub label: String,
    pub kind: String,
    pub unit: Option<String>,
}

/// A tool's category as its editor sees it: with the labels it suggests.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EditableToolCategory {
    pub slug: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub suggested_facts: Vec<SuggestedFactLine>,
}

/// A tool's slug and facts, after a change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolFacts {
    pub slug: String,
    pub facts: Vec<EditableFact>,
}

/// `data` of [`SetToolFacts`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetToolFactsData {
    pub set_tool_facts: ToolFacts,
}

/// A release as the tool editor lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseLine {
    pub version: String,
    /// `YYYY-MM-DD`.
    pub released_on: String,
    pub note: Option<String>,
}

/// `data` of [`RecordToolRelease`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecordToolReleaseData {
    pub record_tool_release: ReleaseLine,
}

/// `data` of [`DeleteToolRelease`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeleteToolReleaseData {
    pub delete_tool_release: bool,
}

/// A review due for a re-review, as the dashboard's queue lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DueReview {
    pub verdict: Verdict,
    /// `YYYY-MM-DD`.
    pub reviewed_on: String,
    pub judged_version: Option<String>,
    pub stale: Option<Staleness>,
    pub reviewer: ReviewerName,
    pub tool: ToolRef,
}

/// A reviewer's slug and name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewerName {
    pub slug: String,
    pub name: String,
}

/// Variables of [`DeleteReview`]: the tool's and the reviewer's slugs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeleteReviewVars {
    pub tool: String,
    pub reviewer: String,
}

/// The API's `ToolInput`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
pub struct ToolInput {
    pub slug: String,
    pub name: String,
    pub vendor: String,
    /// The category's slug.
    pub category: String,
    pub tagline: String,
    pub description: String,
    pub license: String,
    /// `FREE`, `FREEMIUM`, `PAID` or `CONTACT`.
    pub pricing_model: String,
    pub pricing_entry: String,
    pub website_url: Option<String>,
}

/// The API's `ReviewerInput`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewerInput {
    pub slug: String,
    pub name: String,
    /// `DEVELOPER_EXPERIENCE`, `COMPETITIVE_RISK`, `STRATEGIC_THESIS` or
    /// `BUSINESS_CASE`; none (an unchosen form) is refused with a field error.
    pub lens: Option<String>,
    pub bio: String,
}

/// The API's `ComparisonInput`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonInput {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// The left tool's slug.
    pub left: String,
    /// The right tool's slug.
    pub right: String,
    /// The editor's one-line verdict; null for none.
    #[serde(rename = "verdictLine", default)]
    pub verdict_line: Option<String>,
    /// Who wrote the verdict; null for none.
    #[serde(default)]
    pub byline: Option<String>,
}

/// The API's `ReviewInput`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    pub tool: String,
    pub reviewer: String,
    pub verdict: Verdict,
    pub body: String,
    /// Published now, or kept as a draft.
    pub published: bool,
    /// What it judged: absent keeps the stored one, empty clears it.
    #[serde(
        rename = "judgedVersion",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub judged_version: Option<String>,
    /// `YYYY-MM-DD`: absent lets the server date it (today for a new or
    /// changed verdict, else the stored day).
    #[serde(
        rename = "reviewedOn",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub reviewed_on: Option<String>,
}

/// Variables of [`ReleaseHeldVotes`] and [`RejectHeldVotes`]: the window and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecideVars {
    pub window: String,
    pub reason: String,
}

/// `data` of [`ReleaseHeldVotes`] and [`RejectHeldVotes`]: the window as decided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DecideHeldVotesData {
    pub decided: HeldWindowLine,
}

/// The windows the dashboard reviews.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardLedger {
    pub windows: Vec<HeldWindowLine>,
}

/// The signed-in editor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditorRef {
    pub email: String,
}

/// `data` of [`SignIn`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInData {
    pub sign_in: EditorRef,
}

/// `data` of [`SignOut`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignOutData {
    pub sign_out: bool,
}

/// `data` of [`Me`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeData {
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

/// Readers' votes on one tool in the last day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoteActivityLine {
    pub tool: ToolRef,
    pub ship: i64,
    pub skip: i64,
    pub withdrawn: i64,
    pub total: i64,
}

/// Newsletter subscribers by status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubscriberCounts {
    pub pending: i64,
    pub confirmed: i64,
    pub unsubscribed: i64,
}

/// `data` of [`AdminDashboard`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminDashboardData {
    pub me: Option<EditorRef>,
    pub catalogue_stats: Option<CatalogueStats>,
    pub draft_tools: Option<Counted<DraftTool>>,
    pub draft_comparisons: Option<Counted<DraftComparison>>,
    pub audit_entries: Option<Nodes<AuditLine>>,
    pub anomalies: Option<Nodes<AnomalyLine>>,
    pub recent_vote_activity: Option<Vec<VoteActivityLine>>,
    pub subscriber_counts: Option<SubscriberCounts>,
    #[serde(default)]
    pub integrity: Option<DashboardLedger>,
    /// The re-review queue, oldest first.
    #[serde(default)]
    pub reviews_due: Option<Vec<DueReview>>,
    #[serde(default)]
    pub webhook_endpoints: Option<Vec<WebhookNotice>>,
}

/// An endpoint as the dashboard's notice reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookNotice {
    pub id: String,
    pub url: String,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub disabled_at: Option<String>,
}

/// `data` of [`AdminWebhooks`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminWebhooksData {
    pub me: Option<EditorRef>,
    pub webhook_event_types: Option<Vec<String>>,
    pub webhook_endpoints: Option<Vec<WebhookEndpointLine>>,
}

/// An endpoint of the webhooks page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEndpointLine {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub disabled_at: Option<String>,
    pub consecutive_failures: i64,
    pub created_at: String,
    pub deliveries: Option<Counted<WebhookDeliveryLine>>,
}

/// One delivery of the webhooks page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDeliveryLine {
    pub id: String,
    pub event_id: String,
    pub event_type: Option<String>,
    pub status: String,
    pub occurred_at: String,
    pub next_attempt_at: Option<String>,
    pub delivered_at: Option<String>,
    pub payload: String,
    pub attempts: Vec<WebhookAttemptLine>,
}

/// One attempt of a delivery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAttemptLine {
    pub attempted_at: String,
    pub http_status: Option<i64>,
    pub error: Option<String>,
    pub response_body: Option<String>,
    pub duration_ms: i64,
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

/// `data` of [`AdminOutbox`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminOutboxData {
    pub me: Option<EditorRef>,
    pub subscriber_counts: Option<SubscriberCounts>,
    pub outbox: Option<Paged<OutboxLine>>,
}

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

/// `data` of [`AdminTools`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminToolsData {
    pub me: Option<EditorRef>,
    pub all_tools: Option<Paged<AdminToolRow>>,
}

/// A tool as the edit page loads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EditableTool {
    pub slug: String,
    pub name: String,
    pub vendor: String,
    pub tagline: String,
    pub description: String,
    pub license: String,
    pub website_url: Option<String>,
    pub published_at: Option<String>,
    pub category: EditableToolCategory,
    pub pricing: Pricing,
    /// Recorded releases, latest first.
    #[serde(default)]
    pub releases: Vec<ReleaseLine>,
    /// Its facts, in order.
    #[serde(default)]
    pub facts: Vec<EditableFact>,
    /// The published comparisons it is in (their scorecards edit its reviews).
    #[serde(rename = "comparedIn", default)]
    pub compared_in: Option<Nodes<ComparisonTitle>>,
}

/// A comparison's slug and title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonTitle {
    pub slug: String,
    pub title: String,
}

/// `data` of [`AdminTool`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminToolData {
    pub me: Option<EditorRef>,
    pub tool: Option<EditableTool>,
    pub all_categories: Nodes<CategoryRef>,
}

/// `data` of [`AdminNewTool`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminNewToolData {
    pub me: Option<EditorRef>,
    pub all_categories: Nodes<CategoryRef>,
}

/// A reviewer as the admin shows and edits them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditableReviewer {
    pub slug: String,
    pub name: String,
    pub lens: String,
    #[serde(default)]
    pub bio: String,
}

/// `data` of [`AdminReviewers`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminReviewersData {
    pub me: Option<EditorRef>,
    pub reviewers: Paged<EditableReviewer>,
}

/// `data` of [`AdminReviewer`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminReviewerData {
    pub me: Option<EditorRef>,
    pub reviewer: Option<EditableReviewer>,
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

/// `data` of [`AdminComparisons`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminComparisonsData {
    pub me: Option<EditorRef>,
    pub all_comparisons: Option<Paged<AdminComparisonRow>>,
}

/// A comparison as the edit form loads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EditableComparison {
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    #[serde(default)]
    pub verdict_line: Option<String>,
    #[serde(default)]
    pub byline: Option<String>,
    pub published_at: Option<String>,
    pub left: SlugOnly,
    pub right: SlugOnly,
}

/// A tool's name and whether it is published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NamePublished {
    pub name: String,
    pub published_at: Option<String>,
}

/// A comparison's two tools.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonPair {
    pub left: NamePublished,
    pub right: NamePublished,
}

/// `data` of [`ComparisonTools`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComparisonToolsData {
    pub comparison: Option<ComparisonPair>,
}

/// `data` of [`AdminComparison`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminComparisonData {
    pub me: Option<EditorRef>,
    pub comparison: Option<EditableComparison>,
    pub all_tools: Option<Paged<ToolRef>>,
}

/// `data` of [`AdminNewComparison`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminNewComparisonData {
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
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub reviewed_on: String,
    #[serde(default)]
    pub judged_version: Option<String>,
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

/// `data` of [`AdminScorecard`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminScorecardData {
    pub me: Option<EditorRef>,
    pub comparison: Option<ScorecardComparison>,
    pub reviewers: Paged<EditableReviewer>,
}

/// Only a review's verdict: what [`UpsertReviews`] answers per review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerdictOnly {
    pub verdict: Verdict,
}

/// `data` of [`UpsertReviews`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpsertReviewsData {
    pub upsert_reviews: Vec<VerdictOnly>,
}

macro_rules! answers {
    ($($(#[$meta:meta])* $data:ident { $field:ident: $type:ty } = $wire:literal;)*) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
            pub struct $data {
                #[serde(rename = $wire)]
                pub $field: $type,
            }
        )*
    };
}

answers! {
    /// `data` of [`CreateTool`]: the new tool's slug.
    CreateToolData { create_tool: SlugOnly } = "createTool";
    /// `data` of [`UpdateTool`]: the tool's slug now.
    UpdateToolData { update_tool: SlugOnly } = "updateTool";
    /// `data` of [`PublishTool`].
    PublishToolData { publish_tool: SlugOnly } = "publishTool";
    /// `data` of [`UnpublishTool`].
    UnpublishToolData { unpublish_tool: SlugOnly } = "unpublishTool";
    /// `data` of [`DeleteTool`]: whether it went.
    DeleteToolData { delete_tool: bool } = "deleteTool";
    /// `data` of [`CreateReviewer`]: the new reviewer's slug.
    CreateReviewerData { create_reviewer: SlugOnly } = "createReviewer";
    /// `data` of [`UpdateReviewer`]: the reviewer's slug now.
    UpdateReviewerData { update_reviewer: SlugOnly } = "updateReviewer";
    /// `data` of [`DeleteReviewer`]: whether they went.
    DeleteReviewerData { delete_reviewer: bool } = "deleteReviewer";
    /// `data` of [`CreateComparison`]: the new comparison's slug.
    CreateComparisonData { create_comparison: SlugOnly } = "createComparison";
    /// `data` of [`UpdateComparison`]: the comparison's slug now.
    UpdateComparisonData { update_comparison: SlugOnly } = "updateComparison";
    /// `data` of [`PublishComparison`].
    PublishComparisonData { publish_comparison: SlugOnly } = "publishComparison";
    /// `data` of [`UnpublishComparison`].
    UnpublishComparisonData { unpublish_comparison: SlugOnly } = "unpublishComparison";
    /// `data` of [`DeleteComparison`]: whether it went.
    DeleteComparisonData { delete_comparison: bool } = "deleteComparison";
    /// `data` of [`DeleteReview`]: whether it went.
    DeleteReviewData { delete_review: bool } = "deleteReview";
}
