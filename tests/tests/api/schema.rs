//! The committed SDL equals the live schema, and the UI's operations are valid against it.

use serde_json::{json, Value};
use tests::{workspace_root, Db, TestApp};

/// A plain test, without a runtime, a database or a server: the SDL needs
/// none of them (the served one equals it: see `api_docs`).
#[test]
fn committed_schema_graphql_equals_the_live_schema() {
    let live = server::graphql::sdl();
    let path = workspace_root().join("schema.graphql");
    if std::env::var("UPDATE_SCHEMA").is_ok() {
        std::fs::write(&path, &live).expect("write schema.graphql");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != live {
        let line = committed
            .lines()
            .zip(live.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(live.lines().count()));
        panic!(
            "schema.graphql differs from the live schema from line {}:\n  committed: {:?}\n  live:      {:?}\n\
             review the change and run `make schema`",
            line + 1,
            committed.lines().nth(line).unwrap_or("<end of file>"),
            live.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}

#[tokio::test]
async fn every_ui_operation_runs_against_the_live_schema() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    for (name, query) in app::operations::ALL {
        let variables = match *name {
            "ComparisonBySlug" => json!({ "slug": crate::DEMO }),
            "ComparisonByPair" => json!({ "a": "cursor", "b": "qdrant" }),
            "Home" => json!({ "first": 5 }),
            "ToolPage" => json!({ "slug": "smolvlm-3b" }),
            "CastVote" => json!({ "tool": "smolvlm-3b", "verdict": "SHIP" }),
            "Pick" => json!({ "comparison": crate::DEMO, "tool": "smolvlm-3b" }),
            "Subscribe" => json!({ "email": "ops@example.com" }),
            "CategoryPage" => json!({ "slug": "developer-tools" }),
            "ReviewerPage" => json!({ "slug": "maya-okafor" }),
            "Catalogue" => json!({ "filter": { "pricingModel": "FREE" },
                "orderBy": { "field": "PANEL_SCORE" }, "after": null }),
            "Search" => json!({ "q": "smol" }),
            "PickerTools" => json!({ "search": "cu" }),
            "Alternatives" => json!({ "category": "developer-tools" }),
            other => panic!("no variables for the operation {other}"),
        };
        let body = app.gql(query, variables).await;
        assert!(body["errors"].is_null(), "{name}: {body}");
        match *name {
            "ComparisonBySlug" => {
                drop(app::graphql::decode::<app::operations::ComparisonBySlug>(body).expect(name))
            }
            "ComparisonByPair" => {
                drop(app::graphql::decode::<app::operations::ComparisonByPair>(body).expect(name))
            }
            "Home" => drop(app::graphql::decode::<app::operations::Home>(body).expect(name)),
            "ToolPage" => {
                drop(app::graphql::decode::<app::operations::ToolPageData>(body).expect(name))
            }
            "Pick" => drop(app::graphql::decode::<app::operations::Pick>(body).expect(name)),
            "Subscribe" => {
                drop(app::graphql::decode::<app::operations::Subscribed>(body).expect(name))
            }
            "CategoryPage" => {
                drop(app::graphql::decode::<app::operations::CategoryPage>(body).expect(name))
            }
            "ReviewerPage" => {
                drop(app::graphql::decode::<app::operations::ReviewerPage>(body).expect(name))
            }
            "Catalogue" => {
                drop(app::graphql::decode::<app::operations::Catalogue>(body).expect(name))
            }
            "Search" => drop(app::graphql::decode::<app::operations::Search>(body).expect(name)),
            "PickerTools" => {
                drop(app::graphql::decode::<app::operations::PickerTools>(body).expect(name))
            }
            "Alternatives" => {
                drop(app::graphql::decode::<app::operations::Alternatives>(body).expect(name))
            }
            _ => drop(app::graphql::decode::<app::operations::CastVote>(body).expect(name)),
        }
    }
}

#[tokio::test]
async fn every_admin_operation_runs_for_a_signed_in_editor() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    server::domain::editors::create_editor(
        &app.db,
        "ed@verdicts.example",
        "a long passphrase here",
    )
    .await
    .expect("an editor");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-verdicts-csrf", "1".parse().expect("a header"));
    let editor = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .expect("a client");
    let signed_in = app
        .gql_as(
            &editor,
            app::operations::SIGN_IN,
            json!({ "email": "ed@verdicts.example", "password": "a long passphrase here" }),
        )
        .await;
    assert!(signed_in["errors"].is_null(), "{signed_in}");
    for (name, query) in app::operations::ADMIN {
        let tool = json!({
            "slug": "scratch-tool", "name": "Scratch", "vendor": "Acme", "category": "vector-databases",
            "tagline": "A scratch tool", "description": "Made by the test.", "license": "MIT",
            "pricingModel": "FREE", "pricingEntry": "Free", "websiteUrl": null });
        let reviewer = json!({ "slug": "scratch-reviewer", "name": "Scratch Reviewer",
            "lens": "BUSINESS_CASE", "bio": "Made by the test." });
        let comparison = json!({ "slug": "scratch-vs-cursor", "title": "Scratch vs Cursor",
            "summary": "Made by the test.", "left": "scratch-tool", "right": "cursor" });
        let variables = match *name {
            "PublishTool" | "UnpublishTool" => json!({ "slug": "scratch-tool" }),
            "PublishComparison" | "UnpublishComparison" | "AdminComparison" | "AdminScorecard" => {
                json!({ "slug": crate::DEMO })
            }
            "AdminTools" => json!({ "search": "cur" }),
            "AdminTool" => json!({ "slug": "cursor" }),
            "UpdateTool" => json!({ "slug": "qdrant", "input": {
                "slug": "qdrant", "name": "Qdrant", "vendor": "Qdrant", "category": "vector-databases",
                "tagline": "Vector search engine", "description": "A vector database.", "license": "Apache-2.0",
                "pricingModel": "FREEMIUM", "pricingEntry": "Free tier", "websiteUrl": null } }),
            "CreateTool" => json!({ "input": tool }),
            "AdminReviewers" => json!({ "search": "maya" }),
            "AdminReviewer" => json!({ "slug": "maya-okafor" }),
            "CreateReviewer" => json!({ "input": reviewer }),
            "UpdateReviewer" => json!({ "slug": "scratch-reviewer", "input": reviewer }),
            "AdminComparisons" => json!({ "search": "vs" }),
            "CreateComparison" => json!({ "input": comparison }),
            "UpdateComparison" => json!({ "slug": "scratch-vs-cursor", "input": comparison }),
            "UpsertReviews" => {
                json!({ "input": [{ "tool": "scratch-tool", "reviewer": "scratch-reviewer",
                "verdict": "SHIP", "body": "Fine.", "published": false }] })
            }
            "DeleteReview" => json!({ "tool": "scratch-tool", "reviewer": "scratch-reviewer" }),
            "DeleteComparison" => json!({ "slug": "scratch-vs-cursor", "cascade": false }),
            "DeleteReviewer" => json!({ "slug": "scratch-reviewer" }),
            "DeleteTool" => json!({ "slug": "scratch-tool", "cascade": false }),
            _ => json!({}),
        };
        let body = app.gql_as(&editor, query, variables).await;
        assert!(body["errors"].is_null(), "{name}: {body}");
        if *name == "AdminTools" {
            let data: app::operations::AdminTools = app::graphql::decode(body.clone()).expect(name);
            let slugs: Vec<_> = data
                .all_tools
                .expect("tools")
                .edges
                .into_iter()
                .map(|e| e.node.slug)
                .collect();
            assert_eq!(slugs, ["cursor"], "search finds by name");
        }
        // Every page's data decodes into the type the page reads.
        let decoded = match *name {
            "AdminTool" => decode_as::<app::operations::AdminTool>(&body),
            "AdminNewTool" => decode_as::<app::operations::AdminNewTool>(&body),
            "AdminReviewers" => decode_as::<app::operations::AdminReviewers>(&body),
            "AdminReviewer" => decode_as::<app::operations::AdminReviewer>(&body),
            "AdminComparisons" => decode_as::<app::operations::AdminComparisons>(&body),
            "AdminComparison" => decode_as::<app::operations::AdminComparison>(&body),
            "AdminNewComparison" => decode_as::<app::operations::AdminNewComparison>(&body),
            "AdminScorecard" => decode_as::<app::operations::AdminScorecard>(&body),
            "AdminOutbox" => decode_as::<app::operations::AdminOutbox>(&body),
            _ => Ok(()),
        };
        decoded.unwrap_or_else(|e| panic!("{name}: {e}"));
        if *name == "AdminDashboard" {
            let data: app::operations::AdminDashboard =
                app::graphql::decode(body).expect("the dashboard decodes");
            assert!(data.me.is_some() && data.catalogue_stats.is_some());
        }
    }
}

fn decode_as<T: serde::de::DeserializeOwned>(body: &Value) -> Result<(), String> {
    app::graphql::decode::<T>(body.clone())
        .map(drop)
        .map_err(|e| e.to_string())
}
