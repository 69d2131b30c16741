//! Building and running the application: database, schema, router, listener.

use std::{path::Path, sync::Arc};

use anyhow::Context;
use axum::{serve::ListenerExt, Router};
use leptos::config::LeptosOptions;
use tokio::net::TcpListener;

use crate::{
    config::Config,
    dataset, db,
    graphql::{build_schema, ApiSettings},
    live::LiveScores,
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
    mailer: Option<Mailer>,
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
        let live = LiveScores::start(&db);
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
            mailer,
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
    /// Meanwhile it watches the vote log for bursts.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let every = self.state.config.anomaly_scan_secs;
        let watcher = (every > 0).then(|| {
            tokio::spawn(crate::domain::anomalies::watch(
                self.state.db.clone(),
                std::time::Duration::from_secs(every),
            ))
        });
        let history_every = self.state.config.score_history_secs;
        let recorder = (history_every > 0).then(|| {
            tokio::spawn(crate::domain::history::watch(
                self.state.db.clone(),
                std::time::Duration::from_secs(history_every),
            ))
        });
        let prune_every = self.state.config.prune_secs;
        let pruner = (prune_every > 0).then(|| {
            tokio::spawn(crate::domain::retention::watch(
                self.state.db.clone(),
                crate::domain::retention::Retention {
                    vote_event_days: self.state.config.vote_log_days,
                },
                std::time::Duration::from_secs(prune_every),
            ))
        });
        let sender = self.mailer.map(|mailer| {
            tokio::spawn(mailer.run(self.state.db.clone(), self.state.outbox.clone()))
        });
        let pkg = std::path::Path::new(&*self.state.leptos_options.site_root).join("pkg");
        tokio::task::spawn_blocking(move || crate::routes::pages::precompress_assets(&pkg));
        tracing::info!(address = %self.listener.local_addr()?, "serving");
        let service = self
            .router
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        // Answers go out as soon as they are written: with Nagle's algorithm
        // a body sent after its headers waits for the client's delayed ACK
        // (40 ms), which is what streamed files looked like under load.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::warn!(%error, "cannot set TCP_NODELAY on a connection");
            }
        });
        axum::serve(listener, service)
            .with_graceful_shutdown(shutdown_signal())
            .await?;
        for task in [watcher, sender, recorder, pruner].into_iter().flatten() {
            task.abort();
        }
        Ok(())
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
