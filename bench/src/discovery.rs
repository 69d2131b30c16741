//! Discovery figures on the benchmark catalogue, with the response cache off
//! (every answer computed afresh): the search query (the search page's and
//! the picker's type-ahead) over query shapes a reader types (whole names,
//! typos, prefixes, two names, vendors, words of the descriptions, one word
//! that matches every tool), and tools side by side (`compareMany` and the
//! `/compare/a-vs-b-vs-c-vs-d` page, two to four tools drawn at random); one
//! request at a time, so that a figure is the engine's time for one answer
//! and not a queue's.

use std::{
    fmt::Write as _,
    path::Path,
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};

use super::generate::Rng;

/// The search page's query (`contract::operations::Search`).
const SEARCH: &str = "query Search($q: String!) { search(query: $q, first: 30) { \
    corrections { typed searchedFor } \
    hits { title { text matched } context { text matched } \
    tool { slug category { name } panel { shipPercent } community { shipPercent } } \
    comparison { slug } } } }";
/// The picker's type-ahead (`contract::operations::PickerTools`).
const PICKER: &str = "query PickerTools($search: String!) { \
    search(query: $search, kinds: [TOOL], first: 8) { hits { tool { slug name vendor } } } }";

/// The side-by-side page's query, facts included.
const MANY: &str = "query Many($tools: [String!]!) { compareMany(tools: $tools) { \
    slug canonicalSlug title panelPick { slug } \
    tools { slug name vendor tagline category { slug name } panelVerdict \
      panel { ship skip total shipPercent } community { ship skip total shipPercent } \
      facts { label display } } \
    scorecard { reviewer { slug name lens } reviews { verdict body } } \
    facts { label unit cells { display } } \
    curated { slug title } } }";

/// Requests per measured series.
const REQUESTS: usize = 2_000;

/// One query shape: its name and the texts a reader types.
struct Shape {
    name: &'static str,
    texts: Vec<String>,
}

/// Swaps two neighbouring letters inside `word` (a typo every reader makes).
fn typo(rng: &mut Rng, word: &str) -> String {
    let mut letters: Vec<char> = word.chars().collect();
    if letters.len() >= 4 {
        let at = 1 + rng.below(letters.len() as u64 - 2) as usize;
        letters.swap(at, at - 1);
    }
    letters.into_iter().collect()
}

fn shapes(catalogue: &Value, rng: &mut Rng) -> Result<Vec<Shape>> {
    let tools = catalogue["tools"].as_array().context("tools")?;
    let text = |tool: &Value, key: &str| tool[key].as_str().unwrap_or_default().to_owned();
    let pick = |rng: &mut Rng| tools[rng.below(tools.len() as u64) as usize].clone();
    let many = 50;
    let mut shapes = vec![];
    let names: Vec<String> = (0..many).map(|_| text(&pick(rng), "name")).collect();
    shapes.push(Shape {
        name: "a whole name",
        texts: names.clone(),
    });
    shapes.push(Shape {
        name: "a name with a typo",
        texts: names
            .iter()
            .map(|name| {
                let mut words: Vec<String> = name.split(' ').map(str::to_owned).collect();
                let at = rng.below(words.len() as u64) as usize;
                words[at] = typo(rng, &words[at]);
                words.join(" ")
            })
            .collect(),
    });
    shapes.push(Shape {
        name: "a name half typed",
        texts: names
            .iter()
            .map(|name| name.chars().take(name.chars().count() * 2 / 3).collect())
            .collect(),
    });
    shapes.push(Shape {
        name: "two names",
        texts: names.chunks(2).map(|pair| pair.join(" ")).collect(),
    });
    let vendors: Vec<String> = (0..many).map(|_| text(&pick(rng), "vendor")).collect();
    shapes.push(Shape {
        name: "a vendor, with a typo",
        texts: vendors.iter().map(|v| typo(rng, v)).collect(),
    });
    shapes.push(Shape {
        name: "two words of a description",
        texts: (0..many)
            .map(|_| {
                let description = text(&pick(rng), "description");
                let words: Vec<&str> = description.split(' ').filter(|w| w.len() > 4).collect();
                let first = words.get(rng.below(words.len().max(1) as u64) as usize);
                let second = words.get(rng.below(words.len().max(1) as u64) as usize);
                format!(
                    "{} {}",
                    first.unwrap_or(&"latency"),
                    second.unwrap_or(&"pricing")
                )
            })
            .collect(),
    });
    shapes.push(Shape {
        name: "the demo's readers (whsiper, copilot cursor, claude haiku)",
        texts: [
            "whsiper",
            "copilot cursor",
            "claude haiku",
            "smolvlm",
            "githb copilt",
        ]
        .map(str::to_owned)
        .to_vec(),
    });
    shapes.push(Shape {
        name: "one word every tool matches (bench)",
        texts: vec!["bench".to_owned()],
    });
    Ok(shapes)
}

async fn post(client: &reqwest::Client, base: &str, body: &Value) -> Result<Duration> {
    let started = Instant::now();
    let response = client
        .post(format!("{base}/graphql"))
        .json(body)
        .send()
        .await?;
    let status = response.status();
    let answer: Value = response.json().await?;
    let elapsed = started.elapsed();
    if !status.is_success() || !answer["errors"].is_null() {
        bail!("{body}: {status} {answer}");
    }
    Ok(elapsed)
}

fn quantiles(mut ms: Vec<f64>) -> (f64, f64, f64) {
    ms.sort_by(f64::total_cmp);
    let at = |p: f64| ms[((p * (ms.len() - 1) as f64).round() as usize).min(ms.len() - 1)];
    (at(0.5), at(0.99), ms[ms.len() - 1])
}

/// Imports `dataset` into a fresh SQLite file, serves it with the cache off
/// and measures: a Markdown section for the report.
pub async fn run(
    dataset: &Path,
    catalogue: &Value,
    options: &super::Options,
    work: &Path,
) -> Result<String> {
    let db = work.join("discovery.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let database_url = format!("sqlite://{}?mode=rwc", db.display());
    eprintln!("[discovery] importing the catalogue");
    let import = tokio::process::Command::new(super::server_binary())
        .arg("import")
        .arg(dataset)
        .env("DATABASE_URL", &database_url)
        .env("RUST_LOG", "warn")
        .output()
        .await?;
    if !import.status.success() {
        bail!("import failed: {}", String::from_utf8_lossy(&import.stderr));
    }
    let port = super::free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let _server = super::serve(&database_url, port, 0, options)?;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    super::first_ok(&client, &format!("{base}/healthz"), Instant::now()).await?;

    let mut rng = Rng::new(super::SEED ^ 0x5EA2C4);
    let shapes = shapes(catalogue, &mut rng)?;
    let mut out = String::new();
    writeln!(out, "## Search, cache off (SQLite)\n")?;
    writeln!(
        out,
        "The release server with `--cache-mb 0` on the benchmark catalogue; one request at a \
         time from one connection ({REQUESTS} requests per query, the shapes taking turns), \
         so each figure is the time of one search, HTTP included. Target (issue 19): p99 under 10 ms.\n"
    )?;
    writeln!(
        out,
        "| query | shape | p50 ms | p99 ms | max ms | statements |"
    )?;
    writeln!(out, "|---|---|---:|---:|---:|---:|")?;
    for (label, query, variable) in [
        ("search page (first 30)", SEARCH, "q"),
        ("picker (tools, first 8)", PICKER, "search"),
    ] {
        let body = |text: &str| json!({ "query": query, "variables": { variable: text } });
        // Warm the connection and the statement cache once per shape.
        for shape in &shapes {
            post(&client, &base, &body(&shape.texts[0])).await?;
        }
        let mut per_shape: Vec<Vec<f64>> = vec![vec![]; shapes.len()];
        for n in 0..REQUESTS {
            let s = n % shapes.len();
            let shape = &shapes[s];
            let text = &shape.texts[(n / shapes.len()) % shape.texts.len()];
            let elapsed = post(&client, &base, &body(text)).await?;
            per_shape[s].push(elapsed.as_secs_f64() * 1000.0);
        }
        let all: Vec<f64> = per_shape.iter().flatten().copied().collect();
        for (shape, ms) in shapes.iter().zip(per_shape) {
            let before = super::statements(&client, &base).await?;
            post(&client, &base, &body(&shape.texts[0])).await?;
            let statements = super::statements(&client, &base).await? - before;
            let (p50, p99, max) = quantiles(ms);
            writeln!(
                out,
                "| {label} | {} | {p50:.2} | {p99:.2} | {max:.2} | {statements} |",
                shape.name
            )?;
        }
        let (p50, p99, max) = quantiles(all);
        writeln!(
            out,
            "| **{label}** | **all shapes** | **{p50:.2}** | **{p99:.2}** | **{max:.2}** | |"
        )?;
    }
    writeln!(out)?;

    let tools: Vec<String> = catalogue["tools"]
        .as_array()
        .context("tools")?
        .iter()
        .filter_map(|t| t["slug"].as_str().map(str::to_owned))
        .collect();
    let mut draw = |n: usize| -> Vec<String> {
        let mut picked: Vec<String> = vec![];
        while picked.len() < n {
            let tool = &tools[rng.below(tools.len() as u64) as usize];
            if !picked.contains(tool) {
                picked.push(tool.clone());
            }
        }
        picked
    };
    writeln!(out, "## Tools side by side, cache off (SQLite)\n")?;
    writeln!(
        out,
        "The same server; {REQUESTS} requests per row, one at a time, each naming tools drawn \
         at random from the catalogue (cards, scores, the scorecard in columns, the facts table, \
         the curated pairs among them).\n"
    )?;
    writeln!(
        out,
        "| request | tools | p50 ms | p99 ms | max ms | statements |"
    )?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|")?;
    for n in [2, 3, 4] {
        let body = |tools: Vec<String>| json!({ "query": MANY, "variables": { "tools": tools } });
        post(&client, &base, &body(draw(n))).await?;
        let mut ms = vec![];
        for _ in 0..REQUESTS {
            ms.push(post(&client, &base, &body(draw(n))).await?.as_secs_f64() * 1000.0);
        }
        let before = super::statements(&client, &base).await?;
        post(&client, &base, &body(draw(n))).await?;
        let statements = super::statements(&client, &base).await? - before;
        let (p50, p99, max) = quantiles(ms);
        writeln!(
            out,
            "| `compareMany` | {n} | {p50:.2} | {p99:.2} | {max:.2} | {statements} |"
        )?;
    }
    let page = |tools: Vec<String>| format!("{base}/compare/{}", tools.join("-vs-"));
    let get = |url: String| {
        let client = &client;
        async move {
            let started = Instant::now();
            let response = client.get(&url).send().await?;
            let status = response.status();
            response.bytes().await?;
            if status != reqwest::StatusCode::OK {
                bail!("{url}: {status}");
            }
            anyhow::Ok(started.elapsed())
        }
    };
    get(page(draw(4))).await?;
    let mut ms = vec![];
    for _ in 0..REQUESTS {
        ms.push(get(page(draw(4))).await?.as_secs_f64() * 1000.0);
    }
    let before = super::statements(&client, &base).await?;
    get(page(draw(4))).await?;
    let statements = super::statements(&client, &base).await? - before;
    let (p50, p99, max) = quantiles(ms);
    writeln!(
        out,
        "| `GET /compare/a-vs-b-vs-c-vs-d` (SSR) | 4 | {p50:.2} | {p99:.2} | {max:.2} | {statements} |"
    )?;
    writeln!(out)?;
    Ok(out)
}
