//! The newsletter's links and form: `POST /newsletter` (the sign-up form
//! without JavaScript), and the confirmation and unsubscribe links in mails.
//! Opening a link changes nothing (mail scanners open links too): it shows
//! the `/newsletter` page with a button that POSTs the token back, and the
//! POST acts. Each ends on the `/newsletter` page, which says what happened.
//! RFC 8058's one-click `POST /newsletter/unsubscribe?token=…` acts at once.
//! The sign-up form refuses other sites' posts (403); the link posts need
//! no such check: their token is the mailbox's secret, and one-click posts
//! come from mail providers, not from this site's pages.

use axum::{
    extract::{rejection::FormRejection, Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Form, Router,
};
use contract::operations::{Subscribe, SubscribeVars};
use contract::{Code, Operation};
use serde::Deserialize;

use crate::{
    caller::FromThisSite,
    domain::newsletter::{self, LinkProblem},
    error::code_of,
    graphql::{self, Caller},
    state::AppState,
};

/// `/newsletter`'s form and links.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/newsletter", post(sign_up))
        .route("/newsletter/confirm", get(confirm_link).post(confirm))
        .route(
            "/newsletter/unsubscribe",
            get(unsubscribe_link).post(unsubscribe),
        )
}

#[derive(Deserialize)]
struct SignUpForm {
    email: String,
}

#[derive(Deserialize)]
struct LinkQuery {
    token: Option<String>,
}

impl LinkQuery {
    /// The token, if it could be one (tokens are 43 characters).
    fn token(self) -> Option<String> {
        self.token.filter(|t| !t.is_empty() && t.len() <= 100)
    }
}

/// The `/newsletter` page with what to tell the reader.
fn outcome(state: &str) -> Response {
    Redirect::to(&format!("/newsletter?state={state}")).into_response()
}

async fn sign_up(
    State(state): State<AppState>,
    _: FromThisSite,
    caller: Caller,
    form: Result<Form<SignUpForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return outcome("invalid");
    };
    let variables = SubscribeVars { email: form.email };
    // A struct of one string always serialises.
    let variables = serde_json::to_value(variables).unwrap_or_default();
    let request = async_graphql::Request::new(Subscribe::QUERY)
        .variables(async_graphql::Variables::from_json(variables));
    let response = graphql::execute(&state.schema, &state.db, request, caller).await;
    let Some(error) = response.errors.first() else {
        return outcome("check-inbox");
    };
    if let Some(seconds) = super::graphql::retry_after(&response) {
        let mut http = outcome("too-many");
        if let Ok(value) = seconds.to_string().parse() {
            http.headers_mut().insert(header::RETRY_AFTER, value);
        }
        return http;
    }
    match code_of(error) {
        Some(Code::Validation) => outcome("invalid"),
        _ => outcome("failed"),
    }
}

/// The page that asks before acting: `/newsletter?confirm=…` or `?unsubscribe=…`.
fn ask(action: &str, token: Option<String>) -> Response {
    match token {
        Some(token) => Redirect::to(&format!(
            "/newsletter?{}",
            serde_urlencoded::to_string([(action, token)]).unwrap_or_default()
        ))
        .into_response(),
        None => outcome("bad-link"),
    }
}

async fn confirm_link(Query(link): Query<LinkQuery>) -> Response {
    ask("confirm", link.token())
}

async fn unsubscribe_link(Query(link): Query<LinkQuery>) -> Response {
    ask("unsubscribe", link.token())
}

/// The token of the page's button, sent as a form field.
fn form_token(form: Result<Form<LinkQuery>, FormRejection>) -> Option<String> {
    form.ok().and_then(|Form(link)| link.token())
}

async fn confirm(
    State(state): State<AppState>,
    form: Result<Form<LinkQuery>, FormRejection>,
) -> Response {
    let Some(token) = form_token(form) else {
        return outcome("bad-link");
    };
    match newsletter::confirm(&state.db, &token).await {
        Ok(Ok(())) => outcome("confirmed"),
        Ok(Err(LinkProblem::Expired)) => outcome("expired"),
        Ok(Err(LinkProblem::Unknown)) => outcome("bad-link"),
        Err(error) => error.into_response(),
    }
}

#[derive(Deserialize)]
struct UnsubscribeForm {
    token: Option<String>,
    /// `One-Click` from a mail client (RFC 8058).
    #[serde(rename = "List-Unsubscribe")]
    one_click: Option<String>,
}

/// The page's button (the token in the form), or RFC 8058's one-click POST
/// (`List-Unsubscribe=One-Click` to the `List-Unsubscribe` URL, the token in
/// its query), which mail clients send without showing a page.
async fn unsubscribe(
    State(state): State<AppState>,
    Query(link): Query<LinkQuery>,
    form: Result<Form<UnsubscribeForm>, FormRejection>,
) -> Response {
    let form = form.ok().map(|Form(form)| form);
    let one_click = link.token.is_some() || form.as_ref().is_some_and(|f| f.one_click.is_some());
    if !one_click {
        let token = form.and_then(|f| LinkQuery { token: f.token }.token());
        let Some(token) = token else {
            return outcome("bad-link");
        };
        return match newsletter::unsubscribe(&state.db, &token).await {
            Ok(Ok(())) => outcome("unsubscribed"),
            Ok(Err(_)) => outcome("bad-link"),
            Err(error) => error.into_response(),
        };
    }
    let Some(token) = link.token() else {
        return (
            StatusCode::BAD_REQUEST,
            "The unsubscribe link has no token.",
        )
            .into_response();
    };
    match newsletter::unsubscribe(&state.db, &token).await {
        Ok(Ok(())) => (StatusCode::OK, "Unsubscribed.").into_response(),
        Ok(Err(_)) => {
            (StatusCode::NOT_FOUND, "This unsubscribe link is not valid.").into_response()
        }
        Err(error) => error.into_response(),
    }
}
