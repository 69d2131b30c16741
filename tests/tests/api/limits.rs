//! The limits that protect the public API: depth and computed cost are
//! checked before a query runs, and every answer reports its cost.

use serde_json::json;
use tests::{on_both_databases, Db, TestApp};

use crate::error_code;

async fn every_answer_reports_its_cost(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let small = app
        .gql("{ tool(slug: \"cursor\") { name } }", json!({}))
        .await;
    let cost = &small["extensions"]["cost"];
    assert_eq!(cost["requestedQueryCost"], 2, "{small}");
    assert_eq!(cost["maximumAvailable"], 10_000);
    // A page counts its fields once per item asked for.
    let page = app
        .gql(
            "{ tools(first: 50) { edges { node { slug name } } } }",
            json!({}),
        )
        .await;
    let ten = app
        .gql(
            "{ tools(first: 10) { edges { node { slug name } } } }",
            json!({}),
        )
        .await;
    let cost_of = |body: &serde_json::Value| {
        body["extensions"]["cost"]["requestedQueryCost"]
            .as_u64()
            .expect("a cost")
    };
    assert!(cost_of(&page) > 4 * cost_of(&ten), "{page} vs {ten}");
}

async fn a_query_over_the_cost_or_depth_limit_is_refused_before_it_runs(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let before = app.statements().await;
    let costly = "{ tools(first: 100) { edges { node { slug name vendor tagline license \
        reviews { body verdict reviewer { name bio } } \
        comparisons { slug title left { name } right { name } } } } } }";
    let body = app.gql(costly, json!({})).await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["limit"], 10_000, "{body}");
    let value = error["extensions"]["value"]
        .as_u64()
        .expect("the query's cost");
    assert!(value > 10_000, "{body}");
    let message = error["message"].as_str().unwrap_or("");
    assert!(
        message.contains("cost")
            && message.contains("10000")
            && message.contains(&value.to_string()),
        "{message}"
    );
    assert!(body["data"].is_null(), "nothing ran: {body}");

    // Thirteen levels: comparison → left → comparisons → right → … .
    let mut deep = String::from("name");
    for _ in 0..6 {
        deep = format!("comparisons {{ left {{ {deep} }} }}");
    }
    let body = app
        .gql(
            &format!("{{ tool(slug: \"cursor\") {{ {deep} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], 12, "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("depth"),
        "{body}"
    );
    assert_eq!(
        app.statements().await,
        before,
        "refused queries never reach the database"
    );
}

on_both_databases!(
    every_answer_reports_its_cost,
    a_query_over_the_cost_or_depth_limit_is_refused_before_it_runs,
);
