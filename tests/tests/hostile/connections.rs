//! Finding 3: slow and idle connections were held forever. Now a client has
//! `--header-read-timeout-secs` to send its headers (a new connection its
//! first byte), a connection idle for `--idle-timeout-secs` is closed, and
//! at most `--max-connections` are served at once.

use std::time::{Duration, Instant};

use tests::{Db, SpawnOptions, TestApp};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// The slow connections the review held open, and more.
const SLOW: usize = 1_000;

/// Raises the soft limit on open files so that the test's sockets and the
/// in-process server's fit; returns the limit in force.
fn enough_file_descriptors(wanted: u64) -> u64 {
    // SAFETY: getrlimit/setrlimit only read and write the struct passed.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 0;
        }
        if limit.rlim_cur < wanted {
            limit.rlim_cur = wanted.min(limit.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
            libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit);
        }
        limit.rlim_cur
    }
}

fn host(address: &str) -> String {
    address.trim_start_matches("http://").to_owned()
}

/// Waits until the server closes the socket (end of file or reset), reading
/// and dropping whatever it sends first; the time it took, or `None` if it
/// was still open after `within`.
async fn closed_within(socket: &mut TcpStream, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buffer = [0u8; 1024];
    tokio::time::timeout(within, async {
        loop {
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    })
    .await
    .ok()
    .map(|()| started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_connections_are_closed_while_a_reader_is_answered() {
    tests::within_time_limit(async {
        let limit = enough_file_descriptors(4 * SLOW as u64 + 512);
        assert!(
            limit >= 2 * SLOW as u64 + 256,
            "{SLOW} slow connections need about {} open files, and `ulimit -n` allows {limit}",
            2 * SLOW + 256
        );
        let Some(app) = TestApp::spawn_with(
            Db::Sqlite,
            SpawnOptions {
                configure: |c| {
                    c.header_read_timeout_secs = 2;
                    c.idle_timeout_secs = 60;
                },
                ..Default::default()
            },
        )
        .await
        else {
            return;
        };
        let target = host(&app.address);
        // Nine in ten send part of a request's headers and then nothing; the
        // rest connect and send nothing at all.
        let mut slow = Vec::with_capacity(SLOW);
        for i in 0..SLOW {
            let mut socket = TcpStream::connect(&target).await.expect("connect");
            if i % 10 != 0 {
                socket
                    .write_all(b"GET /tools HTTP/1.1\r\nHost: verdicts.test\r\nX-Slow: ")
                    .await
                    .expect("send part of the headers");
            }
            slow.push(socket);
        }
        // A reader keeps being answered meanwhile.
        let reader = TestApp::new_client();
        let mut answered = 0;
        let reading = Instant::now();
        while reading.elapsed() < Duration::from_secs(4) {
            let response = tokio::time::timeout(
                Duration::from_secs(10),
                reader.get(format!("{}/healthz", app.address)).send(),
            )
            .await
            .expect("the reader is answered within 10 s")
            .expect("the reader is answered");
            assert_eq!(response.status(), 200);
            answered += 1;
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(answered >= 5, "the reader got {answered} answers in 4 s");
        // Every slow connection is closed by the server (2 s, with slack for
        // a loaded machine).
        let checks = slow.into_iter().map(|mut socket| {
            tokio::spawn(async move { closed_within(&mut socket, Duration::from_secs(30)).await })
        });
        let mut open = 0;
        for check in futures::future::join_all(checks).await {
            if check.expect("the check ran").is_none() {
                open += 1;
            }
        }
        assert_eq!(
            open, 0,
            "{open} of {SLOW} slow connections were still open 30 s after the 2 s header timeout"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    tests::within_time_limit(async {
        let Some(app) = TestApp::spawn_with(
            Db::Sqlite,
            SpawnOptions {
                configure: |c| {
                    c.header_read_timeout_secs = 60;
                    c.idle_timeout_secs = 2;
                },
                ..Default::default()
            },
        )
        .await
        else {
            return;
        };
        let mut socket = TcpStream::connect(host(&app.address))
            .await
            .expect("connect");
        socket
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: verdicts.test\r\n\r\n")
            .await
            .expect("send a request");
        let mut buffer = [0u8; 4096];
        let read = socket.read(&mut buffer).await.expect("an answer");
        let head = String::from_utf8_lossy(&buffer[..read]);
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        // Kept alive after the answer, then closed once idle for 2 s.
        let took = closed_within(&mut socket, Duration::from_secs(30)).await;
        let took = took.expect("the idle connection was closed within 30 s");
        assert!(
            took >= Duration::from_secs(1),
            "closed after {took:?}: too soon for a 2 s idle timeout"
        );
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_cap_wait_until_one_closes() {
    tests::within_time_limit(async {
        let Some(app) = TestApp::spawn_with(
            Db::Sqlite,
            SpawnOptions {
                configure: |c| c.max_connections = 4,
                ..Default::default()
            },
        )
        .await
        else {
            return;
        };
        let target = host(&app.address);
        let mut held = Vec::new();
        for _ in 0..4 {
            held.push(TcpStream::connect(&target).await.expect("connect"));
        }
        // Give the server a moment to accept the four.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let client = TestApp::new_client();
        let url = format!("{}/healthz", app.address);
        let waiting = tokio::time::timeout(Duration::from_secs(2), client.get(&url).send()).await;
        assert!(
            waiting.is_err(),
            "a fifth connection was served while four held the cap"
        );
        drop(held);
        let response = tokio::time::timeout(Duration::from_secs(10), client.get(&url).send())
            .await
            .expect("answered once the cap freed")
            .expect("an answer");
        assert_eq!(response.status(), 200);
    })
    .await;
}
