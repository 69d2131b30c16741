//! Chromium reads the worst pages of a hostile catalogue (every text field
//! tries to break out of `<title>`, `<textarea>`, `<script>` and attributes
//! with handlers that set `window.__xss`) and no injected handler runs.

use std::time::Duration;

use serde_json::{json, Value};
use tests::{
    browser::Browser,
    hostile_catalogue::{self as fixture, hostile},
    Db, SpawnOptions, TestApp,
};

const EMAIL: &str = "ed@verdicts.example";
const PASSWORD: &str = "a long and secret passphrase";

async fn run(browser: &Browser, script: &str) -> Value {
    browser
        .client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("cannot run {script}: {e}"))
}

/// Opens `path`, waits until it and its images have loaded (so an
/// `onerror` would have fired), and checks that nothing was injected.
async fn assert_nothing_runs(app: &TestApp, browser: &Browser, path: &str) {
    browser
        .client
        .goto(&format!("{}{path}", app.address))
        .await
        .unwrap_or_else(|e| panic!("cannot open {path}: {e}"));
    let mut loaded = false;
    for _ in 0..100 {
        if run(browser, "return document.readyState").await == json!("complete") {
            loaded = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(loaded, "{path} did not finish loading");
    // An image that fails loads no sooner than the next turn of the event loop.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        run(browser, "return typeof window.__xss").await,
        json!("undefined"),
        "{path}: an injected handler ran"
    );
    assert_eq!(
        run(browser, "return document.querySelectorAll('[pwn]').length").await,
        json!(0),
        "{path}: the page holds an injected element"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_names_in_chromium_run_no_injected_handler() {
    tests::within_time_limit(hostile_names_run_nothing()).await;
}

async fn hostile_names_run_nothing() {
    let Some(app) = TestApp::spawn_with(
        Db::Sqlite,
        SpawnOptions {
            demo: false,
            ..Default::default()
        },
    )
    .await
    else {
        return;
    };
    fixture::import(&app.db).await;
    server::domain::editors::create_editor(&app.db, EMAIL, PASSWORD)
        .await
        .expect("an editor");
    let Some(browser) = Browser::launch().await else {
        return;
    };

    let tool = format!("/tools/{}", fixture::TOOL_A);
    assert_nothing_runs(&app, &browser, &tool).await;
    assert_eq!(
        browser.client.title().await.expect("a title"),
        format!(
            "{} by {} \u{b7} Verdicts",
            hostile("Tool A"),
            hostile("Vendor")
        ),
        "the window title shows the name as typed"
    );
    let embed = run(
        &browser,
        "return document.getElementById('embed-code').value",
    )
    .await;
    let embed = embed.as_str().unwrap_or_default();
    assert!(
        embed.starts_with("<a href=") && embed.ends_with("</a>") && !embed.contains("</textarea>"),
        "the embed box holds the embed code: {embed}"
    );
    assert_nothing_runs(&app, &browser, &format!("/compare/{}", fixture::COMPARISON)).await;
    assert_eq!(
        browser.client.title().await.expect("a title"),
        format!("{} \u{b7} Verdicts", hostile("Comparison"))
    );

    // Signed in as an editor (through the API, so this needs no bundle).
    browser
        .client
        .goto(&format!("{}/admin/sign-in", app.address))
        .await
        .expect("open sign-in");
    let status = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch('/graphql', { method: 'POST', credentials: 'same-origin',
                 headers: { 'content-type': 'application/json', 'x-verdicts-csrf': '1' },
                 body: JSON.stringify({ query: 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }',
                                        variables: { e: arguments[0], p: arguments[1] } }) })
               .then(r => done(r.status), e => done(String(e)));",
            vec![json!(EMAIL), json!(PASSWORD)],
        )
        .await
        .expect("sign in");
    assert_eq!(status, json!(200), "the editor signs in");
    for path in [
        format!("/admin/tools/{}", fixture::TOOL_A),
        format!("/admin/comparisons/{}/scorecard", fixture::COMPARISON),
        "/admin/outbox".to_owned(),
        format!("/tools/{}", fixture::DRAFT_TOOL),
    ] {
        assert_nothing_runs(&app, &browser, &path).await;
    }
}
