//! Editors' changes to the catalogue: validated field by field, written in a
//! transaction together with their audit entry. Deleting what others use is
//! refused with a message naming the users, or cascades only when asked.

use chrono::{SubsecRound, Utc};
use entities::{
    audit_entry, category, comparison, editor, pick, review, reviewer, tool, vote, Lens,
    PricingModel, Verdict,
};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
    SqlErr, TransactionTrait,
};
use serde_json::{json, Value};

use crate::domain::catalogue::{any_comparison, any_tool};
use crate::domain::slug::is_slug;
use crate::error::AppError;

/// What an audit entry records.
#[derive(Debug, Clone, Copy)]
enum Action {
    Create,
    Update,
    Delete,
    Publish,
    Unpublish,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Create => "CREATE",
            Action::Update => "UPDATE",
            Action::Delete => "DELETE",
            Action::Publish => "PUBLISH",
            Action::Unpublish => "UNPUBLISH",
        }
    }
}

async fn audit<C: ConnectionTrait>(
    db: &C,
    editor: &editor::Model,
    action: Action,
    entity: &str,
    key: &str,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), DbErr> {
    audit_entry::ActiveModel {
        id: NotSet,
        editor_id: Set(Some(editor.id)),
        action: Set(action.as_str().to_owned()),
        entity: Set(entity.to_owned()),
        entity_key: Set(key.to_owned()),
        before: Set(before.map(|v| v.to_string())),
        after: Set(after.map(|v| v.to_string())),
        created_at: Set(Utc::now().trunc_subsecs(6)),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// A unique-constraint violation names the field; anything else is the database's.
fn taken(field: &str) -> impl Fn(DbErr) -> AppError + '_ {
    move |error| match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::validation(field, "is already taken")
        }
        _ => AppError::Db(error),
    }
}

fn check_slug(field: &str, value: &str) -> Result<(), AppError> {
    if is_slug(value) {
        Ok(())
    } else {
        Err(AppError::validation(
            field,
            "must be 1 to 100 lowercase letters, digits and single hyphens",
        ))
    }
}

fn check_text(field: &str, value: &str, max: usize) -> Result<(), AppError> {
    if value.trim().is_empty() {
        return Err(AppError::validation(field, "must not be empty"));
    }
    if value.chars().count() > max {
        return Err(AppError::validation(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(AppError::validation(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

fn check_url(field: &str, value: Option<&str>) -> Result<(), AppError> {
    match value {
        Some(url)
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || url.len() > 500
                || url.chars().any(|c| c.is_whitespace() || c.is_control()) =>
        {
            Err(AppError::validation(field, "must be an http(s) URL"))
        }
        _ => Ok(()),
    }
}

fn not_found(what: &'static str, key: &str) -> AppError {
    AppError::NotFound {
        what,
        key: key.to_owned(),
    }
}

async fn category_by_slug<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Option<category::Model>, DbErr> {
    if !is_slug(slug) {
        return Ok(None);
    }
    category::Entity::find()
        .filter(category::Column::Slug.eq(slug))
        .one(db)
        .await
}

async fn reviewer_by_slug<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Option<reviewer::Model>, DbErr> {
    if !is_slug(slug) {
        return Ok(None);
    }
    reviewer::Entity::find()
        .filter(reviewer::Column::Slug.eq(slug))
        .one(db)
        .await
}

// ---- categories ----

/// A category's editable fields.
#[derive(Debug, Clone)]
pub struct CategoryInput {
    /// Its address.
    pub slug: String,
    /// Its name.
    pub name: String,
}

fn category_summary(c: &category::Model) -> Value {
    json!({ "slug": c.slug, "name": c.name })
}

impl CategoryInput {
    fn validate(&self) -> Result<(), AppError> {
        check_slug("slug", &self.slug)?;
        check_text("name", &self.name, 100)
    }
}

/// Creates a category.
pub async fn create_category(
    db: &DatabaseConnection,
    editor: &editor::Model,
    input: CategoryInput,
) -> Result<category::Model, AppError> {
    input.validate()?;
    let txn = db.begin().await?;
    let created = category::ActiveModel {
        id: NotSet,
        slug: Set(input.slug),
        name: Set(input.name),
    }
    .insert(&txn)
    .await
    .map_err(taken("slug"))?;
    audit(
        &txn,
        editor,
        Action::Create,
        "CATEGORY",
        &created.slug,
        None,
        Some(category_summary(&created)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Updates a category (its slug too).
pub async fn update_category(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    input: CategoryInput,
) -> Result<category::Model, AppError> {
    input.validate()?;
    let txn = db.begin().await?;
    let found = category_by_slug(&txn, slug)
        .await?
        .ok_or_else(|| not_found("category", slug))?;
    let before = category_summary(&found);
    let mut model = found.into_active_model();
    model.slug = Set(input.slug);
    model.name = Set(input.name);
    let updated = model.update(&txn).await.map_err(taken("slug"))?;
    audit(
        &txn,
        editor,
        Action::Update,
        "CATEGORY",
        &updated.slug,
        Some(before),
        Some(category_summary(&updated)),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Deletes an unused category; one that tools use is refused, naming them.
pub async fn delete_category(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    let found = category_by_slug(&txn, slug)
        .await?
        .ok_or_else(|| not_found("category", slug))?;
    let users = tool::Entity::find()
        .filter(tool::Column::CategoryId.eq(found.id))
        .all(&txn)
        .await?;
    if !users.is_empty() {
        let names: Vec<_> = users.iter().map(|t| t.slug.as_str()).collect();
        return Err(AppError::Conflict(format!(
            "category `{slug}` is used by {} tool(s): {}; move them first",
            names.len(),
            names.join(", ")
        )));
    }
    category::Entity::delete_by_id(found.id).exec(&txn).await?;
    audit(
        &txn,
        editor,
        Action::Delete,
        "CATEGORY",
        slug,
        Some(category_summary(&found)),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---- tools ----

/// A tool's editable fields.
#[derive(Debug, Clone)]
pub struct ToolInput {
    /// Its address.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Who makes it.
    pub vendor: String,
    /// Its category's slug.
    pub category: String,
    /// One line.
    pub tagline: String,
    /// A few sentences.
    pub description: String,
    /// License name.
    pub license: String,
    /// Pricing model.
    pub pricing_model: PricingModel,
    /// Entry price text.
    pub pricing_entry: String,
    /// The vendor's page.
    pub website_url: Option<String>,
}

impl ToolInput {
    fn validate(&self) -> Result<(), AppError> {
        check_slug("slug", &self.slug)?;
        check_text("name", &self.name, 100)?;
        check_text("vendor", &self.vendor, 100)?;
        check_text("tagline", &self.tagline, 200)?;
        check_text("description", &self.description, 5000)?;
        check_text("license", &self.license, 100)?;
        check_text("pricingEntry", &self.pricing_entry, 100)?;
        check_url("websiteUrl", self.website_url.as_deref())
    }
}

fn tool_summary(t: &tool::Model) -> Value {
    json!({
        "slug": t.slug, "name": t.name, "vendor": t.vendor, "categoryId": t.category_id,
        "tagline": t.tagline, "license": t.license, "pricing": t.pricing_model.to_value(),
        "entry": t.pricing_entry, "websiteUrl": t.website_url,
        "published": t.published_at.is_some(),
    })
}

async fn tool_category<C: ConnectionTrait>(db: &C, slug: &str) -> Result<i64, AppError> {
    category_by_slug(db, slug)
        .await?
        .map(|c| c.id)
        .ok_or_else(|| AppError::validation("category", format!("no category `{slug}`")))
}

/// Creates a tool, as a draft.
pub async fn create_tool(
    db: &DatabaseConnection,
    editor: &editor::Model,
    input: ToolInput,
) -> Result<tool::Model, AppError> {
    input.validate()?;
    let txn = db.begin().await?;
    let category_id = tool_category(&txn, &input.category).await?;
    let created = tool::ActiveModel {
        id: NotSet,
        slug: Set(input.slug),
        name: Set(input.name),
        vendor: Set(input.vendor),
        category_id: Set(category_id),
        tagline: Set(input.tagline),
        description: Set(input.description),
        license: Set(input.license),
        pricing_model: Set(input.pricing_model),
        pricing_entry: Set(input.pricing_entry),
        website_url: Set(input.website_url),
        published_at: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(taken("slug"))?;
    audit(
        &txn,
        editor,
        Action::Create,
        "TOOL",
        &created.slug,
        None,
        Some(tool_summary(&created)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Updates a tool's fields (publication is separate).
pub async fn update_tool(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    input: ToolInput,
) -> Result<tool::Model, AppError> {
    input.validate()?;
    let txn = db.begin().await?;
    let found = any_tool(&txn, slug)
        .await?
        .ok_or_else(|| not_found("tool", slug))?;
    let category_id = tool_category(&txn, &input.category).await?;
    let before = tool_summary(&found);
    let mut model = found.into_active_model();
    model.slug = Set(input.slug);
    model.name = Set(input.name);
    model.vendor = Set(input.vendor);
    model.category_id = Set(category_id);
    model.tagline = Set(input.tagline);
    model.description = Set(input.description);
    model.license = Set(input.license);
    model.pricing_model = Set(input.pricing_model);
    model.pricing_entry = Set(input.pricing_entry);
    model.website_url = Set(input.website_url);
    let updated = model.update(&txn).await.map_err(taken("slug"))?;
    audit(
        &txn,
        editor,
        Action::Update,
        "TOOL",
        &updated.slug,
        Some(before),
        Some(tool_summary(&updated)),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Publishes or unpublishes a tool.
pub async fn set_tool_published(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    published: bool,
) -> Result<tool::Model, AppError> {
    let txn = db.begin().await?;
    let found = any_tool(&txn, slug)
        .await?
        .ok_or_else(|| not_found("tool", slug))?;
    if found.published_at.is_some() == published {
        return Ok(found);
    }
    let before = tool_summary(&found);
    let mut model = found.into_active_model();
    model.published_at = Set(published.then(|| Utc::now().trunc_subsecs(6)));
    let updated = model.update(&txn).await?;
    let action = if published {
        Action::Publish
    } else {
        Action::Unpublish
    };
    audit(
        &txn,
        editor,
        action,
        "TOOL",
        slug,
        Some(before),
        Some(tool_summary(&updated)),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Deletes a tool. Refused while reviews or comparisons use it; readers'
/// votes and picks go with it only when `cascade_votes` says so.
pub async fn delete_tool(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    cascade_votes: bool,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    let found = any_tool(&txn, slug)
        .await?
        .ok_or_else(|| not_found("tool", slug))?;
    let reviews = review::Entity::find()
        .filter(review::Column::ToolId.eq(found.id))
        .count(&txn)
        .await?;
    let comparisons = comparison::Entity::find()
        .filter(
            Condition::any()
                .add(comparison::Column::LeftToolId.eq(found.id))
                .add(comparison::Column::RightToolId.eq(found.id)),
        )
        .all(&txn)
        .await?;
    if reviews > 0 || !comparisons.is_empty() {
        let names: Vec<_> = comparisons.iter().map(|c| c.slug.as_str()).collect();
        return Err(AppError::Conflict(format!(
            "tool `{slug}` is used by {reviews} review(s) and {} comparison(s){}{}; delete those first",
            names.len(),
            if names.is_empty() { "" } else { ": " },
            names.join(", ")
        )));
    }
    let votes = vote::Entity::find()
        .filter(vote::Column::ToolId.eq(found.id))
        .count(&txn)
        .await?;
    let picks = pick::Entity::find()
        .filter(pick::Column::ToolId.eq(found.id))
        .count(&txn)
        .await?;
    if (votes > 0 || picks > 0) && !cascade_votes {
        return Err(AppError::Conflict(format!(
            "tool `{slug}` has {votes} reader vote(s) and {picks} pick(s); delete with cascadeVotes: true to remove them too"
        )));
    }
    tool::Entity::delete_by_id(found.id).exec(&txn).await?;
    audit(
        &txn,
        editor,
        Action::Delete,
        "TOOL",
        slug,
        Some(tool_summary(&found)),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---- reviewers ----

/// A reviewer's editable fields.
#[derive(Debug, Clone)]
pub struct ReviewerInput {
    /// Their address.
    pub slug: String,
    /// Full name.
    pub name: String,
    /// Their lens.
    pub lens: Lens,
    /// Who they are.
    pub bio: String,
}

impl ReviewerInput {
    fn validate(&self) -> Result<(), AppError> {
        check_slug("slug", &self.slug)?;
        check_text("name", &self.name, 100)?;
        check_text("bio", &self.bio, 2000)
    }
}

fn reviewer_summary(r: &reviewer::Model) -> Value {
    json!({ "slug": r.slug, "name": r.name, "lens": r.lens.to_value(), "bio": r.bio })
}

/// Creates a reviewer.
pub async fn create_reviewer(
    db: &DatabaseConnection,
    editor: &editor::Model,
    input: ReviewerInput,
) -> Result<reviewer::Model, AppError> {
    input.validate()?;
    let txn = db.begin().await?;
    let created = reviewer::ActiveModel {
        id: NotSet,
        slug: Set(input.slug),
        name: Set(input.name),
        lens: Set(input.lens),
        bio: Set(input.bio),
    }
    .insert(&txn)
    .await
    .map_err(taken("slug"))?;
    audit(
        &txn,
        editor,
        Action::Create,
        "REVIEWER",
        &created.slug,
        None,
        Some(reviewer_summary(&created)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Updates a reviewer.
pub async fn update_reviewer(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    input: ReviewerInput,
) -> Result<reviewer::Model, AppError> {
    input.validate()?;
    let txn = db.begin().await?;
    let found = reviewer_by_slug(&txn, slug)
        .await?
        .ok_or_else(|| not_found("reviewer", slug))?;
    let before = reviewer_summary(&found);
    let mut model = found.into_active_model();
    model.slug = Set(input.slug);
    model.name = Set(input.name);
    model.lens = Set(input.lens);
    model.bio = Set(input.bio);
    let updated = model.update(&txn).await.map_err(taken("slug"))?;
    audit(
        &txn,
        editor,
        Action::Update,
        "REVIEWER",
        &updated.slug,
        Some(before),
        Some(reviewer_summary(&updated)),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Deletes a reviewer without reviews; one with reviews is refused.
pub async fn delete_reviewer(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    let found = reviewer_by_slug(&txn, slug)
        .await?
        .ok_or_else(|| not_found("reviewer", slug))?;
    let reviews = review::Entity::find()
        .filter(review::Column::ReviewerId.eq(found.id))
        .count(&txn)
        .await?;
    if reviews > 0 {
        return Err(AppError::Conflict(format!(
            "reviewer `{slug}` has written {reviews} review(s); delete those first"
        )));
    }
    reviewer::Entity::delete_by_id(found.id).exec(&txn).await?;
    audit(
        &txn,
        editor,
        Action::Delete,
        "REVIEWER",
        slug,
        Some(reviewer_summary(&found)),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---- reviews ----

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
}

fn review_summary(r: &review::Model) -> Value {
    json!({ "verdict": r.verdict.to_value(), "body": r.body, "published": r.published_at.is_some() })
}

/// Creates or replaces the reviewer's review of the tool.
pub async fn upsert_review(
    db: &DatabaseConnection,
    editor: &editor::Model,
    input: ReviewInput,
) -> Result<review::Model, AppError> {
    let txn = db.begin().await?;
    let saved = upsert_review_in(&txn, editor, input).await?;
    txn.commit().await?;
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
    let mut seen = std::collections::HashSet::new();
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
    let txn = db.begin().await?;
    let mut saved = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.into_iter().enumerate() {
        let review = upsert_review_in(&txn, editor, input)
            .await
            .map_err(|error| match error {
                AppError::Validation { field, message } => AppError::Validation {
                    field: format!("input[{i}].{field}"),
                    message,
                },
                other => other,
            })?;
        saved.push(review);
    }
    txn.commit().await?;
    Ok(saved)
}

async fn upsert_review_in<C: ConnectionTrait>(
    txn: &C,
    editor: &editor::Model,
    input: ReviewInput,
) -> Result<review::Model, AppError> {
    check_text("body", &input.body, 10_000)?;
    let tool = any_tool(txn, &input.tool)
        .await?
        .ok_or_else(|| AppError::validation("tool", format!("no tool `{}`", input.tool)))?;
    let reviewer = reviewer_by_slug(txn, &input.reviewer)
        .await?
        .ok_or_else(|| {
            AppError::validation("reviewer", format!("no reviewer `{}`", input.reviewer))
        })?;
    let key = format!("{}/{}", reviewer.slug, tool.slug);
    let existing = review::Entity::find()
        .filter(review::Column::ToolId.eq(tool.id))
        .filter(review::Column::ReviewerId.eq(reviewer.id))
        .one(txn)
        .await?;
    let published_at = match (&existing, input.published) {
        (Some(r), true) if r.published_at.is_some() => r.published_at,
        (_, true) => Some(Utc::now().trunc_subsecs(6)),
        (_, false) => None,
    };
    let (saved, before) = match existing {
        Some(found) => {
            let before = review_summary(&found);
            let unchanged = found.verdict == input.verdict
                && found.body == input.body
                && found.published_at == published_at;
            if unchanged {
                return Ok(found);
            }
            let mut model = found.into_active_model();
            model.verdict = Set(input.verdict);
            model.body = Set(input.body);
            model.published_at = Set(published_at);
            (model.update(txn).await?, Some(before))
        }
        None => {
            let model = review::ActiveModel {
                id: NotSet,
                tool_id: Set(tool.id),
                reviewer_id: Set(reviewer.id),
                verdict: Set(input.verdict),
                body: Set(input.body),
                published_at: Set(published_at),
            };
            (model.insert(txn).await?, None)
        }
    };
    let action = if before.is_some() {
        Action::Update
    } else {
        Action::Create
    };
    audit(
        txn,
        editor,
        action,
        "REVIEW",
        &key,
        before,
        Some(review_summary(&saved)),
    )
    .await?;
    Ok(saved)
}

/// Deletes the reviewer's review of the tool.
pub async fn delete_review(
    db: &DatabaseConnection,
    editor: &editor::Model,
    tool_slug: &str,
    reviewer_slug: &str,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    let key = format!("{reviewer_slug}/{tool_slug}");
    let tool = any_tool(&txn, tool_slug)
        .await?
        .ok_or_else(|| not_found("tool", tool_slug))?;
    let reviewer = reviewer_by_slug(&txn, reviewer_slug)
        .await?
        .ok_or_else(|| not_found("reviewer", reviewer_slug))?;
    let found = review::Entity::find()
        .filter(review::Column::ToolId.eq(tool.id))
        .filter(review::Column::ReviewerId.eq(reviewer.id))
        .one(&txn)
        .await?
        .ok_or_else(|| not_found("review", &key))?;
    review::Entity::delete_by_id(found.id).exec(&txn).await?;
    audit(
        &txn,
        editor,
        Action::Delete,
        "REVIEW",
        &key,
        Some(review_summary(&found)),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

// ---- comparisons ----

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

fn comparison_summary(c: &comparison::Model) -> Value {
    json!({
        "slug": c.slug, "title": c.title, "summary": c.summary,
        "leftToolId": c.left_tool_id, "rightToolId": c.right_tool_id,
        "published": c.published_at.is_some(),
    })
}

async fn comparison_tools<C: ConnectionTrait>(
    db: &C,
    input: &ComparisonInput,
) -> Result<(i64, i64), AppError> {
    check_slug("slug", &input.slug)?;
    check_text("title", &input.title, 200)?;
    check_text("summary", &input.summary, 5000)?;
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
    let txn = db.begin().await?;
    let (left, right) = comparison_tools(&txn, &input).await?;
    let created = comparison::ActiveModel {
        id: NotSet,
        slug: Set(input.slug),
        title: Set(input.title),
        summary: Set(input.summary),
        left_tool_id: Set(left),
        right_tool_id: Set(right),
        published_at: Set(None),
    }
    .insert(&txn)
    .await
    .map_err(pair_or_slug_taken)?;
    audit(
        &txn,
        editor,
        Action::Create,
        "COMPARISON",
        &created.slug,
        None,
        Some(comparison_summary(&created)),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

/// Updates a comparison's fields (publication is separate).
pub async fn update_comparison(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    input: ComparisonInput,
) -> Result<comparison::Model, AppError> {
    let txn = db.begin().await?;
    let found = any_comparison(&txn, slug)
        .await?
        .ok_or_else(|| not_found("comparison", slug))?;
    let (left, right) = comparison_tools(&txn, &input).await?;
    let before = comparison_summary(&found);
    let mut model = found.into_active_model();
    model.slug = Set(input.slug);
    model.title = Set(input.title);
    model.summary = Set(input.summary);
    model.left_tool_id = Set(left);
    model.right_tool_id = Set(right);
    let updated = model.update(&txn).await.map_err(pair_or_slug_taken)?;
    audit(
        &txn,
        editor,
        Action::Update,
        "COMPARISON",
        &updated.slug,
        Some(before),
        Some(comparison_summary(&updated)),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Publishes or unpublishes a comparison.
pub async fn set_comparison_published(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    published: bool,
) -> Result<comparison::Model, AppError> {
    let txn = db.begin().await?;
    let found = any_comparison(&txn, slug)
        .await?
        .ok_or_else(|| not_found("comparison", slug))?;
    if found.published_at.is_some() == published {
        return Ok(found);
    }
    let before = comparison_summary(&found);
    let mut model = found.into_active_model();
    model.published_at = Set(published.then(|| Utc::now().trunc_subsecs(6)));
    let updated = model.update(&txn).await?;
    let action = if published {
        Action::Publish
    } else {
        Action::Unpublish
    };
    audit(
        &txn,
        editor,
        action,
        "COMPARISON",
        slug,
        Some(before),
        Some(comparison_summary(&updated)),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// Deletes a comparison; readers' picks go with it only when `cascade_picks` says so.
pub async fn delete_comparison(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    cascade_picks: bool,
) -> Result<(), AppError> {
    let txn = db.begin().await?;
    let found = any_comparison(&txn, slug)
        .await?
        .ok_or_else(|| not_found("comparison", slug))?;
    let picks = pick::Entity::find()
        .filter(pick::Column::ComparisonId.eq(found.id))
        .count(&txn)
        .await?;
    if picks > 0 && !cascade_picks {
        return Err(AppError::Conflict(format!(
            "comparison `{slug}` has {picks} reader pick(s); delete with cascadePicks: true to remove them too"
        )));
    }
    comparison::Entity::delete_by_id(found.id)
        .exec(&txn)
        .await?;
    audit(
        &txn,
        editor,
        Action::Delete,
        "COMPARISON",
        slug,
        Some(comparison_summary(&found)),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
