//! The UI's GraphQL backend during server-side rendering: operations run
//! in-process against the same schema, with no HTTP hop, as the reader whose
//! request is being rendered.

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
    response: Option<ResponseOptions>,
    /// Where the page cache collects what the page's operations read.
    reads: Option<Arc<Reads>>,
}

impl InProcess {
    /// A backend for the request being rendered: who is asking (the
    /// [`Caller`] the page cache already read for this request, kept in its
    /// extensions) and the response options come from the Leptos context of
    /// that request.
    pub fn for_current_request(state: AppState) -> Self {
        let parts = use_context::<Parts>();
        let reads = parts
            .as_ref()
            .and_then(|parts| parts.extensions.get::<Arc<Reads>>().cloned());
        let caller = parts
            .map(|mut parts| Caller::of(&mut parts, &state).for_rendering())
            .unwrap_or_default();
        InProcess {
            state,
            voter: caller.voter,
            session_secret: caller.session_secret,
            address: caller.address,
            response: use_context::<ResponseOptions>(),
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
