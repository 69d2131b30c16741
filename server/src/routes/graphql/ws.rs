//! `/graphql/ws`: subscriptions over graphql-transport-ws (or the older
//! graphql-ws), with the limits that keep one client from multiplying the
//! server's work: the alias, depth and cost limits of HTTP on every
//! subscription, each start charged to the caller's API budget like an HTTP
//! query, a number of subscriptions per connection and of connections per
//! client address, `connection_init` within 10 s, messages of 64 KiB at
//! most, and pings that find dead peers.

use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{
        atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering},
        Arc, Mutex,
    },
    time::Duration,
};

use async_graphql::{
    http::{WebSocket as GraphQLStream, WebSocketProtocols, WsMessage, ALL_WEBSOCKET_PROTOCOLS},
    parser::types::OperationType,
    Data, Executor, Request, Response, ServerError,
};
use axum::{
    extract::{
        ws::{CloseFrame, Message, WebSocket},
        State, WebSocketUpgrade,
    },
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response as HttpResponse},
    Extension,
};
use futures::{
    future,
    stream::{self, BoxStream},
    SinkExt, StreamExt,
};
use tokio::time::{Instant, MissedTickBehavior};

use crate::{
    budget::{ApiBudget, BudgetTicket},
    config::Config,
    graphql::{
        schema::{over_budget, over_document_limits},
        Caller, VerdictsSchema,
    },
    state::AppState,
};

/// Largest message a client may send, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// How long a new connection has to send `connection_init`.
pub const INIT_TIMEOUT: Duration = Duration::from_secs(10);

/// Close code for a connection that did not initialise in time
/// (graphql-transport-ws).
const INIT_TIMED_OUT: u16 = 4408;

/// The WebSocket limits and the connections open per client address.
pub struct Sockets {
    max_subscriptions: usize,
    max_per_address: usize,
    ping: Duration,
    open: Mutex<Open>,
}

/// The connections open: per address, in all, and the most since memory
/// was last handed back.
#[derive(Default)]
struct Open {
    per_address: HashMap<Option<IpAddr>, usize>,
    total: usize,
    peak: usize,
}

/// Below this many connections at the peak, closing them frees too little
/// to be worth handing memory back. Few sockets may still have done much
/// (an attacker's 16, each refused thousands of subscriptions), so it is low;
/// trims are coalesced to one a second (see [`hand_back_memory`]).
const TRIM_AFTER_PEAK: usize = 2;

/// Whether a trim is already scheduled.
static TRIM_PENDING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl Sockets {
    /// The limits from the settings.
    pub fn new(config: &Config) -> Self {
        Sockets {
            max_subscriptions: config.ws_max_subscriptions,
            max_per_address: config.ws_max_per_address,
            ping: Duration::from_secs(config.ws_ping_secs.max(1)),
            open: Mutex::default(),
        }
    }

    /// A place for one more connection from `address`, if it has one left.
    fn admit(self: &Arc<Self>, address: Option<IpAddr>) -> Option<AddressSlot> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let count = open.per_address.entry(address).or_insert(0);
        if *count >= self.max_per_address {
            return None;
        }
        *count += 1;
        open.total += 1;
        open.peak = open.peak.max(open.total);
        Some(AddressSlot {
            sockets: self.clone(),
            address,
        })
    }
}

/// One open connection of an address; dropping it frees the place.
struct AddressSlot {
    sockets: Arc<Sockets>,
    address: Option<IpAddr>,
}

impl Drop for AddressSlot {
    fn drop(&mut self) {
        let mut open = self.sockets.open.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(count) = open.per_address.get_mut(&self.address) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                open.per_address.remove(&self.address);
            }
        }
        open.total = open.total.saturating_sub(1);
        if open.peak >= TRIM_AFTER_PEAK && open.total <= open.peak / 2 {
            open.peak = open.total;
            hand_back_memory();
        }
    }
}

/// glibc keeps what closed connections freed for reuse; after many closed
/// (an attacker's sockets), give it back to the system.
/// One trim a second at most, a second after the first close asked for it,
/// so a burst of closes ends with one trim that sees all they freed, and
/// opening and closing sockets cannot make the server trim all the time.
fn hand_back_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if let Ok(runtime) = tokio::runtime::Handle::try_current() {
        if TRIM_PENDING.swap(true, Ordering::SeqCst) {
            return;
        }
        runtime.spawn(async {
            tokio::time::sleep(Duration::from_secs(1)).await;
            TRIM_PENDING.store(false, Ordering::SeqCst);
            let _ = tokio::task::spawn_blocking(|| {
                // SAFETY: `malloc_trim` only returns free heap pages to the system.
                unsafe {
                    libc::malloc_trim(0);
                }
            })
            .await;
        });
    }
}

/// The upgrade: refused with 429 when the address has its connections open.
pub async fn upgrade(
    State(state): State<AppState>,
    Extension(sockets): Extension<Arc<Sockets>>,
    caller: Caller,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> HttpResponse {
    let protocol = headers
        .get_all(header::SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .find_map(|name| name.trim().parse::<WebSocketProtocols>().ok());
    let Some(protocol) = protocol else {
        let message = "ask for the graphql-transport-ws (or graphql-ws) subprotocol in Sec-WebSocket-Protocol";
        return (StatusCode::BAD_REQUEST, message).into_response();
    };
    let Some(slot) = sockets.admit(caller.address.0) else {
        let message = format!(
            "this address already has {} WebSocket connections open, the most one address may: close one first",
            sockets.max_per_address
        );
        return (StatusCode::TOO_MANY_REQUESTS, message).into_response();
    };
    let executor = Limited {
        schema: state.schema.clone(),
        open: Arc::default(),
        max: sockets.max_subscriptions,
        budget: state.budget.enabled().then(|| Payer {
            budget: state.budget.clone(),
            db: state.db.clone(),
            key: caller.budget_key(),
            debt: Debt::start(state.budget.clone(), state.db.clone(), caller.budget_key()),
        }),
    };
    let ping = sockets.ping;
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .read_buffer_size(8 * 1024)
        .write_buffer_size(8 * 1024)
        .max_write_buffer_size(256 * 1024)
        .on_upgrade(move |socket| async move {
            let debt = executor.budget.as_ref().map(|payer| payer.debt.clone());
            serve(socket, executor, protocol, ping).await;
            if let Some(debt) = debt {
                debt.close();
            }
            drop(slot);
        })
        .into_response()
}

/// A GraphQL error with a `VALIDATION` code and the limit it hit.
fn refusal(message: String, limit: usize) -> Response {
    let mut error = ServerError::new(message, None);
    let mut extensions = crate::error::extensions_with(contract::Code::Validation);
    extensions.set("limit", limit as u64);
    error.extensions = Some(extensions);
    Response::from_errors(vec![error])
}

/// The schema as one connection may use it: subscriptions that pass the
/// alias limit (depth and cost are checked by the schema itself), no more
/// of them at once than the limit, each paid for from the caller's budget.
#[derive(Clone)]
struct Limited {
    schema: VerdictsSchema,
    open: Arc<AtomicUsize>,
    max: usize,
    /// Who pays, when budgets are on.
    budget: Option<Payer>,
}

/// The budget a connection's subscriptions are charged to: the one of the
/// client that opened it (its address, or its API token).
#[derive(Clone)]
struct Payer {
    budget: Arc<ApiBudget>,
    db: sea_orm::DatabaseConnection,
    key: String,
    /// What the connection owes for subscriptions that never ran.
    debt: Arc<Debt>,
}

impl Payer {
    /// The refusal when the client has already spent its budget.
    fn spent(&self) -> Option<Response> {
        let wait = self.budget.wait(&self.key)?;
        Some(Response::from_errors(vec![over_budget(
            self.budget.per_window(),
            wait,
        )]))
    }

    /// One subscription start's account: the schema's query-cost extension
    /// charges it the validated cost before the subscription runs, and
    /// refuses it (`RATE_LIMITED`, as over HTTP) when the budget is spent.
    fn ticket(&self) -> Arc<BudgetTicket> {
        BudgetTicket::new(self.budget.clone(), self.db.clone(), self.key.clone())
    }
}

/// What a connection owes its client's budget for subscription starts that
/// never ran: refused ones (1 each, as a refused HTTP request), and ones
/// completed before they started (async-graphql handles every message of a
/// read before it polls any stream, so a `complete` sent right behind its
/// `subscribe` drops the subscription before its charge). Counted in memory
/// and paid by one task per connection, a statement per payment however
/// much is owed: a flood of refusals costs the server neither a statement
/// nor a task nor memory each, yet spends the client's budget.
struct Debt {
    owed: AtomicI64,
    closed: AtomicBool,
    due: tokio::sync::Notify,
}

impl Debt {
    /// A connection's debt, and the task that pays it to `key`'s budget.
    fn start(budget: Arc<ApiBudget>, db: sea_orm::DatabaseConnection, key: String) -> Arc<Self> {
        let debt = Arc::new(Debt {
            owed: AtomicI64::new(0),
            closed: AtomicBool::new(false),
            due: tokio::sync::Notify::new(),
        });
        let paying = debt.clone();
        tokio::spawn(async move {
            loop {
                paying.due.notified().await;
                let owed = paying.owed.swap(0, Ordering::SeqCst);
                if owed > 0 {
                    budget.charge(&db, &key, owed).await;
                }
                if paying.closed.load(Ordering::SeqCst) {
                    let rest = paying.owed.swap(0, Ordering::SeqCst);
                    if rest > 0 {
                        budget.charge(&db, &key, rest).await;
                    }
                    return;
                }
            }
        });
        debt
    }

    fn owe(&self, points: i64) {
        self.owed.fetch_add(points, Ordering::SeqCst);
        self.due.notify_one();
    }

    /// The connection is gone: pay what is left, then stop.
    fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        self.due.notify_one();
    }
}

/// A refusal that costs the client 1, as HTTP charges a refused request.
fn refused(debt: Option<&Arc<Debt>>, refusal: Response) -> BoxStream<'static, Response> {
    if let Some(debt) = debt {
        debt.owe(1);
    }
    stream::once(future::ready(refusal)).boxed()
}

/// Owes 1 for a subscription dropped before it produced anything (and so
/// before its charge ran); disarmed by its first answer, which was paid.
struct OweOnDrop(Option<Arc<Debt>>);

impl OweOnDrop {
    fn disarm(&mut self) {
        self.0 = None;
    }
}

impl Drop for OweOnDrop {
    fn drop(&mut self) {
        if let Some(debt) = self.0.take() {
            debt.owe(1);
        }
    }
}

/// One running subscription; dropping it (completed, stopped, replaced, or
/// the connection gone) frees its place.
struct SubscriptionSlot(Arc<AtomicUsize>);

impl Drop for SubscriptionSlot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The refusal of a query or a mutation sent over the WebSocket: they need
/// what only an HTTP request carries (its loaders, the voter cookie).
fn not_a_subscription() -> Response {
    refusal(
        "the WebSocket carries subscriptions only: send queries and mutations to POST /graphql"
            .to_owned(),
        0,
    )
}

impl Executor for Limited {
    fn execute(&self, _request: Request) -> impl std::future::Future<Output = Response> + Send {
        future::ready(not_a_subscription())
    }

    fn execute_stream(
        &self,
        mut request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        if let Some(spent) = self.budget.as_ref().and_then(Payer::spent) {
            return stream::once(future::ready(spent)).boxed();
        }
        let ticket = self.budget.as_ref().map(Payer::ticket);
        let debt = self.budget.as_ref().map(|payer| &payer.debt);
        if let Some(error) = over_document_limits(&mut request) {
            return refused(debt, Response::from_errors(vec![error]));
        }
        // Checked here rather than by a schema extension: any extension
        // puts every field of every HTTP query through its hooks.
        let only_subscriptions = request.parsed_query().map_or(true, |document| {
            document
                .operations
                .iter()
                .all(|(_, op)| op.node.ty == OperationType::Subscription)
        });
        if !only_subscriptions {
            return refused(debt, not_a_subscription());
        }
        if self.open.fetch_add(1, Ordering::SeqCst) >= self.max {
            self.open.fetch_sub(1, Ordering::SeqCst);
            let message = format!(
                "this connection already runs {} subscriptions, the most one connection may: complete one first",
                self.max
            );
            return refused(debt, refusal(message, self.max));
        }
        let slot = SubscriptionSlot(self.open.clone());
        let request = match &ticket {
            Some(ticket) => request.data(ticket.clone()),
            None => request,
        };
        let mut unpaid = OweOnDrop(debt.cloned());
        let stream = self
            .schema
            .execute_stream_with_session_data(request, session_data.unwrap_or_default())
            .enumerate()
            .then(move |(index, response)| {
                let _running = &slot;
                // Its first answer is paid (below, or by the charge that ran).
                unpaid.disarm();
                // A document that did not parse never reached the charge
                // before execution: it pays 1 with its error, as over HTTP.
                let unsettled = ticket.clone().filter(|_| index == 0);
                async move {
                    if let Some(ticket) = unsettled {
                        ticket.settle(None).await;
                    }
                    response
                }
            })
            .boxed();
        stream
    }
}

/// Runs one connection until either side closes it, the client fails to
/// initialise in time, or it stops answering pings.
async fn serve(socket: WebSocket, executor: Limited, protocol: WebSocketProtocols, ping: Duration) {
    let (mut sink, input) = socket.split();
    let heard = Arc::new(Mutex::new(Instant::now()));
    let too_big = Arc::new(AtomicBool::new(false));
    let initialised = Arc::new(AtomicBool::new(false));
    let input = {
        let heard = heard.clone();
        let too_big = too_big.clone();
        input
            .take_while(move |frame| {
                if let Err(error) = frame {
                    if error.to_string().contains("too long") {
                        too_big.store(true, Ordering::SeqCst);
                    }
                }
                future::ready(frame.is_ok())
            })
            .filter_map(move |frame| {
                *heard.lock().unwrap_or_else(|e| e.into_inner()) = Instant::now();
                future::ready(match frame {
                    Ok(Message::Text(text)) => Some(text.as_bytes().to_vec()),
                    Ok(Message::Binary(bytes)) => Some(bytes.to_vec()),
                    _ => None,
                })
            })
    };
    let on_init = {
        let initialised = initialised.clone();
        move |_payload: serde_json::Value| {
            initialised.store(true, Ordering::SeqCst);
            future::ready(Ok(Data::default()))
        }
    };
    let graphql = GraphQLStream::new(executor, input, protocol).on_connection_init(on_init);
    futures::pin_mut!(graphql);
    let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
    tokio::pin!(init_deadline);
    let mut pings = tokio::time::interval_at(Instant::now() + ping, ping);
    pings.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let close = loop {
        tokio::select! {
            message = graphql.next() => match message {
                Some(WsMessage::Text(text)) => {
                    if !send_within(&mut sink, Message::Text(text.into()), ping).await {
                        return;
                    }
                }
                Some(WsMessage::Close(code, reason)) => break Some((code, reason)),
                None if too_big.load(Ordering::SeqCst) => {
                    break Some((1009, format!("messages are limited to {MAX_MESSAGE_BYTES} bytes")))
                }
                None => break None,
            },
            () = &mut init_deadline, if !initialised.load(Ordering::SeqCst) => {
                break Some((INIT_TIMED_OUT, "Connection initialisation timeout".to_owned()));
            }
            _ = pings.tick() => {
                let silent = heard.lock().unwrap_or_else(|e| e.into_inner()).elapsed();
                if silent > ping * 3 {
                    break Some((1001, "no answer to pings".to_owned()));
                }
                if !send_within(&mut sink, Message::Ping(Default::default()), ping).await {
                    return;
                }
            }
        }
    };
    if let Some((code, reason)) = close {
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        let _ = send_within(&mut sink, Message::Close(Some(frame)), ping).await;
    }
    let _ = tokio::time::timeout(ping, sink.close()).await;
}

/// Sends one message, giving up (and so dropping the socket) when the
/// client has not taken it within `limit`: a client that never reads would
/// otherwise stall this loop, its pings and its deadlines, and keep its
/// connection and subscriptions for good.
async fn send_within<S>(sink: &mut S, message: Message, limit: Duration) -> bool
where
    S: futures::Sink<Message> + Unpin,
{
    matches!(
        tokio::time::timeout(limit, sink.send(message)).await,
        Ok(Ok(()))
    )
}
