//! How the UI talks to the API: one small trait, implemented in-process by the
//! server during rendering and over HTTP (`POST /graphql`) in the browser.

use std::{future::Future, pin::Pin, sync::Arc};

use contract::{Code, Operation};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use serde_json::Value;

/// A GraphQL response body (`{"data": …, "errors": […]}`) as JSON.
pub type ResponseFuture = Pin<Box<dyn Future<Output = Result<Value, GqlError>> + Send>>;

/// Sets the HTTP status of the page being rendered.
pub type StatusSetter = Arc<dyn Fn(u16) + Send + Sync>;

/// What the UI needs from whoever runs its GraphQL operations.
pub trait GraphqlBackend: Send + Sync {
    /// Executes one operation with its variables and returns the response body.
    fn execute(&self, query: &'static str, variables: Value) -> ResponseFuture;

    /// A setter for the HTTP status of the response being rendered.
    fn status_setter(&self) -> StatusSetter {
        Arc::new(|_| {})
    }

    /// Answers the request being rendered with a redirect (303) to `path`.
    fn redirect(&self, _path: &str) {}
}

/// The backend as Leptos context: provided by the server per request.
#[derive(Clone)]
pub struct Backend(pub Arc<dyn GraphqlBackend>);

impl Backend {
    /// Runs the operation `O` and decodes its `data`; the first GraphQL error becomes `Err`.
    pub fn run<O: Operation>(
        &self,
        variables: &O::Vars,
    ) -> impl Future<Output = Result<O::Data, GqlError>> + Send + 'static {
        let response = variables_of::<O>(variables).map(|v| self.0.execute(O::QUERY, v));
        async move { decode(response?.await?) }
    }
}

/// The JSON of an operation's variables.
pub fn variables_of<O: Operation>(variables: &O::Vars) -> Result<Value, GqlError> {
    serde_json::to_value(variables).map_err(|e| {
        GqlError::network(format!(
            "the variables of {} do not serialise: {e}",
            O::NAME
        ))
    })
}

/// A failed operation: the API's message and its stable `extensions.code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GqlError {
    /// What went wrong, in words a reader can be shown.
    pub message: String,
    /// `NOT_FOUND`, `VALIDATION`, `RATE_LIMITED`, … or `NETWORK` when no answer came.
    pub code: Code,
    /// For `VALIDATION`: the input field at fault (the first, when several are).
    #[serde(default)]
    pub field: Option<String>,
    /// For `VALIDATION` of several fields at once: each `(field, message)`.
    #[serde(default)]
    pub fields: Vec<(String, String)>,
}

impl GqlError {
    /// An error that never reached the API or came back unreadable.
    pub fn network(message: impl Into<String>) -> Self {
        GqlError {
            message: message.into(),
            code: Code::Network,
            field: None,
            fields: Vec::new(),
        }
    }
}

impl std::fmt::Display for GqlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

#[derive(Deserialize)]
struct Body {
    data: Option<Value>,
    #[serde(default)]
    errors: Vec<ErrorBody>,
}

#[derive(Deserialize)]
struct ErrorBody {
    message: String,
    #[serde(default)]
    extensions: Option<Value>,
}

/// Decodes a GraphQL response body into the operation's data type.
pub fn decode<T: DeserializeOwned>(body: Value) -> Result<T, GqlError> {
    let body: Body = serde_json::from_value(body)
        .map_err(|e| GqlError::network(format!("unreadable response: {e}")))?;
    if let Some(first) = body.errors.into_iter().next() {
        let extension = |name: &str| {
            first
                .extensions
                .as_ref()
                .and_then(|e| e.get(name))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        return Err(GqlError {
            // A code this UI does not know is as good as none.
            code: extension("code")
                .and_then(|code| code.parse().ok())
                .unwrap_or(Code::Internal),
            field: extension("field"),
            fields: first
                .extensions
                .as_ref()
                .and_then(|e| e.get("fields"))
                .and_then(Value::as_array)
                .map(|all| {
                    all.iter()
                        .filter_map(|entry| {
                            let text = |name: &str| entry.get(name)?.as_str().map(str::to_owned);
                            Some((text("field")?, text("message")?))
                        })
                        .collect()
                })
                .unwrap_or_default(),
            message: first.message,
        });
    }
    serde_json::from_value(body.data.unwrap_or(Value::Null))
        .map_err(|e| GqlError::network(format!("unexpected response shape: {e}")))
}

/// Runs the operation `O` against `/graphql` from the browser.
#[cfg(feature = "hydrate")]
pub async fn post<O: Operation>(variables: &O::Vars) -> Result<O::Data, GqlError> {
    decode(http::post(O::QUERY, variables_of::<O>(variables)?).await?)
}

#[cfg(feature = "hydrate")]
mod http {
    use serde_json::{json, Value};
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{Request, RequestCredentials, RequestInit, Response};

    use super::GqlError;

    fn network(e: JsValue) -> GqlError {
        GqlError::network(
            e.as_string()
                .unwrap_or_else(|| "the network request failed".into()),
        )
    }

    pub async fn post(query: &'static str, variables: Value) -> Result<Value, GqlError> {
        let body = json!({ "query": query, "variables": variables }).to_string();
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_credentials(RequestCredentials::SameOrigin);
        init.set_body(&JsValue::from_str(&body));
        let request = Request::new_with_str_and_init("/graphql", &init).map_err(network)?;
        let headers = request.headers();
        headers
            .set("content-type", "application/json")
            .map_err(network)?;
        headers.set("accept", "application/json").map_err(network)?;
        // Same-origin pages say so; a cross-site form cannot set this header.
        headers
            .set(contract::names::CSRF_HEADER, contract::names::CSRF_VALUE)
            .map_err(network)?;
        let window = web_sys::window().ok_or_else(|| GqlError::network("no window"))?;
        let response: Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(network)?
            .unchecked_into();
        let text = JsFuture::from(response.text().map_err(network)?)
            .await
            .map_err(network)?
            .as_string()
            .unwrap_or_default();
        serde_json::from_str(&text)
            .map_err(|_| GqlError::network(format!("the server answered {}", response.status())))
    }
}
