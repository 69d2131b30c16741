//! The smaller findings: the startup line leaked part of a password with an
//! `@` in it, `/metrics` was public, and mail scanners that open links
//! confirmed and unsubscribed readers.

use entities::{outbox_mail, subscriber, SubscriberStatus};
use sea_orm::{EntityTrait, QueryOrder};
use serde_json::json;
use tests::{on_both_databases, Db, SpawnOptions, TestApp, PUBLIC_URL};

#[test]
fn startup_line_with_at_signs_in_passwords_masks_all_of_them() {
    let mut config = server::config::Config::defaults();
    config.database_url = "postgres://app:se@cr@et@db.internal/verdicts".to_owned();
    config.smtp_url = Some("smtp://mailer:t-part1@t-part2@mail.example:587".to_owned());
    config.metrics_token = Some("metrics-s3cret".to_owned());
    let line = format!("{config:?}");
    for secret in ["se@cr", "cr@et", "t-part1", "t-part2", "metrics-s3cret"] {
        assert!(!line.contains(secret), "{secret} leaked: {line}");
    }
    assert!(
        line.contains("postgres://app:********@db.internal/verdicts"),
        "{line}"
    );
    assert!(
        line.contains("smtp://mailer:********@mail.example:587"),
        "{line}"
    );
}

async fn metrics_with_a_token_set_refuses_requests_without_it() {
    let Some(app) = TestApp::spawn_with(
        Db::Sqlite,
        SpawnOptions {
            configure: |c| c.metrics_token = Some("metrics-s3cret".to_owned()),
            ..SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let client = reqwest::Client::new();
    for authorization in [
        None,
        Some("Bearer wrong"),
        Some("metrics-s3cret"),
        Some("Bearer metrics-s3cre"),
    ] {
        let mut request = client.get(format!("{}/metrics", app.address));
        if let Some(value) = authorization {
            request = request.header("authorization", value);
        }
        let response = request.send().await.expect("an answer");
        assert_eq!(response.status().as_u16(), 401, "{authorization:?}");
        let body = response.text().await.expect("a body");
        assert!(!body.contains("verdicts_sql_statements_total"), "{body}");
    }
    let response = client
        .get(format!("{}/metrics", app.address))
        .bearer_auth("metrics-s3cret")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    assert!(response
        .text()
        .await
        .expect("a body")
        .contains("verdicts_sql_statements_total"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_with_a_token_set_refuses_requests_without_it_sqlite() {
    tests::within_time_limit(metrics_with_a_token_set_refuses_requests_without_it()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_without_a_token_stays_readable_for_tools() {
    tests::within_time_limit(async {
        let Some(app) = TestApp::spawn(Db::Sqlite).await else {
            return;
        };
        assert!(app.statements().await > 0);
    })
    .await;
}

async fn status_of(app: &TestApp) -> SubscriberStatus {
    subscriber::Entity::find()
        .one(&app.db)
        .await
        .expect("the subscribers")
        .expect("one subscriber")
        .status
}

/// The path and query of the link in the newest mail that starts with `prefix`.
async fn link(app: &TestApp, prefix: &str) -> String {
    let mail = outbox_mail::Entity::find()
        .order_by_desc(outbox_mail::Column::Id)
        .one(&app.db)
        .await
        .expect("the outbox")
        .expect("a mail");
    let prefix = format!("{PUBLIC_URL}{prefix}");
    let start = mail.body.find(&prefix).expect("the link");
    let link: String = mail.body[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    link.strip_prefix(PUBLIC_URL)
        .expect("a public link")
        .to_owned()
}

/// What a mail scanner does: opens the link and follows every redirect.
/// Returns the page it ends on.
async fn scan(app: &TestApp, path: &str) -> String {
    let scanner = reqwest::Client::new();
    let response = scanner
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200, "{path}");
    response.text().await.expect("HTML")
}

/// The hidden token of the page's button form, and where it posts.
fn button_form(html: &str) -> (String, String) {
    let form = html
        .split("<form")
        .find(|f| f.contains("newsletter-ask"))
        .unwrap_or_else(|| panic!("a button that asks first:\n{html}"));
    let attribute = |text: &str, name: &str| -> String {
        let start = text.find(&format!("{name}=\"")).expect(name) + name.len() + 2;
        text[start..].chars().take_while(|c| *c != '"').collect()
    };
    let action = attribute(form, "action");
    assert!(attribute(form, "method").eq_ignore_ascii_case("post"));
    let hidden = form
        .split("<input")
        .find(|i| i.contains("name=\"token\""))
        .expect("the token field");
    (action, attribute(hidden, "value"))
}

async fn newsletter_links_opened_by_a_scanner_change_nothing_until_the_button(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    app.gql(
        "mutation($email: String!) { subscribe(email: $email) { email } }",
        json!({ "email": "reader@example.com" }),
    )
    .await;
    let confirm = link(&app, "/newsletter/confirm?token=").await;
    let page = scan(&app, &confirm).await;
    assert_eq!(
        status_of(&app).await,
        SubscriberStatus::Pending,
        "opening confirmed"
    );
    let (action, token) = button_form(&page);
    assert_eq!(action, "/newsletter/confirm");
    let pressed = app
        .client
        .post(format!("{}{action}", app.address))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("an answer");
    assert_eq!(pressed.status().as_u16(), 303);
    assert_eq!(
        pressed
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/newsletter?state=confirmed")
    );
    assert_eq!(status_of(&app).await, SubscriberStatus::Confirmed);

    let unsubscribe = link(&app, "/newsletter/unsubscribe?token=").await;
    let page = scan(&app, &unsubscribe).await;
    assert_eq!(
        status_of(&app).await,
        SubscriberStatus::Confirmed,
        "opening unsubscribed"
    );
    let (action, token) = button_form(&page);
    assert_eq!(action, "/newsletter/unsubscribe");
    let pressed = app
        .client
        .post(format!("{}{action}", app.address))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        pressed
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/newsletter?state=unsubscribed")
    );
    assert_eq!(status_of(&app).await, SubscriberStatus::Unsubscribed);

    // RFC 8058's one-click POST acts at once, as before.
    let one_click = app
        .client
        .post(format!("{}{unsubscribe}", app.address))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .expect("an answer");
    assert_eq!(one_click.status().as_u16(), 200);
}

on_both_databases!(newsletter_links_opened_by_a_scanner_change_nothing_until_the_button);
