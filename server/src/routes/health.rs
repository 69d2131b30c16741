//! `/healthz` (the process is up), `/readyz` (the database answers and its
//! migrations are current) and `/metrics` (Prometheus text).

use axum::{extract::State, http::StatusCode, response::IntoResponse, routing::get, Router};

use crate::state::AppState;

/// `/healthz`, `/readyz` and `/metrics`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(health))
        .route("/readyz", get(ready))
        .route("/metrics", get(metrics))
}

/// The process is up and serving: restart it only when this fails.
async fn health() -> &'static str {
    "ok"
}

/// Send traffic here only when the database answers and no migration is pending.
async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    use migration::{Migrator, MigratorTrait};
    let database = match state.db.ping().await {
        Ok(()) => "ok".to_owned(),
        Err(error) => {
            tracing::error!(%error, "readiness: the database does not answer");
            "unreachable".to_owned()
        }
    };
    let migrations = if database == "ok" {
        match Migrator::get_pending_migrations(&state.db).await {
            Ok(pending) if pending.is_empty() => "current".to_owned(),
            Ok(pending) => format!("{} pending", pending.len()),
            Err(error) => {
                tracing::error!(%error, "readiness: cannot read the migrations");
                "unknown".to_owned()
            }
        }
    } else {
        "unknown".to_owned()
    };
    let ready = database == "ok" && migrations == "current";
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body =
        serde_json::json!({ "ready": ready, "database": database, "migrations": migrations });
    (status, axum::Json(body))
}

async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let body = state
        .metrics
        .render(&state.db, state.statements.get(), &state.cache.counts);
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
}
