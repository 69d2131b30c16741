//! The catalogue as third parties page through it: a few hundred tools,
//! forwards and backwards, with rows added between pages, every order and
//! every filter, and a statement count that does not grow with the page.

use sea_orm::EntityTrait;
use serde_json::{json, Value};
use tests::{on_both_databases, Db, TestApp};

use crate::error_code;

const REVIEWERS: [&str; 4] = [
    "maya-okafor",
    "tomas-lindqvist",
    "priya-raman",
    "jonah-whitfield",
];
const LICENSES: [&str; 3] = ["MIT", "Apache-2.0", "Proprietary"];
const PRICING: [&str; 4] = ["FREE", "FREEMIUM", "PAID", "CONTACT"];
const CATEGORIES: [&str; 2] = ["developer-tools", "speech"];

/// `count` published tools named `bulk-<prefix>-NNN`, each reviewed by part
/// of the panel so that panel scores vary.
fn bulk(prefix: &str, count: usize) -> String {
    let mut tools = Vec::new();
    let mut reviews = Vec::new();
    for i in 0..count {
        let slug = format!("bulk-{prefix}-{i:03}");
        tools.push(json!({
            "slug": slug,
            // Names in another order than slugs, to tell the orders apart.
            "name": format!("{} Tool {prefix}{i}", ["Zeta", "Alpha", "Mu", "Beta"][i % 4]),
            "vendor": format!("Vendor {}", i % 7),
            "category": CATEGORIES[i % 2],
            "tagline": if i % 10 == 0 { "Finds needles in haystacks" } else { "Does a thing" },
            "description": "Made by the catalogue test.",
            "license": LICENSES[i % 3],
            "pricing": { "model": PRICING[i % 4], "entry": "Varies" },
            "website_url": null,
            "published_at": format!("2026-0{}-{:02}T09:{:02}:00Z", 1 + i % 9, 1 + i % 28, i % 60),
        }));
        for (r, reviewer) in REVIEWERS.iter().enumerate().take(i % 5) {
            reviews.push(json!({
                "tool": slug, "reviewer": reviewer,
                "verdict": if (i + r) % 3 == 0 { "SKIP" } else { "SHIP" },
                "body": "Reasoned.", "published_at": "2026-10-01T09:00:00Z",
            }));
        }
    }
    json!({ "format": "toolverdicts/v1", "tools": tools, "reviews": reviews }).to_string()
}

async fn import(app: &TestApp, text: &str) {
    let dataset = server::dataset::parse(text).expect("a dataset");
    server::dataset::import(&app.db, &dataset)
        .await
        .expect("imported");
}

const PAGE: &str = "query($first: Int, $after: String, $last: Int, $before: String, \
    $filter: ToolFilter, $order: ToolOrder) { tools(first: $first, after: $after, last: $last, \
    before: $before, filter: $filter, orderBy: $order) { totalCount \
    edges { cursor node { slug name license category { slug } pricing { model } \
    panel { shipPercent } community { shipPercent } tagline } } \
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }";

/// Every tool of the list, reading forwards `size` at a time; `between`
/// runs after each page.
async fn forwards(
    app: &TestApp,
    size: i64,
    filter: Value,
    order: Value,
    mut between: impl AsyncFnMut(usize),
) -> (Vec<Value>, u64) {
    let mut all = Vec::new();
    let mut after = Value::Null;
    let mut total = 0;
    for page in 0.. {
        let body = app
            .gql(
                PAGE,
                json!({ "first": size, "after": after, "filter": filter, "order": order }),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        let tools = &body["data"]["tools"];
        total = tools["totalCount"].as_u64().expect("a total");
        let edges = tools["edges"].as_array().expect("edges");
        assert!(edges.len() as i64 <= size);
        all.extend(edges.iter().map(|e| e["node"].clone()));
        assert_eq!(tools["pageInfo"]["hasPreviousPage"], page > 0);
        if tools["pageInfo"]["hasNextPage"] != true {
            break;
        }
        after = tools["pageInfo"]["endCursor"].clone();
        between(page).await;
    }
    (all, total)
}

fn slugs(nodes: &[Value]) -> Vec<String> {
    nodes
        .iter()
        .map(|n| n["slug"].as_str().expect("a slug").to_owned())
        .collect()
}

async fn paging_forwards_and_backwards_has_no_gaps_or_duplicates(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    import(&app, &bulk("a", 300)).await;
    let (before, total) = forwards(&app, 100, Value::Null, Value::Null, async |_| {}).await;
    assert_eq!(total, 310, "the demo's ten and three hundred more");
    assert_eq!(before.len(), 310);
    let mut sorted = slugs(&before);
    sorted.sort();
    assert_eq!(slugs(&before), sorted, "slug order");

    // Rows added while a client pages through: nothing seen twice, nothing
    // that was there all along is missed.
    let mut batch = 0;
    let (during, _) = forwards(&app, 37, Value::Null, Value::Null, async |_| {
        batch += 1;
        import(&app, &bulk(&format!("b{batch}"), 2)).await;
    })
    .await;
    let seen = slugs(&during);
    let mut unique = seen.clone();
    unique.dedup();
    assert_eq!(seen, unique, "no duplicates");
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "still in order");
    for slug in slugs(&before) {
        assert!(seen.contains(&slug), "{slug} was skipped");
    }

    // Backwards from the end gives the same list, reversed page by page.
    let (everything, total) = forwards(&app, 100, Value::Null, Value::Null, async |_| {}).await;
    let mut backwards = Vec::new();
    let mut before_cursor = Value::Null;
    loop {
        let body = app
            .gql(PAGE, json!({ "last": 41, "before": before_cursor }))
            .await;
        assert!(body["errors"].is_null(), "{body}");
        let tools = &body["data"]["tools"];
        let mut page = slugs(
            &tools["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|e| e["node"].clone())
                .collect::<Vec<_>>(),
        );
        page.extend(backwards);
        backwards = page;
        if tools["pageInfo"]["hasPreviousPage"] != true {
            break;
        }
        before_cursor = tools["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(backwards, slugs(&everything));
    assert_eq!(total as usize, everything.len());

    for (variables, field) in [
        (json!({ "first": 101 }), "first"),
        (json!({ "last": 500 }), "last"),
        (json!({ "first": 5, "last": 5 }), "last"),
        (json!({ "last": 5, "after": "x" }), "after"),
        (json!({ "first": 5, "after": "bm90IGEgY3Vyc29y" }), "after"),
    ] {
        let body = app.gql(PAGE, variables.clone()).await;
        assert_eq!(error_code(&body), Some("VALIDATION"), "{variables}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let body = app.gql(PAGE, json!({ "first": 101 })).await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("100"),
        "the error names the cap: {body}"
    );
}

async fn every_order_holds_across_pages(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    import(&app, &bulk("o", 120)).await;
    let percent = |n: &Value, score: &str| n[score]["shipPercent"].as_i64().unwrap_or(-1);
    let (by_name, _) = forwards(
        &app,
        33,
        Value::Null,
        json!({ "field": "NAME" }),
        async |_| {},
    )
    .await;
    let names: Vec<(&str, &str)> = by_name
        .iter()
        .map(|n| {
            (
                n["name"].as_str().unwrap_or(""),
                n["slug"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(names.len(), 130);
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "names A to Z");

    let (by_panel, _) = forwards(
        &app,
        29,
        Value::Null,
        json!({ "field": "PANEL_SCORE" }),
        async |_| {},
    )
    .await;
    assert_eq!(by_panel.len(), 130);
    let panel: Vec<i64> = by_panel.iter().map(|n| percent(n, "panel")).collect();
    assert!(
        panel.windows(2).all(|w| w[0] >= w[1]),
        "highest first: {panel:?}"
    );
    assert!(panel.contains(&-1) && panel[0] == 100, "{panel:?}");

    let (ascending, _) = forwards(
        &app,
        50,
        Value::Null,
        json!({ "field": "PANEL_SCORE", "direction": "ASC" }),
        async |_| {},
    )
    .await;
    let up: Vec<i64> = ascending.iter().map(|n| percent(n, "panel")).collect();
    // Lowest first, and tools without a score last (as the field says),
    // not first.
    let scored = up.iter().take_while(|p| **p >= 0).count();
    assert!(scored > 0 && scored < up.len(), "{up:?}");
    assert!(up[..scored].windows(2).all(|w| w[0] <= w[1]), "{up:?}");
    assert!(
        up[scored..].iter().all(|p| *p == -1),
        "unscored last: {up:?}"
    );

    let (newest, _) = forwards(
        &app,
        40,
        Value::Null,
        json!({ "field": "NEWEST" }),
        async |_| {},
    )
    .await;
    assert_eq!(newest.len(), 130);
    let mut unique = slugs(&newest);
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 130, "every tool once");
}

/// Which tools a filter should keep, decided from what the API shows.
type Keep = Box<dyn Fn(&Value) -> bool>;

async fn every_filter_keeps_exactly_the_matching_tools(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    import(&app, &bulk("f", 90)).await;
    let (all, _) = forwards(&app, 100, Value::Null, Value::Null, async |_| {}).await;
    let panel = |n: &Value| n["panel"]["shipPercent"].as_i64();
    let cases: Vec<(Value, Keep)> = vec![
        (
            json!({ "category": "speech" }),
            Box::new(|n: &Value| n["category"]["slug"] == "speech"),
        ),
        (
            json!({ "pricingModel": "PAID" }),
            Box::new(|n: &Value| n["pricing"]["model"] == "PAID"),
        ),
        (
            json!({ "license": "mit" }),
            Box::new(|n: &Value| n["license"] == "MIT"),
        ),
        (
            json!({ "search": "NEEDLES" }),
            Box::new(|n: &Value| n["tagline"].as_str().unwrap_or("").contains("needles")),
        ),
        (
            json!({ "minPanelScore": 60 }),
            Box::new(move |n: &Value| panel(n).is_some_and(|p| p >= 60)),
        ),
        (
            json!({ "category": "developer-tools", "minPanelScore": 50, "pricingModel": "FREE" }),
            Box::new(move |n: &Value| {
                n["category"]["slug"] == "developer-tools"
                    && n["pricing"]["model"] == "FREE"
                    && panel(n).is_some_and(|p| p >= 50)
            }),
        ),
    ];
    for (filter, keep) in cases {
        let expected: Vec<String> =
            slugs(&all.iter().filter(|n| keep(n)).cloned().collect::<Vec<_>>());
        assert!(!expected.is_empty(), "{filter} matches something");
        let (found, total) = forwards(&app, 17, filter.clone(), Value::Null, async |_| {}).await;
        assert_eq!(slugs(&found), expected, "{filter}");
        assert_eq!(total as usize, expected.len(), "{filter}");
    }
    let body = app
        .gql(PAGE, json!({ "filter": { "minPanelScore": 101 } }))
        .await;
    assert_eq!(
        body["errors"][0]["extensions"]["field"], "minPanelScore",
        "{body}"
    );
    // Readers' scores: one tool with enough votes to show a percentage.
    for i in 0..10 {
        let voter = TestApp::new_client();
        let verdict = if i < 7 { "SHIP" } else { "SKIP" };
        let body = app
            .gql_as(
                &voter,
                "mutation($v: Verdict!) { castVote(tool: \"bulk-f-007\", verdict: $v) { total } }",
                json!({ "v": verdict }),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
    }
    let (found, _) = forwards(
        &app,
        10,
        json!({ "minCommunityScore": 70 }),
        Value::Null,
        async |_| {},
    )
    .await;
    assert_eq!(slugs(&found), ["bulk-f-007"]);
    assert_eq!(found[0]["community"]["shipPercent"], 70);
    let (top, _) = forwards(
        &app,
        5,
        Value::Null,
        json!({ "field": "COMMUNITY_SCORE" }),
        async |_| {},
    )
    .await;
    assert_eq!(
        top[0]["slug"], "bulk-f-007",
        "the only tool with a readers' score leads"
    );
}

async fn comparisons_filter_by_tool_and_page_backwards(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = app
        .gql(
            "{ comparisons(tool: \"qdrant\") { totalCount edges { node { slug } } } \
               all: comparisons(first: 2) { totalCount pageInfo { endCursor } } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"]["comparisons"]["totalCount"], 1);
    assert_eq!(
        body["data"]["comparisons"]["edges"][0]["node"]["slug"],
        "qdrant-vs-pgvector"
    );
    assert_eq!(body["data"]["all"]["totalCount"], 4);
    let forward = app
        .gql(
            "{ comparisons(first: 4) { edges { node { slug } } } }",
            json!({}),
        )
        .await;
    let backward = app
        .gql(
            "{ comparisons(last: 4) { edges { node { slug } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        forward["data"]["comparisons"]["edges"], backward["data"]["comparisons"]["edges"],
        "the same four, in the same order"
    );
}

async fn a_filtered_ordered_page_costs_the_same_statements_whatever_its_size(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    import(&app, &bulk("s", 60)).await;
    let mut costs = Vec::new();
    for first in [1, 10, 50] {
        let before = app.statements().await;
        let body = app
            .gql(
                PAGE,
                json!({ "first": first, "filter": { "minPanelScore": 0 }, "order": { "field": "PANEL_SCORE" } }),
            )
            .await;
        assert!(body["errors"].is_null(), "{body}");
        costs.push(app.statements().await - before);
    }
    assert!(costs.iter().all(|c| *c == costs[0]), "{costs:?}");
    assert!(
        costs[0] <= 5,
        "count + page + categories + panel + community: {costs:?}"
    );
}

async fn every_global_id_leads_back_to_its_node(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = app
        .gql(
            "{ tool(slug: \"cursor\") { id slug category { id slug } \
                 reviews { id verdict reviewer { id slug } } } \
               comparison(slug: \"qdrant-vs-pgvector\") { id slug } \
               compare(left: \"cursor\", right: \"qdrant\") { id slug } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    let data = &body["data"];
    let review = &data["tool"]["reviews"][0];
    let cases = [
        (
            data["tool"]["id"].clone(),
            "... on Tool { slug }",
            data["tool"]["slug"].clone(),
        ),
        (
            data["tool"]["category"]["id"].clone(),
            "... on Category { slug }",
            data["tool"]["category"]["slug"].clone(),
        ),
        (
            review["reviewer"]["id"].clone(),
            "... on Reviewer { slug }",
            review["reviewer"]["slug"].clone(),
        ),
        (
            data["comparison"]["id"].clone(),
            "... on Comparison { slug }",
            data["comparison"]["slug"].clone(),
        ),
        (
            data["compare"]["id"].clone(),
            "... on Comparison { slug }",
            data["compare"]["slug"].clone(),
        ),
    ];
    let mut ids = Vec::new();
    for (id, fragment, slug) in cases {
        let found = app
            .gql(
                &format!("query($id: ID!) {{ node(id: $id) {{ __typename id {fragment} }} }}"),
                json!({ "id": id }),
            )
            .await;
        assert_eq!(found["data"]["node"]["slug"], slug, "{found}");
        assert_eq!(found["data"]["node"]["id"], id);
        ids.push(id);
    }
    let found = app
        .gql(
            "query($id: ID!) { node(id: $id) { ... on Review { verdict } } }",
            json!({ "id": review["id"] }),
        )
        .await;
    assert_eq!(
        found["data"]["node"]["verdict"], review["verdict"],
        "{found}"
    );

    // `nodes` keeps the order asked, with null for what is not there.
    ids.insert(1, json!("VG9vbDo5OTk5OTk"));
    let found = app
        .gql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": ids }),
        )
        .await;
    let nodes = found["data"]["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), ids.len());
    assert!(nodes[1].is_null(), "Tool:999999 does not exist: {found}");
    assert_eq!(nodes[0]["id"], ids[0]);
    assert_eq!(nodes[5]["id"], ids[5]);

    // Strangers are refused; drafts stay hidden from readers.
    let body = app
        .gql("{ node(id: \"not-an-id\") { id } }", json!({}))
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    // In `nodes`, a malformed id nulls its own element, with the error at
    // its path; the others still come.
    let body = app
        .gql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": [ids[0], "not-an-id", ids[2]] }),
        )
        .await;
    assert_eq!(body["data"]["nodes"][0]["id"], ids[0], "{body}");
    assert!(body["data"]["nodes"][1].is_null(), "{body}");
    assert_eq!(body["data"]["nodes"][2]["id"], ids[2], "{body}");
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert_eq!(body["errors"][0]["path"], json!(["nodes", 1]), "{body}");
    let many: Vec<Value> = (0..101).map(|_| ids[0].clone()).collect();
    let body = app
        .gql(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": many }),
        )
        .await;
    assert_eq!(body["errors"][0]["extensions"]["field"], "ids", "{body}");
    import(
        &app,
        r#"{ "format": "toolverdicts/v1", "tools": [ { "slug": "hidden-draft", "name": "Hidden",
            "vendor": "Acme", "category": "speech", "tagline": "Not yet", "description": "A draft.",
            "license": "MIT", "pricing": { "model": "FREE", "entry": "Free" }, "website_url": null,
            "published_at": null } ] }"#,
    )
    .await;
    let draft_id =
        server::graphql::types::node::global_id(server::graphql::types::node::Target::Tool(
            entities::tool::Entity::find()
                .all(&app.db)
                .await
                .expect("tools")
                .into_iter()
                .find(|t| t.slug == "hidden-draft")
                .expect("the draft")
                .id,
        ));
    let body = app
        .gql(
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": draft_id.as_str() }),
        )
        .await;
    assert!(
        body["data"]["node"].is_null(),
        "a draft is no reader's node: {body}"
    );
}

async fn a_reviewers_reviews_page_both_ways(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let page = "query($first: Int, $after: String, $last: Int, $before: String) { \
        reviewer(slug: \"maya-okafor\") { reviews(first: $first, after: $after, last: $last, before: $before) { \
        totalCount edges { cursor node { id tool { slug } } } \
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } } }";
    let mut forward = Vec::new();
    let mut after = Value::Null;
    let total = loop {
        let body = app.gql(page, json!({ "first": 4, "after": after })).await;
        assert!(body["errors"].is_null(), "{body}");
        let reviews = &body["data"]["reviewer"]["reviews"];
        for edge in reviews["edges"].as_array().expect("edges") {
            forward.push(
                edge["node"]["tool"]["slug"]
                    .as_str()
                    .expect("a slug")
                    .to_owned(),
            );
        }
        if reviews["pageInfo"]["hasNextPage"] != true {
            break reviews["totalCount"].as_u64().expect("a total");
        }
        after = reviews["pageInfo"]["endCursor"].clone();
    };
    assert_eq!(forward.len() as u64, total);
    assert_eq!(total, 9, "Maya reviewed nine tools in the demo");
    let body = app.gql(page, json!({ "last": 9 })).await;
    let backward: Vec<String> = body["data"]["reviewer"]["reviews"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| {
            e["node"]["tool"]["slug"]
                .as_str()
                .expect("a slug")
                .to_owned()
        })
        .collect();
    assert_eq!(backward, forward, "the same order either way");
    let body = app
        .gql(page, json!({ "first": 2, "after": "cmV2aWV3czphYmM" }))
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
}

async fn categories_page_and_the_old_list_is_deprecated_not_gone(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = app
        .gql(
            "{ allCategories(first: 2) { totalCount nodes { slug } pageInfo { hasNextPage } } \
               categories { slug } \
               __type(name: \"Query\") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"]["allCategories"]["totalCount"], 5);
    assert_eq!(
        body["data"]["allCategories"]["pageInfo"]["hasNextPage"],
        true
    );
    assert_eq!(
        body["data"]["categories"].as_array().map(Vec::len),
        Some(5),
        "still answers"
    );
    let old = body["data"]["__type"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .find(|f| f["name"] == "categories")
        .cloned()
        .expect("the old field");
    assert_eq!(old["isDeprecated"], true);
    assert!(old["deprecationReason"]
        .as_str()
        .unwrap_or("")
        .contains("allCategories"));
}

/// The score that orders and filters the catalogue is computed in SQL; the
/// one shown is computed in Rust. Both come from one formula: the database
/// must round every (ship, total) exactly as `Tally::ship_percent` does.
async fn the_sql_score_formula_equals_the_shown_percentage(db: Db) {
    use sea_orm::{ConnectionTrait, Statement};
    use server::domain::scores::{ship_percent_sql, Tally};
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let mut grid = Vec::new();
    for total in 1..=60u32 {
        for ship in 0..=total {
            grid.push((ship, total));
        }
    }
    let values: Vec<String> = grid.iter().map(|(s, t)| format!("({s}, {t})")).collect();
    let sql = format!(
        "WITH g(ship, total) AS (VALUES {}) SELECT CAST(ship AS BIGINT) AS ship, \
         CAST(total AS BIGINT) AS total, CAST({} AS BIGINT) AS percent FROM g",
        values.join(", "),
        ship_percent_sql("ship", "total")
    );
    let rows = app
        .db
        .query_all_raw(Statement::from_string(app.db.get_database_backend(), sql))
        .await
        .expect("the formula runs");
    assert_eq!(rows.len(), grid.len());
    for row in rows {
        let ship: i64 = row.try_get("", "ship").expect("ship");
        let total: i64 = row.try_get("", "total").expect("total");
        let percent: i64 = row.try_get("", "percent").expect("percent");
        let tally = Tally {
            ship: ship as u32,
            skip: (total - ship) as u32,
        };
        assert_eq!(
            Some(percent as u32),
            tally.ship_percent(),
            "{ship} of {total}: SQL and Rust round differently"
        );
    }
}

on_both_databases!(
    the_sql_score_formula_equals_the_shown_percentage,
    categories_page_and_the_old_list_is_deprecated_not_gone,
    a_reviewers_reviews_page_both_ways,
    every_global_id_leads_back_to_its_node,
    paging_forwards_and_backwards_has_no_gaps_or_duplicates,
    every_order_holds_across_pages,
    every_filter_keeps_exactly_the_matching_tools,
    comparisons_filter_by_tool_and_page_backwards,
    a_filtered_ordered_page_costs_the_same_statements_whatever_its_size,
);
