//! The API explorer: GraphiQL, served from the site's own files.

use axum::{
    http::header,
    response::{Html, IntoResponse, Response},
};

/// GraphiQL from the site's own `graphiql/` files (pinned, installed from npm
/// by `make site`): nothing comes from a CDN, and no inline script runs.
pub(super) fn page() -> Response {
    (
        [(
            header::CONTENT_SECURITY_POLICY,
            crate::routes::security::GRAPHIQL_POLICY,
        )],
        Html(GRAPHIQL_PAGE),
    )
        .into_response()
}

const GRAPHIQL_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="robots" content="noindex">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Verdicts API</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml">
    <link rel="stylesheet" href="/graphiql/graphiql.min.css">
    <link rel="stylesheet" href="/graphiql/explorer.css">
  </head>
  <body>
    <div id="graphiql">Loading GraphiQL, the API explorer…</div>
    <noscript>GraphiQL needs JavaScript. Without it, send queries to <code>POST /graphql</code>: <a href="/api">the API's guide</a> shows how.</noscript>
    <script src="/graphiql/react.production.min.js"></script>
    <script src="/graphiql/react-dom.production.min.js"></script>
    <script src="/graphiql/graphiql.min.js"></script>
    <script src="/graphiql/explorer.js"></script>
  </body>
</html>
"#;
