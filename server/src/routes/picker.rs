//! `GET /compare/go?left=…&right=…[&third=…][&fourth=…]`: the compare
//! picker without JavaScript. Each typed name is resolved to the tool it
//! stands for ("Whisper" is Whisper large-v3): when all are, the reader
//! lands on their comparison; otherwise on `/compare/<a>-vs-<b>…` as typed,
//! whose page (a 404) says which name matched nothing and suggests the
//! closest tools. The third and fourth boxes may be left empty.

use axum::{
    extract::{Query, State},
    response::{IntoResponse, Redirect, Response},
    routing::get,
    Router,
};
use futures::future::try_join_all;
use serde::Deserialize;

use contract::slug::slugify;

use crate::{domain::tool_names::match_tool, state::AppState};

/// `/compare/go`.
pub fn router() -> Router<AppState> {
    Router::new().route("/compare/go", get(go))
}

/// The picker's boxes, by their `name`s.
#[derive(Deserialize)]
struct Boxes {
    left: Option<String>,
    right: Option<String>,
    third: Option<String>,
    fourth: Option<String>,
}

async fn go(State(state): State<AppState>, Query(boxes): Query<Boxes>) -> Response {
    let typed = |name: &Option<String>| name.as_deref().and_then(slugify);
    if typed(&boxes.left).is_none() || typed(&boxes.right).is_none() {
        return Redirect::to("/compare?problem=missing").into_response();
    }
    // The optional boxes count when something was typed in them.
    let names: Vec<String> = [boxes.left, boxes.right, boxes.third, boxes.fourth]
        .into_iter()
        .flatten()
        .filter(|name| slugify(name).is_some())
        .collect();
    let resolve = |name: &String| {
        let db = state.db.clone();
        let name = name.clone();
        async move {
            let found = match_tool(&db, &name).await?;
            Ok::<_, crate::error::AppError>(found.tool.map(|tool| tool.slug))
        }
    };
    // A name longer than a search box allows is a 400 with the reason.
    let found = match try_join_all(names.iter().map(resolve)).await {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let resolved: Vec<&String> = found.iter().flatten().collect();
    if resolved
        .iter()
        .enumerate()
        .any(|(i, slug)| resolved[..i].contains(slug))
    {
        return Redirect::to("/compare?problem=same").into_response();
    }
    // The comparison page says which name matched nothing, and what is near.
    let path = found
        .into_iter()
        .zip(&names)
        .map(|(found, typed)| found.or_else(|| slugify(typed)).unwrap_or_default())
        .collect::<Vec<_>>()
        .join("-vs-");
    Redirect::to(&format!("/compare/{path}")).into_response()
}
