//! The comparison page's consensus in Chromium (issue 18, items 4, 5, 6 and
//! 11): both panel scores on a phone's first screen, the per-tool vote and
//! the head-to-head pick told apart, the copy-link button, and screenshots
//! of a curated and an ad hoc comparison at 1280 and 375 px.

use fantoccini::Locator;
use serde_json::json;
use tests::{browser::Browser, Db, TestApp};

use crate::{click, eventually, overflow, text_of, DEMO};

/// The bottom of the element `css` finds, in page pixels (from the top of
/// the document), and whether it is visible at all.
async fn bottom_of(browser: &Browser, css: &str) -> f64 {
    browser
        .client
        .execute(
            "const e = document.querySelector(arguments[0]); \
             if (!e || e.offsetParent === null) return null; \
             return e.getBoundingClientRect().bottom + window.scrollY;",
            vec![json!(css)],
        )
        .await
        .expect("measure")
        .as_f64()
        .unwrap_or_else(|| panic!("{css} is not shown"))
}

/// Sizes the window so that the page itself gets 375 by 667 CSS pixels
/// (the window's own bars take some of its height; headless Chromium
/// reports a wider outer window than it draws, so only the height is set).
async fn phone(browser: &Browser) {
    browser.resize(375, 667).await;
    let bars = browser
        .client
        .execute("return window.outerHeight - window.innerHeight;", vec![])
        .await
        .expect("measure the window");
    let bars = u32::try_from(bars.as_u64().unwrap_or(0)).unwrap_or(0);
    browser.resize(375, 667 + bars).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn comparison_shows_both_verdicts_first_and_tells_the_pick_from_the_vote() {
    tests::within_time_limit(consensus_in_the_browser()).await;
}

async fn consensus_in_the_browser() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let client = &browser.client;
    let page = format!("{}/compare/{DEMO}", app.address);

    // A phone: both tools' panel and readers' scores on the first screen.
    phone(&browser).await;
    client.goto(&page).await.expect("open the comparison");
    let viewport = client
        .execute("return [window.innerWidth, window.innerHeight];", vec![])
        .await
        .expect("the viewport");
    assert_eq!(viewport, json!([375, 667]), "a 375 by 667 viewport");
    let viewport = 667.0;
    browser
        .screenshot("consensus-curated-375-first-screen")
        .await;
    for side in ["left", "right"] {
        for score in ["strip-panel", "strip-readers"] {
            let css = format!("[data-testid=strip-{side}] [data-testid={score}]");
            let bottom = bottom_of(&browser, &css).await;
            assert!(
                bottom <= viewport,
                "{css} ends at {bottom}px, below the first {viewport}px"
            );
        }
    }
    assert_eq!(
        text_of(
            &browser,
            "[data-testid=strip-right] [data-testid=strip-panel]"
        )
        .await,
        "75%"
    );
    assert!(text_of(&browser, "[data-testid=panel-pick]")
        .await
        .contains("SmolVLM-3B"));
    assert!(
        overflow(&browser).await <= 0,
        "no sideways scrolling at 375px"
    );
    browser.screenshot_page("consensus-curated-375", 375).await;

    // A desktop: the strip sits in the flow above the cards, covering nothing.
    browser.resize(1280, 900).await;
    client.goto(&page).await.expect("open the comparison");
    let strip_bottom = bottom_of(&browser, "[data-testid=score-strip]").await;
    let cards_top = client
        .execute(
            "return document.querySelector('.cards').getBoundingClientRect().top + window.scrollY;",
            vec![],
        )
        .await
        .expect("measure")
        .as_f64()
        .unwrap_or(0.0);
    assert!(strip_bottom <= cards_top, "the strip overlaps the cards");
    let position = client
        .execute(
            "return getComputedStyle(document.querySelector('[data-testid=score-strip]')).position;",
            vec![],
        )
        .await
        .expect("a style");
    assert_eq!(
        position,
        json!("static"),
        "nothing floats over the page at 1280"
    );

    // Two kinds of button, worded and placed apart.
    let vote_prompt = text_of(&browser, "article[data-tool=\"smolvlm-3b\"] .vote-prompt").await;
    assert_eq!(vote_prompt, "Your verdict: would you ship SmolVLM-3B?");
    assert_eq!(
        text_of(&browser, "#h2h-title").await,
        "Which would you pick?"
    );
    assert_eq!(
        text_of(
            &browser,
            "article[data-tool=\"smolvlm-3b\"] button.vote-ship"
        )
        .await,
        "Ship"
    );
    assert_eq!(
        text_of(&browser, "button.pick-right").await,
        "Pick SmolVLM-3B"
    );
    assert!(text_of(&browser, "[data-testid=h2h-summary]")
        .await
        .starts_with("Readers\u{2019} picks"));
    let vote_in_card = client
        .execute(
            "return !!document.querySelector('button.vote-ship').closest('.tool-card') \
             && !document.querySelector('button.pick-left').closest('.tool-card');",
            vec![],
        )
        .await
        .expect("a check");
    assert_eq!(
        vote_in_card,
        json!(true),
        "votes in the cards, the pick outside"
    );

    // Copy link: the field works without JavaScript, the button once live.
    eventually("the copy button is live", || async {
        client
            .find(Locator::Css(".copy-link[data-hydrated=\"true\"]"))
            .await
            .is_ok()
    })
    .await;
    let field = client
        .find(Locator::Css("#share-url"))
        .await
        .expect("the link field")
        .prop("value")
        .await
        .expect("its value")
        .unwrap_or_default();
    // The canonical address (PUBLIC_URL), not the one this test browses.
    assert!(
        field.starts_with("http") && field.ends_with(&format!("/compare/{DEMO}")),
        "{field}"
    );
    click(&browser, "[data-testid=copy-link]").await;
    eventually("the link is copied", || async {
        text_of(&browser, "[data-testid=copy-status]").await == "Link copied."
    })
    .await;
    let copied = client
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             navigator.clipboard.readText().then(done, e => done('refused: ' + e));",
            vec![],
        )
        .await
        .expect("read the clipboard");
    if copied.as_str().is_some_and(|c| !c.starts_with("refused")) {
        assert_eq!(
            copied,
            json!(field),
            "the clipboard holds the page's address"
        );
    }
    client
        .execute("window.scrollTo(0, 0); return true;", vec![])
        .await
        .expect("scroll to the top");
    browser
        .screenshot_page("consensus-curated-1280", 1280)
        .await;

    // An ad hoc pair: the same strip, and its own pick.
    let ad_hoc = format!("{}/compare/pgvector-vs-cursor", app.address);
    client
        .goto(&ad_hoc)
        .await
        .expect("open the ad hoc comparison");
    assert!(text_of(&browser, "[data-testid=h2h-section]")
        .await
        .contains("Which would you pick?"));
    assert!(client
        .find(Locator::Css("form.pick button.pick-left"))
        .await
        .is_ok());
    browser.screenshot_page("consensus-ad-hoc-1280", 1280).await;
    phone(&browser).await;
    client
        .goto(&ad_hoc)
        .await
        .expect("open the ad hoc comparison");
    for side in ["left", "right"] {
        let css = format!("[data-testid=strip-{side}] [data-testid=strip-panel]");
        assert!(
            bottom_of(&browser, &css).await <= viewport,
            "{css} at 375px"
        );
    }
    assert!(
        overflow(&browser).await <= 0,
        "no sideways scrolling at 375px"
    );
    browser
        .screenshot("consensus-ad-hoc-375-first-screen")
        .await;
    client
        .execute(
            "document.getElementById('related-title').scrollIntoView(); return true;",
            vec![],
        )
        .await
        .expect("scroll to the end");
    browser.screenshot("consensus-ad-hoc-375-end").await;
    browser.screenshot_page("consensus-ad-hoc-375", 375).await;
}
