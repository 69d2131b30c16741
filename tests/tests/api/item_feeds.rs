//! Per-item Atom feeds (issue 17, item 6): a tool's, a reviewer's and a
//! category's feed gain entries as editors publish reviews, flip verdicts
//! and publish comparisons; each has validators for a 304 and is linked from
//! its page; an unknown slug is a 404.

use reqwest::header::{HeaderMap, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use serde_json::{json, Value};
use tests::{on_both_databases, Db, TestApp, PUBLIC_URL};

use crate::editing::signed_in;

/// What a feed holds: each entry's `(id, title)`, newest first.
struct Feed {
    headers: HeaderMap,
    entries: Vec<(String, String)>,
}

impl Feed {
    fn titles(&self) -> Vec<&str> {
        self.entries.iter().map(|(_, t)| t.as_str()).collect()
    }

    fn has_id(&self, id: &str) -> bool {
        self.entries.iter().any(|(i, _)| i == id)
    }

    fn header(&self, name: reqwest::header::HeaderName) -> String {
        self.headers
            .get(&name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_else(|| panic!("a {name} header"))
            .to_owned()
    }
}

async fn feed(app: &TestApp, path: &str) -> Feed {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    let headers = response.headers().clone();
    assert!(headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/atom+xml")));
    let text = response.text().await.expect("a body");
    let doc = roxmltree::Document::parse(&text).expect("the feed is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let child = |node: roxmltree::Node, name: &str| {
        node.children()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        child(root, "id"),
        format!("{PUBLIC_URL}{}", path.trim_end_matches("/feed.xml"))
    );
    let entries = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .map(|e| (child(e, "id"), child(e, "title")))
        .collect();
    Feed { headers, entries }
}

/// The status of `path` fetched again with `header: value`.
async fn again(app: &TestApp, path: &str, header: reqwest::header::HeaderName, value: &str) -> u16 {
    app.client
        .get(format!("{}{path}", app.address))
        .header(header, value)
        .send()
        .await
        .expect("an answer")
        .status()
        .as_u16()
}

/// A feed answers 304 to its own validators, 200 to stale ones.
async fn validators_hold(app: &TestApp, path: &str, feed: &Feed) {
    let etag = feed.header(ETAG);
    let modified = feed.header(LAST_MODIFIED);
    assert_eq!(again(app, path, IF_NONE_MATCH, &etag).await, 304, "{path}");
    assert_eq!(
        again(app, path, IF_MODIFIED_SINCE, &modified).await,
        304,
        "{path}"
    );
    assert_eq!(
        again(app, path, IF_NONE_MATCH, "W/\"something-else\"").await,
        200,
        "{path}"
    );
    assert_eq!(
        again(
            app,
            path,
            IF_MODIFIED_SINCE,
            "Thu, 01 Jan 1998 00:00:00 GMT"
        )
        .await,
        200,
        "{path}"
    );
}

async fn ok(app: &TestApp, client: &reqwest::Client, query: &str, variables: Value) {
    let body = app.gql_as(client, query, variables).await;
    assert!(body["errors"].is_null(), "{query}: {body}");
}

const REVIEW: &str = "mutation($t: String!, $v: Verdict!) { upsertReview(input: { tool: $t, reviewer: \"new-lens\", verdict: $v, body: \"Reasoned & <checked>.\" }) { verdict } }";

async fn new_reviewer(app: &TestApp, editor: &reqwest::Client) {
    ok(app, editor, "mutation { createReviewer(input: { slug: \"new-lens\", name: \"Ana Lens\", lens: BUSINESS_CASE, bio: \"Counts the money.\" }) { slug } }", json!({})).await;
}

async fn publish_comparison(
    app: &TestApp,
    editor: &reqwest::Client,
    slug: &str,
    left: &str,
    right: &str,
) {
    ok(
        app,
        editor,
        "mutation($i: ComparisonInput!) { createComparison(input: $i) { slug } }",
        json!({ "i": { "slug": slug, "title": format!("{left} or {right}"), "summary": "A new pair.", "left": left, "right": right } }),
    )
    .await;
    ok(
        app,
        editor,
        "mutation($s: String!) { publishComparison(slug: $s) { slug } }",
        json!({ "s": slug }),
    )
    .await;
}

async fn a_tools_feed_follows_its_verdicts_comparisons_and_score(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    const PATH: &str = "/tools/qdrant/feed.xml";
    let before = feed(&app, PATH).await;
    assert!(
        before.has_id(&format!("{PUBLIC_URL}/compare/qdrant-vs-pgvector")),
        "{:?}",
        before.entries
    );
    validators_hold(&app, PATH, &before).await;

    let editor = signed_in(&app).await;
    new_reviewer(&app, &editor).await;
    ok(&app, &editor, REVIEW, json!({ "t": "qdrant", "v": "SHIP" })).await;
    let reviewed = feed(&app, PATH).await;
    assert!(
        reviewed.titles().contains(&"Ana Lens: SHIP on Qdrant"),
        "{:?}",
        reviewed.entries
    );
    assert_ne!(reviewed.header(ETAG), before.header(ETAG));
    assert_eq!(
        again(&app, PATH, IF_NONE_MATCH, &before.header(ETAG)).await,
        200,
        "the old validator no longer holds"
    );

    ok(&app, &editor, REVIEW, json!({ "t": "qdrant", "v": "SKIP" })).await;
    let flipped = feed(&app, PATH).await;
    assert!(
        flipped
            .titles()
            .contains(&"Ana Lens now says SKIP on Qdrant (was SHIP)"),
        "{:?}",
        flipped.entries
    );

    publish_comparison(&app, &editor, "qdrant-vs-cursor", "qdrant", "cursor").await;
    let compared = feed(&app, PATH).await;
    assert!(compared.has_id(&format!("{PUBLIC_URL}/compare/qdrant-vs-cursor")));
    assert!(
        !feed(&app, "/tools/pgvector/feed.xml")
            .await
            .has_id(&format!("{PUBLIC_URL}/compare/qdrant-vs-cursor")),
        "another tool's feed does not list it"
    );

    // The readers' score became available on a day of the history.
    use sea_orm::ConnectionTrait;
    app.db
        .execute_unprepared(
            "INSERT INTO score_snapshots (tool_id, day, panel_ship, panel_total, community_ship, community_total) \
             SELECT id, '2020-01-02', 1, 2, 40, 50 FROM tools WHERE slug = 'qdrant'",
        )
        .await
        .expect("a day of history");
    let scored = feed(&app, PATH).await;
    assert!(
        scored.has_id(&format!("{PUBLIC_URL}/tools/qdrant#community-score")),
        "{:?}",
        scored.entries
    );

    let (status, html) = app.get("/tools/qdrant").await;
    assert_eq!(status, 200);
    let link = html
        .split('<')
        .find(|tag| tag.starts_with("link") && tag.contains(r#"href="/tools/qdrant/feed.xml""#))
        .expect("the tool page links its feed");
    assert!(link.contains(r#"rel="alternate""#), "{link}");
    assert!(link.contains(r#"type="application/atom+xml""#), "{link}");
    assert!(link.contains(r#"title="Qdrant on Verdicts""#), "{link}");
    for path in ["/tools/no-such-tool/feed.xml", "/tools/NOT_A_SLUG/feed.xml"] {
        assert_eq!(app.get(path).await.0, 404, "{path}");
    }
}

async fn a_reviewers_feed_follows_their_verdicts_and_their_tools_comparisons(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    const PATH: &str = "/reviewers/new-lens/feed.xml";
    assert_eq!(app.get(PATH).await.0, 404, "no such reviewer yet");
    let editor = signed_in(&app).await;
    new_reviewer(&app, &editor).await;
    let empty = feed(&app, PATH).await;
    assert!(empty.entries.is_empty(), "{:?}", empty.entries);
    assert_eq!(
        again(&app, PATH, IF_NONE_MATCH, &empty.header(ETAG)).await,
        304
    );

    ok(
        &app,
        &editor,
        REVIEW,
        json!({ "t": "pgvector", "v": "SKIP" }),
    )
    .await;
    let reviewed = feed(&app, PATH).await;
    assert!(
        reviewed.titles().contains(&"Ana Lens: SKIP on pgvector"),
        "{:?}",
        reviewed.entries
    );
    assert!(
        reviewed.has_id(&format!("{PUBLIC_URL}/compare/qdrant-vs-pgvector")),
        "a comparison of a tool they reviewed: {:?}",
        reviewed.entries
    );
    validators_hold(&app, PATH, &reviewed).await;
    assert!(
        !reviewed
            .titles()
            .iter()
            .any(|t| t.starts_with("Maya Okafor")),
        "only their own verdicts"
    );

    publish_comparison(&app, &editor, "pgvector-vs-cursor", "pgvector", "cursor").await;
    assert!(feed(&app, PATH)
        .await
        .has_id(&format!("{PUBLIC_URL}/compare/pgvector-vs-cursor")));

    let (status, html) = app.get("/reviewers/new-lens").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"href="/reviewers/new-lens/feed.xml""#));
    assert_eq!(app.get("/reviewers/nobody/feed.xml").await.0, 404);
}

async fn a_categorys_feed_follows_the_verdicts_and_comparisons_of_its_tools(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    const PATH: &str = "/categories/vector-databases/feed.xml";
    let before = feed(&app, PATH).await;
    assert!(before.has_id(&format!("{PUBLIC_URL}/compare/qdrant-vs-pgvector")));
    assert!(
        !before.has_id(&format!("{PUBLIC_URL}/compare/cursor-vs-github-copilot")),
        "not another category's comparison"
    );
    validators_hold(&app, PATH, &before).await;

    let editor = signed_in(&app).await;
    new_reviewer(&app, &editor).await;
    ok(&app, &editor, REVIEW, json!({ "t": "qdrant", "v": "SHIP" })).await;
    publish_comparison(
        &app,
        &editor,
        "whisper-vs-qdrant",
        "whisper-large-v3",
        "qdrant",
    )
    .await;
    let after = feed(&app, PATH).await;
    assert!(after.titles().contains(&"Ana Lens: SHIP on Qdrant"));
    assert!(after.has_id(&format!("{PUBLIC_URL}/compare/whisper-vs-qdrant")));
    assert!(
        feed(&app, "/categories/speech/feed.xml")
            .await
            .has_id(&format!("{PUBLIC_URL}/compare/whisper-vs-qdrant")),
        "both tools' categories list it"
    );
    let (status, html) = app.get("/categories/vector-databases").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"href="/categories/vector-databases/feed.xml""#));
    assert_eq!(
        app.get("/categories/no-such-category/feed.xml").await.0,
        404
    );
}

/// The site-wide feed carries the same validators.
async fn the_site_feed_answers_304_to_its_validators(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let response = app
        .client
        .get(format!("{}/feed.xml", app.address))
        .send()
        .await
        .expect("an answer");
    let site = Feed {
        headers: response.headers().clone(),
        entries: Vec::new(),
    };
    validators_hold(&app, "/feed.xml", &site).await;
}

on_both_databases!(
    a_tools_feed_follows_its_verdicts_comparisons_and_score,
    a_reviewers_feed_follows_their_verdicts_and_their_tools_comparisons,
    a_categorys_feed_follows_the_verdicts_and_comparisons_of_its_tools,
    the_site_feed_answers_304_to_its_validators,
);
