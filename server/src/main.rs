//! `verdicts`: serve, migrate, import and export.

use std::io::Write;

use anyhow::Context;
use clap::Parser;
use server::{
    config::{Cli, Command},
    dataset, db, Application,
};
use tracing_subscriber::EnvFilter;

/// mimalloc, not glibc's malloc: an uncached request allocates and frees
/// thousands of small blocks (the GraphQL document, resolver futures, rows,
/// the answer), and glibc's arenas spent about a sixth of its CPU on that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> anyhow::Result<()> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(run())
}

/// mimalloc commits its arenas eagerly on Linux: on one workload the server
/// then held about 20 MB more than with glibc, and committed on demand about
/// 4 MB more. Through the whole `make bench` the peak is still about 50 MB
/// above glibc's (bench/REPORT.md; issue 15's notes). The option must be set before
/// the first allocation reserves an arena, so this runs from `.init_array`,
/// before `main` and before Rust's runtime allocates anything;
/// `MIMALLOC_ARENA_EAGER_COMMIT` in the environment still decides when set.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static RETURN_FREED_MEMORY: extern "C" fn() = return_freed_memory;

#[cfg(target_os = "linux")]
extern "C" fn return_freed_memory() {
    /// `mi_option_arena_eager_commit` in mimalloc.h's `mi_option_e`.
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    // SAFETY: `getenv` reads the environment without allocating, and the
    // option is set while the process has one thread.
    unsafe {
        if libc::getenv(c"MIMALLOC_ARENA_EAGER_COMMIT".as_ptr()).is_null() {
            libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
        }
    }
}

async fn run() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let Cli { config, command } = Cli::parse();
    match command.unwrap_or(Command::Serve) {
        Command::Serve => Application::build(config).await?.run_until_stopped().await,
        Command::Migrate => {
            let (db, _) = db::connect(&config.database_url, 1).await?;
            db::migrate(&db).await?;
            eprintln!("migrations applied");
            Ok(())
        }
        Command::Import { file } => {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let data = dataset::parse(&text)?;
            let (db, _) = db::connect(&config.database_url, 2).await?;
            db::migrate(&db).await?;
            let summary = dataset::import(&db, &data).await?;
            eprint!("imported {}:\n{summary}", file.display());
            Ok(())
        }
        Command::CreateEditor { email } => {
            // From standard input, never a flag: flags end up in shell history and `ps`.
            let mut password = String::new();
            std::io::stdin()
                .read_line(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']);
            let (db, _) = db::connect(&config.database_url, 2).await?;
            db::migrate(&db).await?;
            let editor = server::domain::editors::create_editor(&db, &email, password)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            eprintln!("created editor {}", editor.email);
            Ok(())
        }
        Command::Digest => {
            let (db, _) = db::connect(&config.database_url, 2).await?;
            db::migrate(&db).await?;
            let summary = server::domain::newsletter::write_digest(
                &db,
                &config.mailing(),
                chrono::Utc::now(),
            )
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
            if summary.comparisons == 0 {
                eprintln!(
                    "digest {}: no comparison was published in the last seven days; nothing written",
                    summary.week
                );
            } else {
                eprintln!(
                    "digest {}: {} comparison(s); {} mail(s) written to the outbox, {} subscriber(s) already had it",
                    summary.week, summary.comparisons, summary.written, summary.already_written
                );
            }
            Ok(())
        }
        Command::Export { file } => {
            let (db, _) = db::connect(&config.database_url, 2).await?;
            db::migrate(&db).await?;
            let data = dataset::export(&db).await?;
            let mut json = serde_json::to_string_pretty(&data)?;
            json.push('\n');
            match file {
                Some(path) => std::fs::write(&path, json)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => std::io::stdout().lock().write_all(json.as_bytes())?,
            }
            Ok(())
        }
    }
}
