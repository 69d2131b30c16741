//! Nothing grows without bound: ended rate-limit windows, expired sessions
//! and the vote log past its retention are pruned while the server runs;
//! the API budget is charged before a query runs, so concurrent queries
//! cannot overspend it. Found: `rate_limits` gained a row per new voter,
//! junk token and e-mail tried, never pruned; 64 concurrent queries spent
//! ~306k of a 100k budget.

use std::time::Duration;

use chrono::Utc;
use entities::{rate_limit, session, vote_event};
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};
use serde_json::{json, Value};
use tests::{on_both_databases, Db, SpawnOptions, TestApp};

async fn ended_windows_expired_sessions_and_old_votes_are_pruned(db: Db) {
    let Some(app) = TestApp::spawn_with(
        db,
        SpawnOptions {
            configure: |c| {
                c.prune_secs = 1;
                c.vote_log_days = 90;
            },
            ..SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let now = Utc::now();
    for (bucket, age_secs) in [
        ("vote-voter:gone", 3 * 24 * 3600),
        ("api-cost:address:gone", 5 * 24 * 3600),
        ("vote-voter:live", 0),
    ] {
        rate_limit::ActiveModel {
            bucket: Set(bucket.to_owned()),
            window_start: Set(now.timestamp() - age_secs),
            hits: Set(1),
        }
        .insert(&app.db)
        .await
        .expect("a rate-limit row");
    }
    let editor = server::domain::editors::create_editor(
        &app.db,
        "ed@verdicts.example",
        "a long and secret passphrase",
    )
    .await
    .expect("an editor");
    for (secret, expires) in [
        ("expired", now - chrono::Duration::days(1)),
        ("current", now + chrono::Duration::days(1)),
    ] {
        session::ActiveModel {
            secret_hash: Set(secret.to_owned()),
            editor_id: Set(editor.id),
            created_at: Set(now - chrono::Duration::days(30)),
            expires_at: Set(expires),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("a session");
    }
    let tool = server::domain::catalogue::tools::published(&app.db, "smolvlm-3b")
        .await
        .expect("a read")
        .expect("the demo tool");
    for (voter, age_days) in [("old", 120), ("recent", 2)] {
        vote_event::ActiveModel {
            tool_id: Set(tool.id),
            voter: Set(voter.to_owned()),
            action: Set("SHIP".to_owned()),
            address: Set(Some("203.0.113.1".to_owned())),
            created_at: Set(now - chrono::Duration::days(age_days)),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("a vote event");
    }
    let mut left = (0, 0, 0);
    for _ in 0..100 {
        left = (
            rate_limit::Entity::find()
                .count(&app.db)
                .await
                .expect("count"),
            session::Entity::find().count(&app.db).await.expect("count"),
            vote_event::Entity::find()
                .all(&app.db)
                .await
                .expect("rows")
                .iter()
                .filter(|e| e.voter == "old" || e.voter == "recent")
                .count() as u64,
        );
        if left == (1, 1, 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(left, (1, 1, 1), "(rate limits, sessions, vote events) left");
    let kept = rate_limit::Entity::find_by_id("vote-voter:live".to_owned())
        .one(&app.db)
        .await
        .expect("a read");
    assert!(kept.is_some(), "the live window was pruned");
}

async fn concurrent_queries_never_overspend_the_budget(db: Db) {
    const BUDGET: u32 = 2_000;
    let Some(app) = TestApp::spawn_with(
        db,
        SpawnOptions {
            api_cost_budget: BUDGET,
            ..SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    // Budgets run per clock minute: start well inside one.
    let second = Utc::now().timestamp() % 60;
    if second > 40 {
        tokio::time::sleep(Duration::from_secs((61 - second) as u64)).await;
    }
    let query = json!({ "query": "{ tools(first: 20) { edges { node { slug name tagline } } } }" });
    let send = |address: &'static str| {
        app.client
            .post(format!("{}/graphql", app.address))
            .header("x-forwarded-for", address)
            .json(&query)
            .send()
    };
    // What one query costs, measured by another client.
    let probe: Value = send("192.0.2.1")
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    let cost = probe["extensions"]["cost"]["requestedQueryCost"]
        .as_u64()
        .expect("a cost");
    assert!(cost > 20, "{probe}");
    // Each pays what it returned (fewer tools than the page asks for), so
    // more fit; the estimate is charged before it runs, so together they
    // still spend at most one query past the budget.
    let actual = probe["extensions"]["cost"]["actualQueryCost"]
        .as_u64()
        .expect("an actual cost");
    let answers = futures::future::join_all((0..64).map(|_| send("198.51.100.64"))).await;
    let mut served = 0;
    let mut refused = 0;
    for answer in answers {
        let answer = answer.expect("an answer");
        match answer.status().as_u16() {
            200 => served += 1,
            429 => refused += 1,
            other => panic!("unexpected {other}"),
        }
    }
    // Only the query that crosses the budget may run past it.
    let most = (u64::from(BUDGET) + cost) / actual;
    assert!(
        served <= most,
        "{served} queries of cost {actual} (estimated {cost}) ran on a budget of {BUDGET} (at most {most})"
    );
    assert!(refused >= 64 - most, "{refused} refused");
}

on_both_databases!(
    ended_windows_expired_sessions_and_old_votes_are_pruned,
    concurrent_queries_never_overspend_the_budget,
);
