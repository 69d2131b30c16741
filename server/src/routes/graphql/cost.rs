//! The client's query cost budget on `/graphql`: the ticket a request runs
//! on, the charge for a kept answer, the figures written into an answer's
//! `extensions.cost`, and the 429 for a client that spent it.

use std::sync::Arc;

use axum::{body::Bytes, response::Response};
use serde_json::{json, Value};

use super::{
    headers::{self, Allowance},
    protocol,
};
use crate::{
    budget::BudgetTicket, caller::Caller, domain::rate_limit::Usage, graphql, state::AppState,
};

/// The ticket the client's request runs on (`None` when no budget applies),
/// or the 429 when it spent its budget for this window.
pub(super) fn ticket(
    state: &AppState,
    caller: &Caller,
    media: &'static str,
) -> Result<Option<Arc<BudgetTicket>>, Box<Response>> {
    if !state.budget.enabled() {
        return Ok(None);
    }
    let client = caller.budget_key();
    if let Some(wait) = state.budget.wait(&client) {
        return Err(Box::new(over_budget(
            media,
            state.budget.per_window(),
            wait,
        )));
    }
    Ok(Some(BudgetTicket::new(
        state.budget.clone(),
        state.db.clone(),
        client,
    )))
}

/// Charges a kept answer's `cost` to the client like a fresh one: where it
/// stands afterwards (`None` when no budget applies), or the 429.
pub(super) async fn charge_kept(
    state: &AppState,
    caller: &Caller,
    cost: i64,
    media: &'static str,
) -> Result<Option<Allowance>, Box<Response>> {
    let Some(ticket) = ticket(state, caller, media)? else {
        return Ok(None);
    };
    if let Err(wait) = ticket.charge(cost).await {
        return Err(Box::new(over_budget(
            media,
            state.budget.per_window(),
            wait,
        )));
    }
    Ok(allowance(state, ticket.settle(None).await))
}

/// Where the client stands after a request, from its usage.
pub(super) fn allowance(state: &AppState, usage: Option<Usage>) -> Option<Allowance> {
    let now = chrono::Utc::now().timestamp();
    usage.map(|usage| {
        let limit = i64::from(state.budget.per_window());
        Allowance {
            limit,
            remaining: (limit - usage.used).max(0),
            reset: (usage.window_end - now).max(0),
        }
    })
}

/// The answer `body` with the client's budget written into its cost
/// extension (an answer without one is sent as it is).
pub(super) fn with_figures(body: &Value, allowance: &Allowance) -> Bytes {
    let mut body = body.clone();
    if let Some(cost) = body
        .pointer_mut("/extensions/cost")
        .and_then(Value::as_object_mut)
    {
        cost.insert("budget".into(), json!(allowance.limit));
        cost.insert("remaining".into(), json!(allowance.remaining));
        cost.insert("resetsIn".into(), json!(allowance.reset));
    }
    Bytes::from(body.to_string())
}

/// What the answered query cost (at least 1: every request is work): what
/// it returned, or, for an answer without that figure, its estimate.
pub(super) fn query_cost(response: &async_graphql::Response) -> i64 {
    actual_cost(response)
        .unwrap_or_else(|| figure(response, "requestedQueryCost").unwrap_or(1).max(1))
}

/// What an executed query returned, as `extensions.cost.actualQueryCost`.
pub(super) fn actual_cost(response: &async_graphql::Response) -> Option<i64> {
    figure(response, "actualQueryCost")
}

fn figure(response: &async_graphql::Response, name: &str) -> Option<i64> {
    response
        .extensions
        .get("cost")
        .and_then(|cost| match cost {
            async_graphql::Value::Object(fields) => fields.get(name).cloned(),
            _ => None,
        })
        .and_then(|value| match value {
            async_graphql::Value::Number(n) => n.as_i64(),
            _ => None,
        })
}

/// The refusal for a client that spent its budget for this window.
fn over_budget(media: &'static str, per_window: u32, wait: u64) -> Response {
    let body = json!({ "errors": [graphql::schema::over_budget(per_window, wait)] });
    let status = crate::error::http_status(contract::Code::RateLimited);
    let mut response = protocol::with_media(status, media, body);
    let headers = response.headers_mut();
    headers.insert(axum::http::header::RETRY_AFTER, wait.into());
    let wait = i64::try_from(wait).unwrap_or(i64::MAX);
    headers::write_allowance(
        headers,
        &Allowance {
            limit: i64::from(per_window),
            remaining: 0,
            reset: wait,
        },
    );
    response
}
