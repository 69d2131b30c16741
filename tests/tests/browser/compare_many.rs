//! Four tools side by side, built with the picker by keyboard alone, and the
//! four-way page at desktop and phone widths.

use fantoccini::{
    actions::{InputSource, KeyAction, KeyActions},
    key::Key,
    Locator,
};
use tests::{browser::Browser, site_root, Db, TestApp};

use crate::{eventually, input_value, overflow, path_is, text_of, wait_hydrated};

/// Presses `keys` one after another on the keyboard: they go to whatever
/// has the focus, as a reader's would.
async fn press(browser: &Browser, keys: &str) {
    let mut actions = KeyActions::new("keyboard".to_owned());
    for value in keys.chars() {
        actions = actions
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value });
    }
    browser
        .client
        .perform_actions(actions)
        .await
        .expect("the keys are pressed");
}

fn key(key: Key) -> String {
    char::from(key).to_string()
}

/// The id of the focused element.
async fn focused(browser: &Browser) -> String {
    browser
        .client
        .execute("return document.activeElement && document.activeElement.id || document.activeElement.className;", vec![])
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Types `text` into the focused box, then chooses the first suggestion
/// naming `name` with the arrow keys and Enter.
async fn choose_by_keyboard(browser: &Browser, id: &str, text: &str, name: &str) {
    assert_eq!(focused(browser).await, id, "the focus is in #{id}");
    press(browser, text).await;
    let list = format!("#{id}-list");
    eventually(&format!("suggestions for {text}"), || async {
        text_of(browser, &list).await.contains(name)
    })
    .await;
    press(browser, &key(Key::Down)).await;
    press(browser, &key(Key::Enter)).await;
    let input = format!("#{id}");
    eventually(&format!("#{id} holds {name}"), || async {
        input_value(browser, &input).await == name
    })
    .await;
}

/// Scrolls the element with this id to the top of the window.
async fn scroll_to(browser: &Browser, id: &str) {
    browser
        .client
        .execute(
            "document.getElementById(arguments[0]).scrollIntoView();",
            vec![serde_json::json!(id)],
        )
        .await
        .expect("scrolled");
}

/// Tabs forward until the element with `id` (or class) has the focus.
async fn tab_to(browser: &Browser, target: &str) {
    let mut trail = Vec::new();
    for _ in 0..40 {
        let now = focused(browser).await;
        if now.split(' ').any(|part| part == target) {
            return;
        }
        trail.push(now);
        press(browser, &key(Key::Tab)).await;
    }
    let form = browser
        .client
        .execute(
            "return document.querySelector('form.picker').outerHTML;",
            vec![],
        )
        .await
        .ok();
    panic!("Tab never reached {target}: {trail:?} {form:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_builds_a_four_way_comparison_with_the_picker_by_keyboard_alone() {
    tests::within_time_limit(four_by_keyboard()).await;
}

async fn four_by_keyboard() {
    let wasm = site_root().join("pkg/verdicts.wasm");
    assert!(wasm.is_file(), "build the site first (`make site`)");
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let client = &browser.client;
    browser.resize(1280, 1000).await;
    client
        .goto(&format!("{}/compare", app.address))
        .await
        .expect("open the picker");
    wait_hydrated(&browser, "form.picker").await;
    // Two boxes at first; the third and fourth wait for "Add a tool".
    let shown = |css: &'static str| {
        let browser = &browser;
        async move {
            browser
                .client
                .find(Locator::Css(css))
                .await
                .expect("the element")
                .is_displayed()
                .await
                .unwrap_or(false)
        }
    };
    assert!(!shown("#pick-third").await);
    assert!(!shown("#pick-fourth").await);

    tab_to(&browser, "pick-left").await;
    choose_by_keyboard(&browser, "pick-left", "smol", "SmolVLM-3B").await;
    press(&browser, &key(Key::Tab)).await;
    choose_by_keyboard(&browser, "pick-right", "qdr", "Qdrant").await;
    // Compare, then "Add a tool": Enter on it opens the third box and moves
    // the focus into it.
    tab_to(&browser, "picker-add").await;
    press(&browser, &key(Key::Enter)).await;
    eventually("the third box opens with the focus", || async {
        focused(&browser).await == "pick-third"
    })
    .await;
    choose_by_keyboard(&browser, "pick-third", "cursor", "Cursor").await;
    tab_to(&browser, "picker-add").await;
    press(&browser, &key(Key::Enter)).await;
    eventually("the fourth box opens with the focus", || async {
        focused(&browser).await == "pick-fourth"
    })
    .await;
    // Four is the most: no box more to add.
    assert!(!shown("button.picker-add").await);
    choose_by_keyboard(&browser, "pick-fourth", "whisp", "Whisper large-v3").await;
    browser.screenshot("picker-four-1280").await;
    browser.resize(375, 900).await;
    browser.screenshot("picker-four-375").await;
    assert!(overflow(&browser).await <= 0, "the picker fits a phone");
    browser.resize(1280, 1000).await;
    // Enter in a box with its list closed compares.
    press(&browser, &key(Key::Enter)).await;
    let path = "/compare/smolvlm-3b-vs-qdrant-vs-cursor-vs-whisper-large-v3";
    eventually("the four-way comparison opens", || async {
        path_is(&browser, path).await
    })
    .await;
    assert_eq!(
        client.title().await.expect("a title"),
        "SmolVLM-3B vs Qdrant vs Cursor vs Whisper large-v3 \u{b7} Verdicts"
    );
    let columns = client
        .find_all(Locator::Css(".many-table thead th"))
        .await
        .expect("the scorecard's head");
    assert_eq!(columns.len(), 5, "the reviewer and one column per tool");
    // The first tool's column starts beside the reviewer column, not under
    // it (columns snap to the sticky column's edge).
    let scrolled = client
        .execute(
            "return document.querySelector('.many-scroll').scrollLeft;",
            vec![],
        )
        .await
        .expect("measured");
    assert_eq!(
        scrolled.as_f64(),
        Some(0.0),
        "the scorecard opens unscrolled"
    );
    // The reader reads the facts table: a column per tool in the same
    // order, a row per label, "—" where a tool has no such fact.
    let facts = client
        .execute(
            "const table = document.querySelector('[data-testid=facts-table] table');\
             const heads = [...table.querySelectorAll('thead th a')].map(a => a.textContent.trim());\
             const rows = [...table.querySelectorAll('tbody tr')].map(tr =>\
               [...tr.children].map(cell => cell.textContent.trim()));\
             return { heads, rows };",
            vec![],
        )
        .await
        .expect("the facts table");
    assert_eq!(
        facts["heads"],
        serde_json::json!(["SmolVLM-3B", "Qdrant", "Cursor", "Whisper large-v3"])
    );
    let rows = facts["rows"].as_array().expect("rows");
    assert!(rows.len() >= 5, "the demo's facts: {rows:?}");
    assert!(
        rows.iter()
            .all(|r| r.as_array().is_some_and(|c| c.len() == 5)),
        "a label and four cells a row: {rows:?}"
    );
    assert!(
        rows.iter().any(|r| r.as_array().is_some_and(|c| c
            .iter()
            .any(|t| t.as_str().is_some_and(|t| t.starts_with('\u{2014}'))))),
        "four tools of three categories leave gaps: {rows:?}"
    );

    // The page at a desktop and a phone width: nothing sticks out of the
    // page; on the phone the scorecard scrolls sideways within itself,
    // with the reviewer column in place.
    browser.screenshot_page("compare-four-1280", 1280).await;
    assert!(overflow(&browser).await <= 0, "no sideways scroll at 1280");
    browser.resize(1280, 900).await;
    scroll_to(&browser, "pairs-title").await;
    browser.screenshot("compare-four-1280-pairs").await;
    browser.screenshot_page("compare-four-375", 375).await;
    assert!(overflow(&browser).await <= 0, "no sideways scroll at 375");
    let (scrolls, reviewer_stays) = client
        .execute(
            "const box = document.querySelector('.many-scroll');\
             const reviewer = box.querySelector('tbody th');\
             const before = reviewer.getBoundingClientRect().left;\
             box.scrollLeft = 400;\
             const after = reviewer.getBoundingClientRect().left;\
             return [box.scrollWidth > box.clientWidth, Math.abs(after - before) < 1];",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| Some((v[0].as_bool()?, v[1].as_bool()?)))
        .expect("measured");
    assert!(scrolls, "the scorecard scrolls sideways on a phone");
    assert!(reviewer_stays, "the reviewer column stays in place");
    browser.resize(375, 800).await;
    scroll_to(&browser, "scorecard-title").await;
    browser
        .screenshot("compare-four-375-scorecard-swiped")
        .await;
    scroll_to(&browser, "facts-compare-title").await;
    browser.screenshot("compare-four-375-facts").await;
    client
        .execute(
            "document.querySelector('.many-scroll').scrollLeft = 0;",
            vec![],
        )
        .await
        .expect("scrolled back");
    browser.screenshot("compare-four-375-scorecard").await;
}
