//! The read operations of the contract.

use serde_json::json;
use tests::{on_both_databases, Db, TestApp};

use crate::{contract, error_code, DEMO};

async fn compare_demo_shows_panel_50_vs_75_and_no_community_score(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = contract(&app, "Compare", json!({ "slug": DEMO })).await;
    assert!(body["errors"].is_null(), "{body}");
    let c = &body["data"]["comparison"];
    assert_eq!(c["slug"], DEMO);
    assert_eq!(c["title"], "Claude Haiku Open Weights vs SmolVLM-3B");
    assert!(c["summary"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(c["left"]["name"], "Claude Haiku Open Weights");
    assert_eq!(c["left"]["vendor"], "Anthropic");
    assert_eq!(c["left"]["category"]["name"], "Developer Tools");
    assert_eq!(
        c["left"]["pricing"],
        json!({ "model": "FREE", "entry": "Free" })
    );
    assert_eq!(
        c["left"]["panel"],
        json!({ "ship": 2, "skip": 2, "total": 4, "shipPercent": 50 })
    );
    assert_eq!(c["right"]["name"], "SmolVLM-3B");
    assert_eq!(c["right"]["license"], "Apache-2.0");
    assert_eq!(
        c["right"]["panel"],
        json!({ "ship": 3, "skip": 1, "total": 4, "shipPercent": 75 })
    );
    for side in ["left", "right"] {
        assert_eq!(
            c[side]["community"],
            json!({ "ship": 0, "skip": 0, "total": 0, "shipPercent": null, "missingVotes": 10 })
        );
    }
    let rows = c["scorecard"].as_array().expect("scorecard rows");
    assert_eq!(rows.len(), 4, "one row per panel reviewer");
    let lenses: Vec<&str> = rows
        .iter()
        .filter_map(|r| r["reviewer"]["lens"].as_str())
        .collect();
    assert_eq!(
        lenses,
        [
            "DEVELOPER_EXPERIENCE",
            "COMPETITIVE_RISK",
            "STRATEGIC_THESIS",
            "BUSINESS_CASE"
        ]
    );
    // The split is a recount of the scorecard.
    let (mut both, mut left, mut right, mut neither) = (0, 0, 0, 0);
    for row in rows {
        match (
            row["left"]["verdict"].as_str(),
            row["right"]["verdict"].as_str(),
        ) {
            (Some("SHIP"), Some("SHIP")) => both += 1,
            (Some("SHIP"), Some("SKIP")) => left += 1,
            (Some("SKIP"), Some("SHIP")) => right += 1,
            (Some("SKIP"), Some("SKIP")) => neither += 1,
            other => panic!("unexpected verdicts {other:?}"),
        }
    }
    assert_eq!(
        c["split"],
        json!({ "bothShip": both, "onlyLeft": left, "onlyRight": right, "neither": neither })
    );
    assert_eq!(both + left, 2);
    assert_eq!(both + right, 3);
}

async fn comparison_with_unknown_slug_is_null(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = contract(&app, "Compare", json!({ "slug": "no-such-comparison" })).await;
    assert!(body["errors"].is_null(), "{body}");
    assert!(body["data"]["comparison"].is_null());
}

async fn tools_pages_through_every_tool_once(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let mut after = serde_json::Value::Null;
    let mut slugs = Vec::new();
    loop {
        let body = contract(&app, "Tools", json!({ "first": 3, "after": after })).await;
        assert!(body["errors"].is_null(), "{body}");
        let tools = &body["data"]["tools"];
        for edge in tools["edges"].as_array().expect("edges") {
            assert!(edge["cursor"].is_string());
            assert!(edge["node"]["panel"]["total"].is_number());
            slugs.push(edge["node"]["slug"].as_str().expect("slug").to_owned());
        }
        if tools["pageInfo"]["hasNextPage"] == json!(false) {
            break;
        }
        after = tools["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(slugs.len(), 10, "{slugs:?}");
    let mut sorted = slugs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, slugs, "stable order, no repeats");
}

async fn tools_over_the_page_cap_or_with_a_bad_cursor_is_a_validation_error(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = contract(&app, "Tools", json!({ "first": 101 })).await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("100"));
    let body = contract(
        &app,
        "Tools",
        json!({ "first": 5, "after": "not-a-cursor" }),
    )
    .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
}

async fn tool_returns_its_reviews_and_unknown_slug_is_null(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = contract(&app, "Tool", json!({ "slug": "smolvlm-3b" })).await;
    assert!(body["errors"].is_null(), "{body}");
    let tool = &body["data"]["tool"];
    assert_eq!(tool["name"], "SmolVLM-3B");
    assert!(tool["description"]
        .as_str()
        .is_some_and(|d| d.contains("3B") || d.len() > 40));
    let reviews = tool["reviews"].as_array().expect("reviews");
    assert_eq!(reviews.len(), 4);
    let ships = reviews.iter().filter(|r| r["verdict"] == "SHIP").count();
    assert_eq!(ships, 3);
    let body = contract(&app, "Tool", json!({ "slug": "nothing-here" })).await;
    assert!(body["errors"].is_null(), "{body}");
    assert!(body["data"]["tool"].is_null());
}

async fn pair_compares_any_two_tools_and_refuses_the_same_twice(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = contract(&app, "Pair", json!({ "a": "cursor", "b": "qdrant" })).await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"]["compare"]["left"]["slug"], "cursor");
    assert_eq!(body["data"]["compare"]["right"]["slug"], "qdrant");
    assert!(!body["data"]["compare"]["scorecard"]
        .as_array()
        .expect("rows")
        .is_empty());
    let body = contract(&app, "Pair", json!({ "a": "cursor", "b": "no-such-tool" })).await;
    assert!(body["errors"].is_null(), "{body}");
    assert!(body["data"]["compare"].is_null());
    let body = contract(&app, "Pair", json!({ "a": "cursor", "b": "cursor" })).await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
}

/// The curated comparison is the answer whatever order its tools are
/// named in, in the API and on pages (a reversed address moves for good to
/// the curated one). Found: `compare(left: "github-copilot", right:
/// "cursor")` answered an ad hoc pair without the editors' summary.
async fn curated_comparisons_are_found_in_either_order(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    for (a, b) in [("cursor", "github-copilot"), ("github-copilot", "cursor")] {
        let body = app
            .gql(
                "query($a: String!, $b: String!) { compare(left: $a, right: $b) { slug summary left { slug } } }",
                json!({ "a": a, "b": b }),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        let compare = &body["data"]["compare"];
        assert_eq!(
            compare["slug"], "cursor-vs-github-copilot",
            "{a} vs {b}: {body}"
        );
        assert_eq!(compare["left"]["slug"], "cursor");
        assert!(compare["summary"].as_str().is_some_and(|s| !s.is_empty()));
    }
    let reversed = "/compare/smolvlm-3b-vs-claude-haiku-open-weights";
    let response = app
        .client
        .get(format!("{}{reversed}", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 301);
    assert_eq!(
        response.headers()["location"],
        format!("/compare/{DEMO}").as_str()
    );
    // The curated address itself renders, and an uncurated pair in either
    // order stays an ad hoc page.
    assert_eq!(app.get(&format!("/compare/{DEMO}")).await.0, 200);
    assert_eq!(app.get("/compare/qdrant-vs-cursor").await.0, 200);
    assert_eq!(app.get("/compare/cursor-vs-qdrant").await.0, 200);
}

async fn tools_list_costs_a_constant_number_of_statements(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let mut costs = Vec::new();
    for first in [1, 4, 10] {
        let before = app.statements().await;
        let body = contract(&app, "Tools", json!({ "first": first })).await;
        assert!(body["errors"].is_null(), "{body}");
        assert_eq!(
            body["data"]["tools"]["edges"].as_array().map(Vec::len),
            Some(first)
        );
        costs.push(app.statements().await - before);
    }
    assert!(
        costs.iter().all(|c| *c == costs[0]),
        "statements per page size: {costs:?}"
    );
    assert!(
        costs[0] <= 4,
        "tools + categories + panel + community: {costs:?}"
    );
}

async fn malformed_json_body_gets_400_with_a_graphql_error(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("content-type", "application/json")
        .body("{\"query\": \"{ tools(first: 1) { edges { cursor } } }\"")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 400);
    let body: serde_json::Value = response.json().await.expect("a JSON error");
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
}

async fn oversized_body_is_refused_with_413(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let huge = format!(
        "{{\"query\": \"{{ tools(first: 1) {{ edges {{ cursor }} }} }}\", \"x\": \"{}\"}}",
        "a".repeat(200_000)
    );
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 413);
    let body: serde_json::Value = response.json().await.expect("a GraphQL error");
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("body"),
        "{body}"
    );
}

async fn syntax_error_in_a_query_is_a_validation_error(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = app
        .gql("{ tools(first: 1) { edges { cursor } ", json!({}))
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    let body = app
        .gql("{ tool(slug: \"cursor\") { noSuchField } }", json!({}))
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
}

async fn hostile_slugs_and_cursors_are_not_found_or_invalid_never_internal(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    for slug in [
        "a\u{0}b",
        "'; DROP TABLE tools; --",
        "\u{202e}gnp.exe",
        &"x".repeat(5000),
    ] {
        let body = contract(&app, "Tool", json!({ "slug": slug })).await;
        assert!(body["errors"].is_null(), "{body}");
        assert!(body["data"]["tool"].is_null());
        let body = contract(&app, "Compare", json!({ "slug": slug })).await;
        assert!(body["errors"].is_null(), "{body}");
        let body = contract(&app, "Vote", json!({ "tool": slug, "v": "SHIP" })).await;
        assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    }
    // base64url of "tool:\0".
    let body = contract(&app, "Tools", json!({ "first": 2, "after": "dG9vbDoA" })).await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    for path in ["/tools/%00", "/compare/%00-vs-%00", "/tools/%E2%80%AE"] {
        assert_eq!(app.get(path).await.0, 404, "{path}");
    }
}

on_both_databases!(
    hostile_slugs_and_cursors_are_not_found_or_invalid_never_internal,
    compare_demo_shows_panel_50_vs_75_and_no_community_score,
    comparison_with_unknown_slug_is_null,
    tools_pages_through_every_tool_once,
    tools_over_the_page_cap_or_with_a_bad_cursor_is_a_validation_error,
    tool_returns_its_reviews_and_unknown_slug_is_null,
    pair_compares_any_two_tools_and_refuses_the_same_twice,
    curated_comparisons_are_found_in_either_order,
    tools_list_costs_a_constant_number_of_statements,
    malformed_json_body_gets_400_with_a_graphql_error,
    oversized_body_is_refused_with_413,
    syntax_error_in_a_query_is_a_validation_error,
);
