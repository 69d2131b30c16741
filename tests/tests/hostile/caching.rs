//! Answers shaped by a cookie are private; anonymous answers say that a
//! cookie would change them; anonymous GraphQL GETs revalidate to 304 with
//! the default settings. Found: pages rendered for a voter or an editor had
//! no `Cache-Control`, and with the default cost budget every GET got a new
//! ETag (the body carries the client's remaining budget), so 304 never came.
//! A kept answer's ETag is computed once, when it is kept; each client still
//! gets its own budget figures with it.

use reqwest::{header, Response};
use serde_json::json;
use tests::{on_both_databases, Db, SpawnOptions, TestApp};

const DEMO: &str = "/compare/claude-haiku-open-weights-vs-smolvlm-3b";
const PASSWORD: &str = "a long and secret passphrase";

fn header_of(response: &Response, name: header::HeaderName) -> String {
    response
        .headers()
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(", ")
}

fn assert_private(response: &Response, what: &str) {
    let control = header_of(response, header::CACHE_CONTROL);
    assert!(
        control.contains("private") && control.contains("no-store"),
        "{what}: Cache-Control is `{control}`"
    );
    assert!(
        header_of(response, header::VARY).contains("Cookie"),
        "{what}: Vary is `{}`",
        header_of(response, header::VARY)
    );
}

async fn pages_shaped_by_a_voter_or_a_session_are_private(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let get =
        |client: &reqwest::Client, path: &str| client.get(format!("{}{path}", app.address)).send();
    // Anonymous: the same page for everyone, but not for a reader with a cookie.
    for _ in 0..3 {
        let page = get(&app.client, DEMO).await.expect("an answer");
        assert_eq!(page.status().as_u16(), 200);
        assert!(!header_of(&page, header::CACHE_CONTROL).contains("private"));
        assert!(
            header_of(&page, header::VARY).contains("Cookie"),
            "{:?}",
            page.headers()
        );
    }
    // A voter's page shows their own vote.
    let voter = TestApp::new_client();
    let vote = voter
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": "mutation { castVote(tool: \"smolvlm-3b\", verdict: SHIP) { total } }" }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(vote.status().as_u16(), 200);
    assert_private(&vote, "castVote");
    let page = get(&voter, DEMO).await.expect("an answer");
    assert_eq!(page.status().as_u16(), 200);
    assert_private(&page, "a voter's comparison page");
    let own = voter
        .get(format!(
            "{}/graphql?query={{tool(slug:\"smolvlm-3b\"){{slug}}}}",
            app.address
        ))
        .header(header::ACCEPT, "application/json")
        .send()
        .await
        .expect("an answer");
    assert_eq!(own.status().as_u16(), 200);
    assert_private(&own, "a voter's GraphQL GET");
    // A newsletter link's page holds its secret: never for a shared cache.
    for path in [
        "/newsletter?confirm=secret-token",
        "/newsletter?unsubscribe=secret-token",
    ] {
        let page = get(&app.client, path).await.expect("an answer");
        assert!(page.status().as_u16() < 500, "{path}");
        assert_private(&page, path);
    }
    // A junk voter cookie is just an anonymous reader.
    let junk = app
        .client
        .get(format!("{}{DEMO}", app.address))
        .header(header::COOKIE, "verdicts_voter=forged.signature")
        .send()
        .await
        .expect("an answer");
    assert_eq!(junk.status().as_u16(), 200);
    assert!(!header_of(&junk, header::CACHE_CONTROL).contains("private"));
    // An editor's pages (drafts, previews) are theirs alone.
    server::domain::editors::create_editor(&app.db, "ed@verdicts.example", PASSWORD)
        .await
        .expect("an editor");
    let editor = TestApp::new_client();
    app.sign_in_as(&editor, "ed@verdicts.example", PASSWORD)
        .await;
    for path in ["/admin", "/admin/tools", DEMO, "/"] {
        let page = get(&editor, path).await.expect("an answer");
        assert_eq!(page.status().as_u16(), 200, "{path}");
        assert_private(&page, path);
    }
}

async fn anonymous_gets_revalidate_to_304_with_the_default_budget(db: Db) {
    let Some(app) = TestApp::spawn_with(
        db,
        SpawnOptions {
            // The shipped default, not the tests' unlimited one.
            api_cost_budget: server::config::Config::defaults().api_cost_budget,
            ..SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    assert!(server::config::Config::defaults().api_cost_budget > 0);
    let url = format!(
        "{}/graphql?query={{tool(slug:\"smolvlm-3b\"){{slug name community{{total}}}}}}",
        app.address
    );
    let get = |etag: Option<String>| {
        let mut request = app
            .client
            .get(&url)
            .header(header::ACCEPT, "application/json");
        if let Some(etag) = etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        request.send()
    };
    let first = get(None).await.expect("an answer");
    assert_eq!(first.status().as_u16(), 200);
    let etag = header_of(&first, header::ETAG);
    assert!(!etag.is_empty(), "no ETag: {:?}", first.headers());
    let body: serde_json::Value = first.json().await.expect("JSON");
    assert!(
        body["extensions"]["cost"]["remaining"].is_number(),
        "{body}"
    );
    // Fresh, then from the response cache: the client's copy is current each time.
    for round in 0..3 {
        let again = get(Some(etag.clone())).await.expect("an answer");
        assert_eq!(
            again.status().as_u16(),
            304,
            "round {round}: {:?}",
            again.headers()
        );
    }
    // Served from the response cache again, the answer keeps the tag it
    // was kept with, and carries this client's budget as it stands now.
    let remaining_in = |body: &serde_json::Value| body["extensions"]["cost"]["remaining"].as_i64();
    let mut last = remaining_in(&body).expect("the remaining budget");
    for round in 0..3 {
        let again = get(None).await.expect("an answer");
        assert_eq!(again.status().as_u16(), 200, "round {round}");
        assert_eq!(header_of(&again, header::ETAG), etag, "round {round}");
        let in_header = header_of(
            &again,
            header::HeaderName::from_static("ratelimit-remaining"),
        );
        let body: serde_json::Value = again.json().await.expect("JSON");
        let remaining = remaining_in(&body).expect("the remaining budget");
        assert_eq!(in_header, remaining.to_string(), "round {round}: {body}");
        assert_ne!(
            remaining, last,
            "round {round}: the figures are not this request's"
        );
        last = remaining;
    }
    // A vote changes the answer: a new ETag, and a 200 for the old one.
    let vote = app
        .gql(
            "mutation { castVote(tool: \"smolvlm-3b\", verdict: SHIP) { total } }",
            json!({}),
        )
        .await;
    assert!(vote["errors"].is_null(), "{vote}");
    let changed = app
        .client
        .get(&url)
        .header(header::ACCEPT, "application/json")
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .expect("an answer");
    // `app.client` now holds a voter cookie: its answer is its own.
    assert_eq!(changed.status().as_u16(), 200);
    let stranger = TestApp::new_client()
        .get(&url)
        .header(header::ACCEPT, "application/json")
        .header(header::IF_NONE_MATCH, &etag)
        .send()
        .await
        .expect("an answer");
    assert_eq!(stranger.status().as_u16(), 200);
    assert_ne!(header_of(&stranger, header::ETAG), etag);
}

on_both_databases!(
    pages_shaped_by_a_voter_or_a_session_are_private,
    anonymous_gets_revalidate_to_304_with_the_default_budget,
);
