//! The editors' forms: one form for tools, reviewers and comparisons, delete
//! with confirmation, and the scorecard editor. Each saves through GraphQL
//! and shows a validation error beside the field at fault, keeping
//! everything typed. They work once the editors' bundle has hydrated them:
//! until then the server's HTML has their controls disabled under a
//! "Loading the editor…" line, so nothing typed early is lost to a button
//! that does nothing.

use std::collections::{BTreeMap, HashMap};

use contract::operations::{ReviewInput, Verdict};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How a form field is entered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FieldKind {
    /// One line of text.
    Text,
    /// A few lines of text.
    Long,
    /// One of these `(value, label)` pairs.
    Choice(Vec<(String, String)>),
}

/// What a field is filled with while the editor has not typed into it
/// (the server derives the same when it is sent empty).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Derived {
    /// The slug of another field's text (a tool's slug from its name).
    SlugOf(String),
    /// "Left vs Right" from two choice fields' labels (a comparison's title).
    PairTitle(String, String),
    /// `left-vs-right` from two choice fields' values (a comparison's slug).
    PairSlug(String, String),
}

/// One field of an [`EntityForm`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldSpec {
    /// The input's name in the GraphQL input object (`websiteUrl`).
    pub name: String,
    /// What the editor reads beside it.
    pub label: String,
    /// How it is entered.
    pub kind: FieldKind,
    /// Sent as null when left empty.
    pub optional: bool,
    /// Filled from other fields until the editor types into it.
    pub derived: Option<Derived>,
    /// A line under the label.
    pub hint: Option<String>,
}

impl FieldSpec {
    /// A required one-line field.
    pub fn text(name: &str, label: &str) -> Self {
        FieldSpec {
            name: name.into(),
            label: label.into(),
            kind: FieldKind::Text,
            optional: false,
            derived: None,
            hint: None,
        }
    }

    /// A required multi-line field.
    pub fn long(name: &str, label: &str) -> Self {
        FieldSpec {
            kind: FieldKind::Long,
            ..FieldSpec::text(name, label)
        }
    }

    /// A choice among `(value, label)` pairs.
    pub fn choice(name: &str, label: &str, options: Vec<(String, String)>) -> Self {
        FieldSpec {
            kind: FieldKind::Choice(options),
            ..FieldSpec::text(name, label)
        }
    }

    /// The same field, sent as null when empty.
    pub fn optional(self) -> Self {
        FieldSpec {
            optional: true,
            ..self
        }
    }

    /// The same field, filled from others until the editor types into it.
    pub fn derived(self, derived: Derived, hint: &str) -> Self {
        FieldSpec {
            derived: Some(derived),
            hint: Some(hint.into()),
            ..self
        }
    }
}

/// What `derived` makes of the form's `values` (`fields` give the choices'
/// labels); `None` while what it needs is missing.
pub fn derive(
    derived: &Derived,
    fields: &[FieldSpec],
    values: &BTreeMap<String, String>,
) -> Option<String> {
    let value = |name: &str| values.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let label = |name: &str| {
        let chosen = value(name)?;
        fields
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| match &f.kind {
                FieldKind::Choice(options) => options
                    .iter()
                    .find(|(v, _)| v == chosen)
                    .map(|(_, label)| label.clone()),
                _ => None,
            })
    };
    match derived {
        Derived::SlugOf(source) => contract::slug::slugify(value(source)?),
        Derived::PairTitle(left, right) => Some(format!("{} vs {}", label(left)?, label(right)?)),
        Derived::PairSlug(left, right) => Some(format!("{}-vs-{}", value(left)?, value(right)?)),
    }
}

/// Creates (without `original_slug`) or updates a tool, reviewer or
/// comparison. After a creation, or a change of slug, the browser goes to
/// the saved item's edit page.
#[cfg_attr(any(feature = "ssr", feature = "admin"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "admin")), component)]
pub fn EntityForm(
    /// `tool`, `reviewer` or `comparison`.
    kind: String,
    /// The slug being edited; none to create.
    #[prop(optional)]
    original_slug: Option<String>,
    fields: Vec<FieldSpec>,
    /// Each field's current value, by name.
    values: BTreeMap<String, String>,
) -> impl IntoView {
    // A derived field the editor typed into (or that was saved) keeps
    // what it holds; one left empty follows its sources again.
    let typed = StoredValue::new(
        fields
            .iter()
            .filter(|f| values.get(&f.name).is_some_and(|v| !v.trim().is_empty()))
            .map(|f| f.name.clone())
            .collect::<std::collections::HashSet<String>>(),
    );
    let values = RwSignal::new(values);
    let errors = RwSignal::new(HashMap::<String, String>::new());
    let status = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let specs = StoredValue::new(fields.clone());
    let target = StoredValue::new((kind.clone(), original_slug.clone()));

    let rows = fields
        .into_iter()
        .map(|spec| {
            let name = StoredValue::new(spec.name.clone());
            let get = move || values.with(|v| v.get(&name.get_value()).cloned().unwrap_or_default());
            let set = move |value: String| {
                let field = name.get_value();
                typed.update_value(|typed| {
                    if value.trim().is_empty() {
                        typed.remove(&field);
                    } else {
                        typed.insert(field.clone());
                    }
                });
                values.update(|v| {
                    v.insert(field, value);
                    let specs = specs.get_value();
                    for spec in &specs {
                        let Some(derived) = &spec.derived else {
                            continue;
                        };
                        if typed.with_value(|typed| typed.contains(&spec.name)) {
                            continue;
                        }
                        let made = derive(derived, &specs, v).unwrap_or_default();
                        v.insert(spec.name.clone(), made);
                    }
                })
            };
            let hint = spec
                .hint
                .clone()
                .map(|hint| view! { <p class="field-hint" id=format!("{}-hint", spec.name)>{hint}</p> });
            let id = spec.name.clone();
            let input = match spec.kind {
                FieldKind::Text => view! {
                    <input id=id.clone() name=id type="text" prop:value=get on:input=move |ev| set(event_target_value(&ev))/>
                }
                .into_any(),
                FieldKind::Long => view! {
                    <textarea id=id.clone() name=id rows="4" prop:value=get on:input=move |ev| set(event_target_value(&ev))>
                        {crate::escape::raw_text(&values.with_untracked(|v| v.get(&name.get_value()).cloned().unwrap_or_default()))}
                    </textarea>
                }
                .into_any(),
                FieldKind::Choice(options) => {
                    let options = options
                        .into_iter()
                        .map(|(value, label)| view! { <option value=value>{label}</option> })
                        .collect_view();
                    view! {
                        <select id=id.clone() name=id prop:value=get on:change=move |ev| set(event_target_value(&ev))>
                            {options}
                        </select>
                    }
                    .into_any()
                }
            };
            let invalid = move || errors.with(|e| e.contains_key(&name.get_value()));
            let message = move || errors.with(|e| e.get(&name.get_value()).cloned().unwrap_or_default());
            view! {
                <div class="field" class:invalid=invalid>
                    <label for=spec.name.clone()>{spec.label}</label>
                    {hint}
                    {input}
                    <p class="form-error" data-error-for=spec.name>{message}</p>
                </div>
            }
        })
        .collect_view();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (kind, original) = target.get_value();
        save_entity(
            kind,
            original,
            specs.get_value(),
            values,
            errors,
            status,
            pending,
        );
    };
    let action = if original_slug.is_some() {
        "Save"
    } else {
        "Create draft"
    };
    view! {
        <form
            class=format!("admin-form entity-form {kind}-form")
            on:submit=submit
            data-hydrated=move || hydrated.get().to_string()
        >
            <LoadingLine hydrated/>
            <fieldset class="form-controls" disabled=move || !hydrated.get()>
                {rows}
                <p class="vote-status" role="status" data-testid="form-status">{move || status.get()}</p>
                <button class="button" type="submit" disabled=move || pending.get()>{action}</button>
            </fieldset>
        </form>
    }
}

/// Says that a form is not ready yet, until its island has hydrated (with
/// JavaScript off it stays, beside the admin's `<noscript>` note).
#[component]
pub(crate) fn LoadingLine(hydrated: RwSignal<bool>) -> impl IntoView {
    view! {
        <p class="form-loading" data-testid="editor-loading" hidden=move || hydrated.get()>
            "Loading the editor\u{2026}"
        </p>
    }
}

/// A refusal's message per field of the form: every field the API named
/// (`extensions.fields`), else the one it named; none for other errors.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn field_errors(error: &crate::GqlError, field_names: &[String]) -> HashMap<String, String> {
    let all: Vec<(String, String)> = if error.fields.is_empty() {
        error
            .field
            .iter()
            .map(|field| (field.clone(), bare_message(field, &error.message)))
            .collect()
    } else {
        error.fields.clone()
    };
    all.into_iter()
        .filter(|(field, _)| field_names.contains(field))
        .collect()
}

/// The message of a validation error without the field name in front.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn bare_message(field: &str, message: &str) -> String {
    message
        .strip_prefix(&format!("{field}: "))
        .unwrap_or(message)
        .to_owned()
}

#[cfg(feature = "hydrate")]
fn save_entity(
    kind: String,
    original: Option<String>,
    specs: Vec<FieldSpec>,
    values: RwSignal<BTreeMap<String, String>>,
    errors: RwSignal<HashMap<String, String>>,
    status: RwSignal<String>,
    pending: RwSignal<bool>,
) {
    use crate::components::admin::go;

    let input = form_input(&specs, &values.get_untracked());
    let field_names: Vec<String> = specs.into_iter().map(|s| s.name).collect();
    pending.set(true);
    status.set("Saving…".into());
    leptos::task::spawn_local(async move {
        let answer = save(&kind, original.clone(), input).await;
        pending.set(false);
        match answer {
            Ok(saved) => {
                errors.set(HashMap::new());
                match original.as_deref() {
                    // The edit page says "Created." (the address asks it to).
                    None => go(&format!("/admin/{kind}s/{saved}?created=1")),
                    Some(slug) if slug != saved => go(&format!("/admin/{kind}s/{saved}")),
                    Some(_) => status.set("Saved.".into()),
                }
            }
            Err(error) => {
                let by_field = field_errors(&error, &field_names);
                status.set(match by_field.len() {
                    0 => format!("Not saved: {}", error.message),
                    1 => "Not saved: see the marked field.".into(),
                    n => format!("Not saved: see the {n} marked fields."),
                });
                errors.set(by_field);
            }
        }
    });
}

/// The form's values as the API's input object: each field by its name,
/// an empty optional one as null.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn form_input(specs: &[FieldSpec], values: &BTreeMap<String, String>) -> serde_json::Value {
    use serde_json::Value;
    let input = specs
        .iter()
        .map(|spec| {
            let value = values.get(&spec.name).cloned().unwrap_or_default();
            let value = if spec.optional && value.trim().is_empty() {
                Value::Null
            } else {
                Value::String(value)
            };
            (spec.name.clone(), value)
        })
        .collect();
    Value::Object(input)
}

/// The form's input as the typed input `I` of the operation that saves it.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn typed_input<I: serde::de::DeserializeOwned>(
    input: serde_json::Value,
) -> Result<I, crate::GqlError> {
    serde_json::from_value(input).map_err(|e| crate::GqlError {
        message: format!("the form does not match the API's input: {e}"),
        code: contract::Code::Internal,
        field: None,
        fields: Vec::new(),
    })
}

/// Creates (without `original`) or updates a `kind`; answers with its slug now.
#[cfg(feature = "hydrate")]
async fn save(
    kind: &str,
    original: Option<String>,
    input: serde_json::Value,
) -> Result<String, crate::GqlError> {
    use crate::graphql::post;
    use contract::operations::{self as op, CreateVars, UpdateVars};

    Ok(match (kind, original) {
        ("tool", None) => {
            let input = typed_input(input)?;
            post::<op::CreateTool>(&CreateVars { input })
                .await?
                .create_tool
                .slug
        }
        ("tool", Some(slug)) => {
            let input = typed_input(input)?;
            post::<op::UpdateTool>(&UpdateVars { slug, input })
                .await?
                .update_tool
                .slug
        }
        ("reviewer", None) => {
            let input = typed_input(input)?;
            post::<op::CreateReviewer>(&CreateVars { input })
                .await?
                .create_reviewer
                .slug
        }
        ("reviewer", Some(slug)) => {
            let input = typed_input(input)?;
            post::<op::UpdateReviewer>(&UpdateVars { slug, input })
                .await?
                .update_reviewer
                .slug
        }
        (_, None) => {
            let input = typed_input(input)?;
            post::<op::CreateComparison>(&CreateVars { input })
                .await?
                .create_comparison
                .slug
        }
        (_, Some(slug)) => {
            let input = typed_input(input)?;
            post::<op::UpdateComparison>(&UpdateVars { slug, input })
                .await?
                .update_comparison
                .slug
        }
    })
}

#[cfg(not(feature = "hydrate"))]
fn save_entity(
    _kind: String,
    _original: Option<String>,
    _specs: Vec<FieldSpec>,
    _values: RwSignal<BTreeMap<String, String>>,
    _errors: RwSignal<HashMap<String, String>>,
    _status: RwSignal<String>,
    _pending: RwSignal<bool>,
) {
}

/// Deletes a tool, reviewer or comparison after the editor confirms; what
/// readers gave (votes, picks) goes too only when the editor ticks the box.
#[cfg_attr(any(feature = "ssr", feature = "admin"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "admin")), component)]
pub fn DeleteButton(
    /// `tool`, `reviewer` or `comparison`.
    kind: String,
    slug: String,
    /// What the confirmation calls it.
    name: String,
) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let cascade = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(String::new());
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let cascade_label = match kind.as_str() {
        "tool" => Some("Also delete readers' votes on it"),
        "comparison" => Some("Also delete readers' picks on it"),
        _ => None,
    };
    let target = StoredValue::new((kind, slug));
    let confirm = move |_| {
        let (kind, slug) = target.get_value();
        delete_entity(kind, slug, cascade.get_untracked(), pending, error);
    };
    view! {
        <div class="delete-control" data-hydrated=move || hydrated.get().to_string()>
            <Show
                when=move || confirming.get()
                fallback=move || {
                    view! {
                        <button
                            class="button danger"
                            type="button"
                            on:click=move |_| confirming.set(true)
                            disabled=move || !hydrated.get()
                        >
                            "Delete…"
                        </button>
                    }
                }
            >
                <div class="confirm-box" role="alertdialog" aria-label="Confirm the deletion">
                    <p>"Delete " <strong>{name.clone()}</strong> "? This cannot be undone."</p>
                    {cascade_label
                        .map(|label| {
                            view! {
                                <label class="check">
                                    <input
                                        type="checkbox"
                                        name="cascade"
                                        prop:checked=move || cascade.get()
                                        on:change=move |ev| cascade.set(event_target_checked(&ev))
                                    />
                                    {label}
                                </label>
                            }
                        })}
                    <p class="form-error" role="alert" data-testid="delete-error">{move || error.get()}</p>
                    <div class="confirm-actions">
                        <button class="button danger" type="button" data-testid="confirm-delete" on:click=confirm disabled=move || pending.get()>
                            "Delete"
                        </button>
                        <button class="link-button" type="button" on:click=move |_| {
                            confirming.set(false);
                            error.set(String::new());
                        }>
                            "Cancel"
                        </button>
                    </div>
                </div>
            </Show>
        </div>
    }
}

#[cfg(feature = "hydrate")]
fn delete_entity(
    kind: String,
    slug: String,
    cascade: bool,
    pending: RwSignal<bool>,
    error: RwSignal<String>,
) {
    use crate::components::admin::go;
    use crate::graphql::post;
    use contract::operations::{
        CascadeVars, DeleteComparison, DeleteReviewer, DeleteTool, SlugVars,
    };
    pending.set(true);
    error.set(String::new());
    leptos::task::spawn_local(async move {
        let done = match kind.as_str() {
            "tool" => post::<DeleteTool>(&CascadeVars { slug, cascade })
                .await
                .map(drop),
            "reviewer" => post::<DeleteReviewer>(&SlugVars { slug }).await.map(drop),
            _ => post::<DeleteComparison>(&CascadeVars { slug, cascade })
                .await
                .map(drop),
        };
        match done {
            Ok(()) => go(&format!("/admin/{kind}s")),
            Err(e) => {
                error.set(format!("Not deleted: {}", e.message));
                pending.set(false);
            }
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn delete_entity(
    _kind: String,
    _slug: String,
    _cascade: bool,
    _pending: RwSignal<bool>,
    _error: RwSignal<String>,
) {
}

/// One reviewer's review of one tool as the scorecard editor holds it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cell {
    /// `SHIP`, `SKIP`, or empty for no review.
    pub verdict: String,
    /// The reasoning.
    pub body: String,
    /// Kept from readers.
    pub draft: bool,
    /// Saved in the database (so clearing the verdict deletes it).
    pub saved: bool,
    /// The tool's version or release it judged (empty: none).
    #[serde(default)]
    pub judged_version: String,
    /// The day it was written, `YYYY-MM-DD` (empty: let the server date it).
    #[serde(default)]
    pub reviewed_on: String,
    /// The day as saved: sent only when the editor changes it, so that a
    /// new verdict is dated today unless they say otherwise.
    #[serde(default)]
    pub saved_reviewed_on: String,
}

/// One reviewer's line of the scorecard: their review of each tool.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScorecardLine {
    /// The reviewer's slug.
    pub reviewer: String,
    /// The reviewer's name.
    pub name: String,
    /// Their lens, as the API spells it.
    pub lens: String,
    /// Their review of the left tool.
    pub left: Cell,
    /// Their review of the right tool.
    pub right: Cell,
}

/// Which tool of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
}

impl Side {
    fn as_str(self) -> &'static str {
        match self {
            Side::Left => "left",
            Side::Right => "right",
        }
    }
}

fn cell_mut(line: &mut ScorecardLine, side: Side) -> &mut Cell {
    match side {
        Side::Left => &mut line.left,
        Side::Right => &mut line.right,
    }
}

fn cell(line: &ScorecardLine, side: Side) -> &Cell {
    match side {
        Side::Left => &line.left,
        Side::Right => &line.right,
    }
}

/// Every reviewer's verdict and text for both tools of a comparison on one
/// screen, saved together: all reviews or none.
#[cfg_attr(any(feature = "ssr", feature = "admin"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "admin")), component)]
pub fn ScorecardEditor(
    /// The left tool's `(slug, name)`.
    left: (String, String),
    /// The right tool's `(slug, name)`.
    right: (String, String),
    lines: Vec<ScorecardLine>,
) -> impl IntoView {
    let count = lines.len();
    let state = RwSignal::new(lines);
    let errors = RwSignal::new(HashMap::<String, String>::new());
    let status = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let tools = StoredValue::new((left.clone(), right.clone()));

    let cell_view = move |index: usize, side: Side, tool_name: String| {
        let reviewer = state.with_untracked(|s| s[index].reviewer.clone());
        let key = format!("{reviewer}/{}", side.as_str());
        let error_key = StoredValue::new(key.clone());
        let verdict_id = format!("verdict-{key}").replace('/', "-");
        let body_id = format!("body-{key}").replace('/', "-");
        let draft_id = format!("draft-{key}").replace('/', "-");
        let version_id = format!("version-{key}").replace('/', "-");
        let day_id = format!("day-{key}").replace('/', "-");
        let read = move |f: fn(&Cell) -> String| move || state.with(|s| f(cell(&s[index], side)));
        let data_cell = key.clone();
        let draft_for = draft_id.clone();
        view! {
            <div
                class="score-cell"
                class:invalid=move || errors.with(|e| e.contains_key(&error_key.get_value()))
                data-cell=data_cell
            >
                <p class="score-cell-tool">{tool_name}</p>
                <label class="visually-hidden" for=verdict_id.clone()>"Verdict"</label>
                <select
                    id=verdict_id
                    prop:value=read(|c| c.verdict.clone())
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        state.update(|s| cell_mut(&mut s[index], side).verdict = value);
                    }
                >
                    <option value="">"No review"</option>
                    <option value="SHIP">"SHIP"</option>
                    <option value="SKIP">"SKIP"</option>
                </select>
                <label class="visually-hidden" for=body_id.clone()>"Reasoning"</label>
                <textarea
                    id=body_id
                    rows="6"
                    placeholder="Why ship or skip it?"
                    prop:value=read(|c| c.body.clone())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        state.update(|s| cell_mut(&mut s[index], side).body = value);
                    }
                >
                    {crate::escape::raw_text(&state.with_untracked(|s| cell(&s[index], side).body.clone()))}
                </textarea>
                <div class="score-cell-provenance">
                    <label for=version_id.clone()>"Judged version"</label>
                    <input
                        id=version_id
                        type="text"
                        maxlength="40"
                        placeholder="e.g. v2.1"
                        prop:value=read(|c| c.judged_version.clone())
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            state.update(|s| cell_mut(&mut s[index], side).judged_version = value);
                        }
                    />
                    <label for=day_id.clone()>"Reviewed on"</label>
                    <input
                        id=day_id
                        type="date"
                        prop:value=read(|c| c.reviewed_on.clone())
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            state.update(|s| cell_mut(&mut s[index], side).reviewed_on = value);
                        }
                    />
                </div>
                <label class="check" for=draft_for>
                    <input
                        id=draft_id
                        type="checkbox"
                        prop:checked=move || state.with(|s| cell(&s[index], side).draft)
                        on:change=move |ev| {
                            let checked = event_target_checked(&ev);
                            state.update(|s| cell_mut(&mut s[index], side).draft = checked);
                        }
                    />
                    "Draft (hidden from readers)"
                </label>
                <p class="form-error" data-error-for=key>
                    {move || errors.with(|e| e.get(&error_key.get_value()).cloned().unwrap_or_default())}
                </p>
            </div>
        }
    };
    let rows = (0..count)
        .map(|index| {
            let (name, lens, reviewer) = state.with_untracked(|s| {
                let line = &s[index];
                (line.name.clone(), line.lens.clone(), line.reviewer.clone())
            });
            view! {
                <fieldset class="score-line" data-reviewer=reviewer>
                    <legend>
                        {name} <span class="lens">{crate::components::lens_label(&lens)}</span>
                    </legend>
                    <div class="score-cells">
                        {cell_view(index, Side::Left, left.1.clone())}
                        {cell_view(index, Side::Right, right.1.clone())}
                    </div>
                </fieldset>
            }
        })
        .collect_view();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (left, right) = tools.get_value();
        save_scorecard(left.0, right.0, state, errors, status, pending);
    };
    view! {
        <form class="admin-form scorecard-form" on:submit=submit data-hydrated=move || hydrated.get().to_string()>
            <LoadingLine hydrated/>
            <fieldset class="form-controls" disabled=move || !hydrated.get()>
                {rows}
                <p class="vote-status" role="status" data-testid="form-status">{move || status.get()}</p>
                <button class="button" type="submit" disabled=move || pending.get()>"Save the scorecard"</button>
            </fieldset>
        </form>
    }
}

/// What the editor asked for, checked before anything is sent: the errors
/// by cell key, the reviews to save as `(cell key, input)`, and the reviews
/// to delete as `(tool, reviewer)`.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
type ScorecardPlan = (
    HashMap<String, String>,
    Vec<(String, ReviewInput)>,
    Vec<(String, String)>,
);

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn plan_scorecard(left: &str, right: &str, lines: &[ScorecardLine]) -> ScorecardPlan {
    let mut errors = HashMap::new();
    let mut saves = Vec::new();
    let mut deletes = Vec::new();
    for line in lines {
        for (side, tool) in [(Side::Left, left), (Side::Right, right)] {
            let c = cell(line, side);
            let key = format!("{}/{}", line.reviewer, side.as_str());
            let verdict = match c.verdict.as_str() {
                "SHIP" => Some(Verdict::Ship),
                "SKIP" => Some(Verdict::Skip),
                _ => None,
            };
            match (verdict, c.body.trim().is_empty()) {
                (None, false) => {
                    errors.insert(key, "choose SHIP or SKIP, or clear the text".to_owned());
                }
                (Some(_), true) => {
                    errors.insert(key, "write the reasoning".to_owned());
                }
                (Some(verdict), false) => saves.push((
                    key,
                    ReviewInput {
                        tool: tool.to_owned(),
                        reviewer: line.reviewer.clone(),
                        verdict,
                        body: c.body.clone(),
                        published: !c.draft,
                        judged_version: Some(c.judged_version.trim().to_owned()),
                        reviewed_on: (!c.reviewed_on.is_empty()
                            && c.reviewed_on != c.saved_reviewed_on)
                            .then(|| c.reviewed_on.clone()),
                    },
                )),
                (None, true) if c.saved => deletes.push((tool.to_owned(), line.reviewer.clone())),
                (None, true) => {}
            }
        }
    }
    (errors, saves, deletes)
}

#[cfg(feature = "hydrate")]
fn save_scorecard(
    left: String,
    right: String,
    state: RwSignal<Vec<ScorecardLine>>,
    errors: RwSignal<HashMap<String, String>>,
    status: RwSignal<String>,
    pending: RwSignal<bool>,
) {
    use crate::graphql::post;
    use contract::operations::{DeleteReview, DeleteReviewVars, UpsertReviews, UpsertReviewsVars};

    let (found, saves, deletes) = state.with_untracked(|s| plan_scorecard(&left, &right, s));
    if !found.is_empty() {
        errors.set(found);
        status.set("Not saved: see the marked reviews.".into());
        return;
    }
    let (keys, input): (Vec<String>, Vec<ReviewInput>) = saves.into_iter().unzip();
    pending.set(true);
    status.set("Saving…".into());
    leptos::task::spawn_local(async move {
        let saved = post::<UpsertReviews>(&UpsertReviewsVars { input }).await;
        if let Err(error) = saved {
            let mut by_cell = HashMap::new();
            // `input[3].body` names the fourth review sent.
            let cell_key = error.field.as_deref().and_then(|f| {
                let index: usize = f.strip_prefix("input[")?.split(']').next()?.parse().ok()?;
                keys.get(index).cloned()
            });
            match cell_key {
                Some(key) => {
                    let message = error
                        .message
                        .split_once(": ")
                        .map(|(_, m)| m.to_owned())
                        .unwrap_or(error.message);
                    by_cell.insert(key, message);
                    status.set("Not saved: see the marked review.".into());
                }
                None => status.set(format!("Not saved: {}", error.message)),
            }
            errors.set(by_cell);
            pending.set(false);
            return;
        }
        let mut removed = 0;
        for (tool, reviewer) in deletes {
            let variables = DeleteReviewVars { tool, reviewer };
            if let Err(error) = post::<DeleteReview>(&variables).await {
                status.set(format!(
                    "Saved, but a review was not removed: {}",
                    error.message
                ));
                pending.set(false);
                return;
            }
            removed += 1;
        }
        state.update(|s| {
            for line in s.iter_mut() {
                for c in [&mut line.left, &mut line.right] {
                    c.saved = !c.verdict.is_empty();
                    c.saved_reviewed_on = c.reviewed_on.clone();
                }
            }
        });
        errors.set(HashMap::new());
        let count = keys.len();
        status.set(match removed {
            0 => format!("Saved: {count} reviews."),
            _ => format!("Saved: {count} reviews, {removed} removed."),
        });
        pending.set(false);
    });
}

#[cfg(not(feature = "hydrate"))]
fn save_scorecard(
    _left: String,
    _right: String,
    _state: RwSignal<Vec<ScorecardLine>>,
    _errors: RwSignal<HashMap<String, String>>,
    _status: RwSignal<String>,
    _pending: RwSignal<bool>,
) {
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(left: Cell, right: Cell) -> ScorecardLine {
        ScorecardLine {
            reviewer: "ada".into(),
            name: "Ada".into(),
            lens: "DEVELOPER_EXPERIENCE".into(),
            left,
            right,
        }
    }

    #[test]
    fn a_scorecard_plan_saves_filled_cells_deletes_cleared_ones_and_flags_half_filled() {
        let filled = Cell {
            verdict: "SHIP".into(),
            body: "Fast.".into(),
            draft: true,
            saved: false,
            ..Cell::default()
        };
        let cleared = Cell {
            saved: true,
            ..Cell::default()
        };
        let (errors, saves, deletes) = plan_scorecard("a", "b", &[line(filled, cleared)]);
        assert!(errors.is_empty());
        assert_eq!(saves.len(), 1);
        assert_eq!(saves[0].0, "ada/left");
        assert!(!saves[0].1.published);
        assert_eq!(saves[0].1.verdict, Verdict::Ship);
        assert_eq!(saves[0].1.reviewed_on, None, "no day: the server dates it");

        // The day goes only when the editor changed it; the version always
        // (empty clears it).
        let dated = |day: &str| Cell {
            verdict: "SKIP".into(),
            body: "Slow.".into(),
            saved: true,
            judged_version: " v2.1 ".into(),
            reviewed_on: day.into(),
            saved_reviewed_on: "2026-10-14".into(),
            ..Cell::default()
        };
        let (_, saves, _) =
            plan_scorecard("a", "b", &[line(dated("2026-10-14"), dated("2026-11-01"))]);
        assert_eq!(saves[0].1.reviewed_on, None);
        assert_eq!(saves[1].1.reviewed_on.as_deref(), Some("2026-11-01"));
        assert_eq!(saves[0].1.judged_version.as_deref(), Some("v2.1"));
        assert_eq!(deletes, [("b".to_owned(), "ada".to_owned())]);

        let no_text = Cell {
            verdict: "SKIP".into(),
            ..Cell::default()
        };
        let no_verdict = Cell {
            body: "Why".into(),
            ..Cell::default()
        };
        let (errors, saves, _) = plan_scorecard("a", "b", &[line(no_text, no_verdict)]);
        assert!(saves.is_empty());
        assert_eq!(errors["ada/left"], "write the reasoning");
        assert!(errors["ada/right"].starts_with("choose SHIP or SKIP"));
    }

    #[test]
    fn derived_fields_follow_their_sources_once_these_are_filled() {
        let fields = vec![
            FieldSpec::choice(
                "left",
                "Left",
                vec![
                    ("".into(), "Choose".into()),
                    ("cursor".into(), "Cursor".into()),
                ],
            ),
            FieldSpec::choice("right", "Right", vec![("qdrant".into(), "Qdrant".into())]),
        ];
        let values = |pairs: &[(&str, &str)]| {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>()
        };
        let slug = Derived::SlugOf("name".into());
        assert_eq!(
            derive(&slug, &fields, &values(&[("name", "GitHub Copilot")])).as_deref(),
            Some("github-copilot")
        );
        assert_eq!(derive(&slug, &fields, &values(&[("name", "  ")])), None);
        let title = Derived::PairTitle("left".into(), "right".into());
        let pair = Derived::PairSlug("left".into(), "right".into());
        let both = values(&[("left", "cursor"), ("right", "qdrant")]);
        assert_eq!(
            derive(&title, &fields, &both).as_deref(),
            Some("Cursor vs Qdrant")
        );
        assert_eq!(
            derive(&pair, &fields, &both).as_deref(),
            Some("cursor-vs-qdrant")
        );
        let one = values(&[("left", ""), ("right", "qdrant")]);
        assert_eq!(derive(&title, &fields, &one), None, "a tool is missing");
    }

    /// The forms build their input from field names: each form must fill
    /// exactly the input object its operations take, or every save fails.
    #[test]
    fn every_entity_form_fills_exactly_the_input_its_operations_take() {
        use contract::operations::{ComparisonInput, ReviewerInput, ToolInput};

        let filled = |specs: &[FieldSpec]| {
            let values = specs
                .iter()
                .map(|s| (s.name.clone(), "x".to_owned()))
                .collect();
            form_input(specs, &values)
        };
        let tools = crate::pages::admin_tools::tool_fields(Vec::new());
        let tool: ToolInput = typed_input(filled(&tools)).expect("the tool form");
        assert_eq!(tool.website_url.as_deref(), Some("x"));
        let reviewers = crate::pages::admin_reviewers::reviewer_fields();
        typed_input::<ReviewerInput>(filled(&reviewers)).expect("the reviewer form");
        let comparisons = crate::pages::admin_comparisons::comparison_fields(None);
        typed_input::<ComparisonInput>(filled(&comparisons)).expect("the comparison form");

        // Left empty, the optional website is sent as null.
        let empty: ToolInput = typed_input(form_input(&tools, &BTreeMap::new())).expect("empty");
        assert_eq!(empty.website_url, None);
        assert_eq!(empty.name, "");

        // A field the API does not take is refused, not dropped.
        let mut extra = tools;
        extra.push(FieldSpec::text("colour", "Colour"));
        assert!(typed_input::<ToolInput>(filled(&extra)).is_err());
    }
}
