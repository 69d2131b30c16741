//! Who is voting: a random voter id in a signed, HttpOnly cookie. The server
//! accepts only ids it signed itself, so a forged or edited cookie is ignored.

use std::sync::{Arc, Mutex};

use axum::http::HeaderValue;
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use entities::setting;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sea_orm::{sea_query::OnConflict, DatabaseConnection, DbErr, EntityTrait, Set};
use sha2::Sha256;

/// The cookie's name.
pub use contract::names::VOTER_COOKIE as COOKIE_NAME;
const SETTING_KEY: &str = "voter_cookie_key";
const COOKIE_MAX_AGE_SECS: i64 = 60 * 60 * 24 * 400;

/// The HMAC key that signs voter ids.
#[derive(Clone)]
pub struct VoterKey(Arc<Vec<u8>>);

impl std::fmt::Debug for VoterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("VoterKey(********)")
    }
}

impl VoterKey {
    /// A key from configured secret bytes.
    pub fn new(secret: &[u8]) -> Self {
        VoterKey(Arc::new(secret.to_vec()))
    }

    /// The configured secret, or the one kept in the database (created once,
    /// race-free, so that every instance on one database shares it).
    pub async fn load(db: &DatabaseConnection, configured: Option<&str>) -> Result<Self, DbErr> {
        if let Some(secret) = configured {
            return Ok(VoterKey::new(secret.as_bytes()));
        }
        let mut fresh = [0u8; 32];
        rand::rng().fill_bytes(&mut fresh);
        let candidate = setting::ActiveModel {
            key: Set(SETTING_KEY.to_owned()),
            value: Set(hex::encode(fresh)),
        };
        setting::Entity::insert(candidate)
            .on_conflict(
                OnConflict::column(setting::Column::Key)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
        let stored = setting::Entity::find_by_id(SETTING_KEY.to_owned())
            .one(db)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound(SETTING_KEY.to_owned()))?;
        let bytes = hex::decode(&stored.value)
            .map_err(|e| DbErr::Custom(format!("setting {SETTING_KEY} is not hex: {e}")))?;
        Ok(VoterKey::new(&bytes))
    }

    fn mac(&self, id: &str) -> Hmac<Sha256> {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        // Domain separation: a signature made for a voter id means nothing elsewhere.
        mac.update(b"verdicts-voter:");
        mac.update(id.as_bytes());
        mac
    }

    /// The voter id of a partner app's user: `app:<token>:` and a keyed
    /// hash of the app's own id for the user (160 bits of an HMAC with this
    /// server's key), so ids the app sends are not stored, cannot be found
    /// again from a list of likely ids without the key, and never meet a
    /// reader's cookie id or another app's users.
    pub fn partner_user(&self, token_id: i64, user: &str) -> String {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
        mac.update(b"verdicts-partner-user:");
        mac.update(token_id.to_string().as_bytes());
        mac.update(b":");
        mac.update(user.as_bytes());
        let tag = mac.finalize().into_bytes();
        let hex: String = tag[..20].iter().map(|b| format!("{b:02x}")).collect();
        format!("app:{token_id}:{hex}")
    }

    /// `id.signature`.
    pub fn sign(&self, id: &str) -> String {
        let tag = self.mac(id).finalize().into_bytes();
        format!("{id}.{}", URL_SAFE_NO_PAD.encode(tag))
    }

    /// The id inside a cookie value, if this key signed it.
    pub fn verify(&self, value: &str) -> Option<String> {
        let (id, tag) = value.rsplit_once('.')?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        if id.is_empty() || id.len() > crate::domain::fields::VOTER_ID_MAX_BYTES {
            return None;
        }
        self.mac(id).verify_slice(&tag).ok()?;
        Some(id.to_owned())
    }
}

/// The voter behind one request: known from a valid cookie, or minted on first vote.
#[derive(Debug, Default)]
pub struct VoterSession {
    known: Option<String>,
    minted: Mutex<Option<String>>,
}

impl VoterSession {
    /// The voter with this verified id (see [`VoterKey::verify`]), or a
    /// reader who has none yet.
    pub fn new(known: Option<String>) -> Self {
        VoterSession {
            known,
            minted: Mutex::new(None),
        }
    }

    /// A request without a voter.
    pub fn anonymous() -> Self {
        VoterSession::default()
    }

    /// The id from a valid cookie, if the reader has voted before.
    pub fn known(&self) -> Option<&str> {
        self.known.as_deref()
    }

    /// This request's voter id if it has one, never minting: the cookie's,
    /// or the one minted earlier in this request (by its first vote or pick,
    /// so that what the request reads after it is that voter's).
    pub fn current(&self) -> Option<String> {
        self.known.clone().or_else(|| {
            self.minted
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone()
        })
    }

    /// This request's voter id, minting a new one if the reader has none yet.
    pub fn id(&self) -> String {
        if let Some(id) = &self.known {
            return id.clone();
        }
        let mut minted = self.minted.lock().unwrap_or_else(|p| p.into_inner());
        minted
            .get_or_insert_with(|| uuid::Uuid::new_v4().simple().to_string())
            .clone()
    }

    /// The `Set-Cookie` header to send if an id was minted during this request.
    pub fn set_cookie(&self, key: &VoterKey, secure: bool) -> Option<HeaderValue> {
        let minted = self
            .minted
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()?;
        let cookie =
            crate::caller::set_cookie(COOKIE_NAME, &key.sign(&minted), COOKIE_MAX_AGE_SECS, secure);
        HeaderValue::from_str(&cookie).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_of_signed_id_returns_it_and_rejects_tampering() {
        let key = VoterKey::new(b"0123456789abcdef0123456789abcdef");
        let value = key.sign("abc123");
        assert_eq!(key.verify(&value).as_deref(), Some("abc123"));
        assert_eq!(key.verify(&value.replace("abc123", "abc124")), None);
        assert_eq!(key.verify("abc123"), None);
        let other = VoterKey::new(b"another key, another signature!!");
        assert_eq!(other.verify(&value), None);
    }
}
