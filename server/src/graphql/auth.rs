//! Who is calling: the editor behind a session cookie or an API token, and the
//! guards resolvers use. Session-authenticated changes must carry the
//! `X-Verdicts-CSRF` header, which a cross-site form cannot send.

use std::sync::Mutex;

use async_graphql::Context;
use entities::{api_token, editor};

use crate::error::{AppError, GqlResultExt};

/// The session cookie's name, and the header the admin pages send with every change.
pub use contract::names::{CSRF_HEADER, SESSION_COOKIE};

/// The editor behind this request, if any.
#[derive(Debug, Default)]
pub struct Viewer {
    /// The signed-in editor.
    pub editor: Option<editor::Model>,
    /// The session cookie's secret, if one came (valid or not).
    pub session_secret: Option<String>,
    /// Whether an API token authenticated the request.
    pub by_token: bool,
    /// The API token that authenticated the request.
    pub token: Option<api_token::Model>,
    /// Whether the CSRF header came with the request.
    pub csrf_header: bool,
}

/// Cookies a resolver wants set on the response (sign-in, sign-out).
#[derive(Debug, Default)]
pub struct ResponseCookies(Mutex<Vec<String>>);

impl ResponseCookies {
    /// Queues a `Set-Cookie` value.
    pub fn push(&self, cookie: String) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(cookie);
    }

    /// Every queued value.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

fn viewer<'a>(ctx: &Context<'a>) -> Option<&'a Viewer> {
    ctx.data_opt::<Viewer>()
}

/// The signed-in editor, for reads.
pub fn editor<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a editor::Model> {
    viewer(ctx)
        .and_then(|v| v.editor.as_ref())
        .ok_or(AppError::Unauthenticated)
        .gql()
}

/// Refuses a change that could come from a cross-site form: every change not
/// authenticated by an API token must carry the CSRF header.
pub fn require_csrf_header(ctx: &Context<'_>) -> async_graphql::Result<()> {
    match viewer(ctx) {
        Some(v) if v.by_token || v.csrf_header => Ok(()),
        _ => Err(AppError::Forbidden(format!(
            "send the `{CSRF_HEADER}` header with this request (browsers' cross-site forms \
             cannot), or authenticate with an API token"
        )))
        .gql(),
    }
}

/// The signed-in editor, for changes (CSRF-checked).
pub fn editor_for_change<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a editor::Model> {
    let editor = editor(ctx)?;
    require_csrf_header(ctx)?;
    Ok(editor)
}
