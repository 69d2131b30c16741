//! Editors: accounts (Argon2id passwords), sessions kept in the database, and
//! API tokens. Secrets are random; only their SHA-256 is stored.

use std::{net::IpAddr, sync::OnceLock};

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

/// Failed sign-ins allowed per account per window.
const FAILURES_PER_ACCOUNT: Limit = Limit {
    scope: "signin-account",
    max: 5,
    window_secs: 15 * 60,
};
/// Failed sign-ins allowed per client address per window.
const FAILURES_PER_ADDRESS: Limit = Limit {
    scope: "signin-address",
    max: 20,
    window_secs: 15 * 60,
};

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
    let model = editor::ActiveModel {
        id: NotSet,
        email: Set(email),
        password_hash: Set(hash_password(password)?),
        created_at: Set(Utc::now().trunc_subsecs(6)),
    };
    Ok(model.insert(db).await?)
}

/// Checks the password and opens a session; returns the editor and the
/// session secret for the cookie. Failures are throttled per account and per
/// address and never say whether the e-mail exists.
pub async fn sign_in(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
    address: Option<IpAddr>,
) -> Result<(editor::Model, String), AppError> {
    let email = email.trim().to_lowercase();
    let address = address.map(|a| a.to_string());
    rate_limit::check(db, FAILURES_PER_ACCOUNT, &email).await?;
    if let Some(address) = &address {
        rate_limit::check(db, FAILURES_PER_ADDRESS, address).await?;
    }
    let found = editor::Entity::find()
        .filter(editor::Column::Email.eq(email.as_str()))
        .one(db)
        .await?;
    let stored = found
        .as_ref()
        .map_or(decoy_hash(), |e| e.password_hash.as_str());
    let matches = password_matches(password, stored);
    let Some(editor) = found.filter(|_| matches) else {
        // Count the failure; a limit passed here shows on the next attempt.
        let _ = rate_limit::hit(db, FAILURES_PER_ACCOUNT, &email, None).await;
        if let Some(address) = &address {
            let _ = rate_limit::hit(db, FAILURES_PER_ADDRESS, address, None).await;
        }
        return Err(AppError::BadCredentials);
    };
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

/// The editor of an unrevoked API token (and notes its use).
pub async fn editor_for_token(
    db: &DatabaseConnection,
    secret: &str,
) -> Result<Option<editor::Model>, AppError> {
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
    used.update(db).await?;
    Ok(editor::Entity::find_by_id(editor_id).one(db).await?)
}

/// Creates a named token for the editor; the secret is returned only now.
pub async fn create_api_token(
    db: &DatabaseConnection,
    editor_id: i64,
    name: &str,
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
