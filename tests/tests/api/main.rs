//! The API and pages over HTTP, on SQLite and on PostgreSQL.

mod admin_pages;
mod api_docs;
mod cache;
mod catalogue;
mod compare_many;
mod consensus;
mod dataset;
mod editing;
mod editors;
mod facts;
mod fairness;
mod integrity;
mod introspection;
mod item_feeds;
mod ledger_pages;
mod limits;
mod live;
mod newsletter;
mod pages;
mod panel;
mod provenance;
mod queries;
mod reader;
mod rendering;
mod schema;
mod search;
mod transport;
mod votes;
mod webhooks;

/// The operations of the public contract (issue: the comparison page), verbatim.
pub const CONTRACT: &str = r#"
query Compare($slug: String!) { comparison(slug: $slug) { slug title summary
  left { ...T } right { ...T }
  split { bothShip onlyLeft onlyRight neither }
  scorecard { reviewer { slug name lens } left { verdict body } right { verdict body } } } }
query Tools($first: Int!, $after: String) { tools(first: $first, after: $after) { edges { cursor node { ...T } } pageInfo { hasNextPage endCursor } } }
query Tool($slug: String!) { tool(slug: $slug) { ...T description websiteUrl reviews { reviewer { name lens } verdict body } } }
query Pair($a: String!, $b: String!) { compare(left: $a, right: $b) { left { slug } right { slug } scorecard { reviewer { slug } } } }
mutation Vote($tool: String!, $v: Verdict!) { castVote(tool: $tool, verdict: $v) { ship skip total shipPercent } }
fragment T on Tool { slug name vendor tagline license category { slug name } pricing { model entry }
  panel { ship skip total shipPercent } community { ship skip total shipPercent missingVotes } }
"#;

/// Runs `node <script> <url of /graphql>` in `tests/graphql-http` against a
/// fresh server: `(succeeded, stdout, stderr)`; `None` (or a failure under
/// CI) when the npm package `needs` is not installed.
pub async fn node_against_graphql(
    what: &str,
    needs: &str,
    script: &str,
) -> Option<(bool, String, String)> {
    let dir = tests::workspace_root().join("tests/graphql-http");
    if !dir.join("node_modules").join(needs).is_dir() {
        tests::skip_or_fail(
            what,
            "tests/graphql-http/node_modules is missing (make test runs npm ci)",
        );
        return None;
    }
    let app = tests::TestApp::spawn(tests::Db::Sqlite).await?;
    let output = tokio::process::Command::new("node")
        .arg(script)
        .arg(format!("{}/graphql", app.address))
        .current_dir(&dir)
        .output()
        .await
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    println!("{stdout}");
    Some((
        output.status.success(),
        stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

/// The demo comparison's slug.
pub const DEMO: &str = "claude-haiku-open-weights-vs-smolvlm-3b";

/// Runs one named operation of [`CONTRACT`].
pub async fn contract(
    app: &tests::TestApp,
    operation: &str,
    variables: serde_json::Value,
) -> serde_json::Value {
    contract_as(app, &app.client, operation, variables).await
}

/// Runs one named operation of [`CONTRACT`] as another reader.
pub async fn contract_as(
    app: &tests::TestApp,
    client: &reqwest::Client,
    operation: &str,
    variables: serde_json::Value,
) -> serde_json::Value {
    let response = client
        .post(format!("{}/graphql", app.address))
        .json(&serde_json::json!({
            "query": CONTRACT,
            "operationName": operation,
            "variables": variables,
        }))
        .send()
        .await
        .expect("the server answers");
    response.json().await.expect("a JSON body")
}

/// The first error's `extensions.code`.
pub fn error_code(body: &serde_json::Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}
