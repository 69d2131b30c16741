//! Tool releases: recorded by editors (one per version of a tool) so that
//! reviews older than the latest release are due for a re-review.

use entities::{editor, tool_release};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
};
use serde_json::{json, Value};

use super::{check_text, not_found, now, taken, Audited, Edit};
use crate::domain::catalogue;
use crate::domain::fields::TextRule;
use crate::domain::provenance::{self, MAX_RELEASE_NOTE_CHARS};
use crate::error::AppError;

/// A release of a tool, as an editor records it.
#[derive(Debug, Clone)]
pub struct ReleaseInput {
    /// The tool's slug.
    pub tool: String,
    /// As the vendor names it ("v3.0").
    pub version: String,
    /// The day it came out, `YYYY-MM-DD`.
    pub released_on: String,
    /// What changed, in a line; empty for none.
    pub note: Option<String>,
}

// The audit log's kinds are a closed list (a CHECK since migration 3): a
// release is recorded as a change to its tool, keyed `tool@version`.
impl Audited for tool_release::Model {
    const KIND: &'static str = "TOOL";

    fn summary(&self) -> Value {
        json!({
            "release": true,
            "toolId": self.tool_id,
            "version": self.version,
            "releasedOn": self.released_on.to_string(),
            "note": self.note,
        })
    }
}

/// Records a release of a tool (a version already recorded is refused).
pub async fn record_tool_release(
    db: &DatabaseConnection,
    editor: &editor::Model,
    input: ReleaseInput,
) -> Result<tool_release::Model, AppError> {
    let version = provenance::version("version", &input.version)?
        .ok_or_else(|| AppError::validation("version", "must not be empty"))?;
    let released_on = provenance::parse_day("releasedOn", &input.released_on, provenance::today())?;
    let note = match input.note.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(note) => {
            let rule = TextRule {
                max_chars: MAX_RELEASE_NOTE_CHARS,
            };
            check_text("note", note, rule)?;
            Some(note.to_owned())
        }
    };
    let edit = Edit::begin(db, editor).await?;
    let tool = catalogue::tools::any(edit.txn(), &input.tool)
        .await?
        .ok_or_else(|| AppError::validation("tool", format!("no tool `{}`", input.tool)))?;
    let key = format!("{}@{version}", tool.slug);
    let row = tool_release::ActiveModel {
        id: NotSet,
        tool_id: Set(tool.id),
        version: Set(version),
        released_on: Set(released_on),
        note: Set(note),
        created_at: Set(now()),
    };
    let saved = edit
        .insert(&key, row, |error| match taken("version")(error) {
            AppError::Validation { field, .. } => {
                AppError::validation(field, "is already recorded for this tool")
            }
            other => other,
        })
        .await?;
    edit.commit().await?;
    Ok(saved)
}

/// Deletes a recorded release of a tool.
pub async fn delete_tool_release(
    db: &DatabaseConnection,
    editor: &editor::Model,
    tool_slug: &str,
    version: &str,
) -> Result<(), AppError> {
    let edit = Edit::begin(db, editor).await?;
    let key = format!("{tool_slug}@{version}");
    let tool = catalogue::tools::any(edit.txn(), tool_slug)
        .await?
        .ok_or_else(|| not_found("tool", tool_slug))?;
    let found = tool_release::Entity::find()
        .filter(tool_release::Column::ToolId.eq(tool.id))
        .filter(tool_release::Column::Version.eq(version.trim()))
        .one(edit.txn())
        .await?
        .ok_or_else(|| not_found("release", &key))?;
    edit.delete::<tool_release::ActiveModel>(&key, found)
        .await?;
    edit.commit().await?;
    Ok(())
}
