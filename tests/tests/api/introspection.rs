//! Introspection as GraphQL tools send it: graphql-js's own standard query,
//! with every option set, is answered; introspection that nests lists to
//! multiply its answer is refused; graphql-codegen types operations from the
//! live URL and tsc checks them.

use serde_json::json;
use tests::{on_both_databases, Db, TestApp};

use crate::error_code;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_js_standard_introspection_builds_a_client_schema() {
    tests::within_time_limit(standard_introspection()).await;
}

async fn standard_introspection() {
    let Some((succeeded, report, errors)) =
        crate::node_against_graphql("graphql-js introspection", "graphql", "introspect.mjs").await
    else {
        return;
    };
    assert!(
        succeeded,
        "an introspection option set failed:\n{report}\n{errors}"
    );
    assert_eq!(
        report.lines().filter(|l| l.starts_with("ok ")).count(),
        7,
        "{report}"
    );
}

/// An integrator's toolchain end to end: graphql-codegen's client preset
/// introspects the live URL and types four operations; `tsc --noEmit
/// --strict` accepts code that uses them and refuses code that misuses them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graphql_codegen_types_operations_from_the_live_url_and_tsc_checks_them() {
    tests::within_time_limit(codegen()).await;
}

async fn codegen() {
    let Some((succeeded, report, errors)) = crate::node_against_graphql(
        "graphql-codegen and tsc",
        "@graphql-codegen/cli",
        "codegen.mjs",
    )
    .await
    else {
        return;
    };
    assert!(succeeded, "codegen or tsc failed:\n{report}\n{errors}");
    assert!(
        report.contains("generated: fragment-masking.ts, gql.ts, graphql.ts, index.ts"),
        "{report}"
    );
    assert_eq!(
        report.lines().filter(|l| l.starts_with("ok ")).count(),
        2,
        "{report}"
    );
}

async fn introspection_that_multiplies_its_answer_is_refused(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    // types → fields → type → fields → type → fields: each list multiplies.
    let nested =
        "{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }";
    let body = app.gql(nested, json!({})).await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], 3, "{body}");
    assert!(body["data"].is_null(), "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or("");
    assert!(message.contains("introspection"), "{message}");

    // Deep `ofType` chains are bounded too.
    let mut chain = String::from("name");
    for _ in 0..30 {
        chain = format!("ofType {{ {chain} }}");
    }
    let body = app
        .gql(
            &format!("{{ __type(name: \"Tool\") {{ {chain} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(error_code(&body), Some("VALIDATION"), "{body}");
    assert_eq!(body["errors"][0]["extensions"]["limit"], 24, "{body}");

    // Data queries keep their own limit, unaffected by introspection beside them.
    let body = app
        .gql(
            "{ tool(slug: \"cursor\") { name } __type(name: \"Tool\") { fields { name type { ofType { ofType { name } } } } } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"]["tool"]["name"], "Cursor");
    assert_eq!(body["extensions"]["cost"]["depth"], 2, "{body}");
}

on_both_databases!(introspection_that_multiplies_its_answer_is_refused);
