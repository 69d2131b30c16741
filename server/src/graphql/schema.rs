//! Builds the schema and runs requests with their per-request data.

use std::sync::Arc;

use async_graphql::{
    extensions::{
        Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextRequest, NextValidation,
    },
    parser::types::{
        DocumentOperations, ExecutableDocument, OperationType, Selection, SelectionSet,
    },
    value, ErrorExtensions, Name, Request, Response, Schema, SchemaBuilder, ServerError,
    ServerResult, ValidationResult, Value, Variables,
};
use contract::Code;
use sea_orm::DatabaseConnection;

use crate::budget::BudgetTicket;
use crate::caller::Caller;
use crate::changes::{Changes, Reads};
use crate::domain::editors;
use crate::domain::votes::{VoteLimits, VoteWriter};
use crate::error::{extensions_with, AppError};
use crate::graphql::auth::Viewer;
use crate::graphql::depth::{self, Depths};
use crate::graphql::{
    loaders::Loaders, mutation::Mutation, query::Query, subscription::Subscription,
};
use crate::live::LiveScores;

/// The Verdicts schema.
pub type VerdictsSchema = Schema<Query, Mutation, Subscription>;

/// Whether the request came from this site's own pages, or from no browser
/// at all (`Caller::from_this_site`): readers' votes from another site's
/// page are refused.
#[derive(Debug, Clone, Copy)]
pub struct FromThisSite(pub bool);

/// Settings resolvers read.
#[derive(Debug, Clone, Copy)]
pub struct ApiSettings {
    /// Votes a tool needs before its community percentage shows.
    pub min_community_votes: u32,
    /// How often readers may vote and pick.
    pub vote_limits: VoteLimits,
    /// Mark cookies `Secure`.
    pub secure_cookies: bool,
    /// "Did you mean …?" in error messages.
    pub field_suggestions: bool,
    /// Longest a request may run.
    pub request_timeout: std::time::Duration,
    /// Votes per hour a partner app may cast unless its token sets a quota.
    pub partner_vote_quota: u32,
    /// The counting rule readers' votes follow.
    pub counting: crate::domain::integrity::Rules,
    /// Days after which a review is due for a re-review (0: never by age).
    pub review_stale_days: u32,
    /// Webhook endpoints may be on loopback and private addresses.
    pub webhooks_allow_private: bool,
}

/// Most aliases one document may use: aliases are how one request asks for
/// the same expensive field many times over.
pub const MAX_ALIASES: usize = 30;

/// Deepest query accepted.
pub const MAX_DEPTH: usize = 12;
/// Largest computed query cost accepted: each field costs 1, and a list's
/// fields count once per item it may return (`first`, or an estimate).
pub const MAX_COST: usize = 10_000;

/// Rejects queries deeper or costlier than the limits before they run, with
/// the limit and the query's value in the message, and reports the cost of
/// every query in `extensions.cost`.
struct QueryCost;

impl ExtensionFactory for QueryCost {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(QueryCostExtension::default())
    }
}

#[derive(Default)]
struct QueryCostExtension {
    /// The document's depths, measured when it is parsed.
    depths: std::sync::Mutex<Option<Depths>>,
    /// The cost and depth reported in `extensions.cost`.
    measured: std::sync::Mutex<Option<(usize, usize)>>,
}

fn over_limit(what: &str, value: usize, limit: usize) -> ServerError {
    let mut error = ServerError::new(
        format!("the query's {what} is {value}, over the limit of {limit}: ask for fewer fields or smaller pages"),
        None,
    );
    let mut extensions = extensions_with(Code::Validation);
    extensions.set("limit", limit as u64);
    extensions.set("value", value as u64);
    error.extensions = Some(extensions);
    error
}

/// The refusal for a client that spent its budget for this window.
pub fn over_budget(per_window: u32, wait: u64) -> ServerError {
    let mut error = ServerError::new(
        format!(
            "this client spent its query budget of {per_window} cost points per {} s; retry in {wait} s",
            crate::budget::WINDOW_SECS
        ),
        None,
    );
    let mut extensions = extensions_with(Code::RateLimited);
    extensions.set("retryAfter", wait);
    extensions.set("limit", per_window);
    error.extensions = Some(extensions);
    error
}

/// The cost of what an answer holds, counted as the estimate counts what it
/// may hold: 1 per field, a list field 1 per item it returned (at least 1),
/// and the fields of every item. A full page costs its estimate; a page of
/// 100 that held 10 costs about a tenth.
pub(crate) fn returned_cost(data: &async_graphql::Value) -> usize {
    match data {
        async_graphql::Value::Object(fields) => fields
            .values()
            .map(|value| match value {
                async_graphql::Value::List(items) => items.len().max(1) + returned_cost(value),
                _ => 1 + returned_cost(value),
            })
            .sum(),
        async_graphql::Value::List(items) => items.iter().map(returned_cost).sum(),
        _ => 0,
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for QueryCostExtension {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let response = next.run(ctx).await;
        let measured = self.measured.lock().ok().and_then(|mut m| m.take());
        match measured {
            Some((cost, depth)) => {
                // What was returned, counted as the estimate counts what may
                // be: the client pays this, the estimate being the ceiling.
                let actual = returned_cost(&response.data).clamp(1, cost.max(1));
                response.extension(
                    "cost",
                    value!({
                        "requestedQueryCost": cost,
                        "actualQueryCost": actual,
                        "maximumAvailable": MAX_COST,
                        "depth": depth,
                        "maximumDepth": MAX_DEPTH,
                    }),
                )
            }
            None => response,
        }
    }

    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        if let Ok(mut slot) = self.depths.lock() {
            *slot = Some(depth::measure(&document));
        }
        Ok(document)
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        let measured = next.run(ctx).await?;
        // Introspection has its own bounds (see `depth`): the standard
        // introspection queries of GraphQL tools are deeper than any data
        // query needs to be, but cheap and bounded in size.
        let depths = self.depths.lock().ok().and_then(|d| *d).unwrap_or(Depths {
            data: measured.depth,
            ..Depths::default()
        });
        if depths.data > MAX_DEPTH {
            return Err(vec![over_limit("depth", depths.data, MAX_DEPTH)]);
        }
        if depths.introspection > depth::MAX_INTROSPECTION_DEPTH {
            return Err(vec![over_limit(
                "introspection depth",
                depths.introspection,
                depth::MAX_INTROSPECTION_DEPTH,
            )]);
        }
        if depths.introspection_lists > depth::MAX_INTROSPECTION_LISTS {
            return Err(vec![over_limit(
                "nesting of introspection lists",
                depths.introspection_lists,
                depth::MAX_INTROSPECTION_LISTS,
            )]);
        }
        if measured.complexity > MAX_COST {
            return Err(vec![over_limit("cost", measured.complexity, MAX_COST)]);
        }
        // The client pays before anything runs, so concurrent requests
        // cannot all pass a check made before any of them was counted.
        if let Some(ticket) = ctx.data_opt::<Arc<BudgetTicket>>() {
            let cost = i64::try_from(measured.complexity).unwrap_or(i64::MAX);
            if let Err(wait) = ticket.charge(cost).await {
                return Err(vec![over_budget(ticket.per_window(), wait)]);
            }
        }
        if let Ok(mut slot) = self.measured.lock() {
            *slot = Some((measured.complexity, depths.data));
        }
        Ok(measured)
    }
}

/// The schema's types, without data or extensions.
fn types() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query::default(), Mutation::default(), Subscription)
}

/// The schema in SDL, the text of the committed `schema.graphql`: it needs
/// no database, and nothing starts.
pub fn sdl() -> String {
    types().finish().sdl()
}

/// The schema with its shared data and limits. It starts nothing: the vote
/// writer's and the live scores' tasks are started with the server's others
/// (`startup`); mutations apply their changes to `changes` on the way out.
pub fn build_schema(
    db: DatabaseConnection,
    settings: ApiSettings,
    (live, changes): (LiveScores, Arc<Changes>),
    (votes, voter_key): (VoteWriter, crate::voter::VoterKey),
    (mailing, outbox): (
        crate::domain::newsletter::Mailing,
        crate::mailer::OutboxSignal,
    ),
) -> VerdictsSchema {
    let builder = types()
        .data(changes)
        .data(votes)
        .data(voter_key)
        .data(db)
        .data(settings)
        .data(live)
        .data(Arc::new(mailing))
        .data(outbox)
        // The only extension: with any, every field of every query goes
        // through the extensions' resolve hooks (a boxed future per field
        // and extension); the WebSocket's own executor keeps it to
        // subscriptions (`routes::graphql::ws`).
        .extension(QueryCost);
    if settings.field_suggestions {
        builder.finish()
    } else {
        builder.disable_suggestions().finish()
    }
}

/// Resolves the caller's session or token to an editor. A token that is not
/// valid is an error; a stale session cookie just means "not signed in".
async fn viewer(db: &DatabaseConnection, caller: &Caller) -> Result<Viewer, AppError> {
    let mut viewer = Viewer {
        editor: None,
        session_secret: caller.session_secret.clone(),
        by_token: false,
        token: None,
        csrf_header: caller.csrf_header,
    };
    if let Some(token) = &caller.bearer {
        let (editor, token) = editors::editor_for_token(db, token)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        viewer.editor = editor;
        viewer.token = Some(token);
        viewer.by_token = true;
    } else if let Some(secret) = &caller.session_secret {
        viewer.editor = editors::editor_for_session(db, secret).await?;
    }
    Ok(viewer)
}

/// Parsed documents by their text, like a database's prepared statements:
/// clients (and every page of the site) send the same few documents over
/// and over, and parsing one took more CPU than cloning it. Bounded in
/// size; a document that does not parse is not kept (async-graphql parses
/// it again and reports the error).
mod parsed {
    use std::sync::{Arc, LazyLock};

    use async_graphql::parser::types::ExecutableDocument;

    use crate::graphql::depth;

    /// What the kept documents may take. A parsed document takes far more
    /// than its text (a node of a few hundred bytes for a two-byte field
    /// name), so each is weighed as 64 times its text.
    const BUDGET_BYTES: u64 = 8 * 1024 * 1024;
    /// Longer documents are parsed each time: they are rare and would
    /// crowd out the common ones.
    pub(super) const LONGEST: usize = 8 * 1024;

    /// What a kept document counts for against [`BUDGET_BYTES`].
    pub(super) fn weight(text: &str) -> u32 {
        u32::try_from(64 * text.len() + 1024).unwrap_or(u32::MAX)
    }

    static DOCUMENTS: LazyLock<moka::sync::Cache<Arc<str>, Arc<ExecutableDocument>>> =
        LazyLock::new(|| {
            moka::sync::Cache::builder()
                .max_capacity(BUDGET_BYTES)
                .weigher(|text: &Arc<str>, _| weight(text))
                .build()
        });

    /// What `read` says of the kept document of `text`, if there is one,
    /// without copying it.
    pub(super) fn reading<R>(text: &str, read: impl FnOnce(&ExecutableDocument) -> R) -> Option<R> {
        DOCUMENTS.get(text).map(|kept| read(&kept))
    }

    /// The kept document of `text`, if there is one.
    pub(super) fn kept(text: &str) -> Option<ExecutableDocument> {
        DOCUMENTS
            .get(text)
            .map(|kept| ExecutableDocument::clone(&kept))
    }

    /// Keeps `document`, the parse of `text`, once it passed the document
    /// limits: the caller keeps only what passed the alias and size limits,
    /// and the depths are checked here (the validation that refuses a
    /// document too deep runs later). A refused document is not kept;
    /// async-graphql reports a document that does not parse, which never
    /// reaches here. Whether it was kept.
    pub(super) fn keep(text: &str, document: &ExecutableDocument) -> bool {
        if text.len() > LONGEST {
            return false;
        }
        let depths = depth::measure(document);
        if depths.data > super::MAX_DEPTH
            || depths.introspection > depth::MAX_INTROSPECTION_DEPTH
            || depths.introspection_lists > depth::MAX_INTROSPECTION_LISTS
        {
            return false;
        }
        DOCUMENTS.insert(Arc::from(text), Arc::new(document.clone()));
        true
    }
}

/// Whether the operation `name` (else the first) of the document `text`
/// is a query, if the document's parse is kept: telling a query from a
/// mutation then costs no parse (see `routes::graphql::protocol`). `None`
/// when the document was never kept.
pub fn kept_operation_is_query(text: &str, name: Option<&str>) -> Option<bool> {
    parsed::reading(text, |document| operation_is_query(document, name))
}

/// Whether the operation `name` (else the first) of `document` is a query;
/// a name the document does not hold counts as one (execution refuses it).
pub fn operation_is_query(document: &ExecutableDocument, name: Option<&str>) -> bool {
    let chosen = match name {
        Some(name) => document
            .operations
            .iter()
            .find(|(n, _)| n.map(|n| n.as_str()) == Some(name)),
        None => document.operations.iter().next(),
    };
    chosen.is_none_or(|(_, operation)| operation.node.ty == OperationType::Query)
}

/// The request time limit the schema was built with.
fn ctx_timeout(schema: &VerdictsSchema) -> std::time::Duration {
    schema
        .data::<ApiSettings>()
        .map(|s| s.request_timeout)
        .unwrap_or(std::time::Duration::from_secs(10))
}

/// Refuses a document with more aliases than [`MAX_ALIASES`], or more
/// selections than [`depth::MAX_EXPANDED`] once its fragments are spread,
/// before it is validated or run.
pub(crate) fn over_document_limits(request: &mut Request) -> Option<ServerError> {
    let document = request.parsed_query().ok()?;
    let mut aliases = 0;
    let mut pending: Vec<&SelectionSet> = document
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .chain(
            document
                .fragments
                .values()
                .map(|f| &f.node.selection_set.node),
        )
        .collect();
    while let Some(set) = pending.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    aliases += usize::from(field.node.alias.is_some());
                    pending.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(inline) => pending.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    if aliases > MAX_ALIASES {
        return Some(over_limit("number of aliases", aliases, MAX_ALIASES));
    }
    // Before async-graphql sees the document: its recursion check and
    // validation walk fragments spread in place, exponentially for a
    // "fragment bomb".
    let expanded = depth::expanded_size(document);
    (expanded > depth::MAX_EXPANDED).then(|| {
        over_limit(
            "number of selections with its fragments spread",
            expanded,
            depth::MAX_EXPANDED,
        )
    })
}

/// Drops the operations a document holds besides the one `operationName`
/// chose, and the fragments only they used: validation (and so the query's
/// cost) then looks at what runs, not at its siblings and their variables.
fn keep_only_the_chosen_operation(request: &mut Request) {
    let Some(name) = request.operation_name.clone() else {
        return;
    };
    let Ok(document) = request.parsed_query() else {
        return;
    };
    let DocumentOperations::Multiple(operations) = &document.operations else {
        return;
    };
    let Some(chosen) = operations.get(name.as_str()) else {
        return;
    };
    let mut used = std::collections::HashSet::new();
    let mut pending = vec![&chosen.node.selection_set.node];
    while let Some(set) = pending.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => pending.push(&field.node.selection_set.node),
                Selection::InlineFragment(inline) => pending.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    let fragment = &spread.node.fragment_name.node;
                    if used.insert(fragment.clone()) {
                        if let Some(definition) = document.fragments.get(fragment) {
                            pending.push(&definition.node.selection_set.node);
                        }
                    }
                }
            }
        }
    }
    let pruned = ExecutableDocument {
        operations: DocumentOperations::Multiple(
            [(Name::new(&name), chosen.clone())].into_iter().collect(),
        ),
        fragments: document
            .fragments
            .iter()
            .filter(|(fragment, _)| used.contains(*fragment))
            .map(|(fragment, definition)| (fragment.clone(), definition.clone()))
            .collect(),
    };
    request.set_parsed_query(pruned);
}

/// Runs one request with fresh loaders and the caller's identity; the one
/// execution path of HTTP, the no-JavaScript forms and server-side rendering.
pub async fn execute(
    schema: &VerdictsSchema,
    db: &DatabaseConnection,
    request: Request,
    caller: Caller,
) -> Response {
    let viewer = match viewer(db, &caller).await {
        Ok(viewer) => viewer,
        Err(error) => {
            let error = error.extend();
            return Response::from_errors(vec![ServerError {
                message: error.message,
                source: None,
                locations: Vec::new(),
                path: Vec::new(),
                extensions: error.extensions,
            }]);
        }
    };
    let mut request = request;
    // What the request reads: the cache's (or the page's) when it keeps the
    // answer, else one that records nothing.
    let reads = request
        .data
        .get(&std::any::TypeId::of::<Arc<Reads>>())
        .and_then(|data| data.downcast_ref::<Arc<Reads>>())
        .cloned()
        .unwrap_or_else(Reads::ignored);
    let loaders = Loaders::new(
        db.clone(),
        caller.voter.clone(),
        viewer.editor.is_some(),
        reads.clone(),
    );
    let kept = parsed::kept(&request.query);
    let was_kept = kept.is_some();
    if let Some(document) = kept {
        request.set_parsed_query(document);
    }
    if let Some(refusal) = over_document_limits(&mut request) {
        return Response::from_errors(vec![refusal]);
    }
    if !was_kept {
        let text = request.query.clone();
        if let Ok(document) = request.parsed_query() {
            parsed::keep(&text, document);
        }
    }
    keep_only_the_chosen_operation(&mut request);
    let operation = request.operation_name.clone();
    let writes = match request.parsed_query() {
        Ok(document) => record_what_cannot_say(document, operation.as_deref(), &reads),
        Err(_) => false,
    };
    let timeout = ctx_timeout(schema);
    let request = request
        .data(loaders)
        .data(reads)
        .data(FromThisSite(caller.from_this_site))
        .data(caller.voter)
        .data(caller.address)
        .data(caller.cookies)
        .data(viewer);
    let executed = match schema.data::<Arc<Changes>>().filter(|_| writes) {
        Some(changes) => {
            let mutating = changes.mutating();
            let executed =
                tokio::time::timeout(timeout, crate::changes::announced(schema.execute(request)))
                    .await;
            // Before the writer hears back: this instance's cache no longer
            // serves what the write changed, and the others are told to look.
            changes.after_write().await;
            mutating.done();
            executed
        }
        None => tokio::time::timeout(timeout, schema.execute(request)).await,
    };
    let mut response = match executed {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(?timeout, "a GraphQL request ran out of time");
            let mut error = ServerError::new(
                format!(
                    "the request ran longer than {} ms and was stopped: ask for less",
                    timeout.as_millis()
                ),
                None,
            );
            error.extensions = Some(extensions_with(Code::Timeout));
            return Response::from_errors(vec![error]);
        }
    };
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        // Errors without a code come from async-graphql itself: request-level
        // ones (parse, validation, variable coercion) are the client's, and so
        // are arguments it could not coerce; any other in a resolver path is
        // ours and its text is not for the client.
        let code = if error.path.is_empty() || is_argument_coercion(&error.message) {
            Code::Validation
        } else {
            tracing::error!(message = %error.message, "unexpected resolver error");
            error.message = "internal error".to_owned();
            Code::Internal
        };
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", Value::from(code.as_str()));
    }
    response
}

/// The root fields whose resolvers (and everything under them) record what
/// they read: any other makes the answer count as reading everything.
/// `integrity` reads the counting rule (settings) and records any community
/// score for its windows and decisions: every decision changes votes.
const RECORDING_ROOT_FIELDS: [&str; 17] = [
    "tool",
    "tools",
    "reviewer",
    "reviewers",
    "category",
    "categories",
    "allCategories",
    "comparison",
    "comparisons",
    "compare",
    "node",
    "nodes",
    "integrity",
    "heldVoteWindow",
    "__typename",
    "__schema",
    "__type",
];

/// Marks `reads` as everything when the operation that runs asks for a
/// root field that cannot say what it read; whether it may write (a
/// mutation, or an operation that cannot be told).
fn record_what_cannot_say(
    document: &ExecutableDocument,
    operation: Option<&str>,
    reads: &Reads,
) -> bool {
    let chosen = match (&document.operations, operation) {
        (DocumentOperations::Single(op), _) => Some(&op.node),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| &op.node),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => {
            ops.values().next().map(|op| &op.node)
        }
        _ => None,
    };
    let Some(chosen) = chosen else {
        // async-graphql refuses a document whose operation it cannot pick:
        // nothing runs, so nothing is written (counting it as a write let
        // anyone make every instance read the change log at will).
        reads.everything();
        return false;
    };
    if chosen.ty != OperationType::Query {
        reads.everything();
        return chosen.ty == OperationType::Mutation;
    }
    let mut pending = vec![&chosen.selection_set.node];
    while let Some(set) = pending.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    if !RECORDING_ROOT_FIELDS.contains(&field.node.name.node.as_str()) {
                        reads.everything();
                        return false;
                    }
                }
                Selection::InlineFragment(inline) => pending.push(&inline.node.selection_set.node),
                Selection::FragmentSpread(spread) => {
                    match document.fragments.get(&spread.node.fragment_name.node) {
                        Some(fragment) => pending.push(&fragment.node.selection_set.node),
                        None => {
                            reads.everything();
                            return false;
                        }
                    }
                }
            }
        }
    }
    false
}

/// Whether async-graphql refused an argument's value. Validation only checks
/// that an `Int` literal is an integer, so `days: 38288127090` passes it and
/// fails when the field reads its arguments: the error then carries the
/// field's path like a resolver's, but the client is at fault. These are
/// async-graphql's own words for it (`InputValueError`); the hostile suite
/// tries every integer argument, so a change of wording fails a test.
fn is_argument_coercion(message: &str) -> bool {
    message.starts_with("Failed to parse \"") || message.starts_with("Expected input type \"")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A schema on a connection to nothing.
    fn schema_without_a_database() -> VerdictsSchema {
        let db = DatabaseConnection::default();
        let limits = VoteLimits {
            per_voter: 1,
            per_address: 1,
            window_secs: 1,
        };
        let (live, _tasks) = LiveScores::new(&db);
        let rules = crate::domain::votes::CountingRules {
            network_quota: 10,
            window_secs: 3600,
        };
        let (votes, _writer) = VoteWriter::new(db.clone(), limits, rules, Default::default());
        let changes = Arc::new(Changes::new(db.clone(), Default::default()));
        build_schema(
            db,
            ApiSettings {
                min_community_votes: 10,
                vote_limits: limits,
                secure_cookies: false,
                field_suggestions: false,
                request_timeout: std::time::Duration::from_secs(10),
                partner_vote_quota: 10,
                counting: crate::domain::integrity::Rules {
                    network_quota: 10,
                    window_secs: 3600,
                    expire_days: 14,
                },
                review_stale_days: 365,
                webhooks_allow_private: false,
            },
            (live, changes),
            (
                votes,
                crate::voter::VoterKey::new(b"a key for the schema test"),
            ),
            (
                crate::domain::newsletter::Mailing::new("http://127.0.0.1", 1),
                Default::default(),
            ),
        )
    }

    /// No runtime runs this test, so a `tokio::spawn` would panic; and the
    /// connection is not connected to anything.
    #[test]
    fn building_the_schema_needs_no_database_and_starts_nothing() {
        let schema = schema_without_a_database();
        assert_eq!(schema.sdl(), sdl());
        assert!(sdl().contains("type Query"), "{}", sdl());
    }

    #[test]
    fn a_document_whose_operation_cannot_be_picked_is_no_write() {
        let document = async_graphql::parser::parse_query(
            "query Read { __typename } mutation Write { castVote(tool: \"x\", verdict: SHIP) { total } }",
        )
        .expect("a document");
        for junk in [Some("Nope"), None] {
            let reads = Reads::default();
            assert!(
                !record_what_cannot_say(&document, junk, &reads),
                "nothing runs for {junk:?}, so nothing is written"
            );
            assert!(reads.set().is_none(), "and nothing is kept as fresh");
        }
        let reads = Reads::default();
        assert!(record_what_cannot_say(&document, Some("Write"), &reads));
    }

    #[test]
    fn parsed_documents_are_weighed_as_64_times_their_text() {
        for text in [
            "{ __typename }",
            &"{ tools(first: 1) { nodes { slug } } }".repeat(50),
        ] {
            assert!(parsed::weight(text) as usize >= 64 * text.len(), "{text}");
        }
    }

    #[test]
    fn documents_longer_than_8_kib_are_parsed_each_time() {
        let head = "{ __typename } #";
        let at_most = format!("{head}{}", "k".repeat(8 * 1024 - head.len()));
        let longer = format!("{head}{}", "l".repeat(8 * 1024 + 1 - head.len()));
        for (text, kept) in [(at_most, true), (longer, false)] {
            let document = async_graphql::parser::parse_query(&text).expect("a document");
            parsed::keep(&text, &document);
            assert_eq!(parsed::kept(&text).is_some(), kept, "{} bytes", text.len());
        }
    }

    #[tokio::test]
    async fn only_documents_within_the_limits_are_kept() {
        let schema = schema_without_a_database();
        let db = DatabaseConnection::default();
        let aliases: String = (0..=MAX_ALIASES)
            .map(|i| format!("a{i}: __typename "))
            .collect();
        let too_many_aliases = format!("{{ {aliases} }} # kept test");
        let too_deep = format!(
            "{{ {}__typename{} }} # kept test",
            "tools { nodes { ".repeat(MAX_DEPTH / 2 + 1),
            " } }".repeat(MAX_DEPTH / 2 + 1)
        );
        let fine = "{ __typename } # kept test".to_owned();
        for (text, kept) in [(too_many_aliases, false), (too_deep, false), (fine, true)] {
            let response =
                execute(&schema, &db, Request::new(text.as_str()), Caller::default()).await;
            assert_eq!(
                response.errors.is_empty(),
                kept,
                "{text}: {:?}",
                response.errors
            );
            assert_eq!(parsed::kept(&text).is_some(), kept, "{text}");
        }
    }
}
