//! Connecting to SQLite or PostgreSQL, migrating, and counting SQL statements.

use std::{
    path::Path,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

use migration::{Migrator, MigratorTrait};

use crate::changes::LocalWrites;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr};

/// How many SQL statements this process has executed (exposed on `/metrics`;
/// not the response cache's reads of the change log, and the background
/// tasks' apart), and which of them wrote.
#[derive(Debug, Default, Clone)]
pub struct StatementCounter(Arc<AtomicU64>, Arc<LocalWrites>, Arc<AtomicU64>);

impl StatementCounter {
    /// Statements executed so far on behalf of requests.
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }

    /// Statements the timed background tasks executed so far (see
    /// [`in_background`]).
    pub fn background(&self) -> u64 {
        self.2.load(Ordering::Relaxed)
    }

    /// The writes this process's pool made, for the response cache.
    pub fn writes(&self) -> Arc<LocalWrites> {
        self.1.clone()
    }
}

tokio::task_local! {
    /// Set while a timed background task runs (see [`in_background`]).
    static BACKGROUND: ();
}

/// Runs a timed background task (webhook deliveries, scans, pruning, mail):
/// its statements are counted apart from the requests', so that what a
/// request costs can be measured while the task wakes on its own timer or
/// on another request's write.
pub async fn in_background<F: std::future::Future>(task: F) -> F::Output {
    BACKGROUND.scope((), task).await
}

/// How long a pooled connection may sit idle before it is pinged on the
/// way out of the pool (see [`connect`]).
const IDLE_BEFORE_PING: Duration = Duration::from_secs(30);

/// Opens the pool (creating the SQLite file and its directory when needed).
pub async fn connect(
    url: &str,
    max_connections: u32,
) -> Result<(DatabaseConnection, StatementCounter), DbErr> {
    sqlite_allocations();
    if let Some(dir) = sqlite_file(url).and_then(|f| Path::new(f).parent().map(Path::to_owned)) {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(&dir).map_err(|e| {
                DbErr::Custom(format!(
                    "cannot create the directory {}: {e}",
                    dir.display()
                ))
            })?;
        }
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        // sqlx pings a connection each time it leaves the pool unless told
        // otherwise: a round trip per statement (to PostgreSQL over the
        // network, to SQLite's worker thread), as long as the statement's
        // own. Only a connection idle long enough to have been dropped by
        // the server or a proxy is checked.
        .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
        .sqlx_logging(false)
        // SQLite keeps a page cache per connection (2 MiB by default); hot
        // pages come from the response cache, so 1 MiB each is plenty.
        .map_sqlx_sqlite_opts(|options| options.pragma("cache_size", "-1024"))
        .map_sqlx_sqlite_pool_opts(|pool| pool.after_connect(stable_plans));
    let mut db = Database::connect(options).await?;
    if db.get_database_backend() == DbBackend::Sqlite {
        // WAL lets readers proceed while a vote is written; it persists in the file.
        db.execute_unprepared("PRAGMA journal_mode = WAL").await?;
    }
    let counter = StatementCounter::default();
    let (count, writes, background) = (counter.0.clone(), counter.1.clone(), counter.2.clone());
    db.set_metric_callback(move |info| {
        // The cache's own reads of the change log run on a timer: counted
        // apart (`verdicts_cache_log_reads_total`), so that the statements
        // a request costs can be measured.
        if crate::changes::is_bookkeeping(&info.statement.sql) {
            return;
        }
        if BACKGROUND.try_with(|()| ()).is_ok() {
            background.fetch_add(1, Ordering::Relaxed);
        } else {
            count.fetch_add(1, Ordering::Relaxed);
        }
        if !crate::changes::is_outbox(&info.statement.sql) {
            writes.statement(&info.statement.sql);
        }
    });
    Ok((db, counter))
}

/// Connections the change log is read through besides the pool (see
/// [`connect_log`]): on PostgreSQL one listens for other instances' writes,
/// one polls, one prunes; on SQLite one polls, one prunes.
pub fn log_connections(url: &str) -> u32 {
    if url.starts_with("postgres") {
        3
    } else {
        2
    }
}

/// The response cache's own connections to the change log (see
/// [`crate::changes`]): its polls must not wait behind requests for the
/// pool, or hold a connection requests need, or the staleness bound would
/// not hold under load. Its statements are not counted with the requests'.
/// An in-memory SQLite database has no other connection to it: the pool is
/// shared then.
pub async fn connect_log(
    url: &str,
    pool: &DatabaseConnection,
) -> Result<DatabaseConnection, DbErr> {
    if pool.get_database_backend() == DbBackend::Sqlite && sqlite_file(url).is_none() {
        return Ok(pool.clone());
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(log_connections(url))
        .min_connections(1)
        .acquire_timeout(crate::changes::STALENESS_BOUND)
        .test_before_acquire_if_idle_for(IDLE_BEFORE_PING)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|options| options.pragma("cache_size", "-256"))
        .map_sqlx_sqlite_pool_opts(|pool| pool.after_connect(stable_plans));
    Database::connect(options).await
}

/// Gives SQLite's own allocations (its page caches, and every value of
/// every row, which sqlx copies out with `sqlite3_value_dup`) to mimalloc,
/// as Rust's are, and turns off SQLite's memory statistics, which take a
/// process-wide mutex on every allocation. With glibc's malloc and the
/// statistics, an uncached `Tools(first: 50)` spent about 12 % of its CPU
/// there (`_int_malloc`, `malloc_consolidate`, `pthread_mutex_lock`…), and
/// each of SQLite's worker threads kept a glibc arena of its own.
///
/// SQLite takes this only before it first initialises (the first
/// connection opened in the process); later calls change nothing.
fn sqlite_allocations() {
    use libsqlite3_sys as ffi;
    use std::ffi::{c_int, c_void};

    unsafe extern "C" fn allocate(size: c_int) -> *mut c_void {
        // SAFETY: any size is valid; SQLite asks only for positive ones.
        unsafe { libmimalloc_sys::mi_malloc(usize::try_from(size).unwrap_or(0)) }
    }
    unsafe extern "C" fn free(block: *mut c_void) {
        // SAFETY: SQLite frees only what `allocate`/`reallocate` gave it.
        unsafe { libmimalloc_sys::mi_free(block) }
    }
    unsafe extern "C" fn reallocate(block: *mut c_void, size: c_int) -> *mut c_void {
        // SAFETY: as for `free`; the block may move.
        unsafe { libmimalloc_sys::mi_realloc(block, usize::try_from(size).unwrap_or(0)) }
    }
    unsafe extern "C" fn size_of(block: *mut c_void) -> c_int {
        // SAFETY: as for `free`.
        let size = unsafe { libmimalloc_sys::mi_usable_size(block) };
        c_int::try_from(size).unwrap_or(c_int::MAX)
    }
    unsafe extern "C" fn round_up(size: c_int) -> c_int {
        // What `allocate` would give: SQLite asks before allocating.
        let size = usize::try_from(size).unwrap_or(0);
        // SAFETY: a pure function of its argument.
        let good = unsafe { libmimalloc_sys::mi_good_size(size) };
        c_int::try_from(good).unwrap_or(c_int::MAX)
    }
    unsafe extern "C" fn init(_: *mut c_void) -> c_int {
        ffi::SQLITE_OK
    }
    unsafe extern "C" fn shutdown(_: *mut c_void) {}

    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let methods = ffi::sqlite3_mem_methods {
            xMalloc: Some(allocate),
            xFree: Some(free),
            xRealloc: Some(reallocate),
            xSize: Some(size_of),
            xRoundup: Some(round_up),
            xInit: Some(init),
            xShutdown: Some(shutdown),
            pAppData: std::ptr::null_mut(),
        };
        // SAFETY: both options are set before SQLite initialises or not at
        // all (SQLITE_MISUSE, then SQLite keeps its defaults); SQLite copies
        // the methods, which are functions that live as long as the process.
        let (malloc, statistics) = unsafe {
            (
                ffi::sqlite3_config(ffi::SQLITE_CONFIG_MALLOC, &methods as *const _),
                ffi::sqlite3_config(ffi::SQLITE_CONFIG_MEMSTATUS, 0 as c_int),
            )
        };
        if malloc != ffi::SQLITE_OK || statistics != ffi::SQLITE_OK {
            tracing::debug!(
                malloc,
                statistics,
                "SQLite had started: it keeps its own allocator"
            );
        }
    });
}

/// Turns on SQLite's query planner stability guarantee for a new connection.
///
/// Without it SQLite plans some statements for the values bound to them: a
/// `LIMIT ?` (every `.one()` and every page of a list) or a `LIKE ?`. Such a
/// statement is marked stale whenever a value is bound again, so the
/// prepared statement sqlx keeps is parsed and planned afresh on every run:
/// about 6 % of an uncached `Compare`'s CPU went to that (`sqlite3Reprepare`
/// under `sqlite3_step`). With the guarantee a statement keeps its plan.
fn stable_plans(
    connection: &mut sea_orm::sqlx::SqliteConnection,
    _: sea_orm::sqlx::pool::PoolConnectionMetadata,
) -> futures::future::BoxFuture<'_, Result<(), sea_orm::sqlx::Error>> {
    Box::pin(async move {
        let mut handle = connection.lock_handle().await?;
        let raw = handle.as_raw_handle();
        // SAFETY: the handle is locked (sqlx's worker makes no call on it
        // meanwhile) and valid while `handle` lives; this option takes an
        // int and an optional out-pointer, given as null.
        let code = unsafe {
            libsqlite3_sys::sqlite3_db_config(
                raw.as_ptr(),
                libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
                1 as std::ffi::c_int,
                std::ptr::null_mut::<std::ffi::c_int>(),
            )
        };
        if code == libsqlite3_sys::SQLITE_OK {
            Ok(())
        } else {
            Err(sea_orm::sqlx::Error::Protocol(format!(
                "sqlite3_db_config(SQLITE_DBCONFIG_ENABLE_QPSG) failed with code {code}"
            )))
        }
    })
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// The file path of a `sqlite:` URL, if it is one and not in memory.
fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.contains(":memory:")).then_some(path)
}

#[cfg(test)]
mod tests {
    use super::{connect, connect_log, sqlite_file};

    #[test]
    fn sqlite_file_of_urls_is_the_path() {
        assert_eq!(
            sqlite_file("sqlite://data/v.db?mode=rwc"),
            Some("data/v.db")
        );
        assert_eq!(sqlite_file("sqlite:///tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://h/db"), None);
    }

    /// Whether the query planner stability guarantee is on for a
    /// connection of `db`'s pool.
    async fn plans_are_stable(db: &sea_orm::DatabaseConnection) -> bool {
        let mut connection = db.get_sqlite_connection_pool().acquire().await.unwrap();
        let mut handle = connection.lock_handle().await.unwrap();
        let mut on: std::ffi::c_int = -1;
        // SAFETY: the handle is locked and valid; -1 asks for the setting
        // without changing it, written to `on`.
        let code = unsafe {
            libsqlite3_sys::sqlite3_db_config(
                handle.as_raw_handle().as_ptr(),
                libsqlite3_sys::SQLITE_DBCONFIG_ENABLE_QPSG,
                -1 as std::ffi::c_int,
                &mut on as *mut std::ffi::c_int,
            )
        };
        assert_eq!(code, libsqlite3_sys::SQLITE_OK);
        on == 1
    }

    #[tokio::test]
    async fn every_sqlite_connection_keeps_its_plans_whatever_is_bound() {
        let dir = std::env::temp_dir().join(format!("verdicts-db-test-{}", std::process::id()));
        let url = format!("sqlite://{}/plans.db?mode=rwc", dir.display());
        let (pool, _) = connect(&url, 2).await.unwrap();
        assert!(plans_are_stable(&pool).await, "the pool's connections");
        let log = connect_log(&url, &pool).await.unwrap();
        assert!(plans_are_stable(&log).await, "the change log's connections");
        let (memory, _) = connect("sqlite::memory:", 1).await.unwrap();
        assert!(plans_are_stable(&memory).await, "an in-memory database");
        let _ = std::fs::remove_dir_all(dir);
    }
}
