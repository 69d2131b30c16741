//! The tool editor's releases: the ones recorded (with Delete) and a form
//! to record another. A review written before the latest release is due
//! for a re-review. Like the admin's other controls it needs JavaScript:
//! disabled in the server's HTML until the editors' bundle hydrates it.

use contract::operations::ReleaseLine;
use leptos::prelude::*;

use crate::components::editing::LoadingLine;
use crate::components::provenance::day_text;

/// A tool's recorded releases, and the form that records another.
#[cfg_attr(any(feature = "ssr", feature = "admin"), island)]
#[cfg_attr(not(any(feature = "ssr", feature = "admin")), component)]
pub fn ReleaseEditor(
    /// The tool's slug.
    tool: String,
    /// Its releases, latest first.
    releases: Vec<ReleaseLine>,
) -> impl IntoView {
    let releases = RwSignal::new(releases);
    let version = RwSignal::new(String::new());
    let released_on = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let tool = StoredValue::new(tool);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        record_release(
            tool.get_value(),
            (version, released_on, note),
            releases,
            (error, status, pending),
        );
    };
    let list = move || {
        let rows = releases.get();
        if rows.is_empty() {
            return view! { <p class="empty">"No release recorded yet."</p> }.into_any();
        }
        view! {
            <ul class="release-list">
                {rows
                    .into_iter()
                    .map(|r| {
                        let version_text = r.version.clone();
                        let remove = move |_| {
                            delete_release(
                                tool.get_value(),
                                version_text.clone(),
                                releases,
                                (error, status, pending),
                            )
                        };
                        view! {
                            <li class="release" data-release=r.version.clone()>
                                <span>
                                    <strong>{r.version.clone()}</strong>
                                    " \u{b7} "
                                    <time datetime=r.released_on.clone()>{day_text(&r.released_on)}</time>
                                    {r.note.map(|n| view! { " \u{b7} " {n} })}
                                </span>
                                <button
                                    class="link-button"
                                    type="button"
                                    on:click=remove
                                    disabled=move || pending.get() || !hydrated.get()
                                >
                                    {format!("Delete {}", r.version)}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div class="release-editor" data-hydrated=move || hydrated.get().to_string()>
            {list}
            <form class="admin-form release-form" on:submit=submit>
                <LoadingLine hydrated/>
                <fieldset class="form-controls" disabled=move || !hydrated.get()>
                    <div class="field">
                        <label for="release-version">"Version"</label>
                        <input
                            id="release-version"
                            name="version"
                            type="text"
                            maxlength="40"
                            placeholder="e.g. v3.0"
                            prop:value=move || version.get()
                            on:input=move |ev| version.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="release-day">"Released on"</label>
                        <input
                            id="release-day"
                            name="releasedOn"
                            type="date"
                            prop:value=move || released_on.get()
                            on:input=move |ev| released_on.set(event_target_value(&ev))
                        />
                    </div>
                    <div class="field">
                        <label for="release-note">"Note (optional)"</label>
                        <input
                            id="release-note"
                            name="note"
                            type="text"
                            maxlength="500"
                            prop:value=move || note.get()
                            on:input=move |ev| note.set(event_target_value(&ev))
                        />
                    </div>
                    <p class="form-error" role="alert" data-testid="release-error">{move || error.get()}</p>
                    <p class="vote-status" role="status" data-testid="release-status">{move || status.get()}</p>
                    <button class="button" type="submit" disabled=move || pending.get()>"Record the release"</button>
                </fieldset>
            </form>
        </div>
    }
}

/// The form's signals: version, day, note.
type ReleaseForm = (RwSignal<String>, RwSignal<String>, RwSignal<String>);
/// What the editor is told: error, status, pending.
type Feedback = (RwSignal<String>, RwSignal<String>, RwSignal<bool>);

#[cfg(feature = "hydrate")]
fn record_release(
    tool: String,
    (version, released_on, note): ReleaseForm,
    releases: RwSignal<Vec<ReleaseLine>>,
    (error, status, pending): Feedback,
) {
    use crate::graphql::post;
    use contract::operations::{CreateVars, RecordToolRelease, ToolReleaseInput};

    let note_text = note.get_untracked();
    let input = ToolReleaseInput {
        tool,
        version: version.get_untracked(),
        released_on: released_on.get_untracked(),
        note: (!note_text.trim().is_empty()).then_some(note_text),
    };
    pending.set(true);
    error.set(String::new());
    status.set("Saving…".into());
    leptos::task::spawn_local(async move {
        let answer = post::<RecordToolRelease>(&CreateVars { input }).await;
        pending.set(false);
        match answer {
            Ok(data) => {
                let saved = data.record_tool_release;
                status.set(format!("Recorded {}.", saved.version));
                releases.update(|list| {
                    list.push(saved);
                    list.sort_by(|a, b| b.released_on.cmp(&a.released_on));
                });
                version.set(String::new());
                released_on.set(String::new());
                note.set(String::new());
            }
            Err(e) => {
                status.set(String::new());
                error.set(e.message);
            }
        }
    });
}

#[cfg(feature = "hydrate")]
fn delete_release(
    tool: String,
    version: String,
    releases: RwSignal<Vec<ReleaseLine>>,
    (error, status, pending): Feedback,
) {
    use crate::graphql::post;
    use contract::operations::{DeleteReleaseVars, DeleteToolRelease};

    pending.set(true);
    error.set(String::new());
    leptos::task::spawn_local(async move {
        let variables = DeleteReleaseVars {
            tool,
            version: version.clone(),
        };
        let answer = post::<DeleteToolRelease>(&variables).await;
        pending.set(false);
        match answer {
            Ok(_) => {
                releases.update(|list| list.retain(|r| r.version != version));
                status.set(format!("Deleted {version}."));
            }
            Err(e) => error.set(e.message),
        }
    });
}

#[cfg(not(feature = "hydrate"))]
fn record_release(
    _tool: String,
    _form: ReleaseForm,
    _releases: RwSignal<Vec<ReleaseLine>>,
    _feedback: Feedback,
) {
}

#[cfg(not(feature = "hydrate"))]
fn delete_release(
    _tool: String,
    _version: String,
    _releases: RwSignal<Vec<ReleaseLine>>,
    _feedback: Feedback,
) {
}
