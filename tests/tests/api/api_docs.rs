//! `/api`: the documentation page renders, and every example on it runs
//! (curl in a shell, JavaScript in Node) against a real server.

use serde_json::Value;
use tests::{skip_or_fail, Db, TestApp};

use app::pages::api_docs::{EXAMPLES, EXAMPLE_ORIGIN};

async fn output_of(program: &str, args: &[&str], partner_token: &str) -> Value {
    let output = tokio::process::Command::new(program)
        .args(args)
        .env("VERDICTS_PARTNER_TOKEN", partner_token)
        .output()
        .await
        .unwrap_or_else(|e| panic!("{program} runs: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).to_string();
    assert!(
        output.status.success(),
        "{program} failed: {stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{program} printed no JSON ({e}): {stdout}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_on_the_api_page_runs() {
    tests::within_time_limit(examples_run()).await;
}

async fn examples_run() {
    for tool in ["curl", "node"] {
        if std::process::Command::new(tool)
            .arg("--version")
            .output()
            .is_err()
        {
            skip_or_fail("the /api examples", &format!("{tool} is not installed"));
            return;
        }
    }
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    // The partner example votes with a partner app's token, in the
    // environment as its readers would keep it.
    let editor = server::domain::editors::create_editor(
        &app.db,
        "ed@verdicts.example",
        "a long enough password",
    )
    .await
    .expect("an editor");
    let kind = server::domain::editors::TokenKind {
        partner: true,
        vote_quota: None,
    };
    let (_, partner) =
        server::domain::editors::create_api_token(&app.db, editor.id, "Example app", kind)
            .await
            .expect("a partner token");
    let (status, html) = app.get("/api").await;
    assert_eq!(status, 200);
    assert!(html.contains("The Verdicts API") && html.contains("PERSISTED_QUERY_NOT_FOUND"));
    let dir = tempfile::tempdir().expect("a directory");
    for (i, example) in EXAMPLES.iter().enumerate() {
        assert!(
            html.contains(&leptos_escape(example.title)),
            "the page shows {:?}",
            example.title
        );
        let curl = example.curl.replace(EXAMPLE_ORIGIN, &app.address);
        let answer = output_of("sh", &["-c", &curl], &partner).await;
        assert!(answer["errors"].is_null(), "{}: {answer}", example.title);
        assert!(!answer["data"].is_null(), "{}: {answer}", example.title);

        let script = dir.path().join(format!("example-{i}.mjs"));
        std::fs::write(
            &script,
            example.javascript.replace(EXAMPLE_ORIGIN, &app.address),
        )
        .expect("the script is written");
        let answer = output_of("node", &[script.to_str().expect("a path")], &partner).await;
        assert!(answer["errors"].is_null(), "{}: {answer}", example.title);
        assert!(!answer["data"].is_null(), "{}: {answer}", example.title);
    }
    let (status, sdl) = app.get("/graphql/schema.graphql").await;
    assert_eq!(status, 200);
    assert_eq!(
        sdl,
        app.schema_sdl(),
        "the published schema is the live one"
    );
}

/// How the page writes a title (Leptos escapes `&`, `<` and `>`).
fn leptos_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
