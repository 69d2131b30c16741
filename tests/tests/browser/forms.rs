//! The no-JavaScript vote form in Chromium, with the headers a real browser
//! sends: the site's own form counts and sets the voter cookie; a page on
//! another site that posts it is refused, moves no score and leaves the
//! reader's cookie (and vote) as it was.

use std::time::Duration;

use serde_json::{json, Value};
use tests::{browser::Browser, Db, TestApp};

/// Posts a plain form (what a page without JavaScript sends) from the
/// current page: `arguments` are the action, the tool and the verdict.
const POST_FORM: &str = "const [action, tool, verdict] = arguments;
    const form = document.createElement('form');
    form.method = 'post';
    form.action = action;
    for (const [name, value] of [['tool', tool], ['verdict', verdict]]) {
        const input = document.createElement('input');
        input.name = name;
        input.value = value;
        form.appendChild(input);
    }
    document.body.appendChild(form);
    form.submit();
    return true;";

async fn community(app: &TestApp) -> Value {
    let body = app
        .gql(
            "{ tool(slug: \"cursor\") { community { ship skip total } } }",
            json!({}),
        )
        .await;
    body["data"]["tool"]["community"].clone()
}

/// Waits (15 s at most) until the browser's page contains `text`.
async fn page_contains(browser: &Browser, text: &str) -> bool {
    for _ in 0..150 {
        if browser
            .client
            .source()
            .await
            .is_ok_and(|source| source.contains(text))
        {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vote_form_posted_by_another_site_in_chromium_changes_nothing() {
    tests::within_time_limit(another_site_posts_the_vote_form()).await;
}

async fn another_site_posts_the_vote_form() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::launch().await else {
        return;
    };
    // The reader votes SHIP with the site's own form.
    browser
        .client
        .goto(&format!("{}/tools/cursor", app.address))
        .await
        .expect("open the tool page");
    // The navigation the form starts may end the script first.
    let _ = browser
        .client
        .execute(
            POST_FORM,
            vec![json!("/vote"), json!("cursor"), json!("SHIP")],
        )
        .await;
    assert!(
        page_contains(&browser, "Your vote: SHIP").await,
        "the site's own form counts and brings the reader back"
    );
    let counted = json!({ "ship": 1, "skip": 0, "total": 1 });
    assert_eq!(community(&app).await, counted);

    // A page on another site (another address: another site to the
    // browser) posts the same form with SKIP as soon as it opens.
    let listener = tokio::net::TcpListener::bind("127.0.0.2:0")
        .await
        .expect("a port on 127.0.0.2");
    let elsewhere = format!(
        "http://127.0.0.2:{}/",
        listener.local_addr().expect("an address").port()
    );
    let page = format!(
        "<!doctype html><title>Free prizes</title>\
         <form method=\"post\" action=\"{}/vote\">\
         <input name=\"tool\" value=\"cursor\"><input name=\"verdict\" value=\"SKIP\"></form>\
         <script>document.forms[0].submit()</script>",
        app.address
    );
    let router = axum::Router::new().route(
        "/",
        axum::routing::get(move || {
            let page = page.clone();
            async move { axum::response::Html(page) }
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    browser
        .client
        .goto(&elsewhere)
        .await
        .expect("open the other site");
    assert!(
        page_contains(&browser, "this site's own pages").await,
        "the browser lands on the refusal"
    );
    assert_eq!(
        community(&app).await,
        counted,
        "another site's form moved the score"
    );

    // The reader's cookie is the one they had: their vote is still theirs.
    browser
        .client
        .goto(&format!("{}/tools/cursor", app.address))
        .await
        .expect("open the tool page");
    assert!(
        page_contains(&browser, "Your vote: SHIP").await,
        "the reader's voter cookie was kept"
    );
}
