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
    browser.resize(1280, 1000).await;

    // A new reviewer has no lens until the editor chooses one.
    client
        .goto(&format!("{}/admin/reviewers/new", app.address))
        .await
        .expect("open the new reviewer form");
    wait_hydrated(&browser, "form.reviewer-form").await;
    assert_eq!(input_value(&browser, "#lens").await, "");
    assert_eq!(
        text_of(&browser, "#lens option:checked").await,
        "Choose a lens\u{2026}"
    );
    type_into(&browser, "#name", "Grace Hopper").await;
    type_into(&browser, "#bio", "Ships compilers.").await;
    click(&browser, "form.reviewer-form button[type=submit]").await;
    eventually("the lens asks for a choice", || async {
        text_of(&browser, "[data-error-for=lens]").await == "choose a lens"
    })
    .await;
    assert_eq!(
        text_of(&browser, "[data-testid=form-status]").await,
        "Not saved: see the marked field."
    );
    assert!(path_is(&browser, "/admin/reviewers/new").await);
    browser
        .screenshot_page("edges-admin-reviewer-lens-1280", 1280)
        .await;
    browser
        .screenshot_page("edges-admin-reviewer-lens-375", 375)
        .await;
    browser.resize(1280, 1000).await;
    choose(&browser, "#lens", "BUSINESS_CASE").await;
    click(&browser, "form.reviewer-form button[type=submit]").await;
    eventually("the new reviewer's page opens", || async {
        path_is(&browser, "/admin/reviewers/grace-hopper").await
    })
    .await;
    // The address changes before the reviewer's page has drawn its form: wait
    // for the form, not for the address.
    eventually("the saved lens shows on the reviewer's page", || async {
        input_value(&browser, "#lens").await == "BUSINESS_CASE"
    })
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

/// The resources the page fetched that are the WebAssembly bundle or its JS glue.
async fn bundle_fetches(browser: &Browser) -> Vec<String> {
    let found = browser
        .client
        .execute(
            "return performance.getEntriesByType('resource')
               .map(e => e.name)
               .filter(n => n.includes('.wasm') || n.includes('verdicts.js'));",
            vec![],
        )
        .await
        .expect("read the resource timings");
    found
        .as_array()
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_without_an_island_fetch_no_webassembly_in_chromium_and_the_comparison_does() {
    tests::within_time_limit(no_wasm_without_islands()).await;
}

async fn no_wasm_without_islands() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let client = &browser.client;
    browser.resize(1280, 1000).await;
    for path in [
        "/tools",
        "/search?q=whisper",
        "/api",
        "/categories/developer-tools",
        "/reviewers/maya-okafor",
        "/no/such/page",
    ] {
        client
            .goto(&format!("{}{path}", app.address))
            .await
            .unwrap_or_else(|e| panic!("open {path}: {e}"));
        client
            .find(Locator::Css("main"))
            .await
            .unwrap_or_else(|e| panic!("{path} has a main landmark: {e}"));
        // Give a late loader (an idle callback, a preload) time to show itself.
        tokio::time::sleep(std::time::Duration::from_millis(700)).await;
        let state = client
            .execute("return document.readyState;", vec![])
            .await
            .expect("read the ready state");
        assert_eq!(state, serde_json::json!("complete"), "{path} loaded");
        let fetched = bundle_fetches(&browser).await;
        assert!(fetched.is_empty(), "{path} fetched the bundle: {fetched:?}");
        let styled = client
            .execute(
                "return performance.getEntriesByType('resource')
                   .some(e => e.name.includes('verdicts.css'));",
                vec![],
            )
            .await
            .expect("read the resource timings");
        assert_eq!(styled, serde_json::json!(true), "{path} keeps its style");
    }

    // The comparison page has islands: it fetches the bundle and wakes them.
    client
        .goto(&format!(
            "{}/compare/claude-haiku-open-weights-vs-smolvlm-3b",
            app.address
        ))
        .await
        .expect("open the comparison");
    wait_hydrated(&browser, "form.vote").await;
    let fetched = bundle_fetches(&browser).await;
    assert!(
        fetched.iter().any(|n| n.ends_with(".wasm")),
        "the comparison fetched the wasm: {fetched:?}"
    );
    assert!(
        fetched.iter().any(|n| n.contains("verdicts.js")),
        "the comparison fetched the JS glue: {fetched:?}"
    );
    let _ = browser.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_a_comparison_of_draft_tools_asks_naming_them_and_publishes_all_three() {
    tests::within_time_limit(publish_with_tools()).await;
}

async fn publish_with_tools() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let password = "a long and secret passphrase";
    server::domain::editors::create_editor(&app.db, "ed@verdicts.example", password)
        .await
        .expect("an editor");
    let text = r#"{ "format": "toolverdicts/v1",
      "tools": [
        { "slug": "agent-zero", "name": "Agent Zero", "vendor": "Acme", "category": "developer-tools",
          "tagline": "An agent", "description": "An agent for the test.", "license": "MIT",
          "pricing": { "model": "FREE", "entry": "Free" }, "website_url": null, "published_at": null },
        { "slug": "agent-one", "name": "Agent One", "vendor": "Acme", "category": "developer-tools",
          "tagline": "Another agent", "description": "Another agent for the test.", "license": "MIT",
          "pricing": { "model": "FREE", "entry": "Free" }, "website_url": null, "published_at": null } ],
      "comparisons": [
        { "slug": "agent-zero-vs-agent-one", "title": "Agent Zero vs Agent One",
          "summary": "Two agents.", "left": "agent-zero", "right": "agent-one", "published_at": null } ] }"#;
    server::dataset::import(&app.db, &server::dataset::parse(text).expect("parse"))
        .await
        .expect("the drafts");
    for path in [
        "/compare/agent-zero-vs-agent-one",
        "/tools/agent-zero",
        "/tools/agent-one",
    ] {
        assert_eq!(app.get(path).await.0, 404, "{path} is a draft");
    }
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let client = &browser.client;
    browser.resize(1280, 1000).await;
    sign_in(&app, &browser, "ed@verdicts.example", password).await;
    client
        .goto(&format!("{}/admin/comparisons", app.address))
        .await
        .expect("open the comparisons");
    let row = "li[data-comparison=\"agent-zero-vs-agent-one\"]";
    let control = format!("{row} .publish-control[data-hydrated=\"true\"]");
    eventually("the publish button is hydrated", || async {
        client.find(Locator::Css(&control)).await.is_ok()
    })
    .await;
    click(&browser, &format!("{row} button.publish-button")).await;
    let confirm = format!("{row} [data-testid=publish-confirm]");
    eventually("the editor is asked, with the tools named", || async {
        text_of(&browser, &confirm).await.contains(
            "Publishing this comparison also publishes Agent Zero and Agent One. Publish all three?",
        )
    })
    .await;
    let shown = text_of(&browser, &format!("{row} .publish-control")).await;
    assert!(
        !shown.contains("withTools") && !shown.contains('`'),
        "no API words: {shown}"
    );
    assert_eq!(
        app.get("/tools/agent-zero").await.0,
        404,
        "nothing was published by asking"
    );
    browser
        .screenshot_page("edges-admin-publish-confirm-1280", 1280)
        .await;
    browser
        .screenshot_page("edges-admin-publish-confirm-375", 375)
        .await;
    browser.resize(1280, 1000).await;
    // Cancel keeps everything a draft; asking again and confirming publishes all three.
    click(&browser, &format!("{confirm} .link-button")).await;
    eventually("the question goes", || async {
        text_of(&browser, &confirm).await.is_empty()
    })
    .await;
    click(&browser, &format!("{row} button.publish-button")).await;
    eventually("the editor is asked again", || async {
        !text_of(&browser, &confirm).await.is_empty()
    })
    .await;
    assert_eq!(
        text_of(&browser, &format!("{confirm} button.publish-all")).await,
        "Publish all three"
    );
    click(&browser, &format!("{confirm} button.publish-all")).await;
    eventually("all three are published", || async {
        text_of(&browser, &format!("{row} .publish-status")).await
            == "Published, with Agent Zero and Agent One."
    })
    .await;
    assert_eq!(
        text_of(&browser, &format!("{row} button.publish-button")).await,
        "Unpublish"
    );
    for path in [
        "/compare/agent-zero-vs-agent-one",
        "/tools/agent-zero",
        "/tools/agent-one",
    ] {
        assert_eq!(app.get(path).await.0, 200, "readers see {path}");
    }
    let _ = browser.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_picks_on_an_ad_hoc_pair_page_in_place_and_without_javascript() {
    tests::within_time_limit(pick_on_a_pair()).await;
}

async fn pick_on_a_pair() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let client = &browser.client;
    browser.resize(1280, 1400).await;
    let page = format!("{}/compare/cursor-vs-qdrant", app.address);
    client.goto(&page).await.expect("open the pair");
    wait_hydrated(&browser, "form.pick").await;
    assert_eq!(
        text_of(&browser, "#h2h-title").await,
        "Which would you pick?"
    );
    assert_eq!(
        text_of(&browser, "[data-testid=h2h-summary]").await,
        "Readers\u{2019} picks: none yet \u{b7} 10 more needed to show the split"
    );
    client
        .execute("window.__sameDocument = 'yes'; return true;", vec![])
        .await
        .expect("mark the document");
    click(&browser, "button.pick-right").await;
    eventually("the pick is counted in place", || async {
        text_of(&browser, "[data-testid=h2h-summary]").await
            == "Readers\u{2019} picks: 1 so far \u{b7} 9 more needed to show the split"
    })
    .await;
    assert_eq!(
        client
            .execute("return window.__sameDocument || null;", vec![])
            .await
            .expect("read the mark"),
        serde_json::json!("yes"),
        "the page did not reload"
    );
    assert_eq!(
        pressed(&browser, "button.pick-right").await.as_deref(),
        Some("true")
    );
    assert_eq!(
        text_of(&browser, "[data-testid=pick-status]").await,
        "Your pick between the two is counted."
    );
    // Changing one's mind replaces the pick.
    click(&browser, "button.pick-left").await;
    eventually("the new pick is pressed", || async {
        pressed(&browser, "button.pick-left").await.as_deref() == Some("true")
    })
    .await;
    assert_eq!(
        pressed(&browser, "button.pick-right").await.as_deref(),
        Some("false")
    );
    assert_eq!(
        text_of(&browser, "[data-testid=h2h-summary]").await,
        "Readers\u{2019} picks: 1 so far \u{b7} 9 more needed to show the split"
    );
    client
        .find(Locator::Css("#h2h-title"))
        .await
        .expect("the pick")
        .click()
        .await
        .ok();
    browser.screenshot_page("edges-pair-pick-1280", 1280).await;
    browser.screenshot_page("edges-pair-pick-375", 375).await;
    // The section itself, as a phone shows it.
    for (width, name) in [
        (375, "edges-pair-pick-view-375"),
        (1280, "edges-pair-pick-view-1280"),
    ] {
        browser.resize(width, 800).await;
        client
            .execute(
                "document.querySelector('[data-testid=h2h-section]').scrollIntoView({ block: 'center' }); return true;",
                vec![],
            )
            .await
            .expect("scroll to the pick");
        browser.screenshot(name).await;
    }
    // The same pair the other way round shows the same pick.
    client
        .goto(&format!("{}/compare/qdrant-vs-cursor", app.address))
        .await
        .expect("open the pair reversed");
    wait_hydrated(&browser, "form.pick").await;
    assert_eq!(
        pressed(&browser, "button.pick-right").await.as_deref(),
        Some("true"),
        "Cursor, now on the right, is the reader's pick"
    );
    let _ = browser.client.clone().close().await;
    drop(browser);

    // Without JavaScript the buttons post the form and the page comes back.
    let Some(browser) = Browser::launch_without_javascript().await else {
        return;
    };
    let client = &browser.client;
    browser.resize(1280, 1400).await;
    client
        .goto(&format!("{}/compare/cursor-vs-pgvector", app.address))
        .await
        .expect("open another pair");
    assert_eq!(
        text_of(&browser, "[data-testid=h2h-summary]").await,
        "Readers\u{2019} picks: none yet \u{b7} 10 more needed to show the split"
    );
    click(&browser, "button.pick-right").await;
    eventually("the page comes back with the pick", || async {
        pressed(&browser, "button.pick-right").await.as_deref() == Some("true")
    })
    .await;
    assert!(path_is(&browser, "/compare/cursor-vs-pgvector").await);
    assert_eq!(
        text_of(&browser, "[data-testid=h2h-summary]").await,
        "Readers\u{2019} picks: 1 so far \u{b7} 9 more needed to show the split"
    );
    browser.resize(375, 800).await;
    client
        .find(Locator::Css("#h2h-title"))
        .await
        .expect("the pick's heading");
    client
        .execute(
            "document.querySelector('[data-testid=h2h-section]').scrollIntoView({ block: 'center' }); return true;",
            vec![],
        )
        .await
        .ok();
    browser.screenshot("edges-pair-pick-nojs-375").await;
    let _ = browser.client.clone().close().await;
}

/// Where the sticky score bar is, and which element a reader sees at its
/// middle: `[top, bottom, visible, display]`.
async fn sticky_bar(browser: &Browser) -> serde_json::Value {
    browser
        .client
        .execute(
            "const bar = document.querySelector('[data-testid=sticky-scores]');
             const r = bar.getBoundingClientRect();
             const seen = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
             return [r.top, r.bottom, !!seen && bar.contains(seen), getComputedStyle(bar).display];",
            vec![],
        )
        .await
        .expect("read the bar")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_phone_the_two_panel_scores_stay_on_screen_once_the_strip_scrolls_away() {
    tests::within_time_limit(sticky_scores()).await;
}

async fn sticky_scores() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let client = &browser.client;
    browser.resize(375, 740).await;
    client
        .goto(&format!("{}/compare/cursor-vs-github-copilot", app.address))
        .await
        .expect("open the comparison");
    wait_hydrated(&browser, "form.vote").await;
    let strip_left = text_of(
        &browser,
        "[data-testid=strip-left] [data-testid=strip-panel]",
    )
    .await;
    let strip_right = text_of(
        &browser,
        "[data-testid=strip-right] [data-testid=strip-panel]",
    )
    .await;
    // At the top the strip shows, and the bar is tucked under it.
    let bar = sticky_bar(&browser).await;
    assert_eq!(bar[3], "grid", "{bar}");
    assert_eq!(bar[2], false, "the bar hides under the strip: {bar}");
    browser.screenshot("edges-sticky-top-375").await;

    // Scrolled to the scorecard, the bar is at the top with both scores.
    client
        .execute(
            "document.querySelector('.scorecard-table').scrollIntoView({ block: 'center' }); return true;",
            vec![],
        )
        .await
        .expect("scroll");
    eventually("the bar shows at the top", || async {
        let bar = sticky_bar(&browser).await;
        bar[0].as_f64() == Some(0.0) && bar[2] == true
    })
    .await;
    let strip_gone = client
        .execute(
            "return document.querySelector('[data-testid=score-strip]').getBoundingClientRect().bottom <= 0;",
            vec![],
        )
        .await
        .expect("read the strip");
    assert_eq!(strip_gone, true, "the strip has scrolled away");
    let left = text_of(&browser, "[data-testid=sticky-left]").await;
    let right = text_of(&browser, "[data-testid=sticky-right]").await;
    assert!(
        left.contains("Cursor") && left.contains(&strip_left),
        "{left} / {strip_left}"
    );
    assert!(
        right.contains("GitHub Copilot") && right.contains(&strip_right),
        "{right} / {strip_right}"
    );
    assert!(
        ["SHIP", "SKIP", "SPLIT"]
            .iter()
            .any(|word| left.ends_with(word)),
        "the verdict in words: {left}"
    );
    // Both names and numbers lie inside the screen.
    let inside = client
        .execute(
            "return ['sticky-left', 'sticky-right'].every(id => {
                 const r = document.querySelector(`[data-testid=${id}]`).getBoundingClientRect();
                 return r.left >= 0 && r.right <= window.innerWidth && r.top >= 0 && r.bottom <= window.innerHeight;
             });",
            vec![],
        )
        .await
        .expect("measure");
    assert_eq!(inside, true);
    assert!(overflow(&browser).await <= 0, "no sideways scroll");
    browser.screenshot("edges-sticky-scrolled-375").await;

    // A wide screen has room for the strip: no bar.
    browser.resize(1280, 900).await;
    client.refresh().await.expect("reload");
    client
        .execute(
            "document.querySelector('.scorecard-table').scrollIntoView({ block: 'center' }); return true;",
            vec![],
        )
        .await
        .expect("scroll");
    let bar = sticky_bar(&browser).await;
    assert_eq!(bar[3], "none", "{bar}");
    browser.screenshot("edges-sticky-scrolled-1280").await;
    let _ = browser.client.clone().close().await;
}
