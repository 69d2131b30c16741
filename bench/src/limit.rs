//! The limit baseline: a minimal axum server that answers each request the
//! bench sends with the exact bytes (status, content type, body) the real
//! server gave for it, from memory. What it reaches on the same core is the
//! most any server could do for that traffic on this machine, so every
//! workload is reported as a share of it.
//!
//! It runs as `bench --limit TABLE --port N`, a process of its own, so that
//! it is pinned to the server's core exactly as `verdicts serve` is.

use std::{collections::HashMap, path::Path, sync::Arc};

use anyhow::{Context, Result};
use axum::{
    body::Bytes,
    extract::State,
    http::{header, HeaderValue, Method, StatusCode, Uri},
    response::{IntoResponse, Response},
    serve::ListenerExt,
    Router,
};
use serde_json::{json, Value};

/// One answer as the real server gave it.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: Bytes,
}

/// Requests and the answers the limit server gives them: `routes` point
/// into `answers`, so that many requests (every vote) can share one.
#[derive(Debug, Default)]
pub struct Table {
    answers: Vec<Answer>,
    routes: Vec<(String, String, String, usize)>,
}

impl Table {
    /// Adds an answer; its index, for [`Table::route`].
    pub fn answer(&mut self, answer: Answer) -> usize {
        self.answers.push(answer);
        self.answers.len() - 1
    }

    /// Answers `method target` with `body` by answer `index`.
    pub fn route(&mut self, method: &str, target: &str, body: &str, index: usize) {
        self.routes
            .push((method.to_owned(), target.to_owned(), body.to_owned(), index));
    }

    /// Writes the table for `bench --limit`.
    pub fn write(&self, path: &Path) -> Result<()> {
        let answers: Vec<Value> = self
            .answers
            .iter()
            .map(|a| {
                json!({
                    "status": a.status,
                    "content_type": a.content_type,
                    "body": String::from_utf8_lossy(&a.body),
                })
            })
            .collect();
        let routes: Vec<Value> = self
            .routes
            .iter()
            .map(|(m, t, b, i)| json!([m, t, b, i]))
            .collect();
        std::fs::write(
            path,
            serde_json::to_vec(&json!({ "answers": answers, "routes": routes }))?,
        )?;
        Ok(())
    }
}

fn key(method: &str, target: &str, body: &[u8]) -> Vec<u8> {
    let mut key = Vec::with_capacity(method.len() + target.len() + body.len() + 2);
    key.extend_from_slice(method.as_bytes());
    key.push(b' ');
    key.extend_from_slice(target.as_bytes());
    key.push(b'\n');
    key.extend_from_slice(body);
    key
}

struct Served {
    answers: Vec<(StatusCode, HeaderValue, Bytes)>,
    routes: HashMap<Vec<u8>, usize>,
}

async fn answer(
    State(served): State<Arc<Served>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> Response {
    let target = uri.path_and_query().map_or("/", |p| p.as_str());
    match served.routes.get(&key(method.as_str(), target, &body)) {
        Some(&index) => {
            let (status, content_type, body) = &served.answers[index];
            (
                *status,
                [(header::CONTENT_TYPE, content_type.clone())],
                body.clone(),
            )
                .into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `bench --limit TABLE --port N`: serves the table until killed.
pub async fn serve(table: &Path, port: u16) -> Result<()> {
    let text = std::fs::read(table).with_context(|| format!("read {}", table.display()))?;
    let value: Value = serde_json::from_slice(&text)?;
    let answers = value["answers"]
        .as_array()
        .context("answers")?
        .iter()
        .map(|a| -> Result<_> {
            Ok((
                StatusCode::from_u16(a["status"].as_u64().unwrap_or(200) as u16)?,
                HeaderValue::from_str(a["content_type"].as_str().unwrap_or("text/plain"))?,
                Bytes::from(a["body"].as_str().unwrap_or_default().to_owned()),
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut routes = HashMap::new();
    for route in value["routes"].as_array().context("routes")? {
        let part = |i: usize| route[i].as_str().unwrap_or_default();
        let index = route[3].as_u64().context("an answer index")? as usize;
        if index >= answers.len() {
            anyhow::bail!("route to answer {index} of {}", answers.len());
        }
        routes.insert(key(part(0), part(1), part(2).as_bytes()), index);
    }
    let served = Arc::new(Served { answers, routes });
    let router = Router::new().fallback(answer).with_state(served);
    // TCP_NODELAY as the real server sets it on every accepted connection.
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await?
        .tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
    axum::serve(listener, router).await?;
    Ok(())
}
