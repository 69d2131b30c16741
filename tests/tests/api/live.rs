//! Subscriptions over a real WebSocket (graphql-transport-ws), on one server
//! and across two servers sharing one PostgreSQL.

use contract::operations::{Audience, Kind};
use serde_json::json;
use tests::{
    on_both_databases,
    process::{free_port, start_server, wait_until_ready},
    ws::Subscriber,
    Db, TestApp,
};

use crate::schema::registered;
use crate::DEMO;

const COMMUNITY: &str =
    "subscription($t: String!) { communityScore(tool: $t) { ship skip total missingVotes } }";
const COMPARISON: &str = "subscription($s: String!) { comparisonScores(slug: $s) { slug left { total } right { ship total } headToHead { left right total } } }";
const VOTE: &str =
    "mutation($tool: String!, $v: Verdict!) { castVote(tool: $tool, verdict: $v) { total } }";
const PICK: &str = "mutation($c: String!, $t: String!) { pick(comparison: $c, tool: $t) { slug } }";

async fn community_score_subscription_pushes_each_vote(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let mut ws = Subscriber::connect(&app.address).await;
    ws.subscribe("1", COMMUNITY, json!({ "t": "smolvlm-3b" }))
        .await;
    let first = ws.next_data("1").await;
    assert_eq!(
        first["communityScore"],
        json!({ "ship": 0, "skip": 0, "total": 0, "missingVotes": 10 })
    );
    app.gql(VOTE, json!({ "tool": "smolvlm-3b", "v": "SHIP" }))
        .await;
    assert_eq!(ws.next_data("1").await["communityScore"]["ship"], 1);
    app.gql_as(
        &TestApp::new_client(),
        VOTE,
        json!({ "tool": "smolvlm-3b", "v": "SKIP" }),
    )
    .await;
    let update = ws.next_data("1").await;
    assert_eq!(
        update["communityScore"],
        json!({ "ship": 1, "skip": 1, "total": 2, "missingVotes": 8 })
    );
}

async fn comparison_scores_subscription_pushes_votes_and_picks(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let mut ws = Subscriber::connect(&app.address).await;
    ws.subscribe("c", COMPARISON, json!({ "s": DEMO })).await;
    assert_eq!(
        ws.next_data("c").await["comparisonScores"]["right"]["total"],
        0
    );
    // A vote on an unrelated tool pushes nothing; the next message is about SmolVLM.
    app.gql(VOTE, json!({ "tool": "cursor", "v": "SHIP" }))
        .await;
    app.gql(VOTE, json!({ "tool": "smolvlm-3b", "v": "SHIP" }))
        .await;
    let update = ws.next_data("c").await;
    assert_eq!(
        update["comparisonScores"]["right"],
        json!({ "ship": 1, "total": 1 })
    );
    app.gql(PICK, json!({ "c": DEMO, "t": "claude-haiku-open-weights" }))
        .await;
    let update = ws.next_data("c").await;
    assert_eq!(
        update["comparisonScores"]["headToHead"],
        json!({ "left": 1, "right": 0, "total": 1 })
    );
}

async fn websocket_refuses_queries_and_mutations(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let mut ws = Subscriber::connect(&app.address).await;
    ws.subscribe("m", VOTE, json!({ "tool": "cursor", "v": "SHIP" }))
        .await;
    let answer = ws.receive().await;
    let text = answer.to_string();
    assert!(text.contains("subscriptions only"), "{text}");
    let body = app
        .gql(
            "{ tool(slug: \"cursor\") { community { total } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        body["data"]["tool"]["community"]["total"], 0,
        "nothing was written"
    );
}

async fn unknown_tool_subscription_is_an_error(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let mut ws = Subscriber::connect(&app.address).await;
    ws.subscribe("x", COMMUNITY, json!({ "t": "no-such-tool" }))
        .await;
    let answer = ws.receive().await;
    assert_eq!(answer["id"], "x", "{answer}");
    assert_eq!(
        answer["payload"]["errors"][0]["extensions"]["code"], "NOT_FOUND",
        "{answer}"
    );
    assert!(answer.to_string().contains("no-such-tool"));
}

on_both_databases!(
    community_score_subscription_pushes_each_vote,
    comparison_scores_subscription_pushes_votes_and_picks,
    websocket_refuses_queries_and_mutations,
    unknown_tool_subscription_is_an_error,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ui_subscription_runs_over_the_websocket() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let mut ws = Subscriber::connect(&app.address).await;
    let subscriptions = registered(Audience::Reader, &[Kind::Subscription]);
    assert!(subscriptions.len() >= 2, "the live scores are registered");
    for (entry, variables) in subscriptions {
        ws.subscribe(entry.name, entry.query, variables).await;
        let data = ws.next_data(entry.name).await;
        entry.check_data(data).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vote_on_one_instance_reaches_a_subscriber_on_another_process() {
    let Some(first) = TestApp::spawn(Db::Postgres).await else {
        return;
    };
    // A second `verdicts serve` process on the same database.
    let port = free_port();
    let second = format!("http://127.0.0.1:{port}");
    let _process = start_server(&first.database_url, port);
    wait_until_ready(&second).await;
    let mut ws = Subscriber::connect(&second).await;
    ws.subscribe("1", COMMUNITY, json!({ "t": "qdrant" })).await;
    assert_eq!(ws.next_data("1").await["communityScore"]["total"], 0);
    first
        .gql(VOTE, json!({ "tool": "qdrant", "v": "SKIP" }))
        .await;
    // The LISTEN connection may announce a resync first; wait for the vote's number.
    let mut total = 0;
    for _ in 0..3 {
        total = ws.next_data("1").await["communityScore"]["total"]
            .as_i64()
            .unwrap_or(0);
        if total == 1 {
            break;
        }
    }
    assert_eq!(
        total, 1,
        "the vote sent to the first server reached the second's subscriber"
    );
}
