//! Finding 8: bad input is a 4xx, never a 500. Every page route with junk
//! query parameters, and every integer and cursor argument of the API with
//! out-of-range literals, junk values and variables: no 5xx, no `INTERNAL`.

use async_graphql::parser::types::{BaseType, Type, TypeKind, TypeSystemDefinition};
use serde_json::{json, Value};
use tests::{on_both_databases, workspace_root, Db, TestApp};

const EDITOR: &str = "ed@verdicts.example";
const PASSWORD: &str = "a long and secret passphrase";

/// Query strings an attacker (or a mangled link) may send to any page.
fn junk_queries() -> Vec<String> {
    let long = "A".repeat(10 * 1024);
    vec![
        "after=x".into(),
        "before=%00".into(),
        "after=%FF%FE".into(),
        "before=dG9vbDp6enp6".into(),
        format!("after={long}"),
        "first=-1".into(),
        "last=99999999999999999999".into(),
        format!("q={long}"),
        "q=%C0%AF%00".into(),
        "page=999999999999".into(),
        "min_panel=2147483648".into(),
        "min_readers=-99999999999".into(),
        "order=%00&direction=sideways".into(),
        "category=%E2%82&pricing=%&license=%ZZ".into(),
        "unknown=1&&=&after".into(),
    ]
}

/// Every page route of the app (`app/src/routes.rs`), with the demo
/// catalogue's slugs in place of its parameters.
async fn page_routes(app: &TestApp) -> Vec<String> {
    let body = app
        .gql(
            "{ tools(first: 1) { nodes { slug } } reviewers(first: 1) { nodes { slug } }
               comparisons(first: 1) { nodes { slug } } allCategories(first: 1) { nodes { slug } } }",
            json!({}),
        )
        .await;
    let slug = |list: &str| {
        body["data"][list]["nodes"][0]["slug"]
            .as_str()
            .unwrap_or_else(|| panic!("a {list} slug in the demo catalogue: {body}"))
            .to_owned()
    };
    let source = std::fs::read_to_string(workspace_root().join("app/src/routes.rs"))
        .expect("app/src/routes.rs");
    let routes: Vec<String> = source
        .split("path!(\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(path, _)| path.to_owned()))
        .map(|path| {
            let list = if path.starts_with("/tools") || path.starts_with("/admin/tools") {
                "tools"
            } else if path.starts_with("/reviewers") || path.starts_with("/admin/reviewers") {
                "reviewers"
            } else if path.starts_with("/categories") {
                "allCategories"
            } else {
                "comparisons"
            };
            path.replace(":slug", &slug(list))
        })
        .collect();
    assert!(
        routes.len() >= 20,
        "the route table was not read: {routes:?}"
    );
    routes
}

async fn sign_in(app: &TestApp) {
    server::domain::editors::create_editor(&app.db, EDITOR, PASSWORD)
        .await
        .expect("an editor");
    let answer = editor_gql(
        app,
        "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }",
        json!({ "e": EDITOR, "p": PASSWORD }),
    )
    .await;
    assert_eq!(answer.1["data"]["signIn"]["email"], EDITOR, "{}", answer.1);
}

/// POSTs as the app's client (signed in once [`sign_in`] ran), with the
/// same-origin header; returns the status and the JSON body.
async fn editor_gql(app: &TestApp, query: &str, variables: Value) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("x-verdicts-csrf", "1")
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("{query} answered {status} with no JSON: {text}"));
    (status, body)
}

fn codes(body: &Value) -> Vec<String> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| {
                    e["extensions"]["code"]
                        .as_str()
                        .unwrap_or("NONE")
                        .to_owned()
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn junk_cursors_on_pages_answer_400(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let reader = TestApp::new_client();
    let reviewer = page_routes(&app)
        .await
        .into_iter()
        .find(|r| r.starts_with("/reviewers/"))
        .expect("a reviewer route");
    for path in ["/tools?after=x".to_owned(), format!("{reviewer}?after=x")] {
        let response = reader
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status().as_u16(), 400, "{path}");
        let html = response.text().await.expect("a body");
        assert!(
            html.contains("This address cannot be read"),
            "{path}: {html}"
        );
    }
    sign_in(&app).await;
    for list in [
        "/admin/tools",
        "/admin/reviewers",
        "/admin/comparisons",
        "/admin/outbox",
    ] {
        let (status, _) = app.get(&format!("{list}?after=x")).await;
        assert_eq!(status, 400, "{list}?after=x as an editor");
    }
}

async fn every_page_with_junk_parameters_answers_below_500(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    let routes = page_routes(&app).await;
    let reader = TestApp::new_client();
    let mut failures = Vec::new();
    let mut answered = 0;
    for signed_in in [false, true] {
        if signed_in {
            sign_in(&app).await;
        }
        let client = if signed_in { &app.client } else { &reader };
        for route in &routes {
            for query in junk_queries() {
                let url = format!("{}{route}?{query}", app.address);
                let response = client.get(&url).send().await.expect("an answer");
                let status = response.status().as_u16();
                answered += 1;
                if status >= 500 {
                    failures.push(format!(
                        "{status} {route}?{} (editor: {signed_in})",
                        &query[..query.len().min(60)]
                    ));
                }
            }
        }
    }
    assert!(answered >= 2 * 20 * junk_queries().len());
    assert!(failures.is_empty(), "5xx answers:\n{}", failures.join("\n"));
}

/// One argument of the schema worth attacking: an `Int` or a cursor.
#[derive(Debug)]
struct Target {
    owner: String,
    field: String,
    argument: String,
    /// `Int`, `Int!` or `String`.
    ty: String,
    /// Another argument of the field is this input object's field.
    via_input: Option<(String, String)>,
    selection: &'static str,
    others: String,
}

fn type_text(ty: &Type) -> String {
    ty.to_string()
}

fn named(ty: &Type) -> String {
    match &ty.base {
        BaseType::Named(name) => name.to_string(),
        BaseType::List(inner) => named(inner),
    }
}

/// Every `Int` and `after`/`before` argument and input field of the live
/// schema, with how to reach it from `Query`.
fn targets(sdl: &str) -> Vec<Target> {
    let document = async_graphql::parser::parse_schema(sdl).expect("the SDL parses");
    let mut objects = std::collections::HashMap::new();
    let mut inputs = std::collections::HashMap::new();
    let mut leaves: std::collections::HashSet<String> = ["Int", "String", "Boolean", "ID", "Float"]
        .map(str::to_owned)
        .into();
    for definition in &document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let name = ty.node.name.node.to_string();
        match &ty.node.kind {
            TypeKind::Object(object) => {
                objects.insert(name, object.fields.clone());
            }
            TypeKind::InputObject(input) => {
                inputs.insert(name, input.fields.clone());
            }
            TypeKind::Scalar | TypeKind::Enum(_) => {
                leaves.insert(name);
            }
            _ => {}
        }
    }
    let mut found = Vec::new();
    for (owner, fields) in &objects {
        if owner == "Mutation" || owner == "Subscription" {
            continue;
        }
        for field in fields {
            let returns = named(&field.node.ty.node);
            let selection = if leaves.contains(&returns) {
                ""
            } else {
                "{ __typename }"
            };
            let fill = |except: &str| {
                field
                    .node
                    .arguments
                    .iter()
                    .filter(|a| a.node.name.node.as_str() != except && !a.node.ty.node.nullable)
                    .map(|a| {
                        let value = match named(&a.node.ty.node).as_str() {
                            "Int" => "1",
                            "Boolean" => "true",
                            _ => "\"x\"",
                        };
                        format!("{}: {value}", a.node.name.node)
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            for argument in &field.node.arguments {
                let name = argument.node.name.node.to_string();
                let ty = named(&argument.node.ty.node);
                if ty == "Int" || name == "after" || name == "before" {
                    found.push(Target {
                        owner: owner.clone(),
                        field: field.node.name.node.to_string(),
                        argument: name.clone(),
                        ty: type_text(&argument.node.ty.node),
                        via_input: None,
                        selection,
                        others: fill(&name),
                    });
                }
                if let Some(input_fields) = inputs.get(&ty) {
                    for input_field in input_fields {
                        if named(&input_field.node.ty.node) == "Int" {
                            found.push(Target {
                                owner: owner.clone(),
                                field: field.node.name.node.to_string(),
                                argument: name.clone(),
                                ty: type_text(&input_field.node.ty.node),
                                via_input: Some((
                                    ty.clone(),
                                    input_field.node.name.node.to_string(),
                                )),
                                selection,
                                others: fill(&name),
                            });
                        }
                    }
                }
            }
        }
    }
    found.sort_by(|a, b| (&a.owner, &a.field, &a.argument).cmp(&(&b.owner, &b.field, &b.argument)));
    found
}

/// The document asking for `target` with `value` written as its literal.
fn document(target: &Target, value: &str) -> String {
    let argument = match &target.via_input {
        None => format!("{}: {value}", target.argument),
        Some((_, field)) => format!("{}: {{ {field}: {value} }}", target.argument),
    };
    let arguments = [argument, target.others.clone()]
        .into_iter()
        .filter(|a| !a.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let inner = format!("{}({arguments}) {}", target.field, target.selection);
    match target.owner.as_str() {
        "Query" => format!("{{ {inner} }}"),
        "Tool" => format!("{{ tools(first: 2) {{ nodes {{ {inner} }} }} }}"),
        "Reviewer" => format!("{{ reviewers(first: 2) {{ nodes {{ {inner} }} }} }}"),
        "Comparison" => format!("{{ comparisons(first: 2) {{ nodes {{ {inner} }} }} }}"),
        "Category" => format!("{{ allCategories(first: 2) {{ nodes {{ {inner} }} }} }}"),
        "IntegrityLedger" => format!("{{ integrity {{ {inner} }} }}"),
        "VoteIntegrity" => {
            format!("{{ tools(first: 2) {{ nodes {{ integrity {{ {inner} }} }} }} }}")
        }
        "PanelRecord" => format!("{{ panel {{ {inner} }} }}"),
        "WebhookEndpoint" => format!("{{ webhookEndpoints {{ {inner} }} }}"),
        other => panic!("no way to reach {other}.{}: add one here", target.field),
    }
}

async fn api_integer_and_cursor_arguments_refuse_junk_without_internal(db: Db) {
    let Some(app) = TestApp::spawn(db).await else {
        return;
    };
    sign_in(&app).await;
    // An endpoint, so that its fields' arguments are read (a public
    // address literal: no lookup, and nothing is ever sent in this test).
    let (_, created) = editor_gql(
        &app,
        "mutation { createWebhookEndpoint(url: \"https://93.184.216.34/hook\", \
         events: [COMPARISON_PUBLISHED]) { secret } }",
        json!({}),
    )
    .await;
    assert!(created["errors"].is_null(), "{created}");
    let targets = targets(&app.schema_sdl());
    let attacked: Vec<String> = targets
        .iter()
        .map(|t| format!("{}.{}({})", t.owner, t.field, t.argument))
        .collect();
    for expected in [
        "Tool.scoreHistory(days)",
        "Query.recentVoteActivity(hours)",
        "Query.tools(filter)",
        "Query.tools(after)",
        "Reviewer.reviews(after)",
        "Query.outbox(before)",
    ] {
        assert!(
            attacked.contains(&expected.to_owned()),
            "{expected} is not attacked: {attacked:?}"
        );
    }
    let long = format!("\"{}\"", "A".repeat(10 * 1024));
    let mut failures = Vec::new();
    for target in &targets {
        let (refused, tolerated): (Vec<&str>, Vec<&str>) = if target.ty.starts_with("Int") {
            (
                vec![
                    "2147483648",
                    "-2147483649",
                    "38288127090",
                    "99999999999999999999999",
                    "1.5",
                    "\"x\"",
                ],
                vec!["-1", "0", "2147483647", "-2147483648"],
            )
        } else {
            (
                vec![
                    "\"x\"",
                    "\"%FF\"",
                    "\"\\u0000\"",
                    "\"_-_-\"",
                    "\"AAAA\"",
                    &long,
                ],
                // Empty, and a well-formed position past the end.
                vec!["\"\"", "\"dG9vbDp6enp6\""],
            )
        };
        for (value, must_refuse) in refused
            .iter()
            .map(|v| (*v, true))
            .chain(tolerated.iter().map(|v| (*v, false)))
        {
            let query = document(target, value);
            let (status, body) = editor_gql(&app, &query, json!({})).await;
            let codes = codes(&body);
            let short = &query[..query.len().min(160)];
            if status >= 500 || codes.iter().any(|c| c == "INTERNAL" || c == "NONE") {
                failures.push(format!("{status} {codes:?} {short}"));
            } else if must_refuse && !codes.iter().any(|c| c == "VALIDATION") {
                failures.push(format!("not refused as VALIDATION: {codes:?} {short}"));
            }
        }
        // The same values as variables are refused before anything runs.
        if target.via_input.is_none() && target.ty.starts_with("Int") {
            let declared = target.ty.clone();
            let mut with_variable = document(target, "$v");
            with_variable.insert_str(0, &format!("query($v: {declared})"));
            let (status, body) =
                editor_gql(&app, &with_variable, json!({ "v": 38288127090u64 })).await;
            let codes = codes(&body);
            if status >= 500 || codes.is_empty() || codes.iter().any(|c| c != "VALIDATION") {
                failures.push(format!("{status} {body} for {with_variable}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "junk arguments:\n{}",
        failures.join("\n")
    );
}

on_both_databases!(
    junk_cursors_on_pages_answer_400,
    every_page_with_junk_parameters_answers_below_500,
    api_integer_and_cursor_arguments_refuse_junk_without_internal,
);
