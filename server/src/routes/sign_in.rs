//! `POST /admin/sign-in` and `POST /admin/sign-out`: the editors' sign-in
//! without JavaScript. They run the same sign-in as the `signIn` mutation and
//! send the editor on (303). A browser's cross-site form cannot use them: a
//! POST whose `Sec-Fetch-Site` or `Origin` says it came from another site is
//! refused (403), and the session cookie is `SameSite=Lax`.

use axum::{
    extract::{rejection::FormRejection, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::post,
    Form, Router,
};
use serde::Deserialize;

use crate::{
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

pub(crate) fn cross_site() -> Response {
    (
        StatusCode::FORBIDDEN,
        "This form can only be sent from this site's own pages.",
    )
        .into_response()
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
    caller: Caller,
    form: Result<Form<SignInForm>, FormRejection>,
) -> Response {
    if !caller.from_this_site {
        return cross_site();
    }
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

async fn sign_out(State(state): State<AppState>, caller: Caller) -> Response {
    if !caller.from_this_site {
        return cross_site();
    }
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

#[cfg(test)]
mod tests {
    use axum::http::{HeaderMap, HeaderValue};

    use crate::caller::from_this_site;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn from_this_site_refuses_other_origins_and_accepts_its_own() {
        let public = "https://verdicts.example";
        assert!(from_this_site(&headers(&[]), public));
        assert!(from_this_site(
            &headers(&[("sec-fetch-site", "same-origin")]),
            public
        ));
        assert!(!from_this_site(
            &headers(&[("sec-fetch-site", "cross-site")]),
            public
        ));
        assert!(!from_this_site(
            &headers(&[("sec-fetch-site", "same-site")]),
            public
        ));
        assert!(from_this_site(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            public
        ));
        assert!(from_this_site(
            &headers(&[
                ("origin", "https://verdicts.example"),
                ("host", "10.0.0.5:3000")
            ]),
            public
        ));
        assert!(!from_this_site(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            public
        ));
        assert!(!from_this_site(
            &headers(&[
                ("origin", "http://127.0.0.1:3001"),
                ("host", "127.0.0.1:3000")
            ]),
            public
        ));
        assert!(!from_this_site(&headers(&[("origin", "null")]), public));
    }
}
