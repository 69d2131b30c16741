//! `signIn`, `signOut`, `createApiToken` and `revokeApiToken`.

use std::sync::Arc;

use async_graphql::{Context, Object, ID};
use sea_orm::DatabaseConnection;

use crate::domain::editors::{self, SESSION_DAYS};
use crate::error::{AppError, GqlResultExt};
use crate::graphql::auth::{self, ResponseCookies, Viewer, SESSION_COOKIE};
use crate::graphql::types::{settings, ApiToken, CreatedApiToken, Editor};
use crate::graphql::ClientAddress;

/// Sign-in and API tokens.
#[derive(Default)]
pub struct EditorMutation;

/// The `Set-Cookie` value of the session cookie (empty and `Max-Age=0` to clear it).
pub(crate) fn session_cookie(value: &str, max_age_secs: i64, secure: bool) -> String {
    crate::caller::set_cookie(SESSION_COOKIE, value, max_age_secs, secure)
}

fn cookies<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Arc<ResponseCookies>> {
    ctx.data_opt::<Arc<ResponseCookies>>()
        .ok_or_else(|| AppError::validation("transport", "sign in with POST /graphql"))
        .gql()
}

#[Object]
impl EditorMutation {
    /// Signs an editor in: sets the session cookie and returns the editor.
    /// Failures say only that the e-mail or password is wrong, and are
    /// throttled per account and per address. Needs the `X-Verdicts-CSRF` header.
    async fn sign_in(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The editor's e-mail address.")] email: String,
        #[graphql(desc = "Their password.")] password: String,
    ) -> async_graphql::Result<Editor> {
        auth::require_csrf_header(ctx)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let address = ctx.data_opt::<ClientAddress>().and_then(|a| a.0);
        let (editor, secret) = editors::sign_in(db, &email, &password, address)
            .await
            .gql()?;
        let secure = settings(ctx).secure_cookies;
        cookies(ctx)?.push(session_cookie(&secret, SESSION_DAYS * 24 * 3600, secure));
        Ok(Editor(editor))
    }

    /// Ends the current session on the server and clears its cookie.
    async fn sign_out(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        auth::require_csrf_header(ctx)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let secret = ctx
            .data_opt::<Viewer>()
            .and_then(|v| v.session_secret.clone());
        if let Some(secret) = secret {
            editors::sign_out(db, &secret).await.gql()?;
        }
        cookies(ctx)?.push(session_cookie("", 0, settings(ctx).secure_cookies));
        Ok(true)
    }

    /// Creates a named API token for the signed-in editor; the secret is in
    /// the answer and never again. With `partner: true` it is a partner
    /// app's token instead: it votes for the app's users (`castVote(…,
    /// onBehalfOf:)`) within its own quota, its votes are labelled with its
    /// name in the integrity ledger, and it has none of the editor's powers.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "What the token is for (a partner app's public name), 1 to 100 characters."
        )]
        name: String,
        #[graphql(
            default = false,
            desc = "A partner app's token rather than an editor's."
        )]
        partner: bool,
        #[graphql(
            desc = "A partner app's votes per hour, 1 to 1,000,000 (default: the server's `--partner-vote-quota`)."
        )]
        vote_quota: Option<i32>,
    ) -> async_graphql::Result<CreatedApiToken> {
        let editor = auth::editor_for_change(ctx)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let vote_quota = match vote_quota {
            None => None,
            Some(_) if !partner => {
                return Err(AppError::validation(
                    "voteQuota",
                    "only a partner app's token (partner: true) votes",
                ))
                .gql();
            }
            Some(q) => Some(
                u32::try_from(q)
                    .ok()
                    .filter(|q| (1..=1_000_000).contains(q))
                    .ok_or_else(|| {
                        AppError::validation(
                            "voteQuota",
                            format!("must be between 1 and 1000000, got {q}"),
                        )
                    })
                    .gql()?,
            ),
        };
        let kind = editors::TokenKind {
            partner,
            vote_quota,
        };
        let (token, secret) = editors::create_api_token(db, editor.id, &name, kind)
            .await
            .gql()?;
        Ok(CreatedApiToken {
            token: ApiToken(token),
            secret,
        })
    }

    /// Revokes one of the signed-in editor's API tokens.
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The token's `id`, as `apiTokens` lists it.")] id: ID,
    ) -> async_graphql::Result<ApiToken> {
        let editor = auth::editor_for_change(ctx)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let token_id = id
            .parse::<i64>()
            .map_err(|_| AppError::NotFound {
                what: "API token",
                key: id.to_string(),
            })
            .gql()?;
        let token = editors::revoke_api_token(db, editor.id, token_id)
            .await
            .gql()?;
        Ok(ApiToken(token))
    }
}
