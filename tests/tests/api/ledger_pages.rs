//! The integrity ledger as readers and editors see it (issue 16, item 5):
//! the one line under a community score on the tool and comparison pages,
//! the tool page's "How readers' votes were counted", `/integrity`, its
//! Atom feed and the dashboard's review list, after a ballot stuffer's burst.

use futures::{stream, StreamExt};
use serde_json::{json, Value};
use tests::{on_both_databases, Db, SpawnOptions, TestApp};

const VOTE: &str =
    "mutation($t: String!, $v: Verdict!) { castVote(tool: $t, verdict: $v) { total } }";
const EDITOR: &str = "ed@verdicts.example";
const PASSWORD: &str = "correct horse battery staple";
/// What an editor might type, and must reach readers as text.
const HOSTILE_REASON: &str = "<script>alert(1)</script> & \"a bot farm\" </title>";

/// A server counting at most 10 new voters per network, tool and hour.
async fn spawn(db: Db) -> Option<TestApp> {
    TestApp::spawn_with(
        db,
        SpawnOptions {
            vote_limits: (1_000_000, 1_000_000, 60),
            network_quota: 10,
            ..SpawnOptions::default()
        },
    )
    .await
}

/// `count` cookie-less votes from `address` (as the trusted proxy says).
async fn votes_from(app: &TestApp, tool: &str, address: &str, count: usize) {
    let answers: Vec<Value> = stream::iter(0..count)
        .map(|_| async move {
            TestApp::new_client()
                .post(format!("{}/graphql", app.address))
                .header("x-forwarded-for", address)
                .json(&json!({ "query": VOTE, "variables": { "t": tool, "v": "SKIP" } }))
                .send()
                .await
                .expect("an answer")
                .json::<Value>()
                .await
                .expect("JSON")
        })
        .buffer_unordered(8)
        .collect()
        .await;
    assert!(answers.iter().all(|a| a["errors"].is_null()), "{answers:?}");
}

/// A signed-in editor's client.
async fn editor(app: &TestApp) -> reqwest::Client {
    server::domain::editors::create_editor(&app.db, EDITOR, PASSWORD)
        .await
        .expect("an editor");
    let client = TestApp::new_client();
    app.sign_in_as(&client, EDITOR, PASSWORD).await;
    client
}

/// The id of the newest window that held votes.
async fn newest_window(app: &TestApp) -> String {
    let body = app
        .gql("{ integrity { windows(first: 1) { id } } }", json!({}))
        .await;
    body["data"]["integrity"]["windows"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a window: {body}"))
        .to_owned()
}

async fn reject(app: &TestApp, editor: &reqwest::Client, window: &str, reason: &str) {
    let body: Value = editor
        .post(format!("{}/graphql", app.address))
        .header(contract::names::CSRF_HEADER, contract::names::CSRF_VALUE)
        .json(&json!({
            "query": "mutation($w: ID!, $r: String!) { rejectHeldVotes(window: $w, reason: $r) { status } }",
            "variables": { "w": window, "r": reason }
        }))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        body["data"]["rejectHeldVotes"]["status"], "REJECTED",
        "{body}"
    );
}

async fn get_as(app: &TestApp, client: &reqwest::Client, path: &str) -> (u16, String) {
    let response = client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    (status, response.text().await.expect("the page"))
}

/// Asserts `html` has each of `texts`, read without the markers Leptos
/// writes between text nodes (`<!>`).
fn lacks(html: &str, texts: &[&str], page: &str) {
    let html = html.replace("<!>", "");
    for text in texts {
        assert!(html.contains(text), "{page} lacks {text:?}");
    }
}

async fn pages_tell_readers_what_a_burst_of_votes_became(db: Db) {
    let Some(app) = spawn(db).await else { return };
    votes_from(&app, "smolvlm-3b", "203.0.113.9", 25).await;

    // The tool page: the line under the score, and the section it links to.
    let (status, html) = app.get("/tools/smolvlm-3b").await;
    assert_eq!(status, 200);
    lacks(
        &html,
        &[
            "15 votes from one network within one hour were set aside",
            "<a href=\"#vote-integrity\">details</a>",
            "id=\"vote-integrity\"",
            "How readers\u{2019} votes were counted",
            ">10<",
            "held for review",
            "Verdicts readers",
            "Held for review",
            "25 new voters from one network; 15 set aside",
            "at most 10 new voters from one network",
            "href=\"/integrity\"",
        ],
        "the tool page",
    );
    // The comparison page: the same line, linking to the tool page's section.
    let (status, html) = app
        .get("/compare/claude-haiku-open-weights-vs-smolvlm-3b")
        .await;
    assert_eq!(status, 200);
    lacks(
        &html,
        &[
            "15 votes from one network within one hour were set aside",
            "href=\"/tools/smolvlm-3b#vote-integrity\"",
        ],
        "the comparison page",
    );
    assert_eq!(
        html.matches("data-testid=\"integrity-note\"").count(),
        1,
        "only the stuffed tool has a line"
    );

    // An editor rejects them, with a reason readers see as typed.
    let editor = editor(&app).await;
    let (_, dashboard) = get_as(&app, &editor, "/admin").await;
    lacks(
        &dashboard,
        &[
            "Held votes to review",
            "203.0.113.9",
            "25 new voters; 15 held",
            "Release 15 votes",
            "Reject them",
        ],
        "the dashboard",
    );
    let window = newest_window(&app).await;
    assert!(dashboard.contains(&format!("id=\"reason-{window}\"")));
    // Read (and kept by the page cache) before the decision.
    let (_, html) = app.get("/integrity").await;
    lacks(
        &html,
        &["Held for review"],
        "/integrity before the decision",
    );
    reject(&app, &editor, &window, HOSTILE_REASON).await;
    let (_, dashboard) = get_as(&app, &editor, "/admin").await;
    assert!(dashboard.contains("No votes wait for review."));

    let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"a bot farm\" &lt;/title&gt;";
    let (_, html) = app.get("/tools/smolvlm-3b").await;
    lacks(
        &html,
        &[
            "15 votes were rejected and never counted",
            "Rejected: they do not count",
            "Rejected 15 votes",
            "by an editor",
            escaped,
        ],
        "the tool page after the decision",
    );
    assert!(!html.contains("<script>alert(1)"), "the reason is text");

    // The site-wide ledger and its feed.
    let (status, html) = app.get("/integrity").await;
    assert_eq!(status, 200);
    lacks(
        &html,
        &[
            "<title>The integrity ledger \u{b7} Verdicts</title>",
            "<link href=\"/integrity.atom\" rel=\"alternate\" title=\"Verdicts: the integrity ledger\" type=\"application/atom+xml\">",
            "at most 10 new voters from one network",
            "rejected if no editor has decided within 14 days",
            "href=\"/tools/smolvlm-3b#vote-integrity\">SmolVLM-3B</a>",
            "Rejected: they do not count",
            "25 new voters from one network; 15 set aside",
            "Rejected 15 votes",
            escaped,
        ],
        "/integrity",
    );
    assert!(!html.contains("<script>alert(1)"), "the reason is text");
    assert!(
        !html.contains("Held for review"),
        "the cached page was replaced"
    );
    let response = app
        .client
        .get(format!("{}/integrity.atom", app.address))
        .send()
        .await
        .expect("the feed");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let feed = response.text().await.expect("the feed's text");
    lacks(
        &feed,
        &[
            "<title>Verdicts: the integrity ledger</title>",
            "<title>SmolVLM-3B: 15 votes from one network set aside (rejected: they do not count)</title>",
            "<title>SmolVLM-3B: held votes rejected (15 votes, by an editor)</title>",
            "/tools/smolvlm-3b#vote-integrity",
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;a bot farm&quot; &lt;/title&gt;",
        ],
        "the feed",
    );
    assert!(!feed.contains("<script>"), "the reason is text in the feed");
    assert_eq!(
        feed.matches("<entry>").count(),
        2,
        "a window and a decision"
    );
}

async fn tool_page_says_every_vote_counts_when_none_was_set_aside(db: Db) {
    let Some(app) = spawn(db).await else { return };
    for address in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        votes_from(&app, "cursor", address, 1).await;
    }
    let (_, html) = app.get("/tools/cursor").await;
    lacks(
        &html,
        &[
            "All 3 votes count: no counting rule set any aside.",
            "The counting rule: ",
            "at most 10 new voters from one network",
            "href=\"/integrity\"",
        ],
        "the tool page",
    );
    assert!(!html.contains("data-testid=\"integrity-note\""), "no line");
    let (_, html) = app.get("/integrity").await;
    lacks(
        &html,
        &[
            "No counting rule has set any vote aside yet",
            "No decision has been taken yet.",
        ],
        "/integrity",
    );
    let feed = app.get("/integrity.atom").await.1;
    assert!(
        feed.contains("<feed") && !feed.contains("<entry>"),
        "{feed}"
    );
}

async fn ledger_pages_older_than_a_window(db: Db) {
    let Some(app) = spawn(db).await else { return };
    votes_from(&app, "cursor", "192.0.2.1", 12).await;
    votes_from(&app, "pgvector", "192.0.2.2", 12).await;
    let newest = newest_window(&app).await;
    let (status, html) = app.get(&format!("/integrity?before={newest}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("href=\"/tools/cursor#vote-integrity\"")
            && !html.contains("href=\"/tools/pgvector#vote-integrity\""),
        "only the older window"
    );
    let (status, _) = app.get("/integrity?before=x").await;
    assert_eq!(
        status, 400,
        "a wrong cursor is the reader's link, not the site"
    );
}

on_both_databases!(
    pages_tell_readers_what_a_burst_of_votes_became,
    tool_page_says_every_vote_counts_when_none_was_set_aside,
    ledger_pages_older_than_a_window,
);
