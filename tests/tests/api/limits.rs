//! The limits that protect the public API: depth and computed cost are
//! checked before a query runs, and every answer reports its cost.

use std::time::Duration;

use sea_orm::EntityTrait;
use serde_json::json;
use tests::{on_both_databases, Db, SpawnOptions, TestApp};

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

/// Found in review: fragments that spread others four times over, thirty
/// deep (4^30 selections in 31 short lines), made GraphQL validation walk
/// them all on a runtime thread. They are measured in one pass first.
async fn a_fragment_bomb_is_refused_at_once(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let mut query = String::from("query Bomb { ...F0 } ");
    for i in 0..30 {
        let next = format!("...F{} ", i + 1);
        query.push_str(&format!("fragment F{i} on Query {{ {} }} ", next.repeat(4)));
    }
    query.push_str("fragment F30 on Query { __typename } ");
    let started = std::time::Instant::now();
    let body = app.gql(&query, json!({})).await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], 20_000, "{body}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(30),
        "the refusal took {:?}",
        started.elapsed()
    );
    // The server is free for the next reader.
    let next = app
        .gql("{ tool(slug: \"cursor\") { name } }", json!({}))
        .await;
    assert_eq!(next["data"]["tool"]["name"], "Cursor", "{next}");
}

async fn many_aliases_are_refused_with_the_limit(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let fields: Vec<String> = (0..31)
        .map(|i| format!("a{i}: tool(slug: \"cursor\") {{ name }}"))
        .collect();
    let body = app
        .gql(&format!("{{ {} }}", fields.join(" ")), json!({}))
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], 30, "{body}");
    assert_eq!(body["errors"][0]["extensions"]["value"], 31, "{body}");
    let body = app
        .gql(&format!("{{ {} }}", fields[..30].join(" ")), json!({}))
        .await;
    assert!(body["errors"].is_null(), "thirty are fine: {body}");
}

async fn a_request_over_its_time_is_stopped_with_503(db: Db) {
    let options = SpawnOptions {
        request_timeout_ms: 1,
        ..SpawnOptions::default()
    };
    let Some(app) = TestApp::spawn_with(db, options).await else {
        return;
    };
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": "{ tools(first: 100) { edges { node { slug reviews { body } comparisons { slug } } } } }" }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 503);
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(error_code(&body), Some("TIMEOUT"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("1 ms"),
        "{body}"
    );
}

async fn field_suggestions_can_be_switched_off(db: Db) {
    for (suggestions, expected) in [(true, true), (false, false)] {
        let options = SpawnOptions {
            field_suggestions: suggestions,
            ..SpawnOptions::default()
        };
        let Some(app) = TestApp::spawn_with(db, options).await else {
            return;
        };
        let body = app
            .gql("{ tool(slug: \"cursor\") { nam } }", json!({}))
            .await;
        let message = body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .to_owned();
        assert_eq!(message.contains("Did you mean"), expected, "{message}");
    }
}

async fn metrics_count_requests_by_operation_and_status(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    for _ in 0..3 {
        app.gql("query Probe { tool(slug: \"cursor\") { name } }", json!({}))
            .await;
    }
    app.gql("query Broken { nope }", json!({})).await;
    let (status, text) = app.get("/metrics").await;
    assert_eq!(status, 200);
    for line in [
        "verdicts_graphql_requests_total{operation=\"Probe\",status=\"200\"} 3",
        "verdicts_graphql_request_duration_seconds_count{operation=\"Probe\"} 3",
        "verdicts_graphql_requests_total{operation=\"Broken\",status=\"200\"} 1",
        "verdicts_rate_limited_total 0",
        "# TYPE verdicts_db_pool_connections gauge",
    ] {
        assert!(text.contains(line), "{line} missing from\n{text}");
    }
}

async fn every_type_field_and_argument_is_described(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = app
        .gql(
            "{ __schema { types { name kind description \
               fields { name description args { name description } } \
               inputFields { name description } enumValues { name description } } } }",
            json!({}),
        )
        .await;
    let mut missing = Vec::new();
    let empty = |v: &serde_json::Value| v.as_str().is_none_or(|s| s.trim().is_empty());
    for t in body["data"]["__schema"]["types"].as_array().expect("types") {
        let name = t["name"].as_str().unwrap_or("");
        if name.starts_with("__") || t["kind"] == "SCALAR" {
            continue;
        }
        if empty(&t["description"]) {
            missing.push(name.to_owned());
        }
        for f in t["fields"].as_array().into_iter().flatten() {
            if empty(&f["description"]) {
                missing.push(format!("{name}.{}", f["name"]));
            }
            for a in f["args"].as_array().into_iter().flatten() {
                if empty(&a["description"]) {
                    missing.push(format!("{name}.{}({})", f["name"], a["name"]));
                }
            }
        }
        for list in ["inputFields", "enumValues"] {
            for f in t[list].as_array().into_iter().flatten() {
                if empty(&f["description"]) {
                    missing.push(format!("{name}.{}", f["name"]));
                }
            }
        }
    }
    assert!(missing.is_empty(), "undescribed: {missing:?}");
}

async fn each_client_spends_a_query_budget_counted_in_the_database(db: Db) {
    let options = SpawnOptions {
        api_cost_budget: 100,
        ..SpawnOptions::default()
    };
    let Some(app) = TestApp::spawn_with(db, options).await else {
        return;
    };
    let query = json!({ "query": "{ tools(first: 5) { edges { node { slug name } } } }" });
    let send = |address: &'static str| {
        app.client
            .post(format!("{}/graphql", app.address))
            .header("x-forwarded-for", address)
            .json(&query)
            .send()
    };
    let header = |r: &reqwest::Response, name: &str| -> Option<i64> {
        r.headers().get(name)?.to_str().ok()?.parse().ok()
    };
    // Budgets run per clock minute: start well inside one.
    let second = chrono::Utc::now().timestamp() % 60;
    if second > 50 {
        tokio::time::sleep(std::time::Duration::from_secs((61 - second) as u64)).await;
    }
    let mut remaining = Vec::new();
    let refused = loop {
        let response = send("198.51.100.7").await.expect("an answer");
        if response.status().as_u16() == 429 {
            break response;
        }
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(header(&response, "ratelimit-limit"), Some(100));
        let left = header(&response, "ratelimit-remaining").expect("remaining");
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert_eq!(body["extensions"]["cost"]["remaining"], left, "{body}");
        remaining.push(left);
        assert!(
            remaining.len() < 100,
            "the budget never ran out: {remaining:?}"
        );
    };
    assert!(remaining.windows(2).all(|w| w[0] > w[1]), "{remaining:?}");
    assert_eq!(*remaining.last().expect("some answers"), 0, "{remaining:?}");
    let wait = header(&refused, "retry-after").expect("Retry-After");
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(header(&refused, "ratelimit-remaining"), Some(0));
    let body: serde_json::Value = refused.json().await.expect("JSON");
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("100"),
        "{body}"
    );
    // Another client still has its own budget.
    let other = send("203.0.113.9").await.expect("an answer");
    assert_eq!(other.status().as_u16(), 200);
    // The count lives in the database, where every instance adds to it.
    let row = entities::rate_limit::Entity::find_by_id("api-cost:address:198.51.100.7".to_owned())
        .one(&app.db)
        .await
        .expect("a read")
        .expect("the client's bucket");
    assert!(row.hits >= 100, "{row:?}");
    let (_, metrics) = app.get("/metrics").await;
    assert!(
        !metrics.contains("verdicts_rate_limited_total 0"),
        "{metrics}"
    );
}

/// A client pays for what a query returned, the estimate being only the
/// ceiling checked before it runs. Found: `first: 100` was charged as 100
/// rows when 10 existed, so a paging client hit 429 within a minute.
async fn a_query_pays_for_what_it_returned(db: Db) {
    let options = SpawnOptions {
        api_cost_budget: 10_000,
        ..SpawnOptions::default()
    };
    let Some(app) = TestApp::spawn_with(db, options).await else {
        return;
    };
    let second = chrono::Utc::now().timestamp() % 60;
    if second > 50 {
        tokio::time::sleep(std::time::Duration::from_secs((61 - second) as u64)).await;
    }
    let ask = async |query: &str| {
        let response = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("x-forwarded-for", "198.51.100.31")
            .json(&json!({ "query": query }))
            .send()
            .await
            .expect("an answer");
        let remaining: i64 = response.headers()["ratelimit-remaining"]
            .to_str()
            .expect("text")
            .parse()
            .expect("a number");
        let body: serde_json::Value = response.json().await.expect("JSON");
        assert!(body["errors"].is_null(), "{body}");
        (remaining, body["extensions"]["cost"].clone())
    };
    // The speech category holds a few tools; the page could hold 100.
    let (after_small, cost) = ask(
        "{ tools(first: 100, filter: { category: \"speech\" }) { edges { node { slug name } } } }",
    )
    .await;
    let requested = cost["requestedQueryCost"].as_i64().expect("requested");
    let actual = cost["actualQueryCost"].as_i64().expect("actual");
    assert!(requested > 300, "{cost}");
    assert!(actual < requested / 5, "{cost}");
    assert_eq!(
        after_small,
        10_000 - actual,
        "charged what it returned: {cost}"
    );
    // A full page costs its estimate.
    let (after_full, cost) = ask("{ tools(first: 5) { edges { node { slug name } } } }").await;
    assert_eq!(
        cost["actualQueryCost"], cost["requestedQueryCost"],
        "{cost}"
    );
    assert_eq!(
        after_full,
        after_small - cost["requestedQueryCost"].as_i64().expect("requested")
    );
}

/// Pages and queries are computed a few at a time (twice the pool's
/// connections by default); the others wait their turn, in order. Answers
/// from the cache and mutations never wait: votes are written in batches,
/// and a batch of one vote per turn would be no batch.
async fn renders_wait_their_turn_and_nothing_else_does(db: Db) {
    let Some(app) = TestApp::spawn_with(
        db,
        SpawnOptions {
            configure: |config| config.concurrent_renders = Some(2),
            ..SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let client = reqwest::Client::new();
    let get = |path: &str| client.get(format!("{}{path}", app.address)).send();
    // Kept: asked for twice, then served from the cache.
    for _ in 0..2 {
        assert_eq!(get("/tools/cursor").await.expect("a page").status(), 200);
    }
    // Every turn is taken.
    let turns = app.state.renders.clone();
    let held = turns.acquire_many(2).await.expect("both turns");
    let waiting = tokio::time::timeout(Duration::from_millis(500), get("/tools/qdrant")).await;
    assert!(waiting.is_err(), "a page to render waits for a turn");
    let query = json!({ "query": "{ tool(slug: \"pgvector\") { name } }" });
    let waiting = tokio::time::timeout(
        Duration::from_millis(500),
        client
            .post(format!("{}/graphql", app.address))
            .json(&query)
            .send(),
    )
    .await;
    assert!(waiting.is_err(), "a query to run waits for a turn");
    let kept = tokio::time::timeout(Duration::from_secs(5), get("/tools/cursor"))
        .await
        .expect("a kept page does not wait")
        .expect("the page");
    assert_eq!(kept.status(), 200);
    let vote = tokio::time::timeout(
        Duration::from_secs(5),
        app.gql(
            "mutation { castVote(tool: \"qdrant\", verdict: SHIP) { total } }",
            json!({}),
        ),
    )
    .await
    .expect("a vote does not wait");
    assert_eq!(vote["data"]["castVote"]["total"], 1, "{vote}");
    // Once the turns are free, everyone who waited is answered.
    let pages = futures::future::join_all((0..6).map(|_| get("/tools/qdrant")));
    let freed = async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        drop(held);
    };
    let (pages, ()) = tokio::join!(pages, freed);
    for page in pages {
        let page = page.expect("the page");
        assert_eq!(page.status(), 200);
        assert!(page
            .text()
            .await
            .expect("a body")
            .contains("9 more votes needed"));
    }
    assert_eq!(turns.available_permits(), 2, "every turn is given back");
}

on_both_databases!(
    renders_wait_their_turn_and_nothing_else_does,
    a_query_pays_for_what_it_returned,
    each_client_spends_a_query_budget_counted_in_the_database,
    many_aliases_are_refused_with_the_limit,
    a_request_over_its_time_is_stopped_with_503,
    field_suggestions_can_be_switched_off,
    metrics_count_requests_by_operation_and_status,
    every_type_field_and_argument_is_described,
    every_answer_reports_its_cost,
    a_query_over_the_cost_or_depth_limit_is_refused_before_it_runs,
    a_fragment_bomb_is_refused_at_once,
);
