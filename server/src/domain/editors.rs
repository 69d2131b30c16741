//! Editors: accounts (Argon2id passwords), sessions kept in the database, and
//! API tokens. Secrets are random; only their SHA-256 is stored.
//!
//! Sign-in throttling, counted before any password is checked:
//! - per (account, address): 5 attempts, then growing waits (1, 2, 4, 8, then
//!   15 minutes between attempts), started over by a success or an hour's quiet;
//! - per address (all accounts): 20 attempts per 15 minutes;
//! - per account (all addresses): past 50 failures in an hour the account is
//!   under attack, and each (account, address) gets 1 attempt before its
//!   waits begin instead of 5. This only slows the attack down: an address
//!   that has not failed always gets an attempt, so an attacker who knows an
//!   editor's e-mail cannot lock them out of their own address.
//!
//! Argon2 runs on the blocking pool, [`HASHING_AT_ONCE`] at a time.

mod throttle;

use std::{collections::HashMap, net::IpAddr, sync::OnceLock};

use argon2::{
    password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString},
    Argon2,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{Duration, SubsecRound, Utc};
use entities::{api_token, editor, session};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, DatabaseConnection, EntityTrait,
    QueryFilter, QueryOrder, Set,
};
use sha2::{Digest, Sha256};

use crate::domain::rate_limit::{self, Limit};
use crate::error::AppError;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// How long a session lasts.
pub const SESSION_DAYS: i64 = 14;
/// The prefix of API token secrets, so that leaked ones are easy to spot.
pub const TOKEN_PREFIX: &str = "vt_";

/// Sign-in attempts per (account, address) before waits begin.
const FREE_ATTEMPTS: u32 = 5;
/// Sign-in attempts per client address per window, whatever the account.
const ATTEMPTS_PER_ADDRESS: Limit = Limit {
    scope: "signin-address",
    max: 20,
    window_secs: 15 * 60,
};
/// Failures per account, from every address, past which the account counts
/// as under attack (never a refusal by itself).
const ACCOUNT_UNDER_ATTACK: Limit = Limit {
    scope: "signin-account-all",
    max: 50,
    window_secs: 60 * 60,
};
/// Password hashes computed at once; the rest wait, off the async workers.
pub const HASHING_AT_ONCE: usize = 2;
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(HASHING_AT_ONCE);

/// Runs Argon2 work on the blocking pool, at most [`HASHING_AT_ONCE`] at a time.
async fn on_hashing_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let permit = HASHING
        .acquire()
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("password hashing is closed: {e}")))?;
    // The permit goes with the work: a caller that gives up (a closed
    // connection, a timeout) does not free a place while Argon2 still runs.
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("password hashing stopped: {e}")))
}

/// 32 random bytes, URL-safe base64: session secrets, API tokens, mail links.
pub(crate) fn secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of a secret, hex: what the database keeps.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn normalise_email(email: &str) -> Result<String, AppError> {
    super::email::normalise(email)
        .ok_or_else(|| AppError::validation("email", "is not an e-mail address"))
}

fn hash_password(password: &str) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cannot hash a password: {e}")))
}

fn password_matches(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash to verify against when the e-mail is unknown, so both cases take as long.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("not the password of anyone").unwrap_or_default())
}

/// Creates an editor; the password must have at least [`MIN_PASSWORD_CHARS`] characters.
pub async fn create_editor(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
) -> Result<editor::Model, AppError> {
    let email = normalise_email(email)?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::validation(
            "password",
            format!("must have at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    let exists = editor::Entity::find()
        .filter(editor::Column::Email.eq(email.as_str()))
        .one(db)
        .await?;
    if exists.is_some() {
        return Err(AppError::Conflict(format!(
            "an editor with e-mail {email} exists"
        )));
    }
    let password = password.to_owned();
    let password_hash = on_hashing_pool(move || hash_password(&password)).await??;
    let model = editor::ActiveModel {
        id: NotSet,
        email: Set(email),
        password_hash: Set(password_hash),
        created_at: Set(Utc::now().trunc_subsecs(6)),
    };
    Ok(model.insert(db).await?)
}

/// Checks the password and opens a session; returns the editor and the
/// session secret for the cookie. Attempts are counted before the password is
/// checked (see the module's notes) and failures never say whether the e-mail
/// exists.
pub async fn sign_in(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
    address: Option<IpAddr>,
) -> Result<(editor::Model, String), AppError> {
    let email = email.trim().to_lowercase();
    // No account's address has control characters (and PostgreSQL refuses
    // NUL in any text): such a sign-in fails before it reaches the database.
    if email.chars().any(char::is_control) {
        return Err(AppError::BadCredentials);
    }
    // No account has a longer address; a fixed-size key keeps rows small.
    let account = if email.len() <= contract::limits::MAX_EMAIL_LEN {
        email.clone()
    } else {
        secret_hash(&email)
    };
    let address = address.map_or_else(|| "unknown".to_owned(), |a| a.to_string());
    let under_attack = entities::rate_limit::Entity::find_by_id(format!(
        "{}:{account}",
        ACCOUNT_UNDER_ATTACK.scope
    ))
    .one(db)
    .await?
    .is_some_and(|row| {
        let now = Utc::now().timestamp();
        let window = i64::from(ACCOUNT_UNDER_ATTACK.window_secs);
        row.window_start == now - now.rem_euclid(window)
            && row.hits >= i64::from(ACCOUNT_UNDER_ATTACK.max)
    });
    let pair = format!("signin-pair:{account}|{address}");
    let free = if under_attack { 1 } else { FREE_ATTEMPTS };
    throttle::take(db, &pair, free).await?;
    rate_limit::hit(db, ATTEMPTS_PER_ADDRESS, &address, None).await?;
    // Every attempt counts towards the account-wide mode, successes too.
    rate_limit::charge(db, ACCOUNT_UNDER_ATTACK, &account, 1).await?;
    let found = editor::Entity::find()
        .filter(editor::Column::Email.eq(email.as_str()))
        .one(db)
        .await?;
    let stored = found.as_ref().map(|e| e.password_hash.clone());
    let typed = password.to_owned();
    let matches = on_hashing_pool(move || {
        password_matches(&typed, stored.as_deref().unwrap_or_else(|| decoy_hash()))
    })
    .await?;
    let Some(editor) = found.filter(|_| matches) else {
        return Err(AppError::BadCredentials);
    };
    // The pair starts over; the address and account counts keep this
    // attempt (a refund could cross into a new window and go negative).
    throttle::forget(db, &pair).await?;
    let secret = secret();
    let now = Utc::now().trunc_subsecs(6);
    session::ActiveModel {
        id: NotSet,
        secret_hash: Set(secret_hash(&secret)),
        editor_id: Set(editor.id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
    }
    .insert(db)
    .await?;
    Ok((editor, secret))
}

/// Ends the session with this secret, on the server.
pub async fn sign_out(db: &DatabaseConnection, secret: &str) -> Result<(), AppError> {
    session::Entity::delete_many()
        .filter(session::Column::SecretHash.eq(secret_hash(secret)))
        .exec(db)
        .await?;
    Ok(())
}

/// The editor of an unexpired session.
pub async fn editor_for_session(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<Option<editor::Model>, AppError> {
    let Some(session) = session::Entity::find()
        .filter(session::Column::SecretHash.eq(secret_hash(secret)))
        .filter(session::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(editor::Entity::find_by_id(session.editor_id)
        .one(db)
        .await?)
}

/// An unrevoked API token (its use noted), and its editor unless it is a
/// partner app's token (which carries none of the editor's powers).
pub async fn editor_for_token(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<Option<(Option<editor::Model>, api_token::Model)>, AppError> {
    let Some(token) = api_token::Entity::find()
        .filter(api_token::Column::SecretHash.eq(secret_hash(secret)))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let editor_id = token.editor_id;
    let mut used: api_token::ActiveModel = token.into();
    used.last_used_at = Set(Some(Utc::now().trunc_subsecs(6)));
    let token = used.update(db).await?;
    if token.partner {
        return Ok(Some((None, token)));
    }
    Ok(editor::Entity::find_by_id(editor_id)
        .one(db)
        .await?
        .map(|editor| (Some(editor), token)))
}

/// What a new token is for.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenKind {
    /// A partner app's token (votes for its users; no editor powers).
    pub partner: bool,
    /// Its votes per hour (`None`: the server's default).
    pub vote_quota: Option<u32>,
}

/// Creates a named token for the editor; the secret is returned only now.
pub async fn create_api_token(
    db: &DatabaseConnection,
    editor_id: i64,
    name: &str,
    kind: TokenKind,
) -> Result<(api_token::Model, String), AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(AppError::validation(
            "name",
            "must be 1 to 100 printable characters",
        ));
    }
    let secret = format!("{TOKEN_PREFIX}{}", secret());
    let token = api_token::ActiveModel {
        id: NotSet,
        editor_id: Set(editor_id),
        name: Set(name.to_owned()),
        secret_hash: Set(secret_hash(&secret)),
        created_at: Set(Utc::now().trunc_subsecs(6)),
        last_used_at: Set(None),
        revoked_at: Set(None),
        partner: Set(kind.partner),
        vote_quota: Set(kind.vote_quota.map(i64::from)),
        votes_off_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok((token, secret))
}

/// The editor's tokens, newest first (revoked ones included).
pub async fn api_tokens(
    db: &DatabaseConnection,
    editor_id: i64,
) -> Result<Vec<api_token::Model>, AppError> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::EditorId.eq(editor_id))
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?)
}

/// The names of these tokens (revoked ones included), by id, in one statement.
pub async fn token_names(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, sea_orm::DbErr> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect())
}

/// Revokes one of the editor's own tokens.
pub async fn revoke_api_token(
    db: &DatabaseConnection,
    editor_id: i64,
    token_id: i64,
) -> Result<api_token::Model, AppError> {
    let token = api_token::Entity::find_by_id(token_id)
        .filter(api_token::Column::EditorId.eq(editor_id))
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "API token",
            key: token_id.to_string(),
        })?;
    if token.revoked_at.is_some() {
        return Ok(token);
    }
    let mut revoked: api_token::ActiveModel = token.into();
    revoked.revoked_at = Set(Some(Utc::now().trunc_subsecs(6)));
    Ok(revoked.update(db).await?)
}
