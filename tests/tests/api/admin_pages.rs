//! The admin pages over HTTP: the redirect to sign-in, the dashboard for a
//! signed-in editor, no admin links for readers, and editors' forms that
//! stay disabled until the admin bundle has hydrated them.

use scraper::{ElementRef, Html, Selector};
use serde_json::json;
use tests::{on_both_databases, Db, TestApp};

const PASSWORD: &str = "a long and secret passphrase";

async fn admin_without_a_session_redirects_to_sign_in(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let response = app
        .client
        .get(format!("{}/admin", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(
        response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok()),
        Some("/admin/sign-in")
    );
    for path in [
        "/admin/tools",
        "/admin/tools/new",
        "/admin/tools/cursor",
        "/admin/reviewers",
        "/admin/reviewers/new",
        "/admin/reviewers/maya-okafor",
        "/admin/comparisons",
        "/admin/comparisons/new",
        "/admin/comparisons/qdrant-vs-pgvector",
        "/admin/comparisons/qdrant-vs-pgvector/scorecard",
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), 303, "{path} without a session");
    }
    let (status, html) = app.get("/admin/sign-in").await;
    assert_eq!(status, 200);
    assert!(html.contains("type=\"password\"") && html.contains("noindex"));
    for page in [
        "/",
        "/compare/claude-haiku-open-weights-vs-smolvlm-3b",
        "/tools/cursor",
    ] {
        let (_, html) = app.get(page).await;
        assert!(
            !html.contains("/admin"),
            "{page} shows readers an admin link"
        );
    }
}

async fn the_dashboard_shows_counts_drafts_and_changes(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    server::domain::editors::create_editor(&app.db, "ed@verdicts.example", PASSWORD)
        .await
        .expect("an editor");
    let body = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("x-verdicts-csrf", "1")
        .json(&json!({
            "query": "mutation($p: String!) { signIn(email: \"ed@verdicts.example\", password: $p) { email } }",
            "variables": { "p": PASSWORD }
        }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(body.status().as_u16(), 200);
    let draft = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("x-verdicts-csrf", "1")
        .json(&json!({ "query": "mutation { createCategory(input: { slug: \"agents\", name: \"Agents\" }) { slug } }" }))
        .send()
        .await
        .expect("an answer");
    assert_eq!(draft.status().as_u16(), 200);
    let (status, html) = app.get("/admin").await;
    assert_eq!(status, 200);
    for text in [
        "Dashboard",
        "ed@verdicts.example",
        "Drafts waiting",
        "Recent changes",
        "agents",
        ">10<",
    ] {
        assert!(html.contains(text), "the dashboard lacks {text:?}");
    }
    let (status, html) = app.get("/admin/tools?q=qdr").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Qdrant") && !html.contains("Cursor"),
        "search narrows the list"
    );
    let (status, html) = app.get("/admin/tools/cursor").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"tagline\"") && html.contains("Save"));
    assert_eq!(app.get("/admin/tools/no-such-tool").await.0, 404);
    for (path, texts) in [
        ("/admin/tools/new", &["Create draft", "id=\"category\""][..]),
        (
            "/admin/reviewers?q=maya",
            &["Maya Okafor", "New reviewer"][..],
        ),
        (
            "/admin/reviewers/maya-okafor",
            &["id=\"bio\"", "Delete"][..],
        ),
        ("/admin/reviewers/new", &["id=\"lens\"", "Create draft"][..]),
        (
            "/admin/comparisons?q=qdrant",
            &["Qdrant vs pgvector", "Scorecard"][..],
        ),
        (
            "/admin/comparisons/new",
            &["id=\"left\"", "id=\"right\""][..],
        ),
        (
            "/admin/comparisons/qdrant-vs-pgvector",
            &["Edit the scorecard", "Unpublish"][..],
        ),
        (
            "/admin/comparisons/qdrant-vs-pgvector/scorecard",
            &[
                "Maya Okafor",
                "Save the scorecard",
                "data-cell=\"maya-okafor/left\"",
            ][..],
        ),
    ] {
        let (status, html) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
        for text in texts {
            assert!(html.contains(text), "{path} lacks {text:?}");
        }
    }
    let (_, html) = app.get("/admin/comparisons?q=qdrant").await;
    assert!(
        !html.contains("Cursor vs"),
        "search narrows the comparisons"
    );
    for path in [
        "/admin/reviewers/nobody",
        "/admin/comparisons/nothing-here",
        "/admin/comparisons/nothing-here/scorecard",
    ] {
        assert_eq!(app.get(path).await.0, 404, "{path}");
    }
    let response = app
        .client
        .get(format!("{}/admin/sign-in", app.address))
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        response.status().as_u16(),
        303,
        "signed in: on to the dashboard"
    );
}

fn select(selector: &str) -> Selector {
    Selector::parse(selector).expect("a CSS selector")
}

/// Whether a control is disabled in the HTML as sent: by its own attribute
/// or by a disabled `<fieldset>` around it.
fn disabled(control: ElementRef) -> bool {
    control.value().attr("disabled").is_some()
        || control
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| a.value().name() == "fieldset" && a.value().attr("disabled").is_some())
}

/// Found: before the admin bundle loaded, an editor could type into a form
/// and press a button that did nothing. The server now sends every control
/// of the editors' forms disabled, under a visible "Loading the editor…"
/// line, and the islands enable them when they hydrate; signing out stays
/// a plain POST form that works without JavaScript.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_forms_before_hydration_are_disabled_with_a_loading_line() {
    tests::within_time_limit(async {
        let Some(app) = TestApp::spawn(Db::Sqlite).await else {
            return;
        };
        server::domain::editors::create_editor(&app.db, "ed@verdicts.example", PASSWORD)
            .await
            .expect("an editor");
        app.sign_in_as(&app.client, "ed@verdicts.example", PASSWORD)
            .await;
        let forms = select("form.admin-form");
        let controls = select("input, select, textarea, button");
        let loading = select("[data-testid=editor-loading]");
        let buttons = select(".publish-button, .delete-control button");
        let sign_out = select("form.sign-out-form button");
        let mut seen = (0, 0);
        for path in [
            "/admin/tools",
            "/admin/tools/new",
            "/admin/tools/cursor",
            "/admin/reviewers/new",
            "/admin/reviewers/maya-okafor",
            "/admin/comparisons",
            "/admin/comparisons/new",
            "/admin/comparisons/qdrant-vs-pgvector",
            "/admin/comparisons/qdrant-vs-pgvector/scorecard",
        ] {
            let (status, html) = app.get(path).await;
            assert_eq!(status, 200, "{path}");
            let page = Html::parse_document(&html);
            for form in page.select(&forms) {
                seen.0 += 1;
                let line = form
                    .select(&loading)
                    .next()
                    .unwrap_or_else(|| panic!("{path}: a form without the loading line"));
                assert!(
                    line.value().attr("hidden").is_none()
                        && line
                            .text()
                            .collect::<String>()
                            .contains("Loading the editor"),
                    "{path}: the loading line is not shown: {}",
                    line.html()
                );
                let mut count = 0;
                for control in form.select(&controls) {
                    count += 1;
                    assert!(disabled(control), "{path}: {} is enabled", control.html());
                }
                assert!(count > 0, "{path}: a form without controls");
            }
            for button in page.select(&buttons) {
                seen.1 += 1;
                assert!(disabled(button), "{path}: {} is enabled", button.html());
            }
            for button in page.select(&sign_out) {
                assert!(!disabled(button), "{path}: signing out needs no JavaScript");
            }
            assert!(
                html.contains("data-testid=\"needs-javascript\""),
                "{path}: the <noscript> note is gone"
            );
        }
        assert!(seen.0 >= 6, "{} editors' forms checked", seen.0);
        assert!(seen.1 >= 4, "{} publish and delete buttons checked", seen.1);
    })
    .await;
}

on_both_databases!(
    admin_without_a_session_redirects_to_sign_in,
    the_dashboard_shows_counts_drafts_and_changes,
);
