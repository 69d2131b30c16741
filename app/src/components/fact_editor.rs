//! The tool editor's facts: every fact as a row (label, kind, value, unit;
//! move up or down, remove), the labels the tool's category suggests
//! offered as one-click rows and as the label field's completions, and one
//! Save that sets the whole list. Like the admin's other controls it needs
//! JavaScript: disabled in the server's HTML until the editors' bundle
//! hydrates it.

use contract::operations::{EditableFact, SuggestedFactLine};
use leptos::prelude::*;

use crate::components::editing::LoadingLine;

/// One row of the editor.
#[derive(Clone, Copy)]
struct Row {
    key: u64,
    label: RwSignal<String>,
    kind: RwSignal<String>,
    value: RwSignal<String>,
    unit: RwSignal<String>,
}

impl Row {
    fn new(key: u64, label: &str, kind: &str, value: &str, unit: &str) -> Self {
        Row {
            key,
            label: RwSignal::new(label.to_owned()),
            kind: RwSignal::new(kind.to_owned()),
            value: RwSignal::new(value.to_owned()),
            unit: RwSignal::new(unit.to_owned()),
        }
    }
}

/// The kinds an editor chooses from, with their names.
const KINDS: [(&str, &str); 4] = [
    ("TEXT", "Text"),
    ("NUMBER", "Number"),
    ("BOOLEAN", "Yes / no"),
    ("LIST", "List"),
];

/// What the value field shows for a stored fact: a list's items joined by
/// commas (the editor splits them there), the rest as readers see it.
fn typed_value(fact: &EditableFact) -> String {
    match &fact.items {
        Some(items) => items.join(", "),
        None => fact.value.clone(),
    }
}

/// A tool's facts, edited as a whole list.
#[cfg_attr(any(feature = "ssr", feature = "admin"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "admin")), component)]
pub fn FactEditor(
    /// The tool's slug.
    tool: String,
    /// Its facts, in order.
    facts: Vec<EditableFact>,
    /// The labels its category suggests, in order.
    suggestions: Vec<SuggestedFactLine>,
) -> impl IntoView {
    let next_key = StoredValue::new(facts.len() as u64);
    let rows = RwSignal::new(
        facts
            .iter()
            .enumerate()
            .map(|(i, f)| {
                Row::new(
                    i as u64,
                    &f.label,
                    &f.kind,
                    &typed_value(f),
                    f.unit.as_deref().unwrap_or(""),
                )
            })
            .collect::<Vec<_>>(),
    );
    let error = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let tool = StoredValue::new(tool);
    let suggestions = StoredValue::new(suggestions);
    // A row's signals belong to the editor, not to the button that added
    // it (whose view goes when the suggestions are redrawn).
    let owner = StoredValue::new(Owner::current());
    let add = move |label: &str, kind: &str, unit: &str| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        let make = || Row::new(key, label, kind, "", unit);
        let row = match owner.get_value() {
            Some(owner) => owner.with(make),
            None => make(),
        };
        rows.update(|list| list.push(row));
    };
    let move_row = move |key: u64, by: isize| {
        rows.update(|list| {
            if let Some(at) = list.iter().position(|r| r.key == key) {
                let to = at as isize + by;
                if (0..list.len() as isize).contains(&to) {
                    list.swap(at, to as usize);
                }
            }
        });
    };
    let remove = move |key: u64| rows.update(|list| list.retain(|r| r.key != key));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save_facts(tool.get_value(), rows, (error, status, pending));
    };
    // The suggested labels the tool does not carry yet.
    let missing = move || {
        let used: Vec<String> = rows
            .get()
            .iter()
            .map(|r| r.label.get().trim().to_lowercase())
            .collect();
        suggestions
            .get_value()
            .into_iter()
            .filter(|s| !used.contains(&s.label.to_lowercase()))
            .collect::<Vec<_>>()
    };
    let offered = move || {
        let missing = missing();
        (!missing.is_empty()).then(|| {
            view! {
                <p class="fact-suggestions" data-testid="fact-suggestions">
                    <span class="section-note">"Suggested for its category: "</span>
                    {missing
                        .into_iter()
                        .map(|s| {
                            let unit = s.unit.clone().unwrap_or_default();
                            let name = format!("+ {}", s.label);
                            view! {
                                <button
                                    class="chip"
                                    type="button"
                                    disabled=move || !hydrated.get()
                                    on:click=move |_| add(&s.label, &s.kind, &unit)
                                >
                                    {name}
                                </button>
                            }
                        })
                        .collect_view()}
                </p>
            }
        })
    };
    let datalist = view! {
        <datalist id="fact-labels">
            {suggestions
                .get_value()
                .into_iter()
                .map(|s| view! { <option value=s.label></option> })
                .collect_view()}
        </datalist>
    };
    let row_view = move |row: Row| {
        let key = row.key;
        let id = |field: &str| format!("fact-{key}-{field}");
        view! {
            <li class="fact-row" data-fact=move || row.label.get()>
                <div class="field">
                    <label for=id("label")>"Label"</label>
                    <input
                        id=id("label")
                        type="text"
                        maxlength="60"
                        list="fact-labels"
                        prop:value=move || row.label.get()
                        on:input=move |ev| row.label.set(event_target_value(&ev))
                    />
                </div>
                <div class="field">
                    <label for=id("kind")>"Kind"</label>
                    <select
                        id=id("kind")
                        prop:value=move || row.kind.get()
                        on:change=move |ev| row.kind.set(event_target_value(&ev))
                    >
                        {KINDS
                            .into_iter()
                            .map(|(value, name)| {
                                view! {
                                    <option value=value selected=move || row.kind.get() == value>{name}</option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field fact-value">
                    <label for=id("value")>
                        {move || match row.kind.get().as_str() {
                            "LIST" => "Items (comma-separated)",
                            "BOOLEAN" => "Yes or no",
                            "NUMBER" => "Number",
                            _ => "Value",
                        }}
                    </label>
                    <input
                        id=id("value")
                        type="text"
                        maxlength="300"
                        prop:value=move || row.value.get()
                        on:input=move |ev| row.value.set(event_target_value(&ev))
                    />
                </div>
                <div class="field fact-unit">
                    <label for=id("unit")>"Unit"</label>
                    <input
                        id=id("unit")
                        type="text"
                        maxlength="24"
                        placeholder="optional"
                        prop:value=move || row.unit.get()
                        on:input=move |ev| row.unit.set(event_target_value(&ev))
                    />
                </div>
                <div class="fact-actions">
                    <button class="link-button" type="button" on:click=move |_| move_row(key, -1)>"Up"</button>
                    <button class="link-button" type="button" on:click=move |_| move_row(key, 1)>"Down"</button>
                    <button class="link-button" type="button" on:click=move |_| remove(key)>"Remove"</button>
                </div>
            </li>
        }
    };
    view! {
        <div class="fact-editor" data-hydrated=move || hydrated.get().to_string()>
            {datalist}
            <form class="admin-form fact-form" on:submit=submit>
                <LoadingLine hydrated/>
                <fieldset class="form-controls" disabled=move || !hydrated.get()>
                    {offered}
                    <ol class="fact-rows">
                        <For each=move || rows.get() key=|row| row.key children=row_view/>
                    </ol>
                    <p class="empty" hidden=move || !rows.get().is_empty()>"No fact recorded yet."</p>
                    <p>
                        <button class="link-button" type="button" on:click=move |_| add("", "TEXT", "")>
                            "Add a fact"
                        </button>
                    </p>
                    <p class="form-error" role="alert" data-testid="facts-error">{move || error.get()}</p>
                    <p class="vote-status" role="status" data-testid="facts-status">{move || status.get()}</p>
                    <button class="button" type="submit" disabled=move || pending.get()>"Save the facts"</button>
                </fieldset>
            </form>
        </div>
    }
}

/// What the editor is told: error, status, pending.
type Feedback = (RwSignal<String>, RwSignal<String>, RwSignal<bool>);

#[cfg(feature = "hydrate")]
fn save_facts(tool: String, rows: RwSignal<Vec<Row>>, (error, status, pending): Feedback) {
    use crate::graphql::post;
    use contract::operations::{SetToolFacts, SetToolFactsVars, ToolFactInput};

    let facts: Vec<ToolFactInput> = rows
        .get_untracked()
        .iter()
        .map(|row| {
            let unit = row.unit.get_untracked();
            ToolFactInput {
                label: row.label.get_untracked(),
                kind: row.kind.get_untracked(),
                value: Some(row.value.get_untracked()),
                unit: (!unit.trim().is_empty()).then_some(unit),
            }
        })
        .collect();
    pending.set(true);
    error.set(String::new());
    status.set("Saving\u{2026}".into());
    leptos::task::spawn_local(async move {
        let answer = post::<SetToolFacts>(&SetToolFactsVars { slug: tool, facts }).await;
        pending.set(false);
        match answer {
            Ok(data) => {
                let saved = data.set_tool_facts.facts;
                status.set(match saved.len() {
                    0 => "Saved: no facts.".to_owned(),
                    1 => "Saved 1 fact.".to_owned(),
                    n => format!("Saved {n} facts."),
                });
                // Show the values as stored ("128,000", "Yes").
                rows.update(|list| {
                    for (row, fact) in list.iter().zip(&saved) {
                        row.label.set(fact.label.clone());
                        row.value.set(typed_value(fact));
                        row.unit.set(fact.unit.clone().unwrap_or_default());
                    }
                });
            }
            Err(e) => {
                status.set(String::new());
                let at = e
                    .fields
                    .iter()
                    .map(|(field, message)| format!("{}: {message}", where_is(field)))
                    .collect::<Vec<_>>();
                error.set(if at.is_empty() {
                    match &e.field {
                        Some(field) => {
                            let message = e
                                .message
                                .strip_prefix(&format!("{field}: "))
                                .unwrap_or(&e.message);
                            format!("{}: {message}", where_is(field))
                        }
                        None => e.message,
                    }
                } else {
                    at.join("; ")
                });
            }
        }
    });
}

/// `facts[2].value` as "Fact 3, value".
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn where_is(field: &str) -> String {
    let Some(rest) = field.strip_prefix("facts[") else {
        return field.to_owned();
    };
    match rest.split_once(']') {
        Some((index, tail)) => {
            let number = index.parse::<usize>().map_or(0, |i| i + 1);
            let part = tail.trim_start_matches('.');
            if part.is_empty() {
                format!("Fact {number}")
            } else {
                format!("Fact {number}, {part}")
            }
        }
        None => field.to_owned(),
    }
}

#[cfg(not(feature = "hydrate"))]
fn save_facts(_tool: String, _rows: RwSignal<Vec<Row>>, _feedback: Feedback) {}
