//! `make bench`: loads the seeded benchmark catalogue into a fresh database,
//! starts the release server (once with its response cache, once with
//! `--cache-mb 0`) and the limit server, drives them with wrk and with the
//! realistic mix (rounds that alternate the workloads), and writes
//! `bench/REPORT.md`.
//!
//! `bench [--smoke] [--secs N] [--rounds N] [--fanout] [--webhooks] [--discovery]`;
//! `--fanout` runs only the WebSocket fan-out and memory figures and prints
//! them, `--webhooks` only the webhook delivery figures, `--discovery` only
//! search (and the multi-tool comparison) with the cache off. `BENCH_PG=1` also
//! runs on PostgreSQL (`BENCH_PG_URL`, default
//! `postgres://postgres@127.0.0.1:5432`). Other settings come from the
//! environment: see [`Options`]. `bench --limit TABLE --port N` is the limit
//! server the bench starts itself.

mod discovery;
mod fanout;
mod generate;
mod limit;
mod load;
mod mix;
mod profile;
mod soak;
mod webhooks;

use std::{
    fmt::Write as _,
    net::SocketAddr,
    path::{Path, PathBuf},
    process::Stdio,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use serde_json::{json, Value};
use tokio::process::{Child, Command};

/// The comparison every page and query workload reads.
const DEMO: &str = "claude-haiku-open-weights-vs-smolvlm-3b";
const SEED: u64 = 20_261_127;

const COMPARE: &str = "query Compare($slug: String!) { comparison(slug: $slug) { slug title summary \
    left { ...T } right { ...T } split { bothShip onlyLeft onlyRight neither } \
    scorecard { reviewer { slug name lens } left { verdict body } right { verdict body } } } } \
    fragment T on Tool { slug name vendor tagline license category { slug name } pricing { model entry } \
    panel { ship skip total shipPercent } community { ship skip total shipPercent missingVotes } }";
const TOOLS: &str = "query Tools($first: Int!, $after: String) { tools(first: $first, after: $after) { \
    edges { cursor node { ...T } } pageInfo { hasNextPage endCursor } } } \
    fragment T on Tool { slug name vendor tagline license category { slug name } pricing { model entry } \
    panel { ship skip total shipPercent } community { ship skip total shipPercent missingVotes } }";

/// What to run, from the arguments and the environment.
struct Options {
    smoke: bool,
    fanout_only: bool,
    /// Only the webhook delivery figures (`--webhooks`).
    webhooks_only: bool,
    /// Only the discovery figures: search, cache off (`--discovery`).
    discovery_only: bool,
    /// Seconds per run (`--secs`, `BENCH_SECS`; 10).
    secs: u32,
    /// Rounds of every workload (`--rounds`, `BENCH_ROUNDS`; 3).
    rounds: u32,
    /// Connections per run (`BENCH_CONNECTIONS`; 64).
    connections: u32,
    /// CPUs of the servers, the real ones and the limit (`BENCH_SERVER_CPUS`;
    /// `0`), and of wrk and the mix's load generator (`BENCH_CLIENT_CPUS`;
    /// `1`); `none` for either leaves it to the scheduler. Pinning needs two
    /// CPUs and `taskset`.
    server_cpus: Option<String>,
    client_cpus: Option<String>,
    /// wrk threads (`BENCH_WRK_THREADS`; 1 when pinned to one CPU, else 2).
    wrk_threads: u32,
    /// The cached server's budget (`BENCH_CACHE_MB`; 16, the default of
    /// `verdicts serve`).
    cache_mb: u32,
    mix: mix::Settings,
    /// The mix's reads captured for the limit, per shape: the most read
    /// ones (`BENCH_MIX_CAPTURE`; 20).
    capture_per_shape: usize,
    /// Whether the workloads that miss their targets are profiled
    /// (`BENCH_PROFILE`; on when `perf` works here).
    profile: bool,
    /// Only the workloads named here, by their names in the log
    /// (`BENCH_ONLY=mix,limit:mix`), to study one; the report then misses
    /// the others' rows and is not one to commit.
    only: Option<Vec<String>>,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => value
            .parse()
            .map_err(|e| anyhow::anyhow!("{name}={value}: {e}")),
        _ => Ok(default),
    }
}

fn options() -> Result<Options> {
    let cpus = |name: &str, default: &str| -> Option<String> {
        let value = std::env::var(name).unwrap_or_else(|_| default.to_owned());
        let machine = std::fs::read_to_string("/proc/cpuinfo").map_or(1, |c| {
            c.lines().filter(|l| l.starts_with("processor")).count()
        });
        (value != "none" && !value.is_empty() && machine >= 2 && which("taskset")).then_some(value)
    };
    let client_cpus = cpus("BENCH_CLIENT_CPUS", "1");
    let mut options = Options {
        smoke: false,
        fanout_only: false,
        webhooks_only: false,
        discovery_only: false,
        secs: env_or("BENCH_SECS", 10)?,
        rounds: env_or("BENCH_ROUNDS", 3)?,
        connections: env_or("BENCH_CONNECTIONS", 64)?,
        server_cpus: cpus("BENCH_SERVER_CPUS", "0"),
        wrk_threads: env_or(
            "BENCH_WRK_THREADS",
            match &client_cpus {
                Some(c) if !c.contains([',', '-']) => 1,
                _ => 2,
            },
        )?,
        client_cpus,
        cache_mb: env_or("BENCH_CACHE_MB", 16)?,
        capture_per_shape: env_or("BENCH_MIX_CAPTURE", 20)?.max(1),
        mix: mix::Settings {
            length: env_or("BENCH_MIX_REQUESTS", 100_000)?,
            zipf_s: env_or("BENCH_MIX_ZIPF", 1.0)?,
            votes_per_10k: env_or("BENCH_MIX_VOTES_PER_10K", 200)?,
            ad_hoc_pairs: env_or("BENCH_MIX_AD_HOC_PAIRS", 1_000)?,
        },
        profile: std::env::var("BENCH_PROFILE").map_or(true, |v| v != "0"),
        only: std::env::var("BENCH_ONLY")
            .ok()
            .filter(|v| !v.is_empty())
            .map(|v| v.split(',').map(|w| w.trim().to_owned()).collect()),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--smoke" => {
                options.smoke = true;
                options.secs = 2;
                options.rounds = 1;
            }
            "--fanout" => options.fanout_only = true,
            "--webhooks" => options.webhooks_only = true,
            "--discovery" => options.discovery_only = true,
            "--secs" => options.secs = args.next().context("--secs N")?.parse()?,
            "--rounds" => options.rounds = args.next().context("--rounds N")?.parse()?,
            other => {
                bail!("unknown argument {other}; usage: bench [--smoke] [--secs N] [--rounds N] [--fanout] [--webhooks] [--discovery]")
            }
        }
    }
    if options.smoke {
        options.mix.length = options.mix.length.min(20_000);
        options.mix.ad_hoc_pairs = options.mix.ad_hoc_pairs.min(100);
    }
    Ok(options)
}

fn which(program: &str) -> bool {
    std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace")
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace().join("target"))
}

fn server_binary() -> PathBuf {
    target_dir().join("release/verdicts")
}

fn site_root() -> PathBuf {
    workspace().join("target/site-release")
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// `program` under `taskset -c cpus` when pinning, else as it is.
fn pinned(program: &Path, cpus: Option<&str>) -> Command {
    match cpus {
        Some(cpus) => {
            let mut command = Command::new("taskset");
            command.arg("-c").arg(cpus).arg(program);
            command
        }
        None => Command::new(program),
    }
}

/// `verdicts serve` tuned for load: no rate limits or budgets, no background
/// scans; `cache_mb` 0 turns the response cache off.
fn serve(database_url: &str, port: u16, cache_mb: u32, options: &Options) -> Result<Child> {
    pinned(&server_binary(), options.server_cpus.as_deref())
        .arg("serve")
        .env("DATABASE_URL", database_url)
        .env("VERDICTS_ADDR", format!("127.0.0.1:{port}"))
        .env("LEPTOS_SITE_ROOT", site_root())
        .env("VERDICTS_DEMO_DATA", "")
        .env("PUBLIC_URL", format!("http://127.0.0.1:{port}"))
        .env("VOTE_LIMIT_PER_VOTER", "1000000000")
        .env("VOTE_LIMIT_PER_ADDRESS", "1000000000")
        .env("VOTE_NETWORK_QUOTA", "1000000000")
        .env("VERDICTS_API_COST_BUDGET", "0")
        .env("ANOMALY_SCAN_SECS", "0")
        .env("SCORE_HISTORY_SECS", "0")
        .env("VERDICTS_CACHE_MB", cache_mb.to_string())
        // A backtrace captured for every logged error (an inherited
        // RUST_BACKTRACE=1) costs the overloaded server CPU and floods the log.
        .env("RUST_BACKTRACE", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .context("start the release server (make bench builds it)")
}

/// The limit server (`bench --limit`), pinned as the real server is.
fn serve_limit(table: &Path, port: u16, options: &Options) -> Result<Child> {
    pinned(
        &std::env::current_exe().context("the bench binary")?,
        options.server_cpus.as_deref(),
    )
    .arg("--limit")
    .arg(table)
    .arg("--port")
    .arg(port.to_string())
    .stdout(Stdio::null())
    .kill_on_drop(true)
    .spawn()
    .context("start the limit server")
}

/// Polls `url` until it answers 200; the time from `started`.
async fn first_ok(client: &reqwest::Client, url: &str, started: Instant) -> Result<Duration> {
    for _ in 0..20_000 {
        if let Ok(response) = client.get(url).send().await {
            if response.status().is_success() {
                return Ok(started.elapsed());
            }
        }
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    bail!("{url} never answered")
}

/// A line of `/proc/<pid>/status` in MB (`VmHWM`, `VmRSS`).
fn memory_mb(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
}

async fn metrics_text(client: &reqwest::Client, base: &str) -> Result<String> {
    Ok(client
        .get(format!("{base}/metrics"))
        .send()
        .await?
        .text()
        .await?)
}

/// The value of the `/metrics` line that starts with `series` (0 when absent).
async fn metric(client: &reqwest::Client, base: &str, series: &str) -> Result<u64> {
    Ok(metrics_text(client, base)
        .await?
        .lines()
        .find_map(|l| l.strip_prefix(series))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0))
}

/// The response cache's size in bytes, if `/metrics` shows it: the first
/// `verdicts_cache_…_bytes` series that is not a budget or a limit.
async fn cache_bytes(client: &reqwest::Client, base: &str) -> Result<Option<(String, f64)>> {
    Ok(metrics_text(client, base).await?.lines().find_map(|line| {
        let (name, value) = line.split_once(' ')?;
        let series = name.split('{').next()?;
        let wanted = series.starts_with("verdicts_cache_")
            && series.ends_with("_bytes")
            && !["budget", "limit", "capacity", "max"]
                .iter()
                .any(|w| series.contains(w));
        wanted.then(|| Some((name.to_owned(), value.trim().parse().ok()?)))?
    }))
}

/// CPU time (user + system) of process `pid`, in clock ticks.
fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name may hold spaces; the fields after it do not.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// Connections on the local `ports` whose client has gone but which the
/// server has not closed yet (CLOSE_WAIT): requests it is still working on.
fn abandoned_connections(ports: &[u16]) -> usize {
    let Ok(table) = std::fs::read_to_string("/proc/net/tcp") else {
        return 0;
    };
    table
        .lines()
        .skip(1)
        .filter(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let port = fields
                .get(1)
                .and_then(|a| a.rsplit_once(':'))
                .and_then(|(_, p)| u16::from_str_radix(p, 16).ok());
            fields.get(3) == Some(&"08") && port.is_some_and(|p| ports.contains(&p))
        })
        .count()
}

/// Waits (up to two minutes) until the servers `pids` listening on `ports`
/// are idle: an overloaded server keeps working on the requests it had
/// accepted after the load stopped (some of them waiting on timers, using
/// no CPU meanwhile), and that work must not land in the next run. Idle is
/// no abandoned connection and no CPU used for a second.
async fn settle(pids: &[u32], ports: &[u16]) -> Duration {
    let started = Instant::now();
    let mut quiet = 0;
    while quiet < 4 && started.elapsed() < Duration::from_secs(120) {
        let before: Vec<Option<u64>> = pids.iter().map(|&p| cpu_ticks(p)).collect();
        tokio::time::sleep(Duration::from_millis(250)).await;
        let busy = pids
            .iter()
            .zip(&before)
            .any(|(&p, b)| matches!((b, cpu_ticks(p)), (Some(b), Some(a)) if a > b + 2));
        if busy || abandoned_connections(ports) > 0 {
            quiet = 0;
        } else {
            quiet += 1;
        }
    }
    started.elapsed()
}

/// SQL statements the server has executed.
async fn statements(client: &reqwest::Client, base: &str) -> Result<u64> {
    metric(client, base, "verdicts_sql_statements_total ").await
}

/// Successful `BenchVote` requests the server answered.
async fn votes_answered(client: &reqwest::Client, base: &str) -> Result<u64> {
    metric(
        client,
        base,
        "verdicts_graphql_requests_total{operation=\"BenchVote\",status=\"200\"} ",
    )
    .await
}

/// One wrk run's figures.
#[derive(Debug, Clone, Default)]
struct Run {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    requests: u64,
    errors: u64,
    accepted: Option<u64>,
}

fn millis(text: &str) -> Option<f64> {
    let text = text.trim();
    let (number, factor) = if let Some(n) = text.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1000.0)
    } else {
        (text, 1.0)
    };
    number.parse::<f64>().ok().map(|n| n * factor)
}

fn parse_wrk(output: &str) -> Result<Run> {
    let mut run = Run::default();
    for line in output.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["50%", value] => run.p50_ms = millis(value).unwrap_or(0.0),
            ["99%", value] => run.p99_ms = millis(value).unwrap_or(0.0),
            ["Requests/sec:", value] => run.rps = value.parse().unwrap_or(0.0),
            [count, "requests", "in", ..] => run.requests = count.parse().unwrap_or(0),
            ["Non-2xx", "or", "3xx", "responses:", count] => {
                run.errors += count.parse().unwrap_or(0)
            }
            ["Socket", "errors:", ..] => {
                run.errors += words
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>()
            }
            ["ACCEPTED", accepted, "REFUSED", _refused] => run.accepted = accepted.parse().ok(),
            _ => {}
        }
    }
    if run.rps == 0.0 {
        bail!("wrk printed no throughput:\n{output}");
    }
    Ok(run)
}

async fn wrk(url: &str, script: Option<&Path>, options: &Options) -> Result<Run> {
    let mut command = pinned(Path::new("wrk"), options.client_cpus.as_deref());
    command
        .arg(format!("-t{}", options.wrk_threads))
        .arg(format!("-c{}", options.connections))
        .arg(format!("-d{}s", options.secs))
        .arg("--latency");
    if let Some(script) = script {
        command.arg("-s").arg(script);
    }
    let output = command
        .arg(url)
        .output()
        .await
        .context("run wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    if !output.status.success() {
        bail!(
            "wrk failed: {text}{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    parse_wrk(&text)
}

fn post_script(body: &Value) -> String {
    format!(
        "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = [==[{}]==]\n",
        body
    )
}

/// castVote on a random tool from a fresh reader (no cookie) each time; counts
/// the answers that accepted the vote.
fn vote_script(tools: &[String]) -> String {
    let list = tools
        .iter()
        .map(|t| format!("\"{t}\""))
        .collect::<Vec<_>>()
        .join(",");
    format!(
        r#"local tools = {{{list}}}
local threads = {{}}
function setup(thread) table.insert(threads, thread) end
function init(args)
  accepted = 0
  refused = 0
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end
function request()
  local tool = tools[math.random(#tools)]
  local verdict = "SHIP"
  if math.random(2) == 1 then verdict = "SKIP" end
  local body = '{{"query":"mutation BenchVote($t: String!, $v: Verdict!) {{ castVote(tool: $t, verdict: $v) {{ total }} }}","variables":{{"t":"' .. tool .. '","v":"' .. verdict .. '"}}}}'
  return wrk.format("POST", "/graphql", {{["Content-Type"] = "application/json"}}, body)
end
function response(status, headers, body)
  if status == 200 and not string.find(body, '"errors"', 1, true) then
    accepted = accepted + 1
  else
    refused = refused + 1
  end
end
function done(summary, latency, requests)
  local a, r = 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("accepted")
    r = r + t:get("refused")
  end
  io.write(string.format("ACCEPTED %d REFUSED %d\n", a, r))
end
"#
    )
}

/// Votes sent in the closed-loop exactness check.
const EXACT_VOTES: u64 = 5_000;

/// The workloads profiled after the rounds: those the engine's speed bounds.
const PROFILED: [&str; 5] = ["page:off", "compare:off", "tools:off", "vote", "mix"];

/// Sends [`EXACT_VOTES`] votes, `connections` at a time, each from a new reader (no
/// cookie); how many were accepted.
async fn exact_votes(base: &str, tools: &[String], connections: usize) -> Result<u64> {
    use futures::StreamExt;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let url = format!("{base}/graphql");
    let accepted = futures::stream::iter(0..EXACT_VOTES)
        .map(|i| {
            let client = client.clone();
            let url = url.clone();
            let tool = tools[(i as usize * 7919) % tools.len()].clone();
            async move {
                let body = json!({
                    "query": "mutation BenchVote($t: String!, $v: Verdict!) { castVote(tool: $t, verdict: $v) { total } }",
                    "variables": { "t": tool, "v": if i % 3 == 0 { "SKIP" } else { "SHIP" } },
                });
                let answer: Value = client.post(&url).json(&body).send().await.ok()?.json().await.ok()?;
                answer["errors"].is_null().then_some(())
            }
        })
        .buffer_unordered(connections)
        .filter_map(|ok| async move { ok })
        .count()
        .await;
    Ok(accepted as u64)
}

/// Figures over the rounds: the median and the range.
fn summary(values: &[f64]) -> (f64, f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(|a, b| a.total_cmp(b));
    let median = sorted[sorted.len() / 2];
    (median, sorted[0], sorted[sorted.len() - 1])
}

fn compressed(path: &Path, program: &str, args: &[&str]) -> Result<u64> {
    let output = std::process::Command::new(program)
        .args(args)
        .arg(path)
        .output()
        .with_context(|| format!("run {program}"))?;
    Ok(output.stdout.len() as u64)
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        })
        .unwrap_or_default();
    let cores = std::fs::read_to_string("/proc/cpuinfo").map_or(0, |c| {
        c.lines().filter(|l| l.starts_with("processor")).count()
    });
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024 / 1024);
    let run = |program: &str, arg: &str| {
        std::process::Command::new(program)
            .arg(arg)
            .output()
            .map(|o| {
                let text = String::from_utf8_lossy(&o.stdout).to_string()
                    + &String::from_utf8_lossy(&o.stderr);
                text.lines().next().unwrap_or("").trim().to_owned()
            })
            .unwrap_or_default()
    };
    format!(
        "{cores} cores ({cpu}), {memory} GiB; {}; {}; {}",
        run("uname", "-sr"),
        run("rustc", "-V"),
        run("wrk", "-v"),
    )
}

async fn count_votes(client: &reqwest::Client, base: &str) -> Result<u64> {
    // The public API has no vote total; sum every tool's community tally.
    let mut total = 0u64;
    let mut after: Option<String> = None;
    loop {
        let body = json!({
            "query": "query($after: String) { tools(first: 100, after: $after) { nodes { community { total } } pageInfo { hasNextPage endCursor } } }",
            "variables": { "after": after },
        });
        let answer: Value = client
            .post(format!("{base}/graphql"))
            .json(&body)
            .send()
            .await?
            .json()
            .await?;
        let page = &answer["data"]["tools"];
        for node in page["nodes"].as_array().context("tools")? {
            total += node["community"]["total"].as_u64().unwrap_or(0);
        }
        if page["pageInfo"]["hasNextPage"].as_bool() != Some(true) {
            return Ok(total);
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

/// How a workload is driven.
enum Driver {
    /// wrk on `url`, with a Lua script for POSTs.
    Wrk {
        url: String,
        script: Option<PathBuf>,
    },
    /// The load generator on `address`, sending `plan`, whose classes below
    /// `reads` are reads.
    Mix {
        address: SocketAddr,
        plan: Arc<load::Plan>,
        reads: usize,
    },
}

struct Workload {
    name: &'static str,
    driver: Driver,
}

/// One run of the mix.
#[derive(Debug, Clone, Default)]
struct MixRun {
    reads_rps: f64,
    reads_p50_ms: f64,
    reads_p99_ms: f64,
    votes_rps: f64,
    votes_p99_ms: f64,
    read_errors: u64,
    vote_errors: u64,
    /// Reads still unanswered when the run ended.
    reads_unfinished: u64,
    /// Per shape: answers per second, p50 and p99 in ms.
    shapes: Vec<(f64, f64, f64)>,
    /// The cache's size as `/metrics` shows it (series, bytes), and the
    /// server's resident memory, both read right after the run.
    cache: Option<(String, f64)>,
    rss_mb: f64,
    /// The share of the cacheable requests the cache answered during the
    /// run (`verdicts_cache_hits_total` against `…_misses_total`).
    hit_share: Option<f64>,
    /// The share of those misses whose answer was kept but had read
    /// something a write changed since (`verdicts_cache_stale_total`).
    stale_share: Option<f64>,
}

impl MixRun {
    fn of(outcome: &load::Outcome, shapes: usize) -> Self {
        let reads = |i: usize| i < shapes;
        let votes = |i: usize| i == shapes;
        MixRun {
            reads_rps: outcome.rate(reads),
            reads_p50_ms: outcome.quantile_ms(reads, 0.50),
            reads_p99_ms: outcome.quantile_ms(reads, 0.99),
            votes_rps: outcome.rate(votes),
            votes_p99_ms: outcome.quantile_ms(votes, 0.99),
            read_errors: outcome.errors(reads),
            vote_errors: outcome.errors(votes),
            reads_unfinished: outcome.unfinished(reads),
            shapes: (0..shapes)
                .map(|s| {
                    let this = |i: usize| i == s;
                    (
                        outcome.rate(this),
                        outcome.quantile_ms(this, 0.50),
                        outcome.quantile_ms(this, 0.99),
                    )
                })
                .collect(),
            cache: None,
            rss_mb: 0.0,
            hit_share: None,
            stale_share: None,
        }
    }
}

/// Everything measured on one database.
struct Measured {
    engine: &'static str,
    import: Duration,
    rows: Vec<(&'static str, Vec<Run>)>,
    mixes: Vec<(&'static str, Vec<MixRun>)>,
    /// The mix's shapes (name, share per mille), distinct requests, list
    /// length, and reads whose capture was not a success.
    mix_shapes: Vec<(&'static str, u32)>,
    mix_distinct: usize,
    mix_length: usize,
    mix_capture_failures: usize,
    /// Distinct reads captured, and their share of the reads in the list.
    mix_captured: usize,
    mix_captured_share: f64,
    /// Per workload: statements of an answer computed afresh, and per
    /// request while the cache keeps it.
    statements: Vec<(&'static str, f64, f64)>,
    /// Peak RSS of the cached and the uncached server.
    peak_rss_mb: (f64, f64),
    /// Votes wrk saw accepted and the server answered during the runs; then
    /// the closed-loop votes sent and accepted, and what the tallies gained.
    votes_exact: Option<(u64, u64, u64, u64)>,
    cold_fresh_ms: Option<f64>,
    cold_loaded_ms: f64,
    /// The profiled runs (see [`profile`]), or why there are none.
    profiles: Result<Vec<Profiled>, String>,
}

/// One more run of a workload, with `perf` recording the machine.
struct Profiled {
    name: &'static str,
    /// Requests per second (reads and votes, for the mix) in that run.
    rps: f64,
    /// The server's CPU time over the run's length (its one core: ≤ 1).
    busy: f64,
    /// The server's CPU time per request, µs (from `/proc`).
    cpu_us: f64,
    profile: profile::Profile,
    /// The run's length in seconds.
    secs: f64,
}

/// The answer `base` gives to `request`, as the limit server will give it.
async fn capture(
    client: &reqwest::Client,
    base: &str,
    request: &load::Request,
) -> Result<limit::Answer> {
    let url = format!("{base}{}", request.target);
    let builder = if request.method == "POST" {
        client
            .post(url)
            .header("Content-Type", "application/json")
            .body(request.body.clone())
    } else {
        client.get(url)
    };
    let response = builder.send().await?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_owned();
    let body = response.bytes().await?;
    Ok(limit::Answer {
        status,
        content_type,
        body,
    })
}

/// Whether `answer` is a success: a 2xx, without GraphQL errors.
fn succeeded(request: &load::Request, answer: &limit::Answer) -> bool {
    (200..300).contains(&answer.status)
        && (request.method != "POST"
            || !String::from_utf8_lossy(&answer.body).contains("\"errors\""))
}

fn get(target: &str) -> load::Request {
    load::Request {
        method: "GET",
        target: target.to_owned(),
        body: String::new(),
        class: 0,
    }
}

fn post(body: &Value) -> load::Request {
    load::Request {
        method: "POST",
        target: "/graphql".to_owned(),
        body: body.to_string(),
        class: 0,
    }
}

fn address(base: &str) -> Result<SocketAddr> {
    base.trim_start_matches("http://")
        .parse()
        .context("a server address")
}

#[allow(clippy::too_many_arguments)]
async fn measure(
    engine: &'static str,
    database_url: &str,
    dataset: &Path,
    catalogue: &Value,
    tools: &[String],
    options: &Options,
    work: &Path,
) -> Result<Measured> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    eprintln!("[{engine}] importing the catalogue");
    let started = Instant::now();
    let import = Command::new(server_binary())
        .arg("import")
        .arg(dataset)
        .env("DATABASE_URL", database_url)
        .env("RUST_LOG", "warn")
        .output()
        .await?;
    if !import.status.success() {
        bail!("import failed: {}", String::from_utf8_lossy(&import.stderr));
    }
    let import = started.elapsed();

    // Cold start on the loaded database: process start to the comparison page.
    let mut cold = vec![];
    for _ in 0..3 {
        let port = free_port()?;
        let started = Instant::now();
        let mut child = serve(database_url, port, options.cache_mb, options)?;
        let elapsed = first_ok(
            &client,
            &format!("http://127.0.0.1:{port}/compare/{DEMO}"),
            started,
        )
        .await?;
        cold.push(elapsed.as_secs_f64() * 1000.0);
        child.kill().await?;
    }
    let cold_loaded_ms = summary(&cold).0;

    // Two servers on the same database and the same CPU, one with its cache
    // and one without: only the one under load runs, so rounds can alternate
    // every workload without restarts between them.
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve(database_url, port, options.cache_mb, options)?;
    let pid = server.id().context("the server's pid")?;
    first_ok(&client, &format!("{base}/healthz"), Instant::now()).await?;
    let port = free_port()?;
    let uncached_base = format!("http://127.0.0.1:{port}");
    let mut uncached = serve(database_url, port, 0, options)?;
    let uncached_pid = uncached.id().context("the uncached server's pid")?;
    first_ok(&client, &format!("{uncached_base}/healthz"), Instant::now()).await?;

    let compare =
        json!({ "query": COMPARE, "operationName": "Compare", "variables": { "slug": DEMO } });
    let tools_query =
        json!({ "query": TOOLS, "operationName": "Tools", "variables": { "first": 50 } });

    // The limit server's table: each workload's answer as captured.
    let mut table = limit::Table::default();
    let page_request = get(&format!("/compare/{DEMO}"));
    let page = capture(&client, &base, &page_request).await?;
    let page_len = page.body.len();
    for request in [&page_request, &post(&compare), &post(&tools_query)] {
        let answer = capture(&client, &base, request).await?;
        if !succeeded(request, &answer) {
            bail!(
                "{} {} answered {}",
                request.method,
                request.target,
                answer.status
            );
        }
        let index = table.answer(answer);
        table.route(request.method, &request.target, &request.body, index);
    }
    let baseline = site_root().join("bench-baseline.html");
    std::fs::write(&baseline, vec![b'x'; page_len])?;

    // The mix: its reads captured from the uncached server (the cached one
    // starts cold), every vote answered as one real vote was.
    eprintln!("[{engine}] capturing the mix's answers");
    let mut rng = generate::Rng::new(SEED ^ 0x006d_6978);
    let shapes = mix::shapes(catalogue, options.mix.ad_hoc_pairs, &mut rng)?;
    let plan = Arc::new(mix::plan(&shapes, tools, options.mix, SEED));
    let vote_class = shapes.len();
    let vote_answer = {
        let vote = match plan.requests.iter().find(|r| r.class == vote_class) {
            Some(vote) => vote.clone(),
            None => {
                let tool = tools
                    .first()
                    .context("the catalogue has no tool to vote on")?;
                post(
                    &json!({ "query": mix::VOTE, "operationName": "MixVote", "variables": { "t": tool, "v": "SHIP" } }),
                )
            }
        };
        table.answer(capture(&client, &base, &vote).await?)
    };
    // An uncached page of the large catalogue can take today's engine
    // hundreds of milliseconds, so capturing every distinct read would take
    // longer than the bench: the most read requests of each shape are
    // captured, and every other read of that shape is answered with one of
    // them (bytes of the same kind and about the same size).
    let mut reads_of = vec![0usize; plan.requests.len()];
    for &i in &plan.order {
        reads_of[i as usize] += 1;
    }
    let total_reads: usize = plan
        .order
        .iter()
        .filter(|&&i| plan.requests[i as usize].class != vote_class)
        .count();
    let mut by_shape: Vec<Vec<usize>> = vec![vec![]; vote_class];
    for (i, request) in plan.requests.iter().enumerate() {
        if request.class != vote_class {
            by_shape[request.class].push(i);
        }
    }
    let mut to_capture = vec![];
    for list in &mut by_shape {
        list.sort_by_key(|&i| (std::cmp::Reverse(reads_of[i]), i));
        to_capture.extend(list.iter().take(options.capture_per_shape).copied());
    }
    let captured_reads: usize = to_capture.iter().map(|&i| reads_of[i]).sum();
    let mut capture_failures = 0;
    {
        use futures::StreamExt;
        let answers: Vec<(usize, Result<limit::Answer>)> = futures::stream::iter(&to_capture)
            .map(|&i| {
                let client = &client;
                let uncached_base = &uncached_base;
                let request = &plan.requests[i];
                async move {
                    // An overloaded server may answer 503 or a GraphQL error
                    // (a pool timeout); the limit must serve a real answer.
                    let mut answer = capture(client, uncached_base, request).await;
                    for _ in 0..3 {
                        match &answer {
                            Ok(a) if !succeeded(request, a) => {
                                tokio::time::sleep(Duration::from_millis(500)).await;
                                answer = capture(client, uncached_base, request).await;
                            }
                            _ => break,
                        }
                    }
                    (i, answer)
                }
            })
            .buffer_unordered(2)
            .collect()
            .await;
        let mut answer_of = std::collections::HashMap::new();
        for (i, answer) in answers {
            let answer = answer?;
            let request = &plan.requests[i];
            if !succeeded(request, &answer) {
                capture_failures += 1;
                if capture_failures <= 5 {
                    eprintln!(
                        "[{engine}] mix: {} {} answered {}",
                        request.method, request.target, answer.status
                    );
                }
            }
            answer_of.insert(i, table.answer(answer));
        }
        for list in &by_shape {
            let captured: Vec<usize> = list
                .iter()
                .take(options.capture_per_shape)
                .map(|i| answer_of[i])
                .collect();
            for (rank, &i) in list.iter().enumerate() {
                let request = &plan.requests[i];
                let index = answer_of
                    .get(&i)
                    .copied()
                    .unwrap_or(captured[rank % captured.len()]);
                table.route(request.method, &request.target, &request.body, index);
            }
        }
        for request in plan.requests.iter().filter(|r| r.class == vote_class) {
            table.route(request.method, &request.target, &request.body, vote_answer);
        }
    }
    let table_path = work.join("limit-table.json");
    table.write(&table_path)?;
    let limit_port = free_port()?;
    let limit_base = format!("http://127.0.0.1:{limit_port}");
    let mut limit_server = serve_limit(&table_path, limit_port, options)?;
    let limit_pid = limit_server.id().context("the limit server's pid")?;
    first_ok(
        &client,
        &format!("{limit_base}/compare/{DEMO}"),
        Instant::now(),
    )
    .await?;

    let compare_script = work.join("compare.lua");
    std::fs::write(&compare_script, post_script(&compare))?;
    let tools_script = work.join("tools.lua");
    std::fs::write(&tools_script, post_script(&tools_query))?;
    let vote_lua = work.join("vote.lua");
    std::fs::write(&vote_lua, vote_script(tools))?;
    let wrk_on = |name: &'static str, base: &str, path: &str, script: Option<&PathBuf>| Workload {
        name,
        driver: Driver::Wrk {
            url: format!("{base}{path}"),
            script: script.cloned(),
        },
    };
    let page_path = format!("/compare/{DEMO}");
    let workloads = [
        wrk_on("limit:page", &limit_base, &page_path, None),
        wrk_on(
            "limit:compare",
            &limit_base,
            "/graphql",
            Some(&compare_script),
        ),
        wrk_on("limit:tools", &limit_base, "/graphql", Some(&tools_script)),
        Workload {
            name: "limit:mix",
            driver: Driver::Mix {
                address: address(&limit_base)?,
                plan: plan.clone(),
                reads: vote_class,
            },
        },
        // The mix's limit is only a limit if the load generator is not
        // slower than the server it drives: it runs the page's limit too,
        // to be compared with wrk's figure.
        Workload {
            name: "limit:page:generator",
            driver: Driver::Mix {
                address: address(&limit_base)?,
                plan: Arc::new(load::Plan {
                    requests: vec![get(&page_path)],
                    order: vec![0],
                }),
                reads: 1,
            },
        },
        wrk_on("static", &base, "/bench-baseline.html", None),
        wrk_on("page", &base, &page_path, None),
        wrk_on("compare", &base, "/graphql", Some(&compare_script)),
        wrk_on("tools", &base, "/graphql", Some(&tools_script)),
        wrk_on("page:off", &uncached_base, &page_path, None),
        wrk_on(
            "compare:off",
            &uncached_base,
            "/graphql",
            Some(&compare_script),
        ),
        wrk_on("tools:off", &uncached_base, "/graphql", Some(&tools_script)),
        wrk_on("vote", &base, "/graphql", Some(&vote_lua)),
        Workload {
            name: "mix",
            driver: Driver::Mix {
                address: address(&base)?,
                plan: plan.clone(),
                reads: vote_class,
            },
        },
    ];

    // Statements per request, each workload alone and sequential: a request
    // never seen before (a GraphQL comment or a query parameter makes it new)
    // is rendered afresh; a warmed one is served from the cache.
    let fresh = |name: &str| -> Result<reqwest::RequestBuilder> {
        let with_comment = |body: &Value| -> Value {
            let mut body = body.clone();
            let query = body["query"].as_str().unwrap_or_default().to_owned();
            body["query"] = Value::String(format!("{query}\n# fresh"));
            body
        };
        Ok(match name {
            "page" => client.get(format!("{base}/compare/{DEMO}?fresh")),
            "compare" => client
                .post(format!("{base}/graphql"))
                .json(&with_comment(&compare)),
            _ => client
                .post(format!("{base}/graphql"))
                .json(&with_comment(&tools_query)),
        })
    };
    let mut statement_counts = vec![];
    for (name, request) in [
        ("page", client.get(format!("{base}/compare/{DEMO}"))),
        (
            "compare",
            client.post(format!("{base}/graphql")).json(&compare),
        ),
        (
            "tools",
            client.post(format!("{base}/graphql")).json(&tools_query),
        ),
    ] {
        const SAMPLES: u64 = 20;
        let send = |request: reqwest::RequestBuilder| async {
            let response = request.send().await?;
            if !response.status().is_success() {
                bail!("{name} answered {}", response.status());
            }
            response.bytes().await?;
            Ok(())
        };
        let before = statements(&client, &base).await?;
        send(fresh(name)?).await?;
        let uncached = statements(&client, &base).await? - before;
        let request = request.build()?;
        for _ in 0..2 {
            send(reqwest::RequestBuilder::from_parts(
                client.clone(),
                request.try_clone().context("clone")?,
            ))
            .await?;
        }
        let before = statements(&client, &base).await?;
        for _ in 0..SAMPLES {
            send(reqwest::RequestBuilder::from_parts(
                client.clone(),
                request.try_clone().context("clone")?,
            ))
            .await?;
        }
        let cached = statements(&client, &base).await? - before;
        statement_counts.push((name, uncached as f64, cached as f64 / SAMPLES as f64));
    }

    let mix_run = |address: SocketAddr, plan: &Arc<load::Plan>, secs: u32| {
        load::run(
            address,
            plan.clone(),
            vote_class + 1,
            options.connections as usize,
            Duration::from_secs(secs.into()),
            options.client_cpus.clone(),
        )
    };
    // The cached server meets the mix warm, as it would in service.
    eprintln!("[{engine}] warming the cache with the mix");
    mix_run(address(&base)?, &plan, options.secs.min(5)).await?;
    let servers = [pid, uncached_pid, limit_pid];
    let ports = [
        address(&base)?.port(),
        address(&uncached_base)?.port(),
        limit_port,
    ];
    let waited = settle(&servers, &ports).await;
    eprintln!(
        "[{engine}] the servers were idle {:.1} s after the warm-up",
        waited.as_secs_f64()
    );

    let answered_before = votes_answered(&client, &base).await?;
    let mut runs: Vec<(&'static str, Vec<Run>)> = vec![];
    let mut mixes: Vec<(&'static str, Vec<MixRun>)> = vec![];
    for workload in &workloads {
        match workload.driver {
            Driver::Wrk { .. } => runs.push((workload.name, vec![])),
            Driver::Mix { .. } => mixes.push((workload.name, vec![])),
        }
    }
    for round in 0..options.rounds {
        for i in 0..workloads.len() {
            let workload = &workloads[(i + round as usize) % workloads.len()];
            if options
                .only
                .as_ref()
                .is_some_and(|only| !only.iter().any(|w| w == workload.name))
            {
                continue;
            }
            eprintln!(
                "[{engine}] round {} / {}: {}",
                round + 1,
                options.rounds,
                workload.name
            );
            match &workload.driver {
                Driver::Wrk { url, script } => {
                    let run = wrk(url, script.as_deref(), options).await?;
                    if let Some((_, list)) = runs.iter_mut().find(|(n, _)| *n == workload.name) {
                        list.push(run);
                    }
                }
                Driver::Mix {
                    address,
                    plan,
                    reads,
                } => {
                    // One read of `/metrics`: hits, misses, stale misses.
                    let looked_up = || async {
                        let text = metrics_text(&client, &base).await?;
                        let series = |name: &str| -> u64 {
                            text.lines()
                                .find_map(|l| l.strip_prefix(name)?.strip_prefix(' '))
                                .and_then(|n| n.trim().parse().ok())
                                .unwrap_or(0)
                        };
                        Ok::<_, anyhow::Error>((
                            series("verdicts_cache_hits_total"),
                            series("verdicts_cache_misses_total"),
                            series("verdicts_cache_stale_total"),
                        ))
                    };
                    let before = if workload.name == "mix" {
                        looked_up().await?
                    } else {
                        (0, 0, 0)
                    };
                    let outcome = mix_run(*address, plan, options.secs).await?;
                    let mut run = MixRun::of(&outcome, *reads);
                    if workload.name == "mix" {
                        run.cache = cache_bytes(&client, &base).await?;
                        run.rss_mb = memory_mb(pid, "VmRSS").unwrap_or(0.0);
                        let after = looked_up().await?;
                        let (hits, misses, stale) =
                            (after.0 - before.0, after.1 - before.1, after.2 - before.2);
                        run.hit_share =
                            (hits + misses > 0).then(|| hits as f64 / (hits + misses) as f64);
                        run.stale_share = (misses > 0).then(|| stale as f64 / misses as f64);
                        eprintln!(
                            "[{engine}] mix: {:.0} reads/s, {hits} answers from the cache, {misses} not ({stale} of them kept but changed since)",
                            run.reads_rps
                        );
                    }
                    if let Some((_, list)) = mixes.iter_mut().find(|(n, _)| *n == workload.name) {
                        list.push(run);
                    }
                }
            }
            let waited = settle(&servers, &ports).await;
            if waited > Duration::from_secs(2) {
                eprintln!(
                    "[{engine}] waited {:.1} s for the servers to go idle",
                    waited.as_secs_f64()
                );
            }
        }
    }
    // One more run of each workload that misses its target (not counted
    // above), with perf recording where every CPU's time goes.
    let profiles = if !options.profile {
        Err("not asked for (BENCH_PROFILE=0)".to_owned())
    } else if !profile::available(work).await {
        Err("`perf` is not installed or not allowed here (apt-get install linux-perf)".to_owned())
    } else {
        let mut profiled = vec![];
        for name in PROFILED {
            let Some(workload) = workloads.iter().find(|w| w.name == name) else {
                continue;
            };
            if options
                .only
                .as_ref()
                .is_some_and(|only| !only.iter().any(|w| w == name))
            {
                continue;
            }
            eprintln!("[{engine}] profiling {name}");
            let server_pid = if name.ends_with(":off") {
                uncached_pid
            } else {
                pid
            };
            let data = work.join(format!("perf-{}.data", name.replace(':', "-")));
            let mut server_threads = profile::threads(server_pid);
            let mut load_threads = profile::threads(std::process::id());
            let length = Duration::from_secs(options.secs.into());
            let ticks = cpu_ticks(server_pid).unwrap_or(0);
            let recorder = profile::record(&data, length)?;
            let started = Instant::now();
            let rps = match &workload.driver {
                Driver::Wrk { url, script } => wrk(url, script.as_deref(), options).await?.rps,
                Driver::Mix {
                    address,
                    plan,
                    reads,
                } => {
                    let run = MixRun::of(&mix_run(*address, plan, options.secs).await?, *reads);
                    run.reads_rps + run.votes_rps
                }
            };
            let elapsed = started.elapsed().as_secs_f64();
            // SAFETY: sysconf only reads a constant of the system.
            let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as f64;
            let cpu = cpu_ticks(server_pid).unwrap_or(0).saturating_sub(ticks) as f64 / per_second;
            server_threads.extend(profile::threads(server_pid));
            load_threads.extend(profile::threads(std::process::id()));
            let output = recorder.wait_with_output().await?;
            if !output.status.success() {
                bail!(
                    "perf record failed: {}",
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            let profile = profile::read(&data, &server_threads, &load_threads).await?;
            let _ = std::fs::remove_file(&data);
            profiled.push(Profiled {
                name,
                rps,
                busy: cpu / elapsed,
                cpu_us: cpu / (rps * elapsed).max(1.0) * 1e6,
                profile,
                secs: elapsed,
            });
            settle(&servers, &ports).await;
        }
        Ok(profiled)
    };

    // wrk stops with requests in flight, whose votes count but whose answers
    // it never reads; exactness is checked in a closed loop instead: a known
    // number of votes from concurrent new readers, every answer read.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let answered = votes_answered(&client, &base).await? - answered_before;
    let exact_before = count_votes(&client, &base).await?;
    let sent = exact_votes(&base, tools, options.connections as usize).await?;
    let exact_after = count_votes(&client, &base).await?;
    let accepted: u64 = runs
        .iter()
        .find(|(name, _)| *name == "vote")
        .map(|(_, runs)| runs.iter().filter_map(|r| r.accepted).sum())
        .unwrap_or(0);
    let peak_rss_mb = (
        memory_mb(pid, "VmHWM").unwrap_or(0.0),
        memory_mb(uncached_pid, "VmHWM").unwrap_or(0.0),
    );
    server.kill().await?;
    uncached.kill().await?;
    limit_server.kill().await?;
    let _ = std::fs::remove_file(&baseline);

    // Cold start on a fresh SQLite file (migrations run, nothing to load).
    let cold_fresh_ms = if engine == "SQLite" {
        let mut fresh = vec![];
        for i in 0..3 {
            let path = work.join(format!("fresh-{i}.db"));
            let _ = std::fs::remove_file(&path);
            let port = free_port()?;
            let started = Instant::now();
            let mut child = serve(
                &format!("sqlite://{}?mode=rwc", path.display()),
                port,
                options.cache_mb,
                options,
            )?;
            let elapsed = first_ok(&client, &format!("http://127.0.0.1:{port}/"), started).await?;
            fresh.push(elapsed.as_secs_f64() * 1000.0);
            child.kill().await?;
        }
        Some(summary(&fresh).0)
    } else {
        None
    };

    Ok(Measured {
        engine,
        import,
        rows: runs,
        mixes,
        mix_shapes: shapes.iter().map(|s| (s.name, s.share)).collect(),
        mix_distinct: plan
            .requests
            .iter()
            .filter(|r| r.class != vote_class)
            .count(),
        mix_length: plan.order.len(),
        mix_capture_failures: capture_failures,
        mix_captured: to_capture.len(),
        mix_captured_share: captured_reads as f64 / total_reads.max(1) as f64,
        statements: statement_counts,
        peak_rss_mb,
        votes_exact: Some((accepted, answered, sent, exact_after - exact_before)),
        cold_fresh_ms,
        cold_loaded_ms,
        profiles,
    })
}

fn mark(ok: bool) -> &'static str {
    if ok {
        "met"
    } else {
        "**missed**"
    }
}

/// The medians of a wrk workload's runs: requests/s (and its range), p50,
/// p99 (and its worst), errors.
struct Medians {
    rps: f64,
    low: f64,
    high: f64,
    p50: f64,
    p99: f64,
    p99_worst: f64,
    errors: u64,
}

fn medians(runs: &[Run]) -> Option<Medians> {
    if runs.is_empty() {
        return None;
    }
    let (rps, low, high) = summary(&runs.iter().map(|r| r.rps).collect::<Vec<_>>());
    let (p50, _, _) = summary(&runs.iter().map(|r| r.p50_ms).collect::<Vec<_>>());
    let (p99, _, p99_worst) = summary(&runs.iter().map(|r| r.p99_ms).collect::<Vec<_>>());
    Some(Medians {
        rps,
        low,
        high,
        p50,
        p99,
        p99_worst,
        errors: runs.iter().map(|r| r.errors).sum(),
    })
}

fn report(measured: &[Measured], options: &Options, size: &str) -> Result<String> {
    let mut out = String::new();
    writeln!(out, "# Verdicts benchmark report\n")?;
    let pinning = match (&options.server_cpus, &options.client_cpus) {
        (Some(server), Some(client)) => format!(
            "servers (the real ones and the limit) pinned to CPU {server}, wrk ({} thread(s)) and the mix's load generator to CPU {client}",
            options.wrk_threads
        ),
        _ => format!(
            "nothing pinned, wrk with {} thread(s) on the same machine as the server",
            options.wrk_threads
        ),
    };
    writeln!(
        out,
        "Command: `{}make bench` ({} s per run, {} round(s), {} connections; {pinning}). Catalogue: {size}, seed {SEED}. The cached server has `--cache-mb {}`, the uncached one `--cache-mb 0`; both run on the same database, only the one under load is busy.\n",
        if measured.len() > 1 { "BENCH_PG=1 " } else { "" },
        options.secs,
        options.rounds,
        options.connections,
        options.cache_mb,
    )?;
    writeln!(out, "Machine: {}\n", machine())?;
    writeln!(
        out,
        "**The limit** is a minimal axum server (`bench --limit`, pinned like the real server) that answers each workload's requests with the exact status, content type and body the real server gave them, from memory: the most any server could do for that traffic here. Every workload is reported as a share of its own limit; the `ServeDir` static file of the page's size is a second reference.\n"
    )?;
    for m in measured {
        writeln!(out, "## {}\n", m.engine)?;
        writeln!(
            out,
            "Import of the catalogue: {:.1} s.\n",
            m.import.as_secs_f64()
        )?;
        let row = |name: &str| {
            m.rows
                .iter()
                .find(|(n, _)| *n == name)
                .and_then(|(_, runs)| medians(runs))
        };
        let static_rps = row("static").map_or(f64::NAN, |s| s.rps);
        writeln!(out, "| workload | server | requests/s (median, range) | its limit, requests/s | vs limit | vs static file | p50 ms | p99 ms (worst) | errors | target |")?;
        writeln!(out, "|---|---|---|---|---|---|---|---|---|---|")?;
        // (workload, label, its limit, the share of the limit it must reach)
        let workloads: [(&str, &str, &str, Option<f64>); 9] = [
            (
                "static",
                "static file of the page's size (`ServeDir`)",
                "limit:page",
                None,
            ),
            (
                "page",
                "1. `GET /compare/<demo>` (SSR)",
                "limit:page",
                Some(0.50),
            ),
            (
                "compare",
                "2. `POST /graphql` Compare",
                "limit:compare",
                Some(0.50),
            ),
            (
                "tools",
                "3. `POST /graphql` Tools(first: 50)",
                "limit:tools",
                Some(0.50),
            ),
            (
                "page:off",
                "1. `GET /compare/<demo>` (SSR)",
                "limit:page",
                Some(0.05),
            ),
            (
                "compare:off",
                "2. `POST /graphql` Compare",
                "limit:compare",
                Some(0.08),
            ),
            (
                "tools:off",
                "3. `POST /graphql` Tools(first: 50)",
                "limit:tools",
                Some(0.02),
            ),
            ("vote", "4. `castVote`, a new reader each", "", None),
            ("limit:page", "limit: the page's bytes", "", None),
        ];
        for (name, label, limit_name, target) in workloads {
            let Some(figures) = row(name) else { continue };
            let limit = row(limit_name).map(|l| l.rps);
            let server = if name.starts_with("limit") {
                "limit"
            } else if name.ends_with(":off") {
                "cache off"
            } else {
                "cache on"
            };
            let ratio = limit.map(|l| figures.rps / l);
            let target = match (name, target) {
                ("vote", _) => format!("≥ 2,000/s: {}", mark(figures.rps >= 2_000.0)),
                ("static", _) => "second reference".to_owned(),
                (_, Some(share)) => format!(
                    "≥ {:.0} % and p99 ≤ 20 ms: {}",
                    share * 100.0,
                    mark(ratio.is_some_and(|r| r >= share) && figures.p99 <= 20.0)
                ),
                _ => "the ceiling".to_owned(),
            };
            writeln!(
                out,
                "| {label} | {server} | {:.0} ({:.0}–{:.0}) | {} | {} | {:.0} % | {:.2} | {:.2} ({:.2}) | {} | {target} |",
                figures.rps,
                figures.low,
                figures.high,
                limit.map_or("–".to_owned(), |l| format!("{l:.0}")),
                ratio.map_or("–".to_owned(), |r| format!("{:.1} %", r * 100.0)),
                figures.rps / static_rps * 100.0,
                figures.p50,
                figures.p99,
                figures.p99_worst,
                figures.errors,
            )?;
        }
        for name in ["limit:compare", "limit:tools"] {
            if let Some(figures) = row(name) {
                writeln!(
                    out,
                    "| limit: the {} answer's bytes | limit | {:.0} ({:.0}–{:.0}) | – | – | {:.0} % | {:.2} | {:.2} ({:.2}) | {} | the ceiling |",
                    name.trim_start_matches("limit:"),
                    figures.rps,
                    figures.low,
                    figures.high,
                    figures.rps / static_rps * 100.0,
                    figures.p50,
                    figures.p99,
                    figures.p99_worst,
                    figures.errors,
                )?;
            }
        }
        writeln!(out)?;
        mix_report(&mut out, m, options)?;
        if let Some((seen, answered, sent, counted)) = m.votes_exact {
            writeln!(
                out,
                "Votes: during the wrk runs the server answered {answered} castVote requests with success ({seen} of the answers reached wrk before it stopped). Then {EXACT_VOTES} votes from {} concurrent new readers: {sent} accepted, the tallies grew by {counted}: {}.\n",
                options.connections,
                if sent == EXACT_VOTES && counted == EXACT_VOTES { "every vote counted exactly" } else { "**MISMATCH**" }
            )?;
        }
        let (cached_rss, uncached_rss) = m.peak_rss_mb;
        writeln!(
            out,
            "Server peak RSS (VmHWM) over the run: {cached_rss:.1} MB with the cache (every workload but the uncached ones, the mix included), {uncached_rss:.1} MB without ({}).\n",
            if m.engine == "SQLite" {
                format!(
                    "target ≤ 64 MB: {}",
                    mark(cached_rss.max(uncached_rss) <= 64.0)
                )
            } else {
                "reported; the 64 MB target is SQLite's".to_owned()
            }
        )?;
        let cold_target = if m.engine == "SQLite" { 300.0 } else { 100.0 };
        writeln!(
            out,
            "Cold start, process start to the first 200 (median of 3): loaded database, comparison page {:.0} ms{}{} (target {}: {}).\n",
            m.cold_loaded_ms,
            m.cold_fresh_ms
                .map(|ms| format!("; fresh SQLite, home page {ms:.0} ms"))
                .unwrap_or_default(),
            if m.engine == "SQLite" { "" } else { ", `sslmode=disable` in the URL" },
            if m.engine == "SQLite" { "< 300 ms" } else { "≤ 100 ms" },
            mark(
                m.cold_loaded_ms <= cold_target
                    && m.cold_fresh_ms.is_none_or(|ms| ms < cold_target)
            )
        )?;
        writeln!(
            out,
            "SQL statements per request (sequential, cached server): a request the server has never seen is computed afresh; the average of 20 of a request it has seen is served from the cache (no statement: whether it is fresh is known in memory, see server/src/changes.rs):\n"
        )?;
        writeln!(out, "| workload | computed afresh | from the cache |")?;
        writeln!(out, "|---|---|---|")?;
        for (name, fresh, cached) in &m.statements {
            writeln!(out, "| {name} | {fresh:.0} | {cached:.1} |")?;
        }
        writeln!(out)?;
        profile_report(&mut out, m, options)?;
    }
    let pkg = site_root().join("pkg");
    writeln!(
        out,
        "## Hydration bundles (release, opt-level z, LTO, wasm-opt -Oz, JS glue minified by esbuild)\n"
    )?;
    writeln!(
        out,
        "| bundle | loaded by | WASM raw | WASM gzip | WASM brotli | JS brotli | WASM + JS brotli | target ≤ 153,600 B |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|---|---|")?;
    for (bundle, pages) in [
        ("verdicts", "every reader's page"),
        ("verdicts-admin", "the editors' `/admin` pages"),
    ] {
        let wasm = pkg.join(format!("{bundle}.wasm"));
        let js = pkg.join(format!("{bundle}.js"));
        let raw = std::fs::metadata(&wasm)?.len();
        let gzip = compressed(&wasm, "gzip", &["-9", "-c"])?;
        let brotli = compressed(&wasm, "brotli", &["-q", "11", "-c"])?;
        let js_brotli = compressed(&js, "brotli", &["-q", "11", "-c"])?;
        let total = brotli + js_brotli;
        let verdict = if bundle == "verdicts" {
            mark(total <= 150 * 1024).to_owned()
        } else {
            "editors only".to_owned()
        };
        writeln!(
            out,
            "| `{bundle}` | {pages} | {raw} | {gzip} | {brotli} | {js_brotli} | {total} | {verdict} |"
        )?;
    }
    Ok(out)
}

/// Where the time goes in the profiled runs: per request, each component's
/// CPU time, against what the target leaves per request.
fn profile_report(out: &mut String, m: &Measured, options: &Options) -> Result<()> {
    writeln!(
        out,
        "### Where the time goes: the profiled runs ({})\n",
        m.engine
    )?;
    let profiled = match &m.profiles {
        Ok(p) if !p.is_empty() => p,
        Ok(_) => {
            writeln!(
                out,
                "No workload was profiled (`BENCH_ONLY` named none of them).\n"
            )?;
            return Ok(());
        }
        Err(why) => {
            writeln!(out, "Not profiled: {why}.\n")?;
            return Ok(());
        }
    };
    writeln!(
        out,
        "After the rounds, one more run of {} s of each workload below (not counted above), with `perf record -a -e cpu-clock -F 499` sampling both CPUs. A sample in the server is put under the code it was in: the crate of its function (a generic one under the first crate its name shows beyond Rust's standard library), SQLite's C code, the allocator, libc's copies, or what a kernel function serves; a sample elsewhere under its process. Each figure is CPU time per request (for the mix, per read or vote) in µs: samples ÷ {} Hz ÷ requests. \"The target's budget\" is the server's whole CPU time per request that would reach the target on its one core: 1 s ÷ (target share × the limit's requests/s), or ÷ 2,000 for votes.\n",
        options.secs,
        499
    )?;
    let limit_rps = |name: &str| -> Option<f64> {
        m.rows
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, runs)| medians(runs))
            .map(|f| f.rps)
    };
    let budget = |name: &str| -> Option<f64> {
        let (limit, share) = match name {
            "page:off" => (limit_rps("limit:page")?, 0.05),
            "compare:off" => (limit_rps("limit:compare")?, 0.08),
            "tools:off" => (limit_rps("limit:tools")?, 0.02),
            "vote" => (2_000.0, 1.0),
            "mix" => {
                let runs = &m.mixes.iter().find(|(n, _)| *n == "limit:mix")?.1;
                let reads: Vec<f64> = runs.iter().map(|r| r.reads_rps).collect();
                if reads.is_empty() {
                    return None;
                }
                (summary(&reads).0, 0.30)
            }
            _ => return None,
        };
        Some(1e6 / (limit * share))
    };
    let label = |name: &str| {
        match name {
            "page:off" => "page, cache off",
            "compare:off" => "Compare, cache off",
            "tools:off" => "Tools(first: 50), cache off",
            "vote" => "castVote",
            "mix" => "the mix (cache on)",
            other => other,
        }
        .to_owned()
    };
    write!(out, "| per request |")?;
    for p in profiled {
        write!(out, " {} |", label(p.name))?;
    }
    writeln!(out)?;
    writeln!(out, "|---|{}", "---|".repeat(profiled.len()))?;
    let mut row = |title: &str, cell: &dyn Fn(&Profiled) -> String| -> Result<()> {
        write!(out, "| {title} |")?;
        for p in profiled {
            write!(out, " {} |", cell(p))?;
        }
        writeln!(out)?;
        Ok(())
    };
    row("requests/s in this run", &|p| format!("{:.0}", p.rps))?;
    row("the server's core busy", &|p| {
        format!("{:.0} %", p.busy * 100.0)
    })?;
    row("**the server's CPU per request** (`/proc`)", &|p| {
        format!("**{:.0}**", p.cpu_us)
    })?;
    row("**the target's budget**", &|p| {
        budget(p.name).map_or("–".into(), |b| format!("**{b:.0}**"))
    })?;
    let per_request = |p: &Profiled, samples: u64| -> f64 {
        samples as f64 / 499.0 / (p.rps * p.secs).max(1.0) * 1e6
    };
    row("in the server, from the samples", &|p| {
        format!("{:.0}", per_request(p, p.profile.server))
    })?;
    if m.engine == "SQLite" {
        row("… of it on SQLite's worker threads", &|p| {
            format!("{:.0}", per_request(p, p.profile.sqlite_threads))
        })?;
    }
    for (i, component) in profile::COMPONENTS.iter().enumerate() {
        if *component == "idle" {
            continue;
        }
        if profiled.iter().all(|p| p.profile.samples[i] == 0) {
            continue;
        }
        let server_part = i < profile::SERVER_COMPONENTS;
        let title = if server_part {
            format!("&nbsp;&nbsp;{component}")
        } else {
            format!("outside the server: {component}")
        };
        row(&title, &|p| {
            format!("{:.0}", per_request(p, p.profile.samples[i]))
        })?;
    }
    row("both CPUs idle (share of the samples)", &|p| {
        format!("{:.0} %", p.profile.share("idle") * 100.0)
    })?;
    writeln!(out)?;
    writeln!(out, "What bounds each one, read off the table:\n")?;
    for p in profiled {
        let Some(budget) = budget(p.name) else {
            continue;
        };
        let mut parts: Vec<(&str, f64)> = profile::COMPONENTS[..profile::SERVER_COMPONENTS]
            .iter()
            .enumerate()
            .map(|(i, c)| (*c, per_request(p, p.profile.samples[i])))
            .collect();
        parts.sort_by(|a, b| b.1.total_cmp(&a.1));
        let largest: Vec<String> = parts
            .iter()
            .take(4)
            .map(|(c, us)| format!("{c} {us:.0} µs"))
            .collect();
        let postgres = per_request(
            p,
            p.profile.samples[profile::COMPONENTS
                .iter()
                .position(|c| *c == "PostgreSQL")
                .unwrap_or(0)],
        );
        let bound = if p.cpu_us <= budget && p.rps >= 1e6 / budget {
            format!(
                "its CPU per request ({:.0} µs) is within the budget ({budget:.0} µs)",
                p.cpu_us
            )
        } else if p.cpu_us <= budget {
            format!(
                "its CPU per request ({:.0} µs) is within the budget ({budget:.0} µs), so the server's CPU does not bound it: its core was busy only {:.0} % of the run, PostgreSQL took {postgres:.0} µs per request and the machine was idle {:.0} % of the time",
                p.cpu_us,
                p.busy * 100.0,
                p.profile.share("idle") * 100.0
            )
        } else if p.busy >= 0.9 {
            format!(
                "the server's core was busy {:.0} % of the run, so its CPU per request bounds it: {:.0} µs against a budget of {budget:.0} µs ({:.1}× over)",
                p.busy * 100.0,
                p.cpu_us,
                p.cpu_us / budget
            )
        } else {
            format!(
                "the server's core was busy only {:.0} % of the run: it waited as well as worked ({:.0} µs of CPU per request, the budget {budget:.0} µs); PostgreSQL took {:.0} µs per request and the machine was idle {:.0} % of the time",
                p.busy * 100.0,
                p.cpu_us,
                postgres,
                p.profile.share("idle") * 100.0
            )
        };
        writeln!(
            out,
            "- **{}**: {bound}. Its largest parts: {}.",
            label(p.name),
            largest.join(", ")
        )?;
    }
    writeln!(out)?;
    Ok(())
}

/// The realistic mix's section of the report.
fn mix_report(out: &mut String, m: &Measured, options: &Options) -> Result<()> {
    let runs = |name: &str| {
        m.mixes
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, runs)| runs.as_slice())
            .unwrap_or_default()
    };
    let (mix, limit) = (runs("mix"), runs("limit:mix"));
    if mix.is_empty() || limit.is_empty() {
        return Ok(());
    }
    let median = |runs: &[MixRun], f: &dyn Fn(&MixRun) -> f64| {
        if runs.is_empty() {
            return (f64::NAN, f64::NAN, f64::NAN);
        }
        summary(&runs.iter().map(f).collect::<Vec<_>>())
    };
    writeln!(out, "### The realistic mix (cached server)\n")?;
    writeln!(
        out,
        "A list of {} requests ({} distinct reads), drawn with a fixed seed: {:.0} % castVote from new readers (no cookie) on tools drawn uniformly, the rest reads; each read's shape by the shares below, its item (tool, comparison, pair, filter…) by a Zipf distribution (s = {}) over that shape's items in a seeded order. Every connection of the load generator goes round the list from its own place (closed loop, {} connections, every answer read and timed by its class). The limit server answers the same list from memory: {} of the distinct reads, the most read of each shape and {:.0} % of the reads in the list, with the bytes the uncached server gave them{}; every other read with one of those of its shape.\n",
        m.mix_length,
        m.mix_distinct,
        options.mix.votes_per_10k as f64 / 100.0,
        options.mix.zipf_s,
        options.connections,
        m.mix_captured,
        m.mix_captured_share * 100.0,
        if m.mix_capture_failures > 0 {
            format!(
                " (**{} of them were not a success when captured**)",
                m.mix_capture_failures
            )
        } else {
            String::new()
        },
    )?;
    let (reads, low, high) = median(mix, &|r| r.reads_rps);
    let (limit_reads, _, _) = median(limit, &|r| r.reads_rps);
    let (p50, _, _) = median(mix, &|r| r.reads_p50_ms);
    let (p99, _, p99_worst) = median(mix, &|r| r.reads_p99_ms);
    let (votes, _, _) = median(mix, &|r| r.votes_rps);
    let (vote_p99, _, _) = median(mix, &|r| r.votes_p99_ms);
    let (limit_p99, _, _) = median(limit, &|r| r.reads_p99_ms);
    let read_errors: u64 = mix.iter().map(|r| r.read_errors).sum();
    let vote_errors: u64 = mix.iter().map(|r| r.vote_errors).sum();
    let ratio = reads / limit_reads;
    writeln!(out, "| figure | value | target |")?;
    writeln!(out, "|---|---|---|")?;
    writeln!(
        out,
        "| reads/s (median, range) | {reads:.0} ({low:.0}–{high:.0}) | |"
    )?;
    writeln!(
        out,
        "| the limit's reads/s on the same list (its p99) | {limit_reads:.0} ({limit_p99:.2} ms) | |"
    )?;
    writeln!(
        out,
        "| reads vs the limit, p99 of reads | {:.1} %, p50 {p50:.2} ms, p99 {p99:.2} ms (worst {p99_worst:.2}) | ≥ 30 % and p99 ≤ 20 ms: {} |",
        ratio * 100.0,
        mark(ratio >= 0.30 && p99 <= 20.0)
    )?;
    writeln!(
        out,
        "| votes/s (accepted), their p99 | {votes:.0}, {vote_p99:.2} ms | reported |"
    )?;
    writeln!(
        out,
        "| answers that were not a success | {read_errors} reads, {vote_errors} votes | 0 |"
    )?;
    writeln!(
        out,
        "| reads still unanswered when a run ended, per run (in the percentiles at their age then, not in the rates) | {} | |",
        mix.iter()
            .map(|r| r.reads_unfinished.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    if mix.iter().any(|r| r.hit_share.is_some()) {
        let (share, low, high) = median(mix, &|r| r.hit_share.unwrap_or(0.0));
        writeln!(
            out,
            "| reads answered from the cache (hits / (hits + misses) over a run), median (range); of the others, kept but ended by a write since | {:.1} % ({:.1}–{:.1} %); {:.1} % | reported |",
            share * 100.0,
            low * 100.0,
            high * 100.0,
            median(mix, &|r| r.stale_share.unwrap_or(0.0)).0 * 100.0
        )?;
    }
    let budget = options.cache_mb as f64 * 1024.0 * 1024.0;
    let rss = median(mix, &|r| r.rss_mb).0;
    match mix.iter().filter_map(|r| r.cache.clone()).next_back() {
        Some((series, _)) => {
            let (bytes, _, most) = median(mix, &|r| r.cache.as_ref().map_or(0.0, |c| c.1));
            writeln!(
                out,
                "| the response cache after a run (`{series}`), median (largest) | {:.1} MB ({:.1} MB) of a {} MiB budget; server RSS {rss:.1} MB | within the budget: {} |",
                bytes / 1e6,
                most / 1e6,
                options.cache_mb,
                mark(most <= budget)
            )?;
        }
        None => writeln!(
            out,
            "| the response cache after a run | not exposed by `/metrics` (no `verdicts_cache_…_bytes` series); the server's RSS instead: {rss:.1} MB (budget {} MiB) | **not measured** |",
            options.cache_mb
        )?,
    }
    writeln!(out)?;
    let wrk_on_page_limit = m
        .rows
        .iter()
        .find(|(n, _)| *n == "limit:page")
        .and_then(|(_, runs)| medians(runs))
        .map_or(f64::NAN, |l| l.rps);
    let generator_on_page_limit = median(runs("limit:page:generator"), &|r| r.reads_rps).0;
    writeln!(
        out,
        "The load generator against the page's limit (median of the rounds): {generator_on_page_limit:.0} requests/s, wrk {wrk_on_page_limit:.0} ({:.0} %); a generator slower than wrk would make the mix's limit too low and its ratio too kind.\n",
        generator_on_page_limit / wrk_on_page_limit * 100.0
    )?;
    writeln!(
        out,
        "| read shape | share of reads | reads/s | p50 ms | p99 ms | limit's reads/s |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for (i, (name, share)) in m.mix_shapes.iter().enumerate() {
        let shape = |runs: &[MixRun], k: usize| {
            median(runs, &|r| {
                r.shapes.get(i).map_or(0.0, |s| [s.0, s.1, s.2][k])
            })
            .0
        };
        writeln!(
            out,
            "| {name} | {:.1} % | {:.0} | {:.2} | {:.2} | {:.0} |",
            *share as f64 / 10.0,
            shape(mix, 0),
            shape(mix, 1),
            shape(mix, 2),
            shape(limit, 0),
        )?;
    }
    writeln!(out)?;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--limit") {
        let (Some(table), Some("--port"), Some(port)) =
            (args.get(2), args.get(3).map(String::as_str), args.get(4))
        else {
            bail!("usage: bench --limit TABLE --port N");
        };
        return limit::serve(Path::new(table), port.parse()?).await;
    }
    if soak::run_if_asked(&workspace()).await? {
        return Ok(());
    }
    let options = options()?;
    let work = target_dir().join("bench");
    std::fs::create_dir_all(&work)?;
    if !server_binary().is_file() {
        bail!("{} is missing: run `make bench`", server_binary().display());
    }
    if options.fanout_only {
        println!(
            "{}",
            fanout::run(&server_binary(), &site_root(), &work).await?
        );
        return Ok(());
    }
    if options.webhooks_only {
        println!(
            "{}",
            webhooks::run(&server_binary(), &site_root(), &work).await?
        );
        return Ok(());
    }
    if !site_root().join("pkg/verdicts.wasm").is_file() {
        bail!("the release site is missing: run `make bench` (it runs make site-release)");
    }
    let (size, size_name) = if options.smoke {
        (generate::Size::SMOKE, "smoke (100 tools)")
    } else {
        (
            generate::Size::FULL,
            "2,000 tools, 20 categories, 12 reviewers, 12,000 reviews, 1,000 comparisons, 300,000 votes (plus the demo catalogue)",
        )
    };
    let demo: Value = serde_json::from_str(&std::fs::read_to_string(
        workspace().join("data/demo.json"),
    )?)?;
    let catalogue = generate::catalogue(&demo, size, SEED);
    let tools: Vec<String> = catalogue["tools"]
        .as_array()
        .context("tools")?
        .iter()
        .filter_map(|t| t["slug"].as_str().map(str::to_owned))
        .collect();
    let dataset = work.join(if options.smoke {
        "catalogue-smoke.json"
    } else {
        "catalogue.json"
    });
    std::fs::write(&dataset, serde_json::to_vec(&catalogue)?)?;
    if options.discovery_only {
        println!(
            "{}",
            discovery::run(&dataset, &catalogue, &options, &work).await?
        );
        return Ok(());
    }

    let mut measured = vec![];
    let sqlite = work.join("bench.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", sqlite.display()));
    }
    measured.push(
        measure(
            "SQLite",
            &format!("sqlite://{}?mode=rwc", sqlite.display()),
            &dataset,
            &catalogue,
            &tools,
            &options,
            &work,
        )
        .await?,
    );
    if std::env::var("BENCH_PG").is_ok_and(|v| v == "1") {
        let admin = std::env::var("BENCH_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let name = "verdicts_bench";
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            let status = std::process::Command::new("psql")
                .arg(format!("{admin}/postgres"))
                .arg("-c")
                .arg(&sql)
                .status()
                .context("psql")?;
            if !status.success() {
                bail!("{sql} failed");
            }
        }
        measured.push(
            measure(
                "PostgreSQL",
                // A local server: TLS negotiation would only add to the cold start.
                &format!("{admin}/{name}?sslmode=disable"),
                &dataset,
                &catalogue,
                &tools,
                &options,
                &work,
            )
            .await?,
        );
    }
    let mut text = report(&measured, &options, size_name)?;
    text.push('\n');
    text.push_str(&fanout::run(&server_binary(), &site_root(), &work).await?);
    text.push('\n');
    text.push_str(&webhooks::run(&server_binary(), &site_root(), &work).await?);
    text.push('\n');
    text.push_str(&discovery::run(&dataset, &catalogue, &options, &work).await?);
    println!("{text}");
    if !options.smoke {
        std::fs::write(workspace().join("bench/REPORT.md"), &text)?;
        eprintln!("written to bench/REPORT.md");
    }
    Ok(())
}
