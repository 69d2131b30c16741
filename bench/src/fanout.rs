//! The WebSocket figures of finding 2: 1,000 subscribers of one tool and
//! one vote (SQL statements, latency to the last subscriber), and the
//! server's memory before, during and after an attacker's sockets.
//!
//! Subscribers connect from 63 loopback addresses (127.0.0.2 …) so that the
//! default limit of 16 connections per address holds; the attacker is one
//! address trying for far more than the limits allow.

use std::{
    net::{Ipv4Addr, SocketAddr},
    path::Path,
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpSocket;
use tokio_tungstenite::{
    client_async,
    tungstenite::{client::IntoClientRequest, http::HeaderValue, Message},
    WebSocketStream,
};

const TOOL: &str = "smolvlm-3b";
const SUBSCRIBERS: usize = 1_000;
const COMMUNITY: &str = "subscription($t: String!) { communityScore(tool: $t) { ship total } }";
const VOTE: &str =
    "mutation BenchVote($tool: String!) { castVote(tool: $tool, verdict: SHIP) { total } }";

type Socket = WebSocketStream<tokio::net::TcpStream>;

/// VmRSS of a process, in MB.
fn rss_mb(pid: u32) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
}

/// A graphql-transport-ws connection from `from`, acknowledged.
async fn connect(port: u16, from: Ipv4Addr) -> Result<Socket> {
    let socket = TcpSocket::new_v4()?;
    socket.bind(SocketAddr::from((from, 0)))?;
    let tcp = socket
        .connect(SocketAddr::from(([127, 0, 0, 1], port)))
        .await?;
    let mut request = format!("ws://127.0.0.1:{port}/graphql/ws").into_client_request()?;
    request.headers_mut().insert(
        "sec-websocket-protocol",
        HeaderValue::from_static("graphql-transport-ws"),
    );
    let (mut ws, _) = client_async(request, tcp).await?;
    ws.send(Message::text(
        json!({ "type": "connection_init" }).to_string(),
    ))
    .await?;
    loop {
        if let Message::Text(text) = ws.next().await.context("closed before the ack")?? {
            if text.contains("connection_ack") {
                return Ok(ws);
            }
        }
    }
}

/// Reads until a `next` message whose data has this `ship`.
async fn until_ship(ws: &mut Socket, ship: u64) -> Result<()> {
    loop {
        let frame = tokio::time::timeout(Duration::from_secs(30), ws.next())
            .await
            .context("no message within 30 s")?
            .context("closed")??;
        if let Message::Text(text) = frame {
            let message: Value = serde_json::from_str(&text)?;
            if message["type"] == "next"
                && message["payload"]["data"]["communityScore"]["ship"] == ship
            {
                return Ok(());
            }
        }
    }
}

async fn vote(client: &reqwest::Client, base: &str) -> Result<()> {
    let status = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": VOTE, "variables": { "tool": TOOL } }))
        .send()
        .await?
        .status();
    if !status.is_success() {
        bail!("the vote got {status}");
    }
    Ok(())
}

/// The fan-out and memory figures as a Markdown section.
pub async fn run(server: &Path, site_root: &Path, work: &Path) -> Result<String> {
    let database = work.join("fanout.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
    }
    let port = crate::free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let child = tokio::process::Command::new(server)
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", database.display()),
        )
        .env("VERDICTS_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", site_root)
        .env(
            "VERDICTS_DEMO_DATA",
            crate::workspace().join("data/demo.json"),
        )
        .env("VOTE_LIMIT_PER_VOTER", "1000000000")
        .env("VOTE_LIMIT_PER_ADDRESS", "1000000000")
        .env("ANOMALY_SCAN_SECS", "0")
        .env("SCORE_HISTORY_SECS", "0")
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("start the release server")?;
    let pid = child.id().context("the server's pid")?;
    let client = reqwest::Client::new();
    crate::first_ok(&client, &format!("{base}/healthz"), Instant::now()).await?;

    // 1,000 subscribers, one connection each, 16 per loopback address.
    let mut subscribers = Vec::with_capacity(SUBSCRIBERS);
    for i in 0..SUBSCRIBERS {
        let from = Ipv4Addr::new(127, 0, 0, 2 + (i / 16) as u8);
        let mut ws = connect(port, from).await?;
        ws.send(Message::text(
            json!({ "id": "1", "type": "subscribe", "payload": { "query": COMMUNITY, "variables": { "t": TOOL } } })
                .to_string(),
        ))
        .await?;
        until_ship(&mut ws, 0).await?;
        subscribers.push(ws);
    }
    let rss_subscribed = rss_mb(pid).unwrap_or(0.0);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = crate::statements(&client, &base).await?;
    let started = Instant::now();
    vote(&client, &base).await?;
    let answered = started.elapsed();
    let readers: Vec<_> = subscribers
        .into_iter()
        .map(|mut ws| {
            tokio::spawn(async move {
                until_ship(&mut ws, 1).await?;
                Ok::<_, anyhow::Error>((started.elapsed(), ws))
            })
        })
        .collect();
    let mut last = Duration::ZERO;
    let mut sockets = Vec::new();
    for reader in futures::future::join_all(readers).await {
        let (arrived, ws) = reader??;
        last = last.max(arrived);
        sockets.push(ws);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let watched = crate::statements(&client, &base).await? - before;
    // The same vote with nobody watching.
    for mut ws in sockets {
        let _ = ws.close(None).await;
    }
    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = crate::statements(&client, &base).await?;
    vote(&client, &base).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let alone = crate::statements(&client, &base).await? - before;

    // The attack: one address opens as many sockets as it may and asks each
    // for 2,000 subscriptions of 10 aliases; then 200 more sockets.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let rss_before = rss_mb(pid).unwrap_or(0.0);
    let attacker = Ipv4Addr::new(127, 0, 1, 1);
    let aliases: Vec<String> = (0..10).map(|i| format!("a{i}: ship")).collect();
    let query = format!(
        "subscription {{ communityScore(tool: \"{TOOL}\") {{ {} }} }}",
        aliases.join(" ")
    );
    let mut held = Vec::new();
    let mut refused = 0;
    for _ in 0..216 {
        match connect(port, attacker).await {
            Ok(ws) => held.push(ws),
            Err(_) => refused += 1,
        }
    }
    let mut running = 0;
    let mut errors = 0;
    for ws in &mut held {
        for id in 0..2_000 {
            ws.send(Message::text(
                json!({ "id": id.to_string(), "type": "subscribe", "payload": { "query": query } })
                    .to_string(),
            ))
            .await?;
        }
        // Each subscription answers once: its first value, or a refusal.
        let mut answers = 0;
        while answers < 2_000 {
            let frame = tokio::time::timeout(Duration::from_secs(30), ws.next())
                .await
                .context("the attacked server went quiet")?
                .context("closed")??;
            if let Message::Text(text) = frame {
                let message: Value = serde_json::from_str(&text)?;
                if message["type"] == "next" {
                    answers += 1;
                    if message["payload"]["errors"].is_null() {
                        running += 1;
                    } else {
                        errors += 1;
                    }
                }
            }
        }
    }
    let rss_attack = rss_mb(pid).unwrap_or(0.0);
    let before = crate::statements(&client, &base).await?;
    vote(&client, &base).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let under_attack = crate::statements(&client, &base).await? - before;
    let held_count = held.len();
    for mut ws in held {
        let _ = ws.close(None).await;
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rss_after = rss_mb(pid).unwrap_or(0.0);
    drop(child);

    let mut out = String::new();
    use std::fmt::Write as _;
    writeln!(
        out,
        "## WebSocket: fan-out and an attacker's sockets (SQLite, demo catalogue)\n"
    )?;
    writeln!(
        out,
        "Command: `cargo run --release -p bench -- --fanout` (also part of `make bench`). Release server, default limits (16 WebSockets per address, 20 subscriptions per connection); subscribers connect from 63 loopback addresses.\n"
    )?;
    writeln!(out, "| measure | value | target |")?;
    writeln!(out, "|---|---|---|")?;
    writeln!(
        out,
        "| fan-out: 1,000 subscribers, one vote: statements | {watched} (the same vote with no subscriber: {alone}; fan-out +{}) | ≤ 3 for the fan-out: {} |",
        watched.saturating_sub(alone),
        crate::mark(watched.saturating_sub(alone) <= 3)
    )?;
    writeln!(
        out,
        "| fan-out: 1,000 subscribers, one vote: latency to last subscriber | {:.1} ms from sending the vote (its answer took {:.1} ms) | < 100 ms: {} |",
        last.as_secs_f64() * 1e3,
        answered.as_secs_f64() * 1e3,
        crate::mark(last < Duration::from_millis(100))
    )?;
    writeln!(
        out,
        "| attack: one address, 216 sockets × 2,000 subscriptions × 10 aliases | {held_count} sockets accepted, {refused} refused (429); {running} subscriptions ran, {errors} refused | ≤ 16 sockets, ≤ 20 subscriptions each |"
    )?;
    writeln!(
        out,
        "| attack: statements of one vote during the attack | {under_attack} | as with no subscriber + 1 |"
    )?;
    writeln!(
        out,
        "| memory (VmRSS): before the attack / during / 3 s after its sockets closed | {rss_before:.1} / {rss_attack:.1} / {rss_after:.1} MB ({:+.1} %) | after within 10 % of before: {} |",
        (rss_after / rss_before - 1.0) * 100.0,
        crate::mark(rss_after <= rss_before * 1.1)
    )?;
    writeln!(
        out,
        "| memory with 1,000 subscribers connected | {rss_subscribed:.1} MB | reported |"
    )?;
    Ok(out)
}
