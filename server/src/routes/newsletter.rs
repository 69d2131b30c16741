//! The newsletter's links and form: `POST /newsletter` (the sign-up form
//! without JavaScript), and the confirmation and unsubscribe links in mails.
//! Each ends on the `/newsletter` page, which says what happened.

use axum::{
    extract::{rejection::FormRejection, Query, State},
    http::{header, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
    Form, Router,
};
use serde::Deserialize;
use serde_json::json;

use crate::{
    domain::newsletter::{self, LinkProblem},
    graphql::{self, Caller},
    state::AppState,
};

/// `/newsletter`'s form and links.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/newsletter", post(sign_up))
        .route("/newsletter/confirm", get(confirm))
        .route(
            "/newsletter/unsubscribe",
            get(unsubscribe_link).post(unsubscribe_one_click),
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
    caller: Caller,
    form: Result<Form<SignUpForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return outcome("invalid");
    };
    let request = async_graphql::Request::new(app::operations::SUBSCRIBE).variables(
        async_graphql::Variables::from_json(json!({ "email": form.email })),
    );
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
    match error.extensions.as_ref().and_then(|e| e.get("code")) {
        Some(async_graphql::Value::String(code)) if code == "VALIDATION" => outcome("invalid"),
        _ => outcome("failed"),
    }
}

async fn confirm(State(state): State<AppState>, Query(link): Query<LinkQuery>) -> Response {
    let Some(token) = link.token() else {
        return outcome("bad-link");
    };
    match newsletter::confirm(&state.db, &token).await {
        Ok(Ok(())) => outcome("confirmed"),
        Ok(Err(LinkProblem::Expired)) => outcome("expired"),
        Ok(Err(LinkProblem::Unknown)) => outcome("bad-link"),
        Err(error) => error.into_response(),
    }
}

async fn unsubscribe_link(
    State(state): State<AppState>,
    Query(link): Query<LinkQuery>,
) -> Response {
    let Some(token) = link.token() else {
        return outcome("bad-link");
    };
    match newsletter::unsubscribe(&state.db, &token).await {
        Ok(Ok(())) => outcome("unsubscribed"),
        Ok(Err(_)) => outcome("bad-link"),
        Err(error) => error.into_response(),
    }
}

/// RFC 8058: mail clients POST `List-Unsubscribe=One-Click` to the
/// `List-Unsubscribe` URL and show no page.
async fn unsubscribe_one_click(
    State(state): State<AppState>,
    Query(link): Query<LinkQuery>,
) -> Response {
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
