//! Rough edges readers and editors meet in Chromium (issue 18): taking a
//! vote back by pressing the pressed button, comparing two typed names
//! without choosing a suggestion, the editors' forms (every error at once,
//! slugs and titles that follow the names, "Created."), and screenshots of
//! the pages these change.

use tests::{browser::Browser, Db, TestApp};

use fantoccini::Locator;

use super::{
    choose, click, eventually, input_value, overflow, path_is, pressed, sign_in, text_of,
    type_into, wait_hydrated,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pressing_the_pressed_vote_button_withdraws_the_vote_and_a_reload_shows_none() {
    tests::within_time_limit(withdraw_in_place()).await;
}

async fn withdraw_in_place() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let client = &browser.client;
    browser.resize(1280, 1600).await;
    client
        .goto(&format!("{}/tools/cursor", app.address))
        .await
        .expect("open the tool page");
    wait_hydrated(&browser, "form.vote").await;
    let note = "[data-testid=community-note]";
    assert_eq!(
        text_of(&browser, note).await,
        "No votes yet \u{b7} 10 more votes needed"
    );
    click(&browser, "button.vote-ship").await;
    eventually("the vote is counted", || async {
        text_of(&browser, note).await == "1 vote \u{b7} 9 more votes needed"
    })
    .await;
    assert_eq!(
        pressed(&browser, "button.vote-ship").await.as_deref(),
        Some("true")
    );
    assert!(text_of(&browser, "[data-testid=vote-hint]")
        .await
        .contains("withdraw"));
    browser
        .screenshot_page("edges-vote-pressed-1280", 1280)
        .await;

    // The same button again takes the vote back, in place.
    click(&browser, "button.vote-ship").await;
    eventually("the vote is withdrawn", || async {
        text_of(&browser, "[data-testid=vote-status]").await == "Vote withdrawn."
    })
    .await;
    assert_eq!(
        text_of(&browser, note).await,
        "No votes yet \u{b7} 10 more votes needed"
    );
    for button in ["button.vote-ship", "button.vote-skip"] {
        assert_eq!(pressed(&browser, button).await.as_deref(), Some("false"));
    }
    assert_eq!(text_of(&browser, "[data-testid=vote-hint]").await, "");

    // The server forgot it too: a reload shows no vote and no pressed button.
    client.refresh().await.expect("reload");
    wait_hydrated(&browser, "form.vote").await;
    assert_eq!(
        text_of(&browser, note).await,
        "No votes yet \u{b7} 10 more votes needed"
    );
    for button in ["button.vote-ship", "button.vote-skip"] {
        assert_eq!(pressed(&browser, button).await.as_deref(), Some("false"));
    }
    assert_eq!(text_of(&browser, "[data-testid=vote-status]").await, "");
    browser
        .screenshot_page("edges-vote-withdrawn-375", 375)
        .await;
    let _ = browser.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typing_two_names_without_choosing_a_suggestion_opens_their_comparison() {
    tests::within_time_limit(compare_typed_names()).await;
}

async fn compare_typed_names() {
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
    type_into(&browser, "#pick-left", "cursor").await;
    type_into(&browser, "#pick-right", "copilot").await;
    click(&browser, "form.picker button[type=submit]").await;
    eventually("the comparison of the two opens", || async {
        path_is(&browser, "/compare/cursor-vs-github-copilot").await
    })
    .await;
    assert!(text_of(&browser, "h1").await.contains("GitHub Copilot"));

    // A name that stands for nothing: the page says which, and what is near.
    client
        .goto(&format!("{}/compare", app.address))
        .await
        .expect("open the picker");
    wait_hydrated(&browser, "form.picker").await;
    type_into(&browser, "#pick-left", "Whisper").await;
    type_into(&browser, "#pick-right", "Deepgrm").await;
    click(&browser, "form.picker button[type=submit]").await;
    eventually("the page names the unknown name", || async {
        text_of(&browser, "[data-testid=typed-missing]")
            .await
            .contains("No tool is called \u{201c}deepgrm\u{201d}.")
    })
    .await;
    browser
        .screenshot_page("edges-did-you-mean-1280", 1280)
        .await;
    browser.screenshot_page("edges-did-you-mean-375", 375).await;
    click(&browser, "[data-testid=typed-missing] a").await;
    eventually("the suggestion opens the comparison", || async {
        path_is(&browser, "/compare/whisper-large-v3-vs-deepgram-nova-3").await
    })
    .await;
    let _ = browser.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_sees_every_error_at_once_and_slugs_and_titles_follow_the_names() {
    tests::within_time_limit(editor_forms()).await;
}

async fn editor_forms() {
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

    // A new tool starts with no category; sent empty, every field says what is missing.
    client
        .goto(&format!("{}/admin/tools/new", app.address))
        .await
        .expect("open the new tool form");
    wait_hydrated(&browser, "form.tool-form").await;
    assert_eq!(input_value(&browser, "#category").await, "");
    click(&browser, "form.tool-form button[type=submit]").await;
    eventually("every field's error shows", || async {
        text_of(&browser, "[data-error-for=category]").await == "choose a category"
    })
    .await;
    for field in [
        "name",
        "vendor",
        "tagline",
        "description",
        "license",
        "pricingEntry",
    ] {
        assert_eq!(
            text_of(&browser, &format!("[data-error-for={field}]")).await,
            "must not be empty",
            "{field}"
        );
    }
    assert_eq!(
        text_of(&browser, "[data-testid=form-status]").await,
        "Not saved: see the 7 marked fields."
    );
    browser
        .screenshot_page("edges-admin-tool-errors-1280", 1280)
        .await;
    browser
        .screenshot_page("edges-admin-tool-errors-375", 375)
        .await;
    assert!(overflow(&browser).await <= 0, "the form fits a phone");
    browser.resize(1280, 1000).await;

    // The slug follows the name until the editor types their own.
    type_into(&browser, "#name", "Agent Smith 2").await;
    assert_eq!(input_value(&browser, "#slug").await, "agent-smith-2");
    type_into(&browser, "#vendor", "Acme").await;
    choose(&browser, "#category", "developer-tools").await;
    type_into(&browser, "#tagline", "An agent for the browser test").await;
    type_into(&browser, "#description", "It does what agents do.").await;
    type_into(&browser, "#license", "MIT").await;
    type_into(&browser, "#pricingEntry", "Free").await;
    click(&browser, "form.tool-form button[type=submit]").await;
    eventually("the new tool's page opens", || async {
        path_is(&browser, "/admin/tools/agent-smith-2").await
    })
    .await;
    eventually("it says the tool was created", || async {
        text_of(&browser, "[data-testid=created]")
            .await
            .starts_with("Created.")
    })
    .await;
    browser
        .screenshot_page("edges-admin-created-1280", 1280)
        .await;
    browser
        .screenshot_page("edges-admin-created-375", 375)
        .await;
    browser.resize(1280, 1000).await;

    // A new comparison starts with no tools; choosing both names it.
    client
        .goto(&format!("{}/admin/comparisons/new", app.address))
        .await
        .expect("open the new comparison form");
    wait_hydrated(&browser, "form.comparison-form").await;
    assert_eq!(input_value(&browser, "#left").await, "");
    assert_eq!(input_value(&browser, "#right").await, "");
    choose(&browser, "#left", "agent-smith-2").await;
    choose(&browser, "#right", "cursor").await;
    eventually("the title and slug follow the tools", || async {
        input_value(&browser, "#title").await == "Agent Smith 2 vs Cursor"
    })
    .await;
    assert_eq!(
        input_value(&browser, "#slug").await,
        "agent-smith-2-vs-cursor"
    );
    type_into(&browser, "#summary", "Two agents, side by side.").await;
    browser
        .screenshot_page("edges-admin-comparison-new-1280", 1280)
        .await;
    browser
        .screenshot_page("edges-admin-comparison-new-375", 375)
        .await;
    browser.resize(1280, 1000).await;
    click(&browser, "form.comparison-form button[type=submit]").await;
    eventually("the new comparison's page opens", || async {
        path_is(&browser, "/admin/comparisons/agent-smith-2-vs-cursor").await
    })
    .await;

    // The scorecard: lens order as readers see it, Preview and Publish, a true breadcrumb.
    client
        .goto(&format!(
            "{}/admin/comparisons/cursor-vs-github-copilot/scorecard",
            app.address
        ))
        .await
        .expect("open the scorecard");
    wait_hydrated(&browser, "form.scorecard-form").await;
    let lenses: Vec<String> = {
        let mut found = vec![];
        for legend in client
            .find_all(Locator::Css(".score-line legend .lens"))
            .await
            .expect("the lines")
        {
            found.push(legend.text().await.unwrap_or_default());
        }
        found
    };
    assert_eq!(
        lenses,
        [
            "Developer experience",
            "Competitive risk",
            "Strategic thesis",
            "Business case"
        ]
    );
    let rows = client
        .find(Locator::Css(".score-cell textarea"))
        .await
        .expect("a reasoning box")
        .attr("rows")
        .await
        .expect("rows");
    assert!(rows.and_then(|r| r.parse::<u32>().ok()).unwrap_or(0) >= 5);
    // The eyebrow is set in capitals.
    let crumbs = text_of(&browser, ".admin-head .eyebrow")
        .await
        .to_lowercase();
    assert_eq!(crumbs, "comparisons / cursor vs github copilot");
    assert!(client
        .find(Locator::Css(
            ".head-actions a[href=\"/compare/cursor-vs-github-copilot\"]"
        ))
        .await
        .is_ok());
    assert!(client
        .find(Locator::Css(".head-actions .publish-button"))
        .await
        .is_ok());
    browser
        .screenshot_page("edges-admin-scorecard-1280", 1280)
        .await;
    browser
        .screenshot_page("edges-admin-scorecard-375", 375)
        .await;
    let _ = browser.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_these_edges_change_are_screenshotted_at_desktop_and_phone_widths() {
    tests::within_time_limit(edge_screenshots()).await;
}

async fn edge_screenshots() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    // One recorded day: the tool page says where its history starts.
    server::domain::history::record(&app.db, chrono::Utc::now().date_naive())
        .await
        .expect("history");
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let pages = [
        ("catalogue", "/tools?order=name-desc"),
        ("newsletter", "/newsletter"),
        ("newsletter-confirmed", "/newsletter?state=confirmed"),
        ("tool-one-day", "/tools/qdrant"),
        ("did-you-mean", "/compare/cursor-vs-copilt"),
    ];
    for width in [1280, 375] {
        for (name, path) in pages {
            browser.resize(width, 800).await;
            browser
                .client
                .goto(&format!("{}{path}", app.address))
                .await
                .expect("open the page");
            let overflow = overflow(&browser).await;
            assert!(
                overflow <= 0,
                "{path} overflows by {overflow}px at {width}px"
            );
            browser
                .screenshot_page(&format!("edges-{name}-{width}"), width)
                .await;
        }
    }
    // Two days: the chart's labels stay readable on a phone (11 px or more).
    server::domain::history::record(
        &app.db,
        chrono::Utc::now().date_naive() - chrono::Duration::days(3),
    )
    .await
    .expect("history");
    browser.resize(375, 800).await;
    browser
        .client
        .goto(&format!("{}/tools/qdrant", app.address))
        .await
        .expect("open the tool");
    let smallest = browser
        .client
        .execute(
            "const sizes = [...document.querySelectorAll('.history-chart .chart-axis')].map(t => \
               parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a); \
             return sizes.length ? Math.min(...sizes) : 0;",
            vec![],
        )
        .await
        .expect("measure")
        .as_f64()
        .unwrap_or(0.0);
    assert!(
        smallest >= 11.0,
        "chart labels are {smallest:.1} px on a phone"
    );
    browser.screenshot_page("edges-tool-chart-375", 375).await;
    // Every section of the tool page is as wide as the others.
    browser.resize(1280, 800).await;
    browser.client.refresh().await.expect("reload");
    let widths = browser
        .client
        .execute(
            "return [...document.querySelectorAll('main.tool > section, main.tool > .tool-solo')] \
               .map(e => Math.round(e.getBoundingClientRect().width));",
            vec![],
        )
        .await
        .expect("measure");
    let widths: Vec<i64> = widths
        .as_array()
        .map(|w| w.iter().filter_map(|v| v.as_i64()).collect())
        .unwrap_or_default();
    assert!(widths.len() >= 5, "{widths:?}");
    assert!(
        widths.iter().all(|w| *w == widths[0]),
        "one width for every section: {widths:?}"
    );
    browser.screenshot_page("edges-tool-chart-1280", 1280).await;
    let _ = browser.client.clone().close().await;
}
