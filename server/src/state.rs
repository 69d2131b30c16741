//! `AppState`: what every handler shares.

use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::{
    config::Config, db::StatementCounter, graphql::VerdictsSchema, live::LiveScores,
    voter::VoterKey,
};

/// Shared by every request handler; cheap to clone.
#[derive(Clone, FromRef)]
pub struct AppState {
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
}
