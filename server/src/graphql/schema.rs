//! Builds the schema and runs requests with their per-request data.

use std::sync::Arc;

use async_graphql::{
    extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery},
    parser::types::{ExecutableDocument, OperationType},
    ErrorExtensions, Request, Response, Schema, ServerError, ServerResult, Value, Variables,
};
use sea_orm::DatabaseConnection;

use crate::domain::editors;
use crate::domain::votes::VoteLimits;
use crate::error::AppError;
use crate::graphql::auth::{ResponseCookies, Viewer};
use crate::graphql::{
    loaders::Loaders, mutation::Mutation, query::Query, subscription::Subscription,
};
use crate::live::LiveScores;
use crate::voter::VoterSession;

/// The Verdicts schema.
pub type VerdictsSchema = Schema<Query, Mutation, Subscription>;

/// Marks a request that arrived over HTTP (or runs in-process for a page):
/// it has its loaders, voter and address.
pub struct OverHttp;

/// Keeps the WebSocket to subscriptions: queries and mutations need the
/// per-request data (loaders, voter cookie) that only HTTP requests carry.
struct SubscriptionsOnlyOverWebSocket;

impl ExtensionFactory for SubscriptionsOnlyOverWebSocket {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(SubscriptionsOnlyOverWebSocket)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for SubscriptionsOnlyOverWebSocket {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let only_subscriptions = document
            .operations
            .iter()
            .all(|(_, op)| op.node.ty == OperationType::Subscription);
        if ctx.data_opt::<OverHttp>().is_none() && !only_subscriptions {
            return Err(ServerError::new(
                "the WebSocket carries subscriptions only: send queries and mutations to POST /graphql",
                None,
            ));
        }
        Ok(document)
    }
}

/// Settings resolvers read.
#[derive(Debug, Clone, Copy)]
pub struct ApiSettings {
    /// Votes a tool needs before its community percentage shows.
    pub min_community_votes: u32,
    /// How often readers may vote and pick.
    pub vote_limits: VoteLimits,
    /// Mark cookies `Secure`.
    pub secure_cookies: bool,
}

/// The address of the client that sent the request, when known.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientAddress(pub Option<std::net::IpAddr>);

/// Deepest query accepted.
const MAX_DEPTH: usize = 16;
/// Largest computed query cost accepted.
const MAX_COMPLEXITY: usize = 20_000;

/// The schema with its shared data and limits.
pub fn build_schema(
    db: DatabaseConnection,
    settings: ApiSettings,
    live: LiveScores,
) -> VerdictsSchema {
    Schema::build(Query::default(), Mutation::default(), Subscription)
        .data(db)
        .data(settings)
        .data(live)
        .extension(SubscriptionsOnlyOverWebSocket)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .finish()
}

/// Who is calling, as the HTTP layer read it from the request.
#[derive(Default)]
pub struct Caller {
    /// The reader's voter identity (signed cookie).
    pub voter: Arc<VoterSession>,
    /// The client's address.
    pub address: ClientAddress,
    /// The session cookie's secret, if one came.
    pub session_secret: Option<String>,
    /// The `Authorization: Bearer` token, if one came.
    pub bearer: Option<String>,
    /// Whether the CSRF header came.
    pub csrf_header: bool,
    /// Cookies resolvers set (sign-in, sign-out), for the response.
    pub cookies: Arc<ResponseCookies>,
}

/// Resolves the caller's session or token to an editor. A token that is not
/// valid is an error; a stale session cookie just means "not signed in".
async fn viewer(db: &DatabaseConnection, caller: &Caller) -> Result<Viewer, AppError> {
    let mut viewer = Viewer {
        editor: None,
        session_secret: caller.session_secret.clone(),
        by_token: false,
        csrf_header: caller.csrf_header,
    };
    if let Some(token) = &caller.bearer {
        viewer.editor = Some(
            editors::editor_for_token(db, token)
                .await?
                .ok_or(AppError::Unauthenticated)?,
        );
        viewer.by_token = true;
    } else if let Some(secret) = &caller.session_secret {
        viewer.editor = editors::editor_for_session(db, secret).await?;
    }
    Ok(viewer)
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
    let loaders = Loaders::new(
        db.clone(),
        caller.voter.known().map(str::to_owned),
        viewer.editor.is_some(),
    );
    let request = request
        .data(loaders)
        .data(caller.voter)
        .data(caller.address)
        .data(caller.cookies)
        .data(viewer)
        .data(OverHttp);
    let mut response = schema.execute(request).await;
    for error in &mut response.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get("code").is_some());
        if has_code {
            continue;
        }
        // Errors without a code come from async-graphql itself: request-level
        // ones (parse, validation, variable coercion) are the client's; any in a
        // resolver path is ours and its text is not for the client.
        let code = if error.path.is_empty() {
            "VALIDATION"
        } else {
            tracing::error!(message = %error.message, "unexpected resolver error");
            error.message = "internal error".to_owned();
            "INTERNAL"
        };
        error
            .extensions
            .get_or_insert_with(Default::default)
            .set("code", Value::from(code));
    }
    response
}
