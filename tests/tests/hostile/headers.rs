//! Finding 7: security headers. Every HTML answer carries a
//! Content-Security-Policy that lets only the site's own scripts run and
//! forbids framing; every answer is `nosniff` with a referrer policy; HSTS
//! only behind TLS. GraphiQL loads nothing from another origin. Chromium
//! runs the pages' bootstrap under the policy and refuses injected script.

use std::path::PathBuf;

use base64::{engine::general_purpose::STANDARD, Engine as _};
use reqwest::header::HeaderMap;
use sha2::{Digest, Sha256};
use tests::{browser::Browser, Db, SpawnOptions, TestApp};

fn header<'a>(headers: &'a HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The inline scripts of a page that a browser would run: `<script>`
/// elements with no `src` and not a JSON-LD data block.
fn inline_scripts(html: &str) -> Vec<String> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let Some(close) = after.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") && !tag.contains("application/ld+json") {
            scripts.push(after[open_end + 1..close].to_owned());
        }
        rest = &after[close + "</script>".len()..];
    }
    scripts
}

fn directive<'a>(policy: &'a str, name: &str) -> &'a str {
    policy
        .split(';')
        .map(str::trim)
        .find(|d| d.split_whitespace().next() == Some(name))
        .unwrap_or_else(|| panic!("no {name} in {policy:?}"))
}

/// Checks one HTML answer: its policy, its other headers, and that each
/// inline script it carries is allowed by hash (no `'unsafe-inline'`).
fn assert_protected(what: &str, headers: &HeaderMap, html: &str) {
    let policy = header(headers, "content-security-policy");
    assert!(!policy.is_empty(), "{what} has no Content-Security-Policy");
    for expected in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "connect-src 'self'",
    ] {
        assert!(
            policy.contains(expected),
            "{what}: {expected} missing from {policy}"
        );
    }
    let scripts = directive(policy, "script-src");
    assert!(
        !scripts.contains("unsafe-inline")
            && !scripts.contains("'unsafe-eval'")
            && !scripts.contains('*'),
        "{what} lets other scripts run: {scripts}"
    );
    assert!(
        !directive(policy, "style-src").contains("http"),
        "{what}: {policy}"
    );
    assert_eq!(
        header(headers, "x-content-type-options"),
        "nosniff",
        "{what}"
    );
    assert_eq!(
        header(headers, "referrer-policy"),
        "strict-origin-when-cross-origin",
        "{what}"
    );
    assert_eq!(
        header(headers, "strict-transport-security"),
        "",
        "{what}: HSTS without TLS"
    );
    for script in inline_scripts(html) {
        let hash = format!("'sha256-{}'", STANDARD.encode(Sha256::digest(&script)));
        assert!(
            scripts.contains(&hash),
            "{what}: an inline script its policy does not allow ({hash}): {script:.120}"
        );
    }
    assert!(
        !html.contains("<style"),
        "{what} has a <style> element that style-src refuses"
    );
}

async fn get(client: &reqwest::Client, url: &str) -> (u16, HeaderMap, String) {
    let response = client
        .get(url)
        .header("accept", "text/html")
        .send()
        .await
        .expect("an answer");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.expect("a body"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_answers_carry_a_policy_that_allows_only_the_sites_scripts() {
    tests::within_time_limit(async {
        let Some(app) = TestApp::spawn(Db::Sqlite).await else {
            return;
        };
        let reader = TestApp::new_client();
        let slugs = app
            .gql(
                "{ reviewers(first: 1) { nodes { slug } } comparisons(first: 1) { nodes { slug } }
                   allCategories(first: 1) { nodes { slug } } }",
                serde_json::json!({}),
            )
            .await;
        let slug = |list: &str| {
            slugs["data"][list]["nodes"][0]["slug"]
                .as_str()
                .unwrap_or_else(|| panic!("a {list} slug: {slugs}"))
                .to_owned()
        };
        let mut checked_scripts = 0;
        for (path, status) in [
            ("/".to_owned(), 200),
            ("/".to_owned(), 200), // again, from the page cache
            ("/tools".to_owned(), 200),
            ("/tools/cursor".to_owned(), 200),
            ("/compare".to_owned(), 200),
            (format!("/compare/{}", slug("comparisons")), 200),
            (format!("/categories/{}", slug("allCategories")), 200),
            (format!("/reviewers/{}", slug("reviewers")), 200),
            ("/search?q=agent".to_owned(), 200),
            ("/api".to_owned(), 200),
            ("/newsletter".to_owned(), 200),
            ("/admin/sign-in".to_owned(), 200),
            ("/no/such/page".to_owned(), 404),
            ("/tools?after=x".to_owned(), 400),
        ] {
            let path = path.as_str();
            let (got, headers, html) = get(&reader, &format!("{}{path}", app.address)).await;
            assert_eq!(got, status, "{path}");
            assert_protected(path, &headers, &html);
            checked_scripts += inline_scripts(&html).len();
        }
        // One bootstrap per page with an island (`/` twice, the tool,
        // the picker, the comparison, the newsletter, sign-in); the
        // others load no WebAssembly and carry none.
        assert!(
            checked_scripts >= 7,
            "the pages' bootstrap scripts were not found"
        );
        // The editors' pages load their own bundle: its bootstrap is allowed too.
        server::domain::editors::create_editor(
            &app.db,
            "ed@verdicts.example",
            "a long and secret passphrase",
        )
        .await
        .expect("an editor");
        app.sign_in_as(
            &app.client,
            "ed@verdicts.example",
            "a long and secret passphrase",
        )
        .await;
        for path in [
            "/admin",
            "/admin/tools",
            "/admin/tools/cursor",
            "/admin/tools/new",
            "/admin/reviewers",
            "/admin/comparisons",
            "/admin/outbox",
        ] {
            let (status, headers, html) = get(&app.client, &format!("{}{path}", app.address)).await;
            assert_eq!(status, 200, "{path}");
            assert_protected(path, &headers, &html);
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_answers_are_nosniff_and_badges_stay_embeddable() {
    tests::within_time_limit(async {
        let Some(app) = TestApp::spawn(Db::Sqlite).await else {
            return;
        };
        for path in [
            "/feed.xml",
            "/robots.txt",
            "/healthz",
            "/graphql?query=%7B__typename%7D",
            "/badge/cursor.svg",
        ] {
            let response = app
                .client
                .get(format!("{}{path}", app.address))
                .send()
                .await
                .expect("an answer");
            assert_eq!(response.status().as_u16(), 200, "{path}");
            let headers = response.headers();
            assert_eq!(
                header(headers, "x-content-type-options"),
                "nosniff",
                "{path}"
            );
            assert_eq!(
                header(headers, "referrer-policy"),
                "strict-origin-when-cross-origin",
                "{path}"
            );
        }
        // A badge is an <img> on other sites: cacheable there, and neither a
        // frame policy nor a resource policy that would keep it off them.
        let badge = app
            .client
            .get(format!("{}/badge/cursor.svg", app.address))
            .send()
            .await
            .expect("an answer");
        let headers = badge.headers();
        assert_eq!(header(headers, "content-type"), "image/svg+xml");
        assert_eq!(header(headers, "cache-control"), "public, max-age=300");
        assert_eq!(header(headers, "cross-origin-resource-policy"), "");
        assert_eq!(header(headers, "x-frame-options"), "");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hsts_is_sent_only_with_secure_cookies() {
    tests::within_time_limit(async {
        let Some(app) = TestApp::spawn_with(
            Db::Sqlite,
            SpawnOptions {
                configure: |c| c.secure_cookies = true,
                ..Default::default()
            },
        )
        .await
        else {
            return;
        };
        for path in ["/", "/healthz", "/badge/cursor.svg"] {
            let response = app
                .client
                .get(format!("{}{path}", app.address))
                .send()
                .await
                .expect("an answer");
            assert_eq!(
                header(response.headers(), "strict-transport-security"),
                "max-age=31536000; includeSubDomains",
                "{path}"
            );
        }
        // Without the flag there is none (plain HTTP, as in a local run).
        let Some(plain) = TestApp::spawn(Db::Sqlite).await else {
            return;
        };
        let (_, headers, _) = get(&plain.client, &format!("{}/", plain.address)).await;
        assert_eq!(header(&headers, "strict-transport-security"), "");
    })
    .await;
}

/// Every `src` and `href` in `html`.
fn references(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for part in html.split(attribute).skip(1) {
            if let Some((value, _)) = part.split_once('"') {
                found.push(value.to_owned());
            }
        }
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphiql_loads_only_the_sites_own_files() {
    tests::within_time_limit(async {
        let Some(app) = TestApp::spawn(Db::Sqlite).await else {
            return;
        };
        let (status, headers, html) = get(&app.client, &format!("{}/graphql", app.address)).await;
        assert_eq!(status, 200);
        assert!(html.contains("id=\"graphiql\""), "{html}");
        assert!(
            !html.contains("unpkg") && !html.contains("://"),
            "an external origin: {html}"
        );
        assert_protected("GraphiQL", &headers, &html);
        assert!(
            inline_scripts(&html).is_empty(),
            "GraphiQL has inline script: {html}"
        );
        let referenced = references(&html);
        assert!(
            referenced.iter().any(|r| r.ends_with("graphiql.min.js"))
                && referenced
                    .iter()
                    .any(|r| r.ends_with("react-dom.production.min.js")),
            "{referenced:?}"
        );
        for reference in referenced {
            assert!(
                reference.starts_with('/') && !reference.starts_with("//"),
                "{reference}"
            );
            let response = app
                .client
                .get(format!("{}{reference}", app.address))
                .send()
                .await
                .expect("an answer");
            assert_eq!(
                response.status().as_u16(),
                200,
                "{reference} is not served: `make site` copies GraphiQL into {}",
                tests::site_root().display()
            );
            let body = response.bytes().await.expect("a body");
            assert!(body.len() > 20, "{reference} is empty");
        }
    })
    .await;
}

/// A site whose readers' bundle is a stand-in module that marks the page
/// once Leptos' bootstrap script has imported it and called `hydrate()`.
fn stand_in_site() -> PathBuf {
    let root = std::env::temp_dir().join("verdicts-hostile-csp-site");
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg).expect("a site directory");
    std::fs::write(
        pkg.join("verdicts.js"),
        "export default async function init() {}\n\
         export function hydrate() { document.body.dataset.bootstrapped = 'yes'; }\n",
    )
    .expect("the stand-in bundle");
    std::fs::write(pkg.join("verdicts.css"), "body { margin: 0 }\n").expect("a style sheet");
    root
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chromium_runs_the_bootstrap_and_refuses_injected_script() {
    tests::within_time_limit(async {
        stand_in_site();
        let Some(app) = TestApp::spawn_with(
            Db::Sqlite,
            SpawnOptions {
                configure: |c| c.site_root = stand_in_site(),
                ..Default::default()
            },
        )
        .await
        else {
            return;
        };
        let Some(browser) = Browser::launch().await else {
            return;
        };
        let client = &browser.client;
        for path in ["/", "/tools/cursor"] {
            client
                .goto(&format!("{}{path}", app.address))
                .await
                .expect("the page loads");
            let mut bootstrapped = serde_json::Value::Null;
            for _ in 0..100 {
                bootstrapped = client
                    .execute("return document.body.dataset.bootstrapped || null;", vec![])
                    .await
                    .expect("a script runs");
                if bootstrapped == "yes" {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
            assert_eq!(bootstrapped, "yes", "{path}: the bootstrap script did not run under the policy");
            // Markup that slipped into a page could not run script: inline
            // elements and handlers are refused.
            let injected = client
                .execute_async(
                    "const done = arguments[arguments.length - 1];
                     const s = document.createElement('script');
                     s.textContent = 'window.injected = true;';
                     document.body.appendChild(s);
                     const i = document.createElement('img');
                     i.setAttribute('onerror', 'window.handled = true;');
                     i.src = '/no-such-image';
                     document.body.appendChild(i);
                     setTimeout(() => done([window.injected === true, window.handled === true]), 500);",
                    vec![],
                )
                .await
                .expect("a script runs");
            assert_eq!(injected, serde_json::json!([false, false]), "{path}: injected script ran");
        }
    })
    .await;
}
