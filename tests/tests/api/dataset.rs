//! `import` and `export`: idempotent, atomic, round-tripping.

use server::dataset::{self, DatasetError};
use tests::{on_both_databases, workspace_root, Db, SpawnOptions, TestApp};

fn demo() -> dataset::Dataset {
    let text = std::fs::read_to_string(workspace_root().join("data/demo.json")).expect("demo.json");
    dataset::parse(&text).expect("the demo catalogue parses")
}

async fn import_of_the_same_file_again_changes_nothing(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let before = dataset::export(&app.db).await.expect("export");
    let summary = dataset::import(&app.db, &demo()).await.expect("re-import");
    assert_eq!(summary.changed(), 0, "{summary}");
    assert_eq!(dataset::export(&app.db).await.expect("export"), before);
}

async fn export_then_import_into_an_empty_database_round_trips(db: Db) {
    let Some(source) = TestApp::spawn(db).await else {
        return;
    };
    // Votes too: the export carries them.
    for verdict in ["SHIP", "SKIP"] {
        let reader = TestApp::new_client();
        crate::contract_as(
            &source,
            &reader,
            "Vote",
            serde_json::json!({ "tool": "cursor", "v": verdict }),
        )
        .await;
    }
    let exported = dataset::export(&source.db).await.expect("export");
    assert_eq!(exported.votes.len(), 2);
    let Some(target) = TestApp::spawn_with(
        db,
        SpawnOptions {
            demo: false,
            ..SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    assert!(dataset::is_empty(&target.db).await.expect("count"));
    let json = serde_json::to_string_pretty(&exported).expect("serialise");
    let summary = dataset::import(&target.db, &dataset::parse(&json).expect("parse"))
        .await
        .expect("import");
    assert!(summary.changed() > 0);
    assert_eq!(dataset::export(&target.db).await.expect("export"), exported);
}

async fn import_with_a_dangling_reference_names_it_and_writes_nothing(db: Db) {
    let Some(app) = TestApp::spawn_with(
        db,
        SpawnOptions {
            demo: false,
            ..SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let mut data = demo();
    data.reviews[5].tool = "ghost-tool".into();
    let error = dataset::import(&app.db, &data)
        .await
        .expect_err("a dangling reference");
    let message = error.to_string();
    assert!(matches!(error, DatasetError::Invalid { .. }), "{message}");
    assert!(
        message.contains("ghost-tool") && message.contains("reviews[5]"),
        "{message}"
    );
    assert!(
        dataset::is_empty(&app.db).await.expect("count"),
        "nothing was written"
    );
}

async fn import_with_an_invalid_value_names_the_item_and_writes_nothing(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let before = dataset::export(&app.db).await.expect("export");
    let mut data = demo();
    data.tools[1].name = "Renamed, but the file is bad".into();
    data.reviewers[2].lens = "VIBES".into();
    let error = dataset::import(&app.db, &data)
        .await
        .expect_err("an invalid lens");
    assert!(
        error.to_string().contains("VIBES") && error.to_string().contains("reviewers[2]"),
        "{error}"
    );
    let mut data = demo();
    data.tools[1].name = "Renamed, but the file is bad".into();
    data.comparisons[0].right = data.comparisons[0].left.clone();
    let error = dataset::import(&app.db, &data)
        .await
        .expect_err("a comparison of a tool with itself");
    assert!(error.to_string().contains("comparisons[0]"), "{error}");
    assert_eq!(
        dataset::export(&app.db).await.expect("export"),
        before,
        "nothing changed"
    );
}

async fn import_of_malformed_json_is_refused(db: Db) {
    let Some(_app) = TestApp::spawn(db).await else {
        return;
    };
    let error =
        dataset::parse("{\"format\": \"toolverdicts/v1\", \"tools\": [{]}").expect_err("bad JSON");
    assert!(matches!(error, DatasetError::Parse(_)), "{error}");
    let error = dataset::parse("{\"format\": \"other/v9\"}").expect_err("wrong format");
    assert!(error.to_string().contains("toolverdicts/v1"), "{error}");
}

async fn import_failing_in_the_database_midway_rolls_everything_back(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let before = dataset::export(&app.db).await.expect("export");
    let text = r#"{
      "format": "toolverdicts/v1",
      "categories": [ { "slug": "agents", "name": "Agents" } ],
      "tools": [ { "slug": "new-agent", "name": "New Agent", "vendor": "Acme", "category": "agents",
                   "tagline": "t", "description": "d", "license": "MIT",
                   "pricing": { "model": "FREE", "entry": "Free" }, "website_url": null } ],
      "comparisons": [ { "slug": "the-same-pair-again", "title": "Again", "summary": "s",
                         "left": "claude-haiku-open-weights", "right": "smolvlm-3b",
                         "published_at": "2026-11-22T09:00:00Z" } ]
    }"#;
    // Valid on its own; only the database knows this pair is already compared.
    let error = dataset::import(&app.db, &dataset::parse(text).expect("parse"))
        .await
        .expect_err("one comparison per pair");
    assert!(matches!(error, DatasetError::Db(_)), "{error}");
    assert_eq!(
        dataset::export(&app.db).await.expect("export"),
        before,
        "the category and tool written before the failure were rolled back"
    );
}

async fn import_with_a_control_character_names_the_field(db: Db) {
    let Some(app) = TestApp::spawn_with(
        db,
        SpawnOptions {
            demo: false,
            ..SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let mut data = demo();
    data.tools[3].tagline = "nul \u{0} byte".into();
    let error = dataset::import(&app.db, &data)
        .await
        .expect_err("a NUL byte");
    assert!(
        error.to_string().contains("tools[3]") && error.to_string().contains("tagline"),
        "{error}"
    );
    assert!(dataset::is_empty(&app.db).await.expect("count"));
}

async fn drafts_stay_invisible_to_readers(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let text = r#"{
      "format": "toolverdicts/v1",
      "tools": [ { "slug": "secret-model", "name": "Secret Model", "vendor": "Acme", "category": "developer-tools",
                   "tagline": "t", "description": "d", "license": "MIT",
                   "pricing": { "model": "PAID", "entry": "$1" }, "website_url": null, "published_at": null } ],
      "comparisons": [ { "slug": "secret-model-vs-smolvlm-3b", "title": "Secret vs SmolVLM", "summary": "s",
                         "left": "secret-model", "right": "smolvlm-3b",
                         "published_at": "2026-11-22T09:00:00Z" } ]
    }"#;
    dataset::import(&app.db, &dataset::parse(text).expect("parse"))
        .await
        .expect("import drafts");
    let body = app
        .gql(
            r#"{ tool(slug: "secret-model") { slug }
                 comparison(slug: "secret-model-vs-smolvlm-3b") { slug }
                 compare(left: "secret-model", right: "smolvlm-3b") { slug }
                 comparisons(first: 100) { edges { node { slug left { slug } } } }
                 tools(first: 100) { edges { node { slug comparisons { slug } } } } }"#,
            serde_json::json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let data = &body["data"];
    assert!(
        data["tool"].is_null() && data["comparison"].is_null() && data["compare"].is_null(),
        "{data}"
    );
    let text = data.to_string();
    assert!(!text.contains("secret-model"), "a draft leaked: {text}");
    assert_eq!(app.get("/compare/secret-model-vs-smolvlm-3b").await.0, 404);
    assert_eq!(app.get("/tools/secret-model").await.0, 404);
}

on_both_databases!(
    import_failing_in_the_database_midway_rolls_everything_back,
    import_with_a_control_character_names_the_field,
    drafts_stay_invisible_to_readers,
    import_of_the_same_file_again_changes_nothing,
    export_then_import_into_an_empty_database_round_trips,
    import_with_a_dangling_reference_names_it_and_writes_nothing,
    import_with_an_invalid_value_names_the_item_and_writes_nothing,
    import_of_malformed_json_is_refused,
);
