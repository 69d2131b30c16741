//! The forms of `/admin/webhooks`, without JavaScript: register an endpoint
//! (the answer shows its secret, once), switch one off or on, delete one,
//! send a delivery again. Each needs a signed-in editor's session and a post
//! from this site's own pages ([`FromThisSite`], the forms' CSRF rule);
//! anything else changes nothing.

use axum::{
    body::Bytes,
    extract::State,
    http::{header, StatusCode},
    response::{Html, IntoResponse, Redirect, Response},
    routing::post,
    Router,
};

use crate::{
    caller::FromThisSite,
    domain::{editors, webhooks},
    error::AppError,
    graphql::Caller,
    state::AppState,
};

/// The webhooks page's forms (POST).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/webhooks", post(create))
        .route("/admin/webhooks/update", post(update))
        .route("/admin/webhooks/delete", post(delete))
        .route("/admin/webhooks/redeliver", post(redeliver))
}

/// The form's fields, in order (a field may repeat: the event checkboxes).
fn fields(body: &Bytes) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn id(fields: &[(String, String)], name: &'static str) -> Result<i64, AppError> {
    field(fields, name)
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| AppError::validation(name, "is not an id"))
}

/// A small page of the admin's look: a heading, a message, a way back.
fn page(status: StatusCode, title: &str, body: String) -> Response {
    let title = app::escape::attribute(title);
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\">\
         <title>{title} \u{b7} Verdicts admin</title>\
         <link rel=\"stylesheet\" href=\"/pkg/verdicts.css\"></head>\
         <body><main class=\"page admin\"><header class=\"admin-head\"><div>\
         <p class=\"eyebrow\"><a href=\"/admin/webhooks\">Webhooks</a></p><h1>{title}</h1></div></header>\
         {body}<p><a class=\"button\" href=\"/admin/webhooks\">Back to webhooks</a></p></main></body></html>"
    );
    (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response()
}

/// What went wrong, as a page with the error's status.
fn refused(error: AppError) -> Response {
    let status = crate::error::http_status(error.code());
    if status.is_server_error() {
        // Logged by `into_response`; the editor sees a generic message.
        let _ = error.into_response();
        return page(
            status,
            "Not saved",
            "<p class=\"form-error\">Something went wrong on our side; nothing was changed. Try again in a moment.</p>".to_owned(),
        );
    }
    page(
        status,
        "Not saved",
        format!(
            "<p class=\"form-error\" role=\"alert\">{}</p>",
            app::escape::attribute(&error.to_string())
        ),
    )
}

/// The signed-in editor, or the sign-in page.
async fn editor(state: &AppState, caller: &Caller) -> Result<entities::editor::Model, Response> {
    let found = match caller.session_secret.as_deref() {
        Some(secret) => editors::editor_for_session(&state.db, secret)
            .await
            .map_err(refused)?,
        None => None,
    };
    found.ok_or_else(|| Redirect::to("/admin/sign-in").into_response())
}

async fn create(
    State(state): State<AppState>,
    _: FromThisSite,
    caller: Caller,
    body: Bytes,
) -> Response {
    let editor = match editor(&state, &caller).await {
        Ok(editor) => editor,
        Err(response) => return response,
    };
    let fields = fields(&body);
    let url = field(&fields, "url").unwrap_or_default();
    // The checkboxes carry the API's names (`COMPARISON_PUBLISHED`).
    let events: Vec<String> = fields
        .iter()
        .filter(|(k, _)| k == "events")
        .map(|(_, v)| {
            webhooks::EventType::ALL
                .into_iter()
                .find(|t| t.api_name() == *v)
                .map_or_else(|| v.clone(), |t| t.as_str().to_owned())
        })
        .collect();
    match webhooks::create_endpoint(
        &state.db,
        &editor,
        url,
        &events,
        state.config.webhooks_allow_private,
    )
    .await
    {
        Ok((endpoint, secret)) => page(
            StatusCode::CREATED,
            "Endpoint registered",
            format!(
                "<p>Events now go to <code>{url}</code>.</p>\
                 <p class=\"notice\" data-testid=\"webhook-secret\">Its signing secret, shown only now: \
                 <code>{secret}</code></p>\
                 <p class=\"section-note\">Keep it with the receiver: it checks the \
                 <code>webhook-signature</code> header with it (see <a href=\"/api#webhooks\">the API page</a>).</p>",
                url = app::escape::attribute(&endpoint.url),
                secret = app::escape::attribute(&secret),
            ),
        ),
        Err(error) => refused(error),
    }
}

async fn update(
    State(state): State<AppState>,
    _: FromThisSite,
    caller: Caller,
    body: Bytes,
) -> Response {
    if let Err(response) = editor(&state, &caller).await {
        return response;
    }
    let fields = fields(&body);
    let enabled = match field(&fields, "enabled") {
        Some("true") => true,
        Some("false") => false,
        _ => return refused(AppError::validation("enabled", "must be true or false")),
    };
    let result = match id(&fields, "id") {
        Ok(id) => webhooks::update_endpoint(&state.db, id, None, Some(enabled)).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(_) => Redirect::to("/admin/webhooks").into_response(),
        Err(error) => refused(error),
    }
}

async fn delete(
    State(state): State<AppState>,
    _: FromThisSite,
    caller: Caller,
    body: Bytes,
) -> Response {
    if let Err(response) = editor(&state, &caller).await {
        return response;
    }
    let result = match id(&fields(&body), "id") {
        Ok(id) => webhooks::delete_endpoint(&state.db, id).await,
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => Redirect::to("/admin/webhooks").into_response(),
        Err(error) => refused(error),
    }
}

async fn redeliver(
    State(state): State<AppState>,
    _: FromThisSite,
    caller: Caller,
    body: Bytes,
) -> Response {
    if let Err(response) = editor(&state, &caller).await {
        return response;
    }
    let result = match id(&fields(&body), "delivery") {
        Ok(id) => webhooks::redeliver(&state.db, id).await.map(|_| ()),
        Err(error) => Err(error),
    };
    match result {
        Ok(()) => Redirect::to("/admin/webhooks").into_response(),
        Err(error) => refused(error),
    }
}
