//! Real headless Chromium against the real server: hydration, voting in
//! place, and screenshots at desktop and mobile widths.

mod compare_many;
mod consensus;
mod edges;
mod facts;
mod forms;
mod graphiql;
mod ledger;
mod markup;
mod provenance;
mod quality;

use std::time::Duration;

use fantoccini::Locator;
use tests::{browser::Browser, site_root, Db, TestApp};

const DEMO: &str = "claude-haiku-open-weights-vs-smolvlm-3b";

/// Polls `check` until it holds or `what` times out.
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..150 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting until {what}");
}

/// Clicks the element `css` finds.
async fn click(browser: &Browser, css: &str) {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

/// Types into the element `css` finds.
async fn type_into(browser: &Browser, css: &str, text: &str) {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("cannot type into {css}: {e}"));
}

async fn pressed(browser: &Browser, css: &str) -> Option<String> {
    let button = browser.client.find(Locator::Css(css)).await.ok()?;
    button.attr("aria-pressed").await.ok()?
}

async fn text_of(browser: &Browser, css: &str) -> String {
    match browser.client.find(Locator::Css(css)).await {
        Ok(element) => element.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vote_after_hydration_updates_the_community_numbers_without_a_reload() {
    tests::within_time_limit(vote_in_place()).await;
}

async fn vote_in_place() {
    let wasm = site_root().join("pkg/verdicts.wasm");
    assert!(
        wasm.is_file(),
        "{} is missing: build the site first (`make site`)",
        wasm.display()
    );
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let client = &browser.client;
    browser.resize(1280, 2400).await;
    client
        .goto(&format!("{}/compare/{DEMO}", app.address))
        .await
        .expect("open the comparison");
    assert_eq!(
        client.title().await.expect("a title"),
        "Claude Haiku Open Weights vs SmolVLM-3B \u{b7} Verdicts"
    );
    let left = "article[data-tool=\"claude-haiku-open-weights\"]";
    let right = "article[data-tool=\"smolvlm-3b\"]";
    assert_eq!(
        text_of(&browser, &format!("{left} [data-testid=panel-percent]")).await,
        "50%"
    );
    assert_eq!(
        text_of(&browser, &format!("{right} [data-testid=panel-percent]")).await,
        "75%"
    );
    assert_eq!(
        text_of(
            &browser,
            &format!("{right} [data-testid=community-percent]")
        )
        .await,
        "\u{2014}"
    );
    let note = format!("{right} [data-testid=community-note]");
    assert_eq!(
        text_of(&browser, &note).await,
        "No votes yet \u{b7} 10 more votes needed"
    );

    eventually("both vote forms are hydrated", || async {
        client
            .find_all(Locator::Css("form.vote[data-hydrated=\"true\"]"))
            .await
            .map(|forms| forms.len() == 2)
            .unwrap_or(false)
    })
    .await;
    browser.screenshot_page("compare-1280", 1280).await;

    client
        .execute("window.__sameDocument = 'yes'; return true;", vec![])
        .await
        .expect("mark the document");
    click(&browser, &format!("{right} button.vote-ship")).await;
    eventually("the community note counts the vote", || async {
        text_of(&browser, &note).await == "1 vote \u{b7} 9 more votes needed"
    })
    .await;
    let marker = client
        .execute("return window.__sameDocument || null;", vec![])
        .await
        .expect("read the mark");
    assert_eq!(marker, serde_json::json!("yes"), "the page did not reload");
    assert_eq!(
        text_of(&browser, &format!("{right} [data-testid=vote-status]")).await,
        "Your vote: SHIP"
    );
    assert_eq!(
        pressed(&browser, &format!("{right} button.vote-ship"))
            .await
            .as_deref(),
        Some("true")
    );

    // Changing one's mind replaces the vote rather than adding one.
    click(&browser, &format!("{right} button.vote-skip")).await;
    eventually("the status shows the new vote", || async {
        text_of(&browser, &format!("{right} [data-testid=vote-status]")).await == "Your vote: SKIP"
    })
    .await;
    assert_eq!(
        text_of(&browser, &note).await,
        "1 vote \u{b7} 9 more votes needed"
    );

    // The head-to-head pick works in place too.
    eventually("the pick form is hydrated", || async {
        client
            .find(Locator::Css("form.pick[data-hydrated=\"true\"]"))
            .await
            .is_ok()
    })
    .await;
    assert_eq!(
        text_of(&browser, "[data-testid=h2h-summary]").await,
        "Readers\u{2019} picks: none yet \u{b7} 10 more needed to show the split"
    );
    click(&browser, "button.pick-left").await;
    eventually("the head-to-head counts the pick", || async {
        text_of(&browser, "[data-testid=h2h-summary]").await
            == "Readers\u{2019} picks: 1 so far \u{b7} 9 more needed to show the split"
    })
    .await;
    assert_eq!(
        pressed(&browser, "button.pick-left").await.as_deref(),
        Some("true")
    );

    // The numbers and the reader's own vote survive a reload: they came from the server.
    client.refresh().await.expect("reload");
    eventually("the reloaded page shows the vote", || async {
        text_of(&browser, &note).await == "1 vote \u{b7} 9 more votes needed"
    })
    .await;
    assert_eq!(
        text_of(&browser, &format!("{right} [data-testid=vote-status]")).await,
        "Your vote: SKIP"
    );
    assert_eq!(
        pressed(&browser, &format!("{right} button.vote-skip"))
            .await
            .as_deref(),
        Some("true")
    );

    browser.screenshot_page("compare-375", 375).await;
    for (path, name) in [
        ("/", "home"),
        ("/tools/smolvlm-3b", "tool"),
        ("/compare/cursor-vs-qdrant", "compare-ad-hoc"),
        ("/compare/nope", "not-found"),
        ("/api", "api"),
    ] {
        client
            .goto(&format!("{}{path}", app.address))
            .await
            .expect("open");
        browser.screenshot_page(&format!("{name}-1280"), 1280).await;
        browser.screenshot_page(&format!("{name}-375"), 375).await;
    }
    let _ = browser.client.clone().close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vote_in_one_browser_shows_up_live_in_another() {
    tests::within_time_limit(live_between_browsers()).await;
}

async fn live_between_browsers() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let Some(watcher) = Browser::launch().await else {
        return;
    };
    let Some(voter) = Browser::launch().await else {
        return;
    };
    let url = format!("{}/compare/{DEMO}", app.address);
    for browser in [&watcher, &voter] {
        browser.resize(1280, 2000).await;
        browser
            .client
            .goto(&url)
            .await
            .expect("open the comparison");
        eventually("the islands are hydrated", || async {
            browser
                .client
                .find_all(Locator::Css("[data-hydrated=\"true\"]"))
                .await
                // Two vote boxes, the pick box, the copy-link button and
                // the newsletter box.
                .map(|forms| forms.len() == 5)
                .unwrap_or(false)
        })
        .await;
    }
    let note = "article[data-tool=\"smolvlm-3b\"] [data-testid=community-note]";
    assert_eq!(
        text_of(&watcher, note).await,
        "No votes yet \u{b7} 10 more votes needed"
    );
    eventually("the watcher's numbers are live", || async {
        watcher
            .client
            .find_all(Locator::Css("form.vote[data-live=\"true\"]"))
            .await
            .map(|forms| forms.len() == 2)
            .unwrap_or(false)
    })
    .await;
    click(&voter, "article[data-tool=\"smolvlm-3b\"] button.vote-ship").await;
    eventually("the watcher sees the other reader's vote", || async {
        text_of(&watcher, note).await == "1 vote \u{b7} 9 more votes needed"
    })
    .await;
    click(&voter, "button.pick-right").await;
    eventually("the watcher sees the other reader's pick", || async {
        text_of(&watcher, "[data-testid=h2h-summary]").await
            == "Readers\u{2019} picks: 1 so far \u{b7} 9 more needed to show the split"
    })
    .await;
    assert_eq!(
        pressed(&watcher, "button.pick-right").await.as_deref(),
        Some("false"),
        "the watcher's own pick is untouched"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_signs_in_and_publishes_a_draft_that_readers_then_see() {
    tests::within_time_limit(editor_publishes()).await;
}

async fn editor_publishes() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    server::domain::editors::create_editor(
        &app.db,
        "ed@verdicts.example",
        "a long and secret passphrase",
    )
    .await
    .expect("an editor");
    let text = r#"{ "format": "toolverdicts/v1",
      "tools": [ { "slug": "agent-zero", "name": "Agent Zero", "vendor": "Acme", "category": "developer-tools",
                   "tagline": "An agent", "description": "An agent for the test.", "license": "MIT",
                   "pricing": { "model": "FREE", "entry": "Free" }, "website_url": null, "published_at": null } ] }"#;
    server::dataset::import(&app.db, &server::dataset::parse(text).expect("parse"))
        .await
        .expect("a draft tool");
    assert_eq!(
        app.get("/tools/agent-zero").await.0,
        404,
        "a draft is hidden"
    );

    let Some(browser) = Browser::launch().await else {
        return;
    };
    let client = &browser.client;
    browser.resize(1280, 1000).await;
    client
        .goto(&format!("{}/admin", app.address))
        .await
        .expect("open the admin");
    let url = client.current_url().await.expect("a URL");
    assert!(
        url.path().ends_with("/admin/sign-in"),
        "sent to sign-in: {url}"
    );
    eventually("the sign-in form is hydrated", || async {
        client
            .find(Locator::Css("form.admin-form[data-hydrated=\"true\"]"))
            .await
            .is_ok()
    })
    .await;
    browser.screenshot_page("admin-sign-in-1280", 1280).await;
    browser.screenshot_page("admin-sign-in-375", 375).await;
    type_into(&browser, "#email", "ed@verdicts.example").await;
    type_into(&browser, "#password", "wrong password!!").await;
    click(&browser, "form.admin-form button").await;
    eventually("the error shows", || async {
        text_of(&browser, "[data-testid=sign-in-error]")
            .await
            .contains("wrong")
    })
    .await;
    let password = client
        .find(Locator::Css("#password"))
        .await
        .expect("password");
    password.clear().await.expect("clear");
    password
        .send_keys("a long and secret passphrase")
        .await
        .expect("type");
    click(&browser, "form.admin-form button").await;
    eventually("the dashboard opens", || async {
        text_of(&browser, "[data-testid=editor-email]").await == "ed@verdicts.example"
    })
    .await;
    eventually("the publish button is hydrated", || async {
        client
            .find(Locator::Css("li[data-draft=\"agent-zero\"] button"))
            .await
            .is_ok()
    })
    .await;
    browser.screenshot_page("admin-dashboard-1280", 1280).await;
    browser.screenshot_page("admin-dashboard-375", 375).await;
    browser.resize(1280, 1000).await;
    // Islands hydrate after the page loads; retry the click until it takes.
    eventually("the draft is published", || async {
        if let Ok(button) = client
            .find(Locator::Css("li[data-draft=\"agent-zero\"] button"))
            .await
        {
            if button.text().await.unwrap_or_default() == "Publish" {
                let _ = button.click().await;
            }
        }
        text_of(&browser, "li[data-draft=\"agent-zero\"] button").await == "Unpublish"
    })
    .await;
    let (status, html) = app.get("/tools/agent-zero").await;
    assert_eq!(status, 200, "readers see the published tool");
    assert!(html.contains("Agent Zero"));

    // The edit form: an error beside its field, nothing typed is lost, then a save.
    client
        .goto(&format!("{}/admin/tools/agent-zero", app.address))
        .await
        .expect("open the form");
    eventually("the form is hydrated", || async {
        client
            .find(Locator::Css("form.tool-form[data-hydrated=\"true\"]"))
            .await
            .is_ok()
    })
    .await;
    let tagline = client
        .find(Locator::Css("#tagline"))
        .await
        .expect("tagline");
    tagline.clear().await.expect("clear");
    tagline
        .send_keys("The agent everyone ships")
        .await
        .expect("type");
    let website = client
        .find(Locator::Css("#websiteUrl"))
        .await
        .expect("website");
    website.send_keys("not a url").await.expect("type");
    click(&browser, "form.tool-form button[type=submit]").await;
    eventually("the error shows beside the website field", || async {
        text_of(&browser, "[data-error-for=websiteUrl]")
            .await
            .contains("http")
    })
    .await;
    assert_eq!(
        client
            .find(Locator::Css("#tagline"))
            .await
            .expect("tagline")
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("The agent everyone ships"),
        "what was typed is kept"
    );
    browser.screenshot_page("admin-tool-form-1280", 1280).await;
    browser.screenshot_page("admin-tool-form-375", 375).await;
    browser.resize(1280, 1400).await;
    let website = client
        .find(Locator::Css("#websiteUrl"))
        .await
        .expect("website");
    website.clear().await.expect("clear");
    website
        .send_keys("https://agent-zero.example/")
        .await
        .expect("type");
    click(&browser, "form.tool-form button[type=submit]").await;
    eventually("the form saves", || async {
        text_of(&browser, "[data-testid=form-status]").await == "Saved."
    })
    .await;
    let (_, html) = app.get("/tools/agent-zero").await;
    assert!(
        html.contains("The agent everyone ships"),
        "readers see the edit"
    );
}

/// Chooses the option `value` of the select `css`.
async fn choose(browser: &Browser, css: &str, value: &str) {
    browser
        .client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no {css}: {e}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("cannot choose {value} in {css}: {e}"));
}

/// Empties a text field the way a reader does, so the page hears of it
/// (WebDriver's clear fires no `input` event).
async fn empty_field(browser: &Browser, css: &str) {
    browser
        .client
        .execute(
            "const f = document.querySelector(arguments[0]); f.value = ''; \
             f.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::json!(css)],
        )
        .await
        .unwrap_or_else(|e| panic!("cannot empty {css}: {e}"));
}

/// Signs the browser in through the sign-in page.
async fn sign_in(app: &TestApp, browser: &Browser, email: &str, password: &str) {
    let client = &browser.client;
    client
        .goto(&format!("{}/admin/sign-in", app.address))
        .await
        .expect("open sign-in");
    wait_hydrated(browser, "form.admin-form").await;
    type_into(browser, "#email", email).await;
    type_into(browser, "#password", password).await;
    click(browser, "form.admin-form button").await;
    eventually("the dashboard opens", || async {
        text_of(browser, "[data-testid=editor-email]").await == email
    })
    .await;
}

async fn wait_hydrated(browser: &Browser, form: &str) {
    let css = format!("{form}[data-hydrated=\"true\"]");
    eventually(&format!("{form} is hydrated"), || async {
        browser.client.find(Locator::Css(&css)).await.is_ok()
    })
    .await;
}

async fn path_is(browser: &Browser, path: &str) -> bool {
    browser
        .client
        .current_url()
        .await
        .map(|u| u.path() == path)
        .unwrap_or(false)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_editor_creates_a_comparison_with_its_scorecard_and_publishes_it_for_readers() {
    tests::within_time_limit(editor_builds_a_comparison()).await;
}

async fn editor_builds_a_comparison() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let password = "a long and secret passphrase";
    server::domain::editors::create_editor(&app.db, "ed@verdicts.example", password)
        .await
        .expect("an editor");
    let summary = "Two very different tools, judged side by side for the browser test.";
    let (_, before) = app.get("/compare/cursor-vs-qdrant").await;
    assert!(!before.contains(summary), "no curated comparison yet");

    let Some(browser) = Browser::launch().await else {
        return;
    };
    let client = &browser.client;
    browser.resize(1280, 1000).await;
    sign_in(&app, &browser, "ed@verdicts.example", password).await;

    // The lists, the outbox with two sign-ups in it among them.
    for email in ["one@example.com", "two@example.com"] {
        let body = app
            .gql(
                <contract::operations::Subscribe as contract::Operation>::QUERY,
                serde_json::json!({ "email": email }),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }
    for (path, name) in [
        ("/admin/tools", "admin-tools"),
        ("/admin/reviewers", "admin-reviewers"),
        ("/admin/comparisons", "admin-comparisons"),
        ("/admin/outbox", "admin-outbox"),
    ] {
        client
            .goto(&format!("{}{path}", app.address))
            .await
            .expect("open a list");
        browser.screenshot_page(&format!("{name}-1280"), 1280).await;
        browser.screenshot_page(&format!("{name}-375"), 375).await;
        let overflow = overflow(&browser).await;
        assert!(overflow <= 0, "{path} overflows by {overflow}px at 375px");
        browser.resize(1280, 1000).await;
    }
    assert!(text_of(&browser, "main").await.contains("two@example.com"));

    // A new comparison: a field error first, then a draft.
    client
        .goto(&format!("{}/admin/comparisons/new", app.address))
        .await
        .expect("open the new comparison form");
    wait_hydrated(&browser, "form.comparison-form").await;
    type_into(&browser, "#title", "Cursor vs Qdrant").await;
    type_into(&browser, "#slug", "Cursor vs Qdrant").await;
    choose(&browser, "#left", "cursor").await;
    choose(&browser, "#right", "qdrant").await;
    type_into(&browser, "#summary", summary).await;
    click(&browser, "form.comparison-form button[type=submit]").await;
    eventually("the slug error shows beside the slug", || async {
        text_of(&browser, "[data-error-for=slug]")
            .await
            .contains("lowercase")
    })
    .await;
    browser
        .screenshot_page("admin-comparison-form-1280", 1280)
        .await;
    browser
        .screenshot_page("admin-comparison-form-375", 375)
        .await;
    browser.resize(1280, 1000).await;
    let slug = client.find(Locator::Css("#slug")).await.expect("slug");
    slug.clear().await.expect("clear");
    slug.send_keys("cursor-vs-qdrant").await.expect("type");
    click(&browser, "form.comparison-form button[type=submit]").await;
    eventually("the new draft's page opens", || async {
        path_is(&browser, "/admin/comparisons/cursor-vs-qdrant").await
    })
    .await;

    // The scorecard: every reviewer, both tools, on one screen.
    client
        .goto(&format!(
            "{}/admin/comparisons/cursor-vs-qdrant/scorecard",
            app.address
        ))
        .await
        .expect("open the scorecard");
    wait_hydrated(&browser, "form.scorecard-form").await;
    let cells = client
        .find_all(Locator::Css(".score-cell"))
        .await
        .expect("cells");
    assert_eq!(cells.len(), 8, "four reviewers, two tools");
    // A verdict without its reasoning is pointed out before anything is sent.
    empty_field(&browser, "#body-maya-okafor-right").await;
    choose(&browser, "#verdict-maya-okafor-right", "SKIP").await;
    click(&browser, "form.scorecard-form button[type=submit]").await;
    eventually("the missing reasoning is pointed out", || async {
        text_of(&browser, "[data-error-for=\"maya-okafor/right\"]")
            .await
            .contains("reasoning")
    })
    .await;
    type_into(
        &browser,
        "#body-maya-okafor-right",
        "Great engine, but our team would not run it this quarter.",
    )
    .await;
    let left = client
        .find(Locator::Css("#body-maya-okafor-left"))
        .await
        .expect("maya on cursor");
    left.clear().await.expect("clear");
    left.send_keys("Still the editor I would hand a new hire.")
        .await
        .expect("type");
    choose(&browser, "#verdict-maya-okafor-left", "SHIP").await;
    browser.screenshot_page("admin-scorecard-1280", 1280).await;
    browser.screenshot_page("admin-scorecard-375", 375).await;
    browser.resize(1280, 1000).await;
    click(&browser, "form.scorecard-form button[type=submit]").await;
    eventually("the scorecard saves", || async {
        text_of(&browser, "[data-testid=form-status]")
            .await
            .starts_with("Saved:")
    })
    .await;

    // Publish, then the reader's page has it.
    client
        .goto(&format!(
            "{}/admin/comparisons/cursor-vs-qdrant",
            app.address
        ))
        .await
        .expect("open the comparison");
    eventually("the comparison is published", || async {
        if let Ok(button) = client
            .find(Locator::Css(".head-actions .publish-button"))
            .await
        {
            if button.text().await.unwrap_or_default() == "Publish" {
                let _ = button.click().await;
            }
        }
        text_of(&browser, ".head-actions .publish-button").await == "Unpublish"
    })
    .await;
    let (status, html) = app.get("/compare/cursor-vs-qdrant").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(summary),
        "the reader sees the editor's summary"
    );
    assert!(
        html.contains("Great engine, but our team would not run it this quarter."),
        "the reader sees the new review"
    );
    let api = app
        .gql(
            "{ comparison(slug: \"cursor-vs-qdrant\") { title scorecard { reviewer { slug } right { verdict } } } }",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(
        api["data"]["comparison"]["title"], "Cursor vs Qdrant",
        "{api}"
    );
    let maya = api["data"]["comparison"]["scorecard"]
        .as_array()
        .expect("scorecard")
        .iter()
        .find(|row| row["reviewer"]["slug"] == "maya-okafor")
        .cloned()
        .expect("maya's row");
    assert_eq!(maya["right"]["verdict"], "SKIP");

    // Delete asks first, and refuses what others use with the reason.
    client
        .goto(&format!("{}/admin/reviewers/maya-okafor", app.address))
        .await
        .expect("open a reviewer");
    confirm_delete(&browser).await;
    eventually("the refusal says what uses her", || async {
        text_of(&browser, "[data-testid=delete-error]")
            .await
            .contains("review")
    })
    .await;
    browser
        .screenshot_page("admin-delete-refused-1280", 1280)
        .await;
    browser
        .screenshot_page("admin-delete-refused-375", 375)
        .await;
    browser.resize(1280, 1000).await;

    // A new reviewer, deleted after confirming.
    client
        .goto(&format!("{}/admin/reviewers/new", app.address))
        .await
        .expect("open the new reviewer form");
    wait_hydrated(&browser, "form.reviewer-form").await;
    type_into(&browser, "#name", "Sam Test").await;
    // The slug follows the name while the editor leaves it alone.
    assert_eq!(input_value(&browser, "#slug").await, "sam-test");
    choose(&browser, "#lens", "BUSINESS_CASE").await;
    type_into(&browser, "#bio", "Joins and leaves within one test.").await;
    click(&browser, "form.reviewer-form button[type=submit]").await;
    eventually("the new reviewer's page opens", || async {
        path_is(&browser, "/admin/reviewers/sam-test").await
    })
    .await;
    confirm_delete(&browser).await;
    eventually("back to the list", || async {
        path_is(&browser, "/admin/reviewers").await
    })
    .await;
    let gone = app
        .gql(
            "{ reviewer(slug: \"sam-test\") { name } }",
            serde_json::json!({}),
        )
        .await;
    assert!(gone["data"]["reviewer"].is_null(), "{gone}");
}

/// Opens the delete confirmation (retrying until the island hydrates) and confirms.
async fn confirm_delete(browser: &Browser) {
    eventually("the confirmation opens", || async {
        if let Ok(button) = browser
            .client
            .find(Locator::Css(".danger-zone button.danger"))
            .await
        {
            if button.text().await.unwrap_or_default() == "Delete…" {
                let _ = button.click().await;
            }
        }
        browser
            .client
            .find(Locator::Css("[data-testid=confirm-delete]"))
            .await
            .is_ok()
    })
    .await;
    click(browser, "[data-testid=confirm-delete]").await;
}

/// How many CSS pixels the page sticks out sideways past the window.
async fn overflow(browser: &Browser) -> i64 {
    browser
        .client
        .execute(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
            vec![],
        )
        .await
        .expect("measure")
        .as_i64()
        .unwrap_or(0)
}

/// The current value of the input `css` finds.
async fn input_value(browser: &Browser, css: &str) -> String {
    match browser.client.find(Locator::Css(css)).await {
        Ok(input) => input.prop("value").await.ok().flatten().unwrap_or_default(),
        Err(_) => String::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_picks_two_tools_by_typing_and_subscribes_in_place() {
    tests::within_time_limit(pick_and_subscribe()).await;
}

async fn pick_and_subscribe() {
    use fantoccini::key::Key;
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
    type_into(&browser, "#pick-left", "smol").await;
    eventually("suggestions for the first box", || async {
        text_of(&browser, "#pick-left-list")
            .await
            .contains("SmolVLM-3B")
    })
    .await;
    browser.screenshot("picker-suggestions-1280").await;
    // Keyboard: down to the first suggestion, Enter to choose it.
    client
        .find(Locator::Css("#pick-left"))
        .await
        .expect("the box")
        .send_keys(&char::from(Key::Down).to_string())
        .await
        .expect("arrow down");
    client
        .find(Locator::Css("#pick-left"))
        .await
        .expect("the box")
        .send_keys(&char::from(Key::Enter).to_string())
        .await
        .expect("enter");
    eventually("the first box holds the chosen tool", || async {
        input_value(&browser, "#pick-left").await == "SmolVLM-3B"
    })
    .await;
    // Mouse: type, then click the suggestion.
    type_into(&browser, "#pick-right", "qdr").await;
    eventually("suggestions for the second box", || async {
        text_of(&browser, "#pick-right-list")
            .await
            .contains("Qdrant")
    })
    .await;
    click(&browser, "#pick-right-list li").await;
    assert_eq!(input_value(&browser, "#pick-left").await, "SmolVLM-3B");
    assert_eq!(input_value(&browser, "#pick-right").await, "Qdrant");
    click(&browser, "form.picker button[type=submit]").await;
    eventually("the comparison of the two opens", || async {
        path_is(&browser, "/compare/smolvlm-3b-vs-qdrant").await
    })
    .await;
    assert!(text_of(&browser, "h1").await.contains("SmolVLM-3B"));

    // The sign-up box on that page subscribes without leaving it.
    wait_hydrated(&browser, "form.newsletter-form").await;
    type_into(&browser, "#newsletter-email", "not an address").await;
    click(&browser, "form.newsletter-form button[type=submit]").await;
    eventually("the address is refused beside the field", || async {
        text_of(&browser, "#newsletter-error")
            .await
            .contains("name@example.com")
    })
    .await;
    client
        .find(Locator::Css("#newsletter-email"))
        .await
        .expect("the field")
        .clear()
        .await
        .expect("cleared");
    type_into(&browser, "#newsletter-email", "reader@example.com").await;
    click(&browser, "form.newsletter-form button[type=submit]").await;
    eventually("the reader is told to check the inbox", || async {
        text_of(&browser, ".newsletter-done")
            .await
            .contains("Check your inbox")
    })
    .await;
    assert!(
        path_is(&browser, "/compare/smolvlm-3b-vs-qdrant").await,
        "no navigation"
    );
    let written = {
        use sea_orm::EntityTrait;
        entities::outbox_mail::Entity::find()
            .all(&app.db)
            .await
            .expect("the outbox")
    };
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].to_address, "reader@example.com");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_reader_page_type_is_screenshotted_at_desktop_and_mobile_widths() {
    tests::within_time_limit(reader_screenshots()).await;
}

async fn reader_screenshots() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    server::domain::history::record(
        &app.db,
        chrono::Utc::now().date_naive() - chrono::Duration::days(14),
    )
    .await
    .expect("history");
    server::domain::history::record(&app.db, chrono::Utc::now().date_naive())
        .await
        .expect("history");
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let pages = [
        ("home", "/".to_owned()),
        ("catalogue", "/tools?pricing=FREE".to_owned()),
        ("category", "/categories/developer-tools".to_owned()),
        ("reviewer", "/reviewers/maya-okafor".to_owned()),
        ("search", "/search?q=vector".to_owned()),
        ("picker", "/compare".to_owned()),
        ("tool", "/tools/smolvlm-3b".to_owned()),
        ("comparison", format!("/compare/{DEMO}")),
        ("newsletter", "/newsletter?state=check-inbox".to_owned()),
        ("not-found", "/no-such-page".to_owned()),
    ];
    for width in [1280, 375] {
        for (name, path) in &pages {
            browser.resize(width, 800).await;
            browser
                .client
                .goto(&format!("{}{path}", app.address))
                .await
                .expect("open the page");
            // Nothing may stick out sideways: the page is as wide as the window.
            let overflow = overflow(&browser).await;
            assert!(
                overflow <= 0,
                "{path} overflows by {overflow}px at {width}px"
            );
            browser
                .screenshot_page(&format!("reader-{name}-{width}"), width)
                .await;
        }
    }
}
