//! The editors' workflow over HTTP: create, review, compare, publish,
//! unpublish; validation per field; refusals without credentials; the audit log.

use serde_json::{json, Value};
use tests::{on_both_databases, Db, TestApp};

use crate::error_code;

const PASSWORD: &str = "a long and secret passphrase";

/// A signed-in editor's client: session cookie plus the CSRF header.
pub(crate) async fn signed_in(app: &TestApp) -> reqwest::Client {
    server::domain::editors::create_editor(&app.db, "ed@verdicts.example", PASSWORD)
        .await
        .expect("an editor");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-verdicts-csrf", "1".parse().expect("a header"));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .expect("a client");
    let body = app
        .gql_as(
            &client,
            "mutation($p: String!) { signIn(email: \"ed@verdicts.example\", password: $p) { email } }",
            json!({ "p": PASSWORD }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    client
}

fn tool_input(slug: &str, name: &str) -> Value {
    json!({
        "slug": slug, "name": name, "vendor": "Acme", "category": "agents",
        "tagline": "Does agent things", "description": "An agent framework for tests.",
        "license": "MIT", "pricingModel": "FREEMIUM", "pricingEntry": "Free tier",
        "websiteUrl": "https://acme.example/"
    })
}

async fn ok(app: &TestApp, client: &reqwest::Client, query: &str, variables: Value) -> Value {
    let body = app.gql_as(client, query, variables).await;
    assert!(body["errors"].is_null(), "{query}: {body}");
    body["data"].clone()
}

async fn an_editor_publishes_a_comparison_that_readers_then_see(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let editor = signed_in(&app).await;
    ok(
        &app,
        &editor,
        "mutation { createCategory(input: { slug: \"agents\", name: \"Agents\" }) { slug } }",
        json!({}),
    )
    .await;
    let create_tool =
        "mutation($i: ToolInput!) { createTool(input: $i) { slug pricing { model } } }";
    ok(
        &app,
        &editor,
        create_tool,
        json!({ "i": tool_input("agent-one", "Agent One") }),
    )
    .await;
    ok(
        &app,
        &editor,
        create_tool,
        json!({ "i": tool_input("agent-two", "Agent Two") }),
    )
    .await;
    ok(&app, &editor, "mutation { createReviewer(input: { slug: \"new-lens\", name: \"Ana Lens\", lens: BUSINESS_CASE, bio: \"Counts the money.\" }) { slug } }", json!({})).await;
    let review = "mutation($t: String!, $v: Verdict!) { upsertReview(input: { tool: $t, reviewer: \"new-lens\", verdict: $v, body: \"Reasoned.\" }) { verdict } }";
    ok(
        &app,
        &editor,
        review,
        json!({ "t": "agent-one", "v": "SHIP" }),
    )
    .await;
    ok(
        &app,
        &editor,
        review,
        json!({ "t": "agent-two", "v": "SKIP" }),
    )
    .await;
    ok(
        &app,
        &editor,
        review,
        json!({ "t": "agent-two", "v": "SHIP" }),
    )
    .await;
    ok(&app, &editor, "mutation { createComparison(input: { slug: \"agent-one-vs-agent-two\", title: \"Agent One vs Agent Two\", summary: \"Two agents.\", left: \"agent-one\", right: \"agent-two\" }) { slug left { slug } } }", json!({})).await;

    // Drafts: the editor previews, readers see nothing.
    let query = "{ comparison(slug: \"agent-one-vs-agent-two\") { title left { name panel { shipPercent } } right { panel { ship total } } } }";
    let preview = ok(&app, &editor, query, json!({})).await;
    assert_eq!(preview["comparison"]["left"]["name"], "Agent One");
    assert_eq!(
        preview["comparison"]["right"]["panel"],
        json!({ "ship": 1, "total": 1 }),
        "upsert replaced the review"
    );
    let reader = app.gql(query, json!({})).await;
    assert_eq!(reader["data"]["comparison"], Value::Null);
    assert_eq!(app.get("/compare/agent-one-vs-agent-two").await.0, 404);

    // Publishing it while its tools are drafts would say "Published." to
    // a 404: refused, naming them. Found in the walk-through.
    let refused = app
        .gql_as(
            &editor,
            "mutation { publishComparison(slug: \"agent-one-vs-agent-two\") { slug } }",
            json!({}),
        )
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "CONFLICT",
        "{refused}"
    );
    let message = refused["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`agent-one` and `agent-two` are still a draft"),
        "{message}"
    );
    ok(
        &app,
        &editor,
        "mutation($s: String!) { publishTool(slug: $s) { slug } }",
        json!({ "s": "agent-one" }),
    )
    .await;
    // With its tools: the draft one is published in the same change.
    ok(
        &app,
        &editor,
        "mutation { publishComparison(slug: \"agent-one-vs-agent-two\", withTools: true) { slug } }",
        json!({}),
    )
    .await;
    let reader = app.gql(query, json!({})).await;
    assert_eq!(
        reader["data"]["comparison"]["title"],
        "Agent One vs Agent Two"
    );
    let (status, html) = app.get("/compare/agent-one-vs-agent-two").await;
    assert_eq!(status, 200);
    assert!(html.contains("Agent One") && html.contains("Two agents."));

    ok(
        &app,
        &editor,
        "mutation { unpublishComparison(slug: \"agent-one-vs-agent-two\") { slug } }",
        json!({}),
    )
    .await;
    assert_eq!(
        app.gql(query, json!({})).await["data"]["comparison"],
        Value::Null
    );
    // The two published tools can still be compared ad hoc, without the editor's words.
    let (status, html) = app.get("/compare/agent-one-vs-agent-two").await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("Two agents."),
        "the unpublished summary is gone"
    );

    let log = ok(
        &app,
        &editor,
        "{ auditLog(first: 100) { action entity key before after } }",
        json!({}),
    )
    .await;
    let entries = log["auditLog"].as_array().expect("entries");
    let summary: Vec<String> = entries
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["action"].as_str().unwrap_or(""),
                e["entity"].as_str().unwrap_or(""),
                e["key"].as_str().unwrap_or("")
            )
        })
        .collect();
    for expected in [
        "CREATE CATEGORY agents",
        "CREATE TOOL agent-one",
        "CREATE REVIEW new-lens/agent-two",
        "UPDATE REVIEW new-lens/agent-two",
        "PUBLISH TOOL agent-two",
        "PUBLISH COMPARISON agent-one-vs-agent-two",
        "UNPUBLISH COMPARISON agent-one-vs-agent-two",
    ] {
        assert!(
            summary.contains(&expected.to_owned()),
            "{expected} missing from {summary:?}"
        );
    }
    let update = entries
        .iter()
        .find(|e| e["action"] == "UPDATE")
        .expect("an update");
    assert!(update["before"].as_str().unwrap_or("").contains("SKIP"));
    assert!(update["after"].as_str().unwrap_or("").contains("SHIP"));
}

async fn invalid_input_names_the_field_and_writes_nothing(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let create_tool = "mutation($i: ToolInput!) { createTool(input: $i) { slug } }";
    let mut bad_slug = tool_input("Not A Slug", "X");
    bad_slug["category"] = "developer-tools".into();
    let mut bad_category = tool_input("fine-slug", "X");
    bad_category["category"] = "no-such-category".into();
    let mut bad_url = tool_input("fine-slug", "X");
    bad_url["category"] = "developer-tools".into();
    bad_url["websiteUrl"] = "javascript:alert(1)".into();
    let mut empty_name = tool_input("fine-slug", "  ");
    empty_name["category"] = "developer-tools".into();
    let mut taken = tool_input("cursor", "Another Cursor");
    taken["category"] = "developer-tools".into();
    for (input, field) in [
        (bad_slug, "slug"),
        (bad_category, "category"),
        (bad_url, "websiteUrl"),
        (empty_name, "name"),
        (taken, "slug"),
    ] {
        let body = app
            .gql_as(&editor, create_tool, json!({ "i": input }))
            .await;
        assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let same = app
        .gql_as(&editor, "mutation { createComparison(input: { slug: \"x-vs-x\", title: \"t\", summary: \"s\", left: \"cursor\", right: \"cursor\" }) { slug } }", json!({}))
        .await;
    assert_eq!(same["errors"][0]["extensions"]["field"], "right", "{same}");
    let again = app
        .gql_as(&editor, "mutation { createComparison(input: { slug: \"cursor-copilot-again\", title: \"t\", summary: \"s\", left: \"cursor\", right: \"github-copilot\" }) { slug } }", json!({}))
        .await;
    assert_eq!(error_code(&again), Some("VALIDATION"), "{again}");
    let log = app.gql_as(&editor, "{ auditLog { key } }", json!({})).await;
    assert_eq!(log["data"]["auditLog"], json!([]), "nothing was written");
}

async fn an_empty_form_reports_every_field_and_left_empty_slugs_and_titles_are_derived(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let create_tool = "mutation($i: ToolInput!) { createTool(input: $i) { slug name } }";
    let empty = json!({
        "slug": "", "name": "", "vendor": "", "category": "", "tagline": "",
        "description": "", "license": "", "pricingModel": "FREE", "pricingEntry": "",
        "websiteUrl": null
    });
    let body = app
        .gql_as(&editor, create_tool, json!({ "i": empty }))
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    let error = &body["errors"][0];
    // The first field as before, every one in `fields`, in the form's order.
    assert_eq!(error["extensions"]["field"], "name", "{body}");
    let fields: Vec<&str> = error["extensions"]["fields"]
        .as_array()
        .expect("every field")
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "name",
            "vendor",
            "category",
            "tagline",
            "description",
            "license",
            "pricingEntry"
        ],
        "{body}"
    );
    assert_eq!(
        error["extensions"]["fields"][2]["message"], "choose a category",
        "{body}"
    );
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("name: must not be empty; vendor: must not be empty"),
        "{message}"
    );

    // A slug left empty comes from the name.
    let mut named = tool_input("", "Agent Smith 2");
    named["category"] = "developer-tools".into();
    let made = ok(&app, &editor, create_tool, json!({ "i": named })).await;
    assert_eq!(made["createTool"]["slug"], "agent-smith-2");
    let reviewer = ok(
        &app,
        &editor,
        "mutation { createReviewer(input: { slug: \"\", name: \"Ada Lovelace\", lens: BUSINESS_CASE, bio: \"Counts.\" }) { slug } }",
        json!({}),
    )
    .await;
    assert_eq!(reviewer["createReviewer"]["slug"], "ada-lovelace");

    // A reviewer without a lens (the form starts unchosen) is refused on
    // the field, beside the others at fault; nothing is written.
    let create_reviewer = "mutation($i: ReviewerInput!) { createReviewer(input: $i) { slug } }";
    for lens in [json!(null), json!("absent")] {
        let mut input = json!({ "slug": "", "name": "Grace Hopper", "bio": "" });
        if lens != json!("absent") {
            input["lens"] = lens;
        }
        let body = app
            .gql_as(&editor, create_reviewer, json!({ "i": input }))
            .await;
        assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
        let fields: Vec<(&str, &str)> = body["errors"][0]["extensions"]["fields"]
            .as_array()
            .expect("every field")
            .iter()
            .filter_map(|f| Some((f["field"].as_str()?, f["message"].as_str()?)))
            .collect();
        assert_eq!(
            fields,
            [("lens", "choose a lens"), ("bio", "must not be empty")],
            "{body}"
        );
    }
    let body = app
        .gql_as(
            &editor,
            "mutation { updateReviewer(slug: \"ada-lovelace\", input: { slug: \"ada-lovelace\", name: \"Ada Lovelace\", lens: null, bio: \"Counts.\" }) { slug } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["field"], "lens", "{body}");
    let kept = app
        .gql("{ reviewer(slug: \"grace-hopper\") { slug } }", json!({}))
        .await;
    assert_eq!(kept["data"]["reviewer"], Value::Null, "{kept}");

    // A comparison without tools says so for each side; with them, its
    // title and slug come from the two.
    let create_comparison =
        "mutation($i: ComparisonInput!) { createComparison(input: $i) { slug title } }";
    let body = app
        .gql_as(
            &editor,
            create_comparison,
            json!({ "i": { "slug": "", "title": "", "summary": "", "left": "", "right": "" } }),
        )
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    let fields: Vec<(&str, &str)> = body["errors"][0]["extensions"]["fields"]
        .as_array()
        .expect("every field")
        .iter()
        .filter_map(|f| Some((f["field"].as_str()?, f["message"].as_str()?)))
        .collect();
    assert_eq!(
        fields,
        [
            ("summary", "must not be empty"),
            ("left", "choose a tool"),
            ("right", "choose a tool")
        ],
        "{body}"
    );
    let made = ok(
        &app,
        &editor,
        create_comparison,
        json!({ "i": { "slug": "", "title": "", "summary": "Two agents.", "left": "agent-smith-2", "right": "cursor" } }),
    )
    .await;
    assert_eq!(made["createComparison"]["slug"], "agent-smith-2-vs-cursor");
    assert_eq!(made["createComparison"]["title"], "Agent Smith 2 vs Cursor");
}

async fn every_change_is_refused_without_credentials(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let before = server::dataset::export(&app.db).await.expect("export");
    let anonymous = TestApp::new_client();
    for mutation in [
        "mutation { createCategory(input: { slug: \"x\", name: \"X\" }) { slug } }",
        "mutation { updateCategory(slug: \"speech\", input: { slug: \"speech\", name: \"Talk\" }) { slug } }",
        "mutation { deleteCategory(slug: \"speech\") }",
        "mutation { publishTool(slug: \"cursor\") { slug } }",
        "mutation { unpublishTool(slug: \"cursor\") { slug } }",
        "mutation { deleteTool(slug: \"pgvector\", cascadeVotes: true) }",
        "mutation { deleteReviewer(slug: \"maya-okafor\") }",
        "mutation { upsertReview(input: { tool: \"cursor\", reviewer: \"maya-okafor\", verdict: SKIP, body: \"x\" }) { verdict } }",
        "mutation { deleteReview(tool: \"cursor\", reviewer: \"maya-okafor\") }",
        "mutation { upsertReviews(input: [{ tool: \"cursor\", reviewer: \"maya-okafor\", verdict: SKIP, body: \"x\" }]) { verdict } }",
        "mutation { unpublishComparison(slug: \"qdrant-vs-pgvector\") { slug } }",
        "mutation { deleteComparison(slug: \"qdrant-vs-pgvector\", cascadePicks: true) }",
    ] {
        for headers in [false, true] {
            let mut request = anonymous
                .post(format!("{}/graphql", app.address))
                .json(&json!({ "query": mutation }));
            if headers {
                request = request.header("x-verdicts-csrf", "1");
            }
            let body: Value = request.send().await.expect("an answer").json().await.expect("JSON");
            assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{mutation}: {body}");
        }
    }
    assert_eq!(
        server::dataset::export(&app.db).await.expect("export"),
        before,
        "nothing changed"
    );
}

async fn deleting_what_others_use_is_refused_with_a_reason(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let body = app
        .gql_as(
            &editor,
            "mutation { deleteTool(slug: \"qdrant\") }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), Some("CONFLICT"), "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("qdrant-vs-pgvector") && message.contains("review"),
        "{message}"
    );
    let body = app
        .gql_as(
            &editor,
            "mutation { deleteCategory(slug: \"speech\") }",
            json!({}),
        )
        .await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("whisper-large-v3"),
        "{body}"
    );
    // Readers' picks belong to the pair: deleting the comparison keeps
    // them for the pair's page, unless the editor says they go too.
    app.gql(
        "mutation { pick(comparison: \"qdrant-vs-pgvector\", tool: \"qdrant\") { slug } }",
        json!({}),
    )
    .await;
    let body = app
        .gql_as(
            &editor,
            "mutation { deleteComparison(slug: \"qdrant-vs-pgvector\") }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["deleteComparison"], true, "{body}");
    assert_eq!(
        app.get("/compare/qdrant-vs-pgvector").await.0,
        200,
        "the ad hoc pair still works"
    );
    let pair =
        "{ compare(left: \"qdrant\", right: \"pgvector\") { curated headToHead { left total } } }";
    let body = app.gql(pair, json!({})).await;
    assert_eq!(
        body["data"]["compare"],
        json!({ "curated": false, "headToHead": { "left": 1, "total": 1 } }),
        "{body}"
    );
    app.gql(
        "mutation { pick(comparison: \"cursor-vs-github-copilot\", tool: \"cursor\") { slug } }",
        json!({}),
    )
    .await;
    let body = app
        .gql_as(
            &editor,
            "mutation { deleteComparison(slug: \"cursor-vs-github-copilot\", cascadePicks: true) }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["deleteComparison"], true, "{body}");
    let body = app
        .gql(
            "{ compare(left: \"cursor\", right: \"github-copilot\") { headToHead { total } } }",
            json!({}),
        )
        .await;
    assert_eq!(body["data"]["compare"]["headToHead"]["total"], 0, "{body}");
}

const UPSERT_REVIEWS: &str =
    "mutation($i: [ReviewInput!]!) { upsertReviews(input: $i) { verdict publishedAt reviewer { slug } } }";

fn review(tool: &str, reviewer: &str, verdict: &str, body: &str, published: bool) -> Value {
    json!({ "tool": tool, "reviewer": reviewer, "verdict": verdict, "body": body, "published": published })
}

/// Every review of `tool`, drafts included, as `reviewer verdict published?`.
async fn every_review(app: &TestApp, editor: &reqwest::Client, tool: &str) -> Vec<String> {
    let data = ok(
        app,
        editor,
        "query($t: String!) { tool(slug: $t) { reviews(includeDrafts: true) { verdict publishedAt reviewer { slug } } } }",
        json!({ "t": tool }),
    )
    .await;
    let mut lines: Vec<String> = data["tool"]["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r["reviewer"]["slug"].as_str().unwrap_or(""),
                r["verdict"].as_str().unwrap_or(""),
                if r["publishedAt"].is_null() {
                    "draft"
                } else {
                    "published"
                }
            )
        })
        .collect();
    lines.sort();
    lines
}

async fn a_scorecard_is_saved_all_or_nothing(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let editor = signed_in(&app).await;
    let before = every_review(&app, &editor, "cursor").await;
    let audit_before = ok(&app, &editor, "{ auditLog { key } }", json!({})).await;

    // One bad review in the batch: nothing is saved, and the error names it.
    let body = app
        .gql_as(
            &editor,
            UPSERT_REVIEWS,
            json!({ "i": [
                review("cursor", "maya-okafor", "SKIP", "Changed my mind.", true),
                review("github-copilot", "maya-okafor", "SHIP", "   ", true),
            ] }),
        )
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "input[1].body",
        "{body}"
    );
    let body = app
        .gql_as(
            &editor,
            UPSERT_REVIEWS,
            json!({ "i": [review("cursor", "nobody-here", "SKIP", "Hm.", true)] }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "input[0].reviewer",
        "{body}"
    );
    let twice = review("cursor", "maya-okafor", "SKIP", "Twice.", true);
    let body = app
        .gql_as(
            &editor,
            UPSERT_REVIEWS,
            json!({ "i": [twice.clone(), twice] }),
        )
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "input[1]",
        "{body}"
    );
    assert_eq!(
        every_review(&app, &editor, "cursor").await,
        before,
        "nothing was saved"
    );
    assert_eq!(
        ok(&app, &editor, "{ auditLog { key } }", json!({})).await,
        audit_before,
        "nothing was audited"
    );

    // A whole scorecard at once, one review kept as a draft.
    let reviewers = ok(
        &app,
        &editor,
        "{ reviewers(first: 100) { edges { node { slug } } } }",
        json!({}),
    )
    .await;
    let slugs: Vec<String> = reviewers["reviewers"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["slug"].as_str().expect("slug").to_owned())
        .collect();
    assert!(slugs.len() >= 2, "{slugs:?}");
    let mut batch = Vec::new();
    for (i, reviewer) in slugs.iter().enumerate() {
        batch.push(review(
            "cursor",
            reviewer,
            "SHIP",
            "Ships for the scorecard test.",
            i != 0,
        ));
        batch.push(review(
            "github-copilot",
            reviewer,
            "SKIP",
            "Skips for the scorecard test.",
            true,
        ));
    }
    let saved = ok(&app, &editor, UPSERT_REVIEWS, json!({ "i": batch })).await;
    assert_eq!(
        saved["upsertReviews"].as_array().map(Vec::len),
        Some(slugs.len() * 2)
    );
    let now = every_review(&app, &editor, "cursor").await;
    assert_eq!(now.len(), slugs.len());
    assert_eq!(now[0], format!("{} SHIP draft", slugs[0]));
    assert!(
        now[1..].iter().all(|l| l.ends_with("SHIP published")),
        "{now:?}"
    );

    // Readers see published reviews only; the draft stays hidden, and
    // asking for drafts is for editors.
    let public = app
        .gql(
            "{ tool(slug: \"cursor\") { reviews { reviewer { slug } } } }",
            json!({}),
        )
        .await;
    let public_slugs: Vec<&str> = public["data"]["tool"]["reviews"]
        .as_array()
        .expect("reviews")
        .iter()
        .filter_map(|r| r["reviewer"]["slug"].as_str())
        .collect();
    assert!(!public_slugs.contains(&slugs[0].as_str()), "{public}");
    let refused = app
        .gql(
            "{ tool(slug: \"cursor\") { reviews(includeDrafts: true) { body } } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&refused), Some("UNAUTHENTICATED"), "{refused}");
}

async fn editors_lists_search_and_page(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    // The panel is public.
    let page = app
        .gql("{ reviewers(first: 2) { edges { node { slug } } pageInfo { hasNextPage endCursor } } }", json!({}))
        .await;
    let first: Vec<&str> = page["data"]["reviewers"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(|e| e["node"]["slug"].as_str())
        .collect();
    assert_eq!(first.len(), 2, "{page}");
    assert_eq!(page["data"]["reviewers"]["pageInfo"]["hasNextPage"], true);
    let after = page["data"]["reviewers"]["pageInfo"]["endCursor"].clone();
    let rest = app
        .gql(
            "query($a: String) { reviewers(first: 100, after: $a) { edges { node { slug } } } }",
            json!({ "a": after }),
        )
        .await;
    let rest: Vec<&str> = rest["data"]["reviewers"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(|e| e["node"]["slug"].as_str())
        .collect();
    assert!(
        !rest.is_empty() && rest.iter().all(|s| *s > first[1]),
        "{rest:?} after {first:?}"
    );
    let found = app
        .gql("{ reviewers(search: \"MAYA\") { edges { node { slug } } } reviewer(slug: \"maya-okafor\") { name } nobody: reviewer(slug: \"NOT a slug\") { name } }", json!({}))
        .await;
    assert_eq!(
        found["data"]["reviewers"]["edges"][0]["node"]["slug"], "maya-okafor",
        "{found}"
    );
    assert!(found["data"]["nobody"].is_null(), "{found}");

    // Comparisons with drafts, and the vote activity, are for editors.
    for query in [
        "{ allComparisons { edges { node { slug } } } }",
        "{ recentVoteActivity { total } }",
    ] {
        let body = app.gql(query, json!({})).await;
        assert_eq!(
            error_code(&body),
            Some("UNAUTHENTICATED"),
            "{query}: {body}"
        );
    }
    let editor = signed_in(&app).await;
    ok(&app, &editor, "mutation { createComparison(input: { slug: \"cursor-vs-qdrant\", title: \"Odd pair\", summary: \"A draft.\", left: \"cursor\", right: \"qdrant\" }) { slug } }", json!({})).await;
    let drafts = ok(
        &app,
        &editor,
        "{ allComparisons(search: \"ODD\") { edges { node { slug publishedAt } } } }",
        json!({}),
    )
    .await;
    assert_eq!(
        drafts["allComparisons"]["edges"][0]["node"]["slug"], "cursor-vs-qdrant",
        "{drafts}"
    );
    assert!(drafts["allComparisons"]["edges"][0]["node"]["publishedAt"].is_null());
    let split = ok(
        &app,
        &editor,
        "{ drafts: allComparisons(published: false) { totalCount nodes { slug } } \
           live: allComparisons(published: true) { totalCount } \
           draftTools: allTools(published: false) { totalCount } }",
        json!({}),
    )
    .await;
    assert_eq!(split["drafts"]["totalCount"], 1, "{split}");
    assert_eq!(split["drafts"]["nodes"][0]["slug"], "cursor-vs-qdrant");
    assert_eq!(split["live"]["totalCount"], 4, "{split}");
    assert_eq!(split["draftTools"]["totalCount"], 0, "{split}");

    // Reader votes show on the dashboard's activity, busiest first.
    let reader = TestApp::new_client();
    for (tool, verdict) in [("cursor", "SHIP"), ("cursor", "SKIP"), ("qdrant", "SHIP")] {
        let body = app
            .gql_as(
                &reader,
                "mutation($t: String!, $v: Verdict!) { castVote(tool: $t, verdict: $v) { total } }",
                json!({ "t": tool, "v": verdict }),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }
    let activity = ok(
        &app,
        &editor,
        "{ recentVoteActivity(hours: 1) { tool { slug } ship skip withdrawn total } }",
        json!({}),
    )
    .await;
    assert_eq!(
        activity["recentVoteActivity"],
        json!([
            { "tool": { "slug": "cursor" }, "ship": 1, "skip": 1, "withdrawn": 0, "total": 2 },
            { "tool": { "slug": "qdrant" }, "ship": 1, "skip": 0, "withdrawn": 0, "total": 1 },
        ])
    );
    let body = app
        .gql_as(
            &editor,
            "{ recentVoteActivity(hours: 0) { total } }",
            json!({}),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "hours", "{body}");
}

async fn the_audit_log_pages_back_through_every_change(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let editor = signed_in(&app).await;
    for i in 0..7 {
        ok(
            &app,
            &editor,
            "mutation($s: String!) { createCategory(input: { slug: $s, name: $s }) { slug } }",
            json!({ "s": format!("shelf-{i}") }),
        )
        .await;
    }
    let page = "query($after: String) { auditEntries(first: 3, after: $after) { totalCount \
        nodes { key } pageInfo { hasNextPage endCursor } } }";
    let mut keys = Vec::new();
    let mut after = Value::Null;
    loop {
        let data = ok(&app, &editor, page, json!({ "after": after })).await;
        let entries = &data["auditEntries"];
        assert_eq!(entries["totalCount"], 7);
        for node in entries["nodes"].as_array().expect("nodes") {
            keys.push(node["key"].as_str().expect("a key").to_owned());
        }
        if entries["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = entries["pageInfo"]["endCursor"].clone();
    }
    let expected: Vec<String> = (0..7).rev().map(|i| format!("shelf-{i}")).collect();
    assert_eq!(keys, expected, "newest first, each once");
    let body = app
        .gql(
            "{ auditEntries { totalCount } anomalies { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), Some("UNAUTHENTICATED"), "{body}");

    // A tool's comparisons page too.
    let data = ok(
        &app,
        &editor,
        "{ tool(slug: \"qdrant\") { comparedIn(first: 1) { totalCount nodes { slug } } } }",
        json!({}),
    )
    .await;
    assert_eq!(data["tool"]["comparedIn"]["totalCount"], 1);
    assert_eq!(
        data["tool"]["comparedIn"]["nodes"][0]["slug"],
        "qdrant-vs-pgvector"
    );
}

on_both_databases!(
    the_audit_log_pages_back_through_every_change,
    a_scorecard_is_saved_all_or_nothing,
    editors_lists_search_and_page,
    an_editor_publishes_a_comparison_that_readers_then_see,
    invalid_input_names_the_field_and_writes_nothing,
    an_empty_form_reports_every_field_and_left_empty_slugs_and_titles_are_derived,
    every_change_is_refused_without_credentials,
    deleting_what_others_use_is_refused_with_a_reason,
);
