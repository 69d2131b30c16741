//! Review provenance in Chromium (issue 18, items 1-3): a reader opens a
//! changed review's earlier reasoning (a `<details>`, no JavaScript needed)
//! on the comparison and tool pages; an editor records a release from the
//! tool editor and sees the re-review queue; every page at 1280 and 375 px,
//! with no sideways scrolling on phones.

use fantoccini::Locator;
use tests::{browser::Browser, Db, TestApp};

use crate::{click, eventually, overflow, sign_in, text_of, type_into, wait_hydrated};

/// Whether the element `css` finds is shown.
async fn shown(browser: &Browser, css: &str) -> bool {
    match browser.client.find(Locator::Css(css)).await {
        Ok(element) => element.is_displayed().await.unwrap_or(false),
        Err(_) => false,
    }
}

/// Both widths of the page now open: `(name)-1280` and `(name)-375`, and
/// no sideways scrolling on the phone.
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
async fn a_reader_opens_the_earlier_reasoning_of_a_changed_verdict() {
    tests::within_time_limit(provenance_in_the_browser()).await;
}

async fn provenance_in_the_browser() {
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

    // The demo: Tomas Lindqvist's SKIP of Cursor replaced his SHIP; Cursor
    // 0.43 came out after every Cursor review.
    for (path, name) in [
        ("/compare/cursor-vs-github-copilot", "provenance-compare"),
        ("/tools/cursor", "provenance-tool"),
    ] {
        client
            .goto(&format!("{}{path}", app.address))
            .await
            .expect("open the page");
        let earlier = "[data-testid=earlier-verdicts] .earlier-body";
        assert!(
            !shown(&browser, earlier).await,
            "{path}: the earlier reasoning waits for a click"
        );
        let summary = text_of(&browser, "[data-testid=earlier-verdicts] summary").await;
        assert_eq!(summary, "Was SHIP until 7 Oct 2026", "{path}");
        click(&browser, "[data-testid=earlier-verdicts] summary").await;
        eventually("the earlier reasoning opens", || async {
            shown(&browser, earlier).await
        })
        .await;
        assert!(
            text_of(&browser, earlier)
                .await
                .contains("neither predicts the next edit as well"),
            "{path}"
        );
        let note = text_of(&browser, "[data-testid=stale-note]").await;
        assert_eq!(
            note, "Re-review due: 0.43 released 12 Nov 2026. The verdict still counts.",
            "{path}"
        );
        both_widths(&browser, name).await;
    }

    // The editor records a release from the tool editor: GitHub Copilot's
    // reviews become due and join the queue.
    sign_in(&app, &browser, "ed@verdicts.example", password).await;
    client
        .goto(&format!("{}/admin/tools/github-copilot", app.address))
        .await
        .expect("open the tool editor");
    wait_hydrated(&browser, ".release-editor").await;
    type_into(&browser, "#release-version", "2026-12 release").await;
    // A date input's typing follows the browser's locale: set it as a
    // date picker would, with the input event the island listens to.
    client
        .execute(
            "const day = document.querySelector('#release-day'); day.value = '2026-12-01'; \
             day.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![],
        )
        .await
        .expect("pick the day");
    type_into(&browser, "#release-note", "Agents review pull requests.").await;
    click(&browser, ".release-form button[type=submit]").await;
    eventually("the release is listed", || async {
        shown(&browser, "li.release[data-release='2026-12 release']").await
    })
    .await;
    assert_eq!(
        text_of(&browser, "[data-testid=release-error]").await,
        "",
        "recorded without an error"
    );
    both_widths(&browser, "provenance-admin-tool").await;

    client
        .goto(&format!("{}/admin", app.address))
        .await
        .expect("open the dashboard");
    let queue = text_of(&browser, ".due-list").await;
    assert!(
        queue.contains("due: 2026-12 release released 1 Dec 2026"),
        "{queue}"
    );
    assert!(queue.contains("due: 0.43 released 12 Nov 2026"), "{queue}");
    both_widths(&browser, "provenance-dashboard").await;

    // Readers see the new release on Copilot's reviews.
    client
        .goto(&format!("{}/tools/github-copilot", app.address))
        .await
        .expect("open the tool page");
    assert_eq!(
        text_of(&browser, "[data-testid=stale-note]").await,
        "Re-review due: 2026-12 release released 1 Dec 2026. The verdict still counts."
    );

    client
        .goto(&format!(
            "{}/admin/comparisons/cursor-vs-github-copilot/scorecard",
            app.address
        ))
        .await
        .expect("open the scorecard editor");
    wait_hydrated(&browser, "form.scorecard-form").await;
    let version = browser
        .client
        .find(Locator::Css("#version-maya-okafor-left"))
        .await
        .expect("the version field")
        .prop("value")
        .await
        .ok()
        .flatten();
    assert_eq!(version.as_deref(), Some("0.42"));
    both_widths(&browser, "provenance-scorecard-editor").await;
}
