//! Reviews: one per reviewer and tool, created or replaced (one at a time or
//! a comparison's scorecard at once), and deleted.

use std::collections::HashSet;

use entities::{editor, review, review_revision, Verdict};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, DatabaseConnection,
    EntityTrait, QueryFilter, Set,
};
use serde_json::{json, Value};

use super::{check_text, not_found, now, reviewer_by_slug, Action, Audited, Edit};
use crate::domain::catalogue;
use crate::domain::fields;
use crate::domain::provenance;
use crate::domain::webhooks;
use crate::error::AppError;

/// One reviewer's review of one tool.
#[derive(Debug, Clone)]
pub struct ReviewInput {
    /// The tool's slug.
    pub tool: String,
    /// The reviewer's slug.
    pub reviewer: String,
    /// SHIP or SKIP.
    pub verdict: Verdict,
    /// The reasoning.
    pub body: String,
    /// Published (true) or draft.
    pub published: bool,
    /// The tool's version or release it judged: `None` keeps the stored
    /// one (none for a new review), `Some(None)` or an empty text clears it.
    pub judged_version: Option<Option<String>>,
    /// The day it was written, `YYYY-MM-DD`; `None` keeps the stored day
    /// unless the verdict or the judged version changes (then: today).
    pub reviewed_on: Option<String>,
}

impl Audited for review::Model {
    const KIND: &'static str = "REVIEW";

    fn summary(&self) -> Value {
        json!({
            "verdict": self.verdict.to_value(),
            "body": self.body,
            "published": self.published_at.is_some(),
            "reviewedOn": self.reviewed_on.to_string(),
            "judgedVersion": self.judged_version,
        })
    }
}

/// Creates or replaces the reviewer's review of the tool.
pub async fn upsert_review(
    db: &DatabaseConnection,
    editor: &editor::Model,
    input: ReviewInput,
) -> Result<review::Model, AppError> {
    let edit = Edit::begin(db, editor).await?;
    let (saved, flipped) = upsert_review_in(&edit, input).await?;
    edit.commit().await?;
    if flipped {
        webhooks::wake();
    }
    Ok(saved)
}

/// Most reviews one `upsert_reviews` call may carry.
pub const MAX_REVIEWS_PER_CALL: usize = 200;

/// Creates or replaces several reviews at once (a comparison's scorecard):
/// all are saved or none. A validation error names the item, as in
/// `input[3].body`.
pub async fn upsert_reviews(
    db: &DatabaseConnection,
    editor: &editor::Model,
    inputs: Vec<ReviewInput>,
) -> Result<Vec<review::Model>, AppError> {
    if inputs.len() > MAX_REVIEWS_PER_CALL {
        return Err(AppError::validation(
            "input",
            format!("at most {MAX_REVIEWS_PER_CALL} reviews at once"),
        ));
    }
    let mut seen = HashSet::new();
    for (i, input) in inputs.iter().enumerate() {
        if !seen.insert((input.tool.as_str(), input.reviewer.as_str())) {
            return Err(AppError::validation(
                format!("input[{i}]"),
                format!(
                    "a second review by `{}` of `{}`",
                    input.reviewer, input.tool
                ),
            ));
        }
    }
    let edit = Edit::begin(db, editor).await?;
    let mut saved = Vec::with_capacity(inputs.len());
    let mut any_flipped = false;
    for (i, input) in inputs.into_iter().enumerate() {
        let (review, flipped) =
            upsert_review_in(&edit, input)
                .await
                .map_err(|error| match error {
                    AppError::Validation { field, message } => AppError::Validation {
                        field: format!("input[{i}].{field}"),
                        message,
                    },
                    other => other,
                })?;
        any_flipped |= flipped;
        saved.push(review);
    }
    edit.commit().await?;
    if any_flipped {
        webhooks::wake();
    }
    Ok(saved)
}

/// Saves one review in `edit`; whether a published verdict flipped (its
/// event is written in the same transaction).
async fn upsert_review_in(
    edit: &Edit<'_>,
    input: ReviewInput,
) -> Result<(review::Model, bool), AppError> {
    check_text("body", &input.body, fields::REVIEW_BODY)?;
    let today = provenance::today();
    let judged_version = match &input.judged_version {
        Some(Some(text)) => Some(provenance::version("judgedVersion", text)?),
        Some(None) => Some(None),
        None => None,
    };
    let reviewed_on = input
        .reviewed_on
        .as_deref()
        .map(|text| provenance::parse_day("reviewedOn", text, today))
        .transpose()?;
    let tool = catalogue::tools::any(edit.txn(), &input.tool)
        .await?
        .ok_or_else(|| AppError::validation("tool", format!("no tool `{}`", input.tool)))?;
    let reviewer = reviewer_by_slug(edit.txn(), &input.reviewer)
        .await?
        .ok_or_else(|| {
            AppError::validation("reviewer", format!("no reviewer `{}`", input.reviewer))
        })?;
    let key = format!("{}/{}", reviewer.slug, tool.slug);
    let existing = review::Entity::find()
        .filter(review::Column::ToolId.eq(tool.id))
        .filter(review::Column::ReviewerId.eq(reviewer.id))
        .one(edit.txn())
        .await?;
    let published_at = match (&existing, input.published) {
        (Some(r), true) if r.published_at.is_some() => r.published_at,
        (_, true) => Some(now()),
        (_, false) => None,
    };
    match existing {
        Some(found) => {
            let judged_version = judged_version.unwrap_or_else(|| found.judged_version.clone());
            // A new verdict, or a look at another version, is a new review:
            // dated today unless the editor says otherwise. A corrected
            // text keeps its day.
            let reviewed_on = reviewed_on.unwrap_or(
                if found.verdict != input.verdict || found.judged_version != judged_version {
                    today
                } else {
                    found.reviewed_on
                },
            );
            let unchanged = found.verdict == input.verdict
                && found.body == input.body
                && found.published_at == published_at
                && found.judged_version == judged_version
                && found.reviewed_on == reviewed_on;
            if unchanged {
                return Ok((found, false));
            }
            // Readers saw the earlier verdict: keep it, in this transaction.
            if found.verdict != input.verdict && found.published_at.is_some() {
                review_revision::ActiveModel {
                    id: NotSet,
                    review_id: Set(found.id),
                    tool_id: Set(found.tool_id),
                    verdict: Set(found.verdict),
                    body: Set(found.body.clone()),
                    judged_version: Set(found.judged_version.clone()),
                    reviewed_on: Set(found.reviewed_on),
                    replaced_at: Set(now()),
                    replaced_by: Set(Some(edit.editor.id)),
                }
                .insert(edit.txn())
                .await?;
            }
            let before = found.clone();
            let updated = edit
                .update(
                    Action::Update,
                    &key,
                    found,
                    |row: &mut review::ActiveModel| {
                        row.verdict = Set(input.verdict);
                        row.body = Set(input.body);
                        row.published_at = Set(published_at);
                        row.judged_version = Set(judged_version);
                        row.reviewed_on = Set(reviewed_on);
                    },
                    AppError::Db,
                )
                .await?;
            // A flip readers saw: published before and after, verdict changed.
            let flipped = before.published_at.is_some()
                && updated.published_at.is_some()
                && before.verdict != updated.verdict;
            if flipped {
                webhooks::record_verdict_flip(edit.txn(), &before, &updated).await?;
            }
            Ok((updated, flipped))
        }
        None => {
            let row = review::ActiveModel {
                id: NotSet,
                tool_id: Set(tool.id),
                reviewer_id: Set(reviewer.id),
                verdict: Set(input.verdict),
                body: Set(input.body),
                published_at: Set(published_at),
                reviewed_on: Set(reviewed_on.unwrap_or(today)),
                judged_version: Set(judged_version.flatten()),
            };
            Ok((edit.insert(&key, row, AppError::Db).await?, false))
        }
    }
}

/// Deletes the reviewer's review of the tool.
pub async fn delete_review(
    db: &DatabaseConnection,
    editor: &editor::Model,
    tool_slug: &str,
    reviewer_slug: &str,
) -> Result<(), AppError> {
    let edit = Edit::begin(db, editor).await?;
    let key = format!("{reviewer_slug}/{tool_slug}");
    let tool = catalogue::tools::any(edit.txn(), tool_slug)
        .await?
        .ok_or_else(|| not_found("tool", tool_slug))?;
    let reviewer = reviewer_by_slug(edit.txn(), reviewer_slug)
        .await?
        .ok_or_else(|| not_found("reviewer", reviewer_slug))?;
    let found = review::Entity::find()
        .filter(review::Column::ToolId.eq(tool.id))
        .filter(review::Column::ReviewerId.eq(reviewer.id))
        .one(edit.txn())
        .await?
        .ok_or_else(|| not_found("review", &key))?;
    edit.delete::<review::ActiveModel>(&key, found).await?;
    edit.commit().await?;
    Ok(())
}
