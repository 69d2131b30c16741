//! `/admin/webhooks`: the registered endpoints with their recent deliveries
//! and attempts, a form to register one, and the buttons to switch one off
//! or on, delete it, or send a delivery again. Every control is a plain
//! form (POST to the server's `/admin/webhooks…` routes): no JavaScript needed.

use contract::operations::{
    AdminWebhooks, AdminWebhooksData, WebhookDeliveryLine, WebhookEndpointLine,
};
use leptos::prelude::*;
use leptos_meta::Title;

use crate::pages::admin::{admin_view, AdminHead};

/// An event type as the API names it (`COMPARISON_PUBLISHED`) and as
/// receivers see it (`comparison.published`).
pub fn event_name(api_name: &str) -> String {
    let lower = api_name.to_lowercase();
    match lower.split_once('_') {
        Some((kind, rest)) => format!("{kind}.{rest}"),
        None => lower,
    }
}

/// The webhooks page.
#[component]
pub fn AdminWebhooksPage() -> impl IntoView {
    view! {
        <Title text="Webhooks \u{b7} Verdicts admin"/>
        {admin_view::<AdminWebhooks>(|data| view! { <Webhooks data/> }.into_any())}
    }
}

fn when(at: &str) -> String {
    at.chars().take(19).collect::<String>().replace('T', " ")
}

#[component]
fn Webhooks(data: AdminWebhooksData) -> impl IntoView {
    let types = data.webhook_event_types.unwrap_or_default();
    let checkboxes = types
        .iter()
        .map(|t| {
            let id = format!("event-{}", t.to_lowercase());
            let label_for = id.clone();
            view! {
                <label class="check" for=label_for>
                    <input type="checkbox" id=id name="events" value=t.clone()/>
                    " " <code>{event_name(t)}</code>
                </label>
            }
        })
        .collect_view();
    let endpoints = data.webhook_endpoints.unwrap_or_default();
    let empty = endpoints
        .is_empty()
        .then(|| view! { <p class="empty">"No endpoint is registered."</p> });
    let list = endpoints
        .into_iter()
        .map(|e| view! { <Endpoint e/> })
        .collect_view();
    view! {
        <main class="page admin">
            <AdminHead title="Webhooks"/>
            <p class="section-note">
                "Events are POSTed as JSON, signed the Standard Webhooks way, and retried with growing waits when the receiver fails. "
                <a href="/api#webhooks">"How receivers verify them"</a>
                "."
            </p>
            <section aria-labelledby="new-endpoint-title">
                <h2 id="new-endpoint-title">"Register an endpoint"</h2>
                <form class="admin-form webhook-form" method="post" action="/admin/webhooks">
                    <label for="webhook-url">"URL"</label>
                    <input id="webhook-url" name="url" type="url" required maxlength="2048" placeholder="https://example.com/hooks/verdicts"/>
                    <fieldset class="webhook-events">
                        <legend>"Events"</legend>
                        {checkboxes}
                    </fieldset>
                    <button class="button" type="submit">"Register"</button>
                </form>
            </section>
            <section aria-labelledby="endpoints-title">
                <h2 id="endpoints-title">"Endpoints"</h2>
                {empty}
                <ul class="webhook-list">{list}</ul>
            </section>
        </main>
    }
}

#[component]
fn Endpoint(e: WebhookEndpointLine) -> impl IntoView {
    let state = if e.enabled { "on" } else { "off" };
    let notice = e.disabled_reason.clone().map(|reason| {
        view! { <p class="notice notice-error" role="status">"Switched off " {reason} "."</p> }
    });
    let events = e
        .events
        .iter()
        .map(|t| view! { <code>{event_name(t)}</code> " " })
        .collect_view();
    let (toggle_to, toggle_label) = if e.enabled {
        ("false", "Switch off")
    } else {
        ("true", "Switch on")
    };
    let deliveries = e.deliveries.map(|d| d.nodes).unwrap_or_default();
    let total = deliveries.len();
    let rows = deliveries
        .into_iter()
        .map(|d| view! { <Delivery d/> })
        .collect_view();
    view! {
        <li class="webhook" data-endpoint=e.id.clone() data-state=state>
            <p class="webhook-head">
                <strong class="webhook-url">{e.url.clone()}</strong>
                <span class=format!("webhook-state {state}")>{if e.enabled { "on" } else { "off" }}</span>
            </p>
            <p class="webhook-meta">{events}</p>
            {notice}
            <div class="webhook-actions">
                <form method="post" action="/admin/webhooks/update">
                    <input type="hidden" name="id" value=e.id.clone()/>
                    <input type="hidden" name="enabled" value=toggle_to/>
                    <button class="button" type="submit">{toggle_label}</button>
                </form>
                <form method="post" action="/admin/webhooks/delete">
                    <input type="hidden" name="id" value=e.id.clone()/>
                    <button class="link-button danger" type="submit">"Delete"</button>
                </form>
            </div>
            <h3>{format!("Recent deliveries ({total})")}</h3>
            {(total == 0).then(|| view! { <p class="empty">"Nothing sent yet."</p> })}
            <ul class="delivery-list">{rows}</ul>
        </li>
    }
}

#[component]
fn Delivery(d: WebhookDeliveryLine) -> impl IntoView {
    let status = d.status.to_lowercase();
    let kind = d.event_type.as_deref().map(event_name).unwrap_or_default();
    let attempts = d
        .attempts
        .iter()
        .map(|a| {
            let answer = match (a.http_status, &a.error) {
                (Some(code), _) => format!("HTTP {code}"),
                (None, Some(error)) => error.clone(),
                (None, None) => "no answer".to_owned(),
            };
            let body = a
                .response_body
                .clone()
                .filter(|b| !b.is_empty())
                .map(|b| view! { <pre class="mail-body">{b}</pre> });
            view! {
                <li>
                    <span>{when(&a.attempted_at)} " UTC \u{b7} " {answer} " \u{b7} " {format!("{} ms", a.duration_ms)}</span>
                    {body}
                </li>
            }
        })
        .collect_view();
    let tries = d.attempts.len();
    view! {
        <li class="delivery" data-delivery-status=status.clone()>
            <details>
                <summary>
                    <span class=format!("mail-status {status}")>{status.clone()}</span>
                    <code>{kind}</code>
                    <span class="mail-meta">" \u{b7} " {when(&d.occurred_at)} " UTC \u{b7} " {format!("{tries} attempt{}", if tries == 1 { "" } else { "s" })}</span>
                </summary>
                <p class="mail-meta">"Event " <code>{d.event_id}</code></p>
                <ol class="attempt-list">{attempts}</ol>
                <pre class="mail-body">{d.payload}</pre>
            </details>
            <form method="post" action="/admin/webhooks/redeliver">
                <input type="hidden" name="delivery" value=d.id/>
                <button class="link-button" type="submit">"Send again"</button>
            </form>
        </li>
    }
}
