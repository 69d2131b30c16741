//! Where the machine's CPU goes while a workload runs: `perf record` on
//! every CPU (the kernel's `cpu-clock`, so no hardware counter is needed),
//! each sample put under a component by the code it was in.
//!
//! A sample in the server's process is put under the crate whose function it
//! was in (a generic function under the first crate its name shows that is
//! not Rust's standard library: `drop_in_place<sqlx_core::…>` is sqlx's),
//! SQLite's C code, the allocator, libc's copies, or what a kernel function
//! serves (switching threads, TCP on the loopback, epoll, file reads). A
//! sample elsewhere is put under its process: the load generator, PostgreSQL,
//! other programs, or idle.

use std::{collections::BTreeSet, path::Path, process::Stdio, time::Duration};

use anyhow::{bail, Context, Result};
use tokio::process::{Child, Command};

/// Samples per second on each CPU.
const FREQUENCY: u32 = 499;

/// The components a sample can fall under, in the report's order.
pub const COMPONENTS: [&str; 23] = [
    "kernel: switching and waking threads (scheduler, futex)",
    "kernel: TCP on the loopback (the HTTP connections, PostgreSQL's)",
    "kernel: epoll and system call entry",
    "kernel: file reads and writes (SQLite's pages, the WAL)",
    "kernel: other",
    "SQLite (C)",
    "sqlx and its channels to SQLite's threads (sqlx, flume)",
    "SeaORM and SeaQuery (building statements, reading rows)",
    "async-graphql (parsing, validation, resolvers, the answer)",
    "Leptos SSR (components, HTML)",
    "HTTP (hyper, axum, tower)",
    "tokio (tasks, timers, I/O driver)",
    "JSON (serde, serde_json)",
    "the allocator (mimalloc)",
    "glibc's malloc (C code's allocations: SQLite's)",
    "locks (pthread mutexes: SQLite's)",
    "libc copies and compares (memmove, memcpy, memcmp)",
    "Verdicts' own code (server, entities)",
    "Rust's standard library and other crates",
    "the load generator (wrk, the bench)",
    "PostgreSQL",
    "other programs",
    "idle",
];

/// The components of [`COMPONENTS`] that are the server's (the first ones).
pub const SERVER_COMPONENTS: usize = 19;

/// Samples per component (in the order of [`COMPONENTS`]), and of those in
/// the server, how many ran on SQLite's worker threads.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub samples: Vec<u64>,
    pub total: u64,
    pub server: u64,
    pub sqlite_threads: u64,
}

impl Profile {
    /// The share of all samples under component `name`.
    pub fn share(&self, name: &str) -> f64 {
        let i = COMPONENTS.iter().position(|c| *c == name).unwrap_or(0);
        self.samples[i] as f64 / self.total.max(1) as f64
    }
}

/// Whether `perf record` works here (Debian: `apt-get install linux-perf`).
pub async fn available(work: &Path) -> bool {
    let output = Command::new("perf")
        .args(["record", "-q", "-e", "cpu-clock", "-o"])
        .arg(work.join("perf-check.data"))
        .args(["--", "true"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .await;
    let _ = std::fs::remove_file(work.join("perf-check.data"));
    output.is_ok_and(|s| s.success())
}

/// Starts recording every CPU for `length` into `out`.
pub fn record(out: &Path, length: Duration) -> Result<Child> {
    Command::new("perf")
        .args(["record", "-q", "-a", "-e", "cpu-clock", "-F"])
        .arg(FREQUENCY.to_string())
        .arg("-o")
        .arg(out)
        .args(["--", "sleep"])
        .arg(format!("{:.1}", length.as_secs_f64()))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .context("run perf (apt-get install linux-perf)")
}

/// The thread ids of process `pid` now.
pub fn threads(pid: u32) -> BTreeSet<u32> {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .map(|dir| {
            dir.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// Reads the recording `data`: `server` are the server's threads, `load`
/// the load generator's (the bench's own, when it drives the load).
pub async fn read(data: &Path, server: &BTreeSet<u32>, load: &BTreeSet<u32>) -> Result<Profile> {
    let output = Command::new("perf")
        .args(["report", "-i"])
        .arg(data)
        .args([
            "--stdio",
            "--no-children",
            "-q",
            "-F",
            "sample,pid,dso,sym",
            "-t",
            "\u{1}",
        ])
        .output()
        .await
        .context("perf report")?;
    if !output.status.success() {
        bail!(
            "perf report failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let mut profile = Profile {
        samples: vec![0; COMPONENTS.len()],
        ..Profile::default()
    };
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let fields: Vec<&str> = line.split('\u{1}').map(str::trim).collect();
        let [count, thread, dso, symbol] = fields[..] else {
            continue;
        };
        let Ok(count) = count.parse::<u64>() else {
            continue;
        };
        // `pid` is "tid:command".
        let (tid, command) = thread.split_once(':').unwrap_or((thread, ""));
        let tid: u32 = tid.trim().parse().unwrap_or(0);
        let component = if server.contains(&tid) {
            profile.server += count;
            if command.starts_with("sqlx-sqlite") {
                profile.sqlite_threads += count;
            }
            in_server(dso, symbol)
        } else if tid == 0 {
            "idle"
        } else if load.contains(&tid) || command.starts_with("wrk") {
            "the load generator (wrk, the bench)"
        } else if command.starts_with("postgres") {
            "PostgreSQL"
        } else {
            "other programs"
        };
        let i = COMPONENTS
            .iter()
            .position(|c| *c == component)
            .context("a component")?;
        profile.samples[i] += count;
        profile.total += count;
    }
    if profile.total == 0 {
        bail!("perf recorded no sample");
    }
    Ok(profile)
}

/// The component of a sample in the server's process.
fn in_server(dso: &str, symbol: &str) -> &'static str {
    // perf writes "[k] name" for the kernel and "[.] name" for user space.
    if let Some(name) = symbol.strip_prefix("[k] ") {
        return in_kernel(name);
    }
    let name = symbol.strip_prefix("[.] ").unwrap_or(symbol);
    if name.starts_with("sqlite3") || dso.contains("sqlite") {
        return "SQLite (C)";
    }
    if name.starts_with("mi_") || name.starts_with("_mi_") || name.contains("mimalloc") {
        return "the allocator (mimalloc)";
    }
    let libc_copy = ["memmove", "memcpy", "memset", "memcmp", "bcmp", "strlen"]
        .iter()
        .any(|f| name.trim_start_matches('_').starts_with(f));
    if libc_copy {
        return "libc copies and compares (memmove, memcpy, memcmp)";
    }
    if dso.starts_with("libc") {
        let bare = name.trim_start_matches('_');
        if bare.starts_with("pthread_mutex")
            || bare.starts_with("GI___pthread_mutex")
            || bare.starts_with("lll_lock")
        {
            return "locks (pthread mutexes: SQLite's)";
        }
        let malloc = [
            "int_malloc",
            "int_free",
            "int_realloc",
            "libc_malloc",
            "libc_free",
            "libc_realloc",
            "libc_calloc",
            "malloc",
            "free",
            "cfree",
            "realloc",
            "calloc",
            "unlink_chunk",
            "tcache",
            "sysmalloc",
        ];
        if malloc.iter().any(|m| bare.starts_with(m)) {
            return "glibc's malloc (C code's allocations: SQLite's)";
        }
    }
    match first_crate(name) {
        Some(c) if c.starts_with("async_graphql") => {
            "async-graphql (parsing, validation, resolvers, the answer)"
        }
        Some(c) if c.starts_with("sqlx") || c == "flume" || c == "futures_intrusive" => {
            "sqlx and its channels to SQLite's threads (sqlx, flume)"
        }
        Some(c) if c.starts_with("sea_orm") || c.starts_with("sea_query") => {
            "SeaORM and SeaQuery (building statements, reading rows)"
        }
        Some(c)
            if c.starts_with("leptos")
                || c.starts_with("tachys")
                || c.starts_with("reactive_")
                || c == "any_spawner"
                || c == "server_fn"
                || c == "app" =>
        {
            "Leptos SSR (components, HTML)"
        }
        Some(c)
            if c.starts_with("hyper")
                || c.starts_with("axum")
                || c.starts_with("tower")
                || c.starts_with("http")
                || c == "h2" =>
        {
            "HTTP (hyper, axum, tower)"
        }
        Some("tokio" | "mio") => "tokio (tasks, timers, I/O driver)",
        Some(c) if c.starts_with("serde") => "JSON (serde, serde_json)",
        Some("server" | "verdicts" | "entities") => "Verdicts' own code (server, entities)",
        _ => "Rust's standard library and other crates",
    }
}

/// The component of a kernel function, by what it serves.
fn in_kernel(name: &str) -> &'static str {
    let has = |parts: &[&str]| parts.iter().any(|p| name.contains(p));
    if has(&[
        "schedule",
        "task_switch",
        "futex",
        "wake",
        "spin_unlock",
        "enqueue",
        "dequeue",
        "update_curr",
        "pick_next",
        "switch_",
        "psi_",
        "select_task",
        "idle",
    ]) {
        "kernel: switching and waking threads (scheduler, futex)"
    } else if has(&[
        "tcp", "inet", "sock", "skb", "ip_", "net", "dev_", "xmit", "loopback", "sk_",
    ]) {
        "kernel: TCP on the loopback (the HTTP connections, PostgreSQL's)"
    } else if has(&["epoll", "ep_", "syscall", "entry_", "exit_to_user"]) {
        "kernel: epoll and system call entry"
    } else if has(&[
        "read",
        "write",
        "filemap",
        "vfs",
        "ext4",
        "page_cache",
        "fsync",
        "copy_page",
    ]) {
        "kernel: file reads and writes (SQLite's pages, the WAL)"
    } else {
        "kernel: other"
    }
}

/// The first crate a demangled Rust name shows that is not Rust's
/// standard library (`core`, `alloc`, `std`).
fn first_crate(name: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(found) = name[from..].find("::") {
        let at = from + found;
        let before = &name[..at];
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let word = &before[start..];
        // Only the first segment of a path names a crate.
        let path_start = !before[..start].ends_with(':');
        if path_start
            && !word.is_empty()
            && !["core", "alloc", "std", "impl"].contains(&word)
            && !word.starts_with(|c: char| c.is_ascii_uppercase())
        {
            return Some(word);
        }
        from = at + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generic_function_belongs_to_the_first_crate_outside_std() {
        assert_eq!(
            first_crate("core::ptr::drop_in_place<sqlx_core::pool::Pool<X>>"),
            Some("sqlx_core")
        );
        assert_eq!(
            first_crate("<async_graphql::Value as core::clone::Clone>::clone"),
            Some("async_graphql")
        );
        assert_eq!(first_crate("alloc::raw_vec::finish_grow"), None);
        assert_eq!(
            first_crate("<core::pin::Pin<P> as core::future::Future>::poll"),
            None
        );
        assert_eq!(in_server("verdicts", "[.] sqlite3VdbeExec"), "SQLite (C)");
        assert_eq!(
            in_server("[kernel.kallsyms]", "[k] finish_task_switch.isra.0"),
            "kernel: switching and waking threads (scheduler, futex)"
        );
        assert_eq!(
            in_server("libc.so.6", "[.] malloc_consolidate"),
            "glibc's malloc (C code's allocations: SQLite's)"
        );
        assert_eq!(
            in_server("verdicts", "[.] tokio::runtime::task::raw::poll"),
            "tokio (tasks, timers, I/O driver)"
        );
    }
}
