//! The `verdicts` binary's subcommands, run as a user would.

use std::process::{Command, Output};

use tests::{on_both_databases, verdicts_binary, workspace_root, Db, TestDatabase};

fn verdicts(database_url: &str, args: &[&str]) -> Output {
    Command::new(verdicts_binary())
        .args(args)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

async fn import_export_round_trip_through_the_binary(db: Db) {
    let Some(database) = TestDatabase::create(db).await else {
        return;
    };
    let demo = workspace_root().join("data/demo.json");
    let demo = demo.to_str().expect("a UTF-8 path");

    let first = verdicts(&database.url, &["import", demo]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains("tools: 10 created, 0 updated, 0 unchanged"),
        "{}",
        stderr(&first)
    );

    let again = verdicts(&database.url, &["import", demo]);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("tools: 0 created, 0 updated, 10 unchanged"),
        "{}",
        stderr(&again)
    );
    assert!(
        stderr(&again).contains("reviews: 0 created, 0 updated, 33 unchanged"),
        "{}",
        stderr(&again)
    );

    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("export.json");
    let to_file = verdicts(&database.url, &["export", file.to_str().expect("UTF-8")]);
    assert!(to_file.status.success(), "{}", stderr(&to_file));
    let to_stdout = verdicts(&database.url, &["export"]);
    assert!(to_stdout.status.success(), "{}", stderr(&to_stdout));
    let written = std::fs::read_to_string(&file).expect("the export file");
    assert_eq!(String::from_utf8_lossy(&to_stdout.stdout), written);
    let exported: serde_json::Value = serde_json::from_str(&written).expect("JSON");
    assert_eq!(exported["format"], "toolverdicts/v1");
    assert_eq!(exported["tools"].as_array().map(Vec::len), Some(10));
    assert_eq!(exported["comparisons"].as_array().map(Vec::len), Some(4));
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(workspace_root().join("docs/dataset.schema.json"))
            .expect("the schema"),
    )
    .expect("JSON");
    let schema = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid schema");
    let problems: Vec<String> = schema
        .iter_errors(&exported)
        .map(|e| e.to_string())
        .collect();
    assert_eq!(
        problems,
        Vec::<String>::new(),
        "the export fits docs/dataset.schema.json"
    );

    // Into another empty database, and out again: the same file.
    let Some(other) = TestDatabase::create(db).await else {
        return;
    };
    let copy = verdicts(&other.url, &["import", file.to_str().expect("UTF-8")]);
    assert!(copy.status.success(), "{}", stderr(&copy));
    let out = verdicts(&other.url, &["export"]);
    assert_eq!(String::from_utf8_lossy(&out.stdout), written);
}

async fn import_with_a_dangling_reference_fails_naming_it_and_writes_nothing(db: Db) {
    let Some(database) = TestDatabase::create(db).await else {
        return;
    };
    let text = std::fs::read_to_string(workspace_root().join("data/demo.json")).expect("demo");
    let mut data: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    data["comparisons"][2]["right"] = "ghost-tool".into();
    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("bad.json");
    std::fs::write(&file, data.to_string()).expect("write");

    let output = verdicts(&database.url, &["import", file.to_str().expect("UTF-8")]);
    assert!(!output.status.success());
    let message = stderr(&output);
    assert!(
        message.contains("comparisons[2]") && message.contains("ghost-tool"),
        "{message}"
    );

    let export = verdicts(&database.url, &["export"]);
    let exported: serde_json::Value = serde_json::from_slice(&export.stdout).expect("JSON");
    assert_eq!(
        exported["tools"],
        serde_json::json!([]),
        "nothing was written"
    );
    assert_eq!(exported["categories"], serde_json::json!([]));
}

async fn import_of_a_missing_or_malformed_file_fails_clearly(db: Db) {
    let Some(database) = TestDatabase::create(db).await else {
        return;
    };
    let output = verdicts(&database.url, &["import", "/nonexistent/catalogue.json"]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("cannot read /nonexistent/catalogue.json"),
        "{}",
        stderr(&output)
    );

    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("broken.json");
    std::fs::write(&file, "{\"format\": \"toolverdicts/v1\", \"tools\": [").expect("write");
    let output = verdicts(&database.url, &["import", file.to_str().expect("UTF-8")]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("not a valid toolverdicts/v1 file"),
        "{}",
        stderr(&output)
    );
}

async fn migrate_applies_the_schema_and_is_repeatable(db: Db) {
    let Some(database) = TestDatabase::create(db).await else {
        return;
    };
    for _ in 0..2 {
        let output = verdicts(&database.url, &["migrate"]);
        assert!(output.status.success(), "{}", stderr(&output));
        assert!(stderr(&output).contains("migrations applied"));
    }
}

fn create_editor(database_url: &str, email: &str, password: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(verdicts_binary())
        .args(["create-editor", "--email", email])
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("stdin");
    writeln!(stdin, "{password}").expect("write the password");
    drop(stdin);
    child.wait_with_output().expect("the binary ends")
}

async fn create_editor_reads_the_password_from_stdin_and_checks_it(db: Db) {
    let Some(database) = TestDatabase::create(db).await else {
        return;
    };
    let short = create_editor(&database.url, "ed@verdicts.example", "too short");
    assert!(!short.status.success());
    assert!(
        stderr(&short).contains("at least 12 characters"),
        "{}",
        stderr(&short)
    );
    let made = create_editor(
        &database.url,
        "Ed@Verdicts.example",
        "a long enough passphrase",
    );
    assert!(made.status.success(), "{}", stderr(&made));
    assert!(stderr(&made).contains("created editor ed@verdicts.example"));
    let again = create_editor(
        &database.url,
        "ed@verdicts.example",
        "another long passphrase",
    );
    assert!(!again.status.success());
    assert!(stderr(&again).contains("exists"), "{}", stderr(&again));
    let db = sea_orm::Database::connect(&database.url)
        .await
        .expect("connect");
    let stored = <entities::editor::Entity as sea_orm::EntityTrait>::find()
        .all(&db)
        .await
        .expect("editors");
    assert_eq!(stored.len(), 1);
    assert!(
        stored[0].password_hash.starts_with("$argon2id$"),
        "Argon2id"
    );
    assert!(!stored[0].password_hash.contains("passphrase"));
    db.close().await.expect("close");
}

async fn digest_writes_the_week_once_for_confirmed_subscribers(db: Db) {
    use sea_orm::{ActiveModelTrait, ActiveValue::Set, EntityTrait};
    let Some(database) = TestDatabase::create(db).await else {
        return;
    };
    let text = std::fs::read_to_string(workspace_root().join("data/demo.json")).expect("demo");
    let mut data: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    for (i, comparison) in data["comparisons"]
        .as_array_mut()
        .expect("comparisons")
        .iter_mut()
        .enumerate()
    {
        comparison["published_at"] = if i == 0 {
            yesterday.clone().into()
        } else {
            "2020-01-06T09:00:00Z".into()
        };
    }
    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("recent.json");
    std::fs::write(&file, data.to_string()).expect("write");
    let imported = verdicts(&database.url, &["import", file.to_str().expect("UTF-8")]);
    assert!(imported.status.success(), "{}", stderr(&imported));

    let nobody = verdicts(&database.url, &["digest"]);
    assert!(nobody.status.success(), "{}", stderr(&nobody));
    assert!(
        stderr(&nobody).contains("0 mail(s) written"),
        "{}",
        stderr(&nobody)
    );

    let conn = sea_orm::Database::connect(&database.url)
        .await
        .expect("connect");
    for (email, status) in [
        (
            "confirmed@example.com",
            entities::SubscriberStatus::Confirmed,
        ),
        ("pending@example.com", entities::SubscriberStatus::Pending),
        ("gone@example.com", entities::SubscriberStatus::Unsubscribed),
    ] {
        entities::subscriber::ActiveModel {
            email: Set(email.into()),
            status: Set(status),
            unsubscribe_token: Set(format!("token-{email}")),
            created_at: Set(chrono::Utc::now()),
            ..Default::default()
        }
        .insert(&conn)
        .await
        .expect("a subscriber");
    }
    let run = |env: &[(&str, &str)]| {
        Command::new(verdicts_binary())
            .arg("digest")
            .env("DATABASE_URL", &database.url)
            .env("RUST_LOG", "warn")
            .envs(env.iter().copied())
            .output()
            .expect("the binary runs")
    };
    let first = run(&[("PUBLIC_URL", "https://verdicts.test")]);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(
        stderr(&first).contains(
            "1 comparison(s); 1 mail(s) written to the outbox, 0 subscriber(s) already had it"
        ),
        "{}",
        stderr(&first)
    );
    let again = run(&[]);
    assert!(
        stderr(&again).contains("0 mail(s) written to the outbox, 1 subscriber(s) already had it"),
        "{}",
        stderr(&again)
    );
    let mails = entities::outbox_mail::Entity::find()
        .all(&conn)
        .await
        .expect("the outbox");
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to_address, "confirmed@example.com");
    assert!(mails[0]
        .body
        .contains("https://verdicts.test/compare/claude-haiku-open-weights-vs-smolvlm-3b"));
    assert_eq!(
        mails[0].list_unsubscribe,
        "https://verdicts.test/newsletter/unsubscribe?token=token-confirmed@example.com"
    );
    conn.close().await.expect("close");
}

on_both_databases!(
    digest_writes_the_week_once_for_confirmed_subscribers,
    create_editor_reads_the_password_from_stdin_and_checks_it,
    import_export_round_trip_through_the_binary,
    import_with_a_dangling_reference_fails_naming_it_and_writes_nothing,
    import_of_a_missing_or_malformed_file_fails_clearly,
    migrate_applies_the_schema_and_is_repeatable,
);
