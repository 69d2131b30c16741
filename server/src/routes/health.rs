//! `/healthz` (is the database reachable) and `/metrics` (Prometheus text).

use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get, Router};

use crate::state::AppState;

/// `/healthz` and `/metrics`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health))
        .route("/metrics", get(metrics))
}

async fn health(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(error) => {
            tracing::error!(%error, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

async fn metrics(State(state): State<AppState>) -> String {
    format!(
        "# HELP verdicts_sql_statements_total SQL statements executed by this process.\n\
         # TYPE verdicts_sql_statements_total counter\n\
         verdicts_sql_statements_total {}\n",
        state.statements.get()
    )
}
