//! Two to four tools side by side: `compareMany` in the API, the page at
//! `/compare/a-vs-b-vs-c(-vs-d)`, and the picker's third and fourth boxes
//! without JavaScript (`/compare/go`, "Add a tool").

use contract::operations::{ComparisonOfMany, Operation};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{json, Value};
use tests::{on_both_databases, Db, TestApp};

const MANY: &str = "query($tools: [String!]!) { compareMany(tools: $tools) { \
    slug canonicalSlug title panelPick { slug } tools { slug community { total } } \
    scorecard { reviewer { slug } reviews { verdict tool { slug } } } \
    facts { label cells { label display } } \
    curated { slug left { slug } right { slug } } } }";

const FOUR: [&str; 4] = ["cursor", "github-copilot", "qdrant", "pgvector"];

async fn many(app: &TestApp, tools: &[&str]) -> Value {
    app.gql(MANY, json!({ "tools": tools })).await
}

/// The page's canonical address.
fn canonical(html: &str) -> &str {
    html.split("<link ")
        .find(|tag| {
            tag.split('>')
                .next()
                .is_some_and(|t| t.contains("rel=\"canonical\""))
        })
        .and_then(|tag| tag.split("href=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
}

fn error_of(body: &Value) -> (Option<&str>, Option<&str>) {
    let extensions = &body["errors"][0]["extensions"];
    (extensions["code"].as_str(), extensions["field"].as_str())
}

/// The tools come in the order asked, and every scorecard row has one cell
/// per tool, each the review of the tool in that column.
async fn compare_many_answers_in_the_order_asked_with_one_cell_per_tool(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    for tools in [
        &FOUR[..2],
        &["qdrant", "cursor", "whisper-large-v3"][..],
        &["pgvector", "smolvlm-3b", "cursor", "github-copilot"][..],
    ] {
        let body = many(&app, tools).await;
        assert!(body["errors"].is_null(), "{body}");
        let answer = &body["data"]["compareMany"];
        let slugs: Vec<&str> = answer["tools"]
            .as_array()
            .expect("tools")
            .iter()
            .filter_map(|t| t["slug"].as_str())
            .collect();
        assert_eq!(slugs, tools, "{body}");
        assert_eq!(answer["slug"], tools.join("-vs-"));
        let rows = answer["scorecard"].as_array().expect("rows");
        assert!(!rows.is_empty(), "{body}");
        let mut cells = 0;
        for row in rows {
            let reviews = row["reviews"].as_array().expect("cells");
            assert_eq!(reviews.len(), tools.len(), "one cell per tool: {row}");
            for (review, tool) in reviews.iter().zip(tools.iter()) {
                if !review.is_null() {
                    assert_eq!(review["tool"]["slug"], *tool, "{row}");
                    cells += 1;
                }
            }
        }
        // The demo panel reviewed every one of these tools.
        assert!(cells >= tools.len() * 2, "{body}");
    }
    // The canonical address is the same whatever the order.
    let mut canonical = Vec::new();
    for tools in [FOUR, ["qdrant", "pgvector", "github-copilot", "cursor"]] {
        let body = many(&app, &tools).await;
        canonical.push(body["data"]["compareMany"]["canonicalSlug"].clone());
        assert_eq!(
            body["data"]["compareMany"]["title"],
            match tools[0] {
                "cursor" => "Cursor vs GitHub Copilot vs Qdrant vs pgvector",
                _ => "Qdrant vs pgvector vs GitHub Copilot vs Cursor",
            },
            "{body}"
        );
    }
    assert_eq!(
        canonical[0],
        "cursor-vs-github-copilot-vs-pgvector-vs-qdrant"
    );
    assert_eq!(canonical[0], canonical[1]);
}

/// The editors' comparisons among the tools come along, whichever way round
/// they were curated; pairs nobody curated are not listed.
async fn compare_many_lists_the_curated_comparisons_among_the_tools(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = many(&app, &["pgvector", "github-copilot", "qdrant", "cursor"]).await;
    assert!(body["errors"].is_null(), "{body}");
    let mut curated: Vec<&str> = body["data"]["compareMany"]["curated"]
        .as_array()
        .expect("curated")
        .iter()
        .filter_map(|c| c["slug"].as_str())
        .collect();
    curated.sort_unstable();
    assert_eq!(curated, ["cursor-vs-github-copilot", "qdrant-vs-pgvector"]);
    let body = many(&app, &["cursor", "qdrant", "whisper-large-v3"]).await;
    assert_eq!(body["data"]["compareMany"]["curated"], json!([]), "{body}");
}

/// Fewer than two tools, more than four, or one twice: `VALIDATION` naming
/// `tools`, before anything is looked up.
async fn compare_many_refuses_fewer_than_two_more_than_four_or_a_tool_twice(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let five = [
        "cursor",
        "github-copilot",
        "qdrant",
        "pgvector",
        "smolvlm-3b",
    ];
    let hundred: Vec<String> = (0..100).map(|i| format!("tool-{i}")).collect();
    let hundred: Vec<&str> = hundred.iter().map(String::as_str).collect();
    for tools in [
        &[][..],
        &["cursor"][..],
        &five[..],
        &hundred[..],
        &["cursor", "qdrant", "cursor"][..],
        &["qdrant", "qdrant"][..],
        &["no-such-tool", "no-such-tool", "cursor"][..],
    ] {
        let body = many(&app, tools).await;
        assert_eq!(
            error_of(&body),
            (Some("VALIDATION"), Some("tools")),
            "{tools:?}: {body}"
        );
        assert!(body["data"]["compareMany"].is_null(), "{body}");
    }
    let body = many(&app, &["cursor", "qdrant", "cursor"]).await;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("cursor is named twice"), "{message}");
}

/// A slug that names no published tool (unknown, a draft, or no slug at
/// all) makes the answer null, as `compare` answers for a pair: never an
/// error, never `INTERNAL`.
async fn compare_many_with_an_unknown_draft_or_hostile_slug_is_null(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    app.db
        .execute_raw(Statement::from_string(
            app.db.get_database_backend(),
            "UPDATE tools SET published_at = NULL WHERE slug = 'pgvector'",
        ))
        .await
        .expect("pgvector is a draft again");
    let long = "x".repeat(5000);
    for hostile in [
        "no-such-tool",
        "pgvector",
        "a\u{0}b",
        "'; DROP TABLE tools; --",
        "cursor' OR '1'='1",
        "<script>alert(1)</script>",
        "\u{202e}gnp.exe",
        "Cursor",
        "",
        long.as_str(),
    ] {
        let body = many(&app, &["cursor", hostile, "qdrant"]).await;
        assert!(body["errors"].is_null(), "{hostile:?}: {body}");
        assert!(body["data"]["compareMany"].is_null(), "{body}");
    }
    let body = many(&app, &["cursor", "qdrant"]).await;
    assert_eq!(body["data"]["compareMany"]["tools"][1]["slug"], "qdrant");
}

/// The page's own operation takes the same statements for two, three and
/// four tools: no statement per tool, per row or per cell.
async fn compare_many_costs_the_same_statements_for_two_three_and_four_tools(db: Db) {
    let options = tests::SpawnOptions {
        configure: |config| config.cache_mb = 0,
        ..tests::SpawnOptions::default()
    };
    let Some(app) = TestApp::spawn_with(db, options).await else {
        return;
    };
    let mut counts = Vec::new();
    for n in [2, 3, 4] {
        // Other tools each time, and the cache is off: every load is computed.
        let tools: Vec<&str> = [
            ["cursor", "github-copilot", "qdrant", "pgvector"],
            [
                "whisper-large-v3",
                "deepgram-nova-3",
                "smolvlm-3b",
                "stable-diffusion-3-5",
            ],
            [
                "adobe-firefly-services",
                "claude-haiku-open-weights",
                "cursor",
                "qdrant",
            ],
        ][n - 2][..n]
            .to_vec();
        // The fewest of three loads: on a busy machine a loader's batch can
        // split in two (one statement more); a statement per tool, row or
        // cell would show on every load.
        let mut fewest = u64::MAX;
        for _ in 0..3 {
            let before = app.statements().await;
            let body = app
                .gql(ComparisonOfMany::QUERY, json!({ "tools": tools }))
                .await;
            assert!(body["errors"].is_null(), "{body}");
            assert_eq!(
                body["data"]["compareMany"]["tools"]
                    .as_array()
                    .map(Vec::len),
                Some(n)
            );
            fewest = fewest.min(app.statements().await - before);
        }
        counts.push(fewest);
    }
    assert!(
        counts.iter().all(|c| *c == counts[0]),
        "statements for 2, 3 and 4 tools: {counts:?}"
    );
}

/// A kept answer ends when a vote changes one of its tools.
async fn compare_many_is_kept_until_one_of_its_tools_changes(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let anonymous = || reqwest::Client::builder().build().expect("an HTTP client");
    let ask = |client: reqwest::Client| {
        let url = format!("{}/graphql", app.address);
        async move {
            let body: Value = client
                .post(url)
                .json(&json!({ "query": MANY, "variables": { "tools": ["cursor", "qdrant", "pgvector"] } }))
                .send()
                .await
                .expect("POST")
                .json()
                .await
                .expect("JSON");
            body["data"]["compareMany"]["tools"][2]["community"]["total"].clone()
        }
    };
    let hits = || async {
        let (_, body) = app.get("/metrics").await;
        body.lines()
            .find_map(|l| l.strip_prefix("verdicts_cache_hits_total "))
            .and_then(|n| n.trim().parse::<u64>().ok())
            .expect("the hits counter")
    };
    let first = ask(anonymous()).await;
    ask(anonymous()).await;
    let before = hits().await;
    assert_eq!(ask(anonymous()).await, first);
    assert_eq!(hits().await, before + 1, "the third answer is kept");
    let vote = TestApp::new_client();
    let body = app
        .gql_as(
            &vote,
            "mutation { castVote(tool: \"pgvector\", verdict: SHIP) { total } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let after = ask(anonymous()).await;
    assert_eq!(
        after.as_i64(),
        first.as_i64().map(|n| n + 1),
        "the vote shows at once"
    );
}

/// The four-way page: every tool's card and scores, the scorecard with a
/// column per tool, each pair's page (the editors' where there is one), and
/// one canonical address for every order of the same tools.
async fn the_four_way_page_shows_the_tools_in_columns_and_links_each_pair(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let (status, html) = app
        .get("/compare/qdrant-vs-cursor-vs-github-copilot-vs-pgvector")
        .await;
    assert_eq!(status, 200, "{html}");
    for text in [
        "<title>Qdrant vs Cursor vs GitHub Copilot vs pgvector · Verdicts</title>",
        "Four tools side by side",
        "data-testid=\"many-scorecard\"",
        "data-testid=\"panel-pick\"",
        "id=\"tool-qdrant\"",
        "id=\"tool-pgvector\"",
        // The editors' pages of the curated pairs, under their titles.
        "href=\"/compare/cursor-vs-github-copilot\"",
        "href=\"/compare/qdrant-vs-pgvector\"",
        // The pairs nobody curated, side by side.
        "href=\"/compare/qdrant-vs-cursor\"",
        "href=\"/compare/github-copilot-vs-pgvector\"",
    ] {
        assert!(html.contains(text), "{text} in {html}");
    }
    assert_eq!(
        canonical(&html),
        "https://verdicts.test/compare/cursor-vs-github-copilot-vs-pgvector-vs-qdrant"
    );
    assert_eq!(html.matches("data-testid=\"strip-tool\"").count(), 4);
    assert_eq!(html.matches("class=\"tool-card\"").count(), 4);
    assert_eq!(html.matches("data-testid=\"pair-curated\"").count(), 2);
    assert_eq!(html.matches("data-testid=\"pair-ad-hoc\"").count(), 4);
    // Reviewer, then one column per tool, in the order of the address.
    let head = html
        .split("data-testid=\"many-scorecard\"")
        .nth(1)
        .and_then(|rest| rest.split("<thead>").nth(1))
        .and_then(|rest| rest.split("</thead>").next())
        .expect("the scorecard's head");
    let columns: Vec<&str> = head
        .split("<th scope=\"col\"")
        .skip(1)
        .filter_map(|th| th.split('>').nth(1)?.split('<').next())
        .collect();
    assert_eq!(
        columns,
        ["Reviewer", "Qdrant", "Cursor", "GitHub Copilot", "pgvector"]
    );
    // The facts table: a column per tool, in the same order, before the scorecard.
    let facts = html
        .split("data-testid=\"facts-table\"")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .expect("the facts table");
    assert!(
        html.find("facts-table").unwrap_or(usize::MAX) < html.find("many-scorecard").unwrap_or(0)
    );
    let tools_in_head: Vec<&str> = facts
        .split("<a href=\"/tools/")
        .skip(1)
        .filter_map(|a| a.split('"').next())
        .collect();
    assert_eq!(
        tools_in_head,
        ["qdrant", "cursor", "github-copilot", "pgvector"]
    );
    // Three tools work the same; another order is the same canonical page.
    let (status, html) = app
        .get("/compare/qdrant-vs-whisper-large-v3-vs-cursor")
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        canonical(&html),
        "https://verdicts.test/compare/cursor-vs-qdrant-vs-whisper-large-v3"
    );
    assert!(html.contains("Three tools side by side"));
    // Two tools are still the pair page.
    let (status, html) = app.get("/compare/cursor-vs-qdrant").await;
    assert_eq!(status, 200);
    assert!(!html.contains("many-scorecard"));
}

/// Addresses a reader may type: a tool named twice moves for good to the
/// address naming each once; names that are not slugs resolve (302); a name
/// that matches nothing is a 404 that says which and suggests; five tools
/// or more is a 400 that offers the first four.
async fn multi_tool_addresses_redirect_or_refuse_as_a_reader_expects(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let location = |path: &'static str| {
        let client = app.client.clone();
        let url = format!("{}{path}", app.address);
        async move {
            let response = client.get(url).send().await.expect("an answer");
            let status = response.status().as_u16();
            let to = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned);
            (status, to)
        }
    };
    // A name repeated that is no slug moves nowhere: control characters
    // or markup would end up in `Location` (a 500 when not a header value).
    for hostile in [
        "/compare/a%0D%0A-vs-b-vs-a%0D%0A",
        "/compare/x%00-vs-cursor-vs-x%00",
        "/compare/%3Cb%3E-vs-cursor-vs-%3Cb%3E",
    ] {
        let (status, to) = location(hostile).await;
        assert_eq!((status, to), (404, None), "{hostile}");
    }
    assert_eq!(
        location("/compare/cursor-vs-qdrant-vs-cursor").await,
        (301, Some("/compare/cursor-vs-qdrant".to_owned()))
    );
    assert_eq!(
        location("/compare/cursor-vs-qdrant-vs-pgvector-vs-qdrant").await,
        (
            301,
            Some("/compare/cursor-vs-qdrant-vs-pgvector".to_owned())
        )
    );
    assert_eq!(
        location("/compare/cursor-vs-copilot-vs-qdrant").await,
        (
            302,
            Some("/compare/cursor-vs-github-copilot-vs-qdrant".to_owned())
        )
    );
    let (status, html) = app.get("/compare/cursor-vs-qdrnt-vs-pgvector").await;
    assert_eq!(status, 404, "{html}");
    assert!(
        html.contains("No tool is called \u{201c}qdrnt\u{201d}."),
        "{html}"
    );
    assert!(
        html.contains("href=\"/compare/cursor-vs-qdrant-vs-pgvector\""),
        "the suggestion replaces the name: {html}"
    );
    let (status, html) = app
        .get("/compare/cursor-vs-qdrant-vs-pgvector-vs-smolvlm-3b-vs-whisper-large-v3")
        .await;
    assert_eq!(status, 400, "{html}");
    assert!(html.contains("Four tools at a time"), "{html}");
    assert!(html.contains("href=\"/compare/cursor-vs-qdrant-vs-pgvector-vs-smolvlm-3b\""));
    for path in [
        "/compare/cursor-vs-cursor-vs-cursor",
        "/compare/cursor-vs--vs-qdrant",
        "/compare/%00-vs-%00-vs-%00",
        "/compare/a-vs-b-vs-c-vs-d",
    ] {
        assert_eq!(app.get(path).await.0, 404, "{path}");
    }
}

/// Every name on the page is the reader's text: a tool called like markup
/// is shown as written, in the title too.
async fn names_on_the_four_way_page_are_text(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    app.db
        .execute_raw(Statement::from_string(
            app.db.get_database_backend(),
            "UPDATE tools SET name = '</title><script>alert(1)</script>' WHERE slug = 'qdrant'",
        ))
        .await
        .expect("renamed");
    let (status, html) = app.get("/compare/cursor-vs-qdrant-vs-pgvector").await;
    assert_eq!(status, 200);
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains(
        "<title>Cursor vs &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; vs pgvector · Verdicts</title>"
    ), "{html}");
}

/// The picker without JavaScript: `/compare/go` takes a third and a fourth
/// name, and "Add a tool" comes back to the picker with a box more.
async fn the_picker_without_javascript_takes_up_to_four_names(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let go = |query: &'static str| {
        let client = app.client.clone();
        let url = format!("{}/compare/go?{query}", app.address);
        async move {
            let response = client.get(url).send().await.expect("an answer");
            (
                response.status().as_u16(),
                response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned)
                    .unwrap_or_default(),
            )
        }
    };
    assert_eq!(
        go("left=Cursor&right=copilot&third=Qdrant&fourth=pgvector").await,
        (
            303,
            "/compare/cursor-vs-github-copilot-vs-qdrant-vs-pgvector".into()
        )
    );
    assert_eq!(
        go("left=Cursor&right=Qdrant&third=&fourth=whisper").await,
        (303, "/compare/cursor-vs-qdrant-vs-whisper-large-v3".into())
    );
    // Empty extra boxes: the pair, as before.
    assert_eq!(
        go("left=Cursor&right=Qdrant&third=&fourth=").await,
        (303, "/compare/cursor-vs-qdrant".into())
    );
    assert_eq!(
        go("left=Cursor&right=Qdrant&third=cursor").await,
        (303, "/compare?problem=same".into())
    );
    assert_eq!(
        go("left=&right=Qdrant&third=cursor").await,
        (303, "/compare?problem=missing".into())
    );
    assert_eq!(
        go("left=Cursor&right=Qdrant&third=qdrnt").await,
        (303, "/compare/cursor-vs-qdrant-vs-qdrnt".into())
    );
    // "Add a tool": the names typed so far, and a third box.
    let (status, html) = app
        .get("/compare?left=Cursor&right=%3Cb%3EQdrant&third=&fourth=&add=1")
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("data-boxes=\"3\""), "{html}");
    let open_boxes = |html: &str| {
        html.split("<div")
            .filter(|tag| {
                let tag = tag.split('>').next().unwrap_or_default();
                tag.contains("picker-slot") && !tag.contains("hidden")
            })
            .count()
    };
    assert_eq!(open_boxes(&html), 3, "three boxes to type in: {html}");
    assert!(html.contains("value=\"Cursor\""), "{html}");
    assert!(html.contains("value=\"&lt;b&gt;Qdrant\""), "{html}");
    assert!(!html.contains("<b>Qdrant"));
    let (_, html) = app
        .get("/compare?left=a&right=b&third=c&fourth=d&add=1")
        .await;
    assert!(html.contains("data-boxes=\"4\""), "at most four: {html}");
    assert_eq!(open_boxes(&html), 4);
    assert!(
        !html.contains("+ Add a tool</button>")
            || html.contains("hidden=\"\" class=\"picker-add\"")
    );
    let (_, html) = app.get("/compare").await;
    assert_eq!(open_boxes(&html), 2, "two boxes at first: {html}");
}

/// The facts table lines up every tool's facts by label: each row's cell
/// for a tool is that tool's fact with the label (labels match ignoring
/// case), null where it has none, and every fact of every tool is in a row.
async fn compare_many_sets_the_tools_facts_side_by_side(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let query = "query($tools: [String!]!) { compareMany(tools: $tools) { \
        tools { slug facts { label display } } facts { label cells { label display } } } }";
    let body = app.gql(query, json!({ "tools": FOUR })).await;
    assert!(body["errors"].is_null(), "{body}");
    let many = &body["data"]["compareMany"];
    let tools = many["tools"].as_array().expect("tools");
    let rows = many["facts"].as_array().expect("facts");
    assert!(rows.len() >= 5, "the demo's tools carry facts: {rows:?}");
    let mut placed = 0;
    for row in rows {
        let label = row["label"].as_str().expect("label").to_lowercase();
        let cells = row["cells"].as_array().expect("cells");
        assert_eq!(cells.len(), FOUR.len(), "one cell per tool: {row}");
        for (tool, cell) in tools.iter().zip(cells) {
            let own =
                tool["facts"].as_array().expect("facts").iter().find(|f| {
                    f["label"].as_str().map(str::to_lowercase).as_deref() == Some(&label)
                });
            match own {
                Some(fact) => {
                    assert_eq!(
                        cell["display"], fact["display"],
                        "{label} of {}",
                        tool["slug"]
                    );
                    placed += 1;
                }
                None => assert!(cell.is_null(), "{label} of {}: {cell}", tool["slug"]),
            }
        }
    }
    let facts: usize = tools
        .iter()
        .map(|t| t["facts"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(placed, facts, "every fact of every tool is in a row");
    assert!(
        rows.iter().any(|r| r["cells"]
            .as_array()
            .is_some_and(|c| c.iter().any(Value::is_null))),
        "tools of two categories leave gaps: {rows:?}"
    );
}

on_both_databases!(
    compare_many_answers_in_the_order_asked_with_one_cell_per_tool,
    compare_many_sets_the_tools_facts_side_by_side,
    compare_many_lists_the_curated_comparisons_among_the_tools,
    compare_many_refuses_fewer_than_two_more_than_four_or_a_tool_twice,
    compare_many_with_an_unknown_draft_or_hostile_slug_is_null,
    compare_many_costs_the_same_statements_for_two_three_and_four_tools,
    compare_many_is_kept_until_one_of_its_tools_changes,
    the_four_way_page_shows_the_tools_in_columns_and_links_each_pair,
    multi_tool_addresses_redirect_or_refuse_as_a_reader_expects,
    names_on_the_four_way_page_are_text,
    the_picker_without_javascript_takes_up_to_four_names,
);
