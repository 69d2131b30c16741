//! What a kept answer read, and what has changed since: the response cache
//! asks this module whether an answer is still fresh, without a database
//! round trip.
//!
//! Every request the cache may keep records what it read ([`Reads`]: tools,
//! comparisons, categories, reviewers by id, and "any list of X", where
//! lists ordered or filtered by score are their own topics because any vote
//! (community score) or any review (panel score) can reorder them). Writers
//! leave a row per thing they touched in the `content_changes` log
//! (triggers, inside the writing transaction: migration 10). Each
//! instance keeps, in memory, the epoch at which every [`Read`] last changed:
//! it polls the log every [`POLL_EVERY`], at once after its own writes, and
//! on PostgreSQL also when another instance says it wrote (`NOTIFY`). An
//! answer computed from epoch `e` on is fresh while nothing it read changed
//! after `e`.
//!
//! The bound: an instance serves kept answers only while its last successful
//! poll started less than [`STALENESS_BOUND`] ago, so a kept answer never
//! misses a change committed more than that before it is served, whichever
//! instance wrote it. The log is read through connections of its own (see
//! [`crate::db::connect_log`]), so polls never wait behind requests for the
//! pool, and a poll that takes longer than the bound fails. A change this
//! instance made is applied before the write is answered (GraphQL mutations,
//! and so the forms that run them, poll on their way out), and any other
//! write through this process's pool (a background task, a mutation's own
//! that was given up on) makes the next lookup poll first.
//!
//! Which rows are new: on SQLite writers take turns, so ids commit in order
//! and a poll reads the rows after the last id it read. On PostgreSQL ids are
//! handed out when a row is inserted, and transactions commit in any order,
//! so "after the last id" could skip a row with a smaller id committed later:
//! a poll takes the rows its snapshot sees that the last poll's snapshot did
//! not (by the writing transaction's id, see migration 10).
//!
//! Which rows may go: a row is deleted only once it is settled, committed at
//! least [`KEEP_LOG`] ago. Every so often the pruner marks the log (SQLite:
//! its last id; PostgreSQL: a snapshot, never an id, for the same reason as
//! above) and, [`KEEP_LOG`] later, deletes the rows that mark saw committed.
//! An instance whose last good poll started less than [`KEEP_LOG`] ago
//! thus finds every row committed since; one that could not read the log
//! for half of that ends every kept answer when it next reads it.

use std::{
    collections::{HashMap, HashSet},
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex, RwLock,
    },
    time::{Duration, Instant},
};

use sea_orm::{sqlx, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement, Value};

/// How often the log is read when nothing else asks for it.
pub const POLL_EVERY: Duration = Duration::from_millis(200);
/// How old a kept answer's view of other instances' writes may be, at most.
pub const STALENESS_BOUND: Duration = Duration::from_secs(1);
/// How long log rows are kept after they commit: an instance that could not
/// read the log for half of this ends every kept answer when it next reads it.
pub const KEEP_LOG: Duration = Duration::from_secs(60);
/// Rows read in one poll at most; more end every kept answer.
const MAX_ROWS: usize = 10_000;
/// Distinct reads one answer records at most; more count as reading everything.
const MAX_READS: usize = 4_096;
/// The PostgreSQL channel instances use to say "read the log now".
pub const CHANNEL: &str = "verdicts_changes";
/// How long after a write statement outside a mutation lookups still read
/// the log first: its transaction commits some time after the statement.
const COMMIT_GRACE: Duration = Duration::from_millis(100);

/// The time base of every instant kept as milliseconds here.
static ORIGIN: std::sync::LazyLock<Instant> = std::sync::LazyLock::new(Instant::now);

/// Milliseconds since [`ORIGIN`], plus one (0 means "never").
fn millis(at: Instant) -> u64 {
    u64::try_from(at.saturating_duration_since(*ORIGIN).as_millis()).unwrap_or(u64::MAX) + 1
}

tokio::task_local! {
    /// Set on the tasks whose writes are announced by the request they serve
    /// (see [`announced`]).
    static ANNOUNCED: ();
}

/// Runs `work` as writes some request announces: it reads the log with
/// [`Changes::after_write`] once `work` is done and before it answers (a
/// GraphQL mutation; the vote writer, on behalf of the mutations waiting for
/// it). The pool's statement hook leaves such writes alone: they are
/// applied once, by that read, instead of making every lookup meanwhile read
/// the log first.
pub async fn announced<F: std::future::Future>(work: F) -> F::Output {
    ANNOUNCED.scope((), work).await
}

/// Writes through this process's pool that no request announces (a
/// background task, a test writing through the server's pool, a mutation
/// given up on before it could announce): the pool's statement hook notes
/// them, and lookups read the log first for a while after each (see
/// [`Changes::stamp`]). Only the writes made inside [`announced`] are left
/// to the request that runs them: a write made elsewhere meanwhile is noted
/// like any other.
#[derive(Debug, Default)]
pub struct LocalWrites {
    /// When the last such write statement ran ([`millis`]; 0: never).
    last_ms: AtomicU64,
}

impl LocalWrites {
    /// Notes a statement the pool ran.
    pub fn statement(&self, sql: &str) {
        if ANNOUNCED.try_with(|_| ()).is_err() && is_write(sql) {
            self.wrote();
        }
    }

    /// Notes that content may have been written just now (or will commit
    /// within [`COMMIT_GRACE`]) without being announced.
    pub fn wrote(&self) {
        self.last_ms
            .fetch_max(millis(Instant::now()), Ordering::AcqRel);
    }
}

/// Held while a mutation runs: if it is given up on before its writes were
/// announced (the client went away, the request ran out of time), dropping it
/// notes a local write instead (see [`LocalWrites`]).
pub struct Mutating {
    local: Arc<LocalWrites>,
    announced: bool,
}

impl Mutating {
    /// The mutation's writes were announced ([`Changes::after_write`]).
    pub fn done(mut self) {
        self.announced = true;
    }
}

impl Drop for Mutating {
    fn drop(&mut self) {
        if !self.announced {
            self.local.wrote();
        }
    }
}

/// One thing an answer read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Read {
    /// A tool: its row, reviews, scores, history, and the picks between it
    /// and other tools.
    Tool(i64),
    /// A curated comparison (its picks are its tools' pair's: see `p`).
    Comparison(i64),
    /// A category.
    Category(i64),
    /// A reviewer and their reviews.
    Reviewer(i64),
    /// Which tools a list holds (and a lookup by slug that found none).
    Tools,
    /// Which comparisons a list holds.
    Comparisons,
    /// Which categories there are, by slug (a list of them also reads each
    /// one it shows).
    Categories,
    /// Which reviewers there are.
    Reviewers,
    /// Any order or filter by panel score: every review changes it.
    PanelScores,
    /// Any order or filter by community score: every vote changes it.
    CommunityScores,
}

/// What one request read, filled in while it runs (shared by the loaders
/// and resolvers of every operation a page runs).
#[derive(Debug)]
pub struct Reads {
    /// Whether anyone will look (no answer is kept: nothing is recorded).
    on: bool,
    recorded: Mutex<Recorded>,
}

impl Default for Reads {
    fn default() -> Self {
        Reads {
            on: true,
            recorded: Mutex::default(),
        }
    }
}

#[derive(Debug, Default)]
struct Recorded {
    everything: bool,
    reads: HashSet<Read>,
}

/// What a kept answer read: `None` is everything.
pub type ReadSet = Option<Box<[Read]>>;

impl Reads {
    /// The record of a request whose answer is not kept: it records nothing.
    pub fn ignored() -> Arc<Reads> {
        static IGNORED: std::sync::LazyLock<Arc<Reads>> = std::sync::LazyLock::new(|| {
            Arc::new(Reads {
                on: false,
                recorded: Mutex::default(),
            })
        });
        IGNORED.clone()
    }

    /// Records one read.
    pub fn read(&self, read: Read) {
        if !self.on {
            return;
        }
        let mut recorded = self.recorded.lock().unwrap_or_else(|p| p.into_inner());
        if recorded.everything {
            return;
        }
        recorded.reads.insert(read);
        if recorded.reads.len() > MAX_READS {
            recorded.everything = true;
            recorded.reads = HashSet::new();
        }
    }

    /// Records several reads.
    pub fn all(&self, reads: impl IntoIterator<Item = Read>) {
        if !self.on {
            return;
        }
        for read in reads {
            self.read(read);
        }
    }

    /// A tool read by id.
    pub fn tool(&self, id: i64) {
        self.read(Read::Tool(id));
    }

    /// Tools read by id.
    pub fn tools(&self, ids: impl IntoIterator<Item = i64>) {
        self.all(ids.into_iter().map(Read::Tool));
    }

    /// A comparison and the two tools whose publication decides whether
    /// readers may see it.
    pub fn comparison(&self, id: i64, left: i64, right: i64) {
        self.all([Read::Comparison(id), Read::Tool(left), Read::Tool(right)]);
    }

    /// Something that cannot say what it read: the answer ends with any change.
    pub fn everything(&self) {
        if !self.on {
            return;
        }
        let mut recorded = self.recorded.lock().unwrap_or_else(|p| p.into_inner());
        recorded.everything = true;
        recorded.reads = HashSet::new();
    }

    /// What was read so far.
    pub fn set(&self) -> ReadSet {
        if !self.on {
            return None;
        }
        let recorded = self.recorded.lock().unwrap_or_else(|p| p.into_inner());
        (!recorded.everything).then(|| recorded.reads.iter().copied().collect())
    }

    /// Whether nothing at all was recorded.
    pub fn is_empty(&self) -> bool {
        let recorded = self.recorded.lock().unwrap_or_else(|p| p.into_inner());
        !recorded.everything && recorded.reads.is_empty()
    }
}

/// The reads one log row ends; `None` for everything.
fn ended_by(topic: &str, subject: i64) -> Option<(Read, Option<Read>)> {
    Some(match topic {
        "t" => (Read::Tool(subject), None),
        "v" => (Read::Tool(subject), Some(Read::CommunityScores)),
        "r" => (Read::Tool(subject), Some(Read::PanelScores)),
        "T" => (Read::Tools, None),
        "c" => (Read::Comparison(subject), None),
        // A pick between this tool and another (migration 17): every page
        // that shows a pair reads both its tools.
        "p" => (Read::Tool(subject), None),
        "C" => (Read::Comparisons, None),
        "g" => (Read::Category(subject), None),
        "G" => (Read::Categories, None),
        "e" => (Read::Reviewer(subject), None),
        "E" => (Read::Reviewers, None),
        _ => return None,
    })
}

/// When each read last changed, in this instance's epochs.
#[derive(Debug, Default)]
struct Epochs {
    /// Grows by one with every poll that found changes.
    now: u64,
    /// The last epoch that ended everything.
    everything: u64,
    /// The last epoch with any change at all (ends the answers that read everything).
    any: u64,
    changed: HashMap<Read, u64>,
}

/// Where the last poll stopped reading the log.
#[derive(Debug, Default)]
enum Cursor {
    /// Not read yet: the first poll starts at the log's end.
    #[default]
    Unread,
    /// SQLite: the last row id read (rows commit in id order).
    AfterId(i64),
    /// PostgreSQL: the snapshot of the last read, as text; the next read
    /// takes the rows it could not see.
    Snapshot(String),
}

#[derive(Debug, Default)]
struct PollState {
    cursor: Cursor,
    /// Which poll last ran (see [`Changes::sync`]).
    sequence: u64,
    /// Whether it succeeded.
    ok: bool,
    /// When the last successful poll started.
    last_good: Option<Instant>,
}

/// Counts for `/metrics`.
#[derive(Debug, Default)]
pub struct Counts {
    /// Reads of the change log.
    pub polls: AtomicU64,
    /// Log rows applied.
    pub changes: AtomicU64,
}

/// This instance's view of what changed, shared by every request.
pub struct Changes {
    /// The log's own connections (see [`crate::db::connect_log`]).
    db: DatabaseConnection,
    /// Writes through this process's pool (see [`crate::db`]).
    local: Arc<LocalWrites>,
    epochs: RwLock<Epochs>,
    polls_started: AtomicU64,
    state: tokio::sync::Mutex<PollState>,
    /// When the last successful poll started ([`millis`]; 0: never).
    last_good_ms: AtomicU64,
    /// Another instance said it wrote, and no poll has started since.
    notified: std::sync::atomic::AtomicBool,
    /// PostgreSQL: how many changes this instance had applied when it last
    /// told the others (see [`Changes::after_write`]).
    told: tokio::sync::Mutex<u64>,
    /// Polls and changes applied.
    pub counts: Counts,
}

impl Changes {
    /// A view that has read nothing yet (it is not current until its first
    /// poll), reading the log through `db`; `local` notes the pool's writes.
    pub fn new(db: DatabaseConnection, local: Arc<LocalWrites>) -> Self {
        Changes {
            db,
            local,
            epochs: RwLock::new(Epochs::default()),
            polls_started: AtomicU64::new(0),
            state: tokio::sync::Mutex::new(PollState::default()),
            last_good_ms: AtomicU64::new(0),
            notified: Default::default(),
            told: tokio::sync::Mutex::new(0),
            counts: Counts::default(),
        }
    }

    /// A view that counts as current whatever the time (for tests that
    /// apply changes by hand).
    #[cfg(test)]
    pub(crate) fn assume_current(&self) {
        self.last_good_ms.store(u64::MAX / 2, Ordering::Release);
    }

    /// Whether this instance has read the log recently enough to serve kept
    /// answers (see [`STALENESS_BOUND`]).
    pub fn current(&self) -> bool {
        let last = self.last_good_ms.load(Ordering::Acquire);
        last != 0
            && millis(Instant::now()).saturating_sub(last) < STALENESS_BOUND.as_millis() as u64
    }

    /// The epoch to compute an answer from, taken before it reads anything;
    /// `None` when answers may not be kept or served now (the log could not
    /// be read lately). Reads the log first while a write outside a mutation
    /// may have committed since the last read (see [`LocalWrites`]), and when
    /// another instance said it wrote.
    pub async fn stamp(&self) -> Option<u64> {
        let wrote = self.local.last_ms.load(Ordering::Acquire);
        let grace = COMMIT_GRACE.as_millis() as u64;
        let unsettled = wrote != 0 && self.last_good_ms.load(Ordering::Acquire) < wrote + grace;
        if unsettled || self.notified.load(Ordering::Acquire) {
            self.sync().await;
        }
        if !self.current() {
            return None;
        }
        Some(self.epochs.read().unwrap_or_else(|p| p.into_inner()).now)
    }

    /// Whether an answer computed from epoch `stamp` that read `reads` is
    /// still fresh.
    pub fn fresh(&self, stamp: u64, reads: &ReadSet) -> bool {
        if !self.current() {
            return false;
        }
        let epochs = self.epochs.read().unwrap_or_else(|p| p.into_inner());
        if epochs.everything > stamp {
            return false;
        }
        match reads {
            None => epochs.any <= stamp,
            Some(reads) => reads
                .iter()
                .all(|read| epochs.changed.get(read).is_none_or(|at| *at <= stamp)),
        }
    }

    /// Reads the log with a poll that started after this call; `true` when
    /// that poll succeeded. Concurrent callers share one poll.
    pub async fn sync(&self) -> bool {
        let arrived = self.polls_started.load(Ordering::SeqCst);
        let mut state = self.state.lock().await;
        if state.sequence > arrived {
            return state.ok;
        }
        state.sequence = self.polls_started.fetch_add(1, Ordering::SeqCst) + 1;
        self.notified.store(false, Ordering::Release);
        let started = Instant::now();
        self.counts.polls.fetch_add(1, Ordering::Relaxed);
        let gap = state
            .last_good
            .is_some_and(|last| started.duration_since(last) > KEEP_LOG / 2);
        // A poll slower than the bound could not keep the view current
        // anyway; failing it frees the callers waiting for it.
        let polled = tokio::time::timeout(STALENESS_BOUND, self.poll(&mut state.cursor))
            .await
            .unwrap_or_else(|_| {
                Err(DbErr::Custom(
                    "the change log took too long to read".to_owned(),
                ))
            });
        state.ok = match polled {
            Ok(Some(changes)) => {
                self.apply(&changes, gap);
                true
            }
            // The first read: nothing was kept before it.
            Ok(None) => true,
            Err(error) => {
                tracing::warn!(%error, "cannot read the change log; kept answers are not served");
                false
            }
        };
        if state.ok {
            state.last_good = Some(started);
            self.last_good_ms.store(millis(started), Ordering::Release);
        }
        state.ok
    }

    /// A mutation starts: run its work inside [`announced`], then
    /// [`Changes::after_write`], then [`Mutating::done`].
    pub fn mutating(&self) -> Mutating {
        Mutating {
            local: self.local.clone(),
            announced: false,
        }
    }

    /// After this instance wrote: applies its changes before the write is
    /// answered, and on PostgreSQL tells the other instances to read too.
    /// When the log cannot be read, nothing is served from the cache until
    /// it can (the writer's next read must not be a kept answer its write
    /// changed).
    ///
    /// Writers that finish together share one notification: each waits
    /// until one sent after the poll that applied its changes has gone out
    /// (one a writer before it sent, or its own), so no write is answered
    /// before the others were told of it, and a batch of 64 votes costs one
    /// `pg_notify` (a commit of its own, flushed to disk), not 64.
    pub async fn after_write(&self) {
        let before = self.counts.changes.load(Ordering::Acquire);
        if !self.sync().await {
            self.last_good_ms.store(0, Ordering::Release);
            return;
        }
        let applied = self.counts.changes.load(Ordering::Acquire);
        if applied == before || self.db.get_database_backend() != DbBackend::Postgres {
            return;
        }
        let mut told = self.told.lock().await;
        if *told >= applied {
            return;
        }
        // Everything applied by now goes with this notification.
        let telling = self.counts.changes.load(Ordering::Acquire);
        let notify = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, '') /* content_changes */",
            [CHANNEL.into()],
        );
        match self.db.execute_raw(notify).await {
            Ok(_) => *told = telling,
            Err(error) => {
                tracing::warn!(%error, "cannot tell the other instances about a change");
            }
        }
    }

    /// Applies log rows read (`gap`: rows may have been missed).
    pub(crate) fn apply(&self, changes: &[(String, i64)], gap: bool) {
        if changes.is_empty() && !gap {
            return;
        }
        self.counts
            .changes
            .fetch_add(changes.len() as u64, Ordering::Relaxed);
        let mut epochs = self.epochs.write().unwrap_or_else(|p| p.into_inner());
        epochs.now += 1;
        let now = epochs.now;
        epochs.any = now;
        if gap || changes.len() > MAX_ROWS {
            epochs.everything = now;
            return;
        }
        for (topic, subject) in changes {
            match ended_by(topic, *subject) {
                Some((read, also)) => {
                    epochs.changed.insert(read, now);
                    if let Some(also) = also {
                        epochs.changed.insert(also, now);
                    }
                }
                None => epochs.everything = now,
            }
        }
    }

    /// The log's rows after the cursor, moving it on; `None` on the first read.
    async fn poll(&self, cursor: &mut Cursor) -> Result<Option<Vec<(String, i64)>>, DbErr> {
        let backend = self.db.get_database_backend();
        let limit = MAX_ROWS as i64 + 1;
        match (backend, &*cursor) {
            (DbBackend::Postgres, Cursor::Snapshot(snapshot)) => {
                // One statement, so the rows and the new snapshot agree: the
                // rows are those this snapshot sees and the last one did not.
                let statement = Statement::from_sql_and_values(
                    backend,
                    "SELECT * FROM (SELECT topic, subject, NULL::text AS snapshot
                       FROM content_changes
                      WHERE xid >= pg_snapshot_xmin($1::pg_snapshot)
                        AND NOT pg_visible_in_snapshot(xid, $1::pg_snapshot)
                      LIMIT $2) AS changed
                     UNION ALL SELECT NULL, NULL, pg_current_snapshot()::text",
                    [Value::from(snapshot.as_str()), Value::from(limit)],
                );
                let mut changes = Vec::new();
                let mut next = None;
                for row in self.db.query_all_raw(statement).await? {
                    match row.try_get_by_index::<Option<String>>(2)? {
                        Some(snapshot) => next = Some(snapshot),
                        None => changes.push((
                            row.try_get_by_index::<String>(0)?,
                            row.try_get_by_index::<i64>(1)?,
                        )),
                    }
                }
                let next = next.ok_or_else(|| DbErr::Custom("no snapshot read".to_owned()))?;
                *cursor = Cursor::Snapshot(next);
                Ok(Some(changes))
            }
            (DbBackend::Postgres, _) => {
                let statement =
                    Statement::from_string(backend, "SELECT pg_current_snapshot()::text");
                let row = self
                    .db
                    .query_one_raw(statement)
                    .await?
                    .ok_or_else(|| DbErr::Custom("no snapshot read".to_owned()))?;
                *cursor = Cursor::Snapshot(row.try_get_by_index::<String>(0)?);
                Ok(None)
            }
            (_, Cursor::AfterId(after)) => {
                let statement = Statement::from_sql_and_values(
                    backend,
                    "SELECT id, topic, subject FROM content_changes WHERE id > ? ORDER BY id LIMIT ?",
                    [Value::from(*after), Value::from(limit)],
                );
                let mut last = *after;
                let mut changes = Vec::new();
                for row in self.db.query_all_raw(statement).await? {
                    last = row.try_get_by_index::<i64>(0)?;
                    changes.push((
                        row.try_get_by_index::<String>(1)?,
                        row.try_get_by_index::<i64>(2)?,
                    ));
                }
                *cursor = Cursor::AfterId(last);
                Ok(Some(changes))
            }
            (_, _) => {
                let statement = Statement::from_string(
                    backend,
                    "SELECT COALESCE(MAX(id), 0) FROM content_changes",
                );
                let row = self
                    .db
                    .query_one_raw(statement)
                    .await?
                    .ok_or_else(|| DbErr::Custom("no log end read".to_owned()))?;
                *cursor = Cursor::AfterId(row.try_get_by_index::<i64>(0)?);
                Ok(None)
            }
        }
    }

    /// Keeps this view current: polls every [`POLL_EVERY`], prunes the log
    /// (apart, so that a slow delete never delays a poll), and on PostgreSQL
    /// polls as soon as another instance says it wrote.
    pub async fn watch(self: Arc<Self>) {
        if self.db.get_database_backend() == DbBackend::Postgres {
            let pool = self.db.get_postgres_connection_pool().clone();
            tokio::spawn(listen(pool, Arc::downgrade(&self)));
        }
        let polls = async {
            let mut ticks = tokio::time::interval(POLL_EVERY);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                self.sync().await;
            }
        };
        let prunes = async {
            let mut pruner = Pruner::new(KEEP_LOG);
            let mut ticks = tokio::time::interval(KEEP_LOG / 6);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                pruner.prune(&self).await;
            }
        };
        futures::future::join(polls, prunes).await;
    }
}

/// Where the log stood at some time: every row it covers had committed.
#[derive(Debug)]
enum Mark {
    /// SQLite: the last id (ids commit in order).
    UpTo(i64),
    /// PostgreSQL: a snapshot, as text; it covers the rows it sees.
    Snapshot(String),
}

/// Deletes the settled rows of the log: those committed at least `keep`
/// before (see the module's notes).
#[derive(Debug)]
pub struct Pruner {
    keep: Duration,
    /// Marks taken, oldest first.
    marks: std::collections::VecDeque<(Instant, Mark)>,
}

impl Pruner {
    /// A pruner that keeps rows for `keep` after they commit ([`KEEP_LOG`]
    /// in the server).
    pub fn new(keep: Duration) -> Self {
        Pruner {
            keep,
            marks: Default::default(),
        }
    }

    /// Marks where the log stands now, and deletes the rows covered by the
    /// newest mark that is at least `keep` old.
    pub async fn prune(&mut self, changes: &Changes) {
        let db = &changes.db;
        let backend = db.get_database_backend();
        let (sql, postgres) = match backend {
            DbBackend::Postgres => (
                "SELECT pg_current_snapshot()::text /* content_changes */",
                true,
            ),
            _ => ("SELECT COALESCE(MAX(id), 0) FROM content_changes", false),
        };
        match db.query_one_raw(Statement::from_string(backend, sql)).await {
            Ok(Some(row)) => {
                let mark = if postgres {
                    row.try_get_by_index::<String>(0).map(Mark::Snapshot)
                } else {
                    row.try_get_by_index::<i64>(0).map(Mark::UpTo)
                };
                match mark {
                    Ok(mark) => self.marks.push_back((Instant::now(), mark)),
                    Err(error) => tracing::warn!(%error, "cannot read where the change log stands"),
                }
            }
            Ok(None) => {}
            Err(error) => tracing::warn!(%error, "cannot read where the change log stands"),
        }
        let mut settled = None;
        while let Some((at, _)) = self.marks.front() {
            if at.elapsed() < self.keep {
                break;
            }
            settled = self.marks.pop_front().map(|(_, mark)| mark);
        }
        let delete = match settled {
            None => return,
            Some(Mark::UpTo(id)) => Statement::from_sql_and_values(
                backend,
                "DELETE FROM content_changes WHERE id <= ?",
                [Value::from(id)],
            ),
            // Not by id: a row with a smaller id than some the mark saw may
            // have committed after it, unread by some instance yet.
            Some(Mark::Snapshot(snapshot)) => Statement::from_sql_and_values(
                backend,
                "DELETE FROM content_changes
                  WHERE xid < pg_snapshot_xmax($1::pg_snapshot)
                    AND pg_visible_in_snapshot(xid, $1::pg_snapshot)",
                [Value::from(snapshot)],
            ),
        };
        if let Err(error) = db.execute_raw(delete).await {
            tracing::warn!(%error, "cannot prune the change log");
        }
    }
}

async fn listen(pool: sqlx::PgPool, changes: std::sync::Weak<Changes>) {
    loop {
        match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(mut listener) => match listener.listen(CHANNEL).await {
                Ok(()) => loop {
                    match listener.recv().await {
                        Ok(_) => {
                            // One poll for everything said meanwhile.
                            while listener.next_buffered().is_some() {}
                            let Some(changes) = changes.upgrade() else {
                                return;
                            };
                            // Lookups from now on wait for the poll.
                            changes.notified.store(true, Ordering::Release);
                            changes.sync().await;
                        }
                        Err(error) => {
                            tracing::warn!(%error, "lost the LISTEN connection for changes");
                            break;
                        }
                    }
                },
                Err(error) => tracing::warn!(%error, "cannot LISTEN for changes"),
            },
            Err(error) => tracing::warn!(%error, "cannot connect to LISTEN for changes"),
        }
        if changes.strong_count() == 0 {
            return;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Whether a statement is this module's own (reading, pruning or
/// announcing the change log), not one a request or a writer ran.
pub fn is_bookkeeping(sql: &str) -> bool {
    sql.contains("content_changes")
}

/// Whether a statement only touches the webhook outbox, which no reader
/// sees: its writes change no kept answer.
pub fn is_outbox(sql: &str) -> bool {
    sql.contains("webhook_")
}

/// The tables whose changes readers see (their triggers write the log:
/// `WATCHED` in migrations 10 and 13).
const CONTENT_TABLES: [&str; 13] = [
    "categories",
    "tools",
    "reviewers",
    "reviews",
    "comparisons",
    "picks",
    "votes",
    "score_snapshots",
    "settings",
    "tool_releases",
    "review_revisions",
    "tool_facts",
    "category_fact_labels",
];

/// Whether a statement may change what readers see: an `INSERT`, `UPDATE`
/// or `DELETE` of a content table, or a statement that cannot be told
/// (`WITH …`). Writes to counters (rate limits, budgets, sessions) are not.
pub fn is_write(sql: &str) -> bool {
    let mut words = sql.split_whitespace();
    let verb = words.next().unwrap_or("");
    let table = if verb.eq_ignore_ascii_case("UPDATE") {
        words.next()
    } else if verb.eq_ignore_ascii_case("INSERT") || verb.eq_ignore_ascii_case("DELETE") {
        // `INSERT INTO t`, `DELETE FROM t`
        words.nth(1)
    } else {
        return verb.eq_ignore_ascii_case("WITH");
    };
    let Some(table) = table else {
        return true;
    };
    let name = table
        .split('(')
        .next()
        .unwrap_or(table)
        .trim_matches('"')
        .to_ascii_lowercase();
    CONTENT_TABLES.contains(&name.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes() -> Changes {
        let changes = Changes::new(DatabaseConnection::default(), Arc::default());
        changes.assume_current();
        changes
    }

    fn set(reads: &[Read]) -> ReadSet {
        Some(reads.into())
    }

    #[test]
    fn a_change_ends_only_the_answers_that_read_it() {
        let changes = changes();
        let stamp = 0;
        let a = set(&[Read::Tool(1), Read::Category(3)]);
        let b = set(&[Read::Tool(2)]);
        let ordered = set(&[Read::Tool(2), Read::CommunityScores]);
        let by_panel = set(&[Read::Tool(2), Read::PanelScores]);
        assert!(changes.fresh(stamp, &a) && changes.fresh(stamp, &b));
        changes.apply(&[("v".to_owned(), 1)], false);
        assert!(
            !changes.fresh(stamp, &a),
            "a vote on tool 1 ends what read it"
        );
        assert!(changes.fresh(stamp, &b), "and not what read tool 2 only");
        assert!(
            !changes.fresh(stamp, &ordered),
            "any vote reorders by community score"
        );
        assert!(changes.fresh(stamp, &by_panel), "but not by panel score");
        assert!(!changes.fresh(stamp, &None), "nor what read everything");
        // Computed after the change: fresh.
        assert!(changes.fresh(1, &a));
        changes.apply(&[("g".to_owned(), 3)], false);
        assert!(!changes.fresh(1, &a));
        changes.apply(&[("*".to_owned(), 0)], false);
        assert!(!changes.fresh(2, &b), "the settings end everything");
        assert!(changes.fresh(3, &b));
    }

    #[test]
    fn an_answer_from_before_a_change_is_not_fresh_whenever_it_is_kept() {
        let changes = changes();
        let reads = set(&[Read::Comparison(7)]);
        let stamp = 0;
        // The change is applied while the answer is being computed.
        changes.apply(&[("c".to_owned(), 7)], false);
        assert!(!changes.fresh(stamp, &reads));
    }

    #[test]
    fn a_long_gap_in_reading_the_log_ends_everything() {
        let changes = changes();
        changes.apply(&[], true);
        assert!(!changes.fresh(0, &set(&[Read::Tool(1)])));
        assert!(changes.fresh(1, &set(&[Read::Tool(1)])));
    }

    #[test]
    fn a_view_that_never_read_the_log_serves_nothing() {
        let changes = Changes::new(DatabaseConnection::default(), Arc::default());
        assert!(!changes.current());
        assert!(!changes.fresh(0, &set(&[])));
    }

    #[test]
    fn reads_past_the_cap_count_as_everything() {
        let reads = Reads::default();
        reads.tools(0..10);
        assert_eq!(reads.set().map(|s| s.len()), Some(10));
        reads.tools(0..(MAX_READS as i64 + 1));
        assert!(reads.set().is_none());
    }

    #[tokio::test]
    async fn only_a_requests_own_writes_are_left_to_it() {
        let local = Arc::new(LocalWrites::default());
        let noted = |local: &LocalWrites| local.last_ms.load(Ordering::Acquire) != 0;
        let (running, started) = tokio::sync::oneshot::channel();
        let (finish, finished) = tokio::sync::oneshot::channel::<()>();
        let mutation = tokio::spawn(announced({
            let local = local.clone();
            async move {
                local.statement("INSERT INTO votes (tool_id) VALUES (1)");
                let _ = running.send(());
                let _ = finished.await;
            }
        }));
        started.await.expect("the mutation runs");
        assert!(!noted(&local), "the mutation announces its own write");
        local.statement("UPDATE tools SET name = 'x'");
        assert!(noted(&local), "a write beside it is noted");
        let _ = finish.send(());
        mutation.await.expect("the mutation ends");

        let changes = Changes::new(DatabaseConnection::default(), Arc::default());
        changes.mutating().done();
        assert!(!noted(&changes.local), "an announced mutation");
        drop(changes.mutating());
        assert!(
            noted(&changes.local),
            "a mutation given up on before it announced is noted"
        );
    }

    #[test]
    fn writes_of_content_are_told_from_the_rest() {
        assert!(is_write("INSERT INTO votes ..."));
        assert!(is_write("INSERT INTO \"votes\" (\"tool_id\") VALUES (?)"));
        assert!(is_write("INSERT INTO score_snapshots(tool_id) SELECT"));
        assert!(is_write("  update \"tools\" set x = 1"));
        assert!(is_write("DELETE FROM \"reviews\" WHERE"));
        assert!(is_write("WITH x AS (SELECT 1) UPDATE tools"));
        assert!(!is_write("INSERT INTO rate_limits (bucket) VALUES ($1)"));
        assert!(!is_write("DELETE FROM \"sessions\" WHERE"));
        assert!(!is_write("SELECT 1"));
        assert!(!is_write("UP"));
    }
}
