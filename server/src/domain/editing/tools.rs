//! Tools: create (as a draft), update, publish, delete while nothing but
//! readers' votes and picks uses them.

use chrono::{DateTime, Utc};
use entities::{comparison, editor, pick, review, tool, vote, PricingModel};
use sea_orm::{
    ActiveEnum, ActiveValue::NotSet, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use serde_json::{json, Value};

use super::{
    category_by_slug, check_slug, check_text, check_url, not_found, slug_or_derived, taken, Action,
    Audited, Edit, Problems, Published,
};
use crate::domain::catalogue;
use crate::domain::fields;
use crate::error::AppError;

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
    /// The input with its slug derived from the name when left empty.
    fn completed(mut self) -> Self {
        self.slug = slug_or_derived(&self.slug, &self.name);
        self
    }

    /// Every field at fault, in the form's order.
    fn validate(&self) -> Result<(), AppError> {
        let mut problems = Problems::default();
        problems.check(check_text("name", &self.name, fields::TOOL_NAME));
        if !self.name.trim().is_empty() || !self.slug.is_empty() {
            problems.check(check_slug("slug", &self.slug));
        }
        problems.check(check_text("vendor", &self.vendor, fields::TOOL_VENDOR));
        if self.category.trim().is_empty() {
            problems.add("category", "choose a category");
        }
        problems.check(check_text("tagline", &self.tagline, fields::TOOL_TAGLINE));
        problems.check(check_text(
            "description",
            &self.description,
            fields::TOOL_DESCRIPTION,
        ));
        problems.check(check_text("license", &self.license, fields::TOOL_LICENSE));
        problems.check(check_text(
            "pricingEntry",
            &self.pricing_entry,
            fields::TOOL_PRICING_ENTRY,
        ));
        problems.check(check_url("websiteUrl", self.website_url.as_deref()));
        problems.done()
    }
}

impl Audited for tool::Model {
    const KIND: &'static str = "TOOL";

    fn summary(&self) -> Value {
        json!({
            "slug": self.slug, "name": self.name, "vendor": self.vendor,
            "categoryId": self.category_id, "tagline": self.tagline, "license": self.license,
            "pricing": self.pricing_model.to_value(), "entry": self.pricing_entry,
            "websiteUrl": self.website_url, "published": self.published_at.is_some(),
        })
    }
}

impl Published for tool::Model {
    fn published_at(&self) -> Option<DateTime<Utc>> {
        self.published_at
    }
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
    let input = input.completed();
    input.validate()?;
    let edit = Edit::begin(db, editor).await?;
    let category_id = tool_category(edit.txn(), &input.category).await?;
    let key = input.slug.clone();
    let row = tool::ActiveModel {
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
    };
    let created = edit.insert(&key, row, taken("slug")).await?;
    edit.commit().await?;
    Ok(created)
}

/// Updates a tool's fields (publication is separate).
pub async fn update_tool(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    input: ToolInput,
) -> Result<tool::Model, AppError> {
    let input = input.completed();
    input.validate()?;
    let edit = Edit::begin(db, editor).await?;
    let found = catalogue::tools::any(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("tool", slug))?;
    let category_id = tool_category(edit.txn(), &input.category).await?;
    let key = input.slug.clone();
    let updated = edit
        .update(
            Action::Update,
            &key,
            found,
            |row: &mut tool::ActiveModel| {
                row.slug = Set(input.slug);
                row.name = Set(input.name);
                row.vendor = Set(input.vendor);
                row.category_id = Set(category_id);
                row.tagline = Set(input.tagline);
                row.description = Set(input.description);
                row.license = Set(input.license);
                row.pricing_model = Set(input.pricing_model);
                row.pricing_entry = Set(input.pricing_entry);
                row.website_url = Set(input.website_url);
            },
            taken("slug"),
        )
        .await?;
    edit.commit().await?;
    Ok(updated)
}

/// Publishes or unpublishes a tool.
pub async fn set_tool_published(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    published: bool,
) -> Result<tool::Model, AppError> {
    let edit = Edit::begin(db, editor).await?;
    let found = catalogue::tools::any(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("tool", slug))?;
    let updated = edit
        .set_published(slug, found, published, |row: &mut tool::ActiveModel, at| {
            row.published_at = Set(at);
        })
        .await?;
    edit.commit().await?;
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
    let edit = Edit::begin(db, editor).await?;
    let txn = edit.txn();
    let found = catalogue::tools::any(txn, slug)
        .await?
        .ok_or_else(|| not_found("tool", slug))?;
    let reviews = review::Entity::find()
        .filter(review::Column::ToolId.eq(found.id))
        .count(txn)
        .await?;
    let comparisons = comparison::Entity::find()
        .filter(
            Condition::any()
                .add(comparison::Column::LeftToolId.eq(found.id))
                .add(comparison::Column::RightToolId.eq(found.id)),
        )
        .all(txn)
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
        .count(txn)
        .await?;
    // Every pick between it and another tool, whichever was picked.
    let picks = pick::Entity::find()
        .filter(
            Condition::any()
                .add(pick::Column::LowToolId.eq(found.id))
                .add(pick::Column::HighToolId.eq(found.id)),
        )
        .count(txn)
        .await?;
    if (votes > 0 || picks > 0) && !cascade_votes {
        return Err(AppError::Conflict(format!(
            "tool `{slug}` has {votes} reader vote(s) and {picks} pick(s); delete with cascadeVotes: true to remove them too"
        )));
    }
    edit.delete::<tool::ActiveModel>(slug, found).await?;
    edit.commit().await?;
    Ok(())
}
