//! The compare picker: two to four type-ahead boxes over the published
//! tools (suggestions from GraphQL as the reader types) that lead to
//! `/compare/<a>-vs-<b>(-vs-<c>(-vs-<d>))`; "Add a tool" opens another box,
//! up to four. Without JavaScript it is a form that sends the names to
//! `/compare/go`, which finds the page, and "Add a tool" sends them back to
//! `/compare` with one box more.

use leptos::prelude::*;

use contract::limits::MAX_SEARCH_CHARS;
use contract::operations::PickerTool;
use contract::slug::slugify;

/// The most boxes the picker opens (a comparison shows up to four tools).
pub const MAX_BOXES: usize = 4;

/// Each box's `id`, form `name` and label, in order.
const BOXES: [(&str, &str, &str); MAX_BOXES] = [
    ("pick-left", "left", "First tool"),
    ("pick-right", "right", "Second tool"),
    ("pick-third", "third", "Third tool"),
    ("pick-fourth", "fourth", "Fourth tool"),
];

/// One box's text and the suggestion chosen in it.
#[derive(Clone, Copy)]
struct Slot {
    text: RwSignal<String>,
    choice: RwSignal<Option<PickerTool>>,
    input: NodeRef<leptos::html::Input>,
}

/// Two to four tool boxes, "Add a tool" and a "Compare" button.
#[island]
pub fn ComparePicker(
    /// Tools chosen already (`(slug, name)`), e.g. from a tool page.
    #[prop(optional)]
    left: Option<(String, String)>,
    /// Names typed already, in box order (the page sends them back when
    /// "Add a tool" is used without JavaScript).
    #[prop(optional)]
    typed: Option<Vec<String>>,
    /// How many boxes show at first: 2 (the least) to 4.
    #[prop(optional)]
    boxes: Option<usize>,
) -> impl IntoView {
    let typed = typed.unwrap_or_default();
    let (left_slug, left_name) = left.unzip();
    let slots: [Slot; MAX_BOXES] = std::array::from_fn(|i| Slot {
        text: RwSignal::new(typed.get(i).cloned().unwrap_or_default()),
        choice: RwSignal::new(None),
        input: NodeRef::new(),
    });
    if let Some(slug) = left_slug {
        let name = left_name.unwrap_or_default();
        slots[0].text.set(name.clone());
        slots[0].choice.set(Some(PickerTool {
            slug,
            name,
            vendor: String::new(),
        }));
    }
    let shown = RwSignal::new(boxes.unwrap_or(2).clamp(2, MAX_BOXES));
    let error = RwSignal::new(String::new());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let pick = |slot: &Slot| {
            slot.choice
                .get_untracked()
                .map(|t| t.slug)
                .or_else(|| slugify(&slot.text.get_untracked()))
        };
        let count = shown.get_untracked();
        let (first, rest) = slots[..count].split_at(2);
        let (Some(a), Some(b)) = (pick(&first[0]), pick(&first[1])) else {
            error.set(if count == 2 {
                "Choose a tool in each box.".into()
            } else {
                "Choose a tool in each of the first two boxes.".into()
            });
            return;
        };
        // An added box left empty is no tool.
        let mut chosen = vec![a, b];
        chosen.extend(rest.iter().filter_map(pick));
        if chosen
            .iter()
            .enumerate()
            .any(|(i, slug)| chosen[..i].contains(slug))
        {
            error.set(if count == 2 {
                "Choose two different tools.".into()
            } else {
                "Choose a tool once: each box a different one.".into()
            });
            return;
        }
        go(&format!("/compare/{}", chosen.join("-vs-")));
    };
    let add = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let count = shown.get_untracked();
        if count >= MAX_BOXES {
            return;
        }
        shown.set(count + 1);
        let input = slots[count].input;
        // The box is shown once the view updates: focus it then.
        request_animation_frame(move || {
            if let Some(input) = input.get_untracked() {
                let _ = input.focus();
            }
        });
    };
    let remove = move |at: usize| {
        let count = shown.get_untracked();
        // The boxes after it move up one.
        for i in at..count.saturating_sub(1) {
            slots[i].text.set(slots[i + 1].text.get_untracked());
            slots[i].choice.set(slots[i + 1].choice.get_untracked());
        }
        if let Some(last) = slots.get(count.saturating_sub(1)) {
            last.text.set(String::new());
            last.choice.set(None);
        }
        shown.set(count.saturating_sub(1).max(2));
        let focus = slots[at.min(count.saturating_sub(2))].input;
        request_animation_frame(move || {
            if let Some(input) = focus.get_untracked() {
                let _ = input.focus();
            }
        });
    };
    // Without JavaScript "Add a tool" submits the names to the picker page.
    let add_type = move || if hydrated.get() { "button" } else { "submit" };
    let boxes_view = BOXES
        .iter()
        .zip(slots)
        .enumerate()
        .map(|(i, (&(id, name, label), slot))| {
            let vs =
                (i > 0).then(|| view! { <span class="picker-vs" aria-hidden="true">"vs"</span> });
            let remove_button = (i >= 2).then(|| {
                view! {
                    <button
                        type="button"
                        class="picker-remove"
                        aria-label=format!("Remove the {}", label.to_lowercase())
                        hidden=move || !hydrated.get()
                        on:click=move |_| remove(i)
                    >
                        "\u{d7}"
                    </button>
                }
            });
            view! {
                <div class="picker-slot" hidden=move || { i >= shown.get() }>
                    {vs}
                    <ToolCombobox id name label text=slot.text choice=slot.choice input=slot.input/>
                    {remove_button}
                </div>
            }
        })
        .collect_view();
    view! {
        <form
            class="picker"
            method="get"
            action="/compare/go"
            on:submit=submit
            data-hydrated=move || hydrated.get().to_string()
            data-boxes=move || shown.get().to_string()
        >
            <div class="picker-boxes">{boxes_view}</div>
            <div class="picker-actions">
                <button class="button picker-go" type="submit">"Compare"</button>
                // Without JavaScript it sends the names back to the picker
                // with a box more; with it, it opens the box here.
                <button
                    class="picker-add"
                    on:click=add
                    type=add_type
                    name="add"
                    value="1"
                    formaction="/compare"
                    formmethod="get"
                    hidden=move || { shown.get() >= MAX_BOXES }
                >
                    "+ Add a tool"
                </button>
                <span class="picker-limit">"Up to four tools side by side"</span>
            </div>
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
    input: NodeRef<leptos::html::Input>,
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
                node_ref=input
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
                // The attribute for the page as served (no JavaScript yet), the
                // property once it runs.
                value=text.get_untracked()
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
