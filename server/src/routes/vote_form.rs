//! `POST /vote` and `POST /pick`: the vote and pick buttons without
//! JavaScript. They run the same operations as the hydrated buttons, then
//! send the reader back (303). The pressed vote button posts `WITHDRAW`,
//! which takes the reader's vote back. Posts from other sites are refused (403)
//! before anything is read or written ([`FromThisSite`]).

use axum::{
    extract::{rejection::FormRejection, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::post,
    Form, Router,
};
use contract::operations::{
    CastVote, CastVoteVars, Pick, PickBetween, PickBetweenVars, PickVars, ToolVars, Verdict,
    WithdrawVote,
};
use contract::Operation;
use serde::Deserialize;

use crate::{
    caller::FromThisSite,
    error::{code_of, http_status},
    graphql,
    graphql::Caller,
    state::AppState,
};

/// `/vote` and `/pick`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/vote", post(vote))
        .route("/pick", post(pick))
}

/// What a pick button posts: the tool, and the curated comparison or the
/// pair's two tools (`left`, `right`) on an ad hoc pair's page.
#[derive(Deserialize)]
struct PickForm {
    comparison: Option<String>,
    left: Option<String>,
    right: Option<String>,
    tool: String,
    return_to: Option<String>,
}

#[derive(Deserialize)]
struct VoteForm {
    tool: String,
    verdict: FormVerdict,
    return_to: Option<String>,
}

/// What a vote button posts: a verdict, or `WITHDRAW` from the button
/// already pressed (so that a form sent twice cannot flip a vote on and off).
#[derive(Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
enum FormVerdict {
    Ship,
    Skip,
    Withdraw,
}

/// Only plain paths on this site (`/compare/a-vs-b#tool-a`): never
/// `//elsewhere`, a full URL, or anything a browser might rewrite into one.
fn safe_return(path: Option<&str>, tool: &str) -> String {
    let plain = |p: &str| {
        p.starts_with('/')
            && !p.starts_with("//")
            && p.len() <= 300
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/-_#".contains(&b))
    };
    match path {
        Some(p) if plain(p) => p.to_owned(),
        _ if crate::domain::slug::is_slug(tool) => format!("/tools/{tool}"),
        _ => "/".to_owned(),
    }
}

async fn vote(
    State(state): State<AppState>,
    _: FromThisSite,
    caller: Caller,
    form: Result<Form<VoteForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return (
            StatusCode::BAD_REQUEST,
            "The vote form needs a tool and a verdict.",
        )
            .into_response();
    };
    let back = safe_return(form.return_to.as_deref(), &form.tool);
    let verdict = match form.verdict {
        FormVerdict::Ship => Verdict::Ship,
        FormVerdict::Skip => Verdict::Skip,
        FormVerdict::Withdraw => {
            let variables = ToolVars { tool: form.tool };
            return run_form::<WithdrawVote>(&state, caller, &variables, "withdrawal", back).await;
        }
    };
    let variables = CastVoteVars {
        tool: form.tool,
        verdict,
    };
    run_form::<CastVote>(&state, caller, &variables, "vote", back).await
}

async fn pick(
    State(state): State<AppState>,
    _: FromThisSite,
    caller: Caller,
    form: Result<Form<PickForm>, FormRejection>,
) -> Response {
    let refused = || {
        (
            StatusCode::BAD_REQUEST,
            "The pick form needs a comparison (or two tools) and a tool.",
        )
            .into_response()
    };
    let Ok(Form(form)) = form else {
        return refused();
    };
    let back = safe_return(form.return_to.as_deref(), &form.tool);
    match (form.comparison, form.left, form.right) {
        (Some(comparison), None, None) => {
            let variables = PickVars {
                comparison,
                tool: form.tool,
            };
            run_form::<Pick>(&state, caller, &variables, "pick", back).await
        }
        (None, Some(left), Some(right)) => {
            let variables = PickBetweenVars {
                tools: vec![left, right],
                tool: form.tool,
            };
            run_form::<PickBetween>(&state, caller, &variables, "pick", back).await
        }
        _ => refused(),
    }
}

/// Runs the form's operation as the reader; a 303 back on success, the
/// error's status and message otherwise.
async fn run_form<O: Operation>(
    state: &AppState,
    caller: Caller,
    variables: &O::Vars,
    what: &str,
    back: String,
) -> Response {
    let voter = caller.voter.clone();
    // Plain structs of strings always serialise; were one not to, the
    // operation would refuse its missing variables as a VALIDATION error.
    let variables = serde_json::to_value(variables).unwrap_or_default();
    let request = async_graphql::Request::new(O::QUERY)
        .variables(async_graphql::Variables::from_json(variables));
    let response = graphql::execute(&state.schema, &state.db, request, caller).await;
    if let Some(error) = response.errors.first() {
        if let Some(seconds) = super::graphql::retry_after(&response) {
            let message = format!("Too many votes from here; try again in {seconds} s.");
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, seconds.to_string())],
                message,
            )
                .into_response();
        }
        let status = code_of(error).map_or(StatusCode::INTERNAL_SERVER_ERROR, http_status);
        return (
            status,
            format!("Your {what} was not counted: {}", error.message),
        )
            .into_response();
    }
    let mut http = Redirect::to(&back).into_response();
    if let Some(cookie) = voter.set_cookie(&state.voter_key, state.config.secure_cookies) {
        http.headers_mut().append(header::SET_COOKIE, cookie);
    }
    http
}

#[cfg(test)]
mod tests {
    use super::safe_return;

    #[test]
    fn safe_return_of_foreign_targets_is_the_tool_page() {
        assert_eq!(safe_return(Some("/compare/a-vs-b"), "a"), "/compare/a-vs-b");
        assert_eq!(safe_return(Some("//evil.example"), "a"), "/tools/a");
        assert_eq!(safe_return(Some("https://evil.example"), "a"), "/tools/a");
        assert_eq!(safe_return(Some("/\\evil.example"), "a"), "/tools/a");
        assert_eq!(safe_return(Some("/\t/evil.example"), "a"), "/tools/a");
        assert_eq!(
            safe_return(Some("/compare/a\r\nSet-Cookie: x"), "a"),
            "/tools/a"
        );
        assert_eq!(
            safe_return(Some("/compare/a-vs-b#tool-a"), "a"),
            "/compare/a-vs-b#tool-a"
        );
        assert_eq!(safe_return(None, "a"), "/tools/a");
        assert_eq!(safe_return(None, "a\nb"), "/");
    }
}
