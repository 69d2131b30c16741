//! `/healthz` (the process is up), `/readyz` (the database answers and its
//! migrations are current) and `/metrics` (Prometheus text; behind a bearer
//! token when `--metrics-token` is set).

use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

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

/// Whether the request carries `Authorization: Bearer <token>`, compared in
/// constant time (over digests, so the length leaks nothing either).
fn bearer_matches(headers: &HeaderMap, token: &str) -> bool {
    let Some(sent) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    else {
        return false;
    };
    let sent = Sha256::digest(sent.trim().as_bytes());
    let expected = Sha256::digest(token.as_bytes());
    sent.ct_eq(&expected).into()
}

async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = state.config.metrics_token.as_deref() {
        if !bearer_matches(&headers, token) {
            return (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer")],
                "/metrics needs `Authorization: Bearer <the metrics token>`.",
            )
                .into_response();
        }
    }
    let body = state.metrics.render(
        &state.db,
        (state.statements.get(), state.statements.background()),
        &state.cache.counts,
        state.cache.weight(),
        &state.cache.changes.counts,
    );
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use super::bearer_matches;

    #[test]
    fn bearer_matches_only_the_exact_token() {
        let mut headers = HeaderMap::new();
        assert!(!bearer_matches(&headers, "s3cret"));
        for (sent, ok) in [
            ("Bearer s3cret", true),
            ("Bearer s3cre", false),
            ("Bearer s3cretx", false),
            ("Basic s3cret", false),
            ("s3cret", false),
        ] {
            headers.insert("authorization", HeaderValue::from_static(sent));
            assert_eq!(bearer_matches(&headers, "s3cret"), ok, "{sent}");
        }
    }
}
