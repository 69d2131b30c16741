//! `castVote`: the signed voter cookie, replacement, thresholds and bad input.

use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::json;
use tests::{on_both_databases, Db, SpawnOptions, TestApp};

use crate::{contract, contract_as, error_code, DEMO};

async fn vote_count(app: &TestApp) -> u64 {
    entities::vote::Entity::find()
        .count(&app.db)
        .await
        .expect("count votes")
}

async fn cast_vote_counts_and_a_second_vote_replaces_the_first(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({
            "query": crate::CONTRACT, "operationName": "Vote",
            "variables": { "tool": "smolvlm-3b", "v": "SHIP" }
        }))
        .send()
        .await
        .expect("an answer");
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .expect("the first vote sets the voter cookie")
        .to_owned();
    assert!(cookie.starts_with("verdicts_voter="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let body: serde_json::Value = response.json().await.expect("JSON");
    assert_eq!(
        body["data"]["castVote"],
        json!({ "ship": 1, "skip": 0, "total": 1, "shipPercent": null })
    );

    let body = contract(&app, "Vote", json!({ "tool": "smolvlm-3b", "v": "SKIP" })).await;
    assert_eq!(
        body["data"]["castVote"],
        json!({ "ship": 0, "skip": 1, "total": 1, "shipPercent": null }),
        "the same reader's second vote replaces the first"
    );
    assert_eq!(vote_count(&app).await, 1);

    let other = TestApp::new_client();
    let body = contract_as(
        &app,
        &other,
        "Vote",
        json!({ "tool": "smolvlm-3b", "v": "SHIP" }),
    )
    .await;
    assert_eq!(
        body["data"]["castVote"],
        json!({ "ship": 1, "skip": 1, "total": 2, "shipPercent": null })
    );
    let compare = contract(&app, "Compare", json!({ "slug": DEMO })).await;
    assert_eq!(
        compare["data"]["comparison"]["right"]["community"],
        json!({ "ship": 1, "skip": 1, "total": 2, "shipPercent": null, "missingVotes": 8 })
    );
    assert_eq!(
        compare["data"]["comparison"]["left"]["community"]["total"],
        0
    );
}

async fn community_percent_shows_from_the_tenth_vote(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let mut last = json!(null);
    for i in 0..10 {
        let reader = TestApp::new_client();
        let verdict = if i < 7 { "SHIP" } else { "SKIP" };
        let body = contract_as(
            &app,
            &reader,
            "Vote",
            json!({ "tool": "cursor", "v": verdict }),
        )
        .await;
        assert!(body["errors"].is_null(), "{body}");
        if i == 8 {
            assert_eq!(
                body["data"]["castVote"]["shipPercent"],
                json!(null),
                "9 votes are too few"
            );
        }
        last = body["data"]["castVote"].clone();
    }
    assert_eq!(
        last,
        json!({ "ship": 7, "skip": 3, "total": 10, "shipPercent": 70 })
    );
    let body = contract(&app, "Tool", json!({ "slug": "cursor" })).await;
    assert_eq!(body["data"]["tool"]["community"]["missingVotes"], 0);
    assert_eq!(body["data"]["tool"]["community"]["shipPercent"], 70);
}

async fn cast_vote_with_an_invalid_verdict_is_rejected_and_writes_nothing(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = contract(&app, "Vote", json!({ "tool": "smolvlm-3b", "v": "MAYBE" })).await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("MAYBE"),
        "{body}"
    );
    assert_eq!(vote_count(&app).await, 0);
}

async fn cast_vote_on_an_unknown_tool_is_not_found_and_writes_nothing(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let body = contract(&app, "Vote", json!({ "tool": "no-such-tool", "v": "SHIP" })).await;
    assert_eq!(error_code(&body), Some("NOT_FOUND"), "{body}");
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap_or("")
        .contains("no-such-tool"));
    assert_eq!(vote_count(&app).await, 0);
}

async fn forged_voter_cookie_is_ignored(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    // A real reader votes and gets a signed id.
    contract(&app, "Vote", json!({ "tool": "qdrant", "v": "SHIP" })).await;
    let forged = reqwest::Client::new();
    for value in ["victim.AAAA", "not-signed-at-all", ""] {
        let response = forged
            .post(format!("{}/graphql", app.address))
            .header("cookie", format!("verdicts_voter={value}"))
            .json(&json!({
                "query": crate::CONTRACT, "operationName": "Vote",
                "variables": { "tool": "qdrant", "v": "SKIP" }
            }))
            .send()
            .await
            .expect("an answer");
        assert!(
            response.headers().get("set-cookie").is_some(),
            "an unsigned id is replaced by a fresh one"
        );
    }
    // Three forged requests became three new voters; the real vote stands.
    let body = contract(&app, "Tool", json!({ "slug": "qdrant" })).await;
    assert_eq!(body["data"]["tool"]["community"]["ship"], 1);
    assert_eq!(body["data"]["tool"]["community"]["skip"], 3);
}

async fn viewer_vote_is_the_readers_own_and_the_page_shows_it(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let query = "query($slug: String!) { tool(slug: $slug) { viewerVote } }";
    let mine = app.gql(query, json!({ "slug": "pgvector" })).await;
    assert_eq!(
        mine["data"]["tool"]["viewerVote"],
        json!(null),
        "no vote yet"
    );
    contract(&app, "Vote", json!({ "tool": "pgvector", "v": "SKIP" })).await;
    let mine = app.gql(query, json!({ "slug": "pgvector" })).await;
    assert_eq!(mine["data"]["tool"]["viewerVote"], "SKIP");
    let stranger = TestApp::new_client();
    let theirs = app
        .gql_as(&stranger, query, json!({ "slug": "pgvector" }))
        .await;
    assert_eq!(
        theirs["data"]["tool"]["viewerVote"],
        json!(null),
        "votes are private to their voter"
    );

    let (_, html) = app.get("/tools/pgvector").await;
    assert!(
        html.contains("Your vote: SKIP"),
        "the rendered page knows the reader's vote"
    );
    assert!(
        html.contains(r#"aria-label="Skip pgvector" aria-pressed="true""#),
        "the skip button is pressed"
    );
    let html = stranger
        .get(format!("{}/tools/pgvector", app.address))
        .send()
        .await
        .expect("an answer")
        .text()
        .await
        .expect("a page");
    assert!(!html.contains("Your vote:"), "another reader sees no vote");
}

/// The kept tallies (`tool_tallies`, maintained by triggers) equal the
/// tallies counted from the rows, for every tool, after each kind of write
/// that can move them: votes, changed votes, withdrawn votes, reviews
/// unpublished, re-judged and deleted, an import with votes, a tool deleted
/// with its votes.
async fn kept_tallies_always_equal_the_counted_rows(db: Db) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel, ModelTrait};
    use server::domain::scores;

    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    async fn agree(app: &TestApp, after: &str) {
        let ids: Vec<i64> = entities::tool::Entity::find()
            .all(&app.db)
            .await
            .expect("tools")
            .into_iter()
            .map(|t| t.id)
            .collect();
        let kept = scores::tallies(&app.db, &ids).await.expect("kept");
        let counted = scores::counted_tallies(&app.db, &ids)
            .await
            .expect("counted");
        for id in &ids {
            assert_eq!(
                kept.get(id),
                counted.get(id),
                "tool {id}: kept tallies differ from the rows after {after}"
            );
        }
        assert_eq!(
            kept.len(),
            ids.len(),
            "every tool has a kept tally ({after})"
        );
    }
    agree(&app, "the demo import").await;

    let readers: Vec<_> = (0..4).map(|_| TestApp::new_client()).collect();
    for (i, reader) in readers.iter().enumerate() {
        let v = if i % 2 == 0 { "SHIP" } else { "SKIP" };
        for tool in ["smolvlm-3b", "claude-haiku-open-weights"] {
            let body = contract_as(&app, reader, "Vote", json!({ "tool": tool, "v": v })).await;
            assert!(body["errors"].is_null(), "{body}");
        }
    }
    agree(&app, "new votes").await;
    let body = contract_as(
        &app,
        &readers[0],
        "Vote",
        json!({ "tool": "smolvlm-3b", "v": "SKIP" }),
    )
    .await;
    assert!(body["errors"].is_null(), "{body}");
    agree(&app, "a changed vote").await;
    let body = app
        .gql_as(
            &readers[1],
            "mutation($t: String!) { withdrawVote(tool: $t) { total } }",
            json!({ "t": "smolvlm-3b" }),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    agree(&app, "a withdrawn vote").await;

    let reviews = entities::review::Entity::find()
        .all(&app.db)
        .await
        .expect("reviews");
    assert!(reviews.len() >= 3, "the demo has reviews");
    let mut unpublished = reviews[0].clone().into_active_model();
    unpublished.published_at = Set(None);
    unpublished.update(&app.db).await.expect("unpublish");
    agree(&app, "an unpublished review").await;
    let mut rejudged = reviews[1].clone().into_active_model();
    rejudged.verdict = Set(match reviews[1].verdict {
        entities::Verdict::Ship => entities::Verdict::Skip,
        entities::Verdict::Skip => entities::Verdict::Ship,
    });
    rejudged.update(&app.db).await.expect("re-judge");
    agree(&app, "a changed verdict").await;
    reviews[2]
        .clone()
        .delete(&app.db)
        .await
        .expect("delete a review");
    agree(&app, "a deleted review").await;

    let demo =
        std::fs::read_to_string(tests::workspace_root().join("data/demo.json")).expect("demo");
    let mut data = server::dataset::parse(&demo).expect("the demo parses");
    for (i, tool) in ["smolvlm-3b", "claude-haiku-open-weights"]
        .iter()
        .enumerate()
    {
        for n in 0..3 {
            data.votes.push(server::dataset::VoteRecord {
                tool: (*tool).to_owned(),
                voter: format!("imported-{i}-{n}"),
                verdict: if n == 0 { "SKIP" } else { "SHIP" }.to_owned(),
            });
        }
    }
    server::dataset::import(&app.db, &data)
        .await
        .expect("import");
    agree(&app, "an import with votes (and the reviews it restores)").await;

    // A tool of its own, so deleting it takes nothing else with it.
    let category = entities::category::Entity::find()
        .one(&app.db)
        .await
        .expect("categories")
        .expect("a category");
    let tool = entities::tool::ActiveModel {
        slug: Set("short-lived".into()),
        name: Set("Short-lived".into()),
        vendor: Set("Nobody".into()),
        category_id: Set(category.id),
        tagline: Set("Here and gone".into()),
        description: Set("A tool that is deleted.".into()),
        license: Set("MIT".into()),
        pricing_model: Set(entities::PricingModel::Free),
        pricing_entry: Set("Free".into()),
        website_url: Set(None),
        published_at: Set(Some(chrono::Utc::now())),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("a new tool");
    agree(&app, "a new tool").await;
    for reader in &readers {
        let body = contract_as(
            &app,
            reader,
            "Vote",
            json!({ "tool": "short-lived", "v": "SHIP" }),
        )
        .await;
        assert!(body["errors"].is_null(), "{body}");
    }
    agree(&app, "votes on the new tool").await;
    tool.delete(&app.db)
        .await
        .expect("delete the tool and its votes");
    agree(&app, "a deleted tool").await;
}

/// Found: a new reader's first `pick` answered `viewerPick: null` (the voter
/// id is minted by that very mutation, after the request's loaders were made
/// for a reader with none), and a second pick in the same document answered
/// with the first one (the loaders kept what they had read before it).
async fn pick_answers_with_the_pick_just_made_even_for_a_new_reader(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let pick = "mutation($c: String!, $t: String!) { pick(comparison: $c, tool: $t) { \
        viewerPick { slug } headToHead { left right total } right { slug viewerVote } } }";
    let reader = TestApp::new_client();
    let first = app
        .gql_as(&reader, pick, json!({ "c": DEMO, "t": "smolvlm-3b" }))
        .await;
    assert!(first["errors"].is_null(), "{first}");
    assert_eq!(
        first["data"]["pick"]["viewerPick"]["slug"], "smolvlm-3b",
        "the answer shows the pick just made: {first}"
    );
    assert_eq!(first["data"]["pick"]["headToHead"]["right"], 1);

    // A vote and a pick in one document, by another new reader: each field
    // after a write reads what the write did, for the voter it minted.
    let both = "mutation($c: String!) { castVote(tool: \"smolvlm-3b\", verdict: SKIP) { total } \
        a: pick(comparison: $c, tool: \"claude-haiku-open-weights\") { viewerPick { slug } } \
        b: pick(comparison: $c, tool: \"smolvlm-3b\") { viewerPick { slug } headToHead { left right total } \
            right { slug viewerVote } } }";
    let other = TestApp::new_client();
    let body = app.gql_as(&other, both, json!({ "c": DEMO })).await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(
        body["data"]["a"]["viewerPick"]["slug"],
        "claude-haiku-open-weights"
    );
    assert_eq!(
        body["data"]["b"]["viewerPick"]["slug"], "smolvlm-3b",
        "the second pick replaced the first: {body}"
    );
    assert_eq!(
        body["data"]["b"]["headToHead"],
        json!({ "left": 0, "right": 2, "total": 2 }),
        "{body}"
    );
    assert_eq!(
        body["data"]["b"]["right"]["viewerVote"], "SKIP",
        "the vote cast in the same request: {body}"
    );
    // And the cookie both got is the voter those answers spoke for.
    let later = app
        .gql_as(
            &other,
            "query($c: String!) { comparison(slug: $c) { viewerPick { slug } right { viewerVote } } }",
            json!({ "c": DEMO }),
        )
        .await;
    assert_eq!(
        later["data"]["comparison"]["viewerPick"]["slug"],
        "smolvlm-3b"
    );
    assert_eq!(later["data"]["comparison"]["right"]["viewerVote"], "SKIP");
}

/// Found: a vote refused by the vote limit (429) carried the cost budget's
/// `RateLimit-*` figures (plenty left), which say nothing about the vote
/// limit. Now it carries the vote window's `Retry-After` and none of the
/// budget's headers; other answers keep them.
async fn vote_limit_refusal_carries_the_vote_window_not_the_budget(db: Db) {
    let options = SpawnOptions {
        vote_limits: (1, 1_000, 3_600),
        api_cost_budget: 100_000,
        ..SpawnOptions::default()
    };
    let Some(app) = TestApp::spawn_with(db, options).await else {
        return;
    };
    let vote = |verdict: &'static str| {
        app.client
            .post(format!("{}/graphql", app.address))
            .json(&json!({
                "query": "mutation($v: Verdict!) { castVote(tool: \"qdrant\", verdict: $v) { total } }",
                "variables": { "v": verdict }
            }))
            .send()
    };
    let header = |r: &reqwest::Response, name: &str| -> Option<String> {
        Some(r.headers().get(name)?.to_str().ok()?.to_owned())
    };
    let counted = vote("SHIP").await.expect("an answer");
    assert_eq!(counted.status().as_u16(), 200);
    assert_eq!(
        header(&counted, "ratelimit-limit").as_deref(),
        Some("100000"),
        "an answer within the limits says where the budget stands"
    );
    let refused = vote("SKIP").await.expect("an answer");
    assert_eq!(refused.status().as_u16(), 429);
    for name in ["ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"] {
        assert_eq!(
            header(&refused, name),
            None,
            "the budget is not what refused the vote: {name}"
        );
    }
    let wait: u64 = header(&refused, "retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    let body: serde_json::Value = refused.json().await.expect("JSON");
    assert_eq!(error_code(&body), Some("RATE_LIMITED"), "{body}");
    assert_eq!(
        body["errors"][0]["extensions"]["retryAfter"].as_u64(),
        Some(wait),
        "Retry-After is the vote window's wait: {body}"
    );
    // The hour-long vote window ends on the hour (windows are fixed), not
    // within the budget's minute.
    let now = chrono::Utc::now().timestamp();
    let window_end = 3_600 - now.rem_euclid(3_600);
    assert!(
        (window_end - 2..=window_end + 1).contains(&(wait as i64)),
        "the vote window ends in {window_end} s; Retry-After: {wait}"
    );
}

on_both_databases!(
    pick_answers_with_the_pick_just_made_even_for_a_new_reader,
    vote_limit_refusal_carries_the_vote_window_not_the_budget,
    kept_tallies_always_equal_the_counted_rows,
    viewer_vote_is_the_readers_own_and_the_page_shows_it,
    cast_vote_counts_and_a_second_vote_replaces_the_first,
    community_percent_shows_from_the_tenth_vote,
    cast_vote_with_an_invalid_verdict_is_rejected_and_writes_nothing,
    cast_vote_on_an_unknown_tool_is_not_found_and_writes_nothing,
    forged_voter_cookie_is_ignored,
);
