//! The admin islands: the sign-in form, sign-out, and publish buttons. They
//! speak GraphQL from the browser (with the CSRF header); the admin needs
//! JavaScript.

use leptos::prelude::*;

/// E-mail and password; on success, on to the dashboard.
#[island]
pub fn SignInForm() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sign_in(
            email.get_untracked(),
            password.get_untracked(),
            error,
            pending,
        );
    };
    view! {
        <form class="admin-form" on:submit=submit data-hydrated=move || hydrated.get().to_string()>
            <label for="email">"E-mail"</label>
            <input
                id="email"
                name="email"
                type="email"
                autocomplete="username"
                required
                prop:value=move || email.get()
                on:input=move |ev| email.set(event_target_value(&ev))
            />
            <label for="password">"Password"</label>
            <input
                id="password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
                prop:value=move || password.get()
                on:input=move |ev| password.set(event_target_value(&ev))
            />
            <p class="form-error" role="alert" data-testid="sign-in-error">{move || error.get()}</p>
            <button class="button" type="submit" disabled=move || pending.get()>
                "Sign in"
            </button>
        </form>
    }
}

/// Ends the session, then back to the sign-in page.
#[island]
pub fn SignOutButton() -> impl IntoView {
    let on_click = move |_| sign_out();
    view! {
        <button class="link-button" type="button" on:click=on_click>
            "Sign out"
        </button>
    }
}

/// Publishes one draft tool or comparison in place.
#[island]
pub fn PublishButton(
    /// `tool` or `comparison`.
    kind: String,
    slug: String,
) -> impl IntoView {
    let state = RwSignal::new(String::new());
    let label = move || match state.get().as_str() {
        "" => "Publish".to_owned(),
        "pending" => "Publishing…".to_owned(),
        "done" => "Published".to_owned(),
        other => other.to_owned(),
    };
    let on_click = move |_| publish(kind.clone(), slug.clone(), state);
    view! {
        <button
            class="publish-button"
            type="button"
            on:click=on_click
            disabled=move || matches!(state.get().as_str(), "pending" | "done")
        >
            {label}
        </button>
    }
}

#[cfg(feature = "hydrate")]
fn go(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(path);
    }
}

#[cfg(feature = "hydrate")]
fn sign_in(email: String, password: String, error: RwSignal<String>, pending: RwSignal<bool>) {
    use crate::graphql::post;
    use crate::operations::SIGN_IN;
    pending.set(true);
    leptos::task::spawn_local(async move {
        let variables = serde_json::json!({ "email": email, "password": password });
        match post::<serde_json::Value>(SIGN_IN, variables).await {
            Ok(_) => go("/admin"),
            Err(e) => {
                error.set(e.message);
                pending.set(false);
            }
        }
    });
}

#[cfg(feature = "hydrate")]
fn sign_out() {
    use crate::graphql::post;
    use crate::operations::SIGN_OUT;
    leptos::task::spawn_local(async move {
        let _ = post::<serde_json::Value>(SIGN_OUT, serde_json::json!({})).await;
        go("/admin/sign-in");
    });
}

#[cfg(feature = "hydrate")]
fn publish(kind: String, slug: String, state: RwSignal<String>) {
    use crate::graphql::post;
    use crate::operations::{PUBLISH_COMPARISON, PUBLISH_TOOL};
    state.set("pending".into());
    let operation = if kind == "tool" {
        PUBLISH_TOOL
    } else {
        PUBLISH_COMPARISON
    };
    leptos::task::spawn_local(async move {
        match post::<serde_json::Value>(operation, serde_json::json!({ "slug": slug })).await {
            Ok(_) => state.set("done".into()),
            Err(e) => state.set(format!("Not published: {}", e.message)),
        }
    });
}

// On the server the buttons are rendered, never clicked.
#[cfg(not(feature = "hydrate"))]
fn sign_in(_email: String, _password: String, _error: RwSignal<String>, _pending: RwSignal<bool>) {}

#[cfg(not(feature = "hydrate"))]
fn sign_out() {}

#[cfg(not(feature = "hydrate"))]
fn publish(_kind: String, _slug: String, _state: RwSignal<String>) {}

/// A tool's edit form: saves through GraphQL and shows each validation
/// error beside its field, keeping everything typed.
#[island]
pub fn ToolForm(
    /// The tool's slug before editing (what `updateTool` addresses).
    original_slug: String,
    fields: crate::operations::ToolFields,
    /// `(slug, name)` of every category.
    categories: Vec<(String, String)>,
) -> impl IntoView {
    let form = RwSignal::new(fields);
    let errors = RwSignal::new(std::collections::HashMap::<String, String>::new());
    let status = RwSignal::new(String::new());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let original = StoredValue::new(original_slug);

    let error_of = move |field: &'static str| {
        move || errors.with(|e| e.get(field).cloned().unwrap_or_default())
    };
    let text = move |field: &'static str, label: &'static str, long: bool| {
        let get = move || form.with(|f| field_value(f, field));
        let set = move |value: String| form.update(|f| set_field(f, field, value));
        let input = if long {
            view! {
                <textarea id=field name=field rows="4" prop:value=get on:input=move |ev| set(event_target_value(&ev))></textarea>
            }
            .into_any()
        } else {
            view! {
                <input id=field name=field type="text" prop:value=get on:input=move |ev| set(event_target_value(&ev))/>
            }
            .into_any()
        };
        view! {
            <div class="field" class:invalid=move || errors.with(|e| e.contains_key(field))>
                <label for=field>{label}</label>
                {input}
                <p class="form-error" data-error-for=field>{error_of(field)}</p>
            </div>
        }
    };
    let category_options = categories
        .into_iter()
        .map(|(slug, name)| view! { <option value=slug>{name}</option> })
        .collect_view();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save(original, form, errors, status);
    };
    view! {
        <form class="admin-form tool-form" on:submit=submit data-hydrated=move || hydrated.get().to_string()>
            {text("name", "Name", false)}
            {text("slug", "Slug", false)}
            {text("vendor", "Vendor", false)}
            <div class="field">
                <label for="category">"Category"</label>
                <select
                    id="category"
                    name="category"
                    prop:value=move || form.with(|f| f.category.clone())
                    on:change=move |ev| form.update(|f| f.category = event_target_value(&ev))
                >
                    {category_options}
                </select>
                <p class="form-error" data-error-for="category">{error_of("category")}</p>
            </div>
            {text("tagline", "Tagline", false)}
            {text("description", "Description", true)}
            {text("license", "License", false)}
            <div class="field">
                <label for="pricingModel">"Pricing model"</label>
                <select
                    id="pricingModel"
                    name="pricingModel"
                    prop:value=move || form.with(|f| f.pricing_model.clone())
                    on:change=move |ev| form.update(|f| f.pricing_model = event_target_value(&ev))
                >
                    <option value="FREE">"Free"</option>
                    <option value="FREEMIUM">"Freemium"</option>
                    <option value="PAID">"Paid"</option>
                    <option value="CONTACT">"Contact sales"</option>
                </select>
            </div>
            {text("pricingEntry", "Entry price", false)}
            {text("websiteUrl", "Website", false)}
            <p class="vote-status" role="status" data-testid="form-status">{move || status.get()}</p>
            <button class="button" type="submit">"Save"</button>
        </form>
    }
}

fn field_value(f: &crate::operations::ToolFields, field: &str) -> String {
    match field {
        "name" => f.name.clone(),
        "slug" => f.slug.clone(),
        "vendor" => f.vendor.clone(),
        "tagline" => f.tagline.clone(),
        "description" => f.description.clone(),
        "license" => f.license.clone(),
        "pricingEntry" => f.pricing_entry.clone(),
        "websiteUrl" => f.website_url.clone().unwrap_or_default(),
        _ => String::new(),
    }
}

fn set_field(f: &mut crate::operations::ToolFields, field: &str, value: String) {
    match field {
        "name" => f.name = value,
        "slug" => f.slug = value,
        "vendor" => f.vendor = value,
        "tagline" => f.tagline = value,
        "description" => f.description = value,
        "license" => f.license = value,
        "pricingEntry" => f.pricing_entry = value,
        "websiteUrl" => f.website_url = (!value.trim().is_empty()).then_some(value),
        _ => {}
    }
}

#[cfg(feature = "hydrate")]
fn save(
    original: StoredValue<String>,
    form: RwSignal<crate::operations::ToolFields>,
    errors: RwSignal<std::collections::HashMap<String, String>>,
    status: RwSignal<String>,
) {
    use crate::graphql::post;
    use crate::operations::UPDATE_TOOL;
    let fields = form.get_untracked();
    let slug = original.get_value();
    status.set("Saving…".into());
    leptos::task::spawn_local(async move {
        let variables = serde_json::json!({ "slug": slug, "input": fields });
        match post::<serde_json::Value>(UPDATE_TOOL, variables).await {
            Ok(_) => {
                errors.set(Default::default());
                if fields.slug != slug {
                    go(&format!("/admin/tools/{}", fields.slug));
                } else {
                    status.set("Saved.".into());
                }
            }
            Err(error) => {
                let mut by_field = std::collections::HashMap::new();
                match error.field {
                    Some(field) => {
                        let message = error
                            .message
                            .strip_prefix(&format!("{field}: "))
                            .unwrap_or(&error.message)
                            .to_owned();
                        by_field.insert(field, message);
                        status.set("Not saved: see the marked field.".into());
                    }
                    None => status.set(format!("Not saved: {}", error.message)),
                }
                errors.set(by_field);
            }
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn save(
    _original: StoredValue<String>,
    _form: RwSignal<crate::operations::ToolFields>,
    _errors: RwSignal<std::collections::HashMap<String, String>>,
    _status: RwSignal<String>,
) {
}
