//! Webhooks end to end: a real receiver verifies every signature, refuses
//! the first attempt and sees the retry; each event type comes from the real
//! change; two instances on one PostgreSQL deliver each event once; private
//! addresses, strangers and bad input are refused; an endpoint that keeps
//! failing is switched off and the dashboard says so.

use std::time::Duration;

use serde_json::{json, Value};
use server::config::Config;
use tests::{on_both_databases, webhooks::Receiver, Db, SpawnOptions, TestApp, PUBLIC_URL};

use crate::editing::signed_in;
use crate::error_code;

const CREATE: &str = "mutation($url: String!, $events: [WebhookEventType!]!) {
  createWebhookEndpoint(url: $url, events: $events) { secret endpoint { id url events enabled } } }";

const ENDPOINTS: &str = "{ webhookEndpoints { id url enabled disabledReason consecutiveFailures
  deliveries(first: 20) { totalCount nodes { id eventId eventType status payload
    attempts { httpStatus error responseBody durationMs } } } } }";

fn fast(config: &mut Config) {
    config.webhooks_allow_private = true;
    config.webhook_retry_base_ms = 300;
    config.webhook_poll_ms = 100;
    config.webhook_score_debounce_secs = 0;
}

fn scanning(config: &mut Config) {
    fast(config);
    config.webhook_score_debounce_secs = 1;
    config.webhook_score_step = 5;
}

fn fragile(config: &mut Config) {
    fast(config);
    config.webhook_retry_base_ms = 100;
    config.webhook_max_attempts = 2;
    config.webhook_disable_after = 2;
}

async fn spawn(db: Db, configure: fn(&mut Config)) -> Option<TestApp> {
    TestApp::spawn_with(
        db,
        SpawnOptions {
            configure,
            ..SpawnOptions::default()
        },
    )
    .await
}

async fn ok(app: &TestApp, client: &reqwest::Client, query: &str, variables: Value) -> Value {
    let body = app.gql_as(client, query, variables).await;
    assert!(body["errors"].is_null(), "{query}: {body}");
    body["data"].clone()
}

/// Registers `receiver` for `events`; returns the endpoint's id.
async fn register(
    app: &TestApp,
    editor: &reqwest::Client,
    receiver: &Receiver,
    events: &[&str],
) -> String {
    let data = ok(
        app,
        editor,
        CREATE,
        json!({ "url": receiver.url, "events": events }),
    )
    .await;
    let created = &data["createWebhookEndpoint"];
    let secret = created["secret"].as_str().expect("a secret");
    assert!(secret.starts_with("whsec_"), "{secret}");
    receiver.set_secret(secret);
    created["endpoint"]["id"]
        .as_str()
        .expect("an id")
        .to_owned()
}

/// A new published comparison of two demo tools; returns its slug.
async fn publish_comparison(app: &TestApp, editor: &reqwest::Client, slug: &str) -> Value {
    let tools = ok(
        app,
        editor,
        "{ tools(first: 40) { nodes { slug } } }",
        json!({}),
    )
    .await;
    let slugs: Vec<String> = tools["tools"]["nodes"]
        .as_array()
        .expect("tools")
        .iter()
        .map(|t| t["slug"].as_str().expect("a slug").to_owned())
        .collect();
    let existing = ok(
        app,
        editor,
        "{ allComparisons(first: 100) { nodes { left { slug } right { slug } } } }",
        json!({}),
    )
    .await;
    let taken: Vec<(String, String)> = existing["allComparisons"]["nodes"]
        .as_array()
        .expect("comparisons")
        .iter()
        .map(|c| {
            (
                c["left"]["slug"].as_str().unwrap_or_default().to_owned(),
                c["right"]["slug"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let (left, right) = slugs
        .iter()
        .flat_map(|a| slugs.iter().map(move |b| (a.clone(), b.clone())))
        .find(|(a, b)| {
            a != b
                && !taken.contains(&(a.clone(), b.clone()))
                && !taken.contains(&(b.clone(), a.clone()))
        })
        .expect("a pair not yet compared");
    ok(
        app,
        editor,
        "mutation($i: ComparisonInput!) { createComparison(input: $i) { slug } }",
        json!({ "i": { "slug": slug, "title": format!("Title of {slug}"), "summary": "A summary.", "left": left, "right": right } }),
    )
    .await;
    ok(
        app,
        editor,
        "mutation($s: String!) { publishComparison(slug: $s) { slug } }",
        json!({ "s": slug }),
    )
    .await;
    json!({ "left": left, "right": right })
}

async fn endpoints(app: &TestApp, editor: &reqwest::Client) -> Value {
    ok(app, editor, ENDPOINTS, json!({})).await["webhookEndpoints"].clone()
}

/// A refused first attempt is retried; both attempts are visible to
/// editors with the receiver's 500 and 200; the payload names the
/// comparison by global id and public URL; an edit is `comparison.updated`
/// with the fields before and after.
async fn a_refused_delivery_is_retried_and_every_attempt_is_visible(db: Db) {
    let Some(app) = spawn(db, fast).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let receiver = Receiver::start(1).await;
    register(
        &app,
        &editor,
        &receiver,
        &["COMPARISON_PUBLISHED", "COMPARISON_UPDATED"],
    )
    .await;
    let pair = publish_comparison(&app, &editor, "hooked-pair").await;
    let received = receiver
        .wait_for(Duration::from_secs(20), |r| {
            r.iter().any(|d| d.answered == 200)
        })
        .await;
    assert_eq!(received.len(), 2, "one refusal, one retry");
    assert_eq!(received[0].answered, 500);
    assert_eq!(
        received[0].id, received[1].id,
        "a retry carries the same webhook-id"
    );
    assert!(
        received.iter().all(|d| d.verified),
        "every signature verifies"
    );
    assert_eq!(
        received[0].body, received[1].body,
        "the same body each time"
    );
    let payload = received[1].json();
    assert_eq!(payload["type"], "comparison.published");
    assert_eq!(payload["id"], received[1].id.as_str());
    assert!(payload["id"].as_str().unwrap().starts_with("evt_"));
    let comparison = &payload["data"]["comparison"];
    assert_eq!(
        comparison["url"],
        format!("{PUBLIC_URL}/compare/hooked-pair")
    );
    let node = ok(
        &app,
        &app.client,
        "query($id: ID!) { node(id: $id) { ... on Comparison { slug } } }",
        json!({ "id": comparison["id"] }),
    )
    .await;
    assert_eq!(
        node["node"]["slug"], "hooked-pair",
        "the global id is the API's"
    );
    assert_eq!(payload["data"]["after"]["left"], pair["left"]);
    assert_eq!(
        payload["data"]["tools"][0]["url"],
        format!("{PUBLIC_URL}/tools/{}", pair["left"].as_str().unwrap())
    );
    let listed = endpoints(&app, &editor).await;
    assert_eq!(
        listed[0]["enabled"], true,
        "one refusal switches nothing off"
    );
    let delivery = &listed[0]["deliveries"]["nodes"][0];
    assert_eq!(delivery["status"], "DELIVERED", "{listed}");
    assert_eq!(delivery["eventType"], "COMPARISON_PUBLISHED");
    let statuses: Vec<i64> = delivery["attempts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["httpStatus"].as_i64().unwrap_or(0))
        .collect();
    assert_eq!(statuses, [500, 200], "{delivery}");
    assert_eq!(
        delivery["attempts"][0]["responseBody"],
        "not now: the receiver is down"
    );

    // An edit of the published comparison.
    ok(
        &app,
        &editor,
        "mutation($i: ComparisonInput!) { updateComparison(slug: \"hooked-pair\", input: $i) { slug } }",
        json!({ "i": { "slug": "hooked-pair", "title": "A new title", "summary": "A summary.",
                       "left": pair["left"], "right": pair["right"] } }),
    )
    .await;
    receiver
        .wait_for(Duration::from_secs(10), |r| {
            r.iter().any(|d| d.json()["type"] == "comparison.updated")
        })
        .await;
    let updated = receiver.accepted("comparison.updated")[0].json();
    assert_eq!(updated["data"]["before"]["title"], "Title of hooked-pair");
    assert_eq!(updated["data"]["after"]["title"], "A new title");
}

/// A reviewer's published verdict going from SHIP to SKIP is
/// `review.verdict_flipped`, naming tool and reviewer; re-saving the same
/// verdict is no event.
async fn a_flipped_verdict_is_an_event(db: Db) {
    let Some(app) = spawn(db, fast).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let receiver = Receiver::start(0).await;
    register(&app, &editor, &receiver, &["REVIEW_VERDICT_FLIPPED"]).await;
    let reviews = ok(
        &app,
        &editor,
        "{ tools(first: 5) { nodes { slug reviews { reviewer { slug } verdict body } } } }",
        json!({}),
    )
    .await;
    let tool = &reviews["tools"]["nodes"][0];
    let review = &tool["reviews"][0];
    let flipped = if review["verdict"] == "SHIP" {
        "SKIP"
    } else {
        "SHIP"
    };
    let save = |verdict: &str| {
        json!({ "i": { "tool": tool["slug"], "reviewer": review["reviewer"]["slug"],
                       "verdict": verdict, "body": review["body"] } })
    };
    let upsert = "mutation($i: ReviewInput!) { upsertReview(input: $i) { verdict } }";
    // The same verdict again changes nothing and tells nothing.
    ok(
        &app,
        &editor,
        upsert,
        save(review["verdict"].as_str().unwrap()),
    )
    .await;
    ok(&app, &editor, upsert, save(flipped)).await;
    let received = receiver
        .wait_for(Duration::from_secs(10), |r| !r.is_empty())
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.received().len(), 1, "one flip, one event");
    let payload = received[0].json();
    assert!(received[0].verified);
    assert_eq!(payload["type"], "review.verdict_flipped");
    assert_eq!(payload["data"]["before"]["verdict"], review["verdict"]);
    assert_eq!(payload["data"]["after"]["verdict"], flipped);
    assert_eq!(payload["data"]["tool"]["slug"], tool["slug"]);
    assert_eq!(
        payload["data"]["reviewer"]["slug"],
        review["reviewer"]["slug"]
    );
    assert_eq!(
        payload["data"]["reviewer"]["url"],
        format!(
            "{PUBLIC_URL}/reviewers/{}",
            review["reviewer"]["slug"].as_str().unwrap()
        )
    );
}

async fn vote(app: &TestApp, tool: &str, verdict: &str) {
    let reader = TestApp::new_client();
    let body = app
        .gql_as(
            &reader,
            "mutation($t: String!, $v: Verdict!) { castVote(tool: $t, verdict: $v) { total } }",
            json!({ "t": tool, "v": verdict }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
}

/// Ten readers' votes make a new tool's community score appear
/// (`tool.community_score_available`, 100 %); four SKIP votes move it to
/// 71 % (`tool.score_moved`, past the step of 5); one more vote moving it
/// by less than the step is no event.
async fn votes_make_the_community_score_available_then_move_it(db: Db) {
    let Some(app) = spawn(db, scanning).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let receiver = Receiver::start(0).await;
    register(
        &app,
        &editor,
        &receiver,
        &["TOOL_COMMUNITY_SCORE_AVAILABLE", "TOOL_SCORE_MOVED"],
    )
    .await;
    let category = ok(&app, &editor, "{ categories { slug } }", json!({})).await["categories"][0]
        ["slug"]
        .clone();
    ok(
        &app,
        &editor,
        "mutation($i: ToolInput!) { createTool(input: $i) { slug } }",
        json!({ "i": { "slug": "hook-tool", "name": "Hook Tool", "vendor": "Acme", "category": category,
                       "tagline": "Hooks", "description": "A tool for the webhook tests.",
                       "license": "MIT", "pricingModel": "FREE", "pricingEntry": "Free" } }),
    )
    .await;
    ok(
        &app,
        &editor,
        "mutation { publishTool(slug: \"hook-tool\") { slug } }",
        json!({}),
    )
    .await;
    let ours = |r: &[tests::webhooks::Delivery], kind: &str| {
        r.iter()
            .filter(|d| d.json()["type"] == kind && d.json()["data"]["tool"]["slug"] == "hook-tool")
            .count()
    };
    for _ in 0..9 {
        vote(&app, "hook-tool", "SHIP").await;
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        ours(&receiver.received(), "tool.community_score_available"),
        0,
        "nine votes are not enough"
    );
    vote(&app, "hook-tool", "SHIP").await;
    let received = receiver
        .wait_for(Duration::from_secs(10), |r| {
            ours(r, "tool.community_score_available") == 1
        })
        .await;
    let available = received
        .iter()
        .find(|d| d.json()["data"]["tool"]["slug"] == "hook-tool")
        .expect("the event")
        .json();
    assert_eq!(available["data"]["after"]["communityScore"], 100);
    assert_eq!(available["data"]["after"]["votes"], 10);
    assert_eq!(
        available["data"]["tool"]["url"],
        format!("{PUBLIC_URL}/tools/hook-tool")
    );
    for _ in 0..4 {
        vote(&app, "hook-tool", "SKIP").await;
    }
    let received = receiver
        .wait_for(Duration::from_secs(10), |r| {
            ours(r, "tool.score_moved") == 1
        })
        .await;
    let moved = received
        .iter()
        .find(|d| d.json()["type"] == "tool.score_moved")
        .expect("the event")
        .json();
    assert_eq!(moved["data"]["score"], "community");
    assert_eq!(moved["data"]["before"]["shipPercent"], 100);
    assert_eq!(moved["data"]["after"]["shipPercent"], 71);
    // 10 of 15: 67 %, four points from the 71 % announced: no event.
    vote(&app, "hook-tool", "SKIP").await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(ours(&receiver.received(), "tool.score_moved"), 1);
}

/// Loopback, private, link-local and metadata addresses, other schemes,
/// credentials in the URL, an overlong URL and unknown or no events are
/// refused (`VALIDATION`, nothing stored); readers and cross-site sessions
/// cannot register at all.
async fn unsafe_endpoints_and_strangers_are_refused(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let long = format!("https://example.com/{}", "a".repeat(2100));
    for url in [
        "http://127.0.0.1/",
        "http://10.0.0.1",
        "http://[::1]",
        "http://169.254.169.254/",
        "http://192.168.0.10:8080/hook",
        "http://[fd00::1]/",
        "http://0.0.0.0/",
        "http://localhost:9/",
        "ftp://example.com/",
        "javascript:alert(1)",
        "http://user:secret@93.184.215.14/",
        "not a url",
        long.as_str(),
    ] {
        let body = app
            .gql_as(
                &editor,
                CREATE,
                json!({ "url": url, "events": ["COMPARISON_PUBLISHED"] }),
            )
            .await;
        assert_eq!(error_code(&body), Some("VALIDATION"), "{url}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "url", "{body}");
    }
    let body = app
        .gql_as(
            &editor,
            CREATE,
            json!({ "url": "http://93.184.215.14/", "events": [] }),
        )
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    let body = app
        .gql_as(
            &editor,
            CREATE,
            json!({ "url": "http://93.184.215.14/", "events": ["NOT_AN_EVENT"] }),
        )
        .await;
    assert!(!body["errors"].is_null(), "an unknown enum value: {body}");
    // Readers: no session at all.
    let body = app
        .gql(
            CREATE,
            json!({ "url": "http://93.184.215.14/", "events": ["COMPARISON_PUBLISHED"] }),
        )
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    let body = app.gql(ENDPOINTS, json!({})).await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    // A session without the CSRF header (a cross-site form).
    let cookie_only = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("a client");
    app.sign_in_as(
        &cookie_only,
        "ed@verdicts.example",
        "a long and secret passphrase",
    )
    .await;
    let body = app
        .gql_as(
            &cookie_only,
            CREATE,
            json!({ "url": "http://93.184.215.14/", "events": ["COMPARISON_PUBLISHED"] }),
        )
        .await;
    assert_eq!(error_code(&body), Some("FORBIDDEN"), "{body}");
    for (query, variables) in [
        (
            "mutation { redeliverWebhook(deliveryId: \"abc\") { id } }",
            json!({}),
        ),
        ("mutation { deleteWebhookEndpoint(id: \"999\") }", json!({})),
    ] {
        let body = app.gql_as(&editor, query, variables).await;
        let code = error_code(&body);
        assert!(
            matches!(code, Some("VALIDATION") | Some("NOT_FOUND")),
            "{query}: {body}"
        );
    }
    assert_eq!(
        endpoints(&app, &editor).await,
        json!([]),
        "nothing was registered"
    );
}

/// An endpoint whose every attempt fails is switched off after two
/// deliveries given up; the dashboard names it; switched on again, a
/// failed delivery sent again arrives.
async fn a_failing_endpoint_is_switched_off_and_the_dashboard_says_so(db: Db) {
    let Some(app) = spawn(db, fragile).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let receiver = Receiver::start(usize::MAX).await;
    let id = register(&app, &editor, &receiver, &["COMPARISON_PUBLISHED"]).await;
    publish_comparison(&app, &editor, "first-failing").await;
    publish_comparison(&app, &editor, "second-failing").await;
    let start = std::time::Instant::now();
    let listed = loop {
        let listed = endpoints(&app, &editor).await;
        if listed[0]["enabled"] == false {
            break listed;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{listed}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(receiver.received().len(), 4, "two attempts per delivery");
    let endpoint = &listed[0];
    assert!(
        endpoint["disabledReason"]
            .as_str()
            .unwrap()
            .contains("after 2 deliveries in a row failed every attempt"),
        "{endpoint}"
    );
    for delivery in endpoint["deliveries"]["nodes"].as_array().unwrap() {
        assert_eq!(delivery["status"], "FAILED", "{delivery}");
    }
    let response = editor
        .get(format!("{}/admin", app.address))
        .send()
        .await
        .expect("the dashboard");
    let html = response.text().await.expect("HTML");
    assert!(
        html.contains("data-testid=\"webhooks-switched-off\""),
        "{html}"
    );
    assert!(
        html.contains(&receiver.url),
        "the notice names the endpoint"
    );

    // Switched on and sent again, it arrives.
    receiver.refuse_next(0);
    let data = ok(
        &app,
        &editor,
        "mutation($id: ID!) { updateWebhookEndpoint(id: $id, enabled: true) { enabled disabledReason } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(data["updateWebhookEndpoint"]["enabled"], true);
    assert!(data["updateWebhookEndpoint"]["disabledReason"].is_null());
    let delivery = endpoint["deliveries"]["nodes"][0]["id"].clone();
    let data = ok(
        &app,
        &editor,
        "mutation($d: ID!) { redeliverWebhook(deliveryId: $d) { status } }",
        json!({ "d": delivery }),
    )
    .await;
    assert_eq!(data["redeliverWebhook"]["status"], "PENDING");
    receiver
        .wait_for(Duration::from_secs(10), |r| {
            r.iter().any(|d| d.answered == 200)
        })
        .await;
    let html = editor
        .get(format!("{}/admin", app.address))
        .send()
        .await
        .expect("the dashboard")
        .text()
        .await
        .expect("HTML");
    assert!(
        !html.contains("data-testid=\"webhooks-switched-off\""),
        "switched on again, no notice"
    );
}

/// The webhooks page lists the endpoint and its deliveries with their
/// attempts; its forms work without JavaScript (register, showing the
/// secret once; switch off; send again); a post from another site, or
/// without a session, changes nothing.
async fn the_admin_page_and_its_forms_work_without_javascript(db: Db) {
    let Some(app) = spawn(db, fast).await else {
        return;
    };
    let editor = signed_in(&app).await;
    // The browser's side: the same editor's session, redirects not followed.
    let browser = TestApp::new_client();
    app.sign_in_as(
        &browser,
        "ed@verdicts.example",
        "a long and secret passphrase",
    )
    .await;
    let receiver = Receiver::start(0).await;
    let post = |client: &reqwest::Client, path: &str, form: Vec<(&str, String)>| {
        client
            .post(format!("{}{path}", app.address))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                form.iter()
                    .map(|(k, v)| format!("{k}={}", urlencode(v)))
                    .collect::<Vec<_>>()
                    .join("&"),
            )
            .send()
    };
    // This site's form (a browser's post from the page, or a script's).
    let response = post(
        &browser,
        "/admin/webhooks",
        vec![
            ("url", receiver.url.clone()),
            ("events", "COMPARISON_PUBLISHED".into()),
        ],
    )
    .await
    .expect("an answer");
    assert_eq!(
        response.status().as_u16(),
        201,
        "this site's form registers"
    );
    let html = response.text().await.expect("HTML");
    let secret = html
        .split("<code>")
        .find_map(|part| part.strip_prefix("whsec_"))
        .and_then(|rest| rest.split('<').next())
        .map(|rest| format!("whsec_{rest}"))
        .expect("the secret is shown");
    receiver.set_secret(&secret);
    let foreign = browser
        .post(format!("{}/admin/webhooks", app.address))
        .header("origin", "https://evil.example")
        .header("sec-fetch-site", "cross-site")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(format!(
            "url={}&events=TOOL_SCORE_MOVED",
            urlencode(&receiver.url)
        ))
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        foreign.status().as_u16(),
        403,
        "another site's form is refused"
    );
    let anonymous = post(
        &TestApp::new_client(),
        "/admin/webhooks",
        vec![
            ("url", receiver.url.clone()),
            ("events", "TOOL_SCORE_MOVED".into()),
        ],
    )
    .await
    .expect("an answer");
    assert_eq!(anonymous.status().as_u16(), 303, "to the sign-in page");
    let listed = endpoints(&app, &editor).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    let id = listed[0]["id"].as_str().unwrap().to_owned();

    publish_comparison(&app, &editor, "paged-pair").await;
    receiver
        .wait_for(Duration::from_secs(10), |r| {
            r.iter().any(|d| d.answered == 200)
        })
        .await;
    // The server records the answer just after the receiver has it.
    for _ in 0..100 {
        if endpoints(&app, &editor).await[0]["deliveries"]["nodes"][0]["status"] == "DELIVERED" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (status, html) = {
        let response = editor
            .get(format!("{}/admin/webhooks", app.address))
            .send()
            .await
            .expect("the page");
        (
            response.status().as_u16(),
            response.text().await.expect("HTML"),
        )
    };
    assert_eq!(status, 200);
    assert!(html.contains(&receiver.url), "the endpoint is listed");
    assert!(
        html.contains("data-delivery-status=\"delivered\""),
        "{html}"
    );
    assert!(html.contains("comparison.published") && html.contains("HTTP 200"));
    assert!(html.contains("Send again"));
    assert!(!html.contains(&secret), "the secret is never shown again");

    // Switch off, then send the delivery again: it waits while off.
    let response = post(
        &browser,
        "/admin/webhooks/update",
        vec![("id", id.clone()), ("enabled", "false".into())],
    )
    .await
    .expect("an answer");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(endpoints(&app, &editor).await[0]["enabled"], false);
    let delivery = endpoints(&app, &editor).await[0]["deliveries"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = post(
        &browser,
        "/admin/webhooks/redeliver",
        vec![("delivery", delivery)],
    )
    .await
    .expect("an answer");
    assert_eq!(response.status().as_u16(), 303);
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        receiver.received().len(),
        1,
        "nothing goes to a switched-off endpoint"
    );
    post(
        &browser,
        "/admin/webhooks/update",
        vec![("id", id.clone()), ("enabled", "true".into())],
    )
    .await
    .expect("an answer");
    receiver
        .wait_for(Duration::from_secs(10), |r| r.len() == 2)
        .await;
    let received = receiver.received();
    assert_eq!(received[0].id, received[1].id, "sent again: the same event");
    let response = post(
        &browser,
        "/admin/webhooks/update",
        vec![("id", "x".into()), ("enabled", "true".into())],
    )
    .await
    .expect("an answer");
    assert_eq!(response.status().as_u16(), 400, "a bad id is a 400");
    let response = post(&browser, "/admin/webhooks/delete", vec![("id", id)])
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(endpoints(&app, &editor).await, json!([]));
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The delivery task wakes on every event any editor writes (in this test
/// process, the other tests' too) and reads the outbox: its statements are
/// counted apart, so that what a request costs stays measurable.
async fn the_delivery_task_s_statements_are_not_counted_as_requests(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let background = |metrics: &str| -> u64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix("verdicts_sql_background_statements_total "))
            .and_then(|n| n.trim().parse().ok())
            .expect("the background statements counter")
    };
    let (_, metrics) = app.get("/metrics").await;
    let (requests, tasks) = (app.statements().await, background(&metrics));
    for _ in 0..10 {
        server::domain::webhooks::wake();
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let (_, metrics) = app.get("/metrics").await;
    assert!(
        background(&metrics) > tasks,
        "the woken task read the outbox: {metrics}"
    );
    assert_eq!(
        app.statements().await,
        requests,
        "no request ran a statement"
    );
}

on_both_databases!(
    the_delivery_task_s_statements_are_not_counted_as_requests,
    a_refused_delivery_is_retried_and_every_attempt_is_visible,
    the_admin_page_and_its_forms_work_without_javascript,
    a_flipped_verdict_is_an_event,
    votes_make_the_community_score_available_then_move_it,
    unsafe_endpoints_and_strangers_are_refused,
    a_failing_endpoint_is_switched_off_and_the_dashboard_says_so,
);

/// Two `verdicts` processes on one PostgreSQL database, one endpoint: every
/// event, whichever instance wrote it, arrives exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_postgres_deliver_each_event_once() {
    tests::within_time_limit(async {
        let Some(first) = spawn(Db::Postgres, fast).await else {
            return;
        };
        let port = tests::process::free_port();
        let second = format!("http://127.0.0.1:{port}");
        let mut command = tests::process::serve_command(&first.database_url, port);
        command
            .env("WEBHOOKS_ALLOW_PRIVATE", "true")
            .env("WEBHOOK_POLL_MS", "100")
            .env("WEBHOOK_SCORE_DEBOUNCE_SECS", "0")
            .env("PUBLIC_URL", PUBLIC_URL);
        let _process = command.spawn().expect("the second instance starts");
        tests::process::wait_until_ready(&second).await;
        let editor = signed_in(&first).await;
        let receiver = Receiver::start(0).await;
        register(&first, &editor, &receiver, &["COMPARISON_UPDATED"]).await;
        let pair = publish_comparison(&first, &editor, "twice-told").await;
        // The second instance's session: sign in there too.
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert("x-verdicts-csrf", "1".parse().expect("a header"));
        let other = reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .build()
            .expect("a client");
        let body: Value = other
            .post(format!("{second}/graphql"))
            .json(&json!({ "query": "mutation($p: String!) { signIn(email: \"ed@verdicts.example\", password: $p) { email } }",
                           "variables": { "p": "a long and secret passphrase" } }))
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
        assert!(body["errors"].is_null(), "{body}");
        const EVENTS: usize = 40;
        for n in 0..EVENTS {
            let (client, address) = if n % 2 == 0 {
                (&editor, first.address.as_str())
            } else {
                (&other, second.as_str())
            };
            let body: Value = client
                .post(format!("{address}/graphql"))
                .json(&json!({
                    "query": "mutation($i: ComparisonInput!) { updateComparison(slug: \"twice-told\", input: $i) { slug } }",
                    "variables": { "i": { "slug": "twice-told", "title": format!("Edit {n}"), "summary": "A summary.",
                                          "left": pair["left"], "right": pair["right"] } }
                }))
                .send()
                .await
                .expect("an answer")
                .json()
                .await
                .expect("JSON");
            assert!(body["errors"].is_null(), "{body}");
        }
        receiver
            .wait_for(Duration::from_secs(30), |r| r.len() >= EVENTS)
            .await;
        // Time for a duplicate to arrive, if there were one.
        tokio::time::sleep(Duration::from_secs(2)).await;
        let received = receiver.received();
        let mut ids: Vec<&str> = received.iter().map(|d| d.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), EVENTS, "every event arrived");
        assert_eq!(received.len(), EVENTS, "none arrived twice");
        assert!(received.iter().all(|d| d.verified && d.answered == 200));
    })
    .await;
}
