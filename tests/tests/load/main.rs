//! Votes under load: hundreds of readers voting, changing their minds and
//! withdrawing at once. Afterwards every total equals a recount of the rows
//! and what the successful responses imply; no request failed.

use std::{collections::HashMap, sync::Arc, time::Instant};

use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};
use tests::{
    on_both_databases,
    process::{free_port, start_server, wait_until_ready},
    Db, TestApp,
};
use tokio::sync::Semaphore;

const TOOLS: [&str; 6] = [
    "claude-haiku-open-weights",
    "smolvlm-3b",
    "cursor",
    "github-copilot",
    "qdrant",
    "pgvector",
];
const VOTE: &str =
    "mutation($tool: String!, $v: Verdict!) { castVote(tool: $tool, verdict: $v) { total } }";
const WITHDRAW: &str = "mutation($tool: String!) { withdrawVote(tool: $tool) { total } }";

/// A small deterministic generator, so every run sends the same operations.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

async fn concurrent_votes_leave_totals_equal_to_a_recount(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let app = Arc::new(app);
    let voters = 200;
    let per_voter = 15;
    let in_flight = Arc::new(Semaphore::new(64));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for voter in 0..voters {
        let app = app.clone();
        let in_flight = in_flight.clone();
        tasks.push(tokio::spawn(async move {
            let client = TestApp::new_client();
            let mut rng = Lcg(voter as u64 + 1);
            // The last successful verdict per tool: what this reader's votes should add up to.
            let mut mine: HashMap<&str, &str> = HashMap::new();
            let mut failures = Vec::new();
            for _ in 0..per_voter {
                let tool = TOOLS[rng.next(TOOLS.len())];
                let action = match rng.next(6) {
                    0 => "WITHDRAW",
                    1 | 2 => "SKIP",
                    _ => "SHIP",
                };
                let _permit = in_flight.acquire().await.expect("semaphore");
                let (body, field): (Value, &str) = if action == "WITHDRAW" {
                    let body = app.gql_as(&client, WITHDRAW, json!({ "tool": tool })).await;
                    (body, "withdrawVote")
                } else {
                    let body = app
                        .gql_as(&client, VOTE, json!({ "tool": tool, "v": action }))
                        .await;
                    (body, "castVote")
                };
                if body["errors"].is_null() && body["data"][field]["total"].is_number() {
                    if action == "WITHDRAW" {
                        mine.remove(tool);
                    } else {
                        mine.insert(tool, action);
                    }
                } else {
                    failures.push(body.to_string());
                }
            }
            (mine, failures)
        }));
    }
    let mut expected: HashMap<&str, (i64, i64)> = HashMap::new();
    let mut failures = Vec::new();
    for task in tasks {
        let (mine, failed) = task.await.expect("a voter task");
        failures.extend(failed);
        for (tool, verdict) in mine {
            let entry = expected.entry(tool).or_default();
            if verdict == "SHIP" {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
    }
    let elapsed = started.elapsed();
    let operations = voters * per_voter;
    eprintln!(
        "{db:?}: {operations} votes, changes and withdrawals from {voters} voters in {:.2} s = {:.0} votes/s (debug build, 64 in flight)",
        elapsed.as_secs_f64(),
        operations as f64 / elapsed.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} votes failed, e.g. {}",
        failures.len(),
        failures[0]
    );

    let rows = app
        .db
        .query_all_raw(Statement::from_string(
            app.db.get_database_backend(),
            "SELECT t.slug, v.verdict, COUNT(*) FROM votes v JOIN tools t ON t.id = v.tool_id GROUP BY t.slug, v.verdict",
        ))
        .await
        .expect("recount");
    let mut recount: HashMap<String, (i64, i64)> = HashMap::new();
    for row in rows {
        let slug: String = row.try_get_by_index(0).expect("slug");
        let verdict: String = row.try_get_by_index(1).expect("verdict");
        let count: i64 = row.try_get_by_index(2).expect("count");
        let entry = recount.entry(slug).or_default();
        if verdict == "SHIP" {
            entry.0 = count;
        } else {
            entry.1 = count;
        }
    }
    for tool in TOOLS {
        let body = app
            .gql(
                "query($s: String!) { tool(slug: $s) { community { ship skip total } } }",
                json!({ "s": tool }),
            )
            .await;
        let community = &body["data"]["tool"]["community"];
        let shown = (
            community["ship"].as_i64().expect("ship"),
            community["skip"].as_i64().expect("skip"),
        );
        let implied = expected.get(tool).copied().unwrap_or_default();
        let counted = recount.get(tool).copied().unwrap_or_default();
        assert_eq!(
            shown, counted,
            "{tool}: the API equals a recount of the rows"
        );
        assert_eq!(
            shown, implied,
            "{tool}: the API equals what the responses imply"
        );
        assert_eq!(community["total"].as_i64(), Some(shown.0 + shown.1));
    }
}

on_both_databases!(concurrent_votes_leave_totals_equal_to_a_recount);

async fn server_killed_mid_load_keeps_every_acknowledged_vote(db: Db) {
    let Some(database) = tests::TestDatabase::create(db).await else {
        return;
    };
    let port = free_port();
    let address = format!("http://127.0.0.1:{port}");
    let mut server = start_server(&database.url, port);
    wait_until_ready(&address).await;

    let readers: Vec<reqwest::Client> = (0..150).map(|_| TestApp::new_client()).collect();
    let readers = Arc::new(readers);
    let acknowledged = Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for reader in 0..readers.len() {
        let readers = readers.clone();
        let acknowledged = acknowledged.clone();
        let address = address.clone();
        tasks.push(tokio::spawn(async move {
            // Each reader votes once per tool, so every acknowledged vote is final.
            for step in 0..TOOLS.len() {
                let tool = TOOLS[(reader + step) % TOOLS.len()];
                let verdict = if (reader + step) % 3 == 0 {
                    "SKIP"
                } else {
                    "SHIP"
                };
                let sent = readers[reader]
                    .post(format!("{address}/graphql"))
                    .json(&json!({ "query": VOTE, "variables": { "tool": tool, "v": verdict } }))
                    .send()
                    .await;
                let Ok(response) = sent else { return };
                let Ok(body) = response.json::<Value>().await else {
                    return;
                };
                if body["errors"].is_null() && body["data"]["castVote"]["total"].is_number() {
                    acknowledged
                        .lock()
                        .expect("lock")
                        .push((reader, tool, verdict));
                }
            }
        }));
    }
    for _ in 0..600 {
        if acknowledged.lock().expect("lock").len() >= 300 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    server.start_kill().expect("SIGKILL");
    server.wait().await.expect("the server is gone");
    for task in tasks {
        let _ = task.await;
    }
    let acknowledged = acknowledged.lock().expect("lock").clone();
    assert!(acknowledged.len() >= 300, "the load ran before the kill");

    let port = free_port();
    let address = format!("http://127.0.0.1:{port}");
    let _restarted = start_server(&database.url, port);
    wait_until_ready(&address).await;
    for (reader, tool, verdict) in &acknowledged {
        let body: Value = readers[*reader]
            .post(format!("{address}/graphql"))
            .json(&json!({
                "query": "query($t: String!) { tool(slug: $t) { viewerVote } }",
                "variables": { "t": tool }
            }))
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
        assert_eq!(
            body["data"]["tool"]["viewerVote"], *verdict,
            "reader {reader}'s acknowledged vote on {tool} survived the crash"
        );
    }
    let counted = sea_orm::Database::connect(&database.url)
        .await
        .expect("connect");
    let rows = counted
        .query_all_raw(Statement::from_string(
            counted.get_database_backend(),
            "SELECT t.slug, COUNT(*) FROM votes v JOIN tools t ON t.id = v.tool_id GROUP BY t.slug",
        ))
        .await
        .expect("recount");
    for row in rows {
        let slug: String = row.try_get_by_index(0).expect("slug");
        let count: i64 = row.try_get_by_index(1).expect("count");
        let body: Value = reqwest::Client::new()
            .post(format!("{address}/graphql"))
            .json(&json!({
                "query": "query($t: String!) { tool(slug: $t) { community { total } } }",
                "variables": { "t": slug }
            }))
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
        assert_eq!(body["data"]["tool"]["community"]["total"], count, "{slug}");
    }
    counted.close().await.expect("close");
}

mod crash {
    use tests::on_both_databases;

    use super::server_killed_mid_load_keeps_every_acknowledged_vote;

    on_both_databases!(server_killed_mid_load_keeps_every_acknowledged_vote);
}
