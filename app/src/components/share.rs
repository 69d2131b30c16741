//! The page's own address to copy: a read-only field anyone can select, and
//! a button that copies it once JavaScript runs.

use leptos::prelude::*;

/// The link field and its copy button (hidden until the island is live).
#[island]
pub fn CopyLink(url: String) -> impl IntoView {
    let hydrated = RwSignal::new(false);
    let status = RwSignal::new(String::new());
    Effect::new(move |_| hydrated.set(true));
    let copied = url.clone();
    view! {
        <div class="copy-link" data-hydrated=move || hydrated.get().to_string()>
            <label for="share-url">"Link to this page"</label>
            <div class="copy-row">
                <input id="share-url" type="url" readonly value=url data-testid="share-url"/>
                <button
                    type="button"
                    class="copy-button"
                    hidden=move || !hydrated.get()
                    data-testid="copy-link"
                    on:click=move |_| copy(copied.clone(), status)
                >
                    "Copy link"
                </button>
            </div>
            <p class="copy-status" role="status" data-testid="copy-status">{move || status.get()}</p>
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn copy(url: String, status: RwSignal<String>) {
    use wasm_bindgen::JsCast;

    let Some(window) = web_sys::window() else {
        return;
    };
    // Selected either way, so Ctrl+C works where the clipboard is refused.
    if let Some(input) = window
        .document()
        .and_then(|d| d.get_element_by_id("share-url"))
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.select();
    }
    let promise = window.navigator().clipboard().write_text(&url);
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => status.set("Link copied.".to_owned()),
            Err(_) => {
                status.set("The link is selected: press Ctrl+C (\u{2318}C) to copy it.".to_owned())
            }
        }
    });
}

// On the server the button is rendered, never clicked.
#[cfg(not(feature = "hydrate"))]
fn copy(_url: String, _status: RwSignal<String>) {}
