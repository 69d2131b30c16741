//! Withdrawals, head-to-head picks and the vote rate limits.

use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};
use tests::{on_both_databases, Db, SpawnOptions, TestApp};

use crate::{error_code, DEMO};

const VOTE: &str = "mutation($tool: String!, $v: Verdict!) { castVote(tool: $tool, verdict: $v) { ship skip total } }";
const WITHDRAW: &str =
    "mutation($tool: String!) { withdrawVote(tool: $tool) { ship skip total missingVotes } }";
const PICK: &str = "mutation($c: String!, $t: String!) { pick(comparison: $c, tool: $t) { headToHead { left right total leftPercent missingPicks } } }";

async fn withdraw_vote_removes_only_the_readers_vote(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let other = TestApp::new_client();
    app.gql(VOTE, json!({ "tool": "cursor", "v": "SHIP" }))
        .await;
    app.gql_as(&other, VOTE, json!({ "tool": "cursor", "v": "SKIP" }))
        .await;
    let body = app.gql(WITHDRAW, json!({ "tool": "cursor" })).await;
    assert_eq!(
        body["data"]["withdrawVote"],
        json!({ "ship": 0, "skip": 1, "total": 1, "missingVotes": 9 })
    );
    // Withdrawing again, or without ever voting, changes nothing.
    let body = app.gql(WITHDRAW, json!({ "tool": "cursor" })).await;
    assert_eq!(body["data"]["withdrawVote"]["total"], 1);
    let body = app
        .gql_as(
            &TestApp::new_client(),
            WITHDRAW,
            json!({ "tool": "cursor" }),
        )
        .await;
    assert_eq!(body["data"]["withdrawVote"]["total"], 1);
    let viewer = app
        .gql("{ tool(slug: \"cursor\") { viewerVote } }", json!({}))
        .await;
    assert_eq!(viewer["data"]["tool"]["viewerVote"], Value::Null);
    let events = entities::vote_event::Entity::find()
        .count(&app.db)
        .await
        .expect("events");
    assert_eq!(events, 5, "every vote and withdrawal is kept as an event");
}

async fn pick_counts_one_per_reader_and_shows_after_enough_picks(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = app.gql(PICK, json!({ "c": DEMO, "t": "smolvlm-3b" })).await;
    assert_eq!(
        body["data"]["pick"]["headToHead"],
        json!({ "left": 0, "right": 1, "total": 1, "leftPercent": null, "missingPicks": 9 })
    );
    let body = app
        .gql(PICK, json!({ "c": DEMO, "t": "claude-haiku-open-weights" }))
        .await;
    assert_eq!(
        body["data"]["pick"]["headToHead"]["left"], 1,
        "a new pick replaces the old"
    );
    assert_eq!(body["data"]["pick"]["headToHead"]["total"], 1);
    for i in 0..9 {
        let reader = TestApp::new_client();
        let tool = if i < 6 {
            "smolvlm-3b"
        } else {
            "claude-haiku-open-weights"
        };
        app.gql_as(&reader, PICK, json!({ "c": DEMO, "t": tool }))
            .await;
    }
    let body = app
        .gql(
            "query($s: String!) { comparison(slug: $s) { headToHead { left right total leftPercent missingPicks } } }",
            json!({ "s": DEMO }),
        )
        .await;
    assert_eq!(
        body["data"]["comparison"]["headToHead"],
        json!({ "left": 4, "right": 6, "total": 10, "leftPercent": 40, "missingPicks": 0 })
    );
    // A pair no editor compared has its own picks (none yet).
    let ad_hoc = app
        .gql(
            "{ compare(left: \"cursor\", right: \"qdrant\") { headToHead { total } viewerPick { slug } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        ad_hoc["data"]["compare"]["headToHead"]["total"], 0,
        "{ad_hoc}"
    );
    assert_eq!(ad_hoc["data"]["compare"]["viewerPick"], Value::Null);
}

const PICK_BETWEEN: &str = "mutation($tools: [String!]!, $t: String!) { pickBetween(tools: $tools, tool: $t) { slug curated headToHead { left right total missingPicks } viewerPick { slug } } }";
const PAIR: &str = "query($l: String!, $r: String!) { compare(left: $l, right: $r) { curated headToHead { left right total } viewerPick { slug } } }";

async fn pick_between_counts_on_any_pair_once_per_reader_and_shares_the_curated_picks(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = app
        .gql(
            PICK_BETWEEN,
            json!({ "tools": ["cursor", "qdrant"], "t": "qdrant" }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(
        body["data"]["pickBetween"],
        json!({ "slug": "cursor-vs-qdrant", "curated": false,
                "headToHead": { "left": 0, "right": 1, "total": 1, "missingPicks": 9 },
                "viewerPick": { "slug": "qdrant" } })
    );
    // The pick is the pair's, whichever order the page puts it in.
    let reversed = app.gql(PAIR, json!({ "l": "qdrant", "r": "cursor" })).await;
    assert_eq!(
        reversed["data"]["compare"],
        json!({ "curated": false, "headToHead": { "left": 1, "right": 0, "total": 1 },
                "viewerPick": { "slug": "qdrant" } })
    );
    // A new pick replaces the reader's old one; another reader adds theirs.
    let body = app
        .gql(
            PICK_BETWEEN,
            json!({ "tools": ["qdrant", "cursor"], "t": "cursor" }),
        )
        .await;
    assert_eq!(
        body["data"]["pickBetween"]["headToHead"],
        json!({ "left": 0, "right": 1, "total": 1, "missingPicks": 9 }),
        "{body}"
    );
    let other = TestApp::new_client();
    app.gql_as(
        &other,
        PICK_BETWEEN,
        json!({ "tools": ["cursor", "qdrant"], "t": "qdrant" }),
    )
    .await;
    let pair = app.gql(PAIR, json!({ "l": "cursor", "r": "qdrant" })).await;
    assert_eq!(
        pair["data"]["compare"]["headToHead"],
        json!({ "left": 1, "right": 1, "total": 2 })
    );
    assert_eq!(pair["data"]["compare"]["viewerPick"]["slug"], "cursor");
    let theirs = app
        .gql_as(&other, PAIR, json!({ "l": "cursor", "r": "qdrant" }))
        .await;
    assert_eq!(theirs["data"]["compare"]["viewerPick"]["slug"], "qdrant");

    // A curated comparison and its pair share their picks: a pick on the
    // pair replaces the one made on the comparison, and the other way round.
    let (left, right) = ("claude-haiku-open-weights", "smolvlm-3b");
    app.gql(PICK, json!({ "c": DEMO, "t": left })).await;
    let body = app
        .gql(PICK_BETWEEN, json!({ "tools": [right, left], "t": right }))
        .await;
    assert_eq!(
        body["data"]["pickBetween"]["headToHead"],
        json!({ "left": 1, "right": 0, "total": 1, "missingPicks": 9 }),
        "{body}"
    );
    let curated = app
        .gql(
            "query($s: String!) { comparison(slug: $s) { headToHead { left right total } viewerPick { slug } } }",
            json!({ "s": DEMO }),
        )
        .await;
    assert_eq!(
        curated["data"]["comparison"],
        json!({ "headToHead": { "left": 0, "right": 1, "total": 1 }, "viewerPick": { "slug": right } })
    );
    assert_eq!(
        entities::pick::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        3,
        "one pick per reader and pair"
    );
}

async fn pick_between_refuses_what_is_not_a_pair_of_published_tools(db: Db) {
    use sea_orm::ConnectionTrait;
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    app.db
        .execute_unprepared("UPDATE tools SET published_at = NULL WHERE slug = 'pgvector'")
        .await
        .expect("make pgvector a draft");
    for (tools, tool, code, field) in [
        (json!(["cursor"]), "cursor", "VALIDATION", Some("tools")),
        (
            json!(["cursor", "qdrant", "whisper-large-v3"]),
            "cursor",
            "VALIDATION",
            Some("tools"),
        ),
        (
            json!(["cursor", "cursor"]),
            "cursor",
            "VALIDATION",
            Some("tools"),
        ),
        (
            json!(["cursor", "qdrant"]),
            "whisper-large-v3",
            "VALIDATION",
            Some("tool"),
        ),
        (
            json!(["cursor", "qdrant"]),
            "nothing",
            "VALIDATION",
            Some("tool"),
        ),
        (
            json!(["cursor", "no-such-tool"]),
            "cursor",
            "NOT_FOUND",
            None,
        ),
        // A draft is no tool readers can pick.
        (json!(["cursor", "pgvector"]), "pgvector", "NOT_FOUND", None),
        (json!(["cursor", "pgvector"]), "cursor", "NOT_FOUND", None),
    ] {
        let body = app
            .gql(PICK_BETWEEN, json!({ "tools": tools, "t": tool }))
            .await;
        assert_eq!(error_code(&body), Some(code), "{tools} {tool}: {body}");
        if let Some(field) = field {
            assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
        }
    }
    assert_eq!(
        entities::pick::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0,
        "nothing was written"
    );
}

async fn pick_between_is_rate_limited_like_votes(db: Db) {
    let options = SpawnOptions {
        vote_limits: (3, 1_000, 3_600),
        ..SpawnOptions::default()
    };
    let Some(app) = TestApp::spawn_with(db, options).await else {
        return;
    };
    let mut codes = Vec::new();
    for tool in ["cursor", "qdrant", "cursor", "qdrant"] {
        let body = app
            .gql(
                PICK_BETWEEN,
                json!({ "tools": ["cursor", "qdrant"], "t": tool }),
            )
            .await;
        codes.push(error_code(&body).unwrap_or("OK").to_owned());
    }
    assert_eq!(codes, ["OK", "OK", "OK", "RATE_LIMITED"]);
    let pair = app.gql(PAIR, json!({ "l": "cursor", "r": "qdrant" })).await;
    assert_eq!(
        pair["data"]["compare"]["viewerPick"]["slug"], "cursor",
        "the refused pick changed nothing"
    );
}

async fn pick_of_a_tool_outside_the_comparison_is_a_validation_error(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = app.gql(PICK, json!({ "c": DEMO, "t": "cursor" })).await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "tool");
    let body = app
        .gql(PICK, json!({ "c": "no-such-comparison", "t": "cursor" }))
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    assert_eq!(
        entities::pick::Entity::find()
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
}

async fn a_hammering_voter_is_rate_limited_and_others_are_not(db: Db) {
    let options = SpawnOptions {
        // An hour-long fixed window: eight quick votes never straddle two
        // windows (with a minute, about one run in fifty did, and the sixth
        // vote landed in a fresh window).
        vote_limits: (5, 1_000, 3_600),
        ..SpawnOptions::default()
    };
    let Some(app) = TestApp::spawn_with(db, options).await else {
        return;
    };
    let mut limited = None;
    for i in 0..8 {
        let verdict = if i % 2 == 0 { "SHIP" } else { "SKIP" };
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .json(&json!({ "query": VOTE, "variables": { "tool": "qdrant", "v": verdict } }))
            .send()
            .await
            .expect("an answer");
        if i < 5 {
            assert_eq!(
                response.status().as_u16(),
                200,
                "vote {i} is within the limit"
            );
        } else {
            assert_eq!(response.status().as_u16(), 429);
            let retry: u64 = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse().ok())
                .expect("a Retry-After header");
            assert!((1..=3_600).contains(&retry), "{retry}");
            let body: Value = response.json().await.expect("JSON");
            assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
            assert!(body["errors"][0]["extensions"]["retryAfter"]
                .as_u64()
                .is_some());
            limited = Some(body);
        }
    }
    assert!(limited.is_some());
    // The fifth vote (SHIP) stands; the rejected ones changed nothing.
    let tool = app
        .gql(
            "{ tool(slug: \"qdrant\") { viewerVote community { total } } }",
            json!({}),
        )
        .await;
    assert_eq!(tool["data"]["tool"]["viewerVote"], "SHIP");
    assert_eq!(tool["data"]["tool"]["community"]["total"], 1);
    // Another reader votes freely.
    let other = app
        .gql_as(
            &TestApp::new_client(),
            VOTE,
            json!({ "tool": "qdrant", "v": "SKIP" }),
        )
        .await;
    assert!(other["errors"].is_null(), "{other}");
    assert_eq!(other["data"]["castVote"]["total"], 2);
    let anomalies = entities::vote_anomaly::Entity::find()
        .all(&app.db)
        .await
        .expect("anomalies");
    assert_eq!(anomalies.len(), 1, "one anomaly per tripped window");
    assert_eq!(anomalies[0].kind, "VOTE_VOTER_RATE_EXCEEDED");
}

async fn one_address_with_many_cookies_is_rate_limited(db: Db) {
    let options = SpawnOptions {
        // An hour-long window, so the eight votes never straddle two windows.
        vote_limits: (100, 6, 3_600),
        ..SpawnOptions::default()
    };
    let Some(app) = TestApp::spawn_with(db, options).await else {
        return;
    };
    let send = |address: &'static str| {
        let client = TestApp::new_client();
        let url = format!("{}/graphql", app.address);
        async move {
            client
                .post(url)
                .header("x-forwarded-for", address)
                .json(&json!({ "query": VOTE, "variables": { "tool": "pgvector", "v": "SHIP" } }))
                .send()
                .await
                .expect("an answer")
                .status()
                .as_u16()
        }
    };
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(send("203.0.113.7").await);
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 200, 429, 429]);
    assert_eq!(
        send("198.51.100.2").await,
        200,
        "another address is unaffected"
    );
    let form = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(format!("{}/vote", app.address))
        .header("x-forwarded-for", "203.0.113.7")
        .form(&[("tool", "pgvector"), ("verdict", "SHIP")])
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        form.status().as_u16(),
        429,
        "the no-JavaScript form is limited too"
    );
    assert!(form.headers().get("retry-after").is_some());
}

async fn a_burst_on_one_tool_from_one_address_is_recorded_once(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    for _ in 0..32 {
        let status = TestApp::new_client()
            .post(format!("{}/graphql", app.address))
            .header("x-forwarded-for", "192.0.2.44")
            .json(&json!({ "query": VOTE, "variables": { "tool": "cursor", "v": "SHIP" } }))
            .send()
            .await
            .expect("an answer")
            .status();
        assert_eq!(status.as_u16(), 200, "bursts are recorded, not refused");
    }
    let now = chrono::Utc::now();
    assert!(
        server::domain::anomalies::scan(&app.db, now)
            .await
            .expect("scan")
            >= 1
    );
    server::domain::anomalies::scan(&app.db, now)
        .await
        .expect("scan again");
    let anomalies = entities::vote_anomaly::Entity::find()
        .all(&app.db)
        .await
        .expect("anomalies");
    let bursts: Vec<_> = anomalies
        .iter()
        .filter(|a| a.kind == "TOOL_BURST_FROM_ADDRESS")
        .collect();
    assert_eq!(bursts.len(), 1, "{anomalies:?}");
    assert!(
        bursts[0].subject.ends_with("address:192.0.2.44"),
        "{}",
        bursts[0].subject
    );
    assert_eq!(bursts[0].hits, 32);
    // The raw votes are all kept: the score can be recomputed without them.
    let events = entities::vote_event::Entity::find()
        .count(&app.db)
        .await
        .expect("events");
    assert_eq!(events, 32);
}

on_both_databases!(
    a_burst_on_one_tool_from_one_address_is_recorded_once,
    withdraw_vote_removes_only_the_readers_vote,
    pick_counts_one_per_reader_and_shows_after_enough_picks,
    pick_of_a_tool_outside_the_comparison_is_a_validation_error,
    pick_between_counts_on_any_pair_once_per_reader_and_shares_the_curated_picks,
    pick_between_refuses_what_is_not_a_pair_of_published_tools,
    pick_between_is_rate_limited_like_votes,
    a_hammering_voter_is_rate_limited_and_others_are_not,
    one_address_with_many_cookies_is_rate_limited,
);
