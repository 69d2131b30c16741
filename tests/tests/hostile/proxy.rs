//! The client address behind proxies: the right-most untrusted
//! `X-Forwarded-For` entry, never one the client wrote; IPv6 clients are
//! counted by /64. Found: the first entry was taken, so 400 of 400 votes
//! and 15 of 15 sign-ups passed limits of 300 and 10; and a byte that is
//! not ASCII made the whole header line unreadable.

use serde_json::{json, Value};
use server::caller::TrustedProxies;
use tests::{on_both_databases, Db, SpawnOptions, TestApp};

const VOTE: &str = "mutation($t: String!) { castVote(tool: $t, verdict: SHIP) { total } }";

/// A server allowing 3 votes per client address a minute, behind `proxies`.
async fn behind(db: Db, proxies: fn(&mut server::config::Config)) -> Option<TestApp> {
    TestApp::spawn_with(
        db,
        SpawnOptions {
            vote_limits: (1_000, 3, 3600),
            configure: proxies,
            ..SpawnOptions::default()
        },
    )
    .await
}

/// Votes as a new reader each time (so only the address limit applies),
/// with these `X-Forwarded-For` values; returns how many were accepted.
async fn accepted_votes(app: &TestApp, forwarded: &[String]) -> usize {
    let mut accepted = 0;
    for value in forwarded {
        let reader = TestApp::new_client();
        let body: Value = reader
            .post(format!("{}/graphql", app.address))
            .header("x-forwarded-for", value)
            .json(&json!({ "query": VOTE, "variables": { "t": "smolvlm-3b" } }))
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
        match body["errors"][0]["extensions"]["code"].as_str() {
            None => accepted += 1,
            Some("RATE_LIMITED") => {}
            Some(other) => panic!("unexpected {other}: {body}"),
        }
    }
    accepted
}

async fn forged_first_entries_do_not_make_new_clients(db: Db) {
    let Some(app) = behind(db, |c| {
        c.trusted_proxies = TrustedProxies::Count(1);
    })
    .await
    else {
        return;
    };
    // The client writes any first entry it likes; the proxy appends the
    // address it saw, which is the same reader every time.
    let forged: Vec<String> = (0..10)
        .map(|i| format!("198.51.100.{i}, 203.0.113.5"))
        .collect();
    assert_eq!(accepted_votes(&app, &forged).await, 3);
    // Another real client still has its own allowance.
    assert_eq!(accepted_votes(&app, &["203.0.113.6".to_owned()]).await, 1);
}

async fn forwarded_for_without_trusted_proxies_is_ignored(db: Db) {
    let Some(app) = behind(db, |c| {
        c.trusted_proxies = TrustedProxies::None;
    })
    .await
    else {
        return;
    };
    let forged: Vec<String> = (0..6).map(|i| format!("198.51.100.{i}")).collect();
    assert_eq!(accepted_votes(&app, &forged).await, 3);
}

async fn trusted_proxy_networks_name_the_first_untrusted_hop(db: Db) {
    let Some(app) = behind(db, |c| {
        // The test's connection comes from 127.0.0.1, "the proxy"; a second
        // proxy at 10.0.0.0/8 sits in front of it.
        c.trusted_proxies = "127.0.0.1, 10.0.0.0/8".parse().expect("networks");
    })
    .await
    else {
        return;
    };
    let forged: Vec<String> = (0..6)
        .map(|i| format!("192.0.2.{i}, 203.0.113.77, 10.1.1.{i}"))
        .collect();
    assert_eq!(accepted_votes(&app, &forged).await, 3);
}

async fn ipv6_clients_are_counted_by_their_64(db: Db) {
    let Some(app) = behind(db, |c| {
        c.trusted_proxies = TrustedProxies::Count(1);
    })
    .await
    else {
        return;
    };
    // One subscriber line: every address of 2001:db8:7:7::/64 is one client.
    let same_line: Vec<String> = (1..=8)
        .map(|i| format!("2001:db8:7:7:{i:x}:{i:x}::{i:x}"))
        .collect();
    assert_eq!(accepted_votes(&app, &same_line).await, 3);
    assert_eq!(
        accepted_votes(&app, &["2001:db8:7:8::1".to_owned()]).await,
        1
    );
}

/// Votes as a new reader each time with these `X-Forwarded-For` header
/// lines, as raw bytes; returns how many were accepted.
async fn accepted_votes_raw(app: &TestApp, requests: &[Vec<Vec<u8>>]) -> usize {
    let mut accepted = 0;
    for lines in requests {
        let reader = TestApp::new_client();
        let mut request = reader.post(format!("{}/graphql", app.address));
        for line in lines {
            request = request.header(
                "x-forwarded-for",
                reqwest::header::HeaderValue::from_bytes(line).expect("a header value"),
            );
        }
        let body: Value = request
            .json(&json!({ "query": VOTE, "variables": { "t": "smolvlm-3b" } }))
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
        match body["errors"][0]["extensions"]["code"].as_str() {
            None => accepted += 1,
            Some("RATE_LIMITED") => {}
            Some(other) => panic!("unexpected {other}: {body}"),
        }
    }
    accepted
}

/// Found: one byte that is not ASCII made the whole `X-Forwarded-For` line
/// unreadable, and it was dropped: the client hid the entry its proxy
/// appended, and its own forged entries on another line counted instead.
async fn junk_bytes_in_forwarded_for_do_not_hide_the_proxys_entry(db: Db) {
    let rules: [fn(&mut server::config::Config); 2] = [
        |c| c.trusted_proxies = TrustedProxies::Count(1),
        |c| c.trusted_proxies = "127.0.0.1".parse().expect("networks"),
    ];
    for rule in rules {
        let Some(app) = behind(db, rule).await else {
            return;
        };
        // The client sends a forged line and a line ending in junk; the
        // proxy appends the address it saw to the last line.
        let hiding: Vec<Vec<Vec<u8>>> = (0..10)
            .map(|i| {
                vec![
                    format!("198.51.100.{i}").into_bytes(),
                    b"\xff\xfe, 203.0.113.5".to_vec(),
                ]
            })
            .collect();
        assert_eq!(accepted_votes_raw(&app, &hiding).await, 3);
        // Junk where the client's address belongs (the rule picks it): the
        // nearest trusted hop, here the connection's peer, is the client,
        // never an address the client wrote.
        let junk: Vec<Vec<Vec<u8>>> = (0..10)
            .map(|i| {
                let mut line = format!("192.0.2.{i}, 203.0.113.{i}").into_bytes();
                line.push(0xe9);
                vec![line]
            })
            .collect();
        assert_eq!(accepted_votes_raw(&app, &junk).await, 3);
    }
}

on_both_databases!(
    junk_bytes_in_forwarded_for_do_not_hide_the_proxys_entry,
    forged_first_entries_do_not_make_new_clients,
    forwarded_for_without_trusted_proxies_is_ignored,
    trusted_proxy_networks_name_the_first_untrusted_hop,
    ipv6_clients_are_counted_by_their_64,
);
