//! The compare-any-two picker: two type-ahead boxes over the published
//! tools (suggestions from GraphQL as the reader types) that lead to
//! `/compare/<a>-vs-<b>`. Without JavaScript it is a form that sends the
//! two names to `/compare/go`, which finds the page.

use leptos::prelude::*;

use contract::limits::MAX_SEARCH_CHARS;
use contract::operations::PickerTool;
use contract::slug::slugify;

/// Two tool boxes and a "Compare" button.
#[island]
pub fn ComparePicker(
    /// Tools chosen already (`(slug, name)`), e.g. from a tool page.
    #[prop(optional)]
    left: Option<(String, String)>,
) -> impl IntoView {
    let (left_slug, left_name) = left.unzip();
    let left_text = RwSignal::new(left_name.clone().unwrap_or_default());
    let left_choice = RwSignal::new(left_slug.map(|slug| PickerTool {
        slug,
        name: left_name.unwrap_or_default(),
        vendor: String::new(),
    }));
    let right_text = RwSignal::new(String::new());
    let right_choice = RwSignal::new(None::<PickerTool>);
    let error = RwSignal::new(String::new());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pick = |choice: RwSignal<Option<PickerTool>>, text: RwSignal<String>| {
            choice
                .get_untracked()
                .map(|t| t.slug)
                .or_else(|| slugify(&text.get_untracked()))
        };
        match (pick(left_choice, left_text), pick(right_choice, right_text)) {
            (Some(a), Some(b)) if a == b => error.set("Choose two different tools.".into()),
            (Some(a), Some(b)) => go(&format!("/compare/{a}-vs-{b}")),
            _ => error.set("Choose a tool in each box.".into()),
        }
    };
    view! {
        <form
            class="picker"
            method="get"
            action="/compare/go"
            on:submit=submit
            data-hydrated=move || hydrated.get().to_string()
        >
            <ToolCombobox id="pick-left" name="left" label="First tool" text=left_text choice=left_choice/>
            <span class="picker-vs" aria-hidden="true">"vs"</span>
            <ToolCombobox id="pick-right" name="right" label="Second tool" text=right_text choice=right_choice/>
            <button class="button picker-go" type="submit">"Compare"</button>
            <p class="form-error picker-error" role="alert">{move || error.get()}</p>
        </form>
    }
}

/// One type-ahead box: suggestions as the reader types, arrows and Enter to choose.
#[component]
fn ToolCombobox(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    text: RwSignal<String>,
    choice: RwSignal<Option<PickerTool>>,
) -> impl IntoView {
    let suggestions = RwSignal::new(Vec::<PickerTool>::new());
    let open = RwSignal::new(false);
    let active = RwSignal::new(None::<usize>);
    let asked = StoredValue::new(0u32);
    let list_id = format!("{id}-list");
    let choose = move |tool: PickerTool| {
        text.set(tool.name.clone());
        choice.set(Some(tool));
        open.set(false);
        active.set(None);
    };
    let on_input = move |ev| {
        let value = event_target_value(&ev);
        text.set(value.clone());
        choice.set(None);
        asked.update_value(|n| *n += 1);
        suggest(value, asked, suggestions, open, active);
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = suggestions.with_untracked(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" if count > 0 => {
                ev.prevent_default();
                open.set(true);
                active.update(|a| *a = Some(a.map_or(0, |i| (i + 1) % count)));
            }
            "ArrowUp" if count > 0 => {
                ev.prevent_default();
                active.update(|a| *a = Some(a.map_or(count - 1, |i| (i + count - 1) % count)));
            }
            "Enter" if open.get_untracked() => {
                if let Some(tool) = active
                    .get_untracked()
                    .and_then(|i| suggestions.with_untracked(|s| s.get(i).cloned()))
                {
                    ev.prevent_default();
                    choose(tool);
                }
            }
            "Escape" => open.set(false),
            _ => {}
        }
    };
    let option_id = move |i: usize| format!("{id}-opt-{i}");
    view! {
        <div class="combobox">
            <label for=id>{label}</label>
            <input
                id=id
                name=name
                type="text"
                role="combobox"
                autocomplete="off"
                spellcheck="false"
                maxlength=MAX_SEARCH_CHARS.to_string()
                placeholder="Type a tool\u{2019}s name"
                aria-autocomplete="list"
                aria-controls=list_id.clone()
                aria-expanded=move || (open.get() && !suggestions.with(Vec::is_empty)).to_string()
                aria-activedescendant=move || active.get().map(option_id)
                prop:value=move || text.get()
                on:input=on_input
                on:keydown=on_keydown
                on:blur=move |_| open.set(false)
            />
            <ul
                id=list_id
                role="listbox"
                aria-label=label
                class="combobox-list"
                hidden=move || !open.get() || suggestions.with(Vec::is_empty)
            >
                {move || {
                    suggestions
                        .get()
                        .into_iter()
                        .enumerate()
                        .map(|(i, tool)| {
                            let chosen = tool.clone();
                            view! {
                                <li
                                    id=option_id(i)
                                    role="option"
                                    class="combobox-option"
                                    aria-selected=move || (active.get() == Some(i)).to_string()
                                    on:mousedown=move |ev| {
                                        ev.prevent_default();
                                        choose(chosen.clone());
                                    }
                                >
                                    <strong>{tool.name}</strong>
                                    <span class="combobox-vendor">{tool.vendor}</span>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn go(path: &str) {
    crate::components::admin::go(path);
}

#[cfg(not(feature = "hydrate"))]
fn go(_path: &str) {}

#[cfg(feature = "hydrate")]
fn suggest(
    text: String,
    asked: StoredValue<u32>,
    suggestions: RwSignal<Vec<PickerTool>>,
    open: RwSignal<bool>,
    active: RwSignal<Option<usize>>,
) {
    use crate::graphql::post;
    use contract::operations::{PickerTools, PickerToolsVars};
    let text = text.trim().to_owned();
    // The search needs a letter or a digit to look for.
    if !text.chars().any(char::is_alphanumeric) {
        suggestions.set(Vec::new());
        open.set(false);
        return;
    }
    let ticket = asked.get_value();
    leptos::task::spawn_local(async move {
        let answer = post::<PickerTools>(&PickerToolsVars { search: text }).await;
        // A slower answer to an older keystroke must not replace a newer one.
        if asked.get_value() != ticket {
            return;
        }
        if let Ok(found) = answer {
            suggestions.set(
                found
                    .search
                    .hits
                    .into_iter()
                    .filter_map(|hit| hit.tool)
                    .collect(),
            );
            active.set(None);
            open.set(true);
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn suggest(
    _text: String,
    _asked: StoredValue<u32>,
    _suggestions: RwSignal<Vec<PickerTool>>,
    _open: RwSignal<bool>,
    _active: RwSignal<Option<usize>>,
) {
}
