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
/// Votes cast one after another while the subscribers listen.
const VOTES: usize = 21;
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

/// The `ship` count of a `next` message, if the frame is one.
fn ship_of(frame: &Message) -> Option<u64> {
    let Message::Text(text) = frame else {
        return None;
    };
    let message: Value = serde_json::from_str(text).ok()?;
    (message["type"] == "next")
        .then(|| message["payload"]["data"]["communityScore"]["ship"].as_u64())
        .flatten()
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
        .env("VOTE_NETWORK_QUOTA", "1000000000")
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
    // Every subscriber reads in its own task from now on, as a real client
    // would, and reports when each value arrived.
    let (arrivals, mut arrived) = tokio::sync::mpsc::unbounded_channel();
    let readers: Vec<_> = subscribers
        .into_iter()
        .map(|mut ws| {
            let arrivals = arrivals.clone();
            tokio::spawn(async move {
                while let Some(Ok(frame)) = ws.next().await {
                    if let Some(ship) = ship_of(&frame) {
                        let _ = arrivals.send((ship, Instant::now()));
                    }
                }
            })
        })
        .collect();
    drop(arrivals);
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The first vote counts statements; then more votes, one at a time, for
    // the latency's spread.
    let before = crate::statements(&client, &base).await?;
    let mut latencies = Vec::with_capacity(VOTES);
    let mut answers = Vec::with_capacity(VOTES);
    let mut watched = 0;
    for round in 1..=VOTES as u64 {
        let started = Instant::now();
        vote(&client, &base).await?;
        answers.push(started.elapsed());
        let mut last = Duration::ZERO;
        let mut reached = 0;
        while reached < SUBSCRIBERS {
            let (ship, at) = tokio::time::timeout(Duration::from_secs(30), arrived.recv())
                .await
                .context("a subscriber heard nothing within 30 s")?
                .context("every subscriber closed")?;
            if ship == round {
                reached += 1;
                last = last.max(at - started);
            }
        }
        latencies.push(last);
        if round == 1 {
            tokio::time::sleep(Duration::from_millis(500)).await;
            watched = crate::statements(&client, &base).await? - before;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    latencies.sort();
    answers.sort();
    let median = latencies[VOTES / 2];
    let worst = latencies[VOTES - 1];
    let answered = answers[VOTES / 2];
    // Aborting a reader drops its socket: the subscriber goes away.
    for reader in readers {
        reader.abort();
        let _ = reader.await;
    }
    // The same vote with nobody watching.
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
        "| fan-out: 1,000 subscribers, one vote: latency to the last subscriber, median (worst) of {VOTES} votes | {:.1} ms ({:.1} ms) from sending the vote (its answer: median {:.1} ms) | < 100 ms: {} |",
        median.as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3,
        answered.as_secs_f64() * 1e3,
        crate::mark(median < Duration::from_millis(100))
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
