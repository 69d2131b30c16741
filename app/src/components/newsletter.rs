//! The weekly verdicts sign-up box. Without JavaScript it is a plain form
//! posting to `/newsletter`; hydrated, it subscribes in place.

use contract::limits::MAX_EMAIL_LEN;
use leptos::prelude::*;

/// "Get the weekly verdicts": an e-mail field and a button.
#[island]
pub fn NewsletterForm(
    /// The page's own heading already names the newsletter (`/newsletter`):
    /// the box then says only what it is for.
    #[prop(optional)]
    on_its_page: Option<bool>,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let done = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        subscribe(email.get_untracked(), error, done, pending);
    };
    view! {
        <section class="newsletter" id="newsletter" aria-labelledby="newsletter-title">
            <h2 id="newsletter-title">{if on_its_page == Some(true) { "Sign up" } else { "The Weekly Verdicts" }}</h2>
            <p>"Every new comparison of the week, in one short mail. Confirm once, unsubscribe with one click."</p>
            <Show
                when=move || done.get().is_empty()
                fallback=move || view! { <p class="newsletter-done" role="status">{move || done.get()}</p> }
            >
                <form
                    class="newsletter-form"
                    method="post"
                    action="/newsletter"
                    on:submit=submit
                    data-hydrated=move || hydrated.get().to_string()
                    novalidate=move || hydrated.get()
                >
                    <label for="newsletter-email">"E-mail address"</label>
                    <div class="newsletter-row">
                        <input
                            id="newsletter-email"
                            name="email"
                            type="email"
                            autocomplete="email"
                            inputmode="email"
                            required
                            maxlength=MAX_EMAIL_LEN.to_string()
                            placeholder="name@example.com"
                            aria-describedby="newsletter-error"
                            aria-invalid=move || (!error.get().is_empty()).to_string()
                            prop:value=move || email.get()
                            on:input=move |ev| email.set(event_target_value(&ev))
                        />
                        <button class="button" type="submit" disabled=move || pending.get()>
                            {move || if pending.get() { "Subscribing…" } else { "Subscribe" }}
                        </button>
                    </div>
                    <p class="form-error" id="newsletter-error" role="alert">{move || error.get()}</p>
                </form>
            </Show>
        </section>
    }
}

#[cfg(feature = "hydrate")]
fn subscribe(
    email: String,
    error: RwSignal<String>,
    done: RwSignal<String>,
    pending: RwSignal<bool>,
) {
    use crate::graphql::post;
    use contract::operations::{Subscribe, SubscribeVars};
    use contract::Code;
    if email.trim().is_empty() {
        error.set("Enter your e-mail address.".into());
        return;
    }
    pending.set(true);
    error.set(String::new());
    leptos::task::spawn_local(async move {
        match post::<Subscribe>(&SubscribeVars { email }).await {
            Ok(answer) => done.set(answer.subscribe.message),
            Err(e) if e.code == Code::Validation => error.set(
                "That does not look like an e-mail address: use the form name@example.com.".into(),
            ),
            Err(e) if e.code == Code::RateLimited => {
                error.set("Too many sign-ups from here; try again later.".into())
            }
            Err(e) => error.set(format!("Not subscribed: {}", e.message)),
        }
        pending.set(false);
    });
}

#[cfg(not(feature = "hydrate"))]
fn subscribe(
    _email: String,
    _error: RwSignal<String>,
    _done: RwSignal<String>,
    _pending: RwSignal<bool>,
) {
}
