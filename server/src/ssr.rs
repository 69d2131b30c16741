//! The UI's GraphQL backend during server-side rendering: operations run
//! in-process against the same schema, with no HTTP hop, as the reader whose
//! request is being rendered.

use std::sync::Arc;

use app::graphql::{GraphqlBackend, ResponseFuture, StatusSetter};
use app::GqlError;
use axum::http::{request::Parts, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use serde_json::Value;

use crate::{graphql, state::AppState, voter::VoterSession};

/// Runs one page's operations against the schema of this process.
pub struct InProcess {
    state: AppState,
    voter: Arc<VoterSession>,
    response: Option<ResponseOptions>,
}

impl InProcess {
    /// A backend for the request being rendered: its voter cookie and its
    /// response options come from the Leptos context of that request.
    pub fn for_current_request(state: AppState) -> Self {
        let voter = use_context::<Parts>()
            .map(|parts| VoterSession::from_headers(&parts.headers, &state.voter_key))
            .unwrap_or_default();
        InProcess {
            state,
            voter: Arc::new(voter),
            response: use_context::<ResponseOptions>(),
        }
    }
}

impl GraphqlBackend for InProcess {
    fn execute(&self, query: &'static str, variables: Value) -> ResponseFuture {
        let state = self.state.clone();
        let voter = self.voter.clone();
        Box::pin(async move {
            let request = async_graphql::Request::new(query)
                .variables(async_graphql::Variables::from_json(variables));
            let caller = graphql::Caller {
                voter,
                ..Default::default()
            };
            let response = graphql::execute(&state.schema, &state.db, request, caller).await;
            serde_json::to_value(&response).map_err(|e| GqlError::network(e.to_string()))
        })
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
