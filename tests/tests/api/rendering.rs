//! Pages render from data loaded before the render, so no render can wait
//! on a resource that Leptos' async SSR forgets to wake (issue 15 item 5).

use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};
use std::time::Duration;

use tests::{on_both_databases, Db, SpawnOptions, TestApp};

use crate::DEMO;

/// Far beyond any render (milliseconds): only a render that waits on
/// something that never comes takes this long.
const STALLED: Duration = Duration::from_secs(10);

/// Every page kind that loads data, with the status it answers.
const PAGES: [(&str, u16); 12] = [
    ("/", 200),
    ("/compare/pgvector-vs-cursor", 200),
    ("/tools", 200),
    ("/tools?category=speech&order=community", 200),
    ("/tools/smolvlm-3b", 200),
    ("/categories/developer-tools", 200),
    ("/reviewers/maya-okafor", 200),
    ("/search?q=vector", 200),
    ("/tools/no-such-tool", 404),
    ("/tools?after=not-a-cursor", 400),
    ("/admin", 303),
    ("/admin/sign-in", 200),
];

/// Leptos keeps one process-wide switch that parks every resource first
/// polled while any thread builds a route list (leptos-rs/leptos#4773), and
/// a server builds one as it starts (as every test here does, beside the
/// others' renders). With route lists built without pause, uncached pages
/// of every kind still render, each in time, many at once.
async fn pages_render_while_route_lists_are_built_beside_them(db: Db) {
    let Some(app) = TestApp::spawn_with(
        db,
        SpawnOptions {
            configure: |c| c.cache_mb = 0,
            ..SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    let stop = Stop(Arc::new(AtomicBool::new(false)));
    let builder = tokio::task::spawn_blocking({
        let stop = stop.0.clone();
        move || {
            let mut built = 0_u32;
            while !stop.load(Ordering::Relaxed) {
                let _ = leptos_axum::generate_route_list(app::App);
                built += 1;
            }
            built
        }
    });
    let compare = format!("/compare/{DEMO}");
    let pages: Vec<(&str, u16)> = PAGES.into_iter().chain([(compare.as_str(), 200)]).collect();
    for _round in 0..8 {
        let renders = pages.iter().map(|&(path, expected)| {
            let app = &app;
            async move {
                let (status, html) = tokio::time::timeout(STALLED, app.get(path))
                    .await
                    .unwrap_or_else(|_| panic!("{path} stalled: no answer within {STALLED:?}"));
                assert_eq!(status, expected, "{path}");
                // A whole page ends with the script Leptos writes once
                // every part of the page is in.
                if expected != 303 {
                    assert!(
                        html.contains("</html>") && html.trim_end().ends_with("</script>"),
                        "{path} is whole"
                    );
                }
            }
        });
        futures::future::join_all(renders).await;
    }
    drop(stop);
    let built = builder.await.expect("the route lists were built");
    assert!(built > 0, "route lists were built during the renders");
}

/// Stops the route-list builder however the test ends (the runtime waits
/// for it before the test can finish).
struct Stop(Arc<AtomicBool>);

impl Drop for Stop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

on_both_databases!(pages_render_while_route_lists_are_built_beside_them);
