//! Categories: create, rename, delete while no tool uses them.

use entities::{category, editor, tool};
use sea_orm::{
    ActiveValue::NotSet, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set,
};
use serde_json::{json, Value};

use super::{category_by_slug, check_slug, check_text, not_found, taken, Action, Audited, Edit};
use crate::domain::fields;
use crate::error::AppError;

/// A category's editable fields.
#[derive(Debug, Clone)]
pub struct CategoryInput {
    /// Its address.
    pub slug: String,
    /// Its name.
    pub name: String,
}

impl CategoryInput {
    fn validate(&self) -> Result<(), AppError> {
        check_slug("slug", &self.slug)?;
        check_text("name", &self.name, fields::CATEGORY_NAME)
    }
}

impl Audited for category::Model {
    const KIND: &'static str = "CATEGORY";

    fn summary(&self) -> Value {
        json!({ "slug": self.slug, "name": self.name })
    }
}

/// Creates a category.
pub async fn create_category(
    db: &DatabaseConnection,
    editor: &editor::Model,
    input: CategoryInput,
) -> Result<category::Model, AppError> {
    input.validate()?;
    let edit = Edit::begin(db, editor).await?;
    let row = category::ActiveModel {
        id: NotSet,
        slug: Set(input.slug.clone()),
        name: Set(input.name),
    };
    let created = edit.insert(&input.slug, row, taken("slug")).await?;
    edit.commit().await?;
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
    let edit = Edit::begin(db, editor).await?;
    let found = category_by_slug(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("category", slug))?;
    let key = input.slug.clone();
    let updated = edit
        .update(
            Action::Update,
            &key,
            found,
            |row: &mut category::ActiveModel| {
                row.slug = Set(input.slug);
                row.name = Set(input.name);
            },
            taken("slug"),
        )
        .await?;
    edit.commit().await?;
    Ok(updated)
}

/// Deletes an unused category; one that tools use is refused, naming them.
pub async fn delete_category(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
) -> Result<(), AppError> {
    let edit = Edit::begin(db, editor).await?;
    let found = category_by_slug(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("category", slug))?;
    let users = tool::Entity::find()
        .filter(tool::Column::CategoryId.eq(found.id))
        .all(edit.txn())
        .await?;
    if !users.is_empty() {
        let names: Vec<_> = users.iter().map(|t| t.slug.as_str()).collect();
        return Err(AppError::Conflict(format!(
            "category `{slug}` is used by {} tool(s): {}; move them first",
            names.len(),
            names.join(", ")
        )));
    }
    edit.delete::<category::ActiveModel>(slug, found).await?;
    edit.commit().await?;
    Ok(())
}
