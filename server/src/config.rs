//! Command line and environment: one `Config` for every subcommand.

use std::{fmt, net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};

use crate::{
    caller::TrustedProxies,
    domain::votes::{CountingRules, VoteLimits},
};

/// `verdicts [OPTIONS] [COMMAND]`.
#[derive(Debug, Parser)]
#[command(
    name = "verdicts",
    version,
    about = "Verdicts: AI tools, head to head."
)]
pub struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub config: Config,
    /// What to do; `serve` when omitted.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site and the API (migrates first; loads the demo catalogue into an empty database).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Import a catalogue file (the format of docs/dataset.md): idempotent, all or nothing.
    Import {
        /// The JSON file to read.
        file: PathBuf,
    },
    /// Create an editor; the password (at least 12 characters) is read from standard input.
    CreateEditor {
        /// The editor's sign-in e-mail address.
        #[arg(long)]
        email: String,
    },
    /// Export the catalogue in the same format, to FILE or standard output.
    Export {
        /// Where to write; standard output when omitted.
        file: Option<PathBuf>,
    },
    /// Write this week's digest (comparisons published in the last seven
    /// days) to the outbox for every confirmed subscriber; a running server
    /// with SMTP_URL sends it. Running it twice in a week writes nothing twice.
    Digest,
}

/// Every setting, from a flag or its environment variable.
#[derive(Clone, Args)]
pub struct Config {
    /// Database: `sqlite://path?mode=rwc` (the default, under ./data) or `postgres://user@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/verdicts.db?mode=rwc",
        global = true
    )]
    pub database_url: String,

    /// Most connections the pool opens; by default 4 on SQLite (it writes
    /// one transaction at a time, and each connection keeps its own page
    /// cache) and 16 on PostgreSQL. The response cache reads the change log
    /// through connections of its own besides (2 on SQLite, 3 on PostgreSQL).
    #[arg(long, env = "DATABASE_MAX_CONNECTIONS", global = true)]
    pub database_max_connections: Option<u32>,

    /// Address and port to listen on (port 0 picks a free one).
    #[arg(
        long,
        env = "VERDICTS_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,

    /// Directory of the built site (`pkg/` with the WASM, JS and CSS; public assets).
    #[arg(
        long,
        env = "LEPTOS_SITE_ROOT",
        default_value = "target/site",
        global = true
    )]
    pub site_root: PathBuf,

    /// Catalogue loaded when `serve` finds the database empty; empty to start empty.
    #[arg(
        long,
        env = "VERDICTS_DEMO_DATA",
        default_value = "data/demo.json",
        global = true
    )]
    pub demo_data: String,

    /// Votes a tool needs before its community percentage is shown.
    #[arg(long, env = "MIN_COMMUNITY_VOTES", default_value_t = 10, global = true)]
    pub min_community_votes: u32,

    /// Key that signs voter cookies (at least 32 characters); by default one is
    /// generated once and kept in the database, so every instance shares it.
    #[arg(long, env = "VERDICTS_SECRET", hide_env_values = true, global = true)]
    pub secret: Option<String>,

    /// Votes, withdrawals and picks one reader may make per window.
    #[arg(
        long,
        env = "VOTE_LIMIT_PER_VOTER",
        default_value_t = 30,
        global = true
    )]
    pub vote_limit_per_voter: u32,

    /// Votes, withdrawals and picks one client address may make per window.
    #[arg(
        long,
        env = "VOTE_LIMIT_PER_ADDRESS",
        default_value_t = 300,
        global = true
    )]
    pub vote_limit_per_address: u32,

    /// The rate-limit window, in seconds.
    #[arg(
        long,
        env = "VOTE_LIMIT_WINDOW_SECS",
        default_value_t = 60,
        global = true
    )]
    pub vote_limit_window_secs: u32,

    /// New voters one client network (an IPv4 address or an IPv6 /64) may
    /// bring to one tool per counting window and still be counted; the
    /// others are stored but held for editors (0: no such rule).
    #[arg(long, env = "VOTE_NETWORK_QUOTA", default_value_t = 10, global = true)]
    pub vote_network_quota: u32,

    /// The counting window of `--vote-network-quota`, in seconds.
    #[arg(
        long,
        env = "VOTE_NETWORK_WINDOW_SECS",
        default_value_t = 3600,
        global = true,
        value_parser = clap::value_parser!(u32).range(1..)
    )]
    pub vote_network_window_secs: u32,

    /// Days held votes wait for an editor; then they are rejected by rule
    /// (they never counted). 0: they wait for ever.
    #[arg(
        long,
        env = "HELD_VOTES_EXPIRE_DAYS",
        default_value_t = 14,
        global = true
    )]
    pub held_votes_expire_days: u32,

    /// Days after which a panel review is marked "re-review due" for readers
    /// and joins the editors' re-review queue (a release the editors record
    /// after it was written does so at once). Its verdict still counts. 0:
    /// never by age.
    #[arg(
        long,
        env = "REVIEW_STALE_DAYS",
        default_value_t = crate::domain::provenance::DEFAULT_STALE_DAYS,
        global = true
    )]
    pub review_stale_days: u32,

    /// Votes per hour a partner app (an API token voting for its users)
    /// may cast, unless editors set the token's own quota.
    #[arg(
        long,
        env = "PARTNER_VOTE_QUOTA",
        default_value_t = crate::domain::votes::DEFAULT_PARTNER_QUOTA,
        global = true
    )]
    pub partner_vote_quota: u32,

    /// How often to scan the vote log for bursts, in seconds (0: never).
    #[arg(long, env = "ANOMALY_SCAN_SECS", default_value_t = 30, global = true)]
    pub anomaly_scan_secs: u64,

    /// How often to record every tool's scores for the history charts, in
    /// seconds (0: never).
    #[arg(
        long,
        env = "SCORE_HISTORY_SECS",
        default_value_t = 3600,
        global = true
    )]
    pub score_history_secs: u64,

    /// The proxies in front of the server, which alone may say who the
    /// client is in `X-Forwarded-For`: `0` (none: the connection's peer is
    /// the client), how many there are (`1`: the right-most entry, the one
    /// the proxy appended), or their networks (`10.0.0.0/8,fd00::/8`: the
    /// right-most entry not from one of them). Entries a client wrote itself
    /// are never believed.
    #[arg(
        long,
        env = "VERDICTS_TRUSTED_PROXIES",
        default_value = "0",
        global = true
    )]
    pub trusted_proxies: TrustedProxies,

    /// Deprecated: the same as `--trusted-proxies 1` when that is not set.
    #[arg(
        long,
        env = "VERDICTS_TRUST_FORWARDED_FOR",
        default_value_t = false,
        global = true
    )]
    pub trust_forwarded_for: bool,

    /// Mark cookies `Secure` (set when the site is served over https).
    #[arg(
        long,
        env = "VERDICTS_SECURE_COOKIES",
        default_value_t = false,
        global = true
    )]
    pub secure_cookies: bool,

    /// Suggest field names in GraphQL errors ("Did you mean …?"); `false`
    /// keeps the schema's shape out of error messages.
    #[arg(
        long,
        env = "VERDICTS_FIELD_SUGGESTIONS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub field_suggestions: bool,

    /// Longest a GraphQL request may run, in milliseconds, before it is
    /// stopped with a `TIMEOUT` error.
    #[arg(
        long,
        env = "VERDICTS_REQUEST_TIMEOUT_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub request_timeout_ms: u64,

    /// Query cost each API client (token, else address) may spend per
    /// minute over `/graphql`, counted in the database across instances;
    /// 0 turns budgets off.
    #[arg(
        long,
        env = "VERDICTS_API_COST_BUDGET",
        default_value_t = 100_000,
        global = true
    )]
    pub api_cost_budget: u32,

    /// The site's public address, used in links that leave the site: mails,
    /// feeds, the sitemap, canonical URLs and share tags.
    #[arg(
        long,
        env = "PUBLIC_URL",
        default_value = "http://127.0.0.1:3000",
        global = true
    )]
    pub public_url: String,

    /// Where mail goes: `smtps://user:pw@host` (TLS),
    /// `smtp://user:pw@host:587?tls=required` (STARTTLS), or
    /// `smtp://host:25` (no TLS: a relay on this machine).
    /// Without it mail stays in the outbox for editors to read.
    #[arg(long, env = "SMTP_URL", hide_env_values = true, global = true)]
    pub smtp_url: Option<String>,

    /// The sender of every mail.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Verdicts <verdicts@localhost>",
        global = true
    )]
    pub mail_from: String,

    /// Seconds before a failed mail is retried the first time; each retry
    /// waits twice as long as the one before.
    #[arg(long, env = "MAIL_RETRY_SECS", default_value_t = 60, global = true)]
    pub mail_retry_secs: u64,

    /// Newsletter sign-ups one client address may make per hour.
    #[arg(
        long,
        env = "SIGNUP_LIMIT_PER_HOUR",
        default_value_t = 10,
        global = true
    )]
    pub signup_limit_per_hour: u32,

    /// How often to prune ended rate-limit windows, expired sessions and
    /// the vote log past its retention, in seconds (0: never).
    #[arg(
        long,
        env = "VERDICTS_PRUNE_SECS",
        default_value_t = 3600,
        global = true
    )]
    pub prune_secs: u64,

    /// Days the vote log (each vote's time and client address, read by the
    /// anomaly scan and the editors' dashboard) is kept; 0 keeps it forever.
    #[arg(
        long,
        env = "VERDICTS_VOTE_LOG_DAYS",
        default_value_t = 90,
        global = true
    )]
    pub vote_log_days: u32,

    /// Memory for kept answers (anonymous pages and GraphQL queries), in
    /// MiB; 0 turns the response cache off.
    #[arg(long, env = "VERDICTS_CACHE_MB", default_value_t = 16, global = true)]
    pub cache_mb: u32,

    /// Seconds a kept answer may be reused while nothing changed (every
    /// change to the content ends them at once).
    #[arg(long, env = "VERDICTS_CACHE_SECS", default_value_t = 60, global = true)]
    pub cache_secs: u64,

    /// Pages and GraphQL queries computed at once at most (answers from the
    /// response cache and mutations do not count); more wait their turn, in
    /// order. By default twice the pool's connections: more at once would
    /// only wait for a connection while holding their memory.
    #[arg(long, env = "VERDICTS_CONCURRENT_RENDERS", global = true)]
    pub concurrent_renders: Option<usize>,

    /// Subscriptions one WebSocket connection may hold at once; one more is
    /// refused with an error on its id, and the connection stays open.
    #[arg(
        long,
        env = "VERDICTS_WS_MAX_SUBSCRIPTIONS",
        default_value_t = 20,
        global = true
    )]
    pub ws_max_subscriptions: usize,

    /// WebSocket connections one client address may hold open at once; one
    /// more is refused with 429 before the upgrade.
    #[arg(
        long,
        env = "VERDICTS_WS_MAX_PER_ADDRESS",
        default_value_t = 16,
        global = true
    )]
    pub ws_max_per_address: usize,

    /// Seconds between the pings the server sends on a WebSocket; a client
    /// silent for three of them is disconnected.
    #[arg(
        long,
        env = "VERDICTS_WS_PING_SECS",
        default_value_t = 30,
        global = true
    )]
    pub ws_ping_secs: u64,

    /// Seconds a client may take to send a request's headers (and a new
    /// connection its first byte) before the connection is closed; also the
    /// time a request's body has to arrive in full.
    #[arg(
        long,
        env = "VERDICTS_HEADER_READ_TIMEOUT_SECS",
        default_value_t = 10,
        global = true
    )]
    pub header_read_timeout_secs: u64,

    /// Seconds a connection may carry nothing in either direction, with no
    /// request in progress, before it is closed (a request whose answer
    /// takes longer is never cut; WebSocket pings keep live subscribers
    /// busy).
    #[arg(
        long,
        env = "VERDICTS_IDLE_TIMEOUT_SECS",
        default_value_t = 60,
        global = true
    )]
    pub idle_timeout_secs: u64,

    /// Connections served at once; more wait to be accepted until one
    /// closes. Lowered at start to fit the open-file limit (`ulimit -n`,
    /// raised to its hard limit when allowed), with room left for the
    /// database pool and files; the value used is logged.
    #[arg(
        long,
        env = "VERDICTS_MAX_CONNECTIONS",
        default_value_t = 10_000,
        global = true
    )]
    pub max_connections: usize,

    /// Connections one TCP peer (an IPv4 address, an IPv6 /64) may hold at
    /// once; one more is closed at once (0: no cap). Peers inside
    /// `--trusted-proxies` networks are exempt, and with proxies given as a
    /// count there is no cap (every peer is a proxy whose address is not named).
    #[arg(
        long,
        env = "VERDICTS_MAX_CONNECTIONS_PER_PEER",
        default_value_t = 256,
        global = true
    )]
    pub max_connections_per_peer: usize,
    /// When set, `/metrics` answers only requests with `Authorization:
    /// Bearer <this token>` (401 otherwise); unset, it is public. Set one in
    /// production.
    #[arg(
        long,
        env = "VERDICTS_METRICS_TOKEN",
        hide_env_values = true,
        global = true
    )]
    pub metrics_token: Option<String>,

    /// Let webhook endpoints be on loopback, private (RFC 1918, fc00::/7),
    /// link-local and other non-public addresses; off, such URLs are refused
    /// at registration and at every delivery (SSRF). For tests and private networks.
    #[arg(
        long,
        env = "WEBHOOKS_ALLOW_PRIVATE",
        default_value_t = false,
        action = clap::ArgAction::Set,
        num_args = 0..=1,
        default_missing_value = "true",
        global = true
    )]
    pub webhooks_allow_private: bool,

    /// Points a tool's panel or community score must move, since the last
    /// `tool.score_moved` event for it, for a new one.
    #[arg(long, env = "WEBHOOK_SCORE_STEP", default_value_t = 5, global = true)]
    pub webhook_score_step: u32,

    /// How often the tallies are scanned for score events, in seconds: each
    /// tool's scores are compared at most this often (0: no score events).
    #[arg(
        long,
        env = "WEBHOOK_SCORE_DEBOUNCE_SECS",
        default_value_t = 60,
        global = true
    )]
    pub webhook_score_debounce_secs: u64,

    /// The wait after a delivery's first failed attempt, in milliseconds;
    /// each next wait is four times longer, up to 12 hours.
    #[arg(
        long,
        env = "WEBHOOK_RETRY_BASE_MS",
        default_value_t = 30_000,
        global = true
    )]
    pub webhook_retry_base_ms: u64,

    /// Attempts before a delivery is given up (10: about two days with the
    /// default waits).
    #[arg(
        long,
        env = "WEBHOOK_MAX_ATTEMPTS",
        default_value_t = 10,
        global = true
    )]
    pub webhook_max_attempts: u32,

    /// Longest a receiver may take to answer a delivery, in milliseconds.
    #[arg(
        long,
        env = "WEBHOOK_TIMEOUT_MS",
        default_value_t = 10_000,
        global = true
    )]
    pub webhook_timeout_ms: u64,

    /// Deliveries in a row that fail every attempt before their endpoint is
    /// switched off (it is also switched off after 24 hours of failures).
    #[arg(
        long,
        env = "WEBHOOK_DISABLE_AFTER",
        default_value_t = 5,
        global = true
    )]
    pub webhook_disable_after: u32,

    /// How often the webhook outbox is read when no write of this instance
    /// announced an event, in milliseconds (another instance's events wait
    /// at most this long).
    #[arg(long, env = "WEBHOOK_POLL_MS", default_value_t = 1_000, global = true)]
    pub webhook_poll_ms: u64,
}

impl Config {
    /// Every setting at its default, as `verdicts` with no flags (the
    /// environment still applies): a base for tests and tools to change.
    pub fn defaults() -> Self {
        Cli::parse_from(["verdicts"]).config
    }

    /// The pool's size: as set, else what suits the database.
    pub fn pool_size(&self) -> u32 {
        self.database_max_connections.unwrap_or_else(|| {
            if self.database_url.starts_with("postgres") {
                16
            } else {
                4
            }
        })
    }

    /// Pages and queries computed at once: as set, else twice the pool.
    pub fn render_permits(&self) -> usize {
        self.concurrent_renders
            .unwrap_or(2 * self.pool_size() as usize)
            .max(1)
    }

    /// Which proxies may name the client (`--trust-forwarded-for` is one).
    pub fn trusted_proxies(&self) -> TrustedProxies {
        match (&self.trusted_proxies, self.trust_forwarded_for) {
            (TrustedProxies::None, true) => TrustedProxies::Count(1),
            (proxies, _) => proxies.clone(),
        }
    }

    /// The vote rate limits.
    pub fn vote_limits(&self) -> VoteLimits {
        VoteLimits {
            per_voter: self.vote_limit_per_voter,
            per_address: self.vote_limit_per_address,
            window_secs: self.vote_limit_window_secs,
        }
    }

    /// The rule that decides which new votes count.
    pub fn counting_rules(&self) -> CountingRules {
        CountingRules {
            network_quota: self.vote_network_quota,
            window_secs: self.vote_network_window_secs,
        }
    }

    /// The newsletter's settings.
    pub fn mailing(&self) -> crate::domain::newsletter::Mailing {
        crate::domain::newsletter::Mailing::new(&self.public_url, self.signup_limit_per_hour)
    }

    /// How the webhook task delivers.
    pub fn webhook_settings(&self) -> crate::domain::webhooks::Settings {
        use std::time::Duration;
        crate::domain::webhooks::Settings {
            allow_private: self.webhooks_allow_private,
            retry_base: Duration::from_millis(self.webhook_retry_base_ms.max(1)),
            max_attempts: self.webhook_max_attempts.max(1),
            timeout: Duration::from_millis(self.webhook_timeout_ms.max(100)),
            disable_after: self.webhook_disable_after.max(1),
            disable_after_failing: Duration::from_secs(24 * 3600),
            poll: Duration::from_millis(self.webhook_poll_ms.max(10)),
            score_step: self.webhook_score_step,
            score_debounce: Duration::from_secs(self.webhook_score_debounce_secs),
            min_community_votes: self.min_community_votes,
        }
    }

    /// The demo catalogue's path, unless disabled.
    pub fn demo_data_path(&self) -> Option<PathBuf> {
        (!self.demo_data.trim().is_empty()).then(|| PathBuf::from(&self.demo_data))
    }
}

/// Printed at start: every setting, secrets masked.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("database_url", &mask_password(&self.database_url))
            .field("database_max_connections", &self.database_max_connections)
            .field("addr", &self.addr)
            .field("site_root", &self.site_root)
            .field("demo_data", &self.demo_data)
            .field("min_community_votes", &self.min_community_votes)
            .field("secret", &self.secret.as_ref().map(|_| "********"))
            .field("vote_limit_per_voter", &self.vote_limit_per_voter)
            .field("vote_limit_per_address", &self.vote_limit_per_address)
            .field("vote_limit_window_secs", &self.vote_limit_window_secs)
            .field("vote_network_quota", &self.vote_network_quota)
            .field("vote_network_window_secs", &self.vote_network_window_secs)
            .field("held_votes_expire_days", &self.held_votes_expire_days)
            .field("partner_vote_quota", &self.partner_vote_quota)
            .field("review_stale_days", &self.review_stale_days)
            .field("anomaly_scan_secs", &self.anomaly_scan_secs)
            .field("score_history_secs", &self.score_history_secs)
            .field("trusted_proxies", &self.trusted_proxies())
            .field("secure_cookies", &self.secure_cookies)
            .field("field_suggestions", &self.field_suggestions)
            .field("request_timeout_ms", &self.request_timeout_ms)
            .field("api_cost_budget", &self.api_cost_budget)
            .field("public_url", &self.public_url)
            .field("smtp_url", &self.smtp_url.as_deref().map(mask_password))
            .field("mail_from", &self.mail_from)
            .field("mail_retry_secs", &self.mail_retry_secs)
            .field("signup_limit_per_hour", &self.signup_limit_per_hour)
            .field("prune_secs", &self.prune_secs)
            .field("vote_log_days", &self.vote_log_days)
            .field("cache_mb", &self.cache_mb)
            .field("cache_secs", &self.cache_secs)
            .field("concurrent_renders", &self.concurrent_renders)
            .field("ws_max_subscriptions", &self.ws_max_subscriptions)
            .field("ws_max_per_address", &self.ws_max_per_address)
            .field("ws_ping_secs", &self.ws_ping_secs)
            .field("header_read_timeout_secs", &self.header_read_timeout_secs)
            .field("idle_timeout_secs", &self.idle_timeout_secs)
            .field("max_connections", &self.max_connections)
            .field("max_connections_per_peer", &self.max_connections_per_peer)
            .field(
                "metrics_token",
                &self.metrics_token.as_ref().map(|_| "********"),
            )
            .field("webhooks_allow_private", &self.webhooks_allow_private)
            .field("webhook_score_step", &self.webhook_score_step)
            .field(
                "webhook_score_debounce_secs",
                &self.webhook_score_debounce_secs,
            )
            .field("webhook_retry_base_ms", &self.webhook_retry_base_ms)
            .field("webhook_max_attempts", &self.webhook_max_attempts)
            .field("webhook_timeout_ms", &self.webhook_timeout_ms)
            .field("webhook_disable_after", &self.webhook_disable_after)
            .field("webhook_poll_ms", &self.webhook_poll_ms)
            .finish()
    }
}

/// `postgres://user:pw@host/db` → `postgres://user:********@host/db`: the
/// whole password, whatever it contains. What is not a URL with a password
/// (a SQLite path) is shown as it is.
fn mask_password(text: &str) -> String {
    match url::Url::parse(text) {
        Ok(mut parsed) if parsed.password().is_some() => {
            if parsed.set_password(Some("********")).is_ok() {
                parsed.to_string()
            } else {
                "********".to_owned()
            }
        }
        Ok(_) => text.to_owned(),
        // Not a URL, yet something like one with a password: show nothing of it.
        Err(_) if text.contains('@') => "********".to_owned(),
        Err(_) => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::mask_password;

    #[test]
    fn mask_password_with_password_hides_it() {
        assert_eq!(
            mask_password("postgres://app:hunter2@db/verdicts"),
            "postgres://app:********@db/verdicts"
        );
        assert_eq!(mask_password("sqlite://data/v.db"), "sqlite://data/v.db");
        assert_eq!(
            mask_password("sqlite://data/verdicts.db?mode=rwc"),
            "sqlite://data/verdicts.db?mode=rwc"
        );
        assert_eq!(mask_password("smtp://relay:25"), "smtp://relay:25");
    }

    #[test]
    fn mask_password_with_at_signs_in_it_hides_all_of_it() {
        let masked = mask_password("smtp://mailer:p@rt1@t-part2@mail.example:587?tls=required");
        assert_eq!(
            masked,
            "smtp://mailer:********@mail.example:587?tls=required"
        );
        assert!(
            !masked.contains("rt1") && !masked.contains("part2"),
            "{masked}"
        );
        assert_eq!(
            mask_password("postgres://app:a%40b:c@db/verdicts"),
            "postgres://app:********@db/verdicts"
        );
        assert_eq!(
            mask_password("smtps://user:p%20w%2Fx@mail.example"),
            "smtps://user:********@mail.example"
        );
    }
}
