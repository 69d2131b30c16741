//! `import` and `export`: idempotent, atomic, round-tripping.

use serde_json::{json, Value};
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

/// The format's JSON Schema, with formats (`date-time`) checked.
fn schema() -> jsonschema::Validator {
    let text = std::fs::read_to_string(workspace_root().join("docs/dataset.schema.json"))
        .expect("docs/dataset.schema.json");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid draft 2020-12 schema")
}

/// What the schema says is wrong with `document`, one line per problem.
fn schema_errors(schema: &jsonschema::Validator, document: &Value) -> Vec<String> {
    schema
        .iter_errors(document)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

fn demo_json() -> Value {
    let text = std::fs::read_to_string(workspace_root().join("data/demo.json")).expect("demo.json");
    serde_json::from_str(&text).expect("JSON")
}

/// Parses and imports `document` as the CLI does, or says why not.
async fn import_json(app: &TestApp, document: &Value) -> Result<(), DatasetError> {
    let data = dataset::parse(&document.to_string())?;
    dataset::import(&app.db, &data).await.map(|_| ())
}

async fn demo_and_a_fresh_export_satisfy_the_json_schema(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let schema = schema();
    assert_eq!(schema_errors(&schema, &demo_json()), Vec::<String>::new());

    // What the demo lacks: a vote, a draft, a tool without a website.
    crate::contract_as(
        &app,
        &TestApp::new_client(),
        "Vote",
        json!({ "tool": "cursor", "v": "SKIP" }),
    )
    .await;
    let drafts = json!({
        "format": "toolverdicts/v1",
        "tools": [ { "slug": "secret-model", "name": "Secret Model", "vendor": "Acme",
                     "category": "developer-tools", "tagline": "t", "description": "d",
                     "license": "MIT", "pricing": { "model": "PAID", "entry": "$1" },
                     "published_at": null } ]
    });
    import_json(&app, &drafts).await.expect("import a draft");
    let exported = dataset::export(&app.db).await.expect("export");
    assert_eq!(exported.votes.len(), 1);
    let exported = serde_json::to_value(&exported).expect("serialise");
    let draft = exported["tools"]
        .as_array()
        .and_then(|tools| tools.iter().find(|t| t["slug"] == "secret-model"))
        .expect("the draft is exported");
    assert_eq!(draft["published_at"], Value::Null);
    assert_eq!(draft["website_url"], Value::Null);
    assert_eq!(schema_errors(&schema, &exported), Vec::<String>::new());
}

/// Documents at the edges of every rule: the schema and the import both take them.
async fn documents_at_the_limits_satisfy_the_schema_and_the_import(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let schema = schema();
    let document = json!({
        "format": "toolverdicts/v1",
        "categories": [ { "slug": "a", "name": "\u{e9}".repeat(100) } ],
        "reviewers": [ { "slug": "r-2", "name": "R", "lens": "BUSINESS_CASE",
                         "bio": "line one\r\nline\ttwo" } ],
        "tools": [
            { "slug": "x".repeat(100), "name": " padded ", "vendor": "V", "category": "a",
              "tagline": "t", "description": "d".repeat(5000), "license": "MIT",
              "pricing": { "model": "CONTACT", "entry": "Ask" },
              "website_url": format!("https://{}", "e".repeat(492)),
              "published_at": "2026-11-20T10:00:00.123456+01:00" },
            { "slug": "0-9", "name": "N", "vendor": "V", "category": "developer-tools",
              "tagline": "t", "description": "d", "license": "MIT",
              "pricing": { "model": "FREEMIUM", "entry": "Free tier" } }
        ],
        "reviews": [ { "tool": "0-9", "reviewer": "r-2", "verdict": "SKIP",
                       "body": "b".repeat(10_000), "published_at": null } ],
        "comparisons": [ { "slug": "c", "title": "T", "summary": "S", "left": "0-9",
                           "right": "cursor" } ],
        "votes": [ { "tool": "0-9", "voter": "v".repeat(64), "verdict": "SHIP" },
                   { "tool": "0-9", "voter": "v".repeat(64), "verdict": "SKIP" } ]
    });
    assert_eq!(schema_errors(&schema, &document), Vec::<String>::new());
    import_json(&app, &document)
        .await
        .expect("the import takes what the schema takes");
    let exported =
        serde_json::to_value(dataset::export(&app.db).await.expect("export")).expect("serialise");
    assert_eq!(schema_errors(&schema, &exported), Vec::<String>::new());
    assert_eq!(
        exported["votes"],
        json!([ { "tool": "0-9", "voter": "v".repeat(64), "verdict": "SKIP" } ]),
        "the later vote of a voter on a tool wins"
    );
}

/// Each of these breaks one rule of the format: the schema refuses it, and so
/// does the import, naming what is wrong, before writing anything.
async fn documents_breaking_the_schema_are_refused_by_the_import_too(db: Db) {
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
    let schema = schema();
    type Break = fn(&mut Value);
    let cases: [(&str, Break, &str); 18] = [
        (
            "an unknown key",
            |d| d["tools"][0]["rating"] = json!(5),
            "unknown field `rating`",
        ),
        (
            "an unknown top-level key",
            |d| d["editors"] = json!([]),
            "unknown field `editors`",
        ),
        (
            "a missing field",
            |d| {
                if let Some(tool) = d["tools"][0].as_object_mut() {
                    tool.remove("vendor");
                }
            },
            "missing field `vendor`",
        ),
        (
            "another format",
            |d| d["format"] = json!("toolverdicts/v2"),
            "expected \"toolverdicts/v1\"",
        ),
        (
            "a list that is null",
            |d| d["reviews"] = Value::Null,
            "invalid type: null",
        ),
        (
            "a number for a string",
            |d| d["categories"][0]["name"] = json!(7),
            "invalid type: integer",
        ),
        (
            "a slug in capitals",
            |d| d["tools"][1]["slug"] = json!("SmolVLM"),
            "tools[1] \"SmolVLM\": slug",
        ),
        (
            "a slug with a double hyphen",
            |d| d["categories"][0]["slug"] = json!("a--b"),
            "categories[0]",
        ),
        (
            "an unknown lens",
            |d| d["reviewers"][2]["lens"] = json!("VIBES"),
            "lens \"VIBES\"",
        ),
        (
            "an unknown pricing model",
            |d| d["tools"][0]["pricing"]["model"] = json!("CHEAP"),
            "pricing.model \"CHEAP\"",
        ),
        (
            "a lower-case verdict",
            |d| d["reviews"][4]["verdict"] = json!("ship"),
            "reviews[4]",
        ),
        (
            "a control character",
            |d| d["tools"][3]["tagline"] = json!("bell \u{7}"),
            "tagline contains a control character",
        ),
        (
            "a blank name",
            |d| d["reviewers"][0]["name"] = json!(" \n\t\u{3000}"),
            "name is empty",
        ),
        (
            "a description one character too long",
            |d| d["tools"][2]["description"] = json!("\u{e9}".repeat(5001)),
            "description is longer than 5000 characters",
        ),
        (
            "an FTP website",
            |d| d["tools"][0]["website_url"] = json!("ftp://example.com"),
            "website_url",
        ),
        (
            "a control character in a website",
            |d| d["tools"][5]["website_url"] = json!("https://example.com/\u{1b}[2J"),
            "tools[5]",
        ),
        (
            "a date that does not exist",
            |d| d["comparisons"][1]["published_at"] = json!("2026-02-30T09:00:00Z"),
            "comparisons[1]",
        ),
        (
            "an empty voter",
            |d| d["votes"] = json!([ { "tool": "cursor", "voter": "", "verdict": "SHIP" } ]),
            "voter must be 1 to 64",
        ),
    ];
    for (what, break_it, expected) in cases {
        let mut document = demo_json();
        break_it(&mut document);
        assert!(
            !schema_errors(&schema, &document).is_empty(),
            "the schema takes {what}"
        );
        let error = import_json(&app, &document)
            .await
            .expect_err(&format!("the import takes {what}"));
        assert!(
            matches!(error, DatasetError::Parse(_) | DatasetError::Invalid { .. }),
            "{what}: refused as the file's fault, not the database's: {error}"
        );
        let message = error.to_string();
        assert!(message.contains(expected), "{what}: {message}");
        assert!(
            dataset::is_empty(&app.db).await.expect("count"),
            "{what}: nothing was written"
        );
    }
}

/// PostgreSQL keeps microseconds; a finer time in the file must not make
/// every later import of the same file rewrite the row.
async fn import_of_a_nanosecond_time_again_changes_nothing(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let document = json!({
        "format": "toolverdicts/v1",
        "tools": [ { "slug": "precise", "name": "Precise", "vendor": "V",
                     "category": "developer-tools", "tagline": "t", "description": "d",
                     "license": "MIT", "pricing": { "model": "FREE", "entry": "Free" },
                     "published_at": "2026-11-20T09:00:00.123456789Z" } ]
    });
    let data = dataset::parse(&document.to_string()).expect("parse");
    dataset::import(&app.db, &data).await.expect("first import");
    let again = dataset::import(&app.db, &data)
        .await
        .expect("second import");
    assert_eq!(again.changed(), 0, "{again}");
    let exported = dataset::export(&app.db).await.expect("export");
    let tool = exported
        .tools
        .iter()
        .find(|t| t.slug == "precise")
        .expect("exported");
    assert_eq!(
        tool.published_at,
        Some(Some("2026-11-20T09:00:00.123456Z".to_owned()))
    );
}

on_both_databases!(
    import_of_a_nanosecond_time_again_changes_nothing,
    demo_and_a_fresh_export_satisfy_the_json_schema,
    documents_at_the_limits_satisfy_the_schema_and_the_import,
    documents_breaking_the_schema_are_refused_by_the_import_too,
    import_failing_in_the_database_midway_rolls_everything_back,
    import_with_a_control_character_names_the_field,
    drafts_stay_invisible_to_readers,
    import_of_the_same_file_again_changes_nothing,
    export_then_import_into_an_empty_database_round_trips,
    import_with_a_dangling_reference_names_it_and_writes_nothing,
    import_with_an_invalid_value_names_the_item_and_writes_nothing,
    import_of_malformed_json_is_refused,
);
