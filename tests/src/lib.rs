//! The test harness: start the real server on a free port against a fresh
//! SQLite file or a fresh PostgreSQL database, and talk to it over HTTP.

pub mod browser;
pub mod hostile_catalogue;
pub mod webhooks;

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{json, Value};
use server::{config::Config, Application};

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    /// A fresh SQLite file in a temporary directory.
    Sqlite,
    /// A fresh, uniquely named PostgreSQL database, dropped afterwards.
    Postgres,
}

/// Whether this run must not skip anything (`CI=true`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Skips (locally) or fails (in CI) a test whose service is missing. The
/// reason also goes to `$VERDICTS_SKIP_LOG`, which `make test` summarises.
pub fn skip_or_fail(what: &str, why: &str) {
    if in_ci() {
        panic!("{what} is required when CI=true, but {why}");
    }
    let line = format!("{what}: {why}");
    eprintln!("SKIPPED: {line}");
    if let Ok(path) = std::env::var("VERDICTS_SKIP_LOG") {
        use std::io::Write;
        if let Ok(mut log) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(log, "{line}");
        }
    }
}

/// The repository's root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The PostgreSQL server tests create their databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// The built site (`pkg/` with WASM, JS, CSS).
pub fn site_root() -> PathBuf {
    std::env::var("LEPTOS_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace_root().join("target/site"))
}

/// Drops a PostgreSQL test database when the test ends.
struct PgDatabase {
    admin_url: String,
    name: String,
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let admin_url = self.admin_url.clone();
        let name = self.name.clone();
        // Drop runs outside any runtime guarantee: use a thread with its own.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let admin = Database::connect(&admin_url).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                    .await?;
                admin.close().await?;
                Ok::<_, anyhow::Error>(())
            })
        })
        .join();
    }
}

/// A running server and a client that keeps its cookies.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// A cookie-keeping client that does not follow redirects.
    pub client: reqwest::Client,
    /// The server's own database connection.
    pub db: DatabaseConnection,
    /// Which database this is.
    pub backend: Db,
    /// Its URL.
    pub database_url: String,
    /// The server's state, for tests that hold what requests wait for.
    pub state: server::state::AppState,
    _database: Option<TestDatabase>,
}

/// A fresh, empty database that disappears with this value.
pub struct TestDatabase {
    /// Its URL, for `DATABASE_URL`.
    pub url: String,
    _sqlite_dir: Option<tempfile::TempDir>,
    _pg: Option<PgDatabase>,
}

impl TestDatabase {
    /// A new SQLite file, or a new uniquely named PostgreSQL database; `None`
    /// when PostgreSQL is unreachable and this is not CI (the reason is printed).
    pub async fn create(db: Db) -> Option<TestDatabase> {
        match db {
            Db::Sqlite => {
                let dir = tempfile::tempdir().expect("a temporary directory");
                let url = format!("sqlite://{}/verdicts.db?mode=rwc", dir.path().display());
                Some(TestDatabase {
                    url,
                    _sqlite_dir: Some(dir),
                    _pg: None,
                })
            }
            Db::Postgres => {
                let admin_url = postgres_admin_url();
                let admin = match tokio::time::timeout(
                    Duration::from_secs(5),
                    Database::connect(&admin_url),
                )
                .await
                {
                    Ok(Ok(admin)) => admin,
                    Ok(Err(e)) => {
                        skip_or_fail("PostgreSQL", &format!("{admin_url} is not reachable: {e}"));
                        return None;
                    }
                    Err(_) => {
                        skip_or_fail("PostgreSQL", &format!("{admin_url} did not answer in 5 s"));
                        return None;
                    }
                };
                let name = format!("verdicts_test_{}", uuid::Uuid::new_v4().simple());
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create the test database");
                let _ = admin.close().await;
                let base = admin_url
                    .rsplit_once('/')
                    .map(|(base, _)| base)
                    .unwrap_or(&admin_url);
                Some(TestDatabase {
                    url: format!("{base}/{name}"),
                    _sqlite_dir: None,
                    _pg: Some(PgDatabase { admin_url, name }),
                })
            }
        }
    }
}

/// The `verdicts` binary that `make test` built (`make site`), or `$VERDICTS_BIN`.
pub fn verdicts_binary() -> PathBuf {
    if let Ok(path) = std::env::var("VERDICTS_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace_root().join("target"));
    let path = target.join("debug/verdicts");
    assert!(
        path.is_file(),
        "{} is missing: build it first (`make site` builds the server too)",
        path.display()
    );
    path
}

/// The public address test servers put in links (mails, feeds, canonical
/// URLs); tests follow such links by their path on the real address.
pub const PUBLIC_URL: &str = "https://verdicts.test";

/// Options for [`TestApp::spawn_with`].
#[derive(Debug, Clone)]
pub struct SpawnOptions {
    /// Load `data/demo.json` at start.
    pub demo: bool,
    /// Votes per voter and per address per window, and the window in
    /// seconds; generous unless a test is about the limits.
    pub vote_limits: (u32, u32, u32),
    /// New voters per client network, tool and counting window that count
    /// (`--vote-network-quota`): most tests vote as many readers from
    /// 127.0.0.1, so it is generous unless a test is about the counting
    /// rules (the rule still runs: every vote passes the hold trigger).
    pub network_quota: u32,
    /// "Did you mean …?" in GraphQL errors.
    pub field_suggestions: bool,
    /// How long a GraphQL request may run.
    pub request_timeout_ms: u64,
    /// Query cost per client per minute (0: no budget).
    pub api_cost_budget: u32,
    /// Where mail is sent (none: it stays in the outbox).
    pub smtp_url: Option<String>,
    /// Newsletter sign-ups per client address per hour.
    pub signup_limit_per_hour: u32,
    /// Changes any other setting last (the ones above are set first).
    pub configure: fn(&mut Config),
}

impl Default for SpawnOptions {
    fn default() -> Self {
        SpawnOptions {
            demo: true,
            vote_limits: (100_000, 1_000_000, 60),
            network_quota: 1_000_000,
            field_suggestions: true,
            request_timeout_ms: 10_000,
            api_cost_budget: 0,
            smtp_url: None,
            signup_limit_per_hour: 1_000,
            configure: |_| {},
        }
    }
}

impl TestApp {
    /// The server with the demo catalogue; `None` when the database is
    /// unavailable and this is not CI (the reason is printed).
    pub async fn spawn(db: Db) -> Option<TestApp> {
        Self::spawn_with(db, SpawnOptions::default()).await
    }

    /// The server with these options.
    pub async fn spawn_with(db: Db, options: SpawnOptions) -> Option<TestApp> {
        let database = TestDatabase::create(db).await?;
        let mut app = Self::start(db, &database.url, &options).await;
        app._database = Some(database);
        Some(app)
    }

    async fn start(backend: Db, database_url: &str, options: &SpawnOptions) -> TestApp {
        // Every setting at its default (as `verdicts serve` with no flags),
        // then what tests need; `options.configure` changes the rest.
        let mut config = Config::defaults();
        config.database_url = database_url.to_owned();
        config.database_max_connections = Some(8);
        config.addr = SocketAddr::from(([127, 0, 0, 1], 0));
        config.site_root = site_root();
        config.demo_data = if options.demo {
            workspace_root()
                .join("data/demo.json")
                .display()
                .to_string()
        } else {
            String::new()
        };
        config.min_community_votes = 10;
        config.vote_limit_per_voter = options.vote_limits.0;
        config.vote_limit_per_address = options.vote_limits.1;
        config.vote_limit_window_secs = options.vote_limits.2;
        config.vote_network_quota = options.network_quota;
        config.trusted_proxies = server::caller::TrustedProxies::Count(1);
        // Tests scan for bursts themselves; a background scan would skew statement counts.
        config.anomaly_scan_secs = 0;
        config.score_history_secs = 0;
        // Score events are scanned for only by the tests about them.
        config.webhook_score_debounce_secs = 0;
        config.prune_secs = 0;
        // The demo's reviews are dated: an age rule would make them due as
        // the calendar moves on, and tests would change their minds over
        // time. Tests about the age rule set their own.
        config.review_stale_days = 0;
        config.secret = None;
        config.secure_cookies = false;
        config.field_suggestions = options.field_suggestions;
        config.request_timeout_ms = options.request_timeout_ms;
        config.api_cost_budget = options.api_cost_budget;
        config.public_url = PUBLIC_URL.to_owned();
        config.smtp_url = options.smtp_url.clone();
        config.mail_from = "Verdicts <verdicts@verdicts.test>".to_owned();
        config.mail_retry_secs = 1;
        config.signup_limit_per_hour = options.signup_limit_per_hour;
        config.cache_mb = 16;
        config.cache_secs = 60;
        (options.configure)(&mut config);
        let application = Application::build(config).await.expect("the server starts");
        let address = format!("http://127.0.0.1:{}", application.port());
        let db = application.state().db.clone();
        let state = application.state().clone();
        tokio::spawn(application.run_until_stopped());
        TestApp {
            address,
            client: Self::new_client(),
            db,
            backend,
            database_url: database_url.to_owned(),
            state,
            _database: None,
        }
    }

    /// A fresh reader: its own cookie jar, no redirects followed.
    pub fn new_client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("an HTTP client")
    }

    /// POSTs an operation to `/graphql` with this app's client; returns the body.
    pub async fn gql(&self, query: &str, variables: Value) -> Value {
        self.gql_as(&self.client, query, variables).await
    }

    /// POSTs an operation as another reader.
    pub async fn gql_as(&self, client: &reqwest::Client, query: &str, variables: Value) -> Value {
        let response = client
            .post(format!("{}/graphql", self.address))
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("the server answers");
        response.json().await.expect("a JSON body")
    }

    /// Signs `client` in as the editor `email` (who must exist) through the
    /// `signIn` mutation, as the admin pages do (with the CSRF header).
    pub async fn sign_in_as(&self, client: &reqwest::Client, email: &str, password: &str) {
        let answer = client
            .post(format!("{}/graphql", self.address))
            .header(contract::names::CSRF_HEADER, contract::names::CSRF_VALUE)
            .json(&json!({
                "query": "mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { email } }",
                "variables": { "e": email, "p": password }
            }))
            .send()
            .await
            .expect("the server answers");
        assert_eq!(answer.status().as_u16(), 200, "{email} signs in");
        let body: Value = answer.json().await.expect("a JSON body");
        assert_eq!(body["data"]["signIn"]["email"], email, "{body}");
    }

    /// GETs a path; returns status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .expect("the server answers");
        let status = response.status().as_u16();
        (status, response.text().await.expect("a text body"))
    }

    /// The SQL statements counter from `/metrics`.
    pub async fn statements(&self) -> u64 {
        let (_, body) = self.get("/metrics").await;
        body.lines()
            .find_map(|l| l.strip_prefix("verdicts_sql_statements_total "))
            .and_then(|n| n.trim().parse().ok())
            .expect("the statements counter")
    }
}

/// Fails a test that hangs instead of letting it stall the whole run.
pub async fn within_time_limit<F: std::future::Future<Output = ()>>(test: F) {
    if tokio::time::timeout(Duration::from_secs(180), test)
        .await
        .is_err()
    {
        panic!("the test did not finish within 180 s");
    }
}

/// Runs each listed `async fn(Db)` once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::within_time_limit(super::$name($crate::Db::Sqlite)).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    $crate::within_time_limit(super::$name($crate::Db::Postgres)).await;
                }
            )*
        }
    };
}

impl TestApp {
    /// The SDL of the schema this server runs (built without a database:
    /// the SDL depends on the types alone).
    pub fn schema_sdl(&self) -> String {
        server::graphql::sdl()
    }
}

/// A graphql-transport-ws client for subscription tests.
pub mod ws {
    use std::time::Duration;

    use futures::{SinkExt, StreamExt};
    use serde_json::{json, Value};
    use tokio_tungstenite::tungstenite::{client::IntoClientRequest, http::HeaderValue, Message};

    /// One WebSocket to `/graphql/ws`, acknowledged and ready to subscribe.
    pub struct Subscriber {
        socket: tokio_tungstenite::WebSocketStream<
            tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
        >,
    }

    impl Subscriber {
        /// Connects to the server at `http://host:port` and completes the handshake.
        pub async fn connect(address: &str) -> Subscriber {
            let url = format!("{}/graphql/ws", address.replacen("http", "ws", 1));
            let mut request = url.into_client_request().expect("a WebSocket request");
            request.headers_mut().insert(
                "sec-websocket-protocol",
                HeaderValue::from_static("graphql-transport-ws"),
            );
            let (socket, _) = tokio_tungstenite::connect_async(request)
                .await
                .expect("the WebSocket opens");
            let mut subscriber = Subscriber { socket };
            subscriber.send(json!({ "type": "connection_init" })).await;
            let ack = subscriber.receive().await;
            assert_eq!(ack["type"], "connection_ack", "{ack}");
            subscriber
        }

        /// Sends one protocol message.
        pub async fn send(&mut self, message: Value) {
            self.socket
                .send(Message::text(message.to_string()))
                .await
                .expect("send over the WebSocket");
        }

        /// Starts a subscription with this id.
        pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
            self.send(json!({
                "id": id, "type": "subscribe",
                "payload": { "query": query, "variables": variables }
            }))
            .await;
        }

        /// The next protocol message (pings answered), waiting at most 10 s.
        pub async fn receive(&mut self) -> Value {
            loop {
                let frame = tokio::time::timeout(Duration::from_secs(10), self.socket.next())
                    .await
                    .expect("a message within 10 s")
                    .expect("the socket is open")
                    .expect("a frame");
                let Message::Text(text) = frame else { continue };
                let message: Value = serde_json::from_str(&text).expect("JSON");
                if message["type"] == "ping" {
                    self.send(json!({ "type": "pong" })).await;
                    continue;
                }
                return message;
            }
        }

        /// The data of the next `next` message of subscription `id`.
        pub async fn next_data(&mut self, id: &str) -> Value {
            loop {
                let message = self.receive().await;
                if message["id"] == id && message["type"] == "next" {
                    return message["payload"]["data"].clone();
                }
                assert_ne!(message["type"], "error", "{message}");
            }
        }
    }
}

/// The `verdicts` binary as a separate process, for crash and multi-instance tests.
pub mod process {
    use std::time::Duration;

    use crate::{site_root, verdicts_binary, workspace_root};

    /// A free TCP port on 127.0.0.1.
    pub fn free_port() -> u16 {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port()
    }

    /// `verdicts serve` on `port` against `database_url`, with generous vote
    /// limits; killed when dropped.
    pub fn start_server(database_url: &str, port: u16) -> tokio::process::Child {
        serve_command(database_url, port)
            .spawn()
            .expect("the server starts")
    }

    /// The command [`start_server`] runs, for tests that change a setting.
    pub fn serve_command(database_url: &str, port: u16) -> tokio::process::Command {
        let mut command = tokio::process::Command::new(verdicts_binary());
        command
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("VERDICTS_ADDR", format!("127.0.0.1:{port}"))
            .env(
                "VERDICTS_DEMO_DATA",
                workspace_root().join("data/demo.json"),
            )
            .env("LEPTOS_SITE_ROOT", site_root())
            .env("VOTE_LIMIT_PER_VOTER", "100000")
            .env("VOTE_LIMIT_PER_ADDRESS", "10000000")
            .env("VOTE_NETWORK_QUOTA", "1000000")
            .env("RUST_LOG", "warn")
            .kill_on_drop(true);
        command
    }

    /// Waits until `/healthz` answers (10 s at most).
    pub async fn wait_until_ready(address: &str) {
        for _ in 0..200 {
            if let Ok(response) = reqwest::get(format!("{address}/healthz")).await {
                if response.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{address} did not become ready");
    }
}

/// A minimal SMTP server that records what it is sent, for the mailer's tests.
pub mod smtp {
    use std::sync::{Arc, Mutex};

    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    /// A running fake server.
    pub struct FakeSmtp {
        /// `smtp://127.0.0.1:<port>`, for `SMTP_URL`.
        pub url: String,
        received: Arc<Mutex<Vec<String>>>,
    }

    impl FakeSmtp {
        /// Starts it; the first `refuse` messages get a temporary failure
        /// (451) after their data, as a busy server would answer.
        pub async fn start(refuse: usize) -> FakeSmtp {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
            let url = format!(
                "smtp://127.0.0.1:{}",
                listener.local_addr().expect("an address").port()
            );
            let received = Arc::new(Mutex::new(Vec::new()));
            let refusals = Arc::new(Mutex::new(refuse));
            let store = received.clone();
            tokio::spawn(async move {
                while let Ok((socket, _)) = listener.accept().await {
                    tokio::spawn(session(socket, store.clone(), refusals.clone()));
                }
            });
            FakeSmtp { url, received }
        }

        /// The messages accepted so far (headers and body, as sent).
        pub fn received(&self) -> Vec<String> {
            self.received.lock().expect("not poisoned").clone()
        }
    }

    async fn session(
        socket: tokio::net::TcpStream,
        store: Arc<Mutex<Vec<String>>>,
        refusals: Arc<Mutex<usize>>,
    ) {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read).lines();
        let _ = write.write_all(b"220 fake.test ESMTP\r\n").await;
        while let Ok(Some(line)) = lines.next_line().await {
            let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
            let reply: &[u8] = match verb.as_str() {
                "EHLO" => b"250-fake.test\r\n250 8BITMIME\r\n",
                "HELO" | "MAIL" | "RCPT" | "RSET" | "NOOP" => b"250 OK\r\n",
                "QUIT" => {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                }
                "DATA" => {
                    let _ = write.write_all(b"354 go ahead\r\n").await;
                    let mut message = String::new();
                    while let Ok(Some(line)) = lines.next_line().await {
                        if line == "." {
                            break;
                        }
                        message.push_str(&line);
                        message.push('\n');
                    }
                    let refuse = {
                        let mut left = refusals.lock().expect("not poisoned");
                        let refuse = *left > 0;
                        *left = left.saturating_sub(1);
                        refuse
                    };
                    if refuse {
                        b"451 try again later\r\n"
                    } else {
                        store.lock().expect("not poisoned").push(message);
                        b"250 queued\r\n"
                    }
                }
                _ => b"502 not implemented\r\n",
            };
            if write.write_all(reply).await.is_err() {
                return;
            }
        }
    }
}
