//! Finding 3: slow and idle connections were held forever. Now a client has
//! `--header-read-timeout-secs` to send its headers (a new connection its
//! first byte), a connection idle for `--idle-timeout-secs` (no request in
//! progress, nothing received or sent) is closed, at most
//! `--max-connections` are served at once (lowered to fit the open-file
//! limit), and one TCP peer holds at most `--max-connections-per-peer`.

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, TransactionTrait};
use serde_json::{json, Value};
use tests::{on_both_databases, Db, SpawnOptions, TestApp};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::{TcpSocket, TcpStream},
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
                    // Every socket here, the reader's too, comes from
                    // 127.0.0.1: this test is about the timeouts, not the
                    // cap per peer (tested below).
                    c.max_connections_per_peer = 0;
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

/// Sends `GET /healthz` on a kept-alive connection; whether a 200 came back
/// within 10 s.
async fn answered(socket: &mut TcpStream) -> bool {
    let request = b"GET /healthz HTTP/1.1\r\nHost: verdicts.test\r\n\r\n";
    if socket.write_all(request).await.is_err() {
        return false;
    }
    let mut buffer = [0u8; 4096];
    match tokio::time::timeout(Duration::from_secs(10), socket.read(&mut buffer)).await {
        Ok(Ok(read)) => buffer[..read].starts_with(b"HTTP/1.1 200"),
        _ => false,
    }
}

/// `count` connections from 127.0.0.1, each answered and kept open.
async fn hold_answered(target: &str, count: usize, from: &str) -> Vec<TcpStream> {
    let mut held = Vec::with_capacity(count);
    for i in 0..count {
        let mut socket = TcpStream::connect(target).await.expect("connect");
        assert!(
            answered(&mut socket).await,
            "connection {} {from} was refused",
            i + 1
        );
        held.push(socket);
    }
    held
}

/// A connection to `target` from the loopback address `from` (127.0.0.2 …).
async fn connect_from(from: &str, target: &str) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket
        .bind(format!("{from}:0").parse().expect("an address"))
        .expect("bind a loopback address");
    socket
        .connect(target.parse().expect("an address"))
        .await
        .expect("connect")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_peer_beyond_its_share_is_closed_at_once_while_others_are_served() {
    tests::within_time_limit(async {
        let Some(app) = TestApp::spawn_with(
            Db::Sqlite,
            SpawnOptions {
                configure: |c| {
                    c.max_connections_per_peer = 4;
                    // No proxy: the TCP peer is the client.
                    c.trusted_proxies = "0".parse().expect("no proxy");
                },
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
            let mut socket = TcpStream::connect(&target).await.expect("connect");
            assert!(answered(&mut socket).await, "within its share");
            held.push(socket);
        }
        // One more from the same peer: closed at once, not held until the
        // header timeout (10 s) like any silent connection.
        let mut fifth = TcpStream::connect(&target).await.expect("connect");
        let closed = closed_within(&mut fifth, Duration::from_secs(3)).await;
        assert!(
            closed.is_some(),
            "a fifth connection from a peer holding four was kept open"
        );
        // Another peer is served meanwhile.
        let mut other = connect_from("127.0.0.2", &target).await;
        assert!(answered(&mut other).await, "another peer is served");
        // A closed connection gives its place back.
        drop(held.pop());
        let mut freed = false;
        for _ in 0..50 {
            let mut socket = TcpStream::connect(&target).await.expect("connect");
            if answered(&mut socket).await {
                freed = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(freed, "the peer got its place back");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxy_given_as_a_hop_count_is_not_capped_per_peer() {
    tests::within_time_limit(async {
        // `--trusted-proxies 1`: every connection comes from the proxy, whose
        // address is not named; capping it would cap the whole site.
        let Some(app) = TestApp::spawn_with(
            Db::Sqlite,
            SpawnOptions {
                configure: |c| {
                    c.max_connections_per_peer = 2;
                    c.trusted_proxies = "1".parse().expect("one hop");
                },
                ..Default::default()
            },
        )
        .await
        else {
            return;
        };
        let target = host(&app.address);
        let _held = hold_answered(&target, 6, "through the proxy").await;
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trusted_proxy_networks_are_exempt_from_the_cap_per_peer() {
    tests::within_time_limit(async {
        let Some(app) = TestApp::spawn_with(
            Db::Sqlite,
            SpawnOptions {
                configure: |c| {
                    c.max_connections_per_peer = 2;
                    // The test's connections come from 127.0.0.1, "the proxy".
                    c.trusted_proxies = "127.0.0.1".parse().expect("networks");
                },
                ..Default::default()
            },
        )
        .await
        else {
            return;
        };
        let target = host(&app.address);
        let _held = hold_answered(&target, 6, "from the trusted proxy").await;
        // Any other peer still has its cap.
        let mut others = Vec::new();
        for _ in 0..2 {
            let mut socket = connect_from("127.0.0.3", &target).await;
            assert!(answered(&mut socket).await, "within its share");
            others.push(socket);
        }
        let mut third = connect_from("127.0.0.3", &target).await;
        assert!(
            closed_within(&mut third, Duration::from_secs(3))
                .await
                .is_some(),
            "a peer outside the proxy networks is capped"
        );
    })
    .await;
}

/// Found: the idle deadline ran from the last byte read or written, so a
/// request whose handler wrote nothing for longer than the idle timeout (a
/// slow query) was cut off. Idle now means no request in progress.
async fn a_request_slower_than_the_idle_timeout_is_answered(db: Db) {
    let Some(app) = TestApp::spawn_with(
        db,
        SpawnOptions {
            // The request's first write is its budget charge.
            api_cost_budget: 100_000,
            configure: |c| c.idle_timeout_secs = 1,
            ..Default::default()
        },
    )
    .await
    else {
        return;
    };
    // A slow database: the budget table is locked for 2.5 s, so the request
    // waits on its charge, with nothing to read or write meanwhile.
    let lock = app.db.begin().await.expect("a transaction");
    let statement = match db {
        Db::Sqlite => "DELETE FROM rate_limits WHERE 1 = 0",
        Db::Postgres => "LOCK TABLE rate_limits IN EXCLUSIVE MODE",
    };
    lock.execute_unprepared(statement)
        .await
        .expect("lock the table");
    let client = TestApp::new_client();
    let url = format!("{}/graphql", app.address);
    let request = tokio::spawn(async move {
        let response = client
            .post(url)
            .json(&json!({ "query": "{ tool(slug: \"cursor\") { name } }" }))
            .send()
            .await?;
        let status = response.status().as_u16();
        Ok::<_, reqwest::Error>((status, response.json::<Value>().await?))
    });
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    if request.is_finished() {
        // Cut off by the idle timeout, or it never waited for the lock (then
        // this test would prove nothing): either way, a failure.
        let outcome = request.await;
        panic!("the request ended while the lock held it back: {outcome:?}");
    }
    lock.commit().await.expect("release the lock");
    let (status, body) = tokio::time::timeout(Duration::from_secs(15), request)
        .await
        .expect("an answer within 15 s")
        .expect("the request task")
        .expect("the request is answered, not cut off by the 1 s idle timeout");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["tool"]["name"], "Cursor", "{body}");
}

on_both_databases!(a_request_slower_than_the_idle_timeout_is_answered);

/// Found in review: a request counted as in progress until its answer was
/// sent, so a client that announced a body and never sent it (or never
/// read its answer) held its connection for good. Waiting on the client is
/// not work: the body must arrive within the header-read timeout, and an
/// unread answer leaves the connection idle.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_never_sends_its_body_or_reads_its_answer_is_closed() {
    tests::within_time_limit(async {
        let Some(app) = TestApp::spawn_with(
            Db::Sqlite,
            SpawnOptions {
                configure: |c| {
                    c.header_read_timeout_secs = 2;
                    c.idle_timeout_secs = 2;
                },
                ..Default::default()
            },
        )
        .await
        else {
            return;
        };
        let target = host(&app.address);
        // Headers announcing 60,000 bytes, then silence.
        let mut silent = TcpStream::connect(&target).await.expect("connect");
        silent
            .write_all(
                b"POST /graphql HTTP/1.1\r\nHost: verdicts.test\r\n\
                  Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n{\"query\":",
            )
            .await
            .expect("send the headers");
        let closed = closed_within(&mut silent, Duration::from_secs(15)).await;
        assert!(
            closed.is_some(),
            "a request whose body never came held its connection for 15 s"
        );
        // A body dripped a byte every 300 ms never pauses long, but must
        // still arrive in full within the 2 s: the request fails well
        // before 15 s (an answer, or the connection closed).
        let mut drip = TcpStream::connect(&target).await.expect("connect");
        drip.write_all(
            b"POST /graphql HTTP/1.1\r\nHost: verdicts.test\r\n\
              Content-Type: application/json\r\nContent-Length: 60000\r\n\r\n",
        )
        .await
        .expect("send the headers");
        let started = Instant::now();
        let mut ended = false;
        let mut buffer = [0u8; 1024];
        while started.elapsed() < Duration::from_secs(15) {
            if drip.write_all(b" ").await.is_err() {
                ended = true;
                break;
            }
            if let Ok(read) =
                tokio::time::timeout(Duration::from_millis(300), drip.read(&mut buffer)).await
            {
                // An answer (the request failed) or the connection closed.
                ended = matches!(read, Ok(0) | Err(_))
                    || buffer.starts_with(b"HTTP/1.1 4")
                    || buffer.starts_with(b"HTTP/1.1 5");
                assert!(
                    !buffer.starts_with(b"HTTP/1.1 5"),
                    "a dripped body is the client's fault, not a 5xx"
                );
                break;
            }
        }
        assert!(
            ended,
            "a body dripped a byte at a time kept its request going for {:?}",
            started.elapsed()
        );
    })
    .await;
}

/// Found: `--max-connections` (10,000 by default) ignored the open-file
/// limit, so under a flood `accept` and every file or database connection
/// the server opened failed together. Now the server raises its soft limit
/// to the hard one and serves fewer connections when even that is too low,
/// and says so.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_connections_are_lowered_to_fit_the_open_file_limit() {
    tests::within_time_limit(async {
        let Some(database) = tests::TestDatabase::create(Db::Sqlite).await else {
            return;
        };
        let port = tests::process::free_port();
        let mut command = tests::process::serve_command(&database.url, port);
        command.stderr(std::process::Stdio::piped());
        // SAFETY: setrlimit is async-signal-safe; it runs in the child
        // between fork and exec and touches nothing else.
        unsafe {
            command.pre_exec(|| {
                let limit = libc::rlimit {
                    rlim_cur: 300,
                    rlim_max: 300,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut server = command.spawn().expect("the server starts");
        let address = format!("http://127.0.0.1:{port}");
        tests::process::wait_until_ready(&address).await;
        // Hold more connections than it may serve: the rest wait, and once
        // they are gone the server serves pages that need the database.
        let mut held = Vec::new();
        for _ in 0..250 {
            held.push(TcpStream::connect(host(&address)).await.expect("connect"));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        drop(held);
        let client = TestApp::new_client();
        let mut served = None;
        for _ in 0..100 {
            if let Ok(Ok(response)) = tokio::time::timeout(
                Duration::from_secs(5),
                client.get(format!("{address}/tools")).send(),
            )
            .await
            {
                served = Some(response.status().as_u16());
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(served, Some(200), "a page after the flood");
        server.start_kill().expect("stop the server");
        let output = server.wait_with_output().await.expect("its output");
        let log = without_colours(&String::from_utf8_lossy(&output.stderr));
        // 300 files: half of them, since the pool (4 SQLite connections, 12
        // files) and the reserve for files (256) would not leave enough.
        assert!(
            log.contains("max_connections=150") && log.contains("open_file_limit=300"),
            "the lowered limit is not in the log:\n{log}"
        );
        assert!(
            !log.contains("cannot accept"),
            "the server ran out of files:\n{log}"
        );
    })
    .await;
}

/// The log without its terminal colour codes (`ESC [ … m`).
fn without_colours(log: &str) -> String {
    let mut plain = String::with_capacity(log.len());
    let mut chars = log.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    plain
}
