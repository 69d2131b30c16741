//! Webhook delivery figures: event committed → receiver, median and p99 over
//! 1,000 events written one after another, and the throughput of 1,000
//! events written by concurrent editors (first write sent → last event
//! received). The release server runs on a fresh SQLite file with the demo
//! catalogue; a receiver in this process answers 200 at once. An event's
//! commit time is its payload's `timestamp` (taken inside the transaction
//! that commits it); server and receiver share the machine's clock.

use std::{
    path::Path,
    process::Stdio,
    sync::{Arc, Mutex},
    time::{Duration, Instant, SystemTime},
};

use anyhow::{bail, Context, Result};
use axum::{body::Bytes, extract::State, routing::post, Router};
use serde_json::{json, Value};
use tokio::io::AsyncWriteExt;

/// Events per measurement.
const EVENTS: usize = 1_000;
/// Editors writing at once in the throughput run.
const WRITERS: usize = 16;
const EDITOR: &str = "bench@verdicts.example";
const PASSWORD: &str = "a long bench password";
const UPDATE: &str = "mutation($slug: String!, $i: ComparisonInput!) { \
    updateComparison(slug: $slug, input: $i) { slug } }";

/// Each received event: (its commit time, when it came).
type Received = Arc<Mutex<Vec<(SystemTime, SystemTime)>>>;

async fn hook(State(received): State<Received>, body: Bytes) -> &'static str {
    let arrived = SystemTime::now();
    let committed = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v["timestamp"].as_str().map(str::to_owned))
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| SystemTime::from(t.with_timezone(&chrono::Utc)));
    if let Some(committed) = committed {
        received
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((committed, arrived));
    }
    "ok"
}

async fn gql(client: &reqwest::Client, base: &str, query: &str, variables: Value) -> Result<Value> {
    let body: Value = client
        .post(format!("{base}/graphql"))
        .header("x-verdicts-csrf", "1")
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await?
        .json()
        .await?;
    if !body["errors"].is_null() {
        bail!("{query}: {body}");
    }
    Ok(body["data"].clone())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

async fn wait_for(received: &Received, count: usize, within: Duration) -> Result<()> {
    let start = Instant::now();
    while received.lock().unwrap_or_else(|e| e.into_inner()).len() < count {
        if start.elapsed() > within {
            bail!(
                "only {} of {count} webhook events arrived",
                received.lock().unwrap_or_else(|e| e.into_inner()).len()
            );
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    Ok(())
}

/// Runs both measurements; the report's section.
pub async fn run(server: &Path, site_root: &Path, work: &Path) -> Result<String> {
    let db = work.join("webhooks.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let database_url = format!("sqlite://{}?mode=rwc", db.display());
    let demo = super::workspace().join("data/demo.json");
    let mut create = tokio::process::Command::new(server)
        .args(["create-editor", "--email", EDITOR])
        .env("DATABASE_URL", &database_url)
        .env("VERDICTS_DEMO_DATA", &demo)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .context("verdicts create-editor")?;
    if let Some(mut stdin) = create.stdin.take() {
        stdin.write_all(format!("{PASSWORD}\n").as_bytes()).await?;
    }
    if !create.wait().await?.success() {
        bail!("verdicts create-editor failed");
    }
    let port = super::free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let _server = tokio::process::Command::new(server)
        .arg("serve")
        .env("DATABASE_URL", &database_url)
        .env("VERDICTS_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", site_root)
        .env("VERDICTS_DEMO_DATA", &demo)
        .env("VERDICTS_API_COST_BUDGET", "0")
        .env("ANOMALY_SCAN_SECS", "0")
        .env("SCORE_HISTORY_SECS", "0")
        .env("WEBHOOKS_ALLOW_PRIVATE", "true")
        .env("WEBHOOK_SCORE_DEBOUNCE_SECS", "0")
        .env("RUST_BACKTRACE", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("start the release server")?;
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    super::first_ok(&client, &format!("{base}/healthz"), Instant::now()).await?;
    gql(
        &client,
        &base,
        "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }",
        json!({ "e": EDITOR, "p": PASSWORD }),
    )
    .await?;

    let received: Received = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let hook_url = format!("http://127.0.0.1:{}/hook", listener.local_addr()?.port());
    let app = Router::new()
        .route("/hook", post(hook))
        .with_state(received.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    gql(
        &client,
        &base,
        "mutation($u: String!) { createWebhookEndpoint(url: $u, events: [COMPARISON_UPDATED]) { secret } }",
        json!({ "u": hook_url }),
    )
    .await?;
    let comparison = gql(
        &client,
        &base,
        "query($s: String!) { comparison(slug: $s) { slug title summary left { slug } right { slug } } }",
        json!({ "s": super::DEMO }),
    )
    .await?["comparison"]
        .clone();
    let input = |n: usize| {
        json!({ "slug": comparison["slug"], "i": {
            "slug": comparison["slug"], "title": format!("{} ({n})", comparison["title"].as_str().unwrap_or("")),
            "summary": comparison["summary"], "left": comparison["left"]["slug"], "right": comparison["right"]["slug"] } })
    };

    // Latency: one event at a time, each received before the next is written.
    for n in 0..EVENTS {
        gql(&client, &base, UPDATE, input(n)).await?;
        wait_for(&received, n + 1, Duration::from_secs(30)).await?;
    }
    let mut latencies: Vec<f64> = received
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|(committed, arrived)| {
            arrived
                .duration_since(*committed)
                .unwrap_or_default()
                .as_secs_f64()
                * 1000.0
        })
        .collect();
    latencies.sort_by(f64::total_cmp);

    // Throughput: WRITERS editors' sessions write EVENTS events at once.
    received.lock().unwrap_or_else(|e| e.into_inner()).clear();
    let started = Instant::now();
    let writes = futures::future::try_join_all((0..WRITERS).map(|w| {
        let (client, base, input) = (client.clone(), base.clone(), &input);
        async move {
            for n in (w..EVENTS).step_by(WRITERS) {
                gql(&client, &base, UPDATE, input(EVENTS + n)).await?;
            }
            anyhow::Ok(())
        }
    }));
    writes.await?;
    let written = started.elapsed();
    wait_for(&received, EVENTS, Duration::from_secs(120)).await?;
    let delivered = started.elapsed();

    Ok(format!(
        "## Webhook delivery\n\n\
         One endpoint (a receiver on this machine answering 200), `comparison.updated` events \
         from `updateComparison`, SQLite, the release server; latency is from the event's commit \
         (its `timestamp`) to its arrival.\n\n\
         | Measure | Value |\n|---|---|\n\
         | Latency, median ({EVENTS} events one at a time) | {:.1} ms |\n\
         | Latency, p99 | {:.1} ms |\n\
         | Latency, max | {:.1} ms |\n\
         | Throughput ({EVENTS} events, {WRITERS} writers): written in | {:.2} s |\n\
         | Throughput: all delivered in | {:.2} s ({:.0} events/s) |\n",
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        latencies.last().copied().unwrap_or(f64::NAN),
        written.as_secs_f64(),
        delivered.as_secs_f64(),
        EVENTS as f64 / delivered.as_secs_f64(),
    ))
}
