//! Real headless Chromium through chromedriver, driven with fantoccini.

use std::{
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::Duration,
};

use std::os::unix::process::CommandExt;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

use crate::skip_or_fail;

fn find(program: &str, env: &str) -> Option<PathBuf> {
    if let Ok(path) = std::env::var(env) {
        return Some(PathBuf::from(path));
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    })
}

/// A headless Chromium session; the driver is stopped when dropped.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a fresh Chromium profile; `None` (locally) when
    /// Chromium or chromedriver is not installed.
    pub async fn launch() -> Option<Browser> {
        Browser::start(true).await
    }

    /// The same with JavaScript off in the page (a reader who blocks it):
    /// forms post as plain HTML forms. WebDriver can still read the page.
    pub async fn launch_without_javascript() -> Option<Browser> {
        Browser::start(false).await
    }

    async fn start(javascript: bool) -> Option<Browser> {
        // Several TLS backends are linked; WebDriver speaks plain HTTP, any will do.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let Some(chromium) = find("chromium", "CHROMIUM") else {
            skip_or_fail(
                "Chromium",
                "no `chromium` on PATH (apt-get install chromium)",
            );
            return None;
        };
        let Some(chromedriver) = find("chromedriver", "CHROMEDRIVER") else {
            skip_or_fail(
                "chromedriver",
                "no `chromedriver` on PATH (apt-get install chromium-driver)",
            );
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        // Its own process group, so that Chromium goes with it (see Drop).
        let driver = Command::new(&chromedriver)
            .process_group(0)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().expect("a profile directory");
        let client = connect(port, &chromium, profile.path(), javascript).await;
        Some(Browser {
            client,
            driver,
            _profile: profile,
        })
    }

    /// Resizes the window (CSS pixels).
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("resize the window");
    }

    /// Saves a PNG of the whole page at this width under `target/screenshots/`.
    pub async fn screenshot_page(&self, name: &str, width: u32) -> PathBuf {
        self.resize(width, 800).await;
        let height = self
            .client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .ok()
            .and_then(|h| h.as_u64())
            .unwrap_or(2000);
        self.resize(width, u32::try_from(height).unwrap_or(4000).min(8000))
            .await;
        self.screenshot(name).await
    }

    /// Saves a PNG of the viewport under `target/screenshots/`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let dir = crate::workspace_root().join("target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot directory");
        let png = self.client.screenshot().await.expect("a screenshot");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write the screenshot");
        path
    }
}

async fn connect(port: u16, chromium: &Path, profile: &Path, javascript: bool) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--no-first-run",
                "--hide-scrollbars",
                format!("--user-data-dir={}", profile.display()),
            ],
            // 2: blocked, as a reader's browser set not to run scripts.
            "prefs": {
                "profile.managed_default_content_settings.javascript": if javascript { 1 } else { 2 }
            }
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let mut last_error = String::new();
    for _ in 0..100 {
        let mut builder = ClientBuilder::rustls().expect("a WebDriver client");
        match builder
            .capabilities(capabilities.clone())
            .connect(&url)
            .await
        {
            Ok(client) => return client,
            Err(e) => last_error = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("cannot start Chromium through chromedriver: {last_error}");
}

impl Drop for Browser {
    fn drop(&mut self) {
        // chromedriver and every Chromium process it started share one group.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.driver.id())])
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
