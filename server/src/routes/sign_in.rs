//! `POST /admin/sign-in` and `POST /admin/sign-out`: the editors' sign-in
//! without JavaScript. They run the same sign-in as the `signIn` mutation and
//! send the editor on (303). A browser's cross-site form cannot use them: a
//! POST that does not come from this site's pages is refused (403, see
//! [`crate::caller::from_this_site`]), and the session cookie is `SameSite=Lax`.

use axum::{
    extract::{rejection::FormRejection, State},
    http::{header, HeaderValue},
    response::{IntoResponse, Redirect, Response},
    routing::post,
    Form, Router,
};
use serde::Deserialize;

use crate::{
    caller::FromThisSite,
    domain::editors::{self, SESSION_DAYS},
    error::AppError,
    graphql::{mutation::editor::session_cookie, Caller},
    state::AppState,
};

/// `/admin/sign-in` and `/admin/sign-out` (POST).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/sign-in", post(sign_in))
        .route("/admin/sign-out", post(sign_out))
}

#[derive(Deserialize)]
struct SignInForm {
    email: String,
    password: String,
}

/// Back to the sign-in page with what went wrong (`?error=…`).
fn back(error: &str) -> Response {
    Redirect::to(&format!("/admin/sign-in?error={error}")).into_response()
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    if let Ok(value) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

async fn sign_in(
    State(state): State<AppState>,
    _: FromThisSite,
    caller: Caller,
    form: Result<Form<SignInForm>, FormRejection>,
) -> Response {
    let Ok(Form(form)) = form else {
        return back("incomplete");
    };
    match editors::sign_in(&state.db, &form.email, &form.password, caller.address.0).await {
        Ok((_, secret)) => with_cookie(
            Redirect::to("/admin").into_response(),
            &session_cookie(
                &secret,
                SESSION_DAYS * 24 * 3600,
                state.config.secure_cookies,
            ),
        ),
        Err(AppError::BadCredentials) => back("wrong"),
        Err(AppError::RateLimited { retry_after }) => {
            let mut response = back("too-many");
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            response
        }
        Err(error) => {
            // Logged by `into_response`; the editor sees the page's message.
            let _ = error.into_response();
            back("failed")
        }
    }
}

async fn sign_out(State(state): State<AppState>, _: FromThisSite, caller: Caller) -> Response {
    if let Some(secret) = &caller.session_secret {
        if let Err(error) = editors::sign_out(&state.db, secret).await {
            return error.into_response();
        }
    }
    with_cookie(
        Redirect::to("/admin/sign-in").into_response(),
        &session_cookie("", 0, state.config.secure_cookies),
    )
}
