//! A closed-loop HTTP/1.1 load generator for the realistic mix: keep-alive
//! connections that each send one request, read the whole answer, and send
//! the next one from a precomputed list. Unlike wrk it times every request
//! by its class, so the reads' percentiles are not mixed with the votes'.
//!
//! It runs on its own single-threaded runtime (one core, like wrk), writes
//! requests formatted once, and parses only what it needs of an answer: the
//! status, the length (or the chunks) and, for GraphQL, whether the body
//! names `"errors"`.

use std::{
    cell::RefCell,
    net::SocketAddr,
    rc::Rc,
    time::{Duration, Instant},
};

use anyhow::{bail, Context, Result};
use tokio::{
    io::{AsyncReadExt, AsyncWriteExt},
    net::TcpStream,
};

/// One request of a plan.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: &'static str,
    /// The path and query.
    pub target: String,
    /// The JSON body of a POST; empty for a GET.
    pub body: String,
    /// Which row of the outcome it counts in.
    pub class: usize,
}

impl Request {
    /// A GraphQL request: a 200 whose body names `"errors"` is an error.
    fn is_graphql(&self) -> bool {
        self.method == "POST"
    }

    fn wire(&self, host: &str) -> Vec<u8> {
        let mut out = format!(
            "{} {} HTTP/1.1\r\nHost: {host}\r\n",
            self.method, self.target
        );
        if self.method == "POST" {
            out.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n",
                self.body.len()
            ));
        }
        out.push_str("\r\n");
        out.push_str(&self.body);
        out.into_bytes()
    }
}

/// What the connections send: the distinct requests, and the order they are
/// sent in (indices into `requests`). Connection `i` of `n` starts at
/// `i * order.len() / n` and goes round.
#[derive(Debug, Clone)]
pub struct Plan {
    pub requests: Vec<Request>,
    pub order: Vec<u32>,
}

/// The figures of one class of request.
#[derive(Debug, Clone, Default)]
pub struct ClassOutcome {
    /// Microseconds from writing the request to reading the last byte of
    /// the answer, of every answer that succeeded.
    pub latencies_us: Vec<u32>,
    /// Answers that were not a success (status, GraphQL errors, broken
    /// connections).
    pub errors: u64,
    /// Microseconds the requests still unanswered at the end of the run had
    /// waited: the slowest ones, counted in the percentiles at that age (their
    /// latency is at least that) but not in the rates.
    pub unfinished_us: Vec<u32>,
}

/// One run's figures per class.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub classes: Vec<ClassOutcome>,
    pub elapsed: Duration,
}

impl Outcome {
    /// Successful answers per second of the classes `which` selects.
    pub fn rate(&self, which: impl Fn(usize) -> bool) -> f64 {
        let count: usize = self
            .classes
            .iter()
            .enumerate()
            .filter(|(i, _)| which(*i))
            .map(|(_, c)| c.latencies_us.len())
            .sum();
        count as f64 / self.elapsed.as_secs_f64()
    }

    /// The `q` quantile (0..1) in milliseconds of the classes `which` selects.
    pub fn quantile_ms(&self, which: impl Fn(usize) -> bool, q: f64) -> f64 {
        let mut all: Vec<u32> = self
            .classes
            .iter()
            .enumerate()
            .filter(|(i, _)| which(*i))
            .flat_map(|(_, c)| c.latencies_us.iter().chain(&c.unfinished_us).copied())
            .collect();
        if all.is_empty() {
            return 0.0;
        }
        all.sort_unstable();
        let index = ((all.len() as f64 * q).ceil() as usize).clamp(1, all.len()) - 1;
        all[index] as f64 / 1000.0
    }

    /// Requests of the classes `which` selects left unanswered at the end.
    pub fn unfinished(&self, which: impl Fn(usize) -> bool) -> u64 {
        self.classes
            .iter()
            .enumerate()
            .filter(|(i, _)| which(*i))
            .map(|(_, c)| c.unfinished_us.len() as u64)
            .sum()
    }

    /// Errors of the classes `which` selects.
    pub fn errors(&self, which: impl Fn(usize) -> bool) -> u64 {
        self.classes
            .iter()
            .enumerate()
            .filter(|(i, _)| which(*i))
            .map(|(_, c)| c.errors)
            .sum()
    }
}

/// Runs `plan` against `address` with `connections` for `duration`, on a
/// thread of its own (pinned to `cpus` when given, as wrk is); `classes` is
/// one more than the largest class.
pub async fn run(
    address: SocketAddr,
    plan: std::sync::Arc<Plan>,
    classes: usize,
    connections: usize,
    duration: Duration,
    cpus: Option<String>,
) -> Result<Outcome> {
    let (done, outcome) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let result = (|| {
            if let Some(cpus) = &cpus {
                pin_this_thread(cpus)?;
            }
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(drive(address, &plan, classes, connections, duration))
        })();
        let _ = done.send(result);
    });
    outcome.await.context("the load thread")?
}

/// Pins the calling thread to `cpus` (`0`, `1,3`, `2-3`).
fn pin_this_thread(cpus: &str) -> Result<()> {
    // SAFETY: a zeroed cpu_set_t is the empty set; CPU_SET and
    // sched_setaffinity only read and write that local value.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        for part in cpus.split(',').filter(|p| !p.is_empty()) {
            let (low, high) = match part.split_once('-') {
                Some((low, high)) => (low.trim().parse::<usize>()?, high.trim().parse::<usize>()?),
                None => {
                    let cpu = part.trim().parse::<usize>()?;
                    (cpu, cpu)
                }
            };
            for cpu in low..=high {
                libc::CPU_SET(cpu, &mut set);
            }
        }
        if libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
            bail!(
                "cannot pin the load thread to CPUs {cpus}: {}",
                std::io::Error::last_os_error()
            );
        }
    }
    Ok(())
}

type Waiting = Option<(usize, Instant)>;

async fn drive(
    address: SocketAddr,
    plan: &Plan,
    classes: usize,
    connections: usize,
    duration: Duration,
) -> Result<Outcome> {
    if plan.order.is_empty() {
        bail!("an empty plan");
    }
    let host = address.to_string();
    let wires: Vec<Vec<u8>> = plan.requests.iter().map(|r| r.wire(&host)).collect();
    let stats = Rc::new(RefCell::new(vec![ClassOutcome::default(); classes]));
    // Per connection: the class of the request it waits for, and since when.
    let waiting: Rc<RefCell<Vec<Waiting>>> = Rc::new(RefCell::new(vec![None; connections.max(1)]));
    let started = Instant::now();
    let deadline = started + duration;
    let connections = connections.max(1);
    let tasks = (0..connections).map(|i| {
        let stats = stats.clone();
        let waiting = waiting.clone();
        let wires = &wires;
        let start = i * plan.order.len() / connections;
        async move {
            connection(address, plan, wires, start, deadline, &stats, |class| {
                waiting.borrow_mut()[i] = class
            })
            .await
        }
    });
    // Answers in flight at the deadline are dropped unread, as wrk does.
    let _ = tokio::time::timeout_at(deadline.into(), futures::future::join_all(tasks)).await;
    let elapsed = started.elapsed();
    let mut classes = stats.borrow().clone();
    for (class, sent) in waiting.borrow().iter().flatten() {
        let age = sent.elapsed().as_micros().min(u32::MAX as u128) as u32;
        classes[*class].unfinished_us.push(age);
    }
    Ok(Outcome { classes, elapsed })
}

async fn connection(
    address: SocketAddr,
    plan: &Plan,
    wires: &[Vec<u8>],
    start: usize,
    deadline: Instant,
    stats: &RefCell<Vec<ClassOutcome>>,
    waiting: impl Fn(Waiting),
) {
    let mut position = start;
    let mut buffer = Vec::with_capacity(64 * 1024);
    let mut stream: Option<TcpStream> = None;
    while Instant::now() < deadline {
        let index = plan.order[position % plan.order.len()] as usize;
        position += 1;
        let request = &plan.requests[index];
        if stream.is_none() {
            match TcpStream::connect(address).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    stream = Some(s);
                }
                Err(_) => {
                    stats.borrow_mut()[request.class].errors += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            }
        }
        let Some(tcp) = stream.as_mut() else { continue };
        let sent = Instant::now();
        buffer.clear();
        waiting(Some((request.class, sent)));
        let answer = exchange(tcp, &wires[index], &mut buffer, request.is_graphql()).await;
        waiting(None);
        let micros = sent.elapsed().as_micros().min(u32::MAX as u128) as u32;
        let mut stats = stats.borrow_mut();
        match answer {
            Ok(Answer { ok, keep_alive }) => {
                if ok {
                    stats[request.class].latencies_us.push(micros);
                } else {
                    stats[request.class].errors += 1;
                }
                if !keep_alive {
                    stream = None;
                }
            }
            Err(_) => {
                stats[request.class].errors += 1;
                stream = None;
            }
        }
    }
}

struct Answer {
    ok: bool,
    keep_alive: bool,
}

/// Writes one request and reads its whole answer.
async fn exchange(
    tcp: &mut TcpStream,
    wire: &[u8],
    buffer: &mut Vec<u8>,
    graphql: bool,
) -> Result<Answer> {
    tcp.write_all(wire).await?;
    let head_end = loop {
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end + 4;
        }
        fill(tcp, buffer).await?;
    };
    let head = std::str::from_utf8(&buffer[..head_end]).context("a head that is not UTF-8")?;
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .context("no status")?;
    let mut length: Option<usize> = None;
    let mut chunked = false;
    let mut keep_alive = true;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse().ok();
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            chunked = value.eq_ignore_ascii_case("chunked");
        } else if name.eq_ignore_ascii_case("connection") {
            keep_alive = !value.eq_ignore_ascii_case("close");
        }
    }
    let mut errors = false;
    if chunked {
        let mut at = head_end;
        loop {
            let line_end = loop {
                if let Some(end) = find(&buffer[at..], b"\r\n") {
                    break at + end;
                }
                fill(tcp, buffer).await?;
            };
            let size_text = std::str::from_utf8(&buffer[at..line_end])?;
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .context("a chunk size")?;
            at = line_end + 2;
            if size == 0 {
                // No trailers are expected: the last chunk ends with an empty line.
                while buffer.len() < at + 2 {
                    fill(tcp, buffer).await?;
                }
                break;
            }
            while buffer.len() < at + size + 2 {
                fill(tcp, buffer).await?;
            }
            if graphql && names_errors(&buffer[at..at + size]) {
                errors = true;
            }
            at += size + 2;
        }
    } else {
        let length = length.unwrap_or(0);
        while buffer.len() < head_end + length {
            fill(tcp, buffer).await?;
        }
        if graphql && names_errors(&buffer[head_end..head_end + length]) {
            errors = true;
        }
    }
    Ok(Answer {
        ok: (200..300).contains(&status) && !errors,
        keep_alive,
    })
}

async fn fill(tcp: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<()> {
    let before = buffer.len();
    buffer.reserve(64 * 1024);
    let read = tcp.read_buf(buffer).await?;
    if read == 0 || buffer.len() == before {
        bail!("the server closed the connection");
    }
    Ok(())
}

/// Whether a GraphQL answer carries errors (`str::contains` is vectorised,
/// which matters when the limit server answers 100,000 times a second).
fn names_errors(body: &[u8]) -> bool {
    std::str::from_utf8(body).map_or(true, |text| text.contains("\"errors\""))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use std::{sync::Arc, time::Duration};

    use tokio::{
        io::{AsyncReadExt, AsyncWriteExt},
        net::TcpListener,
    };

    use super::{run, Plan, Request};

    /// A server that answers every request on a connection with `answer`.
    async fn answering(answer: &'static [u8]) -> std::net::SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut tcp, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buffer = vec![0; 4096];
                    let mut seen = Vec::new();
                    loop {
                        let Ok(n) = tcp.read(&mut buffer).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        seen.extend_from_slice(&buffer[..n]);
                        // One answer per complete request head (the tests send GETs).
                        while let Some(end) = seen.windows(4).position(|w| w == b"\r\n\r\n") {
                            seen.drain(..end + 4);
                            if tcp.write_all(answer).await.is_err() {
                                return;
                            }
                        }
                    }
                });
            }
        });
        address
    }

    fn plan(method: &'static str, class: usize) -> Arc<Plan> {
        Arc::new(Plan {
            requests: vec![Request {
                method,
                target: "/".to_owned(),
                body: String::new(),
                class,
            }],
            order: vec![0],
        })
    }

    #[tokio::test]
    async fn chunked_and_sized_answers_are_read_whole_and_counted_by_class() {
        let chunked = answering(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
        )
        .await;
        let outcome = run(
            chunked,
            plan("GET", 1),
            2,
            4,
            Duration::from_millis(300),
            None,
        )
        .await
        .unwrap();
        assert!(outcome.classes[1].latencies_us.len() > 10, "{outcome:?}");
        assert_eq!(outcome.classes[1].errors, 0);
        assert!(outcome.classes[0].latencies_us.is_empty());
        assert!(outcome.rate(|c| c == 1) > 0.0);

        let sized = answering(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").await;
        let outcome = run(
            sized,
            plan("GET", 0),
            1,
            2,
            Duration::from_millis(300),
            None,
        )
        .await
        .unwrap();
        assert!(outcome.classes[0].latencies_us.len() > 10, "{outcome:?}");
        assert_eq!(outcome.classes[0].errors, 0);
    }

    #[tokio::test]
    async fn requests_unanswered_at_the_end_count_in_the_percentiles_at_their_age() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let silent = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let mut held = vec![];
            while let Ok((tcp, _)) = listener.accept().await {
                held.push(tcp);
            }
        });
        let outcome = run(
            silent,
            plan("GET", 0),
            1,
            3,
            Duration::from_millis(300),
            None,
        )
        .await
        .unwrap();
        assert_eq!(outcome.unfinished(|_| true), 3);
        assert_eq!(outcome.rate(|_| true), 0.0);
        assert!(outcome.quantile_ms(|_| true, 0.99) >= 250.0, "{outcome:?}");
    }

    #[tokio::test]
    async fn graphql_errors_and_failed_statuses_count_as_errors() {
        let errors =
            answering(b"HTTP/1.1 200 OK\r\nContent-Length: 14\r\n\r\n{\"errors\":[1]}").await;
        let mut post = (*plan("POST", 0)).clone();
        post.requests[0].body = "{}".to_owned();
        let outcome = run(
            errors,
            Arc::new(post),
            1,
            2,
            Duration::from_millis(300),
            None,
        )
        .await
        .unwrap();
        assert!(outcome.classes[0].latencies_us.is_empty(), "{outcome:?}");
        assert!(outcome.classes[0].errors > 10);

        let missing = answering(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n").await;
        let outcome = run(
            missing,
            plan("GET", 0),
            1,
            2,
            Duration::from_millis(300),
            None,
        )
        .await
        .unwrap();
        assert!(outcome.classes[0].latencies_us.is_empty());
        assert!(outcome.classes[0].errors > 10);
    }
}
