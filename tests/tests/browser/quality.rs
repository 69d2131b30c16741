//! Accessibility of the reader's pages: axe-core in Chromium finds no serious
//! or critical violation, at desktop and mobile widths.

use fantoccini::Locator;
use tests::{browser::Browser, skip_or_fail, workspace_root, Db, TestApp};

/// The pages the issue names, plus the other reader pages.
const PAGES: [&str; 17] = [
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
            browser
                .client
                .execute(&axe_source, vec![])
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
        }
    }
    assert!(
        serious.is_empty(),
        "serious or critical violations:\n{}",
        serious.join("\n")
    );
}
