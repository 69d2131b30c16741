//! Live numbers in the browser: one graphql-transport-ws connection to
//! `/graphql/ws` per page, shared by every island that subscribes, and
//! reopened (with its subscriptions) when it drops.

use contract::Operation;

/// Subscribes to the subscription `O`; `on_data` receives each `data` pushed
/// that decodes (anything else is dropped).
#[cfg(feature = "hydrate")]
pub fn subscribe<O: Operation>(variables: &O::Vars, on_data: impl Fn(O::Data) + 'static) {
    if let Ok(variables) = crate::graphql::variables_of::<O>(variables) {
        client::subscribe(O::QUERY, variables, move |data| {
            if let Ok(data) = serde_json::from_value::<O::Data>(data) {
                on_data(data);
            }
        });
    }
}

/// Subscribes to the subscription `O`: nothing to do on the server.
#[cfg(not(feature = "hydrate"))]
pub fn subscribe<O: Operation>(_variables: &O::Vars, _on_data: impl Fn(O::Data) + 'static) {}

#[cfg(feature = "hydrate")]
mod client {
    use std::{cell::RefCell, collections::HashMap, rc::Rc};

    use serde_json::{json, Value};
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{MessageEvent, WebSocket};

    type Handler = Rc<dyn Fn(Value)>;

    #[derive(Default)]
    struct Live {
        socket: Option<WebSocket>,
        acknowledged: bool,
        /// Every subscription of the page, by id, with its `subscribe` message.
        subscriptions: Vec<(String, String)>,
        handlers: HashMap<String, Handler>,
    }

    thread_local! {
        static LIVE: RefCell<Live> = RefCell::new(Live::default());
    }

    /// Subscribes to `query`; `on_data` receives each `data` object pushed.
    pub(super) fn subscribe(
        query: &'static str,
        variables: Value,
        on_data: impl Fn(Value) + 'static,
    ) {
        LIVE.with(|live| {
            let mut live = live.borrow_mut();
            let id = (live.subscriptions.len() + 1).to_string();
            let message = json!({
                "id": id, "type": "subscribe",
                "payload": { "query": query, "variables": variables }
            })
            .to_string();
            live.handlers.insert(id.clone(), Rc::new(on_data));
            live.subscriptions.push((id, message.clone()));
            match (&live.socket, live.acknowledged) {
                (Some(socket), true) => {
                    let _ = socket.send_with_str(&message);
                }
                (None, _) => {
                    drop(live);
                    open();
                }
                _ => {}
            }
        });
    }

    fn url() -> Option<String> {
        let location = web_sys::window()?.location();
        let scheme = if location.protocol().ok()? == "https:" {
            "wss"
        } else {
            "ws"
        };
        Some(format!("{scheme}://{}/graphql/ws", location.host().ok()?))
    }

    fn open() {
        let Some(url) = url() else { return };
        let Ok(socket) = WebSocket::new_with_str(&url, "graphql-transport-ws") else {
            return;
        };
        let on_open = Closure::<dyn FnMut()>::new({
            let socket = socket.clone();
            move || {
                let _ = socket.send_with_str(r#"{"type":"connection_init"}"#);
            }
        });
        socket.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        on_open.forget();

        let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
            let socket = socket.clone();
            move |event: MessageEvent| {
                let Some(text) = event.data().as_string() else {
                    return;
                };
                let Ok(message) = serde_json::from_str::<Value>(&text) else {
                    return;
                };
                match message["type"].as_str() {
                    Some("connection_ack") => LIVE.with(|live| {
                        let mut live = live.borrow_mut();
                        live.acknowledged = true;
                        for (_, subscribe) in &live.subscriptions {
                            let _ = socket.send_with_str(subscribe);
                        }
                    }),
                    Some("ping") => {
                        let _ = socket.send_with_str(r#"{"type":"pong"}"#);
                    }
                    Some("next") => {
                        let id = message["id"].as_str().unwrap_or_default();
                        let handler = LIVE.with(|live| live.borrow().handlers.get(id).cloned());
                        if let Some(handler) = handler {
                            handler(message["payload"]["data"].clone());
                        }
                    }
                    _ => {}
                }
            }
        });
        socket.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();

        let on_close = Closure::<dyn FnMut()>::new(move || {
            LIVE.with(|live| {
                let mut live = live.borrow_mut();
                live.socket = None;
                live.acknowledged = false;
            });
            // Reopen after a pause; the subscriptions are sent again on ack.
            let reopen = Closure::once_into_js(open);
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                    reopen.unchecked_ref(),
                    3000,
                );
            }
        });
        socket.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        on_close.forget();

        LIVE.with(|live| live.borrow_mut().socket = Some(socket));
    }
}
