//! `AppState`: what every handler shares.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::{
    config::Config, db::StatementCounter, graphql::VerdictsSchema, live::LiveScores,
    voter::VoterKey,
};

/// Shared by every request handler: a handle, cloned by every extractor and
/// layer of every request (one reference count, not a copy of each field).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl AppState {
    /// The handle to `shared`.
    pub fn new(shared: Shared) -> Self {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Leptos' routes read the site's options from the state.
impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// What every request handler shares (through [`AppState`]).
pub struct Shared {
    /// The connection pool.
    pub db: DatabaseConnection,
    /// The GraphQL schema, used over HTTP and in-process during rendering.
    pub schema: VerdictsSchema,
    /// Where the built site lives, for Leptos.
    pub leptos_options: LeptosOptions,
    /// Signs voter cookies.
    pub voter_key: VoterKey,
    /// SQL statements executed, for `/metrics`.
    pub statements: StatementCounter,
    /// Announces score changes to subscribers on every instance.
    pub live: LiveScores,
    /// The settings this server started with.
    pub config: Arc<Config>,
    /// Query texts clients may send by hash (automatic persisted queries).
    pub persisted_queries: crate::routes::persisted::PersistedQueries,
    /// Each API client's query cost budget.
    pub budget: Arc<crate::budget::ApiBudget>,
    /// Request counts and latencies, for `/metrics`.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// Wakes the mail sender when a form wrote to the outbox.
    pub outbox: crate::mailer::OutboxSignal,
    /// Kept answers for anonymous readers and API clients.
    pub cache: Arc<crate::cache::ResponseCache>,
    /// The right to compute a page or a query (see [`Shared::render`]).
    pub renders: Arc<tokio::sync::Semaphore>,
}

impl Shared {
    /// Waits for the right to compute a page or a query, held until the
    /// answer is made. Requests that compute at once hold their memory
    /// (rows, the GraphQL answer, the HTML) while they wait for a database
    /// connection or for the CPU; past the pool's size they only make the
    /// peak larger and every answer later. Cache hits and mutations (which
    /// are written in batches) never wait for it.
    pub async fn render(&self) -> Option<tokio::sync::SemaphorePermit<'_>> {
        // The semaphore is never closed.
        self.renders.acquire().await.ok()
    }
}
