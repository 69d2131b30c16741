//! The weekly verdicts: double opt-in, the links in mails, the digest, the
//! no-JavaScript form, rate limits, the editors' outbox and SMTP delivery.

use chrono::{TimeZone, Utc};
use entities::{outbox_mail, subscriber, MailKind, SubscriberStatus};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use serde_json::{json, Value};
use tests::{on_both_databases, smtp::FakeSmtp, Db, SpawnOptions, TestApp, PUBLIC_URL};

use crate::error_code;

const SUBSCRIBE: &str = "mutation($email: String!) { subscribe(email: $email) { email message } }";

async fn subscribe(app: &TestApp, email: &str) -> Value {
    app.gql(SUBSCRIBE, json!({ "email": email })).await
}

async fn subscribers(app: &TestApp) -> Vec<subscriber::Model> {
    subscriber::Entity::find()
        .order_by_asc(subscriber::Column::Id)
        .all(&app.db)
        .await
        .expect("the subscribers")
}

async fn mails(app: &TestApp) -> Vec<outbox_mail::Model> {
    outbox_mail::Entity::find()
        .order_by_asc(outbox_mail::Column::Id)
        .all(&app.db)
        .await
        .expect("the outbox")
}

/// The path and query of the link in `body` that starts with `prefix`.
fn link_in(body: &str, prefix: &str) -> String {
    let start = body
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} link in:\n{body}"));
    let link: String = body[start..]
        .chars()
        .take_while(|c| !c.is_whitespace())
        .collect();
    link.strip_prefix(PUBLIC_URL)
        .expect("links use the public address")
        .to_owned()
}

/// Follows a link without following its redirect: the `Location`.
async fn follow(app: &TestApp, path: &str) -> String {
    let response = app
        .client
        .get(format!("{}{path}", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 303, "{path}");
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a Location")
        .to_owned()
}

/// Opens a mail's confirm or unsubscribe link, which only shows a page that
/// asks, then presses its button (a POST with the token): the `Location`.
async fn press(app: &TestApp, path: &str) -> String {
    let (action, token) = path.split_once("?token=").expect("a link with a token");
    let kind = action.rsplit('/').next().unwrap_or_default();
    assert_eq!(
        follow(app, path).await,
        format!("/newsletter?{kind}={token}"),
        "opening the link only asks"
    );
    let response = app
        .client
        .post(format!("{}{action}", app.address))
        .form(&[("token", token)])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 303, "{path}");
    response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a Location")
        .to_owned()
}

/// Sunday after the demo's newest comparison (2026-11-21): one comparison
/// in the last seven days.
fn digest_day() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 8, 0, 0).unwrap()
}

async fn digest(
    app: &TestApp,
    now: chrono::DateTime<Utc>,
) -> server::domain::newsletter::DigestSummary {
    let mailing = server::domain::newsletter::Mailing::new(PUBLIC_URL, 10);
    server::domain::newsletter::write_digest(&app.db, &mailing, now)
        .await
        .expect("the digest is written")
}

async fn a_reader_subscribes_confirms_gets_the_digest_and_unsubscribes(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = subscribe(&app, "  Reader@Example.COM ").await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"]["subscribe"]["email"], "reader@example.com");
    let message = body["data"]["subscribe"]["message"].as_str().unwrap_or("");
    assert!(message.contains("Check your inbox"), "{message}");

    // Subscribing again says the same and writes nothing new.
    let again = subscribe(&app, "reader@example.com").await;
    assert_eq!(again["data"]["subscribe"]["message"], message);
    let rows = subscribers(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, SubscriberStatus::Pending);
    let outbox = mails(&app).await;
    assert_eq!(outbox.len(), 1, "one confirmation mail, not two");
    let confirmation = &outbox[0];
    assert_eq!(confirmation.kind, MailKind::Confirmation);
    assert_eq!(confirmation.to_address, "reader@example.com");
    assert!(confirmation.subject.contains("Confirm"));
    assert!(confirmation
        .list_unsubscribe
        .starts_with(&format!("{PUBLIC_URL}/newsletter/unsubscribe?token=")));
    assert!(
        confirmation.body.contains(&confirmation.list_unsubscribe),
        "every mail carries the unsubscribe link"
    );

    // Not confirmed yet: no digest.
    let summary = digest(&app, digest_day()).await;
    assert_eq!((summary.comparisons, summary.written), (1, 0));

    let confirm = link_in(
        &confirmation.body,
        &format!("{PUBLIC_URL}/newsletter/confirm?token="),
    );
    assert_eq!(press(&app, &confirm).await, "/newsletter?state=confirmed");
    let (status, html) = app.get("/newsletter?state=confirmed").await;
    assert_eq!(status, 200);
    assert!(html.contains("You are subscribed"));
    assert_eq!(
        subscribers(&app).await[0].status,
        SubscriberStatus::Confirmed
    );
    // The link is single-use, and a confirmed reader who subscribes again gets no mail.
    assert_eq!(press(&app, &confirm).await, "/newsletter?state=bad-link");
    subscribe(&app, "reader@example.com").await;
    assert_eq!(mails(&app).await.len(), 1);

    let summary = digest(&app, digest_day()).await;
    assert_eq!(summary.week, "2026-W48");
    assert_eq!(
        (
            summary.comparisons,
            summary.written,
            summary.already_written
        ),
        (1, 1, 0)
    );
    let outbox = mails(&app).await;
    let weekly = outbox.last().expect("the digest");
    assert_eq!(weekly.kind, MailKind::Digest);
    assert!(weekly.subject.contains("2026-W48"), "{}", weekly.subject);
    assert!(
        weekly.body.contains(&format!("{PUBLIC_URL}/compare/")),
        "{}",
        weekly.body
    );
    assert!(weekly.body.contains(&weekly.list_unsubscribe));
    // Twice in one week writes nothing twice.
    let summary = digest(&app, digest_day()).await;
    assert_eq!((summary.written, summary.already_written), (0, 1));
    assert_eq!(mails(&app).await.len(), 2);

    let unsubscribe = link_in(
        &weekly.body,
        &format!("{PUBLIC_URL}/newsletter/unsubscribe?token="),
    );
    assert_eq!(
        press(&app, &unsubscribe).await,
        "/newsletter?state=unsubscribed"
    );
    assert_eq!(
        subscribers(&app).await[0].status,
        SubscriberStatus::Unsubscribed
    );
    // The one-click POST of RFC 8058 works too, as often as a mail client sends it.
    let one_click = app
        .client
        .post(format!("{}{unsubscribe}", app.address))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .expect("an answer");
    assert_eq!(one_click.status().as_u16(), 200);
    let next_week = digest(&app, digest_day() + chrono::Duration::days(1)).await;
    assert_eq!(next_week.written, 0, "no digest after unsubscribing");
    assert_eq!(
        press(&app, "/newsletter/unsubscribe?token=forged").await,
        "/newsletter?state=bad-link"
    );

    // Coming back starts the opt-in over, in the same row.
    subscribe(&app, "READER@example.com").await;
    let rows = subscribers(&app).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, SubscriberStatus::Pending);
    // Unsubscribing dropped the unsent mails; the new confirmation works.
    let outbox = mails(&app).await;
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_eq!(outbox[0].kind, MailKind::Confirmation);
    let confirmations = outbox_mail::Entity::find()
        .filter(outbox_mail::Column::Kind.eq(MailKind::Confirmation))
        .count(&app.db)
        .await
        .expect("a count");
    assert_eq!(confirmations, 1);
    let confirm_again = link_in(
        &outbox[0].body,
        &format!("{PUBLIC_URL}/newsletter/confirm?token="),
    );
    assert_ne!(confirm_again, confirm, "a new token");
    assert_eq!(
        press(&app, &confirm_again).await,
        "/newsletter?state=confirmed"
    );
}

async fn invalid_addresses_are_refused_and_change_nothing(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    for bad in [
        "",
        "not-an-address",
        "name@localhost",
        "name@example.com\r\nBcc: victim@example.com",
        "<script>@example.com",
        &format!("{}@example.com", "a".repeat(300)),
    ] {
        let body = subscribe(&app, bad).await;
        assert_eq!(error_code(&body), Some("VALIDATION"), "{bad:?}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], "email");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.contains("name@example.com")),
            "{body}"
        );
    }
    assert!(subscribers(&app).await.is_empty());
    assert!(mails(&app).await.is_empty());
    assert_eq!(
        follow(&app, "/newsletter/confirm?token=").await,
        "/newsletter?state=bad-link"
    );
    assert_eq!(
        follow(&app, "/newsletter/confirm").await,
        "/newsletter?state=bad-link"
    );
}

async fn the_form_works_without_javascript_and_sign_ups_are_rate_limited(db: Db) {
    let Some(app) = TestApp::spawn_with(
        db,
        SpawnOptions {
            signup_limit_per_hour: 3,
            ..SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let post = |email: &'static str| {
        app.client
            .post(format!("{}/newsletter", app.address))
            .form(&[("email", email)])
            .send()
    };
    let location = |response: reqwest::Response| {
        assert_eq!(response.status().as_u16(), 303);
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(
        location(post("form@example.com").await.expect("an answer")),
        "/newsletter?state=check-inbox"
    );
    assert_eq!(
        location(post("nonsense").await.expect("an answer")),
        "/newsletter?state=invalid"
    );
    let (status, html) = app.get("/newsletter?state=invalid").await;
    assert_eq!(status, 200);
    assert!(html.contains("That address did not work") && html.contains("action=\"/newsletter\""));
    let (_, html) = app.get("/newsletter?state=check-inbox").await;
    assert!(html.contains("Check your inbox"));
    assert_eq!(
        location(post("second@example.com").await.expect("an answer")),
        "/newsletter?state=check-inbox"
    );
    assert_eq!(
        location(post("third@example.com").await.expect("an answer")),
        "/newsletter?state=check-inbox"
    );
    assert_eq!(
        location(post("fourth@example.com").await.expect("an answer")),
        "/newsletter?state=too-many"
    );
    let body = subscribe(&app, "fifth@example.com").await;
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
    assert_eq!(
        subscribers(&app).await.len(),
        3,
        "refused sign-ups store nothing"
    );
    for page in ["/", &format!("/compare/{}", crate::DEMO)] {
        let (_, html) = app.get(page).await;
        assert!(
            html.contains("action=\"/newsletter\"") && html.contains("The Weekly Verdicts"),
            "{page} has the sign-up box"
        );
    }
}

async fn signing_up_again_while_unconfirmed_sends_a_fresh_link_after_ten_minutes(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = subscribe(&app, "late@example.com").await;
    let message = body["data"]["subscribe"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        message.contains("the link we sent first still works"),
        "{message}"
    );
    // Within ten minutes: the same answer, no new mail, the first link stands.
    let again = subscribe(&app, "late@example.com").await;
    assert_eq!(again["data"]["subscribe"]["message"], message.as_str());
    let first = mails(&app).await;
    assert_eq!(first.len(), 1);
    // Eleven minutes later the reader has not found it: a fresh link is queued.
    {
        use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};
        let row = subscribers(&app).await.remove(0);
        let sent = row.confirmation_sent_at.expect("a link was sent");
        let mut change = row.into_active_model();
        change.confirmation_sent_at = Set(Some(sent - chrono::Duration::minutes(11)));
        change.update(&app.db).await.expect("backdated");
    }
    let later = subscribe(&app, "late@example.com").await;
    assert_eq!(later["data"]["subscribe"]["message"], message.as_str());
    let outbox = mails(&app).await;
    assert_eq!(outbox.len(), 2, "a second confirmation is in the outbox");
    assert!(outbox
        .iter()
        .all(|mail| mail.kind == MailKind::Confirmation && mail.to_address == "late@example.com"));
    let fresh = link_in(
        &outbox[1].body,
        &format!("{PUBLIC_URL}/newsletter/confirm?token="),
    );
    assert_eq!(press(&app, &fresh).await, "/newsletter?state=confirmed");
    assert_eq!(
        subscribers(&app).await[0].status,
        SubscriberStatus::Confirmed
    );
}

async fn the_newsletter_page_names_itself_once_and_drops_the_form_once_confirmed(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let (status, html) = app.get("/newsletter").await;
    assert_eq!(status, 200);
    let main = html.split("<main").nth(1).expect("a main element");
    let main = main.split("</main>").next().unwrap_or_default();
    assert_eq!(
        main.matches("The Weekly Verdicts").count(),
        1,
        "one heading names the newsletter: {main}"
    );
    assert!(main.contains("action=\"/newsletter\""), "the form");
    let (_, html) = app.get("/newsletter?state=check-inbox").await;
    assert!(html.contains("the link we sent first still works"));
    let (status, html) = app.get("/newsletter?state=confirmed").await;
    assert_eq!(status, 200);
    assert!(html.contains("You are subscribed"));
    assert!(
        !html.contains("action=\"/newsletter\""),
        "no sign-up form for a reader who just subscribed"
    );
    assert!(html.contains("data-testid=\"newsletter-next\""));
    // The box elsewhere keeps its name.
    let (_, home) = app.get("/").await;
    assert!(home.contains("<h2 id=\"newsletter-title\">The Weekly Verdicts"));
}

async fn editors_read_the_outbox_and_subscriber_counts(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    const OUTBOX: &str = "{ subscriberCounts { pending confirmed unsubscribed } \
        outbox(first: 5) { totalCount nodes { to kind subject status attempts body } } }";
    let refused = app.gql(OUTBOX, json!({})).await;
    assert_eq!(error_code(&refused), Some("UNAUTHENTICATED"), "{refused}");
    subscribe(&app, "one@example.com").await;
    subscribe(&app, "two@example.com").await;
    server::domain::editors::create_editor(
        &app.db,
        "ed@verdicts.example",
        "a long and secret passphrase",
    )
    .await
    .expect("an editor");
    let signed_in = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("x-verdicts-csrf", "1")
        .json(&json!({
            "query": "mutation { signIn(email: \"ed@verdicts.example\", password: \"a long and secret passphrase\") { email } }"
        }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(signed_in.status().as_u16(), 200);
    let body = app.gql(OUTBOX, json!({})).await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(
        body["data"]["subscriberCounts"],
        json!({ "pending": 2, "confirmed": 0, "unsubscribed": 0 })
    );
    let outbox = &body["data"]["outbox"];
    assert_eq!(outbox["totalCount"], 2);
    assert_eq!(outbox["nodes"][0]["to"], "two@example.com", "newest first");
    assert_eq!(outbox["nodes"][0]["kind"], "CONFIRMATION");
    assert_eq!(outbox["nodes"][0]["status"], "QUEUED");
    let (status, html) = app.get("/admin/outbox").await;
    assert_eq!(status, 200);
    for text in [
        "Outbox",
        "two@example.com",
        "Confirm your subscription",
        "awaiting confirmation",
    ] {
        assert!(html.contains(text), "the outbox page lacks {text:?}");
    }
    let (_, dashboard) = app.get("/admin").await;
    assert!(dashboard.contains("subscribers") && dashboard.contains("/admin/outbox"));
}

async fn mail_is_sent_over_smtp_with_retries_and_unsubscribe_headers(db: Db) {
    let smtp = FakeSmtp::start(1).await;
    let Some(app) = TestApp::spawn_with(
        db,
        SpawnOptions {
            smtp_url: Some(smtp.url.clone()),
            ..SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    subscribe(&app, "smtp@example.com").await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    let sent = loop {
        let outbox = mails(&app).await;
        if outbox[0].sent_at.is_some() {
            break outbox[0].clone();
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the mail was not sent: {:?}",
            outbox[0]
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    };
    assert_eq!(sent.attempts, 2, "refused once (451), then sent");
    assert_eq!(sent.last_error, None);
    let received = smtp.received();
    assert_eq!(received.len(), 1, "sent exactly once");
    // Undo quoted-printable's soft line breaks and escapes, as a mail client would.
    let message = &received[0].replace("=\n", "").replace("=3D", "=");
    for header in [
        "To: smtp@example.com",
        "Subject: Confirm your subscription to The Weekly Verdicts",
        &format!("List-Unsubscribe: <{}>", sent.list_unsubscribe),
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
        "From: Verdicts <verdicts@verdicts.test>",
    ] {
        assert!(
            message.contains(header),
            "{header:?} missing from:\n{message}"
        );
    }
    assert!(message.contains("/newsletter/confirm?token="));
}

on_both_databases!(
    a_reader_subscribes_confirms_gets_the_digest_and_unsubscribes,
    invalid_addresses_are_refused_and_change_nothing,
    the_form_works_without_javascript_and_sign_ups_are_rate_limited,
    signing_up_again_while_unconfirmed_sends_a_fresh_link_after_ten_minutes,
    the_newsletter_page_names_itself_once_and_drops_the_form_once_confirmed,
    editors_read_the_outbox_and_subscriber_counts,
    mail_is_sent_over_smtp_with_retries_and_unsubscribe_headers,
);
