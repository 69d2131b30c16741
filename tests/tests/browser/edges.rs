//! Rough edges a reader meets in Chromium (issue 18): taking a vote back by
//! pressing the pressed button, and comparing two typed names without
//! choosing a suggestion.

use tests::{browser::Browser, Db, TestApp};

use super::{click, eventually, path_is, pressed, text_of, type_into, wait_hydrated};

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
    browser
        .screenshot_page("edges-did-you-mean-375", 375)
        .await;
    click(&browser, "[data-testid=typed-missing] a").await;
    eventually("the suggestion opens the comparison", || async {
        path_is(&browser, "/compare/whisper-large-v3-vs-deepgram-nova-3").await
    })
    .await;
    let _ = browser.client.clone().close().await;
}
