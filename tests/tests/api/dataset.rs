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
    let Some(target) = TestApp::spawn_with(db, SpawnOptions { demo: false }).await else {
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
    let Some(app) = TestApp::spawn_with(db, SpawnOptions { demo: false }).await else {
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

on_both_databases!(
    import_of_the_same_file_again_changes_nothing,
    export_then_import_into_an_empty_database_round_trips,
    import_with_a_dangling_reference_names_it_and_writes_nothing,
    import_with_an_invalid_value_names_the_item_and_writes_nothing,
    import_of_malformed_json_is_refused,
);
