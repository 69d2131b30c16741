//! Curated comparisons of two tools: create (as a draft), update, publish,
//! delete (readers' picks, which are the pair's, go with it only when asked).

use chrono::{DateTime, Utc};
use entities::{comparison, editor, pick};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set, SqlErr,
};
use serde_json::{json, Value};

use super::{check_slug, check_text, not_found, now, Action, Audited, Edit, Problems, Published};
use crate::domain::catalogue;
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
    /// The editor's one-line verdict, if any.
    pub verdict_line: Option<String>,
    /// Who wrote the verdict, if it should be signed.
    pub byline: Option<String>,
}

impl Audited for comparison::Model {
    const KIND: &'static str = "COMPARISON";

    fn summary(&self) -> Value {
        json!({
            "slug": self.slug, "title": self.title, "summary": self.summary,
            "leftToolId": self.left_tool_id, "rightToolId": self.right_tool_id,
            "verdictLine": self.verdict_line, "byline": self.byline,
            "published": self.published_at.is_some(),
        })
    }
}

impl Published for comparison::Model {
    fn published_at(&self) -> Option<DateTime<Utc>> {
        self.published_at
    }
}

/// Checks every field at once (a title and slug left empty are derived
/// from the two tools: "Cursor vs GitHub Copilot", `cursor-vs-github-copilot`);
/// the completed input and the two tools' ids.
async fn comparison_tools<C: ConnectionTrait>(
    db: &C,
    mut input: ComparisonInput,
) -> Result<(ComparisonInput, i64, i64), AppError> {
    let left = side(db, "left", &input.left).await?;
    let right = side(db, "right", &input.right).await?;
    let both = matches!((&left, &right), (Ok(_), Ok(_)));
    if let (Ok(left), Ok(right)) = (&left, &right) {
        if input.title.trim().is_empty() {
            input.title = format!("{} vs {}", left.name, right.name);
        }
        if input.slug.trim().is_empty() {
            input.slug = format!("{}-vs-{}", left.slug, right.slug);
        }
    }
    let mut problems = Problems::default();
    // Left empty without both tools, title and slug wait for them: the
    // tools' own errors say what is missing.
    if both || !input.title.trim().is_empty() {
        problems.check(check_text("title", &input.title, fields::COMPARISON_TITLE));
    }
    if both || !input.slug.trim().is_empty() {
        problems.check(check_slug("slug", &input.slug));
    }
    problems.check(check_text(
        "summary",
        &input.summary,
        fields::COMPARISON_SUMMARY,
    ));
    problems.check(check_line(
        "verdictLine",
        input.verdict_line.as_deref(),
        fields::COMPARISON_VERDICT_LINE,
    ));
    problems.check(check_line(
        "byline",
        input.byline.as_deref(),
        fields::COMPARISON_BYLINE,
    ));
    match (&left, &right) {
        (Ok(l), Ok(r)) if l.id == r.id => problems.add("right", "must differ from the left tool"),
        _ => {
            for found in [&left, &right] {
                if let Err((field, message)) = found {
                    problems.add(field, message);
                }
            }
        }
    }
    problems.done()?;
    match (left, right) {
        (Ok(left), Ok(right)) => Ok((input, left.id, right.id)),
        // A missing tool was reported above.
        _ => Err(AppError::validation("left", "choose a tool")),
    }
}

/// The tool chosen for one side, or that side's field error.
async fn side<C: ConnectionTrait>(
    db: &C,
    field: &str,
    slug: &str,
) -> Result<Result<entities::tool::Model, (String, String)>, AppError> {
    let slug = slug.trim();
    if slug.is_empty() {
        return Ok(Err((field.to_owned(), "choose a tool".to_owned())));
    }
    Ok(catalogue::tools::any(db, slug)
        .await?
        .ok_or_else(|| (field.to_owned(), format!("no tool `{slug}`"))))
}

/// An optional one-line text: absent, or a text by `rule` without line breaks.
fn check_line(field: &str, value: Option<&str>, rule: fields::TextRule) -> Result<(), AppError> {
    let Some(value) = value else {
        return Ok(());
    };
    check_text(field, value, rule)?;
    if !fields::is_one_line(value) {
        return Err(AppError::validation(field, "must be one line"));
    }
    Ok(())
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
    let (input, left, right) = comparison_tools(edit.txn(), input).await?;
    let key = input.slug.clone();
    let row = comparison::ActiveModel {
        id: NotSet,
        slug: Set(input.slug),
        title: Set(input.title),
        summary: Set(input.summary),
        left_tool_id: Set(left),
        right_tool_id: Set(right),
        published_at: Set(None),
        verdict_line: Set(input.verdict_line),
        byline: Set(input.byline),
        updated_at: Set(Some(now())),
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
    let found = catalogue::comparisons::any(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("comparison", slug))?;
    let (input, left, right) = comparison_tools(edit.txn(), input).await?;
    let key = input.slug.clone();
    // "Updated" tells readers the page changed: a save that changes nothing
    // they see keeps the date it had.
    let changed = found.slug != input.slug
        || found.title != input.title
        || found.summary != input.summary
        || found.left_tool_id != left
        || found.right_tool_id != right
        || found.verdict_line != input.verdict_line
        || found.byline != input.byline;
    let updated_at = if changed {
        Some(now())
    } else {
        found.updated_at
    };
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
                row.verdict_line = Set(input.verdict_line);
                row.byline = Set(input.byline);
                row.updated_at = Set(updated_at);
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
    let found = catalogue::comparisons::any(edit.txn(), slug)
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

/// Deletes a comparison. Readers' picks belong to its pair of tools, so
/// they stay (the pair's page shows them) unless `cascade_picks` says to
/// delete them too.
pub async fn delete_comparison(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    cascade_picks: bool,
) -> Result<(), AppError> {
    let edit = Edit::begin(db, editor).await?;
    let found = catalogue::comparisons::any(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("comparison", slug))?;
    if cascade_picks {
        let (low, high) = pick::pair(found.left_tool_id, found.right_tool_id);
        pick::Entity::delete_many()
            .filter(pick::Column::LowToolId.eq(low))
            .filter(pick::Column::HighToolId.eq(high))
            .exec(edit.txn())
            .await?;
    }
    edit.delete::<comparison::ActiveModel>(slug, found).await?;
    edit.commit().await?;
    Ok(())
}
