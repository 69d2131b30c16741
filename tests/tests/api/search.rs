//! Search: ranked, forgiving typos, kept in step with edits, on both
//! engines, and as readers see it.

use serde_json::{json, Value};
use tests::{on_both_databases, Db, TestApp};

use crate::error_code;

const SEARCH: &str = "query($q: String!, $kinds: [SearchKind!], $first: Int = 20) { \
    search(query: $q, kinds: $kinds, first: $first) { words \
    corrections { typed searchedFor } \
    hits { tool { slug } comparison { slug } title { text matched } context { text matched } } } }";

/// The slugs of the results, in order (tools and comparisons alike).
fn slugs(body: &Value) -> Vec<String> {
    body["data"]["search"]["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| {
            hit["tool"]["slug"]
                .as_str()
                .or(hit["comparison"]["slug"].as_str())
                .expect("a tool or a comparison")
                .to_owned()
        })
        .collect()
}

async fn search(app: &TestApp, q: &str) -> Value {
    let body = app.gql(SEARCH, json!({ "q": q })).await;
    assert!(body["errors"].is_null(), "{q}: {body}");
    body
}

async fn a_typo_still_finds_the_tool(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = search(&app, "whsiper").await;
    assert_eq!(
        slugs(&body).first().map(String::as_str),
        Some("whisper-large-v3"),
        "{body}"
    );
    assert_eq!(
        body["data"]["search"]["corrections"],
        json!([{ "typed": "whsiper", "searchedFor": ["whisper"] }])
    );
    // The title says why it matched.
    let title = &body["data"]["search"]["hits"][0]["title"];
    assert_eq!(
        title[0],
        json!({ "text": "Whisper", "matched": true }),
        "{title}"
    );
    // A word typed right is not corrected; a short typo is not guessed at.
    let exact = search(&app, "whisper").await;
    assert_eq!(exact["data"]["search"]["corrections"], json!([]));
    assert_eq!(slugs(&exact)[0], "whisper-large-v3");
}

async fn two_names_bring_both_tools_and_their_comparison_first(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = search(&app, "copilot cursor").await;
    let found = slugs(&body);
    assert_eq!(found[0], "cursor-vs-github-copilot", "{found:?}");
    let mut top: Vec<&str> = found.iter().take(3).map(String::as_str).collect();
    top.sort();
    assert_eq!(
        top,
        ["cursor", "cursor-vs-github-copilot", "github-copilot"],
        "{found:?}"
    );
    // Only tools, when asked.
    let tools = app
        .gql(
            SEARCH,
            json!({ "q": "copilot cursor", "kinds": ["TOOL"], "first": 5 }),
        )
        .await;
    let only = slugs(&tools);
    assert!(!only.is_empty() && only.len() <= 5);
    assert!(only.iter().all(|s| !s.contains("-vs-")), "{only:?}");
}

async fn the_last_word_matches_as_a_prefix(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = search(&app, "deepg").await;
    assert_eq!(slugs(&body)[0], "deepgram-nova-3", "{body}");
    // A description-only match shows the words around it.
    let body = search(&app, "quantized").await;
    let hit = &body["data"]["search"]["hits"][0];
    assert_eq!(hit["tool"]["slug"], "smolvlm-3b", "{body}");
    let context = hit["context"].as_array().expect("context");
    assert!(
        context
            .iter()
            .any(|p| p["matched"] == true && p["text"] == "quantized"),
        "{context:?}"
    );
}

async fn edits_and_drafts_are_followed_at_once(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    use sea_orm::{ConnectionTrait, Statement};
    let run = async |sql: &str| {
        app.db
            .execute_raw(Statement::from_string(app.db.get_database_backend(), sql))
            .await
            .expect("ran");
    };
    // A renamed tool is found by its new name, and its comparison too.
    run("UPDATE tools SET name = 'Zanzibar Coder' WHERE slug = 'cursor'").await;
    let found = slugs(&search(&app, "zanzibar").await);
    assert!(found.contains(&"cursor".to_owned()), "{found:?}");
    assert!(
        found.contains(&"cursor-vs-github-copilot".to_owned()),
        "{found:?}"
    );
    // A draft is not found, nor the comparisons of a draft tool.
    run("UPDATE tools SET published_at = NULL WHERE slug = 'cursor'").await;
    let found = slugs(&search(&app, "zanzibar").await);
    assert!(found.is_empty(), "{found:?}");
    // Nor is a draft's word offered as the correction of a near word: the
    // corrections would spell out what is not published yet.
    let near = search(&app, "zanzibra").await;
    assert_eq!(near["data"]["search"]["corrections"], json!([]), "{near}");
    assert!(slugs(&near).iter().all(|s| s != "cursor"), "{near}");
    // And a word only a draft holds is corrected like a word nobody holds
    // (no sign that a draft holds it): "zanzibar" is one edit from nothing
    // public, so nothing is offered and nothing found.
    let exact = search(&app, "zanzibar").await;
    assert_eq!(exact["data"]["search"]["corrections"], json!([]), "{exact}");
    run("UPDATE tools SET name = 'Zanzibaz' WHERE slug = 'deepgram-nova-3'").await;
    // With a public "zanzibaz" one edit away, the draft's own word is
    // corrected to it, as if the draft did not exist.
    let body = search(&app, "zanzibar").await;
    assert_eq!(
        body["data"]["search"]["corrections"],
        json!([{ "typed": "zanzibar", "searchedFor": ["zanzibaz"] }]),
        "{body}"
    );
    // A deleted comparison leaves the index.
    run("UPDATE tools SET published_at = '2026-11-01T00:00:00Z' WHERE slug = 'cursor'").await;
    run("DELETE FROM comparisons WHERE slug = 'cursor-vs-github-copilot'").await;
    let found = slugs(&search(&app, "zanzibar").await);
    assert_eq!(found, ["cursor"]);
}

async fn bad_queries_are_refused_and_text_stays_text(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    for (q, first) in [
        ("  ", 20),
        ("%_*\"'", 20),
        (&"w".repeat(201) as &str, 20),
        ("whisper", 0),
        ("whisper", 51),
    ] {
        let body = app.gql(SEARCH, json!({ "q": q, "first": first })).await;
        assert_eq!(
            error_code(&body),
            Some("VALIDATION"),
            "{q:?} {first}: {body}"
        );
    }
    // FTS and tsquery syntax in the query is just text.
    for q in [
        "whisper OR NEAR(x)",
        "cursor:* & !copilot",
        "\"unterminated",
        "a' OR '1'='1",
    ] {
        let body = app.gql(SEARCH, json!({ "q": q })).await;
        assert!(body["errors"].is_null(), "{q}: {body}");
    }
}

/// The search page's own query takes the same statements for one result as
/// for twenty, and every time: the found tools come with their categories
/// and scores in one statement, loaded at once (no loader waits to gather
/// keys, so no batch can split in two).
async fn a_search_costs_the_same_statements_for_one_result_and_for_many(db: Db) {
    const PAGE: &str = "query($q: String!) { search(query: $q, first: 30) { \
        corrections { typed searchedFor } \
        hits { title { text matched } context { text matched } \
        tool { slug category { name } panel { shipPercent } community { shipPercent } } \
        comparison { slug } } } }";
    let options = tests::SpawnOptions {
        configure: |config| config.cache_mb = 0,
        ..tests::SpawnOptions::default()
    };
    let Some(app) = TestApp::spawn_with(db, options).await else {
        return;
    };
    let mut counts = Vec::new();
    // One tool and its comparison; every tool and comparison (each
    // description and summary holds "and"); both again.
    for q in ["qdrant", "and", "qdrant", "and"] {
        let before = app.statements().await;
        let body = app.gql(PAGE, json!({ "q": q })).await;
        assert!(body["errors"].is_null(), "{q}: {body}");
        let hits = body["data"]["search"]["hits"]
            .as_array()
            .map_or(0, Vec::len);
        assert!(hits >= 1, "{q}: {body}");
        if q == "and" {
            assert!(hits >= 10, "many results for {q}: {body}");
        }
        counts.push(app.statements().await - before);
    }
    assert!(
        counts.iter().all(|c| *c == counts[0]),
        "statements per search: {counts:?}"
    );
}

on_both_databases!(
    a_search_costs_the_same_statements_for_one_result_and_for_many,
    a_typo_still_finds_the_tool,
    two_names_bring_both_tools_and_their_comparison_first,
    the_last_word_matches_as_a_prefix,
    edits_and_drafts_are_followed_at_once,
    bad_queries_are_refused_and_text_stays_text,
);

/// The search page marks what matched and says how it read a typo.
async fn the_search_page_marks_matches_and_says_what_it_corrected(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let (status, html) = app.get("/search?q=whsiper").await;
    assert_eq!(status, 200);
    assert!(html.contains("<mark>Whisper"), "{html}");
    assert!(
        html.contains("Searched for \u{201c}whsiper\u{201d} as whisper."),
        "{html}"
    );
    let whisper = html
        .find("href=\"/tools/whisper-large-v3\"")
        .expect("the tool");
    let comparison = html
        .find("href=\"/compare/whisper-large-v3-vs-deepgram-nova-3\"")
        .expect("its comparison");
    assert!(whisper < comparison, "the tool first");
    // Text without a letter or digit is not searched for.
    let (status, html) = app.get("/search?q=%25%25").await;
    assert_eq!(status, 200);
    assert!(html.contains("Type a letter or a digit"), "{html}");
}

mod page {
    use super::the_search_page_marks_matches_and_says_what_it_corrected;
    use tests::on_both_databases;
    on_both_databases!(the_search_page_marks_matches_and_says_what_it_corrected);
}
