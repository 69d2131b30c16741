//! `/newsletter`: the sign-up box on its own, and where the form and the
//! links in mails end up (`?state=…` says what happened). A link in a mail
//! lands on `?confirm=…` or `?unsubscribe=…`: a button that POSTs the token,
//! so that a mail scanner opening the link changes nothing.

use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::use_query_map;

use crate::components::newsletter::NewsletterForm;

/// What a `state` says, as a heading, a sentence, and whether it is bad news.
fn message(state: &str) -> Option<(&'static str, &'static str, bool)> {
    Some(match state {
        "check-inbox" => (
            "Check your inbox",
            "We sent a link to confirm your subscription. Signing up again within ten minutes sends no new mail: the link we sent first still works. If it does not arrive within a few minutes, look in your spam folder.",
            false,
        ),
        "confirmed" => (
            "You are subscribed",
            "Thank you: The Weekly Verdicts will arrive once a week. Every mail has a link to unsubscribe.",
            false,
        ),
        "unsubscribed" => (
            "You are unsubscribed",
            "You will get no more mail from us. Changed your mind? Subscribe again below.",
            false,
        ),
        "invalid" => (
            "That address did not work",
            "That does not look like an e-mail address: use the form name@example.com.",
            true,
        ),
        "too-many" => (
            "Too many sign-ups from here",
            "Please try again in an hour.",
            true,
        ),
        "expired" => (
            "This confirmation link has expired",
            "Links work for seven days. Subscribe again below and we will send a new one.",
            true,
        ),
        "bad-link" => (
            "This link does not work",
            "It may have been used already, or it was copied incompletely. Subscribe again below if you want the newsletter.",
            true,
        ),
        "failed" => (
            "Something went wrong",
            "Your subscription could not be saved. Please try again in a moment.",
            true,
        ),
        _ => return None,
    })
}

/// The newsletter page.
#[component]
pub fn NewsletterPage() -> impl IntoView {
    let query = use_query_map();
    let state = move || query.with(|q| q.get("state")).unwrap_or_default();
    let notice = move || {
        message(&state()).map(|(title, text, bad)| {
            view! {
                <div class="notice" class:notice-error=bad role="status">
                    <h2>{title}</h2>
                    <p>{text}</p>
                </div>
            }
        })
    };
    let ask = move || {
        let (action, token) = query.with(|q| {
            q.get("confirm")
                .map(|t| ("confirm", t))
                .or_else(|| q.get("unsubscribe").map(|t| ("unsubscribe", t)))
        })?;
        let (title, text, button) = if action == "confirm" {
            (
                "Confirm your subscription",
                "One click and The Weekly Verdicts arrives once a week.",
                "Confirm my subscription",
            )
        } else {
            (
                "Unsubscribe?",
                "One click and you get no more mail from us.",
                "Unsubscribe me",
            )
        };
        Some(view! {
            <form class="notice" method="post" action=format!("/newsletter/{action}") data-testid="newsletter-ask">
                <h2>{title}</h2>
                <p>{text}</p>
                <input type="hidden" name="token" value=token/>
                <button class="button" type="submit">{button}</button>
            </form>
        })
    };
    view! {
        <crate::seo::Seo
            path="/newsletter"
            title="The Weekly Verdicts"
            description="The Weekly Verdicts: every new head-to-head comparison of AI tools, once a week. Double opt-in, one-click unsubscribe."
        />
        <Meta name="robots" content="noindex"/>
        <main class="page newsletter-page">
            <header class="hero">
                <p class="eyebrow">"Newsletter"</p>
                <h1>"The Weekly Verdicts"</h1>
            </header>
            {notice}
            {ask}
            {move || {
                if state() == "confirmed" {
                    // Subscribed: no form to sign up again, a way back instead.
                    view! {
                        <p class="section-note" data-testid="newsletter-next">
                            <a href="/">"Read this week\u{2019}s comparisons"</a>
                        </p>
                    }
                    .into_any()
                } else {
                    view! { <NewsletterForm on_its_page=true/> }.into_any()
                }
            }}
        </main>
    }
}
