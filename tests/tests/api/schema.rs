//! The committed SDL equals the live schema, and the UI's operations are valid against it.

use std::collections::{BTreeSet, HashMap};

use contract::operations::{self as op, registry, Audience, Kind, Operation, Registered};
use serde_json::Value;
use tests::{workspace_root, Db, TestApp};

/// A plain test, without a runtime, a database or a server: the SDL needs
/// none of them (the served one equals it: see `api_docs`).
#[test]
fn committed_schema_graphql_equals_the_live_schema() {
    let live = server::graphql::sdl();
    let path = workspace_root().join("schema.graphql");
    if std::env::var("UPDATE_SCHEMA").is_ok() {
        std::fs::write(&path, &live).expect("write schema.graphql");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != live {
        let line = committed
            .lines()
            .zip(live.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(live.lines().count()));
        panic!(
            "schema.graphql differs from the live schema from line {}:\n  committed: {:?}\n  live:      {:?}\n\
             review the change and run `make schema`",
            line + 1,
            committed.lines().nth(line).unwrap_or("<end of file>"),
            live.lines().nth(line).unwrap_or("<end of file>"),
        );
    }
}

/// The editor the editors' operations run as.
const EDITOR: (&str, &str) = ("ed@verdicts.example", "a long passphrase here");

/// Variables for every registered operation, written as its typed `Vars`:
/// a `Vars` type that does not match the variables its text declares fails
/// when the operation runs.
pub fn examples() -> HashMap<&'static str, Value> {
    fn vars<O: Operation>(vars: O::Vars) -> (&'static str, Value) {
        (O::NAME, serde_json::to_value(vars).expect(O::NAME))
    }
    let slug = |slug: &str| op::SlugVars { slug: slug.into() };
    let list = |search: &str| op::ListVars {
        search: Some(search.into()),
        after: None,
    };
    let tool = op::ToolInput {
        slug: "scratch-tool".into(),
        name: "Scratch".into(),
        vendor: "Acme".into(),
        category: "vector-databases".into(),
        tagline: "A scratch tool".into(),
        description: "Made by the test.".into(),
        license: "MIT".into(),
        pricing_model: "FREE".into(),
        pricing_entry: "Free".into(),
        website_url: None,
    };
    let reviewer = op::ReviewerInput {
        slug: "scratch-reviewer".into(),
        name: "Scratch Reviewer".into(),
        lens: Some("BUSINESS_CASE".into()),
        bio: "Made by the test.".into(),
    };
    let comparison = op::ComparisonInput {
        slug: "scratch-vs-cursor".into(),
        title: "Scratch vs Cursor".into(),
        summary: "Made by the test.".into(),
        left: "scratch-tool".into(),
        right: "cursor".into(),
        verdict_line: Some("Scratch wins on nothing yet.".into()),
        byline: None,
    };
    let qdrant = op::ToolInput {
        slug: "qdrant".into(),
        name: "Qdrant".into(),
        vendor: "Qdrant".into(),
        tagline: "Vector search engine".into(),
        description: "A vector database.".into(),
        license: "Apache-2.0".into(),
        pricing_model: "FREEMIUM".into(),
        pricing_entry: "Free tier".into(),
        ..tool.clone()
    };
    let catalogue = op::CatalogueVars {
        filter: op::ToolFilter {
            pricing_model: Some("FREE".into()),
            ..Default::default()
        },
        ..Default::default()
    };
    [
        // The readers'.
        vars::<op::ComparisonBySlug>(slug(crate::DEMO)),
        vars::<op::ComparisonByPair>(op::PairVars {
            a: "cursor".into(),
            b: "qdrant".into(),
        }),
        vars::<op::Home>(op::HomeVars { first: 5 }),
        vars::<op::ToolPage>(slug("smolvlm-3b")),
        vars::<op::CastVote>(op::CastVoteVars {
            tool: "smolvlm-3b".into(),
            verdict: op::Verdict::Ship,
        }),
        vars::<op::WithdrawVote>(op::ToolVars {
            tool: "smolvlm-3b".into(),
        }),
        vars::<op::Pick>(op::PickVars {
            comparison: crate::DEMO.into(),
            tool: "smolvlm-3b".into(),
        }),
        vars::<op::PickBetween>(op::PickBetweenVars {
            tools: vec!["cursor".into(), "qdrant".into()],
            tool: "qdrant".into(),
        }),
        vars::<op::Subscribe>(op::SubscribeVars {
            email: "ops@example.com".into(),
        }),
        vars::<op::CategoryPage>(slug("developer-tools")),
        vars::<op::ReviewerPage>(op::ReviewerPageVars {
            slug: "maya-okafor".into(),
            after: None,
        }),
        vars::<op::Catalogue>(catalogue),
        vars::<op::Search>(op::SearchVars { q: "smol".into() }),
        vars::<op::PickerTools>(op::PickerToolsVars {
            search: "cu".into(),
        }),
        vars::<op::MatchPair>(op::PairVars {
            a: "cursor".into(),
            b: "copilot".into(),
        }),
        vars::<op::ComparisonOfMany>(op::ManyVars {
            tools: vec!["cursor".into(), "qdrant".into(), "github-copilot".into()],
        }),
        vars::<op::MatchName>(op::NameVars {
            name: "copilot".into(),
        }),
        vars::<op::Alternatives>(op::AlternativesVars {
            category: "developer-tools".into(),
        }),
        vars::<op::LiveCommunity>(op::ToolVars {
            tool: "smolvlm-3b".into(),
        }),
        vars::<op::LiveHeadToHead>(slug(crate::DEMO)),
        vars::<op::IntegrityPage>(op::BeforeVars { before: None }),
        vars::<op::PanelPage>(op::NoVars {}),
        // The editors', in the registry's order.
        vars::<op::SignIn>(op::SignInVars {
            email: EDITOR.0.into(),
            password: EDITOR.1.into(),
        }),
        vars::<op::AdminDashboard>(op::NoVars {}),
        // The windows the editors' test holds votes in (ids set there).
        vars::<op::ReleaseHeldVotes>(op::DecideVars {
            window: "0".into(),
            reason: "Checked: a classroom of real readers".into(),
        }),
        vars::<op::RejectHeldVotes>(op::DecideVars {
            window: "0".into(),
            reason: "One script, one address".into(),
        }),
        vars::<op::AdminTools>(list("cur")),
        vars::<op::AdminTool>(slug("cursor")),
        vars::<op::AdminNewTool>(op::NoVars {}),
        vars::<op::UpdateTool>(op::UpdateVars {
            slug: "qdrant".into(),
            input: qdrant,
        }),
        vars::<op::CreateTool>(op::CreateVars { input: tool }),
        vars::<op::RecordToolRelease>(op::CreateVars {
            input: op::ToolReleaseInput {
                tool: "scratch-tool".into(),
                version: "v1.0".into(),
                released_on: "2026-01-02".into(),
                note: Some("The first release.".into()),
            },
        }),
        vars::<op::DeleteToolRelease>(op::DeleteReleaseVars {
            tool: "scratch-tool".into(),
            version: "v1.0".into(),
        }),
        vars::<op::SetToolFacts>(op::SetToolFactsVars {
            slug: "scratch-tool".into(),
            facts: vec![
                op::ToolFactInput {
                    label: "Context window".into(),
                    kind: "NUMBER".into(),
                    value: Some("128,000".into()),
                    unit: Some("tokens".into()),
                },
                op::ToolFactInput {
                    label: "Modalities".into(),
                    kind: "LIST".into(),
                    value: Some("text, image".into()),
                    unit: None,
                },
            ],
        }),
        vars::<op::Me>(op::NoVars {}),
        vars::<op::PublishTool>(slug("scratch-tool")),
        vars::<op::UnpublishTool>(slug("scratch-tool")),
        vars::<op::PublishComparison>(slug(crate::DEMO)),
        vars::<op::PublishComparisonWithTools>(slug(crate::DEMO)),
        vars::<op::ComparisonTools>(slug(crate::DEMO)),
        vars::<op::UnpublishComparison>(slug(crate::DEMO)),
        vars::<op::AdminReviewers>(list("maya")),
        vars::<op::AdminReviewer>(slug("maya-okafor")),
        vars::<op::CreateReviewer>(op::CreateVars {
            input: reviewer.clone(),
        }),
        vars::<op::UpdateReviewer>(op::UpdateVars {
            slug: "scratch-reviewer".into(),
            input: reviewer,
        }),
        vars::<op::AdminComparisons>(list("vs")),
        vars::<op::AdminComparison>(slug(crate::DEMO)),
        vars::<op::AdminNewComparison>(op::NoVars {}),
        vars::<op::CreateComparison>(op::CreateVars {
            input: comparison.clone(),
        }),
        vars::<op::UpdateComparison>(op::UpdateVars {
            slug: "scratch-vs-cursor".into(),
            input: comparison,
        }),
        vars::<op::AdminScorecard>(slug(crate::DEMO)),
        vars::<op::UpsertReviews>(op::UpsertReviewsVars {
            input: vec![op::ReviewInput {
                tool: "scratch-tool".into(),
                reviewer: "scratch-reviewer".into(),
                verdict: op::Verdict::Ship,
                body: "Fine.".into(),
                published: false,
                judged_version: Some("v1.0".into()),
                reviewed_on: Some("2026-01-03".into()),
            }],
        }),
        vars::<op::DeleteReview>(op::DeleteReviewVars {
            tool: "scratch-tool".into(),
            reviewer: "scratch-reviewer".into(),
        }),
        vars::<op::DeleteComparison>(op::CascadeVars {
            slug: "scratch-vs-cursor".into(),
            cascade: false,
        }),
        vars::<op::AdminOutbox>(op::AfterVars { after: None }),
        vars::<op::AdminWebhooks>(op::NoVars {}),
        vars::<op::DeleteReviewer>(slug("scratch-reviewer")),
        vars::<op::DeleteTool>(op::CascadeVars {
            slug: "scratch-tool".into(),
            cascade: false,
        }),
        vars::<op::SignOut>(op::NoVars {}),
    ]
    .into_iter()
    .collect()
}

/// The registered operations for `audience` and of `kinds`, each with its example variables.
pub fn registered(audience: Audience, kinds: &[Kind]) -> Vec<(&'static Registered, Value)> {
    let mut examples = examples();
    registry()
        .filter(|entry| {
            entry.audience == audience && entry.kind().is_some_and(|k| kinds.contains(&k))
        })
        .map(|entry| {
            let variables = examples
                .remove(entry.name)
                .unwrap_or_else(|| panic!("no example variables for the operation {}", entry.name));
            (entry, variables)
        })
        .collect()
}

#[test]
fn every_registered_operation_has_example_variables_and_no_example_is_stray() {
    let registered: BTreeSet<_> = registry().map(|entry| entry.name).collect();
    let examples: BTreeSet<_> = examples().into_keys().collect();
    assert_eq!(registered, examples);
}

#[tokio::test]
async fn every_ui_operation_runs_against_the_live_schema() {
    let Some(app) = TestApp::spawn(Db::Sqlite).await else {
        return;
    };
    let readers = registered(Audience::Reader, &[Kind::Query, Kind::Mutation]);
    assert!(
        readers.len() >= 13,
        "the readers' operations are registered"
    );
    for (entry, variables) in readers {
        let body = app.gql(entry.query, variables).await;
        assert!(body["errors"].is_null(), "{}: {body}", entry.name);
        // Every page's data decodes into the type the page reads.
        entry
            .check_data(body["data"].clone())
            .unwrap_or_else(|e| panic!("{e}: {body}"));
    }
}

#[tokio::test]
async fn every_admin_operation_runs_for_a_signed_in_editor() {
    // One new voter per network counts: a second one is held, for the
    // editors' release and reject to decide about.
    let Some(app) = TestApp::spawn_with(
        Db::Sqlite,
        tests::SpawnOptions {
            network_quota: 1,
            ..tests::SpawnOptions::default()
        },
    )
    .await
    else {
        return;
    };
    for tool in ["cursor", "pgvector", "cursor", "pgvector"] {
        let body: Value = TestApp::new_client()
            .post(format!("{}/graphql", app.address))
            .header("x-forwarded-for", "192.0.2.77")
            .json(&serde_json::json!({
                "query": "mutation($t: String!) { castVote(tool: $t, verdict: SHIP) { total } }",
                "variables": { "t": tool }
            }))
            .send()
            .await
            .expect("an answer")
            .json()
            .await
            .expect("JSON");
        assert!(body["errors"].is_null(), "{body}");
    }
    let held = app
        .gql(
            "{ integrity { windows(first: 2) { id held } } }",
            serde_json::json!({}),
        )
        .await;
    let windows: Vec<String> = held["data"]["integrity"]["windows"]
        .as_array()
        .map(|w| {
            w.iter()
                .filter_map(|w| w["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(windows.len(), 2, "two windows hold votes: {held}");
    server::domain::editors::create_editor(&app.db, EDITOR.0, EDITOR.1)
        .await
        .expect("an editor");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        contract::names::CSRF_HEADER,
        contract::names::CSRF_VALUE.parse().expect("a header"),
    );
    let editor = reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .build()
        .expect("a client");
    let editors = registered(Audience::Editor, &[Kind::Query, Kind::Mutation]);
    assert_eq!(
        editors.first().map(|(entry, _)| entry.name),
        Some(op::SignIn::NAME)
    );
    assert_eq!(
        editors.last().map(|(entry, _)| entry.name),
        Some(op::SignOut::NAME)
    );
    for (entry, mut variables) in editors {
        if entry.name == op::ReleaseHeldVotes::NAME {
            variables["window"] = Value::from(windows[0].clone());
        }
        if entry.name == op::RejectHeldVotes::NAME {
            variables["window"] = Value::from(windows[1].clone());
        }
        let body = app.gql_as(&editor, entry.query, variables).await;
        assert!(body["errors"].is_null(), "{}: {body}", entry.name);
        entry
            .check_data(body["data"].clone())
            .unwrap_or_else(|e| panic!("{e}: {body}"));
        if entry.name == op::AdminTools::NAME {
            let data: op::AdminToolsData = app::graphql::decode(body.clone()).expect(entry.name);
            let slugs: Vec<_> = data
                .all_tools
                .expect("tools")
                .nodes()
                .map(|t| t.slug)
                .collect();
            assert_eq!(slugs, ["cursor"], "search finds by name");
        }
        if entry.name == op::AdminDashboard::NAME {
            let data: op::AdminDashboardData =
                app::graphql::decode(body).expect("the dashboard decodes");
            assert!(data.me.is_some() && data.catalogue_stats.is_some());
        }
    }
}
