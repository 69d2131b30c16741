//! The response cache: anonymous pages and queries are kept, compressed
//! once, and never outlive a change to what they show: a vote, an edit, on
//! this instance at once, on another sharing the database within the
//! staleness bound. A change ends only the answers that read what it touched.

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection, Statement, TransactionTrait};
use serde_json::{json, Value};
use server::changes::{Changes, Pruner, Read, STALENESS_BOUND};
use tests::{
    on_both_databases,
    process::{free_port, start_server, wait_until_ready},
    Db, SpawnOptions, TestApp,
};

const SCORE: &str =
    "query Score($slug: String!) { tool(slug: $slug) { slug community { ship skip total } } }";
const VOTE: &str =
    "mutation($tool: String!, $v: Verdict!) { castVote(tool: $tool, verdict: $v) { total } }";
/// A demo tool nobody has voted on.
const TOOL: &str = "qdrant";

/// A reader without cookies: the one the cache serves.
fn anonymous() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

async fn metric(address: &str, name: &str) -> u64 {
    let body = anonymous()
        .get(format!("{address}/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("a body");
    body.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' '))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("{name} in /metrics"))
}

async fn page(address: &str, path: &str) -> (u16, String) {
    let response = anonymous()
        .get(format!("{address}{path}"))
        .send()
        .await
        .expect("the page");
    let status = response.status().as_u16();
    (status, response.text().await.expect("a body"))
}

/// The tool's community total by POST and by GET, as an anonymous client.
async fn totals(address: &str, slug: &str) -> (Value, Value) {
    let variables = json!({ "slug": slug });
    let post: Value = anonymous()
        .post(format!("{address}/graphql"))
        .json(&json!({ "query": SCORE, "variables": variables }))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("JSON");
    let get: Value = anonymous()
        .get(format!("{address}/graphql"))
        .query(&[("query", SCORE), ("variables", &variables.to_string())])
        .header("accept", "application/json")
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    (
        post["data"]["tool"]["community"]["total"].clone(),
        get["data"]["tool"]["community"]["total"].clone(),
    )
}

/// The tool page's note on its readers' votes (ten are needed in tests).
fn needed(votes: u64) -> String {
    format!("{} more votes needed", 10 - votes)
}

async fn vote_as_a_new_reader(address: &str, slug: &str) {
    let body: Value = TestApp::new_client()
        .post(format!("{address}/graphql"))
        .json(&json!({ "query": VOTE, "variables": { "tool": slug, "v": "SHIP" } }))
        .send()
        .await
        .expect("the vote")
        .json()
        .await
        .expect("JSON");
    assert!(body["errors"].is_null(), "{body}");
}

/// Reads the page and both API forms three times: the second time each is
/// kept, the third it comes from the cache.
async fn warm(address: &str, slug: &str) {
    for _ in 0..3 {
        assert_eq!(page(address, &format!("/tools/{slug}")).await.0, 200);
        totals(address, slug).await;
    }
}

async fn a_vote_is_on_the_page_and_in_the_api_at_once(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let address = &app.address;
    warm(address, TOOL).await;
    let hits = metric(address, "verdicts_cache_hits_total").await;
    let (_, html) = page(address, &format!("/tools/{TOOL}")).await;
    assert!(html.contains(&needed(0)), "no votes yet");
    assert_eq!(totals(address, TOOL).await, (json!(0), json!(0)));
    assert_eq!(
        metric(address, "verdicts_cache_hits_total").await,
        hits + 3,
        "the page, the POST and the GET came from the cache"
    );
    for votes in 1..=3 {
        vote_as_a_new_reader(address, TOOL).await;
        // At once, with no pause: the vote has committed when its answer came.
        let (_, html) = page(address, &format!("/tools/{TOOL}")).await;
        assert!(
            html.contains(&needed(votes)),
            "after {votes} votes the page says {:?}",
            html.find("more votes needed")
                .map(|i| &html[i.saturating_sub(4)..i])
        );
        assert_eq!(
            totals(address, TOOL).await,
            (json!(votes), json!(votes)),
            "after {votes} votes"
        );
    }
}

async fn an_unpublished_tool_is_gone_at_once_for_anonymous_readers(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let address = &app.address;
    warm(address, TOOL).await;
    let editor = server::domain::editors::create_editor(
        &app.db,
        "ed@verdicts.example",
        "a long and secret passphrase",
    )
    .await
    .expect("an editor");
    server::domain::editing::set_tool_published(&app.db, &editor, TOOL, false)
        .await
        .expect("unpublished");
    assert_eq!(page(address, &format!("/tools/{TOOL}")).await.0, 404);
    assert_eq!(totals(address, TOOL).await, (Value::Null, Value::Null));
}

async fn a_reader_with_a_voter_cookie_sees_their_own_vote(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let address = &app.address;
    warm(address, TOOL).await;
    let reader = TestApp::new_client();
    let body = app
        .gql_as(&reader, VOTE, json!({ "tool": TOOL, "v": "SHIP" }))
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let html = reader
        .get(format!("{address}/tools/{TOOL}"))
        .send()
        .await
        .expect("the page")
        .text()
        .await
        .expect("a body");
    assert!(
        html.contains("Your vote: SHIP"),
        "their own vote, not a kept page"
    );
    let (_, anonymous_html) = page(address, &format!("/tools/{TOOL}")).await;
    assert!(!anonymous_html.contains("Your vote: SHIP"));
}

async fn kept_answers_are_compressed_as_the_client_asks(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let url = format!("{}/compare/{}", app.address, crate::DEMO);
    let path = format!("/compare/{}", crate::DEMO);
    // The second request renders the page that is kept; the third is served
    // from the cache (a fresh render would differ: Leptos writes a new nonce).
    page(&app.address, &path).await;
    let (_, kept) = page(&app.address, &path).await;
    let (_, plain) = page(&app.address, &path).await;
    assert_eq!(plain, kept, "the kept page is the page");
    for _ in 0..2 {
        for (encoding, decode) in [
            ("br", decode_brotli as fn(&[u8]) -> Vec<u8>),
            ("gzip", decode_gzip),
        ] {
            let response = anonymous()
                .get(&url)
                .header("accept-encoding", encoding)
                .send()
                .await
                .expect("the page");
            let headers = response.headers().clone();
            assert_eq!(
                headers
                    .get("content-encoding")
                    .and_then(|v| v.to_str().ok()),
                Some(encoding)
            );
            assert!(headers
                .get_all("vary")
                .iter()
                .any(|v| v.to_str().unwrap_or("").contains("accept-encoding")));
            let body = response.bytes().await.expect("a body");
            assert!(body.len() * 3 < plain.len(), "{encoding} is much smaller");
            assert_eq!(String::from_utf8(decode(&body)).expect("UTF-8"), plain);
        }
    }
    // The site's own files too: one address, several encodings.
    let style = anonymous()
        .get(format!("{}/pkg/verdicts.css", app.address))
        .header("accept-encoding", "br")
        .send()
        .await
        .expect("the style sheet");
    assert_eq!(style.status().as_u16(), 200);
    assert!(
        style
            .headers()
            .get_all("vary")
            .iter()
            .any(|v| v.to_str().unwrap_or("").contains("accept-encoding")),
        "{:?}",
        style.headers()
    );
}

fn decode_brotli(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::BrotliDecompress(&mut &body[..], &mut out).expect("brotli");
    out
}

fn decode_gzip(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(body), &mut out).expect("gzip");
    out
}

/// POSTs `query` as an anonymous client; the body.
async fn ask(address: &str, query: &str, variables: Value) -> Value {
    anonymous()
        .post(format!("{address}/graphql"))
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("JSON")
}

/// Whether what `request` asks is answered from the cache: the hit counter
/// moves by one across it (requests run one at a time in these tests).
async fn from_cache<F: std::future::Future>(address: &str, request: F) -> (bool, F::Output) {
    let before = metric(address, "verdicts_cache_hits_total").await;
    let output = request.await;
    let after = metric(address, "verdicts_cache_hits_total").await;
    (after == before + 1, output)
}

/// Asks each of `paths` (pages) and `queries` three times: kept the second
/// time, served from the cache the third.
async fn warm_all(address: &str, paths: &[&str], queries: &[(&str, Value)]) {
    for _ in 0..3 {
        for path in paths {
            assert_eq!(page(address, path).await.0, 200, "{path}");
        }
        for (query, variables) in queries {
            let body = ask(address, query, variables.clone()).await;
            assert!(body["errors"].is_null(), "{body}");
        }
    }
}

/// A tool in another category than [`TOOL`], compared with neither it nor
/// its rival.
const OTHER: &str = "cursor";

async fn a_vote_on_one_tool_keeps_the_answers_that_do_not_show_it(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let address = &app.address;
    let other_page = format!("/tools/{OTHER}");
    let tool_page = format!("/tools/{TOOL}");
    let other_category = "/categories/coding-assistants";
    let scores = |slug: &str| (SCORE, json!({ "slug": slug }));
    warm_all(
        address,
        &[&other_page, &tool_page, other_category],
        &[scores(OTHER), scores(TOOL)],
    )
    .await;
    vote_as_a_new_reader(address, TOOL).await;
    for path in [&other_page, other_category] {
        let (hit, (status, _)) = from_cache(address, page(address, path)).await;
        assert!(
            hit && status == 200,
            "{path} does not show {TOOL}: still kept"
        );
    }
    let (hit, body) = from_cache(address, ask(address, SCORE, json!({ "slug": OTHER }))).await;
    assert!(hit, "{OTHER}'s score is still kept: {body}");
    let (hit, (_, html)) = from_cache(address, page(address, &tool_page)).await;
    assert!(!hit, "{TOOL}'s page shows the vote");
    assert!(html.contains(&needed(1)), "and shows it at once");
    let (hit, body) = from_cache(address, ask(address, SCORE, json!({ "slug": TOOL }))).await;
    assert!(!hit, "{TOOL}'s score is asked afresh");
    assert_eq!(body["data"]["tool"]["community"]["total"], 1, "{body}");
}

async fn a_list_by_community_score_is_ended_by_any_vote(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let address = &app.address;
    let list = |field: &str| {
        format!("{{ tools(orderBy: {{ field: {field} }}, first: 2) {{ nodes {{ slug }} }} }}")
    };
    let (by_community, by_panel, by_name) =
        (list("COMMUNITY_SCORE"), list("PANEL_SCORE"), list("NAME"));
    let lists = [&by_community, &by_panel, &by_name];
    let queries: Vec<(&str, Value)> = lists.iter().map(|q| (q.as_str(), json!({}))).collect();
    warm_all(address, &[], &queries).await;
    for query in lists {
        let (_, body) = from_cache(address, ask(address, query, json!({}))).await;
        let slugs = body["data"]["tools"]["nodes"].to_string();
        assert!(
            !slugs.contains(TOOL),
            "{TOOL} is on none of the lists: {slugs}"
        );
    }
    vote_as_a_new_reader(address, TOOL).await;
    let (hit, _) = from_cache(address, ask(address, &by_community, json!({}))).await;
    assert!(!hit, "a vote may reorder the tools by community score");
    for query in [&by_panel, &by_name] {
        let (hit, _) = from_cache(address, ask(address, query, json!({}))).await;
        assert!(
            hit,
            "a vote changes neither panel scores nor names: {query}"
        );
    }
}

async fn an_edit_of_a_category_ends_the_pages_that_show_it(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let address = &app.address;
    let (category, elsewhere) = ("/categories/vector-databases", "/categories/speech");
    let in_it = format!("/tools/{TOOL}");
    let outside = format!("/tools/{OTHER}");
    warm_all(address, &[category, &in_it, elsewhere, &outside], &[]).await;
    server::domain::editors::create_editor(
        &app.db,
        "ed@verdicts.example",
        "a long and secret passphrase",
    )
    .await
    .expect("an editor");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-verdicts-csrf", "1".parse().expect("a header"));
    let editor = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .expect("a client");
    app.sign_in_as(
        &editor,
        "ed@verdicts.example",
        "a long and secret passphrase",
    )
    .await;
    let body = app
        .gql_as(
            &editor,
            "mutation { updateCategory(slug: \"vector-databases\", input: { slug: \"vector-databases\", name: \"Vector Stores\" }) { slug } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    for path in [category, in_it.as_str()] {
        let (hit, (_, html)) = from_cache(address, page(address, path)).await;
        assert!(!hit, "{path} shows the category");
        assert!(
            html.contains("Vector Stores"),
            "{path} shows its new name at once"
        );
    }
    for path in [elsewhere, outside.as_str()] {
        let (hit, _) = from_cache(address, page(address, path)).await;
        assert!(hit, "{path} does not show the category: still kept");
    }
}

on_both_databases!(
    a_vote_is_on_the_page_and_in_the_api_at_once,
    an_unpublished_tool_is_gone_at_once_for_anonymous_readers,
    a_reader_with_a_voter_cookie_sees_their_own_vote,
    kept_answers_are_compressed_as_the_client_asks,
    a_vote_on_one_tool_keeps_the_answers_that_do_not_show_it,
    a_list_by_community_score_is_ended_by_any_vote,
    an_edit_of_a_category_ends_the_pages_that_show_it,
    a_vote_on_one_instance_is_seen_on_another_within_the_bound,
    kept_answers_are_served_while_requests_hold_every_pooled_connection,
    recording_unchanged_scores_again_ends_no_kept_answer,
    a_document_whose_operation_cannot_be_picked_makes_no_read_of_the_log,
);

/// Two processes on one database (PostgreSQL, or one SQLite file): each has
/// its own cache, and a vote on either is on the other's pages and answers
/// within the staleness bound: every read that starts that long after the
/// vote was answered shows it (on SQLite through the log's periodic read;
/// on PostgreSQL `NOTIFY` usually makes it a few milliseconds).
async fn a_vote_on_one_instance_is_seen_on_another_within_the_bound(db: Db) {
    let Some(first) = TestApp::spawn(db).await else {
        return;
    };
    let port = free_port();
    let second = format!("http://127.0.0.1:{port}");
    let _process = start_server(&first.database_url, port);
    wait_until_ready(&second).await;
    for address in [&first.address, &second] {
        warm(address, TOOL).await;
    }
    assert!(
        metric(&second, "verdicts_cache_hits_total").await >= 3,
        "the second instance serves from its own cache"
    );
    let bound = STALENESS_BOUND;
    for votes in 1..=4u64 {
        let (voted_on, read_on) = if votes % 2 == 1 {
            (&first.address, &second)
        } else {
            (&second, &first.address)
        };
        vote_as_a_new_reader(voted_on, TOOL).await;
        let answered = Instant::now();
        loop {
            let asked = answered.elapsed();
            let (_, html) = page(read_on, &format!("/tools/{TOOL}")).await;
            let page_shows = html.contains(&needed(votes));
            assert!(
                page_shows || asked < bound,
                "a page asked {asked:?} after vote {votes}"
            );
            let asked = answered.elapsed();
            let api_shows = totals(read_on, TOOL).await == (json!(votes), json!(votes));
            assert!(
                api_shows || asked < bound,
                "an answer asked {asked:?} after vote {votes}"
            );
            if page_shows && api_shows {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// One number a statement answers.
async fn number(db: &DatabaseConnection, sql: &str) -> i64 {
    db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("the query")
        .expect("a row")
        .try_get_by_index::<i64>(0)
        .expect("a number")
}

/// The log is read through connections of its own: with every connection
/// of the pool held by requests for longer than the staleness bound, the
/// log is still read, and kept pages are still served (before, the read
/// waited for the pool, and after 1 s nothing was served from the cache).
async fn kept_answers_are_served_while_requests_hold_every_pooled_connection(db: Db) {
    let options = SpawnOptions {
        configure: |config| config.database_max_connections = Some(3),
        ..SpawnOptions::default()
    };
    let Some(app) = TestApp::spawn_with(db, options).await else {
        return;
    };
    let address = &app.address;
    let path = format!("/tools/{TOOL}");
    warm_all(address, &[&path], &[]).await;
    let mut held = Vec::new();
    while let Ok(Ok(transaction)) =
        tokio::time::timeout(Duration::from_millis(300), app.db.begin()).await
    {
        held.push(transaction);
    }
    assert!(!held.is_empty(), "the test holds the pool's connections");
    let reads = metric(address, "verdicts_cache_log_reads_total").await;
    tokio::time::sleep(STALENESS_BOUND * 2).await;
    assert!(
        metric(address, "verdicts_cache_log_reads_total").await >= reads + 5,
        "the log is read every 200 ms all the same"
    );
    let answered = tokio::time::timeout(
        Duration::from_secs(3),
        from_cache(address, page(address, &path)),
    )
    .await;
    let (hit, (status, _)) = answered.expect("the kept page is served while the pool is taken");
    assert!(hit && status == 200, "{status}");
    drop(held);
    // Writes are seen at once as ever.
    vote_as_a_new_reader(address, TOOL).await;
    assert!(page(address, &path).await.1.contains(&needed(1)));
}

/// The hourly score-history recorder rewrote every tool's row of the day
/// whether its tallies moved or not: every row written leaves a change in
/// the log, so every hour ended every kept answer that shows a tool.
async fn recording_unchanged_scores_again_ends_no_kept_answer(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let address = &app.address;
    let today = chrono::Utc::now().date_naive();
    let record = || server::domain::history::record(&app.db, today);
    assert!(
        record().await.expect("recorded") > 0,
        "today's first record"
    );
    let path = format!("/tools/{TOOL}");
    let score = (SCORE, json!({ "slug": TOOL }));
    warm_all(address, &[&path], std::slice::from_ref(&score)).await;
    let logged = number(&app.db, "SELECT COUNT(*) FROM content_changes").await;
    assert_eq!(record().await.expect("recorded"), 0, "no tally moved");
    assert_eq!(
        number(&app.db, "SELECT COUNT(*) FROM content_changes").await,
        logged,
        "so the log has no new row"
    );
    let (hit, (status, _)) = from_cache(address, page(address, &path)).await;
    assert!(hit && status == 200, "the tool page is still kept");
    let (hit, body) = from_cache(address, ask(address, score.0, score.1.clone())).await;
    assert!(hit, "and so is its score: {body}");
    // A vote moves one tool's tally: that row alone is written again.
    vote_as_a_new_reader(address, TOOL).await;
    assert_eq!(record().await.expect("recorded"), 1);
    let history = ask(
        address,
        "query($slug: String!) { tool(slug: $slug) { scoreHistory(days: 1) { community { total } } } }",
        json!({ "slug": TOOL }),
    )
    .await;
    assert_eq!(
        history["data"]["tool"]["scoreHistory"][0]["community"]["total"], 1,
        "{history}"
    );
}

/// async-graphql runs nothing when the operation named cannot be picked:
/// such a document is no write, or anyone could make every instance read
/// the change log at will (a write reads it before it is answered).
async fn a_document_whose_operation_cannot_be_picked_makes_no_read_of_the_log(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let address = &app.address;
    let document = format!(
        "query Read {{ __typename }} mutation Write {{ castVote(tool: \"{TOOL}\", verdict: SHIP) {{ total }} }}"
    );
    // Past the start's own writes (the demo catalogue, the voter key),
    // which make lookups read the log for a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = metric(address, "verdicts_cache_log_reads_total").await;
    let started = Instant::now();
    const REQUESTS: u64 = 40;
    for _ in 0..REQUESTS {
        let body: Value = anonymous()
            .post(format!("{address}/graphql"))
            .json(&json!({ "query": document, "operationName": "Nope" }))
            .send()
            .await
            .expect("POST")
            .json()
            .await
            .expect("JSON");
        assert!(!body["errors"].is_null(), "{body}");
    }
    let reads = metric(address, "verdicts_cache_log_reads_total").await - before;
    // The periodic reads, one every 200 ms, one more either side, and a
    // margin; a read per document would be 40.
    let periodic = started.elapsed().as_millis() as u64 / 200 + 2;
    assert!(
        reads <= periodic + REQUESTS / 4,
        "{reads} reads of the log for {REQUESTS} refused documents in {:?}",
        started.elapsed()
    );
    assert_eq!(totals(address, TOOL).await, (json!(0), json!(0)), "no vote");
}

/// The id of a tool.
async fn tool_id(db: &DatabaseConnection, slug: &str) -> i64 {
    number(db, &format!("SELECT id FROM tools WHERE slug = '{slug}'")).await
}

/// On PostgreSQL the log's ids are handed out as rows are inserted, and
/// transactions commit in any order: a row with a smaller id can commit
/// after one with a larger id was read. Pruning "every id up to the end
/// seen a while ago" deleted such a row as soon as it committed, before
/// any instance had read it, and the answers that read its tool stayed
/// kept. Rows go only once they committed before a mark old enough.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_committed_after_a_larger_id_still_ends_what_read_it() {
    let Some(app) = TestApp::spawn(Db::Postgres).await else {
        return;
    };
    let connect = || async {
        Database::connect(app.database_url.as_str())
            .await
            .expect("a connection")
    };
    let (slow_writer, fast_writer) = (connect().await, connect().await);
    // Another instance's view of the log, read and pruned by hand.
    let view = Changes::new(connect().await, Arc::default());
    assert!(view.sync().await);
    let (slow, fast) = (tool_id(&app.db, TOOL).await, tool_id(&app.db, OTHER).await);
    let stamp = view.stamp().await.expect("current");
    let (reads_slow, reads_fast) = (
        Some(vec![Read::Tool(slow)].into_boxed_slice()),
        Some(vec![Read::Tool(fast)].into_boxed_slice()),
    );
    let touch = |slug: &str| format!("UPDATE tools SET tagline = tagline WHERE slug = '{slug}'");
    // The slow transaction's row takes the smaller id; the fast one commits
    // a larger id, and the view reads it.
    let transaction = slow_writer.begin().await.expect("a transaction");
    transaction
        .execute_unprepared(&touch(TOOL))
        .await
        .expect("the slow change");
    fast_writer
        .execute_unprepared(&touch(OTHER))
        .await
        .expect("the fast change");
    assert!(view.sync().await);
    assert!(!view.fresh(stamp, &reads_fast), "the fast change is read");
    assert!(
        view.fresh(stamp, &reads_slow),
        "the slow one is not committed"
    );
    let mut pruner = Pruner::new(Duration::from_millis(300));
    // The mark is taken while the slow transaction runs...
    pruner.prune(&view).await;
    transaction.commit().await.expect("the slow change commits");
    tokio::time::sleep(Duration::from_millis(400)).await;
    // ...and the rows it saw committed are pruned once it is old enough.
    pruner.prune(&view).await;
    let ids = |tool: i64| {
        format!("SELECT COALESCE(MAX(id), 0) FROM content_changes WHERE topic = 't' AND subject = {tool}")
    };
    assert_eq!(
        number(&app.db, &ids(fast)).await,
        0,
        "the fast row was pruned"
    );
    let slow_id = number(&app.db, &ids(slow)).await;
    assert!(slow_id > 0, "the slow row was not");
    assert!(view.sync().await);
    assert!(
        !view.fresh(stamp, &reads_slow),
        "the slow change ends what read its tool"
    );
}

/// A write made on this instance beside a running mutation (a background
/// task, a domain function, another path) is seen at once too: only the
/// mutation's own writes wait for it to read the log. Before, every write
/// statement of the process was left to whichever mutation was running.
/// PostgreSQL lets the test hold a mutation (a vote waits for a row lock)
/// while another write commits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_made_while_a_mutation_runs_is_seen_at_once() {
    let Some(app) = TestApp::spawn(Db::Postgres).await else {
        return;
    };
    let address = app.address.clone();
    let body = ask(
        &address,
        "{ tools(first: 5) { nodes { slug } } }",
        json!({}),
    )
    .await;
    let others: Vec<String> = body["data"]["tools"]["nodes"]
        .as_array()
        .expect("tools")
        .iter()
        .filter_map(|t| t["slug"].as_str().map(str::to_owned))
        .filter(|slug| slug != TOOL)
        .take(3)
        .collect();
    assert_eq!(others.len(), 3, "{body}");
    let paths: Vec<String> = others.iter().map(|slug| format!("/tools/{slug}")).collect();
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    warm_all(&address, &paths, &[]).await;
    let editor = server::domain::editors::create_editor(
        &app.db,
        "ed@verdicts.example",
        "a long and secret passphrase",
    )
    .await
    .expect("an editor");
    // A vote on TOOL waits for its tool's row.
    let blocker = Database::connect(app.database_url.as_str())
        .await
        .expect("a connection");
    let lock = blocker.begin().await.expect("a transaction");
    lock.execute_unprepared(&format!(
        "SELECT 1 FROM tools WHERE slug = '{TOOL}' FOR UPDATE"
    ))
    .await
    .expect("the lock");
    let vote = tokio::spawn({
        let address = address.clone();
        async move { vote_as_a_new_reader(&address, TOOL).await }
    });
    let waiting = "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'";
    let since = Instant::now();
    while number(&blocker, waiting).await == 0 {
        assert!(since.elapsed() < Duration::from_secs(10), "the vote waits");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    for (slug, path) in others.iter().zip(&paths) {
        server::domain::editing::set_tool_published(&app.db, &editor, slug, false)
            .await
            .expect("unpublished");
        assert_eq!(
            page(&address, path).await.0,
            404,
            "{path} is gone at once while the vote runs"
        );
    }
    lock.commit().await.expect("the lock is let go");
    vote.await.expect("the vote");
    assert!(page(&address, &format!("/tools/{TOOL}"))
        .await
        .1
        .contains(&needed(1)));
}

/// Votes answered together tell the other instances once: each vote used
/// to send its own `pg_notify`, a commit flushed to disk, so a batch of
/// votes written in one transaction cost one commit for the batch and one
/// more for each of its votes. Every vote is still told before it is
/// answered (the notification after the poll that applied it has gone out).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn votes_answered_together_tell_the_other_instances_once() {
    let Some(app) = TestApp::spawn(Db::Postgres).await else {
        return;
    };
    let mut listener = sea_orm::sqlx::postgres::PgListener::connect(&app.database_url)
        .await
        .expect("a listening connection");
    listener
        .listen(server::changes::CHANNEL)
        .await
        .expect("LISTEN");
    let votes = 64;
    futures::future::join_all((0..votes).map(|_| vote_as_a_new_reader(&app.address, TOOL))).await;
    let mut heard = 0;
    while let Ok(notification) =
        tokio::time::timeout(Duration::from_millis(500), listener.recv()).await
    {
        notification.expect("a notification");
        heard += 1;
    }
    let (_, total) = totals(&app.address, TOOL).await;
    assert_eq!(total, json!(votes), "every vote counted");
    assert!(heard >= 1, "the other instances were told");
    assert!(
        heard <= votes / 4,
        "{heard} notifications for {votes} votes answered together"
    );
}
