//! The admin islands: the sign-in form, sign-out, and publish buttons. They
//! speak GraphQL from the browser (with the CSRF header). Signing in and out
//! also work without JavaScript (plain POST forms to `/admin/sign-in` and
//! `/admin/sign-out`); the rest of the admin needs it, and says so in a
//! `<noscript>` note on every admin page; its controls are disabled in the
//! server's HTML and enabled when their island hydrates. The forms are in [`super::editing`]. These islands and the
//! forms hydrate from the editors' bundle (`verdicts-admin`, built with the
//! `admin` feature); the readers' bundle leaves them out.

use leptos::prelude::*;

/// E-mail and password; on success, on to the dashboard. Without JavaScript
/// the browser POSTs the form to `/admin/sign-in`, which answers the same.
#[cfg_attr(any(feature = "ssr", feature = "admin"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "admin")), component)]
pub fn SignInForm(
    /// What went wrong with the last attempt without JavaScript (or nothing).
    notice: String,
) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(notice);
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
        <form
            class="admin-form"
            method="post"
            action="/admin/sign-in"
            on:submit=submit
            data-hydrated=move || hydrated.get().to_string()
        >
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

/// Ends the session, then back to the sign-in page; without JavaScript the
/// browser POSTs to `/admin/sign-out`.
#[cfg_attr(any(feature = "ssr", feature = "admin"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "admin")), component)]
pub fn SignOutButton() -> impl IntoView {
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        sign_out();
    };
    view! {
        <form class="sign-out-form" method="post" action="/admin/sign-out" on:submit=on_submit>
            <button class="link-button" type="submit">
                "Sign out"
            </button>
        </form>
    }
}

/// Publishes or unpublishes one tool or comparison in place. Publishing a
/// comparison whose tools are drafts asks first, naming them ("Publishing
/// this comparison also publishes Foo and Bar. Publish all three?"), and
/// publishes all of them together once the editor confirms.
#[cfg_attr(any(feature = "ssr", feature = "admin"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "admin")), component)]
pub fn PublishButton(
    /// `tool` or `comparison`.
    kind: String,
    slug: String,
    /// Whether it is published now.
    published: bool,
) -> impl IntoView {
    let published = RwSignal::new(published);
    let pending = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    // The draft tools that publishing the comparison would also publish,
    // while the editor is asked to confirm.
    let drafts = RwSignal::new(Vec::<String>::new());
    // Disabled in the server's HTML: a click before the editors' bundle
    // has hydrated the button would do nothing.
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let label = move || match (pending.get(), published.get()) {
        (true, false) => "Publishing…",
        (true, true) => "Unpublishing…",
        (false, false) => "Publish",
        (false, true) => "Unpublish",
    };
    let target = StoredValue::new((kind, slug));
    let change = move |with_tools: bool| {
        let (kind, slug) = target.get_value();
        set_published(
            kind,
            slug,
            !published.get_untracked(),
            with_tools,
            Signals {
                published,
                pending,
                status,
                drafts,
            },
        )
    };
    let confirmation = move || {
        let names = drafts.get();
        (!names.is_empty()).then(|| {
            let (question, button) = confirm_words(&names);
            view! {
                <span class="publish-confirm" role="alert" data-testid="publish-confirm">
                    <span class="publish-question">{question}</span>
                    <button
                        class="publish-button publish-all"
                        type="button"
                        on:click=move |_| change(true)
                        disabled=move || pending.get()
                    >
                        {button}
                    </button>
                    <button class="link-button" type="button" on:click=move |_| drafts.set(Vec::new())>
                        "Cancel"
                    </button>
                </span>
            }
        })
    };
    view! {
        <span class="publish-control" data-hydrated=move || hydrated.get().to_string()>
            <button
                class="publish-button"
                class:unpublish=move || published.get()
                type="button"
                on:click=move |_| change(false)
                disabled=move || pending.get() || !hydrated.get() || !drafts.with(Vec::is_empty)
            >
                {label}
            </button>
            <span class="publish-status" role="status">{move || status.get()}</span>
            {confirmation}
        </span>
    }
}

/// The question and the confirming button's words when publishing a
/// comparison also publishes the draft tools `names`.
pub fn confirm_words(names: &[String]) -> (String, String) {
    let listed = match names {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    };
    let all = match names.len() + 1 {
        2 => "both".to_owned(),
        3 => "all three".to_owned(),
        n => format!("all {n}"),
    };
    (
        format!("Publishing this comparison also publishes {listed}. Publish {all}?"),
        format!("Publish {all}"),
    )
}

/// What a publish button shows.
#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
struct Signals {
    published: RwSignal<bool>,
    pending: RwSignal<bool>,
    status: RwSignal<String>,
    drafts: RwSignal<Vec<String>>,
}

#[cfg(feature = "hydrate")]
pub(crate) fn go(path: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(path);
    }
}

#[cfg(feature = "hydrate")]
fn sign_in(email: String, password: String, error: RwSignal<String>, pending: RwSignal<bool>) {
    use crate::graphql::post;
    use contract::operations::{SignIn, SignInVars};
    pending.set(true);
    leptos::task::spawn_local(async move {
        match post::<SignIn>(&SignInVars { email, password }).await {
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
    use contract::operations::{NoVars, SignOut};
    leptos::task::spawn_local(async move {
        let _ = post::<SignOut>(&NoVars {}).await;
        go("/admin/sign-in");
    });
}

#[cfg(feature = "hydrate")]
fn set_published(kind: String, slug: String, publish: bool, with_tools: bool, show: Signals) {
    use crate::graphql::post;
    use contract::operations::{
        ComparisonTools, PublishComparison, PublishComparisonWithTools, PublishTool, SlugVars,
        UnpublishComparison, UnpublishTool,
    };
    use contract::Code;
    let Signals {
        published,
        pending,
        status,
        drafts,
    } = show;
    pending.set(true);
    status.set(String::new());
    leptos::task::spawn_local(async move {
        let variables = SlugVars { slug };
        let done = match (kind.as_str(), publish) {
            ("tool", true) => post::<PublishTool>(&variables).await.map(drop),
            ("tool", false) => post::<UnpublishTool>(&variables).await.map(drop),
            (_, true) if with_tools => post::<PublishComparisonWithTools>(&variables)
                .await
                .map(drop),
            (_, true) => post::<PublishComparison>(&variables).await.map(drop),
            (_, false) => post::<UnpublishComparison>(&variables).await.map(drop),
        };
        match done {
            Ok(()) => {
                let also = drafts.get_untracked();
                drafts.set(Vec::new());
                published.set(publish);
                status.set(match (publish, also.as_slice()) {
                    (false, _) => "Unpublished.".into(),
                    (true, []) => "Published.".into(),
                    (true, [one]) => format!("Published, with {one}."),
                    (true, [rest @ .., last]) => {
                        format!("Published, with {} and {last}.", rest.join(", "))
                    }
                });
            }
            // Its tools are drafts: ask, naming them.
            Err(e) if e.code == Code::Conflict && kind == "comparison" && publish => {
                let names = match post::<ComparisonTools>(&variables).await {
                    Ok(data) => data
                        .comparison
                        .map(|pair| {
                            [pair.left, pair.right]
                                .into_iter()
                                .filter(|t| t.published_at.is_none())
                                .map(|t| t.name)
                                .collect::<Vec<_>>()
                        })
                        .unwrap_or_default(),
                    Err(_) => Vec::new(),
                };
                if names.is_empty() {
                    status.set(format!("Not changed: {}", e.message));
                } else {
                    drafts.set(names);
                }
            }
            Err(e) => status.set(format!("Not changed: {}", e.message)),
        }
        pending.set(false);
    });
}

// On the server the buttons are rendered, never clicked.
#[cfg(not(feature = "hydrate"))]
fn sign_in(_email: String, _password: String, _error: RwSignal<String>, _pending: RwSignal<bool>) {}

#[cfg(not(feature = "hydrate"))]
fn sign_out() {}

#[cfg(not(feature = "hydrate"))]
fn set_published(_kind: String, _slug: String, _publish: bool, _with_tools: bool, _show: Signals) {}

/// One held window under review: the reason (published in the ledger) and
/// Release / Reject. Like the admin's other controls it needs JavaScript:
/// disabled in the server's HTML, beside the `<noscript>` note. After a
/// decision it shows what was decided instead of the form.
#[cfg_attr(any(feature = "ssr", feature = "admin"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "admin")), component)]
pub fn HeldVotesReview(
    /// The window's id.
    window: String,
    /// Votes it holds.
    held: i64,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(String::new());
    let decided = RwSignal::new(None::<String>);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let id = format!("reason-{window}");
    let decide = move |release: bool| {
        let window = window.clone();
        move |_| {
            decide_held_votes(
                window.clone(),
                release,
                reason.get_untracked(),
                pending,
                error,
                decided,
            )
        }
    };
    let release = decide(true);
    let reject = decide(false);
    let votes = if held == 1 {
        "1 vote".to_owned()
    } else {
        format!("{held} votes")
    };
    view! {
        <div class="held-review" data-hydrated=move || hydrated.get().to_string()>
            <p class="held-review-decided" role="status" data-testid="review-decided">{move || decided.get()}</p>
            <fieldset class="held-review-form" hidden=move || decided.get().is_some() disabled=move || !hydrated.get() || pending.get()>
                <label for=id.clone()>"Reason (published in the ledger)"</label>
                <textarea
                    id=id
                    name="reason"
                    rows="2"
                    maxlength="500"
                    prop:value=move || reason.get()
                    on:input=move |ev| reason.set(event_target_value(&ev))
                ></textarea>
                <p class="form-error" role="alert">{move || error.get()}</p>
                <div class="held-review-actions">
                    <button class="publish-button" type="button" on:click=release>
                        {format!("Release {votes}")}
                    </button>
                    <button class="publish-button unpublish" type="button" on:click=reject>
                        "Reject them"
                    </button>
                </div>
            </fieldset>
        </div>
    }
}

#[cfg(not(feature = "hydrate"))]
fn decide_held_votes(
    _window: String,
    _release: bool,
    _reason: String,
    _pending: RwSignal<bool>,
    _error: RwSignal<String>,
    _decided: RwSignal<Option<String>>,
) {
}

#[cfg(feature = "hydrate")]
fn decide_held_votes(
    window: String,
    release: bool,
    reason: String,
    pending: RwSignal<bool>,
    error: RwSignal<String>,
    decided: RwSignal<Option<String>>,
) {
    use crate::graphql::post;
    use contract::operations::{DecideVars, RejectHeldVotes, ReleaseHeldVotes};
    if reason.trim().is_empty() {
        error.set("Say why: readers see the reason in the ledger.".into());
        return;
    }
    pending.set(true);
    error.set(String::new());
    leptos::task::spawn_local(async move {
        let variables = DecideVars { window, reason };
        let answer = if release {
            post::<ReleaseHeldVotes>(&variables).await
        } else {
            post::<RejectHeldVotes>(&variables).await
        };
        pending.set(false);
        match answer {
            Ok(data) => {
                let window = data.decided;
                let text = match window.decisions.first() {
                    Some(d) => format!(
                        "{}: \u{201c}{}\u{201d}",
                        crate::components::ledger::decision_label(d),
                        d.reason
                    ),
                    None => crate::components::ledger::status_label(&window.status).to_owned(),
                };
                decided.set(Some(text));
            }
            Err(e) => error.set(e.message),
        }
    });
}
