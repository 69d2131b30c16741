//! The UI's GraphQL backend during server-side rendering: operations run
//! in-process against the same schema, with no HTTP hop.

use std::sync::Arc;

use app::graphql::{GraphqlBackend, ResponseFuture, StatusSetter};
use app::GqlError;
use axum::http::StatusCode;
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use serde_json::Value;

use crate::{graphql, state::AppState, voter::VoterSession};

/// Runs the page's operations against the schema of this process.
pub struct InProcess {
    state: AppState,
}

impl InProcess {
    /// A backend over this server's state.
    pub fn new(state: AppState) -> Self {
        InProcess { state }
    }
}

impl GraphqlBackend for InProcess {
    fn execute(&self, query: &'static str, variables: Value) -> ResponseFuture {
        let state = self.state.clone();
        Box::pin(async move {
            let request = async_graphql::Request::new(query)
                .variables(async_graphql::Variables::from_json(variables));
            let voter = Arc::new(VoterSession::anonymous());
            let response = graphql::execute(&state.schema, &state.db, request, voter).await;
            serde_json::to_value(&response).map_err(|e| GqlError::network(e.to_string()))
        })
    }

    fn status_setter(&self) -> StatusSetter {
        let options = use_context::<ResponseOptions>();
        Arc::new(move |code| {
            if let (Some(options), Ok(status)) = (&options, StatusCode::from_u16(code)) {
                options.set_status(status);
            }
        })
    }
}
