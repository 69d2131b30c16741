//! The UI's GraphQL backends on the server: [`InProcess`] loads a page's
//! data before it renders (operations run in-process against the same
//! schema, with no HTTP hop, as the reader whose request it is), and
//! [`Rendering`] is what the page sees while it renders: it sets the status
//! and redirects, and runs no operation, so no render waits on one.

use std::sync::Arc;

use app::graphql::{GraphqlBackend, ResponseFuture, StatusSetter};
use app::GqlError;
use axum::http::{header, request::Parts, HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use serde_json::Value;

use crate::{
    caller::{Caller, ClientAddress},
    changes::Reads,
    graphql,
    state::AppState,
    voter::VoterSession,
};

/// Runs one page's operations against the schema of this process.
pub struct InProcess {
    state: AppState,
    voter: Arc<VoterSession>,
    session_secret: Option<String>,
    address: ClientAddress,
    /// Where the page cache collects what the page's operations read.
    reads: Option<Arc<Reads>>,
}

impl InProcess {
    /// A backend for the page request with these parts, as the reader who
    /// asks (the [`Caller`] the page cache already read for this request,
    /// kept in its extensions, as is the page's read set).
    pub fn for_request(parts: &mut Parts, state: AppState) -> Self {
        let reads = parts.extensions.get::<Arc<Reads>>().cloned();
        let caller = Caller::of(parts, &state).for_rendering();
        InProcess {
            state,
            voter: caller.voter,
            session_secret: caller.session_secret,
            address: caller.address,
            reads,
        }
    }
}

impl GraphqlBackend for InProcess {
    fn execute(&self, query: &'static str, variables: Value) -> ResponseFuture {
        let state = self.state.clone();
        let caller = Caller {
            voter: self.voter.clone(),
            session_secret: self.session_secret.clone(),
            address: self.address,
            ..Default::default()
        };
        let reads = self.reads.clone();
        Box::pin(async move {
            let mut request = async_graphql::Request::new(query)
                .variables(async_graphql::Variables::from_json(variables));
            if let Some(reads) = reads {
                request = request.data(reads);
            }
            let response = graphql::execute(&state.schema, &state.db, request, caller).await;
            serde_json::to_value(&response).map_err(|e| GqlError::network(e.to_string()))
        })
    }
}

/// The backend a page sees while it renders: the response's status and
/// redirect. Its data was loaded before (see `app::pages::loaded`); an
/// operation asked for during the render is refused, so a page that would
/// wait on one fails its tests instead of racing in production.
pub struct Rendering {
    response: Option<ResponseOptions>,
}

impl Rendering {
    /// The backend of the request being rendered (its response options come
    /// from the Leptos context of that request).
    pub fn for_current_request() -> Self {
        Rendering {
            response: use_context::<ResponseOptions>(),
        }
    }
}

impl GraphqlBackend for Rendering {
    fn execute(&self, query: &'static str, _variables: Value) -> ResponseFuture {
        let name = query.split(['(', '{']).next().unwrap_or_default().trim();
        tracing::error!(operation = name, "a page ran an operation while rendering");
        Box::pin(std::future::ready(Err(GqlError::network(
            "pages load their data before rendering",
        ))))
    }

    fn redirect(&self, path: &str) {
        if let (Some(options), Ok(location)) = (&self.response, HeaderValue::from_str(path)) {
            options.set_status(StatusCode::SEE_OTHER);
            options.insert_header(header::LOCATION, location);
        }
    }

    fn status_setter(&self) -> StatusSetter {
        let options = self.response.clone();
        Arc::new(move |code| {
            if let (Some(options), Ok(status)) = (&options, StatusCode::from_u16(code)) {
                options.set_status(status);
            }
        })
    }
}
