//! Building and running the application: database, schema, router,
//! listener, and every background task (started in one place).

use std::{
    future::Future,
    net::SocketAddr,
    path::Path,
    pin::Pin,
    sync::{
        atomic::{AtomicBool, AtomicU64, Ordering},
        Arc,
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
use tower::{Service, ServiceExt};

use crate::{
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
        let (votes, vote_writer) = VoteWriter::new(db.clone(), config.vote_limits());
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
            },
            live.clone(),
            votes,
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
        let cache = Arc::new(crate::cache::ResponseCache::new(
            db.clone(),
            config.cache_mb as usize * 1024 * 1024,
            std::time::Duration::from_secs(config.cache_secs),
        ));
        let state = AppState {
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
        };
        let router = routes::router(state.clone());
        Ok(Application {
            listener,
            router,
            state,
            background: Background {
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
        tracing::info!(address = %self.listener.local_addr()?, "serving");
        let limits = ConnectionLimits::from(&*self.state.config);
        serve(self.listener, self.router, limits, shutdown_signal()).await;
        for task in tasks {
            task.abort();
        }
        Ok(())
    }
}

/// What a connection may take of the server: time to send its headers (or,
/// new, its first byte), time doing nothing, and a place among the
/// connections served at once.
#[derive(Debug, Clone, Copy)]
struct ConnectionLimits {
    header_read_timeout: Duration,
    idle_timeout: Duration,
    max_connections: usize,
}

impl From<&Config> for ConnectionLimits {
    fn from(config: &Config) -> Self {
        ConnectionLimits {
            header_read_timeout: Duration::from_secs(config.header_read_timeout_secs.max(1)),
            idle_timeout: Duration::from_secs(config.idle_timeout_secs.max(1)),
            max_connections: config.max_connections.max(1),
        }
    }
}

/// Accepts connections (no more at once than the limit: the rest wait in
/// the kernel's queue) and serves each with HTTP/1 or HTTP/2 and upgrades,
/// closing those too slow to send headers or idle too long. On `signal` it
/// stops accepting and waits for the requests in flight.
async fn serve(
    listener: TcpListener,
    router: Router,
    limits: ConnectionLimits,
    signal: impl Future<Output = ()> + Send + 'static,
) {
    let mut make_service = router.into_make_service_with_connect_info::<SocketAddr>();
    let places = Arc::new(Semaphore::new(limits.max_connections));
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
        // Answers go out as soon as they are written: with Nagle's algorithm
        // a body sent after its headers waits for the client's delayed ACK
        // (40 ms), which is what streamed files looked like under load.
        if let Err(error) = tcp.set_nodelay(true) {
            tracing::warn!(%error, "cannot set TCP_NODELAY on a connection");
        }
        let Ok(service) = make_service.call(remote).await;
        let service = TowerToHyperService::new(
            service.map_request(|request: hyper::Request<Incoming>| request.map(Body::new)),
        );
        let activity = Arc::new(Activity::new());
        let io = TokioIo::new(Watched {
            tcp,
            activity: activity.clone(),
            _place: place,
        });
        let signal_tx = signal_tx.clone();
        let close_rx = close_rx.clone();
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

/// When a connection last carried a byte, and whether it ever sent one.
struct Activity {
    started: tokio::time::Instant,
    /// Milliseconds from `started` to the last byte either way.
    last: AtomicU64,
    heard: AtomicBool,
}

impl Activity {
    fn new() -> Self {
        Activity {
            started: tokio::time::Instant::now(),
            last: AtomicU64::new(0),
            heard: AtomicBool::new(false),
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
    fn deadline(&self, limits: &ConnectionLimits) -> tokio::time::Instant {
        let last = self.started + Duration::from_millis(self.last.load(Ordering::Relaxed));
        let idle = last + limits.idle_timeout;
        if self.heard.load(Ordering::Relaxed) {
            idle
        } else {
            idle.min(self.started + limits.header_read_timeout)
        }
    }
}

/// A client's socket that records its activity and holds its place among
/// the connections served at once, also after an upgrade to WebSocket.
struct Watched {
    tcp: TcpStream,
    activity: Arc<Activity>,
    _place: OwnedSemaphorePermit,
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
    /// Writes votes in batches (the schema holds its queue).
    vote_writer: BoxFuture<'static, ()>,
    /// Carries score changes to subscribers.
    live: LiveTasks,
    /// Sends the outbox's mail, when SMTP is set up.
    mailer: Option<Mailer>,
}

impl Background {
    /// Starts every task: the vote writer, the live scores', the mail
    /// sender, the watchers the settings ask for, and the one-off
    /// compression of the site's assets; returns once the live scores hear
    /// every instance (or after a few seconds), so that no subscriber
    /// misses a change. The handles stop them.
    async fn start(self, state: &AppState) -> Vec<JoinHandle<()>> {
        let config = &state.config;
        let db = &state.db;
        let every = |secs: u64| (secs > 0).then(|| Duration::from_secs(secs));
        let (live, hearing) = self.live.into_futures();
        let mut tasks = vec![self.vote_writer];
        tasks.extend(live);
        if let Some(period) = every(config.anomaly_scan_secs) {
            tasks.push(crate::domain::anomalies::watch(db.clone(), period).boxed());
        }
        if let Some(period) = every(config.score_history_secs) {
            tasks.push(crate::domain::history::watch(db.clone(), period).boxed());
        }
        if let Some(period) = every(config.prune_secs) {
            let retention = crate::domain::retention::Retention {
                vote_event_days: config.vote_log_days,
            };
            tasks.push(crate::domain::retention::watch(db.clone(), retention, period).boxed());
        }
        if let Some(mailer) = self.mailer {
            tasks.push(mailer.run(db.clone(), state.outbox.clone()).boxed());
        }
        let pkg = Path::new(&*state.leptos_options.site_root).join("pkg");
        tokio::task::spawn_blocking(move || crate::routes::pages::precompress_assets(&pkg));
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
