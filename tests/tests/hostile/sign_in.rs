//! Editors' sign-in: a real POST form that works without JavaScript and
//! refuses other sites, a throttle that counts before it verifies (per
//! account and address, so an attack does not lock the editor out), Argon2
//! off the async workers, and a CSRF refusal that says what is required.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tests::{on_both_databases, Db, TestApp};

const EMAIL: &str = "editor@verdicts.example";
const PASSWORD: &str = "correct horse battery staple";
const SIGN_IN: &str =
    "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }";
const ATTACKER: &str = "203.0.113.7";

async fn editor(app: &TestApp) {
    server::domain::editors::create_editor(&app.db, EMAIL, PASSWORD)
        .await
        .expect("create the editor");
}

/// `signIn` over GraphQL from `address`; the status and the error code.
async fn sign_in_from(
    app: &TestApp,
    client: &reqwest::Client,
    address: &str,
    password: &str,
) -> (u16, Option<String>) {
    let response = client
        .post(format!("{}/graphql", app.address))
        .header("x-verdicts-csrf", "1")
        .header("x-forwarded-for", address)
        .json(&json!({ "query": SIGN_IN, "variables": { "e": EMAIL, "p": password } }))
        .send()
        .await
        .expect("an answer");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON");
    let code = body["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned);
    (status, code)
}

/// POSTs the sign-in form as a browser on this site would.
async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client.post(format!("{}{path}", app.address)).form(fields);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("an answer")
}

fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

async fn sign_in_form_without_javascript_posts_and_signs_in(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    editor(&app).await;
    let (status, html) = app.get("/admin/sign-in").await;
    assert_eq!(status, 200);
    let form = html
        .split("<form")
        .find(|f| f.contains("admin-form"))
        .expect("the sign-in form");
    let form = &form[..form.find('>').unwrap_or(form.len())];
    assert!(
        form.contains(r#"method="post""#) && form.contains(r#"action="/admin/sign-in""#),
        "a POST form: <form{form}>"
    );

    let browser = TestApp::new_client();
    let same_site = [
        ("origin", app.address.as_str()),
        ("sec-fetch-site", "same-origin"),
    ];
    let wrong = post_form(
        &app,
        &browser,
        "/admin/sign-in",
        &[("email", EMAIL), ("password", "not the password")],
        &same_site,
    )
    .await;
    assert_eq!(wrong.status().as_u16(), 303);
    let back = location(&wrong);
    assert_eq!(back, "/admin/sign-in?error=wrong");
    let (_, page) = app.get(&back).await;
    assert!(
        page.contains("That e-mail and password do not match."),
        "{page}"
    );

    let right = post_form(
        &app,
        &browser,
        "/admin/sign-in",
        &[("email", EMAIL), ("password", PASSWORD)],
        &same_site,
    )
    .await;
    assert_eq!(right.status().as_u16(), 303);
    assert_eq!(location(&right), "/admin");
    let cookie = right
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("verdicts_session="))
        .expect("a session cookie")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let dashboard = browser
        .get(format!("{}/admin", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(dashboard.status().as_u16(), 200);
    let dashboard = dashboard.text().await.expect("HTML");
    assert!(dashboard.contains(EMAIL), "signed in");
    assert!(
        dashboard.contains("<noscript>") && dashboard.contains("need JavaScript"),
        "the admin says what needs JavaScript"
    );
    assert!(
        dashboard.contains(r#"action="/admin/sign-out""#),
        "signing out is a form too"
    );

    let out = post_form(&app, &browser, "/admin/sign-out", &[], &same_site).await;
    assert_eq!(out.status().as_u16(), 303);
    assert_eq!(location(&out), "/admin/sign-in");
    let after = browser
        .get(format!("{}/admin", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(after.status().as_u16(), 303, "signed out");
}

async fn sign_in_form_from_another_site_is_refused(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    editor(&app).await;
    let fields = [("email", EMAIL), ("password", PASSWORD)];
    for headers in [
        vec![("origin", "https://evil.example")],
        vec![("origin", "null")],
        vec![
            ("sec-fetch-site", "cross-site"),
            ("origin", "https://evil.example"),
        ],
        vec![("sec-fetch-site", "same-site")],
    ] {
        let response = post_form(
            &app,
            &TestApp::new_client(),
            "/admin/sign-in",
            &fields,
            &headers,
        )
        .await;
        assert_eq!(response.status().as_u16(), 403, "{headers:?}");
        assert!(
            response.headers().get("set-cookie").is_none(),
            "no session from another site: {headers:?}"
        );
    }
    let response = post_form(
        &app,
        &TestApp::new_client(),
        "/admin/sign-out",
        &[],
        &[("origin", "https://evil.example")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 403);
}

async fn sign_in_concurrent_wrong_passwords_verify_at_most_the_limit(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    editor(&app).await;
    let attempts = (0..48).map(|i| {
        let app = &app;
        async move {
            let client = TestApp::new_client();
            sign_in_from(app, &client, ATTACKER, &format!("guess number {i}")).await
        }
    });
    let outcomes = futures::future::join_all(attempts).await;
    let checked = outcomes
        .iter()
        .filter(|(status, code)| *status == 401 && code.as_deref() == Some("UNAUTHENTICATED"))
        .count();
    let refused = outcomes
        .iter()
        .filter(|(status, code)| *status == 429 && code.as_deref() == Some("RATE_LIMITED"))
        .count();
    assert_eq!(checked + refused, 48, "{outcomes:?}");
    assert!(checked <= 5, "{checked} passwords checked; the limit is 5");
    assert!(checked >= 1, "the first guesses are checked");

    // The attacker's address stays locked, even with the right password…
    let (status, _) = sign_in_from(&app, &TestApp::new_client(), ATTACKER, PASSWORD).await;
    assert_eq!(status, 429);
    // …while the editor, from their own address, gets in.
    let (status, code) =
        sign_in_from(&app, &TestApp::new_client(), "198.51.100.23", PASSWORD).await;
    assert_eq!((status, code), (200, None));
}

async fn sign_in_during_an_attack_from_many_addresses_keeps_healthz_fast_and_the_editor_in(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    editor(&app).await;
    let attack = futures::future::join_all((0..200u32).map(|i| {
        let app = &app;
        async move {
            let address = format!("10.{}.{}.{}", i / 250, i % 250, 7);
            // The form: no GraphQL request timeout to hide a slow queue.
            let response = post_form(
                app,
                &TestApp::new_client(),
                "/admin/sign-in",
                &[("email", EMAIL), ("password", "a wrong guess")],
                &[("x-forwarded-for", address.as_str())],
            )
            .await;
            (response.status().as_u16(), location(&response))
        }
    }));
    let probe = async {
        let client = reqwest::Client::new();
        let mut slowest = Duration::ZERO;
        let mut statuses = Vec::new();
        for _ in 0..40 {
            let start = Instant::now();
            let status = client
                .get(format!("{}/healthz", app.address))
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0);
            slowest = slowest.max(start.elapsed());
            statuses.push(status);
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
        (slowest, statuses)
    };
    let (outcomes, (slowest, statuses)) = tokio::join!(attack, probe);
    assert!(statuses.iter().all(|s| *s == 200), "/healthz: {statuses:?}");
    assert!(
        // Argon2 on the async workers held it for seconds; the bound is
        // generous for a loaded 2-core machine running other tests.
        slowest < Duration::from_secs(2),
        "/healthz took {slowest:?} during 200 sign-ins"
    );
    assert!(
        outcomes
            .iter()
            .all(|(status, to)| *status == 303 && to == "/admin/sign-in?error=wrong"),
        "every guess checked and refused, none failed: {outcomes:?}"
    );
    // 200 failures put the account under attack; an address that has not
    // failed still gets in with the right password.
    let (status, code) =
        sign_in_from(&app, &TestApp::new_client(), "198.51.100.23", PASSWORD).await;
    assert_eq!((status, code), (200, None));
}

async fn sign_in_without_the_csrf_header_says_what_is_required(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body: Value = TestApp::new_client()
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": SIGN_IN, "variables": { "e": EMAIL, "p": PASSWORD } }))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("x-verdicts-csrf") && !message.contains("session cookie"),
        "no cookie was sent; say what is required: {message}"
    );
}

async fn sign_in_with_control_characters_is_refused_not_a_500(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    for email in [
        "ed\u{0}@verdicts.example",
        "ed@verdicts.example\r\nBcc: x@y",
    ] {
        let response = TestApp::new_client()
            .post(format!("{}/graphql", app.address))
            .header("x-verdicts-csrf", "1")
            .json(&json!({ "query": SIGN_IN, "variables": { "e": email, "p": PASSWORD } }))
            .send()
            .await
            .expect("an answer");
        assert!(response.status().as_u16() < 500, "{email:?}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
            "{email:?}: {body}"
        );
    }
}

on_both_databases!(
    sign_in_with_control_characters_is_refused_not_a_500,
    sign_in_form_without_javascript_posts_and_signs_in,
    sign_in_form_from_another_site_is_refused,
    sign_in_concurrent_wrong_passwords_verify_at_most_the_limit,
    sign_in_during_an_attack_from_many_addresses_keeps_healthz_fast_and_the_editor_in,
    sign_in_without_the_csrf_header_says_what_is_required,
);
