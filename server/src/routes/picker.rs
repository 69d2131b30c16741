//! `GET /compare/go?left=…&right=…`: the compare picker without JavaScript.
//! Each typed name is resolved to the tool it stands for ("Whisper" is
//! Whisper large-v3): when both are, the reader lands on their comparison;
//! otherwise on `/compare/<a>-vs-<b>` as typed, whose page (a 404) says
//! which name matched nothing and suggests the closest tools.

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use serde::Deserialize;

use contract::slug::slugify;

use crate::{domain::tool_names::match_tool, state::AppState};

/// `/compare/go`.
pub fn router() -> Router<AppState> {
    Router::new().route("/compare/go", get(go))
}

#[derive(Deserialize)]
struct Pair {
    left: Option<String>,
    right: Option<String>,
}

async fn go(State(state): State<AppState>, Query(pair): Query<Pair>) -> Response {
    let typed = |name: &Option<String>| name.as_deref().and_then(slugify);
    let (Some(left_typed), Some(right_typed)) = (typed(&pair.left), typed(&pair.right)) else {
        return Redirect::to("/compare?problem=missing").into_response();
    };
    let resolve = |name: Option<String>| {
        let db = state.db.clone();
        async move {
            match match_tool(&db, name.as_deref().unwrap_or_default()).await {
                Ok(found) => Ok(found.tool.map(|tool| tool.slug)),
                Err(error) => Err(error),
            }
        }
    };
    // A name longer than a search box allows is a 400 with the reason.
    let (left, right) = match tokio::try_join!(resolve(pair.left), resolve(pair.right)) {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    match (left, right) {
        (Some(a), Some(b)) if a == b => Redirect::to("/compare?problem=same").into_response(),
        (Some(a), Some(b)) => Redirect::to(&format!("/compare/{a}-vs-{b}")).into_response(),
        // The comparison page says which name matched nothing, and what is near.
        (left, right) => {
            let a = left.unwrap_or(left_typed);
            let b = right.unwrap_or(right_typed);
            Redirect::to(&format!("/compare/{a}-vs-{b}")).into_response()
        }
    }
}
