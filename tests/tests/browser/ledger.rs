//! The integrity ledger in Chromium (issue 16): a tool page with held and
//! rejected votes, `/integrity`, and an editor releasing a held window from
//! the dashboard, at 1280 and 375 px, with no sideways scrolling on phones.

use serde_json::{json, Value};
use tests::{browser::Browser, Db, SpawnOptions, TestApp};

use crate::{click, eventually, overflow, sign_in, text_of, type_into, wait_hydrated};

/// `count` cookie-less votes on `tool` from `address`.
async fn votes_from(app: &TestApp, tool: &str, address: &str, count: usize) {
    for _ in 0..count {
        let body: Value = TestApp::new_client()
            .post(format!("{}/graphql", app.address))
            .header("x-forwarded-for", address)
            .json(&json!({
                "query": "mutation($t: String!) { castVote(tool: $t, verdict: SKIP) { total } }",
                "variables": { "t": tool }
            }))
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
        assert!(body["errors"].is_null(), "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn readers_see_what_a_burst_became_and_an_editor_releases_one_in_place() {
    tests::within_time_limit(ledger_in_the_browser()).await;
}

async fn ledger_in_the_browser() {
    let Some(app) = TestApp::spawn_with(
        Db::Sqlite,
        SpawnOptions {
            vote_limits: (1_000_000, 1_000_000, 60),
            network_quota: 10,
            ..SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let password = "a long and secret passphrase";
    server::domain::editors::create_editor(&app.db, "ed@verdicts.example", password)
        .await
        .expect("an editor");
    // Two bursts on one tool: the older rejected with a reason, the newer held.
    votes_from(&app, "smolvlm-3b", "203.0.113.9", 40).await;
    votes_from(&app, "smolvlm-3b", "2001:db8:1:2::7", 14).await;
    votes_from(&app, "cursor", "198.51.100.20", 13).await;

    let Some(browser) = Browser::launch().await else {
        return;
    };
    let client = &browser.client;
    browser.resize(1280, 1000).await;
    sign_in(&app, &browser, "ed@verdicts.example", password).await;
    // The review list, hydrated: reject the oldest burst with a reason.
    wait_hydrated(&browser, ".held-review").await;
    let ids: Vec<String> = {
        let mut ids = vec![];
        for element in client
            .find_all(fantoccini::Locator::Css("li.window[data-window]"))
            .await
            .expect("the review list")
        {
            ids.push(
                element
                    .attr("data-window")
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_default(),
            );
        }
        ids
    };
    assert_eq!(ids.len(), 3, "three windows wait: {ids:?}");
    browser.screenshot_page("admin-held-votes-1280", 1280).await;
    browser.screenshot_page("admin-held-votes-375", 375).await;
    let o = overflow(&browser).await;
    assert!(o <= 0, "the dashboard overflows by {o}px at 375px");
    browser.resize(1280, 1000).await;
    let oldest = ids.last().expect("a window").clone();
    let item = format!("li.window[data-window=\"{oldest}\"]");
    type_into(
        &browser,
        &format!("{item} textarea"),
        "One address, 40 new readers in a minute: a script.",
    )
    .await;
    click(&browser, &format!("{item} .publish-button.unpublish")).await;
    eventually("the decision shows in place", || async {
        text_of(&browser, &format!("{item} [data-testid=review-decided]"))
            .await
            .contains("Rejected 30 votes")
    })
    .await;
    browser
        .screenshot_page("admin-held-votes-decided-375", 375)
        .await;
    browser.resize(1280, 1000).await;
    // Releasing without a reason is refused before anything is sent.
    let newest = format!("li.window[data-window=\"{}\"]", ids[0]);
    click(
        &browser,
        &format!("{newest} .publish-button:not(.unpublish)"),
    )
    .await;
    eventually("a reason is asked for", || async {
        text_of(&browser, &format!("{newest} .form-error"))
            .await
            .contains("Say why")
    })
    .await;

    let reason = "One address, 40 new readers in a minute: a script.";
    let rejected = "30 votes were rejected and never counted";
    for (path, name, shows) in [
        ("/tools/smolvlm-3b", "ledger-tool", reason),
        ("/integrity", "ledger-integrity", reason),
        (
            "/compare/claude-haiku-open-weights-vs-smolvlm-3b",
            "ledger-compare",
            rejected,
        ),
    ] {
        browser.resize(1280, 1000).await;
        client
            .goto(&format!("{}{path}", app.address))
            .await
            .expect("open");
        let main = text_of(&browser, "main").await;
        assert!(main.contains(shows), "{path} shows {shows:?}");
        browser.screenshot_page(&format!("{name}-1280"), 1280).await;
        browser.screenshot_page(&format!("{name}-375"), 375).await;
        let o = overflow(&browser).await;
        assert!(o <= 0, "{path} overflows by {o}px at 375px");
    }
    let _ = browser.client.clone().close().await;
}
