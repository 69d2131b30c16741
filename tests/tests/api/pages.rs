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
    // The facts table shows a dash where a tool has no fact: not a score.
    let facts_at = html
        .find("data-testid=\"facts-table\"")
        .expect("the facts table");
    let facts_end = facts_at + html[facts_at..].find("</section>").expect("its end");
    let scores = format!("{}{}", &html[..facts_at], &html[facts_end..]);
    assert_eq!(
        scores.matches(">\u{2014}<").count(),
        4,
        "both community scores are withheld, in the cards and in the strip above them"
    );
    assert!(
        html[facts_at..facts_end].contains(">Context window<"),
        "the facts table"
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

async fn pages_without_an_island_load_no_webassembly(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    // The bundle, its JS glue, or a preload of either.
    let loads_wasm = |html: &str| {
        html.contains(".wasm")
            || html.contains("/pkg/verdicts.js")
            || html.contains("modulepreload")
    };
    for path in [
        "/tools",
        "/tools?pricing=FREE",
        "/search?q=vector",
        "/api",
        "/categories/developer-tools",
        "/reviewers/maya-okafor",
        "/integrity",
        "/no/such/page",
        "/tools/no-such-tool",
        "/compare/nothing-vs-nowhere",
    ] {
        // Twice: the second answer may come from the page cache.
        for _ in 0..2 {
            let (_, html) = app.get(path).await;
            assert!(html.contains("</main>"), "{path} renders");
            assert!(!html.contains("<leptos-island"), "{path} has no island");
            assert!(!loads_wasm(&html), "{path} loads the WebAssembly bundle");
            assert!(html.contains("/pkg/verdicts.css"), "{path} keeps its style");
        }
    }
    for path in [
        "/",
        "/tools/cursor",
        &format!("/compare/{DEMO}"),
        "/compare/cursor-vs-qdrant",
        "/compare",
        "/newsletter",
    ] {
        for _ in 0..2 {
            let (status, html) = app.get(path).await;
            assert_eq!(status, 200, "{path}");
            assert!(html.contains("<leptos-island"), "{path} has an island");
            assert!(
                html.contains("rel=\"modulepreload\" href=\"/pkg/verdicts.js\"")
                    && html.contains(".wasm\""),
                "{path} loads the bundle that wakes its islands"
            );
        }
    }
}

async fn comparison_addresses_typed_by_hand_resolve_or_say_which_name_is_unknown(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let location = |response: &reqwest::Response| {
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    // Both names stand for one tool each: on to their comparison, for now (302).
    for (typed, canonical) in [
        (
            "/compare/cursor-vs-copilot",
            "/compare/cursor-vs-github-copilot",
        ),
        (
            "/compare/whisper-vs-deepgram",
            "/compare/whisper-large-v3-vs-deepgram-nova-3",
        ),
        ("/compare/Qdrant-vs-PGVECTOR", "/compare/qdrant-vs-pgvector"),
    ] {
        let response = app
            .client
            .get(format!("{}{typed}", app.address))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), 302, "{typed}");
        assert_eq!(location(&response).as_deref(), Some(canonical), "{typed}");
    }
    let (status, html) = app
        .get("/compare/whisper-large-v3-vs-deepgram-nova-3")
        .await;
    assert_eq!(status, 200);
    assert!(html.contains("<title>Whisper large-v3 vs Deepgram Nova-3"));

    // One name a letter off: which one, and the tool it is near.
    let (status, html) = app.get("/compare/cursor-vs-copilt").await;
    assert_eq!(status, 404);
    assert!(html.contains("Which tools did you mean?"), "{html}");
    assert!(
        html.contains("\u{201c}cursor\u{201d} is <a href=\"/tools/cursor\">Cursor"),
        "{html}"
    );
    assert!(html.contains("No tool is called \u{201c}copilt\u{201d}."));
    assert!(html.contains("Did you mean"));
    assert!(
        html.contains("<a href=\"/compare/cursor-vs-github-copilot\">GitHub Copilot"),
        "{html}"
    );
    // Names near nothing say so; typed text is only ever text.
    let (status, html) = app.get("/compare/nothing-vs-%3Cb%3Ewhere%3C%2Fb%3E").await;
    assert_eq!(status, 404);
    assert!(html.contains("No tool is called \u{201c}nothing\u{201d}."));
    assert!(html.contains("Check the spelling"));
    assert!(
        html.contains("\u{201c}&lt;b&gt;where&lt;/b&gt;\u{201d}"),
        "{html}"
    );
    assert!(!html.contains("<b>where"));
    // One tool twice is no comparison.
    let (status, html) = app.get("/compare/cursor-vs-Cursor").await;
    assert_eq!(status, 404);
    assert!(html.contains("We have no verdict on that page"));
}

async fn picker_form_without_javascript_resolves_typed_names(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let go = |left: &str, right: &str| {
        let url = format!("{}/compare/go", app.address);
        let request = app
            .client
            .get(url)
            .query(&[("left", left), ("right", right)]);
        async move {
            let response = request.send().await.expect("an answer");
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            (status, location)
        }
    };
    assert_eq!(
        go("Whisper", "Deepgram").await,
        (
            303,
            "/compare/whisper-large-v3-vs-deepgram-nova-3".to_owned()
        )
    );
    assert_eq!(
        go("cursor", "GitHub Copilot").await,
        (303, "/compare/cursor-vs-github-copilot".to_owned())
    );
    // A name that stands for nothing lands on the page that says so.
    let (status, location) = go("Whisper", "Deepgrm").await;
    assert_eq!(
        (status, location.as_str()),
        (303, "/compare/whisper-large-v3-vs-deepgrm")
    );
    let (status, html) = app.get(&location).await;
    assert_eq!(status, 404);
    assert!(html.contains("No tool is called \u{201c}deepgrm\u{201d}."));
    assert!(
        html.contains("<a href=\"/compare/whisper-large-v3-vs-deepgram-nova-3\">Deepgram Nova-3")
    );
    assert_eq!(
        go("Cursor", "cursor").await,
        (303, "/compare?problem=same".to_owned())
    );
    assert_eq!(
        go("Cursor", "  ").await,
        (303, "/compare?problem=missing".to_owned())
    );
    // Longer than a search box allows, though its letters name a tool.
    let (status, _) = go(&format!("{}cursor", "!".repeat(95)), "qdrant").await;
    assert_eq!(status, 400, "a name longer than a search box");
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

/// Whether the "press it again" line under the vote buttons is hidden.
fn hint_hidden(html: &str) -> bool {
    let start = html
        .find("data-testid=\"vote-hint\"")
        .expect("the vote hint");
    let tag_start = html[..start].rfind('<').unwrap_or(start);
    let tag = html[tag_start..].split('>').next().unwrap_or_default();
    tag.contains("hidden")
}

async fn vote_form_pressed_button_posts_withdraw_and_takes_the_vote_back(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let post = |verdict: &'static str| {
        app.client
            .post(format!("{}/vote", app.address))
            .form(&[
                ("tool", "smolvlm-3b"),
                ("verdict", verdict),
                ("return_to", "/tools/smolvlm-3b"),
            ])
            .send()
    };
    let (_, before) = app.get("/tools/smolvlm-3b").await;
    assert!(
        before.contains("value=\"SHIP\"") && before.contains("value=\"SKIP\""),
        "no vote yet: both buttons cast"
    );
    assert!(!before.contains("value=\"WITHDRAW\""));
    assert!(hint_hidden(&before));
    assert_eq!(
        post("SHIP").await.expect("an answer").status().as_u16(),
        303
    );
    let (_, voted) = app.get("/tools/smolvlm-3b").await;
    assert!(voted.contains("1 vote \u{b7} 9 more votes needed"));
    assert!(voted.contains("Your vote: SHIP"));
    // The pressed button now takes the vote back; the other still casts.
    let pressed = voted
        .split("<button")
        .find(|b| b.contains("aria-pressed=\"true\""))
        .expect("a pressed button");
    assert!(pressed.contains("value=\"WITHDRAW\""), "{pressed}");
    assert!(pressed.contains("vote-ship"), "{pressed}");
    assert!(voted.contains("value=\"SKIP\""));
    assert!(!hint_hidden(&voted), "the page says how to take it back");

    // Sent twice (a double click without JavaScript), it stays withdrawn.
    for _ in 0..2 {
        let response = post("WITHDRAW").await.expect("an answer");
        assert_eq!(response.status().as_u16(), 303);
        assert_eq!(
            response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok()),
            Some("/tools/smolvlm-3b")
        );
    }
    let (_, withdrawn) = app.get("/tools/smolvlm-3b").await;
    assert!(
        withdrawn.contains("No votes yet \u{b7} 10 more votes needed"),
        "the vote is gone"
    );
    assert!(!withdrawn.contains("aria-pressed=\"true\""));
    assert!(!withdrawn.contains("Your vote:"));
    assert!(!withdrawn.contains("value=\"WITHDRAW\""));
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

    // An ad hoc pair's page offers the pick too; its form names the two tools.
    let (_, html) = app.get("/compare/cursor-vs-qdrant").await;
    assert!(
        html.contains("Which would you pick?"),
        "the pair offers a pick"
    );
    assert!(
        html.contains(r#"name="left" value="cursor""#)
            && html.contains(r#"name="right" value="qdrant""#),
        "the form names the pair"
    );
    assert!(html.contains("Readers\u{2019} picks: none yet"));
    for tool in ["cursor", "qdrant"] {
        let response = app
            .client
            .post(format!("{}/pick", app.address))
            .form(&[
                ("left", "cursor"),
                ("right", "qdrant"),
                ("tool", tool),
                ("return_to", "/compare/cursor-vs-qdrant#h2h-title"),
            ])
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), 303, "{tool}");
        assert_eq!(
            response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok()),
            Some("/compare/cursor-vs-qdrant#h2h-title")
        );
    }
    let (_, html) = app.get("/compare/cursor-vs-qdrant").await;
    assert!(
        html.contains("Readers\u{2019} picks: 1 so far"),
        "the second pick replaced the first"
    );
    assert!(
        html.contains(r#"value="qdrant" aria-pressed="true""#),
        "the reader's pick is pressed"
    );
    // A tool outside the pair, or a form that names no pair, is refused.
    for form in [
        vec![
            ("left", "cursor"),
            ("right", "qdrant"),
            ("tool", "pgvector"),
        ],
        vec![("left", "cursor"), ("tool", "cursor")],
        vec![
            ("comparison", DEMO),
            ("left", "cursor"),
            ("right", "qdrant"),
            ("tool", "cursor"),
        ],
    ] {
        let response = app
            .client
            .post(format!("{}/pick", app.address))
            .form(&form)
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), 400, "{form:?}");
    }
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
    comparison_addresses_typed_by_hand_resolve_or_say_which_name_is_unknown,
    picker_form_without_javascript_resolves_typed_names,
    pages_without_an_island_load_no_webassembly,
    home_lists_the_published_comparisons,
    tool_page_shows_every_review_and_its_comparisons,
    vote_form_without_javascript_counts_and_redirects_back,
    vote_form_pressed_button_posts_withdraw_and_takes_the_vote_back,
    pick_form_without_javascript_counts_and_redirects_back,
    health_and_metrics_answer,
);
