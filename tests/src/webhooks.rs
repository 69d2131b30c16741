//! A webhook receiver for the tests: a real HTTP server on a free port that
//! records every delivery, checks its Standard Webhooks signature with its
//! own HMAC (not the server's code), and answers 500 to the first requests
//! it is told to refuse.

use std::{
    sync::{
        atomic::{AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};

use axum::{body::Bytes, extract::State, http::HeaderMap, http::StatusCode, routing::post, Router};
use base64::{engine::general_purpose::STANDARD, Engine};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// `webhook-id`.
    pub id: String,
    /// `webhook-timestamp`.
    pub timestamp: String,
    /// `webhook-signature`.
    pub signature: String,
    /// The raw body.
    pub body: String,
    /// Whether the signature verified with the secret known when it came.
    pub verified: bool,
    /// The status the receiver answered.
    pub answered: u16,
    /// When it came.
    pub at: Instant,
}

impl Delivery {
    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("a JSON body")
    }
}

#[derive(Default)]
struct Inner {
    secret: Mutex<Option<String>>,
    received: Mutex<Vec<Delivery>>,
    refuse: AtomicUsize,
}

/// A running receiver.
#[derive(Clone)]
pub struct Receiver {
    /// `http://127.0.0.1:<port>/hook`.
    pub url: String,
    inner: Arc<Inner>,
}

/// The `v1,<base64>` signature of a delivery, as a sender would make it.
pub fn sign(secret: &str, id: &str, timestamp: &str, body: &str) -> String {
    let key = STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .expect("a base64 secret");
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// Whether `signature` (`v1,<base64>` entries, space-separated) signs
/// `{id}.{timestamp}.{body}` with `secret` (`whsec_<base64>`).
pub fn verify(secret: &str, id: &str, timestamp: &str, body: &str, signature: &str) -> bool {
    if STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .is_err()
    {
        return false;
    }
    let expected = sign(secret, id, timestamp, body);
    signature.split(' ').any(|s| s == expected)
}

async fn hook(
    State(inner): State<Arc<Inner>>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, &'static str) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let body = String::from_utf8_lossy(&body).into_owned();
    let (id, timestamp, signature) = (
        header("webhook-id"),
        header("webhook-timestamp"),
        header("webhook-signature"),
    );
    let secret = inner.secret.lock().expect("not poisoned").clone();
    let verified = secret.is_some_and(|s| verify(&s, &id, &timestamp, &body, &signature));
    let refuse = inner
        .refuse
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    let (status, text) = if refuse {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            "not now: the receiver is down",
        )
    } else if !verified {
        (StatusCode::UNAUTHORIZED, "bad signature")
    } else {
        (StatusCode::OK, "ok")
    };
    inner.received.lock().expect("not poisoned").push(Delivery {
        id,
        timestamp,
        signature,
        body,
        verified,
        answered: status.as_u16(),
        at: Instant::now(),
    });
    (status, text)
}

impl Receiver {
    /// Starts one that answers 500 to its first `refuse` requests.
    pub async fn start(refuse: usize) -> Receiver {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = listener.local_addr().expect("an address").port();
        let inner = Arc::new(Inner {
            refuse: AtomicUsize::new(refuse),
            ..Inner::default()
        });
        let app = Router::new()
            .route("/hook", post(hook))
            .with_state(inner.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver {
            url: format!("http://127.0.0.1:{port}/hook"),
            inner,
        }
    }

    /// The secret to verify signatures with (known once the endpoint is registered).
    pub fn set_secret(&self, secret: &str) {
        *self.inner.secret.lock().expect("not poisoned") = Some(secret.to_owned());
    }

    /// Answers 500 to the next `n` requests.
    pub fn refuse_next(&self, n: usize) {
        self.inner.refuse.store(n, Ordering::SeqCst);
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<Delivery> {
        self.inner.received.lock().expect("not poisoned").clone()
    }

    /// Waits (up to `within`) until `done` holds for the requests received; returns them.
    pub async fn wait_for(
        &self,
        within: Duration,
        done: impl Fn(&[Delivery]) -> bool,
    ) -> Vec<Delivery> {
        let start = Instant::now();
        loop {
            let received = self.received();
            if done(&received) {
                return received;
            }
            assert!(
                start.elapsed() < within,
                "the receiver did not get what was expected within {within:?}: {:#?}",
                received
                    .iter()
                    .map(|d| (&d.id, d.answered, &d.body))
                    .collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// The deliveries accepted (2xx) of events of type `kind`.
    pub fn accepted(&self, kind: &str) -> Vec<Delivery> {
        self.received()
            .into_iter()
            .filter(|d| d.answered == 200 && d.json()["type"] == kind)
            .collect()
    }
}
