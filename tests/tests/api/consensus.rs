//! The consensus atop a comparison (issue 18, items 4, 6 and 11): the
//! panel's pick and each tool's top line, the editor's verdict line with
//! its byline and dates, the critics-vs-readers strip before the cards,
//! related comparisons and share links.

use scraper::{Html, Selector};
use serde_json::{json, Value};
use tests::{on_both_databases, Db, TestApp};

use crate::editing::signed_in;
use crate::{error_code, DEMO};

const PICK: &str = "query($a: String!, $b: String!) { compare(left: $a, right: $b) { \
    panelPick { side tool { slug } } \
    left { panelVerdict reviewerCount } right { panelVerdict reviewerCount } } }";

async fn ok(app: &TestApp, client: &reqwest::Client, query: &str, variables: Value) -> Value {
    let body = app.gql_as(client, query, variables).await;
    assert!(body["errors"].is_null(), "{query}: {body}");
    body["data"].clone()
}

/// A published tool without reviews, in `category`.
async fn publish_tool(app: &TestApp, editor: &reqwest::Client, slug: &str, category: &str) {
    let input = json!({
        "slug": slug, "name": format!("Tool {slug}"), "vendor": "Acme", "category": category,
        "tagline": "A tool for tests", "description": "Made by the test.",
        "license": "MIT", "pricingModel": "FREE", "pricingEntry": "Free"
    });
    ok(
        app,
        editor,
        "mutation($i: ToolInput!) { createTool(input: $i) { slug } }",
        json!({ "i": input }),
    )
    .await;
    ok(
        app,
        editor,
        "mutation($s: String!) { publishTool(slug: $s) { slug } }",
        json!({ "s": slug }),
    )
    .await;
}

async fn panel_pick_is_the_higher_ship_share_else_a_split_decision(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    // Claude Haiku: 2 of 4 ship; SmolVLM: 3 of 4.
    let curated = app
        .gql(
            "query($s: String!) { comparison(slug: $s) { panelPick { side tool { slug name } } \
             left { panelVerdict reviewerCount } right { panelVerdict reviewerCount } } }",
            json!({ "s": DEMO }),
        )
        .await;
    let c = &curated["data"]["comparison"];
    assert_eq!(c["panelPick"]["side"], "RIGHT", "{curated}");
    assert_eq!(c["panelPick"]["tool"]["slug"], "smolvlm-3b");
    assert_eq!(
        c["left"],
        json!({ "panelVerdict": "SPLIT", "reviewerCount": 4 })
    );
    assert_eq!(
        c["right"],
        json!({ "panelVerdict": "SHIP", "reviewerCount": 4 })
    );

    // GitHub Copilot (3 of 4) beats Whisper (2 of 3), on the left.
    let left = app
        .gql(
            PICK,
            json!({ "a": "github-copilot", "b": "whisper-large-v3" }),
        )
        .await;
    assert_eq!(
        left["data"]["compare"]["panelPick"],
        json!({ "side": "LEFT", "tool": { "slug": "github-copilot" } }),
        "{left}"
    );

    // Cursor and Stable Diffusion 3.5: 2 of 3 each, a tie.
    let tie = app
        .gql(PICK, json!({ "a": "cursor", "b": "stable-diffusion-3-5" }))
        .await;
    assert_eq!(
        tie["data"]["compare"]["panelPick"],
        json!({ "side": "SPLIT", "tool": null }),
        "{tie}"
    );
    assert_eq!(tie["data"]["compare"]["left"]["panelVerdict"], "SHIP");

    // Pgvector: 3 of 3 ship; a tool nobody reviewed is no contest.
    let editor = signed_in(&app).await;
    publish_tool(&app, &editor, "unreviewed", "vector-databases").await;
    let unscored = app
        .gql(PICK, json!({ "a": "pgvector", "b": "unreviewed" }))
        .await;
    let c = &unscored["data"]["compare"];
    assert_eq!(
        c["panelPick"],
        json!({ "side": "SPLIT", "tool": null }),
        "{unscored}"
    );
    assert_eq!(
        c["right"],
        json!({ "panelVerdict": null, "reviewerCount": 0 })
    );
}

async fn verdict_line_is_an_editors_one_line_and_moves_updated_at(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let read =
        "query($s: String!) { comparison(slug: $s) { verdictLine byline publishedAt updatedAt } }";
    let before = app.gql(read, json!({ "s": DEMO })).await;
    let before = &before["data"]["comparison"];
    assert!(
        before["verdictLine"]
            .as_str()
            .is_some_and(|l| l.starts_with("Study Haiku")),
        "demo data has verdict lines: {before}"
    );
    assert_eq!(before["byline"], "The Verdicts desk");
    assert_eq!(
        before["updatedAt"], before["publishedAt"],
        "imported rows were last changed when published"
    );

    let update = "mutation($s: String!, $i: ComparisonInput!) { updateComparison(slug: $s, input: $i) { verdictLine byline updatedAt } }";
    let input = |line: Value| {
        json!({
            "slug": DEMO, "title": "Claude Haiku Open Weights vs SmolVLM-3B",
            "summary": "Both are free to download.", "left": "claude-haiku-open-weights",
            "right": "smolvlm-3b", "verdictLine": line, "byline": "Ana Editor"
        })
    };

    // Readers and anonymous scripts cannot write it.
    let anonymous = app
        .gql(update, json!({ "s": DEMO, "i": input(json!("Mine now.")) }))
        .await;
    assert!(
        matches!(
            error_code(&anonymous),
            Some("UNAUTHENTICATED" | "FORBIDDEN")
        ),
        "{anonymous}"
    );

    let editor = signed_in(&app).await;
    for (line, why) in [
        (json!("x".repeat(161)), "longer than 160 characters"),
        (json!("two\nlines"), "a line break"),
        (json!("   "), "blank"),
    ] {
        let refused = app
            .gql_as(&editor, update, json!({ "s": DEMO, "i": input(line) }))
            .await;
        assert_eq!(error_code(&refused), Some("VALIDATION"), "{why}: {refused}");
        assert_eq!(
            refused["errors"][0]["extensions"]["field"], "verdictLine",
            "{why}"
        );
    }
    let unchanged = app.gql(read, json!({ "s": DEMO })).await;
    assert_eq!(
        &unchanged["data"]["comparison"], before,
        "refusals change nothing"
    );

    let longest = "y".repeat(160);
    let saved = ok(
        &app,
        &editor,
        update,
        json!({ "s": DEMO, "i": input(json!(longest)) }),
    )
    .await;
    assert_eq!(saved["updateComparison"]["verdictLine"], longest.as_str());
    assert_eq!(saved["updateComparison"]["byline"], "Ana Editor");
    let updated = saved["updateComparison"]["updatedAt"]
        .as_str()
        .unwrap_or_default();
    let published = before["publishedAt"].as_str().unwrap_or_default();
    assert!(
        chrono::DateTime::parse_from_rfc3339(updated).ok()
            > chrono::DateTime::parse_from_rfc3339(published).ok(),
        "updatedAt moves on an edit: {updated} after {published}"
    );

    // Markup in it is text on the page and in the page's description.
    let hostile = "<script>alert(1)</script> & \"quotes\"";
    ok(
        &app,
        &editor,
        update,
        json!({ "s": DEMO, "i": input(json!(hostile)) }),
    )
    .await;
    let (status, html) = app.get(&format!("/compare/{DEMO}")).await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert(1)"), "markup became markup");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let page = Html::parse_document(&html);
    let line = Selector::parse("[data-testid=verdict-line]").expect("a selector");
    let shown: String = page
        .select(&line)
        .next()
        .expect("the verdict line")
        .text()
        .collect();
    assert_eq!(shown, hostile);
    let meta = Selector::parse("meta[name=description]").expect("a selector");
    let description = page
        .select(&meta)
        .next()
        .and_then(|m| m.value().attr("content"))
        .expect("a description");
    assert_eq!(description, hostile, "read back exactly as typed");
    let credits = Selector::parse("[data-testid=credits]").expect("a selector");
    let credits: String = page
        .select(&credits)
        .next()
        .expect("the credits")
        .text()
        .collect();
    assert!(credits.contains("By Ana Editor"), "{credits}");
    assert!(credits.contains("Published 21 Nov 2026"), "{credits}");
    assert!(credits.contains("Updated "), "{credits}");
}

async fn related_comparisons_share_a_tool_first_then_a_category(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let editor = signed_in(&app).await;
    publish_tool(&app, &editor, "assemblyai", "speech").await;
    let related =
        "query($a: String!, $b: String!) { compare(left: $a, right: $b) { related { slug } } }";
    let slugs = |body: &Value| -> Vec<String> {
        body["data"]["compare"]["related"]
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|c| c["slug"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    // Sharing Cursor (published 12 Oct) comes before the newer comparison
    // of AssemblyAI's category (2 Nov); unrelated ones stay out.
    let body = app
        .gql(related, json!({ "a": "cursor", "b": "assemblyai" }))
        .await;
    assert_eq!(
        slugs(&body),
        [
            "cursor-vs-github-copilot",
            "whisper-large-v3-vs-deepgram-nova-3"
        ],
        "{body}"
    );
    // A curated comparison leaves itself out, in either order of its tools.
    let own = app
        .gql(related, json!({ "a": "github-copilot", "b": "cursor" }))
        .await;
    assert_eq!(slugs(&own), Vec::<String>::new(), "{own}");
    let refused = app
        .gql(
            "{ compare(left: \"cursor\", right: \"qdrant\") { related(first: 13) { slug } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&refused), Some("VALIDATION"), "{refused}");

    // The page lists them at its end, after the scorecard.
    let (status, html) = app.get("/compare/cursor-vs-assemblyai").await;
    assert_eq!(status, 200);
    let section = html
        .find("data-testid=\"related\"")
        .expect("related comparisons");
    assert!(html.find("id=\"scorecard-title\"").expect("the scorecard") < section);
    assert!(html[section..].contains("href=\"/compare/cursor-vs-github-copilot\""));
}

async fn comparison_page_opens_with_the_consensus_and_both_scores_before_the_cards(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let (status, html) = app.get(&format!("/compare/{DEMO}")).await;
    assert_eq!(status, 200);
    let at = |needle: &str| {
        html.find(needle)
            .unwrap_or_else(|| panic!("the page lacks {needle:?}"))
    };
    let page = Html::parse_document(&html);
    let text = |selector: &str| -> String {
        let selector = Selector::parse(selector).expect("a selector");
        page.select(&selector)
            .next()
            .map(|e| e.text().collect::<String>())
            .unwrap_or_default()
    };
    assert!(text("[data-testid=panel-pick]").contains("Panel\u{2019}s pick"));
    assert!(text("[data-testid=panel-pick]").contains("SmolVLM-3B"));
    assert!(text("[data-testid=credits]").contains("By The Verdicts desk"));
    assert!(text("[data-testid=credits]").contains("Published 21 Nov 2026"));
    let left = text("[data-testid=strip-left]");
    let right = text("[data-testid=strip-right]");
    assert!(
        left.contains("SPLIT") && left.contains("50%") && left.contains("4 reviewers"),
        "{left}"
    );
    assert!(
        right.contains("SHIP") && right.contains("75%") && right.contains("4 reviewers"),
        "{right}"
    );
    assert!(
        left.contains("Readers") && left.contains("0 votes"),
        "{left}"
    );
    // Critics and readers come before the cards and the summary.
    assert!(at("data-testid=\"verdict-line\"") < at("data-testid=\"score-strip\""));
    assert!(at("data-testid=\"score-strip\"") < at("class=\"tool-card\""));
    assert!(at("data-testid=\"score-strip\"") < at("class=\"summary\""));

    // The two kinds of button read apart: a verdict per tool, one pick.
    assert_eq!(
        text(".vote-prompt"),
        "Your verdict: would you ship Claude Haiku Open Weights?"
    );
    assert!(text("#h2h-title").contains("Which would you pick?"));
    let pick_buttons = Selector::parse(".pick button").expect("a selector");
    let labels: Vec<String> = page
        .select(&pick_buttons)
        .map(|b| b.text().collect::<String>())
        .collect();
    assert_eq!(
        labels,
        ["Pick Claude Haiku Open Weights", "Pick SmolVLM-3B"]
    );
    assert!(text("[data-testid=h2h-summary]").starts_with("Readers\u{2019} picks"));

    // JSON-LD names the author and the dates.
    let ld = Selector::parse("script[type=\"application/ld+json\"]").expect("a selector");
    let data: Value = page
        .select(&ld)
        .next()
        .map(|s| serde_json::from_str(&s.inner_html()).expect("valid JSON-LD"))
        .expect("JSON-LD");
    assert_eq!(data["author"]["name"], "The Verdicts desk");
    assert!(
        data["datePublished"]
            .as_str()
            .is_some_and(|at| at.starts_with("2026-11-21T09:00:00")),
        "{data}"
    );
    assert!(data["dateModified"].is_string());

    // Ad hoc: the same strip, no verdict line or credits, and the pair's
    // own pick, posted with the two tools rather than a comparison.
    let (status, html) = app.get("/compare/pgvector-vs-cursor").await;
    assert_eq!(status, 200);
    assert!(html.contains("data-testid=\"score-strip\""));
    assert!(html.contains("data-testid=\"panel-pick\""));
    assert!(!html.contains("data-testid=\"verdict-line\""));
    assert!(!html.contains("data-testid=\"credits\""));
    assert!(html.contains("action=\"/pick\""));
    assert!(html.contains(r#"name="left" value="pgvector""#));
    assert!(!html.contains(r#"name="comparison""#));
}

async fn share_links_encode_the_title_and_address(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let title = "Tom & Jerry's \"best\" <b>pick</b> #1?";
    ok(
        &app,
        &editor,
        "mutation($i: ComparisonInput!) { createComparison(input: $i) { slug } }",
        json!({ "i": {
            "slug": "whisper-vs-qdrant", "title": title, "summary": "Odd pair.",
            "left": "whisper-large-v3", "right": "qdrant"
        } }),
    )
    .await;
    ok(
        &app,
        &editor,
        "mutation { publishComparison(slug: \"whisper-vs-qdrant\") { slug } }",
        json!({}),
    )
    .await;
    let (status, html) = app.get("/compare/whisper-vs-qdrant").await;
    assert_eq!(status, 200);
    assert!(!html.contains("<b>pick</b>"), "the title stays text");
    assert!(html.contains("&lt;b&gt;pick&lt;/b&gt;"));
    let page = Html::parse_document(&html);
    let copy = Selector::parse("input#share-url").expect("a selector");
    let field = page.select(&copy).next().expect("the link field");
    assert_eq!(field.value().attr("readonly"), Some(""));
    let address = field.value().attr("value").unwrap_or_default().to_owned();
    assert!(
        address.starts_with("http") && address.ends_with("/compare/whisper-vs-qdrant"),
        "{address}"
    );
    let links = Selector::parse("[data-testid=share] .share-links a").expect("a selector");
    let mut networks = Vec::new();
    for link in page.select(&links) {
        let name: String = link.text().collect();
        let href = link.value().attr("href").expect("an href");
        assert_eq!(
            link.value().attr("rel"),
            Some("noopener noreferrer"),
            "{name}"
        );
        let parsed = reqwest::Url::parse(href).unwrap_or_else(|e| panic!("{name}: {href}: {e}"));
        let values: Vec<String> = parsed.query_pairs().map(|(_, v)| v.into_owned()).collect();
        // Each part is one whole value: nothing in the title splits it.
        assert!(
            values.iter().any(|v| v.contains(&address)),
            "{name} shares the address whole: {href}"
        );
        // LinkedIn takes the address alone.
        assert!(
            name == "LinkedIn" || values.iter().any(|v| v.contains(title)),
            "{name} carries the title whole: {href}"
        );
        assert!(
            !href.contains(' ') && !href.contains('"') && !href.contains('<'),
            "{href}"
        );
        networks.push(name);
    }
    assert_eq!(
        networks,
        [
            "X (Twitter)",
            "LinkedIn",
            "Reddit",
            "Hacker News",
            "Bluesky",
            "Mastodon",
            "Email"
        ]
    );
    assert!(
        !html.contains("<script src=\"http"),
        "no third-party script"
    );
}

on_both_databases!(
    panel_pick_is_the_higher_ship_share_else_a_split_decision,
    verdict_line_is_an_editors_one_line_and_moves_updated_at,
    related_comparisons_share_a_tool_first_then_a_category,
    comparison_page_opens_with_the_consensus_and_both_scores_before_the_cards,
    share_links_encode_the_title_and_address,
);
