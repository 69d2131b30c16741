//! Editors: accounts, sessions, CSRF, throttling and API tokens.

use serde_json::{json, Value};
use tests::{on_both_databases, Db, TestApp};

use crate::error_code;

const EMAIL: &str = "Editor@Verdicts.example";
const PASSWORD: &str = "correct horse battery staple";
const SIGN_IN: &str =
    "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }";

async fn post(
    client: &reqwest::Client,
    app: &TestApp,
    query: &str,
    variables: Value,
    headers: &[(&str, &str)],
) -> (u16, Value) {
    let mut request = client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": query, "variables": variables }));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("an answer");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON"))
}

const CSRF: [(&str, &str); 1] = [("x-verdicts-csrf", "1")];

async fn editor(app: &TestApp) {
    server::domain::editors::create_editor(&app.db, EMAIL, PASSWORD)
        .await
        .expect("create the editor");
}

async fn sign_in_sets_a_session_that_me_reads_and_sign_out_ends(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    editor(&app).await;
    let client = TestApp::new_client();
    let (_, me) = post(&client, &app, "{ me { email } }", json!({}), &[]).await;
    assert_eq!(me["data"]["me"], Value::Null);

    let response = client
        .post(format!("{}/graphql", app.address))
        .header("x-verdicts-csrf", "1")
        .json(&json!({ "query": SIGN_IN, "variables": { "e": "editor@verdicts.example", "p": PASSWORD } }))
        .send()
        .await
        .expect("an answer");
    let cookie = response
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
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(body["data"]["signIn"]["email"], "editor@verdicts.example");

    let (_, me) = post(&client, &app, "{ me { email } }", json!({}), &[]).await;
    assert_eq!(me["data"]["me"]["email"], "editor@verdicts.example");
    let stolen = cookie.split(';').next().expect("name=value").to_owned();

    let (_, out) = post(&client, &app, "mutation { signOut }", json!({}), &CSRF).await;
    assert_eq!(out["data"]["signOut"], true);
    let (_, me) = post(&client, &app, "{ me { email } }", json!({}), &[]).await;
    assert_eq!(me["data"]["me"], Value::Null);
    // The old cookie is dead on the server, not just cleared in the browser.
    let (_, me) = post(
        &reqwest::Client::new(),
        &app,
        "{ me { email } }",
        json!({}),
        &[("cookie", &stolen)],
    )
    .await;
    assert_eq!(me["data"]["me"], Value::Null);
}

async fn wrong_passwords_and_unknown_emails_fail_alike_and_are_throttled(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    editor(&app).await;
    let client = TestApp::new_client();
    let (status, wrong) = post(
        &client,
        &app,
        SIGN_IN,
        json!({ "e": EMAIL, "p": "not the password" }),
        &CSRF,
    )
    .await;
    let (_, unknown) = post(
        &client,
        &app,
        SIGN_IN,
        json!({ "e": "nobody@verdicts.example", "p": "whatever it is" }),
        &CSRF,
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&wrong), Some("UNAUTHENTICATED"));
    assert_eq!(
        wrong["errors"][0]["message"], unknown["errors"][0]["message"],
        "no hint whether the e-mail exists"
    );
    for _ in 0..4 {
        post(
            &client,
            &app,
            SIGN_IN,
            json!({ "e": EMAIL, "p": "still not it" }),
            &CSRF,
        )
        .await;
    }
    // Five failures: even the right password waits now.
    let (status, throttled) = post(
        &client,
        &app,
        SIGN_IN,
        json!({ "e": EMAIL, "p": PASSWORD }),
        &CSRF,
    )
    .await;
    assert_eq!(status, 429, "{throttled}");
    assert_eq!(error_code(&throttled), Some("RATE_LIMITED"));
}

async fn a_cross_site_form_post_cannot_act_with_the_session(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    editor(&app).await;
    let client = TestApp::new_client();
    post(
        &client,
        &app,
        SIGN_IN,
        json!({ "e": EMAIL, "p": PASSWORD }),
        &CSRF,
    )
    .await;
    // What a hostile page's form or fetch can send: the cookie, but no custom header.
    let (_, forged) = post(
        &client,
        &app,
        "mutation { createApiToken(name: \"evil\") { secret } }",
        json!({}),
        &[],
    )
    .await;
    assert_eq!(error_code(&forged), Some("FORBIDDEN"), "{forged}");
    let form = client
        .post(format!("{}/graphql", app.address))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("query=mutation%20%7B%20createApiToken(name%3A%20%22evil%22)%20%7B%20secret%20%7D%20%7D")
        .send()
        .await
        .expect("an answer");
    assert!(
        form.status().is_client_error(),
        "a form-encoded body is not GraphQL here"
    );
    let (_, sign_in) = post(
        &TestApp::new_client(),
        &app,
        SIGN_IN,
        json!({ "e": EMAIL, "p": PASSWORD }),
        &[],
    )
    .await;
    assert_eq!(
        error_code(&sign_in),
        Some("FORBIDDEN"),
        "sign-in needs the header too"
    );
    let (_, tokens) = post(&client, &app, "{ apiTokens { name } }", json!({}), &[]).await;
    assert_eq!(
        tokens["data"]["apiTokens"],
        json!([]),
        "nothing was created"
    );
}

async fn api_tokens_authenticate_until_revoked(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    editor(&app).await;
    let client = TestApp::new_client();
    post(
        &client,
        &app,
        SIGN_IN,
        json!({ "e": EMAIL, "p": PASSWORD }),
        &CSRF,
    )
    .await;
    let (_, created) = post(
        &client,
        &app,
        "mutation { createApiToken(name: \"dashboard\") { token { id name } secret } }",
        json!({}),
        &CSRF,
    )
    .await;
    let secret = created["data"]["createApiToken"]["secret"]
        .as_str()
        .expect("a secret")
        .to_owned();
    let id = created["data"]["createApiToken"]["token"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    assert!(secret.starts_with("vt_"));
    let bearer = format!("Bearer {secret}");
    let robot = reqwest::Client::new();
    let (_, me) = post(
        &robot,
        &app,
        "{ me { email } apiTokens { name lastUsedAt } }",
        json!({}),
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(me["data"]["me"]["email"], "editor@verdicts.example");
    assert_eq!(me["data"]["apiTokens"][0]["name"], "dashboard");
    let (_, anomalies) = post(
        &robot,
        &app,
        "{ voteAnomalies { kind } }",
        json!({}),
        &[("authorization", &bearer)],
    )
    .await;
    assert!(
        anomalies["errors"].is_null(),
        "editors can read anomalies: {anomalies}"
    );

    let (_, revoked) = post(
        &client,
        &app,
        "mutation($id: ID!) { revokeApiToken(id: $id) { revokedAt } }",
        json!({ "id": id }),
        &CSRF,
    )
    .await;
    assert!(
        revoked["data"]["revokeApiToken"]["revokedAt"].is_string(),
        "{revoked}"
    );
    let (status, refused) = post(
        &robot,
        &app,
        "{ me { email } }",
        json!({}),
        &[("authorization", &bearer)],
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(error_code(&refused), Some("UNAUTHENTICATED"));
    let (status, _) = post(
        &robot,
        &app,
        "{ me { email } }",
        json!({}),
        &[("authorization", "Bearer vt_made_up")],
    )
    .await;
    assert_eq!(status, 401);
    // A 401 says how to authenticate (RFC 9110).
    let response = robot
        .post(format!("{}/graphql", app.address))
        .header("authorization", "Bearer vt_made_up")
        .json(&json!({ "query": "{ me { email } }" }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(
        response.headers()["www-authenticate"],
        "Bearer realm=\"Verdicts\""
    );
}

async fn editor_reads_are_refused_without_credentials(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    for query in ["{ apiTokens { name } }", "{ voteAnomalies { kind } }"] {
        let (_, body) = post(&TestApp::new_client(), &app, query, json!({}), &[]).await;
        assert_eq!(
            error_code(&body),
            Some("UNAUTHENTICATED"),
            "{query}: {body}"
        );
    }
    let (_, body) = post(
        &TestApp::new_client(),
        &app,
        "mutation { createApiToken(name: \"x\") { secret } }",
        json!({}),
        &CSRF,
    )
    .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"));
}

on_both_databases!(
    sign_in_sets_a_session_that_me_reads_and_sign_out_ends,
    wrong_passwords_and_unknown_emails_fail_alike_and_are_throttled,
    a_cross_site_form_post_cannot_act_with_the_session,
    api_tokens_authenticate_until_revoked,
    editor_reads_are_refused_without_credentials,
);
