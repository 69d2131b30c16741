//! Panel versus readers: a tool's two scores side by side, the catalogue's
//! "most disputed" order, the panel's record per lens and its splits, in
//! the API and on the pages.

use serde_json::{json, Value};
use tests::{on_both_databases, Db, SpawnOptions, TestApp};

use crate::error_code;

const LENSES: [(&str, &str); 5] = [
    ("dx", "DEVELOPER_EXPERIENCE"),
    ("dx-two", "DEVELOPER_EXPERIENCE"),
    ("risk", "COMPETITIVE_RISK"),
    ("thesis", "STRATEGIC_THESIS"),
    ("biz", "BUSINESS_CASE"),
];

/// A tool's slug, its reviews (reviewer, verdict) and its readers' votes
/// (ship, skip).
type Plan = (
    &'static str,
    &'static [(&'static str, &'static str)],
    (usize, usize),
);

/// Published tools `a` to `e` (and the draft `f`), with these reviews (by
/// reviewer slug) and readers' votes (ship, skip). The server shows a
/// readers' score from 10 votes.
fn catalogue(extra_tools: usize) -> String {
    let plan: [Plan; 6] = [
        // 75 % panel, 30 % readers: they disagree by 45.
        (
            "a",
            &[
                ("dx", "SHIP"),
                ("risk", "SHIP"),
                ("thesis", "SHIP"),
                ("biz", "SKIP"),
            ],
            (3, 7),
        ),
        // 100 % and 90 %: they agree.
        (
            "b",
            &[
                ("dx", "SHIP"),
                ("risk", "SHIP"),
                ("thesis", "SHIP"),
                ("biz", "SHIP"),
            ],
            (9, 1),
        ),
        // A split panel, too few votes for a readers' score.
        ("c", &[("dx", "SHIP"), ("risk", "SKIP")], (5, 0)),
        // 50 % panel, 100 % readers: undecided, 50 points apart.
        (
            "d",
            &[
                ("dx", "SHIP"),
                ("risk", "SHIP"),
                ("thesis", "SKIP"),
                ("biz", "SKIP"),
            ],
            (10, 0),
        ),
        // Readers only.
        ("e", &[], (8, 4)),
        // A draft: its reviews count nowhere.
        ("f", &[("dx", "SKIP"), ("risk", "SHIP")], (0, 0)),
    ];
    let mut tools = Vec::new();
    let mut reviews = Vec::new();
    let mut votes = Vec::new();
    for (slug, verdicts, (ship, skip)) in plan {
        tools.push(tool(
            slug,
            &format!("Tool {}", slug.to_uppercase()),
            slug != "f",
        ));
        for (reviewer, verdict) in verdicts {
            reviews.push(
                json!({ "tool": slug, "reviewer": reviewer, "verdict": verdict,
                "body": "Reasoned.", "published_at": "2026-10-01T09:00:00Z" }),
            );
        }
        for i in 0..ship + skip {
            votes.push(json!({ "tool": slug, "voter": format!("voter-{slug}-{i}"),
                "verdict": if i < ship { "SHIP" } else { "SKIP" } }));
        }
    }
    // A draft review of a published tool counts nowhere either.
    reviews.push(json!({ "tool": "e", "reviewer": "biz", "verdict": "SKIP",
        "body": "Not yet.", "published_at": null }));
    for i in 0..extra_tools {
        let slug = format!("more-{i:02}");
        tools.push(tool(&slug, &format!("More {i}"), true));
        reviews.push(json!({ "tool": slug, "reviewer": "dx", "verdict": "SHIP",
            "body": "Fine.", "published_at": "2026-10-01T09:00:00Z" }));
        for v in 0..10 {
            votes.push(json!({ "tool": slug, "voter": format!("voter-{slug}-{v}"),
                "verdict": if v < i % 10 { "SHIP" } else { "SKIP" } }));
        }
    }
    json!({
        "format": "toolverdicts/v1",
        "categories": [{ "slug": "assistants", "name": "Assistants" }],
        "reviewers": LENSES.iter().map(|(slug, lens)| json!({
            "slug": slug, "name": format!("Reviewer {slug}"), "lens": lens, "bio": "On the panel." }))
            .collect::<Vec<_>>(),
        "tools": tools, "reviews": reviews, "votes": votes,
    })
    .to_string()
}

fn tool(slug: &str, name: &str, published: bool) -> Value {
    json!({ "slug": slug, "name": name, "vendor": "Vendor", "category": "assistants",
        "tagline": "Does a thing.", "description": "Made by the panel test.", "license": "MIT",
        "pricing": { "model": "FREE", "entry": "Free" }, "website_url": null,
        "published_at": if published { json!("2026-09-01T09:00:00Z") } else { Value::Null } })
}

async fn app_with(db: Db, extra_tools: usize) -> Option<TestApp> {
    let app = TestApp::spawn_with(
        db,
        SpawnOptions {
            demo: false,
            ..SpawnOptions::default()
        },
    )
    .await?;
    let dataset = server::dataset::parse(&catalogue(extra_tools)).expect("a dataset");
    server::dataset::import(&app.db, &dataset)
        .await
        .expect("imported");
    Some(app)
}

const VERSUS: &str = "query($slug: String!) { tool(slug: $slug) { \
    panel { shipPercent } community { shipPercent } \
    panelVersusReaders { panelPercent readersPercent gap agreement summary } } }";

async fn a_tool_with_both_scores_says_how_far_apart_they_are(db: Db) {
    let Some(app) = app_with(db, 0).await else {
        return;
    };
    let versus = async |slug: &str| {
        let body = app.gql(VERSUS, json!({ "slug": slug })).await;
        assert!(body["errors"].is_null(), "{body}");
        body["data"]["tool"]["panelVersusReaders"].clone()
    };
    assert_eq!(
        versus("a").await,
        json!({ "panelPercent": 75, "readersPercent": 30, "gap": 45, "agreement": "DISAGREE",
            "summary": "The panel mostly ships it (75 %); readers mostly skip it (30 %): they disagree by 45 points." })
    );
    let b = versus("b").await;
    assert_eq!(
        (b["gap"].as_i64(), b["agreement"].as_str()),
        (Some(10), Some("AGREE"))
    );
    assert!(
        b["summary"]
            .as_str()
            .unwrap_or("")
            .ends_with("both ship it, 10 points apart."),
        "{b}"
    );
    let d = versus("d").await;
    assert_eq!(
        (d["gap"].as_i64(), d["agreement"].as_str()),
        (Some(-50), Some("UNDECIDED"))
    );
    // Too few votes for a readers' score, or no review: nothing to compare.
    assert!(versus("c").await.is_null());
    assert!(versus("e").await.is_null());
}

const DISPUTED: &str = "query($dir: OrderDirection, $first: Int, $after: String) { \
    tools(orderBy: { field: DISPUTED, direction: $dir }, first: $first, after: $after) { \
    nodes { slug panelVersusReaders { gap } } pageInfo { hasNextPage endCursor } } }";

async fn slugs_in_order(app: &TestApp, direction: &str, size: i64) -> Vec<String> {
    let mut all = Vec::new();
    let mut after = Value::Null;
    loop {
        let body = app
            .gql(
                DISPUTED,
                json!({ "dir": direction, "first": size, "after": after }),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        let tools = &body["data"]["tools"];
        for node in tools["nodes"].as_array().expect("nodes") {
            all.push(node["slug"].as_str().expect("a slug").to_owned());
        }
        if tools["pageInfo"]["hasNextPage"] != true {
            return all;
        }
        after = tools["pageInfo"]["endCursor"].clone();
    }
}

async fn the_catalogue_orders_by_the_gap_with_unscored_tools_last(db: Db) {
    let Some(app) = app_with(db, 0).await else {
        return;
    };
    // |gap|: d 50, a 45, b 10; c and e lack a score; f is a draft.
    assert_eq!(
        slugs_in_order(&app, "DESC", 2).await,
        ["d", "a", "b", "c", "e"]
    );
    assert_eq!(
        slugs_in_order(&app, "ASC", 2).await,
        ["b", "a", "d", "c", "e"]
    );
}

const PANEL: &str = "query($first: Int!) { panel { lenses { lens reviewers \
    verdicts { ship skip total shipPercent } comparedWithReaders agreesWithReaders agreementPercent } \
    splitTools(first: $first) { tool { slug } panel { ship skip } } } }";

async fn every_lens_has_its_record_and_the_splits_come_evenest_first(db: Db) {
    let Some(app) = app_with(db, 0).await else {
        return;
    };
    let body = app.gql(PANEL, json!({ "first": 10 })).await;
    assert!(body["errors"].is_null(), "{body}");
    let line = |lens: &Value| {
        (
            lens["lens"].as_str().unwrap_or("").to_owned(),
            lens["reviewers"].as_i64().unwrap_or(-1),
            lens["verdicts"]["ship"].as_i64().unwrap_or(-1),
            lens["verdicts"]["total"].as_i64().unwrap_or(-1),
            lens["comparedWithReaders"].as_i64().unwrap_or(-1),
            lens["agreesWithReaders"].as_i64().unwrap_or(-1),
            lens["agreementPercent"].as_i64(),
        )
    };
    let lenses: Vec<_> = body["data"]["panel"]["lenses"]
        .as_array()
        .expect("lenses")
        .iter()
        .map(line)
        .collect();
    // Readers: a skips (30 %), b and d ship; c has too few votes.
    assert_eq!(
        lenses,
        [
            ("DEVELOPER_EXPERIENCE".to_owned(), 2, 4, 4, 3, 2, Some(67)),
            ("COMPETITIVE_RISK".to_owned(), 1, 3, 4, 3, 2, Some(67)),
            ("STRATEGIC_THESIS".to_owned(), 1, 2, 3, 3, 1, Some(33)),
            ("BUSINESS_CASE".to_owned(), 1, 1, 3, 3, 2, Some(67)),
        ]
    );
    let splits: Vec<(String, i64, i64)> = body["data"]["panel"]["splitTools"]
        .as_array()
        .expect("splits")
        .iter()
        .map(|s| {
            (
                s["tool"]["slug"].as_str().unwrap_or("").to_owned(),
                s["panel"]["ship"].as_i64().unwrap_or(-1),
                s["panel"]["skip"].as_i64().unwrap_or(-1),
            )
        })
        .collect();
    assert_eq!(
        splits,
        [
            ("d".to_owned(), 2, 2),
            ("c".to_owned(), 1, 1),
            ("a".to_owned(), 3, 1)
        ]
    );
    let one = app.gql(PANEL, json!({ "first": 1 })).await;
    assert_eq!(
        one["data"]["panel"]["splitTools"].as_array().map(Vec::len),
        Some(1)
    );
    for bad in [-1, 51] {
        let body = app.gql(PANEL, json!({ "first": bad })).await;
        assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    }
}

/// The panel's record and a disputed page take the same statements
/// whatever the catalogue's size: no statement per tool or per review.
async fn the_panel_costs_the_same_statements_whatever_the_catalogue(db: Db) {
    let mut counts = Vec::new();
    for extra in [0, 40] {
        let Some(app) = app_with(db, extra).await else {
            return;
        };
        let query = "query { panel { lenses { lens verdicts { total } agreementPercent } \
            splitTools(first: 50) { tool { slug name category { name } } panel { total } } } \
            tools(orderBy: { field: DISPUTED }, first: 50) { nodes { slug \
            panelVersusReaders { summary } panel { shipPercent } community { shipPercent } } } }";
        let before = app.statements().await;
        let body = app.gql(query, json!({})).await;
        assert!(body["errors"].is_null(), "{body}");
        let tools = body["data"]["tools"]["nodes"]
            .as_array()
            .map_or(0, Vec::len);
        assert_eq!(tools, 5 + extra);
        counts.push(app.statements().await - before);
    }
    assert_eq!(counts[0], counts[1], "statements: {counts:?}");
}

async fn the_pages_say_it_in_words(db: Db) {
    let Some(app) = app_with(db, 0).await else {
        return;
    };
    let (status, html) = app.get("/tools/a").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("data-testid=\"panel-versus-readers\""),
        "{html}"
    );
    assert!(html.contains("they disagree by 45 points"), "{html}");
    assert!(html.contains("href=\"/panel\""));
    let (_, html) = app.get("/tools/c").await;
    assert!(!html.contains("data-testid=\"panel-versus-readers\""));

    let (status, html) = app.get("/panel").await;
    assert_eq!(status, 200);
    for text in [
        "Panel versus readers",
        "Developer experience",
        "100\u{a0}% of 4 reviews",
        "33\u{a0}% of 3 reviews",
        "Where the panel splits",
        "2 SHIP, 2 SKIP",
        "they disagree by 45 points",
        "href=\"/tools?order=disputed\"",
    ] {
        assert!(html.contains(text), "/panel lacks {text:?}");
    }
    // Split tools: d (2-2) before c (1-1) before a (3-1).
    let at = |slug: &str| html.find(&format!("href=\"/tools/{slug}\"")).expect(slug);
    assert!(at("d") < at("c") && at("c") < at("a"));

    let (status, html) = app.get("/tools?order=disputed").await;
    assert_eq!(status, 200);
    let at = |slug: &str| html.find(&format!("href=\"/tools/{slug}\"")).expect(slug);
    assert!(at("d") < at("a") && at("a") < at("b") && at("b") < at("e"));
    assert!(html.contains("Most disputed"));
}

/// A tool's name is the reader's text wherever the panel page shows it.
async fn names_on_the_panel_page_are_text(db: Db) {
    let Some(app) = app_with(db, 0).await else {
        return;
    };
    use sea_orm::{ConnectionTrait, Statement};
    app.db
        .execute_raw(Statement::from_string(
            app.db.get_database_backend(),
            "UPDATE tools SET name = '<img src=x onerror=alert(1)>' WHERE slug = 'd'",
        ))
        .await
        .expect("renamed");
    let (status, html) = app.get("/panel").await;
    assert_eq!(status, 200);
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
}

on_both_databases!(
    a_tool_with_both_scores_says_how_far_apart_they_are,
    the_catalogue_orders_by_the_gap_with_unscored_tools_last,
    every_lens_has_its_record_and_the_splits_come_evenest_first,
    the_panel_costs_the_same_statements_whatever_the_catalogue,
    the_pages_say_it_in_words,
    names_on_the_panel_page_are_text,
);
