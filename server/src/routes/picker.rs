//! `GET /compare/go?left=…&right=…`: the compare picker without JavaScript.
//! The typed names become slugs and the reader lands on the comparison
//! (which answers 404 with help when a name matches no tool).

use axum::{extract::Query, response::Redirect, routing::get, Router};
use serde::Deserialize;

use contract::slug::slugify;

use crate::state::AppState;

/// `/compare/go`.
pub fn router() -> Router<AppState> {
    Router::new().route("/compare/go", get(go))
}

#[derive(Deserialize)]
struct Pair {
    left: Option<String>,
    right: Option<String>,
}

async fn go(Query(pair): Query<Pair>) -> Redirect {
    let slug = |name: Option<String>| name.as_deref().and_then(slugify);
    match (slug(pair.left), slug(pair.right)) {
        (Some(a), Some(b)) if a == b => Redirect::to("/compare?problem=same"),
        (Some(a), Some(b)) => Redirect::to(&format!("/compare/{a}-vs-{b}")),
        _ => Redirect::to("/compare?problem=missing"),
    }
}
