//! `/api`: the documentation page renders, and every example on it runs
//! (curl in a shell, JavaScript in Node) against a real server.

use serde_json::Value;
use tests::{skip_or_fail, Db, TestApp};

use app::pages::api_docs::{
    EXAMPLES, EXAMPLE_ORIGIN, EXAMPLE_WS_ORIGIN, SUBSCRIPTION_EXAMPLE, WEBHOOK_RECEIVER_EXAMPLE,
};

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

/// `tests/graphql-http`, where the npm packages the examples import live.
fn npm_dir(needs: &str) -> Option<std::path::PathBuf> {
    let dir = tests::workspace_root().join("tests/graphql-http");
    if dir.join("node_modules").join(needs).is_dir() {
        Some(dir)
    } else {
        skip_or_fail(
            "the /api examples",
            "tests/graphql-http/node_modules is missing (make test runs npm ci)",
        );
        None
    }
}

/// The subscription example, run by Node with `graphql-ws` and `ws`,
/// prints the tool's live community score from a real server.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_subscription_example_prints_the_live_score() {
    tests::within_time_limit(async {
        let Some(dir) = npm_dir("graphql-ws") else {
            return;
        };
        let Some(app) = TestApp::spawn(Db::Sqlite).await else {
            return;
        };
        let (_, html) = app.get("/api").await;
        assert!(
            html.contains("id=\"subscriptions\""),
            "the page has the section"
        );
        let ws_origin = app.address.replacen("http://", "ws://", 1);
        let script = dir.join(format!(
            ".example-subscription-{}.mjs",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::write(
            &script,
            SUBSCRIPTION_EXAMPLE.replace(EXAMPLE_WS_ORIGIN, &ws_origin),
        )
        .expect("the script is written");
        let output = tokio::process::Command::new("node")
            .arg(&script)
            .current_dir(&dir)
            .output()
            .await;
        let _ = std::fs::remove_file(&script);
        let output = output.expect("node runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let update: Value = serde_json::from_str(stdout.trim()).expect("JSON");
        let score = &update["data"]["communityScore"];
        assert!(score["total"].as_i64().is_some(), "{update}");
        let expected = app
            .gql(
                "{ tool(slug: \"cursor\") { community { total } } }",
                serde_json::json!({}),
            )
            .await;
        assert_eq!(
            score["total"],
            expected["data"]["tool"]["community"]["total"]
        );
    })
    .await;
}

/// The webhook receiver example, run by Node, receives a real delivery from
/// the server and prints it; it refuses a forged signature and a replayed
/// (five minutes old) delivery with 401.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_receiver_example_verifies_a_real_delivery() {
    tests::within_time_limit(async {
        use tokio::io::AsyncBufReadExt;
        if std::process::Command::new("node").arg("--version").output().is_err() {
            skip_or_fail("the /api examples", "node is not installed");
            return;
        }
        let Some(app) = TestApp::spawn_with(
            Db::Sqlite,
            tests::SpawnOptions {
                configure: |config| {
                    config.webhooks_allow_private = true;
                    config.webhook_poll_ms = 100;
                    config.webhook_score_debounce_secs = 0;
                },
                ..tests::SpawnOptions::default()
            },
        )
        .await
        else {
            return;
        };
        let (_, html) = app.get("/api").await;
        assert!(html.contains("id=\"webhooks\""), "the page has the section");
        let editor = crate::editing::signed_in(&app).await;
        let port = tests::process::free_port();
        let url = format!("http://127.0.0.1:{port}/");
        let created = app
            .gql_as(
                &editor,
                "mutation($u: String!) { createWebhookEndpoint(url: $u, events: [COMPARISON_UPDATED]) { secret } }",
                serde_json::json!({ "u": url }),
            )
            .await;
        let secret = created["data"]["createWebhookEndpoint"]["secret"]
            .as_str()
            .unwrap_or_else(|| panic!("{created}"))
            .to_owned();
        let dir = tempfile::tempdir().expect("a directory");
        let script = dir.path().join("receiver.mjs");
        std::fs::write(&script, WEBHOOK_RECEIVER_EXAMPLE).expect("the script is written");
        let mut receiver = tokio::process::Command::new("node")
            .arg(&script)
            .env("WEBHOOK_SECRET", &secret)
            .env("PORT", port.to_string())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("node runs");
        let mut lines =
            tokio::io::BufReader::new(receiver.stdout.take().expect("its output")).lines();
        let client = reqwest::Client::new();
        // Forged and replayed deliveries, once it listens.
        let forged = loop {
            let sent = client
                .post(&url)
                .header("webhook-id", "evt_forged")
                .header("webhook-timestamp", chrono::Utc::now().timestamp().to_string())
                .header("webhook-signature", "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")
                .body("{\"type\":\"comparison.updated\"}")
                .send()
                .await;
            match sent {
                Ok(response) => break response.status().as_u16(),
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        };
        assert_eq!(forged, 401, "a wrong signature is refused");
        let old = (chrono::Utc::now().timestamp() - 301).to_string();
        let body = "{\"id\":\"evt_old\",\"type\":\"comparison.updated\"}";
        let replayed = client
            .post(&url)
            .header("webhook-id", "evt_old")
            .header("webhook-timestamp", &old)
            .header("webhook-signature", tests::webhooks::sign(&secret, "evt_old", &old, body))
            .body(body)
            .send()
            .await
            .expect("an answer");
        assert_eq!(replayed.status().as_u16(), 401, "an old delivery is refused");
        // A real change: the demo comparison's title.
        let demo = app
            .gql(
                "{ comparison(slug: \"claude-haiku-open-weights-vs-smolvlm-3b\") { slug summary left { slug } right { slug } } }",
                serde_json::json!({}),
            )
            .await["data"]["comparison"]
            .clone();
        let changed = app
            .gql_as(
                &editor,
                "mutation($s: String!, $i: ComparisonInput!) { updateComparison(slug: $s, input: $i) { slug } }",
                serde_json::json!({ "s": demo["slug"], "i": { "slug": demo["slug"], "title": "Retitled for the webhook",
                    "summary": demo["summary"], "left": demo["left"]["slug"], "right": demo["right"]["slug"] } }),
            )
            .await;
        assert!(changed["errors"].is_null(), "{changed}");
        let line = tokio::time::timeout(std::time::Duration::from_secs(20), lines.next_line())
            .await
            .expect("the receiver prints the event within 20 s")
            .expect("its output")
            .expect("a line");
        let event: Value = serde_json::from_str(&line).expect("JSON");
        assert_eq!(event["type"], "comparison.updated");
        assert_eq!(event["data"]["after"]["title"], "Retitled for the webhook");
        assert!(event["id"].as_str().unwrap_or_default().starts_with("evt_"));
        // The server records the answer just after the receiver printed it.
        let mut tries = 0;
        let listed = loop {
            let listed = app
                .gql_as(
                    &editor,
                    "{ webhookEndpoints { deliveries { nodes { status attempts { httpStatus } } } } }",
                    serde_json::json!({}),
                )
                .await;
            tries += 1;
            if listed["data"]["webhookEndpoints"][0]["deliveries"]["nodes"][0]["status"] == "DELIVERED"
                || tries > 100
            {
                break listed;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        };
        let delivery = &listed["data"]["webhookEndpoints"][0]["deliveries"]["nodes"][0];
        assert_eq!(delivery["status"], "DELIVERED", "{listed}");
        assert_eq!(delivery["attempts"][0]["httpStatus"], 204);
    })
    .await;
}
