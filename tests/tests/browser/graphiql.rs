//! The API explorer at `GET /graphql`: GraphiQL, served from the site's own
//! files, loads the schema by introspection and its documentation explorer
//! lists the root types.

use serde_json::{json, Value};
use tests::{browser::Browser, Db, TestApp};

async fn run(browser: &Browser, script: &str) -> Value {
    browser
        .client
        .execute(script, vec![])
        .await
        .unwrap_or_else(|e| panic!("cannot run {script}: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_loads_the_schema_and_its_docs_list_the_query_type() {
    tests::within_time_limit(graphiql_docs()).await;
}

async fn graphiql_docs() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::launch().await else {
        return;
    };
    browser.resize(1280, 900).await;
    browser
        .client
        .goto(&format!("{}/graphql", app.address))
        .await
        .expect("open the explorer");
    // The sidebar's documentation button appears once GraphiQL has started;
    // pressing it opens the explorer, which fills in once the schema loaded.
    let open_docs = "const b = document.querySelector('.graphiql-sidebar button[aria-label*=\"Documentation\"]'); \
        if (!b) return false; \
        if (!document.querySelector('.graphiql-doc-explorer')) b.click(); \
        return true;";
    let mut docs = String::new();
    for _ in 0..150 {
        if run(&browser, open_docs).await == json!(true) {
            docs = run(
                &browser,
                "const d = document.querySelector('.graphiql-doc-explorer'); return d ? d.innerText : '';",
            )
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned();
            if docs.contains("query: Query") {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser.screenshot("graphiql-docs-1280").await;
    assert!(
        docs.contains("query: Query") && docs.contains("subscription: Subscription"),
        "the documentation explorer lists no root types: {docs:?}"
    );
    // The schema loaded without an error shown in the results pane.
    let errors = run(
        &browser,
        "return document.querySelector('.graphiql-response')?.innerText ?? ''",
    )
    .await;
    assert!(
        !errors
            .as_str()
            .unwrap_or_default()
            .contains("over the limit"),
        "{errors}"
    );
    browser.resize(375, 800).await;
    browser.screenshot("graphiql-375").await;
}
