//! Building and running the application: database, schema, router,
//! listener, and every background task (started in one place).

use std::{
    collections::HashMap,
    convert::Infallible,
    future::Future,
    net::{IpAddr, SocketAddr},
    path::Path,
    pin::Pin,
    sync::{
        atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering},
        Arc, Mutex,
    },
    task::{self, Poll},
    time::Duration,
};

use anyhow::Context;
use axum::body::Body;
use axum::Router;
use futures::{future::BoxFuture, FutureExt};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioExecutor, TokioIo, TokioTimer},
    server::conn::auto::Builder as ConnectionBuilder,
    service::TowerToHyperService,
};
use leptos::config::LeptosOptions;
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::{watch, OwnedSemaphorePermit, Semaphore},
    task::JoinHandle,
};
use tower::Service;

use crate::{
    caller::{ClientAddress, TrustedProxies},
    config::Config,
    dataset, db,
    domain::votes::VoteWriter,
    graphql::{build_schema, ApiSettings},
    live::{LiveScores, LiveTasks},
    mailer::{Mailer, OutboxSignal},
    routes,
    state::AppState,
    voter::VoterKey,
};

/// A server bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    background: Background,
}

impl Application {
    /// Connects and migrates the database, loads the demo catalogue into an
    /// empty one, and binds the listener (port 0 picks a free port).
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        tracing::info!(?config, "starting");
        if let Some(secret) = &config.secret {
            anyhow::ensure!(
                secret.len() >= 32,
                "VERDICTS_SECRET must be at least 32 characters"
            );
        }
        let (db, statements) = db::connect(&config.database_url, config.pool_size())
            .await
            .context("cannot open the database")?;
        db::migrate(&db)
            .await
            .context("cannot migrate the database")?;
        if let Some(path) = config.demo_data_path() {
            load_demo(&db, &path).await?;
        }
        let voter_key = VoterKey::load(&db, config.secret.as_deref()).await?;
        let (live, live_tasks) = LiveScores::new(&db);
        let log = db::connect_log(&config.database_url, &db)
            .await
            .context("cannot open the change log's connection")?;
        let changes = Arc::new(crate::changes::Changes::new(log, statements.writes()));
        // Current before the first request: from here on, the log says what
        // changed.
        changes.sync().await;
        crate::domain::webhooks::store_public_url(&db, &config.public_url)
            .await
            .context("cannot store the public address for webhooks")?;
        let rules = config.counting_rules();
        rules
            .store(&db)
            .await
            .context("cannot store the vote counting rule")?;
        let (votes, vote_writer) =
            VoteWriter::new(db.clone(), config.vote_limits(), rules, statements.writes());
        let outbox = OutboxSignal::default();
        let mailer = match &config.smtp_url {
            Some(url) => Some(Mailer::new(
                url,
                &config.mail_from,
                std::time::Duration::from_secs(config.mail_retry_secs.max(1)),
            )?),
            None => None,
        };
        let schema = build_schema(
            db.clone(),
            ApiSettings {
                min_community_votes: config.min_community_votes,
                vote_limits: config.vote_limits(),
                secure_cookies: config.secure_cookies,
                field_suggestions: config.field_suggestions,
                request_timeout: std::time::Duration::from_millis(config.request_timeout_ms),
                partner_vote_quota: config.partner_vote_quota,
                counting: crate::domain::integrity::Rules {
                    network_quota: config.vote_network_quota,
                    window_secs: config.vote_network_window_secs,
                    expire_days: config.held_votes_expire_days,
                },
                review_stale_days: config.review_stale_days,
                webhooks_allow_private: config.webhooks_allow_private,
            },
            (live.clone(), changes.clone()),
            (votes, voter_key.clone()),
            (config.mailing(), outbox.clone()),
        );
        let listener = TcpListener::bind(config.addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.addr))?;
        let leptos_options = LeptosOptions::builder()
            .output_name("verdicts")
            .site_root(config.site_root.to_string_lossy().as_ref())
            .site_pkg_dir("pkg")
            .site_addr(listener.local_addr()?)
            .build();
        let api_cost_budget = config.api_cost_budget;
        let render_permits = config.render_permits();
        let cache = Arc::new(crate::cache::ResponseCache::new(
            changes.clone(),
            config.cache_mb as usize * 1024 * 1024,
            std::time::Duration::from_secs(config.cache_secs),
        ));
        let state = AppState::new(crate::state::Shared {
            cache,
            db,
            schema,
            leptos_options,
            voter_key,
            statements,
            live,
            config: Arc::new(config),
            persisted_queries: Default::default(),
            budget: Arc::new(crate::budget::ApiBudget::new(api_cost_budget)),
            metrics: Default::default(),
            outbox,
            renders: Arc::new(tokio::sync::Semaphore::new(render_permits)),
        });
        let router = routes::router(state.clone());
        Ok(Application {
            listener,
            router,
            state,
            background: Background {
                changes: changes.watch().boxed(),
                vote_writer: vote_writer.boxed(),
                live: live_tasks,
                mailer,
            },
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The shared state (the database, the schema).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
    /// Meanwhile the background tasks run.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let tasks = self.background.start(&self.state).await;
        let address = self.listener.local_addr()?;
        tracing::info!(%address, "serving");
        if let Some(warning) = public_url_warning(address, &self.state.config.public_url) {
            tracing::warn!("{warning}");
        }
        let limits = ConnectionLimits::new(&self.state.config);
        serve(self.listener, self.router, limits, shutdown_signal()).await;
        for task in tasks {
            task.abort();
        }
        Ok(())
    }
}

/// What a connection may take of the server: time to send its headers (or,
/// new, its first byte), time doing nothing, a place among the connections
/// served at once, and one among those of its peer.
#[derive(Debug, Clone)]
struct ConnectionLimits {
    header_read_timeout: Duration,
    idle_timeout: Duration,
    max_connections: usize,
    /// Connections one TCP peer may hold at once (0: no cap).
    max_per_peer: usize,
    /// Peers exempt from `max_per_peer`: the proxies named by network.
    proxies: TrustedProxies,
}

/// File descriptors kept for everything but client connections, beyond
/// the database pool's: the listener, logs, the files of the site being
/// sent, mail, the runtime's own.
const RESERVED_FILES: u64 = 256;

impl ConnectionLimits {
    /// The limits from the settings, with the connection cap lowered to fit
    /// the open-file limit (raised first to its hard limit when allowed):
    /// past it, `accept` fails and so does opening a database connection or
    /// a file, for everyone.
    fn new(config: &Config) -> Self {
        let open_files = raise_open_file_limit();
        // An SQLite connection holds three files (the database, its WAL
        // and shared memory); a PostgreSQL one holds one socket.
        let pool_files =
            3 * u64::from(config.pool_size() + db::log_connections(&config.database_url));
        let max_connections = connections_within(config.max_connections, open_files, pool_files);
        if max_connections < config.max_connections.max(1) {
            tracing::warn!(
                max_connections,
                asked = config.max_connections,
                open_file_limit = open_files,
                "fewer connections than --max-connections: the open-file limit (ulimit -n) is lower"
            );
        } else {
            tracing::info!(
                max_connections,
                open_file_limit = open_files,
                "connection limit"
            );
        }
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(config.header_read_timeout_secs.max(1)),
            idle_timeout: Duration::from_secs(config.idle_timeout_secs.max(1)),
            max_connections,
            max_per_peer: config.max_connections_per_peer,
            proxies: config.trusted_proxies(),
        }
    }
}

/// The connections to serve at once: as many as asked, but with room left
/// under the open-file limit for the database pool's files and
/// [`RESERVED_FILES`] (each connection, WebSockets included, is one file).
/// With a limit too small for that, half of it.
fn connections_within(wanted: usize, open_files: Option<u64>, pool_files: u64) -> usize {
    let wanted = wanted.max(1);
    let Some(open_files) = open_files else {
        return wanted;
    };
    let reserved = pool_files + RESERVED_FILES;
    let room = if open_files > 2 * reserved {
        open_files - reserved
    } else {
        open_files / 2
    };
    wanted
        .min(usize::try_from(room).unwrap_or(usize::MAX))
        .max(1)
}

/// Raises the soft limit on open files to the hard limit when it is lower
/// (the default soft limit, often 1,024, is far below what a server needs);
/// the soft limit in force afterwards, or `None` where it cannot be read.
fn raise_open_file_limit() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit and setrlimit only read and write the struct passed.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                return None;
            }
            if limit.rlim_cur < limit.rlim_max {
                let raised = libc::rlimit {
                    rlim_cur: limit.rlim_max,
                    rlim_max: limit.rlim_max,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    limit = raised;
                }
            }
        }
        // RLIM_INFINITY is u64::MAX: any cap fits under it.
        Some(limit.rlim_cur)
    }
    #[cfg(not(unix))]
    None
}

/// The connections each TCP peer holds, so that one peer cannot take most
/// of the places (slow keep-alives, idle HTTP/2 connections). Peers are
/// counted as limits count clients: IPv4 addresses, IPv6 /64 networks.
struct Peers {
    max: usize,
    proxies: TrustedProxies,
    open: Mutex<HashMap<ClientAddress, usize>>,
}

impl Peers {
    fn new(limits: &ConnectionLimits) -> Arc<Self> {
        Arc::new(Peers {
            max: limits.max_per_peer,
            proxies: limits.proxies.clone(),
            open: Mutex::default(),
        })
    }

    /// A place for one more connection from `peer`; `None` when it holds
    /// its share already. A trusted proxy's connections carry many clients
    /// and are not capped here.
    fn admit(self: &Arc<Self>, peer: IpAddr) -> Option<PeerPlace> {
        if self.max == 0 || self.proxies.trusts_peer(peer) || self.proxies.counts_hops() {
            return Some(PeerPlace(None));
        }
        let address = ClientAddress::of(peer);
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.entry(address).or_insert(0);
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(PeerPlace(Some((self.clone(), address))))
    }
}

/// One connection's place among its peer's; dropping it frees the place.
struct PeerPlace(Option<(Arc<Peers>, ClientAddress)>);

impl Drop for PeerPlace {
    fn drop(&mut self) {
        if let Some((peers, address)) = &self.0 {
            let mut open = peers.open.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(count) = open.get_mut(address) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    open.remove(address);
                }
            }
        }
    }
}

/// Accepts connections (no more at once than the limit: the rest wait in
/// the kernel's queue; one more from a peer that holds its share is closed
/// at once) and serves each with HTTP/1 or HTTP/2 and upgrades, closing
/// those too slow to send headers or idle too long (no request in progress
/// and nothing received or sent). On `signal` it stops accepting and waits
/// for the requests in flight.
async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    signal: impl Future<Output = ()> + Send + 'static,
) {
    let mut make_service = router.into_make_service_with_connect_info::<SocketAddr>();
    let places = Arc::new(Semaphore::new(limits.max_connections));
    let peers = Peers::new(&limits);
    let (signal_tx, signal_rx) = watch::channel(());
    tokio::spawn(async move {
        signal.await;
        drop(signal_rx);
    });
    let (close_tx, close_rx) = watch::channel(());
    loop {
        let place = tokio::select! {
            place = places.clone().acquire_owned() => match place {
                Ok(place) => place,
                Err(_) => break,
            },
            () = signal_tx.closed() => break,
        };
        let (tcp, remote) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a little rather than spin.
                    tracing::warn!(%error, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = signal_tx.closed() => break,
        };
        let Some(peer_place) = peers.admit(remote.ip()) else {
            // Closed at once: holding it would spend a place on it anyway.
            tracing::debug!(peer = %remote.ip(), "a peer's connection over its share was closed");
            drop(tcp);
            continue;
        };
        // Answers go out as soon as they are written: with Nagle's algorithm
        // a body sent after its headers waits for the client's delayed ACK
        // (40 ms), which is what streamed files looked like under load.
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!(%error, "cannot set TCP_NODELAY on a connection");
        }
        let Ok(service) = make_service.call(remote).await;
        let activity = Arc::new(Activity::new());
        let service = TowerToHyperService::new(Busy {
            inner: service,
            activity: activity.clone(),
            body_timeout: limits.header_read_timeout,
        });
        let io = TokioIo::new(Watched {
            tcp,
            activity: activity.clone(),
            _place: place,
            _peer_place: peer_place,
        });
        let signal_tx = signal_tx.clone();
        let close_rx = close_rx.clone();
        let limits = limits.clone();
        tokio::spawn(async move {
            let mut builder = ConnectionBuilder::new(TokioExecutor::new());
            builder
                .http1()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_read_timeout);
            builder
                .http2()
                .timer(TokioTimer::new())
                .enable_connect_protocol();
            let connection = builder.serve_connection_with_upgrades(io, service);
            tokio::pin!(connection);
            let signal_closed = signal_tx.closed();
            tokio::pin!(signal_closed);
            let mut stopping = false;
            loop {
                let deadline = activity.deadline(&limits);
                tokio::select! {
                    _ = connection.as_mut() => break,
                    () = &mut signal_closed, if !stopping => {
                        stopping = true;
                        connection.as_mut().graceful_shutdown();
                    }
                    () = tokio::time::sleep_until(deadline) => {
                        // Dropping the connection closes the socket.
                        if tokio::time::Instant::now() >= activity.deadline(&limits) {
                            break;
                        }
                    }
                }
            }
            drop(close_rx);
        });
    }
    drop(close_rx);
    drop(listener);
    close_tx.closed().await;
}

/// When a connection last carried a byte, whether it ever sent one, and
/// how many of its requests are in progress.
struct Activity {
    started: tokio::time::Instant,
    /// Milliseconds from `started` to the last byte either way, or to the
    /// end of the last request.
    last: AtomicU64,
    heard: AtomicBool,
    /// Requests received whose answer has not been sent in full.
    in_progress: AtomicUsize,
}

impl Activity {
    fn new() -> Self {
        Activity {
            started: tokio::time::Instant::now(),
            last: AtomicU64::new(0),
            heard: AtomicBool::new(false),
            in_progress: AtomicUsize::new(0),
        }
    }

    fn touch(&self, read: bool) {
        let now = self.started.elapsed().as_millis() as u64;
        self.last.store(now, Ordering::Relaxed);
        if read {
            self.heard.store(true, Ordering::Relaxed);
        }
    }

    /// When the connection is to be closed if nothing happens meanwhile.
    /// A connection with a request in progress is not idle, however long
    /// its handler takes without writing (a slow query): it is looked at
    /// again an idle timeout later.
    fn deadline(&self, limits: &ConnectionLimits) -> tokio::time::Instant {
        if self.in_progress.load(Ordering::SeqCst) > 0 {
            return tokio::time::Instant::now() + limits.idle_timeout;
        }
        let last = self.started + Duration::from_millis(self.last.load(Ordering::Relaxed));
        let idle = last + limits.idle_timeout;
        if self.heard.load(Ordering::Relaxed) {
            idle
        } else {
            idle.min(self.started + limits.header_read_timeout)
        }
    }
}

/// The router as one connection serves it: each request counts as in
/// progress while the server works on it (from its arrival until its
/// handler has answered), so the idle deadline never cuts a slow handler.
/// Waiting on the client is never work: its request body must arrive in
/// full within `body_timeout` (the header-read timeout; bodies are small), and
/// an answer it does not read leaves the connection idle, so a client that
/// sends `Content-Length` and no body, or never reads, is closed like an
/// idle one.
#[derive(Clone)]
struct Busy<S> {
    inner: S,
    activity: Arc<Activity>,
    body_timeout: Duration,
}

impl<S> Service<hyper::Request<Incoming>> for Busy<S>
where
    S: Service<axum::extract::Request, Response = axum::response::Response, Error = Infallible>
        + Send
        + 'static,
    S::Future: Send + 'static,
{
    type Response = axum::response::Response;
    type Error = Infallible;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Infallible>> + Send>>;

    fn poll_ready(&mut self, cx: &mut task::Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: hyper::Request<Incoming>) -> Self::Future {
        let in_progress = InProgress::start(self.activity.clone());
        let timeout = self.body_timeout;
        let answer = self
            .inner
            .call(request.map(|body| Body::new(Deadline::new(timeout, body))));
        Box::pin(async move {
            let Ok(response) = answer.await;
            drop(in_progress);
            Ok(response)
        })
    }
}

/// A request's body that must arrive in full by a deadline (not merely with
/// no long pause between bytes: one byte every few seconds would keep a
/// 64 KiB body coming for days). Past it, reading fails and the handler
/// answers (or gives up on) a request that cannot be read.
struct Deadline {
    body: Incoming,
    deadline: Pin<Box<tokio::time::Sleep>>,
}

impl Deadline {
    fn new(within: Duration, body: Incoming) -> Self {
        Deadline {
            body,
            deadline: Box::pin(tokio::time::sleep(within)),
        }
    }
}

impl hyper::body::Body for Deadline {
    type Data = axum::body::Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut task::Context<'_>,
    ) -> Poll<Option<Result<hyper::body::Frame<Self::Data>, Self::Error>>> {
        if self.body.is_end_stream() {
            return Poll::Ready(None);
        }
        if self.deadline.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(
                Err("the request's body did not arrive in time".into()),
            ));
        }
        Pin::new(&mut self.body)
            .poll_frame(cx)
            .map_err(|error| Box::new(error) as Self::Error)
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> hyper::body::SizeHint {
        self.body.size_hint()
    }
}

/// One request in progress on a connection; its end counts as activity, so
/// the idle timeout runs from the moment the handler answered.
struct InProgress(Arc<Activity>);

impl InProgress {
    fn start(activity: Arc<Activity>) -> Self {
        activity.in_progress.fetch_add(1, Ordering::SeqCst);
        InProgress(activity)
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.touch(false);
        self.0.in_progress.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A client's socket that records its activity and holds its place among
/// the connections served at once, also after an upgrade to WebSocket.
struct Watched {
    tcp: TcpStream,
    activity: Arc<Activity>,
    _place: OwnedSemaphorePermit,
    _peer_place: PeerPlace,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut task::Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let result = Pin::new(&mut self.tcp).poll_read(cx, buf);
        if matches!(result, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.activity.touch(true);
        }
        result
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut task::Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.tcp).poll_write(cx, buf);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch(false);
        }
        result
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let result = Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs);
        if matches!(result, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch(false);
        }
        result
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(
        mut self: Pin<&mut Self>,
        cx: &mut task::Context<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(
        mut self: Pin<&mut Self>,
        cx: &mut task::Context<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }
}

async fn load_demo(db: &sea_orm::DatabaseConnection, path: &Path) -> anyhow::Result<()> {
    if !dataset::is_empty(db).await? {
        return Ok(());
    }
    let text = match tokio::fs::read_to_string(path).await {
        Ok(text) => text,
        Err(error) => {
            tracing::warn!(path = %path.display(), %error, "no demo catalogue loaded");
            return Ok(());
        }
    };
    let data =
        dataset::parse(&text).with_context(|| format!("demo catalogue {}", path.display()))?;
    let summary = dataset::import(db, &data)
        .await
        .with_context(|| format!("demo catalogue {}", path.display()))?;
    tracing::info!(path = %path.display(), rows = summary.changed(), "demo catalogue loaded");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// The work that runs beside the requests. Every task of the server starts
/// here, in [`Background::start`], when it starts serving; building the
/// application (or the schema) starts none.
struct Background {
    /// Keeps the cache's view of what changed current.
    changes: BoxFuture<'static, ()>,
    /// Writes votes in batches (the schema holds its queue).
    vote_writer: BoxFuture<'static, ()>,
    /// Carries score changes to subscribers.
    live: LiveTasks,
    /// Sends the outbox's mail, when SMTP is set up.
    mailer: Option<Mailer>,
}

impl Background {
    /// Starts every task: the vote writer, the live scores', the mail
    /// sender, the webhook deliveries, the watchers the settings ask for, and the one-off
    /// compression of the site's assets; returns once the live scores hear
    /// every instance (or after a few seconds), so that no subscriber
    /// misses a change. The handles stop them.
    async fn start(self, state: &AppState) -> Vec<JoinHandle<()>> {
        let config = &state.config;
        let db = &state.db;
        let every = |secs: u64| (secs > 0).then(|| Duration::from_secs(secs));
        let (live, hearing) = self.live.into_futures();
        let mut tasks = vec![self.changes, self.vote_writer];
        tasks.extend(live);
        // The timed tasks below count their statements apart (see
        // `db::in_background`).
        let mut timed: Vec<BoxFuture<'static, ()>> = Vec::new();
        if let Some(period) = every(config.anomaly_scan_secs) {
            timed.push(crate::domain::anomalies::watch(db.clone(), period).boxed());
        }
        if let Some(period) = every(config.score_history_secs) {
            timed.push(crate::domain::history::watch(db.clone(), period).boxed());
        }
        if let Some(period) = every(config.prune_secs) {
            let retention = crate::domain::retention::Retention {
                vote_event_days: config.vote_log_days,
                vote_window_secs: config.vote_network_window_secs,
                held_votes_expire_days: config.held_votes_expire_days,
            };
            timed.push(crate::domain::retention::watch(db.clone(), retention, period).boxed());
        }
        timed.push(crate::domain::webhooks::run(db.clone(), config.webhook_settings()).boxed());
        if let Some(mailer) = self.mailer {
            timed.push(mailer.run(db.clone(), state.outbox.clone()).boxed());
        }
        let pkg = Path::new(&*state.leptos_options.site_root).join("pkg");
        tokio::task::spawn_blocking(move || crate::routes::pages::precompress_assets(&pkg));
        tasks.extend(
            timed
                .into_iter()
                .map(|task| crate::db::in_background(task).boxed()),
        );
        let handles = tasks.into_iter().map(tokio::spawn).collect();
        if tokio::time::timeout(Duration::from_secs(5), hearing)
            .await
            .is_err()
        {
            tracing::warn!("serving before hearing other instances' score changes");
        }
        handles
    }
}

#[cfg(test)]
mod tests {
    use super::connections_within;

    #[test]
    fn connections_within_the_open_file_limit_leave_room_for_the_pool_and_files() {
        // The default 10,000 under a soft limit of 1,024: what is left after
        // the pool's 12 files and the reserve.
        assert_eq!(
            connections_within(10_000, Some(1_024), 12),
            1_024 - 12 - 256
        );
        // A generous limit leaves the setting as it is.
        assert_eq!(connections_within(10_000, Some(1_048_576), 48), 10_000);
        assert_eq!(connections_within(10_000, Some(u64::MAX), 48), 10_000);
        // A limit too small for the reserve: half of it.
        assert_eq!(connections_within(10_000, Some(300), 12), 150);
        // Unknown: as set; never 0.
        assert_eq!(connections_within(500, None, 12), 500);
        assert_eq!(connections_within(0, Some(1), 12), 1);
    }
}

/// A warning when readers elsewhere would get links to this machine: the
/// server listens beyond loopback while `PUBLIC_URL` (links in mails,
/// feeds, canonical URLs) still names a loopback address, as by default.
fn public_url_warning(address: std::net::SocketAddr, public_url: &str) -> Option<String> {
    let host = url::Url::parse(public_url).ok()?.host_str()?.to_owned();
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback_url = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    (loopback_url && !address.ip().is_loopback()).then(|| {
        format!(
            "serving on {address}, but PUBLIC_URL is {public_url}: links in mails, feeds and \
             canonical URLs point to a loopback address; set PUBLIC_URL to the site's public address"
        )
    })
}

#[cfg(test)]
mod public_url_tests {
    use super::public_url_warning;

    #[test]
    fn a_loopback_public_url_is_a_warning_only_when_serving_beyond_loopback() {
        let outside = "0.0.0.0:3000".parse().expect("an address");
        let inside = "127.0.0.1:3000".parse().expect("an address");
        assert!(public_url_warning(outside, "http://127.0.0.1:3000").is_some());
        assert!(public_url_warning(outside, "http://localhost:3000").is_some());
        assert!(public_url_warning(outside, "http://[::1]:3000").is_some());
        assert!(public_url_warning(inside, "http://127.0.0.1:3000").is_none());
        assert!(public_url_warning(outside, "https://verdicts.example").is_none());
    }
}
