//! Tool facts in Chromium (issue 19, item 3): an editor adds a fact the
//! tool's category suggests from the tool editor, is told which fact is
//! wrong, saves, and readers see it on the tool page and side by side on
//! the comparison page; every page at 1280 and 375 px, with no sideways
//! scrolling on phones.

use fantoccini::Locator;
use tests::{browser::Browser, Db, TestApp};

use crate::{click, eventually, overflow, sign_in, text_of, type_into, wait_hydrated};

/// Both widths of the page now open, and no sideways scrolling on the phone.
async fn both_widths(browser: &Browser, name: &str) {
    browser.screenshot_page(&format!("{name}-1280"), 1280).await;
    browser.screenshot_page(&format!("{name}-375"), 375).await;
    assert!(
        overflow(browser).await <= 0,
        "{name} scrolls sideways at 375 px"
    );
    browser.resize(1280, 1000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_adds_a_suggested_fact_and_readers_see_it_side_by_side() {
    tests::within_time_limit(facts_in_the_browser()).await;
}

async fn facts_in_the_browser() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let password = "a long and secret passphrase";
    server::domain::editors::create_editor(&app.db, "ed@verdicts.example", password)
        .await
        .expect("an editor");
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let client = &browser.client;
    browser.resize(1280, 1000).await;
    sign_in(&app, &browser, "ed@verdicts.example", password).await;
    client
        .goto(&format!("{}/admin/tools/smolvlm-3b", app.address))
        .await
        .expect("open the tool editor");
    wait_hydrated(&browser, ".fact-editor").await;
    // SmolVLM-3B has six facts; its category suggests two it lacks.
    let offered = text_of(&browser, "[data-testid=fact-suggestions]").await;
    assert!(
        offered.contains("+ Context window") && offered.contains("+ API available"),
        "{offered}"
    );
    assert!(!offered.contains("+ Parameters"), "{offered}");
    click(&browser, ".fact-suggestions .chip").await;
    eventually("a row for the suggested label", || async {
        client.find(Locator::Css("#fact-6-value")).await.is_ok()
    })
    .await;
    let unit = client
        .find(Locator::Css("#fact-6-unit"))
        .await
        .expect("the unit")
        .prop("value")
        .await
        .ok()
        .flatten();
    assert_eq!(unit.as_deref(), Some("tokens"), "the suggested unit");
    // A value that is no number is refused, naming the fact.
    type_into(&browser, "#fact-6-value", "lots").await;
    click(&browser, ".fact-form button[type=submit]").await;
    eventually("the refusal", || async {
        text_of(&browser, "[data-testid=facts-error]")
            .await
            .contains("Fact 7, value")
    })
    .await;
    client
        .find(Locator::Css("#fact-6-value"))
        .await
        .expect("the value")
        .clear()
        .await
        .expect("cleared");
    type_into(&browser, "#fact-6-value", "32768").await;
    click(&browser, ".fact-form button[type=submit]").await;
    eventually("saved", || async {
        text_of(&browser, "[data-testid=facts-status]").await == "Saved 7 facts."
    })
    .await;
    assert_eq!(text_of(&browser, "[data-testid=facts-error]").await, "");
    both_widths(&browser, "facts-admin-tool").await;

    client
        .goto(&format!("{}/tools/smolvlm-3b", app.address))
        .await
        .expect("open the tool page");
    let facts = text_of(&browser, "[data-testid=tool-facts]").await;
    assert!(facts.contains("32,768 tokens"), "{facts}");
    both_widths(&browser, "facts-tool").await;

    client
        .goto(&format!(
            "{}/compare/claude-haiku-open-weights-vs-smolvlm-3b",
            app.address
        ))
        .await
        .expect("open the comparison");
    let row = text_of(&browser, "[data-testid=facts-table] tbody tr:nth-child(2)").await;
    assert!(
        row.contains("Context window")
            && row.contains("200,000 tokens")
            && row.contains("32,768 tokens"),
        "{row}"
    );
    both_widths(&browser, "facts-compare").await;
}
