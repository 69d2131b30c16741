//! GraphQL over HTTP: the graphql-http audit suite against the real server,
//! and the rules it leaves to us (GET never mutates, media types, 400s).

use serde_json::{json, Value};
use tests::{on_both_databases, Db, TestApp};

use crate::error_code;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_graphql_http_audit_passes_every_must_and_should() {
    tests::within_time_limit(audit()).await;
}

async fn audit() {
    let Some((succeeded, report, errors)) =
        crate::node_against_graphql("graphql-http audit", "graphql-http", "audit.mjs").await
    else {
        return;
    };
    assert!(
        succeeded,
        "a MUST or SHOULD audit failed:\n{report}\n{errors}"
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

/// Issue 17, item 2: an argument refused is a request error like a document
/// that does not validate, whichever list it is on.
async fn refused_arguments_are_request_errors_like_invalid_documents(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let url = format!("{}/graphql", app.address);
    let cases = [
        (
            "first: 101",
            "{ tools(first: 101) { nodes { slug } } }",
            "first",
        ),
        (
            "a cursor of another list",
            "{ tools(first: 2, after: \"bm90LWEtY3Vyc29y\") { nodes { slug } } }",
            "after",
        ),
        (
            "minPanelScore: 101",
            "{ tools(filter: { minPanelScore: 101 }) { nodes { slug } } }",
            "minPanelScore",
        ),
        (
            "last: -1",
            "{ comparisons(last: -1) { nodes { slug } } }",
            "last",
        ),
        ("no such field", "{ tools { noSuchField } }", ""),
    ];
    for (case, query, field) in cases {
        for (accept, status) in [
            ("application/graphql-response+json", 400),
            ("application/json", 200),
        ] {
            let response = app
                .client
                .post(&url)
                .header("accept", accept)
                .json(&json!({ "query": query }))
                .send()
                .await
                .expect("an answer");
            assert_eq!(response.status().as_u16(), status, "{case}, {accept}");
            let body: Value = response.json().await.expect("JSON");
            assert!(body.get("data").is_none(), "{case}: no data entry: {body}");
            assert_eq!(error_code(&body), Some("VALIDATION"), "{case}: {body}");
            if !field.is_empty() {
                assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
            }
        }
    }
    // A field error beside data that could be read stays a 200 with data.
    let response = app
        .client
        .post(&url)
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "{ nodes(ids: [\"VG9vbDox\", \"nonsense\"]) { id } }" }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert!(body["data"]["nodes"].is_array(), "{body}");
    assert_eq!(body["data"]["nodes"][1], Value::Null, "{body}");
}

/// Issue 17, item 2: a page of zero says whether anything follows and sits
/// where it was asked from.
async fn a_page_of_zero_sits_where_it_was_asked_from(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    const PAGE: &str =
        "query($first: Int, $after: String) { tools(first: $first, after: $after) { \
        nodes { slug } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";
    let start = app.gql(PAGE, json!({ "first": 0 })).await;
    let info = &start["data"]["tools"]["pageInfo"];
    assert_eq!(start["data"]["tools"]["nodes"], json!([]), "{start}");
    assert_eq!(info["hasNextPage"], true, "{start}");
    assert_eq!(info["endCursor"], Value::Null, "from the start: {start}");
    let two = app.gql(PAGE, json!({ "first": 2 })).await;
    let after = two["data"]["tools"]["pageInfo"]["endCursor"].clone();
    assert!(after.is_string(), "{two}");
    let zero = app.gql(PAGE, json!({ "first": 0, "after": after })).await;
    let info = &zero["data"]["tools"]["pageInfo"];
    assert_eq!(info["hasNextPage"], true, "{zero}");
    assert_eq!(info["hasPreviousPage"], true, "{zero}");
    assert_eq!(info["endCursor"], after, "{zero}");
    assert_eq!(info["startCursor"], after, "{zero}");
    // Paging on from the empty page gives what paging on from the page of
    // two gives.
    let on = app
        .gql(PAGE, json!({ "first": 2, "after": info["endCursor"] }))
        .await;
    let direct = app.gql(PAGE, json!({ "first": 2, "after": after })).await;
    assert_eq!(on, direct);
    assert_ne!(on["data"]["tools"]["nodes"], two["data"]["tools"]["nodes"]);
    // At the very end, nothing follows.
    let all = app.gql(PAGE, json!({ "first": 100 })).await;
    let last = all["data"]["tools"]["pageInfo"]["endCursor"].clone();
    let end = app.gql(PAGE, json!({ "first": 0, "after": last })).await;
    assert_eq!(
        end["data"]["tools"]["pageInfo"]["hasNextPage"], false,
        "{end}"
    );
    assert_eq!(end["data"]["tools"]["pageInfo"]["endCursor"], last, "{end}");
}

const SCORE: &str = "{ tool(slug: \"cursor\") { community { ship total } } }";

async fn anonymous_gets_carry_an_etag_that_changes_with_the_data(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let url = format!("{}/graphql", app.address);
    let get = |etag: Option<String>| {
        let mut request = TestApp::new_client().get(&url).query(&[("query", SCORE)]);
        if let Some(etag) = etag {
            request = request.header("if-none-match", etag);
        }
        request.send()
    };
    let first = get(None).await.expect("an answer");
    assert_eq!(first.status().as_u16(), 200);
    let header = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    assert_eq!(
        header(&first, "cache-control").as_deref(),
        Some("public, max-age=0, must-revalidate")
    );
    let etag = header(&first, "etag").expect("an ETag");
    let again = get(Some(etag.clone())).await.expect("an answer");
    assert_eq!(again.status().as_u16(), 304, "unchanged data: not modified");
    assert_eq!(again.text().await.unwrap_or_default(), "");

    // A vote changes the answer, so the old tag no longer matches.
    let vote = app
        .gql(
            "mutation { castVote(tool: \"cursor\", verdict: SHIP) { total } }",
            json!({}),
        )
        .await;
    assert!(vote["errors"].is_null(), "{vote}");
    let after = get(Some(etag.clone())).await.expect("an answer");
    assert_eq!(after.status().as_u16(), 200);
    assert_ne!(header(&after, "etag"), Some(etag));
    let body: Value = after.json().await.expect("JSON");
    assert_eq!(body["data"]["tool"]["community"]["total"], 1, "{body}");

    // A reader with a voter cookie may get their own vote back: not cached,
    // and no shared cache may hand it to anyone else.
    let own = app
        .client
        .get(&url)
        .query(&[("query", SCORE)])
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        header(&own, "cache-control").as_deref(),
        Some("private, no-store")
    );
    assert!(header(&own, "etag").is_none());
}

async fn any_origin_may_query_but_cookies_stay_home(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let url = format!("{}/graphql", app.address);
    let preflight = |headers: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, &url)
            .header("origin", "https://widgets.example")
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", headers)
            .send()
    };
    let allowed = preflight("content-type,authorization")
        .await
        .expect("an answer");
    assert!(allowed.status().is_success(), "{}", allowed.status());
    let headers = allowed.headers();
    assert_eq!(
        headers
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
    assert!(headers.get("access-control-allow-credentials").is_none());
    let allow_headers = headers
        .get("access-control-allow-headers")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    assert!(allow_headers.contains("content-type") && allow_headers.contains("authorization"));
    assert!(
        !allow_headers.contains("x-verdicts-csrf"),
        "{allow_headers}"
    );
    let response = app
        .client
        .post(&url)
        .header("origin", "https://widgets.example")
        .json(&json!({ "query": "{ tool(slug: \"cursor\") { name } }" }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        response
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
}

async fn persisted_queries_run_by_hash_once_the_text_was_sent(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    use sha2::{Digest, Sha256};
    let url = format!("{}/graphql", app.address);
    let query = "{ tool(slug: \"qdrant\") { name } }";
    let hash = hex::encode(Sha256::digest(query.as_bytes()));
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let by_hash = || {
        app.client
            .get(&url)
            .query(&[("extensions", extensions.to_string())])
            .header("accept", "application/json")
            .send()
    };
    let miss: Value = by_hash()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        miss["errors"][0]["message"], "PersistedQueryNotFound",
        "{miss}"
    );
    assert_eq!(error_code(&miss), Some("PERSISTED_QUERY_NOT_FOUND"));
    let registered: Value = app
        .client
        .post(&url)
        .json(&json!({ "query": query, "extensions": extensions }))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(registered["data"]["tool"]["name"], "Qdrant", "{registered}");
    let hit: Value = by_hash()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(hit["data"]["tool"]["name"], "Qdrant", "{hit}");
    let wrong = app
        .client
        .post(&url)
        .json(&json!({ "query": "{ tools { edges { cursor } } }", "extensions": extensions }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(wrong.status().as_u16(), 400);

    // A persisted mutation still cannot run over GET.
    let mutation = "mutation { castVote(tool: \"qdrant\", verdict: SKIP) { total } }";
    let mutation_hash = hex::encode(Sha256::digest(mutation.as_bytes()));
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": mutation_hash } });
    let sent = app
        .gql_as(&TestApp::new_client(), mutation, json!({}))
        .await;
    assert!(sent["errors"].is_null(), "{sent}");
    let registered = app
        .client
        .post(&url)
        .json(&json!({ "query": mutation, "extensions": extensions }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(registered.status().as_u16(), 200);
    let response = app
        .client
        .get(&url)
        .query(&[("extensions", extensions.to_string())])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 405);
}

async fn readiness_reports_the_database_and_migrations(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let (status, body) = app.get("/readyz").await;
    assert_eq!(status, 200, "{body}");
    let body: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(
        body,
        json!({ "ready": true, "database": "ok", "migrations": "current" })
    );
    assert_eq!(app.get("/healthz").await, (200, "ok".to_owned()));
}

on_both_databases!(
    anonymous_gets_carry_an_etag_that_changes_with_the_data,
    any_origin_may_query_but_cookies_stay_home,
    persisted_queries_run_by_hash_once_the_text_was_sent,
    readiness_reports_the_database_and_migrations,
    get_runs_queries_and_refuses_mutations,
    request_errors_are_400_without_data_for_graphql_response_json,
    refused_arguments_are_request_errors_like_invalid_documents,
    a_page_of_zero_sits_where_it_was_asked_from,
);
