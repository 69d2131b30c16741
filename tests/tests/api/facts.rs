//! Tool facts (issue 19, item 3): typed facts per tool and the labels a
//! category suggests, set by editors as whole lists; the comparison's facts
//! table aligned by label; the pages that show them; the file format; and
//! search over them (item 4).

use serde_json::{json, Value};
use tests::{on_both_databases, Db, TestApp};

use crate::editing::signed_in;
use crate::error_code;

const SET: &str =
    "mutation($s: String!, $f: [ToolFactInput!]!) { setToolFacts(slug: $s, facts: $f) { \
    slug facts { label kind value display unit number flag items text } } }";
const SUGGEST: &str = "mutation($s: String!, $l: [SuggestedFactInput!]!) { \
    setCategorySuggestedFacts(slug: $s, suggestions: $l) { slug suggestedFacts { label kind unit } } }";
const FACTS: &str = "query($t: String!) { tool(slug: $t) { facts { label kind value display unit number flag items text } } }";
const TABLE: &str = "query($a: String!, $b: String!) { compare(left: $a, right: $b) { \
    facts { label unit kind suggested cells { label display } } } }";

async fn ok(app: &TestApp, client: &reqwest::Client, query: &str, variables: Value) -> Value {
    let body = app.gql_as(client, query, variables).await;
    assert!(body["errors"].is_null(), "{query}: {body}");
    body["data"].clone()
}

/// `tool`'s facts as readers read them.
async fn facts_of(app: &TestApp, tool: &str) -> Value {
    let body = app.gql(FACTS, json!({ "t": tool })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["tool"]["facts"].clone()
}

fn labels(facts: &Value) -> Vec<String> {
    facts
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|f| f["label"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn fact(label: &str, kind: &str, value: &str) -> Value {
    json!({ "label": label, "kind": kind, "value": value })
}

async fn the_demo_tools_carry_typed_facts_and_their_category_suggests_labels(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let facts = facts_of(&app, "smolvlm-3b").await;
    assert_eq!(
        labels(&facts),
        [
            "Parameters",
            "Modalities",
            "Runs locally",
            "Open weights",
            "SDK languages",
            "Target devices"
        ],
        "in the editors' order"
    );
    assert_eq!(
        facts[0],
        json!({ "label": "Parameters", "kind": "NUMBER", "value": "3", "display": "3B", "unit": "B",
                "number": 3.0, "flag": null, "items": null, "text": null })
    );
    assert_eq!(facts[1]["items"], json!(["text", "image"]));
    assert_eq!(facts[1]["value"], "text, image");
    assert_eq!(facts[3]["flag"], true);
    assert_eq!(facts[3]["display"], "Yes");
    let haiku = facts_of(&app, "claude-haiku-open-weights").await;
    assert_eq!(haiku[0]["display"], "200,000 tokens");
    assert_eq!(haiku[0]["number"], 200000.0);
    let body = app
        .gql(
            "{ category(slug: \"developer-tools\") { suggestedFacts { label kind unit } } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let suggested = &body["data"]["category"]["suggestedFacts"];
    assert_eq!(
        suggested[0],
        json!({ "label": "Parameters", "kind": "NUMBER", "unit": "B" })
    );
    assert_eq!(suggested.as_array().map(Vec::len), Some(7));
}

async fn setting_facts_replaces_reorders_and_clears_them(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let mut list_fact = fact("Modalities", "LIST", "");
    list_fact["items"] = json!(["text", " image "]);
    list_fact.as_object_mut().map(|o| o.remove("value"));
    let mut window = fact("Context window", "NUMBER", "128,000");
    window["unit"] = json!("tokens");
    let set = json!([
        window,
        list_fact,
        fact("Open weights", "BOOLEAN", "no"),
        fact("Written in", "TEXT", "  TypeScript  "),
    ]);
    let saved = ok(&app, &editor, SET, json!({ "s": "cursor", "f": set })).await;
    let facts = &saved["setToolFacts"]["facts"];
    assert_eq!(
        labels(facts),
        ["Context window", "Modalities", "Open weights", "Written in"]
    );
    assert_eq!(facts[0]["number"], 128000.0);
    assert_eq!(facts[0]["display"], "128,000 tokens");
    assert_eq!(facts[1]["items"], json!(["text", "image"]), "trimmed");
    assert_eq!(facts[2]["flag"], false);
    assert_eq!(facts[2]["display"], "No");
    assert_eq!(facts[3]["text"], "TypeScript");
    assert_eq!(
        facts_of(&app, "cursor").await,
        *facts,
        "readers see the same"
    );

    // The audit log records the change on the tool, before and after.
    let audit = ok(
        &app,
        &editor,
        "{ auditEntries(first: 1) { nodes { action entity key } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        audit["auditEntries"]["nodes"][0],
        json!({ "action": "UPDATE", "entity": "TOOL", "key": "cursor" })
    );

    // The same list in another order: reordered, nothing else.
    let reordered = json!([
        fact("Written in", "TEXT", "TypeScript"),
        fact("Open weights", "BOOLEAN", "false"),
    ]);
    let saved = ok(&app, &editor, SET, json!({ "s": "cursor", "f": reordered })).await;
    assert_eq!(
        labels(&saved["setToolFacts"]["facts"]),
        ["Written in", "Open weights"]
    );
    assert_eq!(
        labels(&facts_of(&app, "cursor").await),
        ["Written in", "Open weights"]
    );

    // An empty list clears them.
    let saved = ok(&app, &editor, SET, json!({ "s": "cursor", "f": [] })).await;
    assert_eq!(saved["setToolFacts"]["facts"], json!([]));
    assert_eq!(facts_of(&app, "cursor").await, json!([]));

    // A category's suggestions are set the same way.
    let suggested = json!([
        { "label": "Agent mode", "kind": "BOOLEAN" },
        { "label": "Pro plan", "kind": "NUMBER", "unit": "USD/month" },
    ]);
    let saved = ok(
        &app,
        &editor,
        SUGGEST,
        json!({ "s": "coding-assistants", "l": suggested }),
    )
    .await;
    assert_eq!(
        saved["setCategorySuggestedFacts"]["suggestedFacts"],
        json!([
            { "label": "Agent mode", "kind": "BOOLEAN", "unit": null },
            { "label": "Pro plan", "kind": "NUMBER", "unit": "USD/month" },
        ])
    );
    // A missing tool or category is NOT_FOUND.
    let body = app
        .gql_as(&editor, SET, json!({ "s": "no-such-tool", "f": [] }))
        .await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
}

async fn bad_facts_are_validation_errors_naming_the_item_and_change_nothing(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let before = server::dataset::export(&app.db).await.expect("export");
    let good = fact("Written in", "TEXT", "Rust");
    let with = |bad: Value| json!([good.clone(), bad]);
    let mut empty_item = fact("Modalities", "LIST", "");
    empty_item["items"] = json!(["text", " "]);
    let mut long_unit = fact("Parameters", "NUMBER", "3");
    long_unit["unit"] = json!("u".repeat(25));
    let mut flag_unit = fact("Open weights", "BOOLEAN", "yes");
    flag_unit["unit"] = json!("B");
    let mut items_on_text = fact("Written in too", "TEXT", "Rust");
    items_on_text["items"] = json!(["Rust"]);
    let cases: Vec<(Value, &str)> = vec![
        (with(fact("Parameters", "NUMBER", "NaN")), "facts[1].value"),
        (with(fact("Parameters", "NUMBER", "inf")), "facts[1].value"),
        (
            with(fact("Parameters", "NUMBER", "1e400")),
            "facts[1].value",
        ),
        (with(fact("Parameters", "NUMBER", "1e16")), "facts[1].value"),
        (
            with(fact("Parameters", "NUMBER", "3 billion")),
            "facts[1].value",
        ),
        (with(fact("Parameters", "NUMBER", "1,5")), "facts[1].value"),
        (
            with(fact("Modalities", "LIST", "text,,image")),
            "facts[1].value",
        ),
        (with(fact("Modalities", "LIST", " , ")), "facts[1].value"),
        (with(empty_item), "facts[1].items[1]"),
        (
            with(fact("Open weights", "BOOLEAN", "maybe")),
            "facts[1].value",
        ),
        (with(fact(&"L".repeat(61), "TEXT", "x")), "facts[1].label"),
        (with(fact("  ", "TEXT", "x")), "facts[1].label"),
        (with(fact("Line\nbreak", "TEXT", "x")), "facts[1].label"),
        (with(fact("Nul", "TEXT", "a\u{0}b")), "facts[1].value"),
        (
            with(fact("Essay", "TEXT", &"w".repeat(301))),
            "facts[1].value",
        ),
        (with(fact("Empty", "TEXT", "")), "facts[1].value"),
        (with(long_unit), "facts[1].unit"),
        (with(flag_unit), "facts[1].unit"),
        (with(items_on_text), "facts[1].items"),
        (with(fact("WRITTEN IN", "TEXT", "Go")), "facts[1].label"),
        (
            json!((0..41)
                .map(|i| fact(&format!("Fact {i}"), "TEXT", "x"))
                .collect::<Vec<_>>()),
            "facts",
        ),
    ];
    for (facts, field) in cases {
        let body = app
            .gql_as(&editor, SET, json!({ "s": "cursor", "f": facts }))
            .await;
        assert_eq!(error_code(&body), Some("VALIDATION"), "{field}: {body}");
        assert_eq!(
            body["errors"][0]["extensions"]["field"], field,
            "{facts}: {body}"
        );
    }
    // Several problems at once are each named.
    let body = app
        .gql_as(
            &editor,
            SET,
            json!({ "s": "cursor", "f": [fact("A", "NUMBER", "x"), fact("a", "TEXT", "y")] }),
        )
        .await;
    let fields: Vec<&str> = body["errors"][0]["extensions"]["fields"]
        .as_array()
        .map(|all| all.iter().filter_map(|f| f["field"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["facts[0].value", "facts[1].label"], "{body}");
    // Suggestions: duplicates and too long.
    for (list, field) in [
        (
            json!([{ "label": "Parameters", "kind": "NUMBER" }, { "label": "parameters", "kind": "TEXT" }]),
            "suggestions[1].label",
        ),
        (
            json!([{ "label": "Parameters", "kind": "NUMBER", "unit": "u".repeat(25) }]),
            "suggestions[0].unit",
        ),
    ] {
        let body = app
            .gql_as(
                &editor,
                SUGGEST,
                json!({ "s": "developer-tools", "l": list }),
            )
            .await;
        assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    assert_eq!(
        server::dataset::export(&app.db).await.expect("export"),
        before,
        "nothing changed"
    );
}

async fn fact_changes_are_for_editors_only(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let before = server::dataset::export(&app.db).await.expect("export");
    let set = json!({ "s": "cursor", "f": [fact("Written in", "TEXT", "Rust")] });
    let suggest = json!({ "s": "developer-tools", "l": [] });
    let anonymous = TestApp::new_client();
    for (query, variables) in [(SET, &set), (SUGGEST, &suggest)] {
        for csrf in [false, true] {
            let mut request = anonymous
                .post(format!("{}/graphql", app.address))
                .json(&json!({ "query": query, "variables": variables }));
            if csrf {
                request = request.header("x-verdicts-csrf", "1");
            }
            let body: Value = request
                .send()
                .await
                .expect("an answer")
                .json()
                .await
                .expect("JSON");
            assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");
        }
    }
    // An editor's session without the CSRF header is refused.
    let editor = signed_in(&app).await;
    let bare = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .expect("a client");
    app.sign_in_as(&bare, "ed@verdicts.example", "a long and secret passphrase")
        .await;
    let body = app.gql_as(&bare, SET, set.clone()).await;
    assert!(
        matches!(error_code(&body), Some("FORBIDDEN" | "UNAUTHENTICATED")),
        "{body}"
    );
    // A partner app's token reads, votes for its users, and edits nothing.
    let created = ok(
        &app,
        &editor,
        "mutation { createApiToken(name: \"Acme IDE\", partner: true) { secret } }",
        json!({}),
    )
    .await;
    let secret = created["createApiToken"]["secret"]
        .as_str()
        .expect("a secret")
        .to_owned();
    for (query, variables) in [(SET, &set), (SUGGEST, &suggest)] {
        let body: Value = reqwest::Client::new()
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&secret)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
        assert!(
            matches!(error_code(&body), Some("FORBIDDEN" | "UNAUTHENTICATED")),
            "{body}"
        );
    }
    assert_eq!(
        server::dataset::export(&app.db).await.expect("export"),
        before,
        "nothing changed"
    );
}

async fn the_comparison_aligns_facts_by_label_suggested_first_with_nulls(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = app
        .gql(
            TABLE,
            json!({ "a": "claude-haiku-open-weights", "b": "smolvlm-3b" }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let rows = body["data"]["compare"]["facts"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let row_labels: Vec<&str> = rows.iter().filter_map(|r| r["label"].as_str()).collect();
    // The category's labels in its order (those either tool has), then the
    // rest from A to Z.
    assert_eq!(
        row_labels,
        [
            "Parameters",
            "Context window",
            "Modalities",
            "Runs locally",
            "Open weights",
            "API available",
            "SDK languages",
            "Target devices",
            "Weights access",
        ]
    );
    assert_eq!(
        rows[0]["cells"],
        json!([null, { "label": "Parameters", "display": "3B" }]),
        "Haiku has no parameter count"
    );
    assert_eq!(rows[0]["suggested"], true);
    assert_eq!(rows[0]["unit"], "B");
    assert_eq!(
        rows[1]["cells"],
        json!([{ "label": "Context window", "display": "200,000 tokens" }, null])
    );
    assert_eq!(
        rows[2]["cells"],
        json!([{ "label": "Modalities", "display": "text, image" }, { "label": "Modalities", "display": "text, image" }])
    );
    assert_eq!(rows[8]["suggested"], false);
    assert_eq!(rows[8]["cells"][1], Value::Null);

    // A label one tool spells differently still lines up.
    let editor = signed_in(&app).await;
    ok(
        &app,
        &editor,
        SET,
        json!({ "s": "claude-haiku-open-weights", "f": [fact("parameters", "NUMBER", "20")] }),
    )
    .await;
    let body = app
        .gql(
            TABLE,
            json!({ "a": "claude-haiku-open-weights", "b": "smolvlm-3b" }),
        )
        .await;
    let rows = &body["data"]["compare"]["facts"];
    assert_eq!(rows[0]["label"], "Parameters", "the suggested spelling");
    assert_eq!(
        rows[0]["cells"],
        json!([{ "label": "parameters", "display": "20" }, { "label": "Parameters", "display": "3B" }])
    );
    assert_eq!(rows[0]["unit"], Value::Null, "the units differ");

    // Tools of different categories: both categories' labels, the left's first.
    let body = app
        .gql(TABLE, json!({ "a": "qdrant", "b": "smolvlm-3b" }))
        .await;
    let rows = body["data"]["compare"]["facts"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let row_labels: Vec<&str> = rows.iter().filter_map(|r| r["label"].as_str()).collect();
    assert_eq!(
        row_labels,
        [
            "Written in",
            "Index types",
            "Payload filtering",
            "Managed cloud",
            "SDK languages",
            "Parameters",
            "Modalities",
            "Runs locally",
            "Open weights",
            "Target devices",
        ]
    );
    assert_eq!(
        rows[4]["cells"][1]["display"], "Python",
        "both have SDK languages"
    );
}

async fn facts_cost_the_same_statements_whatever_the_tools(db: Db) {
    let options = tests::SpawnOptions {
        configure: |config| config.cache_mb = 0,
        ..tests::SpawnOptions::default()
    };
    let Some(app) = TestApp::spawn_with(db, options).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let many: Vec<Value> = (0..40)
        .map(|i| fact(&format!("Fact {i}"), "TEXT", "x"))
        .collect();
    ok(&app, &editor, SET, json!({ "s": "cursor", "f": many })).await;
    let list = "query($n: Int!) { tools(first: $n) { nodes { slug facts { label display } \
        category { suggestedFacts { label } } } } }";
    let table = "query($a: String!, $b: String!) { compare(left: $a, right: $b) { \
        left { facts { label } } right { facts { label } } facts { label cells { display } } } }";
    // Warm up (the first request reads the settings).
    let body = app.gql(list, json!({ "n": 1 })).await;
    assert!(body["errors"].is_null(), "{body}");
    let mut counts = Vec::new();
    for (query, variables) in [
        (list, json!({ "n": 2 })),
        (list, json!({ "n": 50 })),
        (table, json!({ "a": "qdrant", "b": "pgvector" })),
        (table, json!({ "a": "cursor", "b": "smolvlm-3b" })),
    ] {
        // The fewest of three loads (the cache is off): on a busy machine a
        // loader's batch can split in two; a statement per tool or fact
        // would show on every load.
        let mut fewest = u64::MAX;
        for _ in 0..3 {
            let before = app.statements().await;
            let body = app.gql(query, variables.clone()).await;
            assert!(body["errors"].is_null(), "{body}");
            fewest = fewest.min(app.statements().await - before);
        }
        counts.push(fewest);
    }
    assert_eq!(counts[0], counts[1], "2 tools or 10: {counts:?}");
    assert_eq!(counts[2], counts[3], "few facts or 40: {counts:?}");
}

async fn hostile_fact_text_renders_as_text_on_the_pages(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let mut attack = fact(
        "</td><script>alert(1)</script>",
        "TEXT",
        "</td><script>alert(2)</script>",
    );
    attack["unit"] = json!("<img src=x onerror=f()>");
    let mut list = fact(
        "Modalities\"><b>",
        "LIST",
        "</li><script>alert(4)</script>, ok",
    );
    list["unit"] = json!("</th>");
    ok(
        &app,
        &editor,
        SET,
        json!({ "s": "cursor", "f": [attack, list] }),
    )
    .await;
    for path in ["/tools/cursor", "/compare/cursor-vs-github-copilot"] {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            html.contains("&lt;/td&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
            "{path}: the label is text"
        );
        assert!(
            html.contains(
                "&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt; &lt;img src=x onerror=f()&gt;"
            ),
            "{path}: the value and unit are text"
        );
        assert!(
            html.contains("&lt;/li&gt;&lt;script&gt;alert(4)&lt;/script&gt;"),
            "{path}"
        );
        for raw in ["<script>alert(", "<img src=x", "\"><b>"] {
            assert!(!html.contains(raw), "{path} carries {raw:?} as markup");
        }
    }
    // The comparison page shows the table with a dash where a tool has none.
    let (_, html) = app.get("/compare/cursor-vs-github-copilot").await;
    assert!(html.contains("data-testid=\"facts-table\""), "the table");
    assert!(html.contains("\u{2014}"), "a dash where a tool has none");
}

async fn files_with_and_without_facts_import_and_an_export_round_trips(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let exported = server::dataset::export(&app.db).await.expect("export");
    let smol = exported
        .tools
        .iter()
        .find(|t| t.slug == "smolvlm-3b")
        .expect("the demo tool");
    let facts = smol.facts.clone().unwrap_or_default();
    assert_eq!(facts.len(), 6);
    assert_eq!(facts[0].value, json!(3), "a whole number as an integer");
    assert_eq!(facts[1].value, json!(["text", "image"]));
    assert_eq!(facts[2].value, json!(true));
    let developer = exported
        .categories
        .iter()
        .find(|c| c.slug == "developer-tools")
        .expect("the category");
    assert_eq!(developer.suggested_facts.as_ref().map(Vec::len), Some(7));

    // The export imported again changes nothing.
    let summary = server::dataset::import(&app.db, &exported)
        .await
        .expect("imports");
    assert_eq!(summary.changed(), 0, "{summary}");

    // A file from before facts imports, and keeps the stored ones.
    let mut old = serde_json::to_value(&exported).expect("JSON");
    for tool in old["tools"].as_array_mut().expect("tools") {
        tool.as_object_mut().map(|t| t.remove("facts"));
        tool["tagline"] = json!(format!("{} (v2)", tool["tagline"].as_str().unwrap_or("")));
    }
    for category in old["categories"].as_array_mut().expect("categories") {
        category
            .as_object_mut()
            .map(|c| c.remove("suggested_facts"));
    }
    let parsed = server::dataset::parse(&old.to_string()).expect("an old file parses");
    let summary = server::dataset::import(&app.db, &parsed)
        .await
        .expect("an old file imports");
    assert!(summary.changed() > 0, "the taglines changed");
    assert_eq!(
        labels(&facts_of(&app, "smolvlm-3b").await).len(),
        6,
        "facts kept"
    );

    // A file's facts replace the stored ones; typed values round-trip.
    let mut changed = serde_json::to_value(&exported).expect("JSON");
    let tools = changed["tools"].as_array_mut().expect("tools");
    let cursor = tools
        .iter_mut()
        .find(|t| t["slug"] == "cursor")
        .expect("cursor");
    cursor["facts"] = json!([
        { "label": "Context window", "kind": "NUMBER", "value": 0.5, "unit": "M tokens" },
        { "label": "Seats", "kind": "NUMBER", "value": "1,000" },
        { "label": "Agent mode", "kind": "BOOLEAN", "value": "yes", "unit": null },
    ]);
    let parsed = server::dataset::parse(&changed.to_string()).expect("parses");
    server::dataset::import(&app.db, &parsed)
        .await
        .expect("imports");
    let read = facts_of(&app, "cursor").await;
    assert_eq!(labels(&read), ["Context window", "Seats", "Agent mode"]);
    assert_eq!(read[0]["display"], "0.5 M tokens");
    assert_eq!(read[1]["number"], 1000.0);
    assert_eq!(read[2]["flag"], true);
    let again = server::dataset::export(&app.db).await.expect("export");
    let cursor = again
        .tools
        .iter()
        .find(|t| t.slug == "cursor")
        .and_then(|t| t.facts.clone())
        .unwrap_or_default();
    assert_eq!(cursor[0].value, json!(0.5));
    assert_eq!(cursor[1].value, json!(1000));
    assert_eq!(cursor[2].value, json!(true));
    let summary = server::dataset::import(&app.db, &again)
        .await
        .expect("imports");
    assert_eq!(summary.changed(), 0, "round trip: {summary}");

    // A bad fact in a file names the item and writes nothing.
    let mut bad = serde_json::to_value(&again).expect("JSON");
    bad["tools"][0]["facts"] =
        json!([{ "label": "Parameters", "kind": "NUMBER", "value": "lots" }]);
    let parsed = server::dataset::parse(&bad.to_string()).expect("parses");
    let error = server::dataset::import(&app.db, &parsed)
        .await
        .expect_err("not a number");
    assert!(error.to_string().contains("facts[0].value"), "{error}");
    bad["tools"][0]["facts"] = json!([{ "label": "Parameters", "kind": "SIZE", "value": 3 }]);
    let parsed = server::dataset::parse(&bad.to_string()).expect("parses");
    let error = server::dataset::import(&app.db, &parsed)
        .await
        .expect_err("no such kind");
    assert!(error.to_string().contains("facts[0].kind"), "{error}");
    assert_eq!(
        server::dataset::export(&app.db).await.expect("export"),
        again,
        "nothing written"
    );
}

async fn a_search_for_a_fact_finds_the_tool_and_says_why(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let search = "query($q: String!) { search(query: $q, kinds: [TOOL]) { \
        hits { tool { slug } context { text matched } } } }";
    let run = |q: &'static str| {
        let app = &app;
        async move {
            let body = app.gql(search, json!({ "q": q })).await;
            assert!(body["errors"].is_null(), "{body}");
            body["data"]["search"]["hits"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        }
    };
    // A value only the facts hold: the demo's Haiku context window.
    let hits = run("200000").await;
    assert_eq!(
        hits.first().map(|h| h["tool"]["slug"].clone()),
        Some(json!("claude-haiku-open-weights")),
        "{hits:?}"
    );
    let context: String = hits[0]["context"]
        .as_array()
        .map(|parts| parts.iter().filter_map(|p| p["text"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(context, "Context window: 200000 tokens");
    assert!(
        hits[0]["context"].as_array().is_some_and(|parts| parts
            .iter()
            .any(|p| p["matched"] == true && p["text"] == "200000")),
        "{hits:?}"
    );

    // An edit to the facts is searchable at once, and the old value is gone.
    let hits = run("2000").await;
    assert!(
        hits.iter().any(|h| h["tool"]["slug"] == "pgvector"),
        "pgvector's max indexed dimensions: {hits:?}"
    );
    let editor = signed_in(&app).await;
    let mut fact_list = fact("Interconnect", "TEXT", "Quasarlink");
    fact_list["unit"] = json!("lanes");
    ok(
        &app,
        &editor,
        SET,
        json!({ "s": "pgvector", "f": [fact_list] }),
    )
    .await;
    let hits = run("quasarlink").await;
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["tool"]["slug"], "pgvector");
    let hits = run("2000").await;
    assert!(
        hits.iter().all(|h| h["tool"]["slug"] != "pgvector"),
        "the replaced fact is no longer found: {hits:?}"
    );
    // A typo in a fact's word is forgiven like any other.
    let hits = run("quasarlnk").await;
    assert_eq!(
        hits.first().map(|h| h["tool"]["slug"].clone()),
        Some(json!("pgvector"))
    );
    // Clearing the facts takes them out of the index.
    ok(&app, &editor, SET, json!({ "s": "pgvector", "f": [] })).await;
    assert!(run("quasarlink").await.is_empty());
}

on_both_databases!(
    the_demo_tools_carry_typed_facts_and_their_category_suggests_labels,
    setting_facts_replaces_reorders_and_clears_them,
    bad_facts_are_validation_errors_naming_the_item_and_change_nothing,
    fact_changes_are_for_editors_only,
    the_comparison_aligns_facts_by_label_suggested_first_with_nulls,
    facts_cost_the_same_statements_whatever_the_tools,
    hostile_fact_text_renders_as_text_on_the_pages,
    files_with_and_without_facts_import_and_an_export_round_trips,
    a_search_for_a_fact_finds_the_tool_and_says_why,
);
