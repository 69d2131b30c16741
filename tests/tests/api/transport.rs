//! GraphQL over HTTP: the graphql-http audit suite against the real server,
//! and the rules it leaves to us (GET never mutates, media types, 400s).

use serde_json::{json, Value};
use tests::{on_both_databases, skip_or_fail, workspace_root, Db, TestApp};

use crate::error_code;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graphql_http_audit_passes_every_must_and_should() {
    tests::within_time_limit(audit()).await;
}

async fn audit() {
    let dir = workspace_root().join("tests/graphql-http");
    if !dir.join("node_modules/graphql-http").is_dir() {
        skip_or_fail(
            "graphql-http audit",
            "tests/graphql-http/node_modules is missing (make test runs npm ci)",
        );
        return;
    }
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let output = tokio::process::Command::new("node")
        .arg("audit.mjs")
        .arg(format!("{}/graphql", app.address))
        .current_dir(&dir)
        .output()
        .await
        .expect("node runs");
    let report = String::from_utf8_lossy(&output.stdout);
    println!("{report}");
    assert!(
        output.status.success(),
        "a MUST or SHOULD audit failed:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for level in ["MUST", "SHOULD"] {
        let summary = report
            .lines()
            .find(|l| l.starts_with(&format!("summary {level}:")))
            .unwrap_or_else(|| panic!("no {level} summary in:\n{report}"));
        let counts = summary.rsplit(' ').nth(1).unwrap_or("");
        let (ok, all) = counts.split_once('/').expect("ok/all");
        assert_eq!(ok, all, "{summary}");
    }
}

async fn get_runs_queries_and_refuses_mutations(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let url = format!("{}/graphql", app.address);
    let response = app
        .client
        .get(&url)
        .query(&[
            ("query", "query($s: String!) { tool(slug: $s) { name } }"),
            ("variables", "{\"s\": \"cursor\"}"),
        ])
        .header("accept", "application/graphql-response+json")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    assert!(response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/graphql-response+json")));
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["data"]["tool"]["name"], "Cursor", "{body}");

    let before = app
        .gql(
            "{ tool(slug: \"cursor\") { community { total } } }",
            json!({}),
        )
        .await;
    let response = app
        .client
        .get(&url)
        .query(&[(
            "query",
            "mutation { castVote(tool: \"cursor\", verdict: SHIP) { total } }",
        )])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 405);
    assert!(response.headers().get("allow").is_some());
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    let after = app
        .gql(
            "{ tool(slug: \"cursor\") { community { total } } }",
            json!({}),
        )
        .await;
    assert_eq!(before, after, "GET changed nothing");

    // A browser asking for a page gets GraphiQL.
    let response = app
        .client
        .get(&url)
        .header("accept", "text/html")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    assert!(response
        .text()
        .await
        .unwrap_or_default()
        .contains("GraphiQL"));
}

async fn request_errors_are_400_without_data_for_graphql_response_json(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let url = format!("{}/graphql", app.address);
    for (accept, status) in [
        ("application/graphql-response+json", 400),
        ("application/json", 200),
    ] {
        let response = app
            .client
            .post(&url)
            .header("accept", accept)
            .json(&json!({ "query": "{ tool(slug: \"cursor\") { noSuchField } }" }))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), status, "{accept}");
        let body: Value = response.json().await.expect("JSON");
        assert!(body.get("data").is_none(), "no data entry: {body}");
        assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    }
    // Neither media type acceptable; no content type; a batch; a bad parameter.
    let response = app
        .client
        .post(&url)
        .header("accept", "text/csv")
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 406);
    let response = app
        .client
        .post(&url)
        .body("{\"query\": \"{ __typename }\"}")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 415);
    for body in [
        json!([{ "query": "{ __typename }" }]),
        json!({ "query": "{ __typename }", "variables": "{}" }),
        json!({ "query": 1 }),
        json!({ "qeury": "{ __typename }" }),
    ] {
        let response = app
            .client
            .post(&url)
            .json(&body)
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), 400, "{body}");
        let answer: Value = response.json().await.expect("JSON");
        assert_eq!(error_code(&answer), Some("VALIDATION"), "{answer}");
    }
}

on_both_databases!(
    get_runs_queries_and_refuses_mutations,
    request_errors_are_400_without_data_for_graphql_response_json,
);
