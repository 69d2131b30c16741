//! The reader's site beyond the comparison page: discovery pages (home,
//! catalogue, categories, reviewers, search, the compare picker), feeds and
//! sitemap, robots.txt, badges, share tags, JSON-LD and score history.

use entities::tool;
use sea_orm::{sea_query::Expr, ColumnTrait, EntityTrait, QueryFilter};
use serde_json::Value;
use tests::{on_both_databases, Db, TestApp, PUBLIC_URL};

/// Every JSON-LD block of a page, parsed (a parse failure fails the test).
fn json_ld(html: &str) -> Vec<Value> {
    html.split("<script type=\"application/ld+json\">")
        .skip(1)
        .map(|rest| {
            let text = rest.split("</script>").next().unwrap_or_default();
            serde_json::from_str(text).unwrap_or_else(|e| panic!("invalid JSON-LD ({e}): {text}"))
        })
        .collect()
}

/// The `content` of `<meta property|name="key" content="…">`.
fn meta<'a>(html: &'a str, key: &str) -> Option<&'a str> {
    ["property", "name"].iter().find_map(|attr| {
        let marker = format!("{attr}=\"{key}\" content=\"");
        html.split(&marker)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
    })
}

async fn unpublish(app: &TestApp, slug: &str) {
    tool::Entity::update_many()
        .col_expr(
            tool::Column::PublishedAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
        .filter(tool::Column::Slug.eq(slug))
        .exec(&app.db)
        .await
        .expect("the tool is unpublished");
}

async fn every_page_type_renders_with_its_key_content_and_share_tags(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let pages: [(&str, &[&str]); 9] = [
        (
            "/",
            &[
                "Latest comparisons",
                "The panel ships",
                "Readers ship",
                "/categories/speech",
                "The Weekly Verdicts",
            ],
        ),
        (
            "/tools",
            &[
                "Every tool, scored",
                "10 tools match.",
                "name=\"pricing\"",
                "Whisper",
            ],
        ),
        (
            "/tools?pricing=FREE&order=name",
            &["Claude Haiku Open Weights", "name=\"order\""],
        ),
        (
            "/categories/vector-databases",
            &["Vector Databases", "Qdrant", "pgvector", "compare them"],
        ),
        (
            "/reviewers/maya-okafor",
            &["Maya Okafor", "lens", "Reviews (", "SHIP"],
        ),
        (
            "/search?q=whisper",
            &[
                "Results for",
                "<mark>Whisper",
                "whisper-large-v3-vs-deepgram-nova-3",
            ],
        ),
        (
            "/compare",
            &[
                "Compare any two tools",
                "action=\"/compare/go\"",
                "role=\"combobox\"",
            ],
        ),
        (
            "/tools/qdrant",
            &[
                "Alternatives",
                "Compare with this",
                "/compare/qdrant-vs-pgvector",
                "Score history",
                "/badge/qdrant.svg",
                "Embed this",
            ],
        ),
        (
            "/newsletter",
            &["The Weekly Verdicts", "action=\"/newsletter\""],
        ),
    ];
    for (path, texts) in pages {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        for text in texts {
            assert!(html.contains(text), "{path} lacks {text:?}");
        }
        assert!(html.contains("<title>"), "{path} has a title");
        assert!(
            meta(&html, "description").is_some_and(|d| d.len() > 20),
            "{path} has a description"
        );
        let canonical = html
            .split("<link ")
            .find(|tag| {
                tag.split('>')
                    .next()
                    .is_some_and(|t| t.contains("rel=\"canonical\""))
            })
            .and_then(|tag| tag.split("href=\"").nth(1))
            .and_then(|rest| rest.split('"').next())
            .unwrap_or_else(|| panic!("{path} has a canonical link"));
        assert!(
            canonical.starts_with(PUBLIC_URL),
            "{path}: canonical {canonical} is absolute"
        );
        if path != "/newsletter" {
            assert_eq!(meta(&html, "og:url"), Some(canonical), "{path}: og:url");
            assert!(meta(&html, "og:title").is_some(), "{path}: og:title");
            assert_eq!(
                meta(&html, "twitter:card"),
                Some("summary"),
                "{path}: twitter:card"
            );
        }
    }
    for (path, kind) in [
        ("/", "WebSite"),
        ("/tools/qdrant", "SoftwareApplication"),
        ("/reviewers/maya-okafor", "Person"),
    ] {
        let (_, html) = app.get(path).await;
        let blocks = json_ld(&html);
        assert_eq!(blocks.len(), 1, "{path}: one JSON-LD block");
        assert_eq!(blocks[0]["@context"], "https://schema.org");
        assert_eq!(blocks[0]["@type"], kind, "{path}");
    }
    let (_, html) = app.get(&format!("/compare/{}", crate::DEMO)).await;
    let blocks = json_ld(&html);
    let about = blocks[0]["about"].as_array().expect("the two tools");
    assert_eq!(about.len(), 2);
    for tool in about {
        assert_eq!(tool["@type"], "SoftwareApplication");
        let reviews = tool["review"].as_array().expect("reviews");
        assert_eq!(
            reviews.len(),
            4,
            "the four panel reviews of {}",
            tool["name"]
        );
        for review in reviews {
            let rating = review["reviewRating"]["ratingValue"].as_i64();
            assert!(
                matches!(rating, Some(0 | 1)),
                "a verdict is 1 (SHIP) or 0 (SKIP)"
            );
            assert!(review["name"]
                .as_str()
                .is_some_and(|n| n.starts_with("SHIP") || n.starts_with("SKIP")));
        }
    }
    let smolvlm = about
        .iter()
        .find(|t| t["name"] == "SmolVLM-3B")
        .expect("SmolVLM");
    assert_eq!(smolvlm["aggregateRating"]["ratingValue"], 0.75);
    assert_eq!(meta(&html, "og:type"), Some("article"));

    // Unknown things are helpful 404s, not errors.
    for path in [
        "/categories/no-such-category",
        "/reviewers/nobody",
        "/categories/Bad%20Slug",
    ] {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("We have no verdict on that page"), "{path}");
    }
    // Hostile input is shown as text, never as markup.
    let (status, html) = app
        .get("/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert(1)") && html.contains("&lt;script&gt;"));
    let (status, html) = app
        .get("/tools?pricing=NOT_A_MODEL&min_panel=900&order=%00")
        .await;
    assert_eq!(status, 200, "invalid filters are ignored");
    assert!(html.contains("10 tools match."));
}

async fn the_catalogue_filters_orders_and_pages_like_the_api(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let (_, html) = app.get("/tools?category=speech").await;
    assert!(
        html.contains("2 tools match.") && html.contains("Deepgram") && !html.contains("Qdrant")
    );
    let (_, html) = app.get("/tools?q=qdrant").await;
    assert!(html.contains("1 tool matches."), "one tool, one verb");
    let (_, html) = app.get("/tools?license=apache-2.0&order=name").await;
    let smol = html.find("SmolVLM-3B").expect("SmolVLM is Apache-2.0");
    let qdrant = html.find(">Qdrant<").expect("Qdrant is Apache-2.0");
    assert!(qdrant < smol, "ordered by name");
    let (_, html) = app.get("/tools?min_panel=75").await;
    assert!(html.contains("SmolVLM-3B") && !html.contains(">Claude Haiku Open Weights<"));
    let (_, html) = app.get("/tools?order=name&direction=desc").await;
    let whisper = html.find(">Whisper large-v3<").expect("Whisper");
    let cursor = html.find(">Cursor<").expect("Cursor");
    assert!(whisper < cursor, "Z to A");
    // The sort box sends order and direction as one value, in words.
    assert!(
        html.contains("<option value=\"name-desc\" selected"),
        "Z to A chosen"
    );
    assert!(html.contains(">Name, Z\u{2013}A<"));
    assert!(!html.contains("Natural") && !html.contains("name=\"direction\""));
    let (_, html) = app.get("/tools?order=name-desc").await;
    let whisper = html.find(">Whisper large-v3<").expect("Whisper");
    let cursor = html.find(">Cursor<").expect("Cursor");
    assert!(whisper < cursor, "Z to A from the sort box");
    let (_, html) = app.get("/tools?order=newest-asc").await;
    assert!(
        html.contains("<option value=\"newest-asc\" selected"),
        "{html}"
    );
    let (_, html) = app.get("/tools?min_readers=0").await;
    assert!(
        html.contains("No tool matches."),
        "no tool has enough votes to show a readers' score"
    );
    let (_, html) = app.get("/tools?q=zzzz-nothing").await;
    assert!(html.contains("No tool matches these filters"));
    // The search page finds comparisons by either tool's name.
    let (_, html) = app.get("/search?q=copilot").await;
    assert!(html.contains("/compare/cursor-vs-github-copilot"));
    let (_, html) = app.get("/search?q=qqqqq").await;
    assert!(html.contains("Nothing matches"));
    let (status, html) = app.get("/search").await;
    assert_eq!(status, 200);
    assert!(html.contains("Find a tool or a comparison"));
}

async fn the_picker_without_javascript_leads_to_the_comparison(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let location = |path: &str| {
        let request = app.client.get(format!("{}{path}", app.address)).send();
        async move {
            let response = request.await.expect("an answer");
            assert_eq!(response.status().as_u16(), 303);
            response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        }
    };
    assert_eq!(
        location("/compare/go?left=Claude+Haiku+Open+Weights&right=SmolVLM-3B").await,
        "/compare/claude-haiku-open-weights-vs-smolvlm-3b"
    );
    assert_eq!(
        location("/compare/go?left=cursor&right=Cursor").await,
        "/compare?problem=same"
    );
    assert_eq!(
        location("/compare/go?left=&right=cursor").await,
        "/compare?problem=missing"
    );
    assert_eq!(location("/compare/go").await, "/compare?problem=missing");
    let (status, html) = app.get("/compare?problem=same").await;
    assert_eq!(status, 200);
    assert!(html.contains("Choose two different tools."));
    let (status, _) = app.get("/compare/qdrant-vs-whisper-large-v3").await;
    assert_eq!(status, 200, "any two tools compare");
}

async fn feeds_sitemap_and_robots_list_public_pages_only(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    unpublish(&app, "cursor").await;
    let response = app
        .client
        .get(format!("{}/feed.xml", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    assert!(response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/atom+xml")));
    let feed = response.text().await.expect("a body");
    let doc = roxmltree::Document::parse(&feed).expect("the feed is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    let entries: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    assert_eq!(
        entries.len(),
        3,
        "the comparison with a draft tool is left out"
    );
    let first_id = entries[0]
        .children()
        .find(|n| n.has_tag_name("id"))
        .and_then(|n| n.text())
        .expect("an id");
    assert_eq!(
        first_id,
        format!("{PUBLIC_URL}/compare/{}", crate::DEMO),
        "newest first"
    );
    assert!(!feed.contains("cursor-vs-github-copilot"));

    let (status, sitemap) = app.get("/sitemap.xml").await;
    assert_eq!(status, 200);
    let doc = roxmltree::Document::parse(&sitemap).expect("the sitemap is well-formed XML");
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text().map(str::to_owned))
        .collect();
    for path in [
        "/",
        "/tools",
        "/compare",
        "/tools/qdrant",
        "/compare/qdrant-vs-pgvector",
        "/categories/speech",
        "/reviewers/maya-okafor",
    ] {
        assert!(
            locs.contains(&format!("{PUBLIC_URL}{path}")),
            "the sitemap lists {path}"
        );
    }
    assert!(
        !locs.iter().any(|l| l.contains("cursor")),
        "drafts are not listed: {locs:?}"
    );
    // Every URL in the sitemap is a page that answers 200.
    for loc in &locs {
        let path = loc.strip_prefix(PUBLIC_URL).expect("absolute");
        assert_eq!(app.get(path).await.0, 200, "{path} from the sitemap");
    }
    let (status, robots) = app.get("/robots.txt").await;
    assert_eq!(status, 200);
    assert!(robots.contains("Disallow: /admin"));
    assert!(robots.contains(&format!("Sitemap: {PUBLIC_URL}/sitemap.xml")));
}

async fn badges_show_both_scores_as_svg(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let response = app
        .client
        .get(format!("{}/badge/smolvlm-3b.svg", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/svg+xml")
    );
    let svg = response.text().await.expect("a body");
    let doc = roxmltree::Document::parse(&svg).expect("the badge is well-formed SVG");
    assert_eq!(doc.root_element().tag_name().name(), "svg");
    assert!(svg.contains("panel 75%"), "{svg}");
    assert!(svg.contains("readers \u{2014}"), "too few votes: withheld");
    assert!(svg
        .contains("<title>Verdicts on SmolVLM-3B: panel 75% ship, readers too few votes</title>"));
    for path in [
        "/badge/no-such-tool.svg",
        "/badge/smolvlm-3b.png",
        "/badge/%3Cx%3E.svg",
    ] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(body.contains("no such tool"));
    }
    unpublish(&app, "cursor").await;
    assert_eq!(
        app.get("/badge/cursor.svg").await.0,
        404,
        "drafts have no badge"
    );
}

async fn score_history_is_recorded_daily_and_charted(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let (_, html) = app.get("/tools/smolvlm-3b").await;
    assert!(html.contains("No score history recorded yet."));
    let today = chrono::Utc::now().date_naive();
    for days_ago in [20, 10, 0] {
        let day = today - chrono::Duration::days(days_ago);
        let rows = server::domain::history::record(&app.db, day)
            .await
            .expect("recorded");
        assert_eq!(rows, 10, "one row per published tool");
        if days_ago == 20 {
            // One day is no line: the page says where the history starts.
            let (_, html) = app.get("/tools/smolvlm-3b").await;
            let first = day.format("%Y-%m-%d");
            assert!(
                html.contains(&format!("The history starts on {first}: panel 75%")),
                "one recorded day"
            );
            assert!(
                !html.contains("class=\"history-chart\""),
                "no chart of one dot"
            );
        }
    }
    // Recording again the same day rewrites, never duplicates.
    server::domain::history::record(&app.db, today)
        .await
        .expect("recorded");
    let body = app
        .gql(
            "{ tool(slug: \"smolvlm-3b\") { scoreHistory(days: 15) { day panel { shipPercent total } community { total } } } }",
            serde_json::json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let history = body["data"]["tool"]["scoreHistory"]
        .as_array()
        .expect("a list");
    assert_eq!(
        history.len(),
        2,
        "the 20-day-old snapshot is outside 15 days"
    );
    assert_eq!(history[1]["day"], today.format("%Y-%m-%d").to_string());
    assert_eq!(history[1]["panel"]["shipPercent"], 75);
    let refused = app
        .gql(
            "{ tool(slug: \"smolvlm-3b\") { scoreHistory(days: 0) { day } } }",
            serde_json::json!({}),
        )
        .await;
    assert_eq!(crate::error_code(&refused), Some("VALIDATION"));
    let (_, html) = app.get("/tools/smolvlm-3b").await;
    assert!(
        html.contains("class=\"history-chart\"") && html.contains("<polyline"),
        "the chart"
    );
    assert!(html.contains("3 recorded days"), "its text alternative");
    assert!(!html.contains("The history starts on"));
}

on_both_databases!(
    every_page_type_renders_with_its_key_content_and_share_tags,
    the_catalogue_filters_orders_and_pages_like_the_api,
    the_picker_without_javascript_leads_to_the_comparison,
    feeds_sitemap_and_robots_list_public_pages_only,
    badges_show_both_scores_as_svg,
    score_history_is_recorded_daily_and_charted,
);
