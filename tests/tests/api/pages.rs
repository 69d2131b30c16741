//! The server-rendered pages, read as a browser without JavaScript would.

use tests::{on_both_databases, Db, TestApp};

use crate::DEMO;

async fn comparison_page_shows_both_tools_scores_scorecard_and_split(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let (status, html) = app.get(&format!("/compare/{DEMO}")).await;
    assert_eq!(status, 200);
    assert!(
        html.contains("<title>Claude Haiku Open Weights vs SmolVLM-3B"),
        "title"
    );
    for text in [
        "Claude Haiku Open Weights",
        "SmolVLM-3B",
        "Which of the two do you ship?",
        "Developer Tools",
        "Apache-2.0",
        ">50%<",
        ">75%<",
        "2 of 4 ship",
        "3 of 4 ship",
        "No votes yet \u{b7} 10 more votes needed",
        "The panel\u{2019}s scorecard",
        "How the panel splits",
        "Developer experience",
        "Business case",
        "action=\"/vote\"",
        "name=\"return_to\" value=\"/compare/claude-haiku-open-weights-vs-smolvlm-3b#tool-smolvlm-3b\"",
        "<leptos-island",
        "Readers\u{2019} pick",
        "Readers\u{2019} picks: none yet \u{b7} 10 more needed to show the split",
        "action=\"/pick\"",
    ] {
        assert!(html.contains(text), "the comparison page lacks {text:?}");
    }
    assert_eq!(
        html.matches(">\u{2014}<").count(),
        4,
        "both community scores are withheld, in the cards and in the strip above them"
    );
}

async fn ad_hoc_comparison_page_works_for_any_two_tools(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let (status, html) = app.get("/compare/pgvector-vs-cursor").await;
    assert_eq!(status, 200);
    assert!(html.contains("<title>pgvector vs Cursor"), "ad hoc title");
    assert!(html.contains("Which of the two do you ship?"));
    assert!(
        !html.contains("class=\"summary\""),
        "no editor's summary when ad hoc"
    );
}

async fn unknown_pages_are_real_404s(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    for path in [
        "/compare/nothing-vs-nowhere",
        "/compare/no-such-comparison",
        "/compare/cursor-vs-cursor",
        "/tools/no-such-tool",
        "/no/such/page",
    ] {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains("We have no verdict on that page"), "{path}");
    }
}

async fn home_lists_the_published_comparisons(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let (status, html) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(html.contains(&format!("href=\"/compare/{DEMO}\"")));
    assert!(html.contains("href=\"/compare/cursor-vs-github-copilot\""));
    assert_eq!(html.matches("class=\"comparison-item\"").count(), 4);
}

async fn tool_page_shows_every_review_and_its_comparisons(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let (status, html) = app.get("/tools/smolvlm-3b").await;
    assert_eq!(status, 200);
    assert!(html.contains("<title>SmolVLM-3B"));
    assert_eq!(html.matches("class=\"review\"").count(), 4);
    assert!(html.contains(&format!("href=\"/compare/{DEMO}\"")));
}

async fn vote_form_without_javascript_counts_and_redirects_back(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let response = app
        .client
        .post(format!("{}/vote", app.address))
        .form(&[
            ("tool", "smolvlm-3b"),
            ("verdict", "SHIP"),
            ("return_to", &format!("/compare/{DEMO}")),
        ])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some(format!("/compare/{DEMO}").as_str())
    );
    assert!(response.headers().get("set-cookie").is_some());
    let (_, html) = app.get(&format!("/compare/{DEMO}")).await;
    assert!(
        html.contains("1 vote \u{b7} 9 more votes needed"),
        "the page shows the vote"
    );

    let response = app
        .client
        .post(format!("{}/vote", app.address))
        .form(&[("tool", "smolvlm-3b"), ("verdict", "LOVE")])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 400);
    let response = app
        .client
        .post(format!("{}/vote", app.address))
        .form(&[
            ("tool", "smolvlm-3b"),
            ("verdict", "SKIP"),
            ("return_to", "https://evil.example/"),
        ])
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/tools/smolvlm-3b"),
        "never redirects off the site"
    );
}

async fn pick_form_without_javascript_counts_and_redirects_back(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let response = app
        .client
        .post(format!("{}/pick", app.address))
        .form(&[
            ("comparison", DEMO),
            ("tool", "smolvlm-3b"),
            ("return_to", &format!("/compare/{DEMO}#h2h-title")),
        ])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some(format!("/compare/{DEMO}#h2h-title").as_str())
    );
    let (_, html) = app.get(&format!("/compare/{DEMO}")).await;
    assert!(html.contains("Readers\u{2019} picks: 1 so far \u{b7} 9 more needed to show the split"));
    assert!(
        html.contains(r#"value="smolvlm-3b" aria-pressed="true""#),
        "the reader's pick is pressed"
    );
    let response = app
        .client
        .post(format!("{}/pick", app.address))
        .form(&[("comparison", DEMO), ("tool", "cursor")])
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 400);
}

async fn health_and_metrics_answer(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    assert_eq!(app.get("/healthz").await, (200, "ok".to_owned()));
    assert!(app.statements().await > 0);
    let (status, html) = app.get("/graphql").await;
    assert_eq!(status, 200);
    assert!(html.contains("graphiql"), "GraphiQL on GET /graphql");
}

on_both_databases!(
    comparison_page_shows_both_tools_scores_scorecard_and_split,
    ad_hoc_comparison_page_works_for_any_two_tools,
    unknown_pages_are_real_404s,
    home_lists_the_published_comparisons,
    tool_page_shows_every_review_and_its_comparisons,
    vote_form_without_javascript_counts_and_redirects_back,
    pick_form_without_javascript_counts_and_redirects_back,
    health_and_metrics_answer,
);
