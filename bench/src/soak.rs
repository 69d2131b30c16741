//! `bench --soak SECS [--concurrency N]`: renders a spread of pages (every
//! page kind of the demo catalogue: comparisons curated and ad hoc, tools,
//! the catalogue with its filters, categories, reviewers, search, the 404
//! and the admin's redirect) with the response cache off (`--cache-mb 0`)
//! for SECS seconds, and counts renders slower than [`SLOW`] and errors.
//! A render that stalls shows as slow (or, past [`GIVE_UP`], as an error).

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use serde_json::Value;

/// A render slower than this counts as a stall: pages render in milliseconds.
const SLOW: Duration = Duration::from_secs(1);
/// How long one request may take before it counts as an error too.
const GIVE_UP: Duration = Duration::from_secs(30);

/// The soak's figures.
#[derive(Debug, Default)]
struct Counts {
    renders: AtomicU64,
    slow: AtomicU64,
    errors: AtomicU64,
    slowest_ms: AtomicU64,
}

/// Runs the soak for `secs` seconds with `concurrency` readers at once and
/// prints the counts; fails when any render was slow or wrong.
pub async fn run(workspace: &Path, target: &Path, secs: u64, concurrency: usize) -> Result<()> {
    let binary = target.join("release/verdicts");
    // The soak asks for pages only: the debug site serves as well.
    let site = ["target/site-release", "target/site"]
        .map(|site| workspace.join(site))
        .into_iter()
        .find(|site| site.join("pkg/verdicts.wasm").is_file());
    let (true, Some(site)) = (binary.is_file(), site) else {
        bail!("build the release server and a site first (make server-release site)");
    };
    let work = target.join("bench");
    std::fs::create_dir_all(&work)?;
    let database = work.join("soak.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
    }
    let demo_path = workspace.join("data/demo.json");
    let demo: Value = serde_json::from_str(&std::fs::read_to_string(&demo_path)?)?;
    let pages = pages(&demo)?;

    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = tokio::process::Command::new(&binary)
        .arg("serve")
        .env(
            "DATABASE_URL",
            format!("sqlite://{}?mode=rwc", database.display()),
        )
        .env("VERDICTS_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", &site)
        .env("VERDICTS_DEMO_DATA", &demo_path)
        .env("PUBLIC_URL", &base)
        .env("VERDICTS_CACHE_MB", "0")
        .env("VERDICTS_API_COST_BUDGET", "0")
        .env("ANOMALY_SCAN_SECS", "0")
        .env("SCORE_HISTORY_SECS", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("start the release server")?;
    let client = reqwest::Client::builder()
        .timeout(GIVE_UP)
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    wait_until_up(&client, &format!("{base}/healthz")).await?;

    eprintln!(
        "soak: {} pages, {concurrency} at once, {secs} s, cache off",
        pages.len()
    );
    let counts = Arc::new(Counts::default());
    let deadline = Instant::now() + Duration::from_secs(secs);
    let pages = Arc::new(pages);
    let readers = (0..concurrency).map(|reader| {
        let (client, base, pages, counts) =
            (client.clone(), base.clone(), pages.clone(), counts.clone());
        tokio::spawn(async move {
            let mut next = reader;
            while Instant::now() < deadline {
                let (path, status) = &pages[next % pages.len()];
                next += concurrency;
                read(&client, &base, path, *status, &counts).await;
            }
        })
    });
    for reader in futures::future::join_all(readers).await {
        reader?;
    }
    let (renders, slow, errors) = (
        counts.renders.load(Ordering::Relaxed),
        counts.slow.load(Ordering::Relaxed),
        counts.errors.load(Ordering::Relaxed),
    );
    println!(
        "soak: {renders} renders in {secs} s, {slow} slower than {} ms, {errors} errors, slowest {} ms",
        SLOW.as_millis(),
        counts.slowest_ms.load(Ordering::Relaxed)
    );
    if slow > 0 || errors > 0 {
        bail!("{slow} slow renders and {errors} errors");
    }
    Ok(())
}

/// One render: its time, and whether it answered what the page answers.
async fn read(client: &reqwest::Client, base: &str, path: &str, expected: u16, counts: &Counts) {
    let started = Instant::now();
    let answer = match client.get(format!("{base}{path}")).send().await {
        Ok(response) if response.status().as_u16() == expected => response
            .text()
            .await
            .map(|body| body.contains("</html>") || expected == 303),
        Ok(response) => {
            eprintln!("soak: {path} answered {}", response.status());
            Ok(false)
        }
        Err(error) => Err(error),
    };
    let elapsed = started.elapsed();
    counts.renders.fetch_add(1, Ordering::Relaxed);
    counts
        .slowest_ms
        .fetch_max(elapsed.as_millis() as u64, Ordering::Relaxed);
    if elapsed > SLOW {
        eprintln!("soak: {path} took {} ms", elapsed.as_millis());
        counts.slow.fetch_add(1, Ordering::Relaxed);
    }
    match answer {
        Ok(true) => {}
        Ok(false) => {
            counts.errors.fetch_add(1, Ordering::Relaxed);
        }
        Err(error) => {
            eprintln!("soak: {path}: {error}");
            counts.errors.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Every page kind over the demo catalogue, with the status each answers.
fn pages(demo: &Value) -> Result<Vec<(String, u16)>> {
    let slugs = |key: &str| -> Result<Vec<String>> {
        Ok(demo[key]
            .as_array()
            .with_context(|| format!("{key} in the demo catalogue"))?
            .iter()
            .filter_map(|item| item["slug"].as_str().map(str::to_owned))
            .collect())
    };
    let tools = slugs("tools")?;
    let mut pages = vec![("/".to_owned(), 200)];
    for comparison in slugs("comparisons")? {
        pages.push((format!("/compare/{comparison}"), 200));
    }
    for pair in tools.windows(2).step_by(3) {
        pages.push((format!("/compare/{}-vs-{}", pair[1], pair[0]), 200));
    }
    for tool in &tools {
        pages.push((format!("/tools/{tool}"), 200));
    }
    for category in slugs("categories")? {
        pages.push((format!("/categories/{category}"), 200));
        pages.push((format!("/tools?category={category}&order=community"), 200));
    }
    for reviewer in slugs("reviewers")? {
        pages.push((format!("/reviewers/{reviewer}"), 200));
    }
    for query in [
        "/tools",
        "/tools?pricing=FREE&order=newest",
        "/tools?min_panel=50&direction=asc",
        "/search?q=vector",
        "/search?q=open",
        "/search",
        "/compare",
        "/api",
        "/newsletter",
    ] {
        pages.push((query.to_owned(), 200));
    }
    pages.push(("/tools/no-such-tool".to_owned(), 404));
    pages.push(("/compare/no-such-vs-pair".to_owned(), 404));
    pages.push(("/nowhere".to_owned(), 404));
    pages.push(("/tools?after=not-a-cursor".to_owned(), 400));
    pages.push(("/admin".to_owned(), 303));
    pages.push(("/admin/tools".to_owned(), 303));
    Ok(pages)
}

async fn wait_until_up(client: &reqwest::Client, url: &str) -> Result<()> {
    for _ in 0..600 {
        if client
            .get(url)
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("{url} never answered")
}

/// Runs the soak when the command line asks for it (`--soak SECS`, and
/// optionally `--concurrency N`, default 16, anywhere among the arguments);
/// whether it did.
pub async fn run_if_asked(workspace: &Path) -> Result<bool> {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).map(|i| args.get(i + 1));
    let Some(secs) = value("--soak") else {
        return Ok(false);
    };
    let secs = secs.context("--soak SECS")?.parse()?;
    let concurrency = match value("--concurrency") {
        Some(n) => n.context("--concurrency N")?.parse()?,
        None => 16,
    };
    // Where `cargo run -p bench` keeps its build: the soak runs that server.
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace.join("target"));
    run(workspace, &target, secs, concurrency).await?;
    Ok(true)
}
