//! No text from the catalogue, the newsletter or a request introduces markup
//! anywhere: a catalogue whose every field tries to break out is imported,
//! and every reader and editor page, the feeds and the badges are read with
//! a browser-grade parser.

use chrono::{DateTime, Utc};
use entities::{enums::SubscriberStatus, outbox_mail, subscriber};
use scraper::{node::Node, ElementRef, Html, Selector};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::{json, Value};
use tests::{
    hostile_catalogue::{self as fixture, hostile, PAYLOAD},
    on_both_databases, Db, SpawnOptions, TestApp, PUBLIC_URL,
};

const PASSWORD: &str = "a long and secret passphrase";
/// An address with the characters an address may carry and HTML cares about.
const SUBSCRIBER: &str = "o'neil&co@example.com";

fn select(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e}"))
}

fn text(element: ElementRef<'_>) -> String {
    element.text().collect()
}

/// Fails when `html` (the answer for `path`) holds an element, an attribute
/// or a comment that the fixture's text introduced, or JSON-LD that is not
/// JSON with every `<`, `>` and `&` escaped.
fn assert_inert(path: &str, html: &str) -> Html {
    let document = Html::parse_document(html);
    for node in document.tree.nodes() {
        match node.value() {
            Node::Element(element) => {
                for (name, value) in element.attrs() {
                    assert!(
                        name != "pwn" && !name.starts_with("on"),
                        "{path}: the fixture introduced <{} {name}={value:?}>",
                        element.name()
                    );
                }
            }
            Node::Comment(comment) => assert!(
                !comment.contains("pwn"),
                "{path}: the fixture introduced the comment <!--{}-->",
                &**comment
            ),
            _ => {}
        }
    }
    let titles: Vec<_> = document.select(&select("title")).collect();
    assert!(
        titles.len() <= 1,
        "{path}: {} <title> elements",
        titles.len()
    );
    for script in document.select(&select("script[type='application/ld+json']")) {
        let raw = text(script);
        assert!(
            !raw.contains(['<', '>', '&']),
            "{path}: JSON-LD carries a raw <, > or &: {raw}"
        );
        serde_json::from_str::<Value>(&raw)
            .unwrap_or_else(|e| panic!("{path}: JSON-LD is not JSON ({e}): {raw}"));
    }
    document
}

fn window_title(document: &Html) -> String {
    document
        .select(&select("title"))
        .next()
        .map(text)
        .unwrap_or_default()
}

fn json_ld(document: &Html) -> Vec<Value> {
    document
        .select(&select("script[type='application/ld+json']"))
        .filter_map(|s| serde_json::from_str(&text(s)).ok())
        .collect()
}

fn encoded(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The server with only the hostile catalogue, a subscriber whose address
/// and digest carry it, and an editor.
async fn hostile_app(db: Db) -> Option<TestApp> {
    let app = TestApp::spawn_with(
        db,
        SpawnOptions {
            demo: false,
            ..Default::default()
        },
    )
    .await?;
    fixture::import(&app.db).await;
    let mailing = server::domain::newsletter::Mailing::new(PUBLIC_URL, 100);
    server::domain::newsletter::subscribe(&app.db, &mailing, SUBSCRIBER, None)
        .await
        .expect("the address is accepted");
    let reader = subscriber::Entity::find()
        .filter(subscriber::Column::Email.eq(SUBSCRIBER))
        .one(&app.db)
        .await
        .expect("the subscriber is read")
        .expect("the subscriber");
    let mut confirmed: subscriber::ActiveModel = reader.into();
    confirmed.status = Set(SubscriberStatus::Confirmed);
    confirmed.update(&app.db).await.expect("confirmed");
    let next_day: DateTime<Utc> = "2026-11-21T09:00:00Z".parse().expect("a time");
    let digest = server::domain::newsletter::write_digest(&app.db, &mailing, next_day)
        .await
        .expect("the digest is written");
    assert_eq!(digest.written, 1, "the digest lists the hostile comparison");
    server::domain::editors::create_editor(&app.db, "ed@verdicts.example", PASSWORD)
        .await
        .expect("an editor");
    Some(app)
}

async fn sign_in(app: &TestApp) {
    app.sign_in_as(&app.client, "ed@verdicts.example", PASSWORD)
        .await;
}

async fn reader_pages_show_hostile_names_as_typed(db: Db) {
    let Some(app) = hostile_app(db).await else {
        return;
    };
    let q = encoded(PAYLOAD);
    // Pages of the catalogue answer 200; what a request carries may be
    // refused, but never rendered as markup.
    let catalogue_pages = [
        "/".to_owned(),
        "/tools".to_owned(),
        format!("/tools?category={}", fixture::CATEGORY),
        "/tools?q=Tool".to_owned(),
        format!("/tools/{}", fixture::TOOL_A),
        format!("/tools/{}", fixture::TOOL_B),
        format!("/compare/{}", fixture::COMPARISON),
        format!("/categories/{}", fixture::CATEGORY),
        format!("/reviewers/{}", fixture::REVIEWER_A),
        format!("/reviewers/{}", fixture::REVIEWER_B),
        "/search?q=Tool".to_owned(),
        "/compare".to_owned(),
        "/newsletter".to_owned(),
        "/api".to_owned(),
        "/integrity".to_owned(),
        "/panel".to_owned(),
        "/tools?order=disputed".to_owned(),
    ];
    for path in &catalogue_pages {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert_inert(path, &html);
    }
    // The pair named the other way round is the curated comparison's page.
    let reversed = format!("/compare/{}-vs-{}", fixture::TOOL_B, fixture::TOOL_A);
    assert_eq!(app.get(&reversed).await.0, 301, "{reversed}");
    let request_pages = [
        format!("/search?q={q}"),
        format!("/tools?q={q}"),
        format!("/tools?q={q}&category={q}&pricing={q}&license={q}&order={q}&direction={q}"),
        format!("/tools?after={q}"),
        format!("/reviewers/{}?after={q}", fixture::REVIEWER_A),
        format!("/compare?problem={q}"),
        format!("/newsletter?state={q}"),
        format!("/tools/{q}"),
        format!("/compare/{q}"),
        format!("/no-such-page/{q}"),
        format!("/integrity?before={q}"),
    ];
    for path in &request_pages {
        let (_, html) = app.get(path).await;
        assert_inert(path, &html);
    }

    // The tool page: the window title, the heading, the embed code and the
    // structured data all carry the name exactly as typed.
    let name = hostile("Tool A");
    let vendor = hostile("Vendor");
    let path = format!("/tools/{}", fixture::TOOL_A);
    let (_, html) = app.get(&path).await;
    let page = assert_inert(&path, &html);
    assert_eq!(
        window_title(&page),
        format!("{name} by {vendor} \u{b7} Verdicts")
    );
    let heading = page.select(&select("h1")).next().map(text);
    assert_eq!(heading.as_deref().map(str::trim), Some(name.as_str()));
    let embed = page
        .select(&select("textarea#embed-code"))
        .next()
        .map(text)
        .expect("the embed box");
    // What a site owner pastes: one link around one badge whose alt text
    // is the name, and nothing else.
    let pasted = Html::parse_fragment(&embed);
    assert_inert("the embed code", &embed);
    let images: Vec<_> = pasted.select(&select("img")).collect();
    assert_eq!(images.len(), 1, "the embed code: {embed}");
    assert_eq!(
        images[0].value().attr("alt"),
        Some(format!("Verdicts scores for {name}").as_str()),
        "the embed code: {embed}"
    );
    assert_eq!(
        images[0].value().attr("src"),
        Some(format!("{PUBLIC_URL}/badge/{}.svg", fixture::TOOL_A).as_str())
    );
    let description = page
        .select(&select("meta[name='description']"))
        .next()
        .and_then(|m| m.value().attr("content").map(str::to_owned))
        .unwrap_or_default();
    assert!(description.starts_with(&name), "{description}");
    let structured = json_ld(&page);
    assert!(
        structured.iter().any(|d| d["name"] == json!(name)),
        "the JSON-LD names the tool as typed: {structured:?}"
    );

    let path = format!("/compare/{}", fixture::COMPARISON);
    let (_, html) = app.get(&path).await;
    let page = assert_inert(&path, &html);
    assert_eq!(
        window_title(&page),
        format!("{} \u{b7} Verdicts", hostile("Comparison"))
    );

    let (_, html) = app.get(&format!("/search?q={q}")).await;
    let page = assert_inert("/search", &html);
    assert!(
        window_title(&page).contains(PAYLOAD)
            || page.root_element().text().any(|t| t.contains(PAYLOAD)),
        "the search page shows what was searched for, as typed"
    );
}

async fn feeds_and_badges_carry_hostile_text_as_text(db: Db) {
    let Some(app) = hostile_app(db).await else {
        return;
    };
    let (status, feed) = app.get("/feed.xml").await;
    assert_eq!(status, 200);
    let feed = roxmltree::Document::parse(&feed).expect("the feed is XML");
    let entry = feed
        .descendants()
        .find(|n| n.has_tag_name("entry"))
        .expect("an entry");
    let child = |name: &str| {
        entry
            .children()
            .find(|n| n.has_tag_name(name))
            .and_then(|n| n.text())
            .map(str::to_owned)
    };
    assert_eq!(child("title"), Some(hostile("Comparison")));
    assert_eq!(child("summary"), Some(hostile("Summary")));
    let terms: Vec<_> = entry
        .children()
        .filter(|n| n.has_tag_name("category"))
        .filter_map(|n| n.attribute("term"))
        .collect();
    assert_eq!(terms, [hostile("Tool A"), hostile("Tool B")]);
    assert_eq!(
        entry.descendants().filter(|n| n.is_element()).count(),
        9,
        "an entry holds only its own elements"
    );

    // The feeds of one tool, reviewer and category: their titles, entries'
    // titles and summaries and authors hold the names as text.
    let reviewer_a = hostile("Reviewer A");
    let tool_a = hostile("Tool A");
    let review_a = format!("{reviewer_a}: SHIP on {tool_a}");
    for (path, title, entries) in [
        (
            format!("/tools/{}/feed.xml", fixture::TOOL_A),
            format!("{tool_a} on Verdicts"),
            vec![hostile("Comparison"), review_a.clone()],
        ),
        (
            format!("/reviewers/{}/feed.xml", fixture::REVIEWER_A),
            format!("{reviewer_a}'s verdicts on Verdicts"),
            vec![hostile("Comparison"), review_a.clone()],
        ),
        (
            format!("/categories/{}/feed.xml", fixture::CATEGORY),
            format!("{} on Verdicts", hostile("Category")),
            vec![hostile("Comparison"), review_a.clone()],
        ),
    ] {
        let (status, text) = app.get(&path).await;
        assert_eq!(status, 200, "{path}");
        let feed = roxmltree::Document::parse(&text).expect("the item feed is XML");
        let root = feed.root_element();
        let text_of = |node: roxmltree::Node, name: &str| {
            node.children()
                .find(|n| n.has_tag_name(name))
                .and_then(|n| n.text())
                .map(str::to_owned)
        };
        assert_eq!(text_of(root, "title"), Some(title), "{path}");
        let entry_titles: Vec<String> = root
            .children()
            .filter(|n| n.has_tag_name("entry"))
            .filter_map(|e| text_of(e, "title"))
            .collect();
        for expected in entries {
            assert!(entry_titles.contains(&expected), "{path}: {entry_titles:?}");
        }
        let review = root
            .children()
            .filter(|n| n.has_tag_name("entry"))
            .find(|e| text_of(*e, "title").as_deref() == Some(review_a.as_str()))
            .expect("the review's entry");
        assert_eq!(
            text_of(review, "summary"),
            Some(hostile(&format!(
                "Review of {} by {}",
                fixture::TOOL_A,
                fixture::REVIEWER_A
            )))
        );
        let author = review
            .descendants()
            .find(|n| n.has_tag_name("name"))
            .and_then(|n| n.text());
        assert_eq!(author, Some(reviewer_a.as_str()), "{path}");
        assert!(
            !text.contains("<img"),
            "{path}: no element came from the names"
        );
    }

    let (status, sitemap) = app.get("/sitemap.xml").await;
    assert_eq!(status, 200);
    let sitemap = roxmltree::Document::parse(&sitemap).expect("the sitemap is XML");
    let locations: Vec<_> = sitemap
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locations.contains(&format!("{PUBLIC_URL}/tools/{}", fixture::TOOL_A).as_str()));

    let (status, badge) = app.get(&format!("/badge/{}.svg", fixture::TOOL_A)).await;
    assert_eq!(status, 200);
    let badge = roxmltree::Document::parse(&badge).expect("the badge is XML");
    let title = badge
        .descendants()
        .find(|n| n.has_tag_name("title"))
        .and_then(|n| n.text())
        .unwrap_or_default();
    assert!(
        title.starts_with(&format!("Verdicts on {}:", hostile("Tool A"))),
        "{title}"
    );
    assert!(
        badge
            .descendants()
            .all(|n| n.attribute("pwn").is_none() && !n.has_tag_name("img")),
        "the badge holds only its own elements"
    );

    // The digest's subject is the comparison's title as typed.
    let mail = outbox_mail::Entity::find()
        .filter(outbox_mail::Column::DedupeKey.is_not_null())
        .one(&app.db)
        .await
        .expect("the outbox is read")
        .expect("the digest");
    assert!(
        mail.subject.ends_with(&hostile("Comparison")),
        "{}",
        mail.subject
    );
}

async fn editor_pages_show_hostile_names_as_typed(db: Db) {
    let Some(app) = hostile_app(db).await else {
        return;
    };
    sign_in(&app).await;
    let q = encoded(PAYLOAD);
    let pages = [
        "/admin".to_owned(),
        "/admin/outbox".to_owned(),
        "/admin/tools".to_owned(),
        "/admin/tools?q=Tool".to_owned(),
        "/admin/tools/new".to_owned(),
        format!("/admin/tools/{}", fixture::TOOL_A),
        format!("/admin/tools/{}", fixture::DRAFT_TOOL),
        "/admin/reviewers".to_owned(),
        format!("/admin/reviewers/{}", fixture::REVIEWER_A),
        "/admin/comparisons".to_owned(),
        "/admin/comparisons/new".to_owned(),
        format!("/admin/comparisons/{}", fixture::COMPARISON),
        format!("/admin/comparisons/{}/scorecard", fixture::COMPARISON),
        "/admin/comparisons/hostile-draft-comparison".to_owned(),
        format!("/tools/{}", fixture::DRAFT_TOOL),
        "/compare/hostile-draft-comparison".to_owned(),
    ];
    for path in &pages {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert_inert(path, &html);
    }
    for path in [
        format!("/admin/tools?q={q}"),
        format!("/admin/reviewers?q={q}"),
        format!("/admin/comparisons?q={q}"),
        format!("/admin/tools?after={q}"),
        format!("/admin/outbox?after={q}"),
        format!("/admin/tools/{q}"),
    ] {
        let (_, html) = app.get(&path).await;
        assert_inert(&path, &html);
    }
    // The editors' text boxes hold the text as typed, before any script runs.
    for (path, css, expected) in [
        (
            format!("/admin/tools/{}", fixture::TOOL_A),
            "textarea#description".to_owned(),
            hostile("Description"),
        ),
        (
            format!("/admin/reviewers/{}", fixture::REVIEWER_A),
            "textarea#bio".to_owned(),
            hostile("Bio A"),
        ),
        (
            format!("/admin/comparisons/{}", fixture::COMPARISON),
            "textarea#summary".to_owned(),
            hostile("Summary"),
        ),
        (
            format!("/admin/comparisons/{}/scorecard", fixture::COMPARISON),
            format!("textarea#body-{}-left", fixture::REVIEWER_A),
            hostile(&format!(
                "Review of {} by {}",
                fixture::TOOL_A,
                fixture::REVIEWER_A
            )),
        ),
    ] {
        let (_, html) = app.get(&path).await;
        let page = assert_inert(&path, &html);
        let shown = page.select(&select(&css)).next().map(text);
        assert_eq!(
            shown.as_deref().map(str::trim),
            Some(expected.as_str()),
            "{path} {css}"
        );
    }
    // The outbox shows the digest's subject and the subscriber's address as typed.
    let (_, html) = app.get("/admin/outbox").await;
    let page = assert_inert("/admin/outbox", &html);
    let shown: String = page.root_element().text().collect();
    assert!(
        shown.contains(&hostile("Comparison")),
        "the outbox shows the subject as typed"
    );
    assert!(
        shown.contains(SUBSCRIBER),
        "the outbox shows the address as typed"
    );
}

/// An editor's client (the CSRF header the admin pages send).
async fn as_editor(app: &TestApp, query: &str, variables: Value) -> Value {
    let body: Value = app
        .client
        .post(format!("{}/graphql", app.address))
        .header(contract::names::CSRF_HEADER, contract::names::CSRF_VALUE)
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert!(body["errors"].is_null(), "{body}");
    body
}

/// The integrity ledger shows what editors typed (reasons, a partner app's
/// name) and the catalogue's names as text: the tool and comparison pages,
/// `/integrity`, its Atom feed and the dashboard's review list.
async fn ledger_shows_hostile_reasons_and_app_names_as_typed(db: Db) {
    let Some(app) = TestApp::spawn_with(
        db,
        SpawnOptions {
            demo: false,
            network_quota: 1,
            ..Default::default()
        },
    )
    .await
    else {
        return;
    };
    fixture::import(&app.db).await;
    server::domain::editors::create_editor(&app.db, "ed@verdicts.example", PASSWORD)
        .await
        .expect("an editor");
    sign_in(&app).await;
    let vote = "mutation($t: String!) { castVote(tool: $t, verdict: SKIP) { total } }";
    // Two bursts of new voters from one address: one held, one rejected.
    for tool in [
        fixture::TOOL_A,
        fixture::TOOL_A,
        fixture::TOOL_B,
        fixture::TOOL_B,
    ] {
        let body: Value = TestApp::new_client()
            .post(format!("{}/graphql", app.address))
            .header("x-forwarded-for", "203.0.113.66")
            .json(&json!({ "query": vote, "variables": { "t": tool } }))
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
        assert!(body["errors"].is_null(), "{body}");
    }
    let windows = as_editor(
        &app,
        "{ integrity { windows { id tool { slug } } } }",
        json!({}),
    )
    .await;
    let window_b = windows["data"]["integrity"]["windows"]
        .as_array()
        .and_then(|w| w.iter().find(|w| w["tool"]["slug"] == fixture::TOOL_B))
        .map(|w| w["id"].clone())
        .expect("the window of tool B");
    as_editor(
        &app,
        "mutation($w: ID!, $r: String!) { rejectHeldVotes(window: $w, reason: $r) { status } }",
        json!({ "w": window_b, "r": hostile("Reason") }),
    )
    .await;
    // A partner app with a hostile name votes, and is switched off.
    let created = as_editor(
        &app,
        "mutation($n: String!) { createApiToken(name: $n, partner: true, voteQuota: 100) { secret token { id } } }",
        json!({ "n": hostile("App") }),
    )
    .await;
    let secret = created["data"]["createApiToken"]["secret"]
        .as_str()
        .expect("a secret")
        .to_owned();
    let body: Value = reqwest::Client::new()
        .post(format!("{}/graphql", app.address))
        .bearer_auth(&secret)
        .json(&json!({
            "query": "mutation($t: String!) { castVote(tool: $t, verdict: SHIP, onBehalfOf: \"user-1\") { total } }",
            "variables": { "t": fixture::TOOL_A }
        }))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert!(body["errors"].is_null(), "{body}");
    as_editor(
        &app,
        "mutation($t: ID!, $r: String!) { setPartnerVotes(token: $t, counted: false, reason: $r) { id } }",
        json!({ "t": created["data"]["createApiToken"]["token"]["id"], "r": hostile("Switch") }),
    )
    .await;

    for path in [
        format!("/tools/{}", fixture::TOOL_A),
        format!("/tools/{}", fixture::TOOL_B),
        format!("/compare/{}", fixture::COMPARISON),
        "/integrity".to_owned(),
        "/admin".to_owned(),
    ] {
        let (status, html) = app.get(&path).await;
        assert_eq!(status, 200, "{path}");
        assert_inert(&path, &html);
    }
    let (_, html) = app.get("/integrity").await;
    let page = assert_inert("/integrity", &html);
    let reasons: Vec<String> = page.select(&select(".decision-reason")).map(text).collect();
    assert!(reasons.contains(&hostile("Reason")), "{reasons:?}");
    assert!(reasons.contains(&hostile("Switch")), "{reasons:?}");
    let sources: Vec<String> = page.select(&select(".decision-source")).map(text).collect();
    assert!(
        sources.iter().any(|s| s.contains(&hostile("App"))),
        "{sources:?}"
    );
    let (_, html) = app.get(&format!("/tools/{}", fixture::TOOL_A)).await;
    let page = assert_inert("/tools", &html);
    let sources: Vec<String> = page.select(&select("table.sources th")).map(text).collect();
    assert!(
        sources.iter().any(|s| s.contains(&hostile("App"))),
        "{sources:?}"
    );

    let (status, feed) = app.get("/integrity.atom").await;
    assert_eq!(status, 200);
    let feed = roxmltree::Document::parse(&feed).expect("the ledger's feed is XML");
    let texts: Vec<&str> = feed
        .descendants()
        .filter(|n| n.has_tag_name("summary") || n.has_tag_name("title"))
        .filter_map(|n| n.text())
        .collect();
    assert!(texts.contains(&hostile("Reason").as_str()), "{texts:?}");
    assert!(texts.contains(&hostile("Switch").as_str()), "{texts:?}");
    assert!(
        texts.iter().any(|t| t.contains(&hostile("App"))),
        "{texts:?}"
    );
    assert!(
        texts.iter().any(|t| t.starts_with(&hostile("Tool B"))),
        "{texts:?}"
    );
    for entry in feed.descendants().filter(|n| n.has_tag_name("entry")) {
        assert_eq!(
            entry.descendants().filter(|n| n.is_element()).count(),
            7,
            "an entry holds only its own elements"
        );
    }
}

on_both_databases!(
    ledger_shows_hostile_reasons_and_app_names_as_typed,
    reader_pages_show_hostile_names_as_typed,
    feeds_and_badges_carry_hostile_text_as_text,
    editor_pages_show_hostile_names_as_typed,
);
