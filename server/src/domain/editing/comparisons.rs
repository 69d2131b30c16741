//! Curated comparisons of two tools: create (as a draft), update, publish,
//! delete (readers' picks go with it only when asked).

use chrono::{DateTime, Utc};
use entities::{comparison, editor, pick};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, Set, SqlErr,
};
use serde_json::{json, Value};

use super::{check_slug, check_text, not_found, Action, Audited, Edit, Published};
use crate::domain::catalogue::{any_comparison, any_tool};
use crate::domain::fields;
use crate::domain::webhooks::{self, EventType};
use crate::error::AppError;

/// A comparison's editable fields.
#[derive(Debug, Clone)]
pub struct ComparisonInput {
    /// Its address.
    pub slug: String,
    /// The editor's title.
    pub title: String,
    /// The editor's summary.
    pub summary: String,
    /// The left tool's slug.
    pub left: String,
    /// The right tool's slug.
    pub right: String,
}

impl Audited for comparison::Model {
    const KIND: &'static str = "COMPARISON";

    fn summary(&self) -> Value {
        json!({
            "slug": self.slug, "title": self.title, "summary": self.summary,
            "leftToolId": self.left_tool_id, "rightToolId": self.right_tool_id,
            "published": self.published_at.is_some(),
        })
    }
}

impl Published for comparison::Model {
    fn published_at(&self) -> Option<DateTime<Utc>> {
        self.published_at
    }
}

/// Checks the fields and finds the two tools' ids.
async fn comparison_tools<C: ConnectionTrait>(
    db: &C,
    input: &ComparisonInput,
) -> Result<(i64, i64), AppError> {
    check_slug("slug", &input.slug)?;
    check_text("title", &input.title, fields::COMPARISON_TITLE)?;
    check_text("summary", &input.summary, fields::COMPARISON_SUMMARY)?;
    if input.left == input.right {
        return Err(AppError::validation(
            "right",
            "must differ from the left tool",
        ));
    }
    let left = any_tool(db, &input.left)
        .await?
        .ok_or_else(|| AppError::validation("left", format!("no tool `{}`", input.left)))?;
    let right = any_tool(db, &input.right)
        .await?
        .ok_or_else(|| AppError::validation("right", format!("no tool `{}`", input.right)))?;
    Ok((left.id, right.id))
}

/// The unique pair constraint names the field too.
fn pair_or_slug_taken(error: DbErr) -> AppError {
    match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(message))
            if message.contains("left_tool_id") || message.contains("one_per_pair") =>
        {
            AppError::validation("right", "these two tools are already compared")
        }
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::validation("slug", "is already taken")
        }
        _ => AppError::Db(error),
    }
}

/// Creates a comparison, as a draft.
pub async fn create_comparison(
    db: &DatabaseConnection,
    editor: &editor::Model,
    input: ComparisonInput,
) -> Result<comparison::Model, AppError> {
    let edit = Edit::begin(db, editor).await?;
    let (left, right) = comparison_tools(edit.txn(), &input).await?;
    let key = input.slug.clone();
    let row = comparison::ActiveModel {
        id: NotSet,
        slug: Set(input.slug),
        title: Set(input.title),
        summary: Set(input.summary),
        left_tool_id: Set(left),
        right_tool_id: Set(right),
        published_at: Set(None),
    };
    let created = edit.insert(&key, row, pair_or_slug_taken).await?;
    edit.commit().await?;
    Ok(created)
}

/// Updates a comparison's fields (publication is separate).
pub async fn update_comparison(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    input: ComparisonInput,
) -> Result<comparison::Model, AppError> {
    let edit = Edit::begin(db, editor).await?;
    let found = any_comparison(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("comparison", slug))?;
    let (left, right) = comparison_tools(edit.txn(), &input).await?;
    let key = input.slug.clone();
    let before = found.clone();
    let updated = edit
        .update(
            Action::Update,
            &key,
            found,
            |row: &mut comparison::ActiveModel| {
                row.slug = Set(input.slug);
                row.title = Set(input.title);
                row.summary = Set(input.summary);
                row.left_tool_id = Set(left);
                row.right_tool_id = Set(right);
            },
            pair_or_slug_taken,
        )
        .await?;
    // Readers (and so webhooks) see a change only of a published comparison.
    let told = updated.published_at.is_some() && before != updated;
    if told {
        webhooks::record_comparison(
            edit.txn(),
            EventType::ComparisonUpdated,
            Some(&before),
            &updated,
        )
        .await?;
    }
    edit.commit().await?;
    if told {
        webhooks::wake();
    }
    Ok(updated)
}

/// Publishes or unpublishes a comparison. Readers see a comparison only
/// once both its tools are published: publishing one whose tools are
/// drafts is refused with their names (`CONFLICT`), unless `with_tools`
/// says to publish them with it, in the same transaction.
pub async fn set_comparison_published(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    published: bool,
    with_tools: bool,
) -> Result<comparison::Model, AppError> {
    let edit = Edit::begin(db, editor).await?;
    let found = any_comparison(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("comparison", slug))?;
    if published {
        let mut drafts = Vec::new();
        for id in [found.left_tool_id, found.right_tool_id] {
            if let Some(tool) = entities::tool::Entity::find_by_id(id)
                .one(edit.txn())
                .await?
            {
                if tool.published_at.is_none() {
                    drafts.push(tool);
                }
            }
        }
        if !drafts.is_empty() && !with_tools {
            let names: Vec<String> = drafts.iter().map(|t| format!("`{}`", t.slug)).collect();
            return Err(AppError::Conflict(format!(
                "readers would not see `{slug}`: its tool{} {} {} still a draft; publish {} first, \
                 or publish the comparison with its tools (withTools: true)",
                if drafts.len() == 1 { "" } else { "s" },
                names.join(" and "),
                if drafts.len() == 1 { "is" } else { "are" },
                if drafts.len() == 1 { "it" } else { "them" },
            )));
        }
        for tool in drafts {
            let key = tool.slug.clone();
            edit.set_published(
                &key,
                tool,
                true,
                |row: &mut entities::tool::ActiveModel, at| {
                    row.published_at = Set(at);
                },
            )
            .await?;
        }
    }
    let newly_published = published && found.published_at.is_none();
    let updated = edit
        .set_published(
            slug,
            found,
            published,
            |row: &mut comparison::ActiveModel, at| row.published_at = Set(at),
        )
        .await?;
    if newly_published {
        webhooks::record_comparison(edit.txn(), EventType::ComparisonPublished, None, &updated)
            .await?;
    }
    edit.commit().await?;
    if newly_published {
        webhooks::wake();
    }
    Ok(updated)
}

/// Deletes a comparison; readers' picks go with it only when `cascade_picks` says so.
pub async fn delete_comparison(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    cascade_picks: bool,
) -> Result<(), AppError> {
    let edit = Edit::begin(db, editor).await?;
    let found = any_comparison(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("comparison", slug))?;
    let picks = pick::Entity::find()
        .filter(pick::Column::ComparisonId.eq(found.id))
        .count(edit.txn())
        .await?;
    if picks > 0 && !cascade_picks {
        return Err(AppError::Conflict(format!(
            "comparison `{slug}` has {picks} reader pick(s); delete with cascadePicks: true to remove them too"
        )));
    }
    edit.delete::<comparison::ActiveModel>(slug, found).await?;
    edit.commit().await?;
    Ok(())
}
