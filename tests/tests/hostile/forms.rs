//! The readers' forms without JavaScript (`/vote`, `/pick`, `/newsletter`)
//! from other sites. Found: any web site could make its visitors vote (and
//! replace their voter cookie) with a form posting here; a forged `Referer`
//! from another site, or `Sec-Fetch-Site: same-origin` beside a foreign
//! `Origin`, passed, and so did a page on another name pointed at this
//! server. Now every sign a browser gives (`Sec-Fetch-Site`, `Origin`,
//! `Referer`) must name this site, or the post is a 403 that writes nothing
//! and sets no cookie.

use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{json, Value};
use tests::{on_both_databases, Db, SpawnOptions, TestApp, PUBLIC_URL};

const COMPARISON: &str = "claude-haiku-open-weights-vs-smolvlm-3b";
const READER_STATE: &str = "{ tool(slug: \"cursor\") { viewerVote community { total } } \
    comparison(slug: \"claude-haiku-open-weights-vs-smolvlm-3b\") { viewerPick { slug } headToHead { total } } }";

/// The forms (the pick form on a curated comparison and on an ad hoc
/// pair), each with fields that would count.
fn forms() -> [(&'static str, Vec<(&'static str, &'static str)>); 4] {
    [
        ("/vote", vec![("tool", "cursor"), ("verdict", "SKIP")]),
        (
            "/pick",
            vec![
                ("comparison", COMPARISON),
                ("tool", "claude-haiku-open-weights"),
            ],
        ),
        (
            "/pick",
            vec![("left", "cursor"), ("right", "qdrant"), ("tool", "qdrant")],
        ),
        ("/newsletter", vec![("email", "victim@example.com")]),
    ]
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    form: &[(&str, &str)],
    headers: &[(&str, String)],
) -> reqwest::Response {
    let mut request = client.post(format!("{}{path}", app.address)).form(form);
    for (name, value) in headers {
        request = request.header(*name, value);
    }
    request.send().await.expect("an answer")
}

/// What the database holds of readers' doings: votes, picks, subscribers, mail.
async fn written(app: &TestApp) -> [u64; 4] {
    [
        entities::vote::Entity::find().count(&app.db).await,
        entities::pick::Entity::find().count(&app.db).await,
        entities::subscriber::Entity::find().count(&app.db).await,
        entities::outbox_mail::Entity::find().count(&app.db).await,
    ]
    .map(|count| count.expect("a count"))
}

async fn reader_forms_from_another_site_write_nothing_and_keep_the_voter_cookie(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    // A reader votes and picks on the site itself and holds a voter cookie.
    let reader = TestApp::new_client();
    let own = [("origin", app.address.clone())];
    for (path, form) in [
        ("/vote", vec![("tool", "cursor"), ("verdict", "SHIP")]),
        (
            "/pick",
            vec![("comparison", COMPARISON), ("tool", "smolvlm-3b")],
        ),
    ] {
        let response = post(&app, &reader, path, &form, &own).await;
        assert_eq!(response.status().as_u16(), 303, "{path} from the site");
    }
    let before_state = app.gql_as(&reader, READER_STATE, json!({})).await;
    assert_eq!(before_state["data"]["tool"]["viewerVote"], "SHIP");
    let before = written(&app).await;

    let port = app.address.rsplit(':').next().unwrap_or_default();
    let evil = "https://evil.example".to_owned();
    // Each is what a page elsewhere makes its visitors' browsers send (or
    // what a hostile client forges to look like one).
    let attacks: Vec<Vec<(&str, String)>> = vec![
        vec![("origin", evil.clone())],
        vec![("origin", "null".to_owned())],
        vec![
            ("sec-fetch-site", "cross-site".to_owned()),
            ("origin", evil.clone()),
        ],
        vec![("sec-fetch-site", "same-site".to_owned())],
        vec![("sec-fetch-site", "cross-site".to_owned())],
        // An old browser that sends no Origin, only the page it came from.
        vec![("referer", "https://evil.example/free-prizes".to_owned())],
        vec![("referer", "not a url".to_owned())],
        // Mixed signs: every one must name this site.
        vec![
            ("sec-fetch-site", "same-origin".to_owned()),
            ("origin", evil.clone()),
        ],
        vec![
            ("origin", app.address.clone()),
            ("referer", format!("{evil}/page")),
        ],
        vec![("sec-fetch-site", "same-origin, cross-site".to_owned())],
        // The public name over plain http, a look-alike, another port.
        vec![("origin", "http://verdicts.test".to_owned())],
        vec![("origin", format!("{PUBLIC_URL}.evil.example"))],
        vec![(
            "origin",
            format!("http://127.0.0.1:{}", port.parse::<u16>().unwrap_or(1) ^ 1),
        )],
        // Another name pointed at this server (DNS rebinding): the page and
        // the request share that name, which is not this site's.
        vec![
            ("origin", "http://rebound.example".to_owned()),
            ("host", "rebound.example".to_owned()),
        ],
    ];
    for headers in &attacks {
        for (path, form) in forms() {
            // A browser sends no `SameSite=Lax` cookie with another site's
            // POST; one that did must not get it replaced either.
            for client in [&TestApp::new_client(), &reader] {
                let response = post(&app, client, path, &form, headers).await;
                assert_eq!(response.status().as_u16(), 403, "{path} with {headers:?}");
                assert!(
                    response.headers().get("set-cookie").is_none(),
                    "{path} with {headers:?} set a cookie"
                );
                let text = response.text().await.expect("a body");
                assert!(
                    text.contains("this site's own pages") && text.contains("nothing was changed"),
                    "{path}: a refusal that says why: {text}"
                );
            }
        }
    }
    assert_eq!(
        written(&app).await,
        before,
        "a cross-site form wrote something"
    );
    let after_state = app.gql_as(&reader, READER_STATE, json!({})).await;
    assert_eq!(
        after_state, before_state,
        "the reader's vote, pick and cookie are theirs still"
    );
}

async fn reader_forms_from_this_site_still_count(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let total = || async {
        let body: Value = app.gql(READER_STATE, json!({})).await;
        body["data"]["tool"]["community"]["total"]
            .as_i64()
            .expect("a total")
    };
    let start = total().await;
    let ways: Vec<Vec<(&str, String)>> = vec![
        // A browser on the page it was served from (an address: tests, a
        // server reached by its IP).
        vec![
            ("origin", app.address.clone()),
            ("sec-fetch-site", "same-origin".to_owned()),
        ],
        // A browser on the public name, behind a proxy that passes another Host.
        vec![
            ("origin", PUBLIC_URL.to_owned()),
            ("host", "10.0.0.5:3000".to_owned()),
        ],
        vec![("referer", format!("{}/tools/cursor", app.address))],
        vec![("referer", format!("{PUBLIC_URL}/tools/cursor"))],
        // No browser at all (curl): it carries no one else's cookie.
        vec![],
    ];
    for (i, headers) in ways.iter().enumerate() {
        for (path, form) in forms() {
            let response = post(&app, &TestApp::new_client(), path, &form, headers).await;
            assert_eq!(response.status().as_u16(), 303, "{path} with {headers:?}");
        }
        assert_eq!(total().await, start + 1 + i as i64, "{headers:?} counted");
    }
}

async fn reader_forms_over_https_refuse_the_same_address_over_http(db: Db) {
    let options = SpawnOptions {
        configure: |config| config.secure_cookies = true,
        ..SpawnOptions::default()
    };
    let Some(app) = TestApp::spawn_with(db, options).await else {
        return;
    };
    let before = written(&app).await;
    // The site is served over https (`--secure-cookies`): a page at the same
    // address over plain http (anyone on the path can write one) is another site.
    let http = vec![("origin", app.address.clone())];
    let response = post(&app, &TestApp::new_client(), "/vote", &forms()[0].1, &http).await;
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(written(&app).await, before);
    let https = vec![("origin", app.address.replace("http://", "https://"))];
    let response = post(&app, &TestApp::new_client(), "/vote", &forms()[0].1, &https).await;
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(written(&app).await[0], before[0] + 1);
}

/// The same through the API: another site's page may read it, but a vote
/// or pick its script sends for the visitor is refused (every visitor's
/// browser would be one more new reader). Scripts with no browser, the
/// site's own pages and partner apps still vote.
async fn votes_from_another_sites_page_through_the_api_are_refused(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let before = written(&app).await;
    let vote =
        json!({ "query": "mutation { castVote(tool: \"cursor\", verdict: SKIP) { total } }" });
    let pick = json!({ "query": format!(
        "mutation {{ pick(comparison: \"{COMPARISON}\", tool: \"smolvlm-3b\") {{ slug }} }}"
    ) });
    let pick_between = json!({ "query":
        "mutation { pickBetween(tools: [\"cursor\", \"qdrant\"], tool: \"qdrant\") { slug } }"
    });
    for body in [&vote, &pick, &pick_between] {
        for origin in ["https://elsewhere.example", "null"] {
            let answer: Value = TestApp::new_client()
                .post(format!("{}/graphql", app.address))
                .header("origin", origin)
                .json(body)
                .send()
                .await
                .expect("an answer")
                .json()
                .await
                .expect("JSON");
            assert_eq!(
                answer["errors"][0]["extensions"]["code"], "FORBIDDEN",
                "{origin}: {answer}"
            );
        }
    }
    assert_eq!(written(&app).await, before, "nothing was written");
    // Reading from another site's page is fine.
    let read: Value = TestApp::new_client()
        .post(format!("{}/graphql", app.address))
        .header("origin", "https://elsewhere.example")
        .json(&json!({ "query": "{ tool(slug: \"cursor\") { name } }" }))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(read["data"]["tool"]["name"], "Cursor", "{read}");
    // The site's own pages, and a script with no browser, vote.
    for origin in [Some(PUBLIC_URL), None] {
        let mut request = TestApp::new_client()
            .post(format!("{}/graphql", app.address))
            .json(&vote);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let answer: Value = request
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
        assert!(answer["errors"].is_null(), "{origin:?}: {answer}");
    }
}

on_both_databases!(
    votes_from_another_sites_page_through_the_api_are_refused,
    reader_forms_from_another_site_write_nothing_and_keep_the_voter_cookie,
    reader_forms_from_this_site_still_count,
    reader_forms_over_https_refuse_the_same_address_over_http,
);
