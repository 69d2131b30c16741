//! Accessibility of the reader's pages: axe-core in Chromium finds no serious
//! or critical violation, at desktop and mobile widths.

use fantoccini::Locator;
use tests::{browser::Browser, skip_or_fail, workspace_root, Db, TestApp};

/// The pages the issue names, plus the other reader pages.
const PAGES: [&str; 20] = [
    "/",
    "/tools/smolvlm-3b",
    "/compare/claude-haiku-open-weights-vs-smolvlm-3b",
    "/categories/developer-tools",
    "/search?q=smol",
    "/admin/sign-in",
    "/tools",
    "/reviewers/maya-okafor",
    "/compare",
    "/newsletter",
    "/no-such-page",
    "/integrity",
    "/panel",
    // A review due for a re-review and one with an earlier verdict (the demo's Cursor).
    "/tools/cursor",
    "/compare/cursor-vs-github-copilot",
    // Four tools side by side, and the picker with a box added.
    "/compare/cursor-vs-github-copilot-vs-qdrant-vs-pgvector",
    "/compare?left=Cursor&right=Qdrant&add=1",
    // A pair no editor compared (with its pick), a 404 that suggests the
    // closest tool, and the newsletter once confirmed.
    "/compare/cursor-vs-qdrant",
    "/compare/cursr-vs-nothing-like-it",
    "/newsletter?state=confirmed",
];

/// The editors' pages, checked once signed in (the reviewer's lens starts unchosen).
const ADMIN_PAGES: [&str; 4] = [
    "/admin/reviewers/new",
    "/admin/comparisons/new",
    "/admin/comparisons/cursor-vs-github-copilot/scorecard",
    "/admin/comparisons",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_serious_or_critical_violation_on_the_reader_pages() {
    tests::within_time_limit(axe()).await;
}

async fn axe() {
    let script = workspace_root().join("tests/quality/node_modules/axe-core/axe.min.js");
    let Ok(axe_source) = std::fs::read_to_string(&script) else {
        skip_or_fail(
            "axe-core",
            "tests/quality has no node_modules (npm ci --prefix tests/quality)",
        );
        return;
    };
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let Some(browser) = Browser::launch().await else {
        return;
    };
    let mut serious = vec![];
    for width in [1280, 375] {
        browser.resize(width, 900).await;
        for path in PAGES {
            serious.extend(violations(&app, &browser, &axe_source, width, path).await);
        }
    }
    let password = "a long and secret passphrase";
    server::domain::editors::create_editor(&app.db, "ed@verdicts.example", password)
        .await
        .expect("an editor");
    browser.resize(1280, 900).await;
    super::sign_in(&app, &browser, "ed@verdicts.example", password).await;
    for width in [1280, 375] {
        browser.resize(width, 900).await;
        for path in ADMIN_PAGES {
            serious.extend(violations(&app, &browser, &axe_source, width, path).await);
        }
    }
    assert!(
        serious.is_empty(),
        "serious or critical violations:\n{}",
        serious.join("\n")
    );
}

/// The serious and critical violations axe-core finds on `path` at `width`
/// (each printed, with the minor ones).
async fn violations(
    app: &TestApp,
    browser: &Browser,
    axe_source: &str,
    width: u32,
    path: &str,
) -> Vec<String> {
    let mut serious = vec![];
    browser
        .client
        .goto(&format!("{}{path}", app.address))
        .await
        .expect("open the page");
    browser
        .client
        .find(Locator::Css("main"))
        .await
        .unwrap_or_else(|e| panic!("{path} has a main landmark: {e}"));
    // The page itself was checked, not a sign-in page it sent the browser to.
    let at = browser.client.current_url().await.expect("a URL");
    assert_eq!(at.path(), path.split('?').next().unwrap_or(path), "{path}");
    if path.starts_with("/admin/") && path != "/admin/sign-in" {
        // The editors' controls are disabled until their island wakes.
        let hydrated = "[data-hydrated=\"true\"]";
        for _ in 0..100 {
            if browser.client.find(Locator::Css(hydrated)).await.is_ok() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
    browser
        .client
        .execute(axe_source, vec![])
        .await
        .expect("axe-core loads");
    let found = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             axe.run(document, { resultTypes: ['violations'] })
               .then(r => done(r.violations.map(v => ({
                 id: v.id, impact: v.impact, help: v.help,
                 targets: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }))))
               .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), targets: [] }]));",
            vec![],
        )
        .await
        .expect("axe-core runs");
    for violation in found.as_array().cloned().unwrap_or_default() {
        let impact = violation["impact"].as_str().unwrap_or("");
        println!(
            "axe {width}px {path}: {impact} {} ({}) {}",
            violation["id"], violation["help"], violation["targets"]
        );
        if matches!(impact, "serious" | "critical") {
            serious.push(format!("{width}px {path}: {violation}"));
        }
    }
    serious
}
