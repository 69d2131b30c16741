//! The panel: create, update, delete a reviewer who has written nothing.

use entities::{editor, review, reviewer, Lens};
use sea_orm::{
    ActiveEnum, ActiveValue::NotSet, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};
use serde_json::{json, Value};

use super::{
    check_slug, check_text, not_found, reviewer_by_slug, slug_or_derived, taken, Action, Audited,
    Edit, Problems,
};
use crate::domain::fields;
use crate::error::AppError;

/// A reviewer's editable fields.
#[derive(Debug, Clone)]
pub struct ReviewerInput {
    /// Their address.
    pub slug: String,
    /// Full name.
    pub name: String,
    /// Their lens; none is refused (the form starts unchosen).
    pub lens: Option<Lens>,
    /// Who they are.
    pub bio: String,
}

impl ReviewerInput {
    /// The input with its slug derived from the name when left empty.
    fn completed(mut self) -> Self {
        self.slug = slug_or_derived(&self.slug, &self.name);
        self
    }

    /// Every field at fault, in the form's order.
    fn validate(&self) -> Result<(), AppError> {
        let mut problems = Problems::default();
        problems.check(check_text("name", &self.name, fields::REVIEWER_NAME));
        if !self.name.trim().is_empty() || !self.slug.is_empty() {
            problems.check(check_slug("slug", &self.slug));
        }
        if self.lens.is_none() {
            problems.add("lens", "choose a lens");
        }
        problems.check(check_text("bio", &self.bio, fields::REVIEWER_BIO));
        problems.done()
    }

    /// Its lens once every field is valid.
    fn validated(&self) -> Result<Lens, AppError> {
        self.validate()?;
        self.lens
            .ok_or_else(|| AppError::validation("lens", "choose a lens"))
    }
}

impl Audited for reviewer::Model {
    const KIND: &'static str = "REVIEWER";

    fn summary(&self) -> Value {
        json!({ "slug": self.slug, "name": self.name, "lens": self.lens.to_value(), "bio": self.bio })
    }
}

/// Creates a reviewer.
pub async fn create_reviewer(
    db: &DatabaseConnection,
    editor: &editor::Model,
    input: ReviewerInput,
) -> Result<reviewer::Model, AppError> {
    let input = input.completed();
    let lens = input.validated()?;
    let edit = Edit::begin(db, editor).await?;
    let key = input.slug.clone();
    let row = reviewer::ActiveModel {
        id: NotSet,
        slug: Set(input.slug),
        name: Set(input.name),
        lens: Set(lens),
        bio: Set(input.bio),
    };
    let created = edit.insert(&key, row, taken("slug")).await?;
    edit.commit().await?;
    Ok(created)
}

/// Updates a reviewer.
pub async fn update_reviewer(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    input: ReviewerInput,
) -> Result<reviewer::Model, AppError> {
    let input = input.completed();
    let lens = input.validated()?;
    let edit = Edit::begin(db, editor).await?;
    let found = reviewer_by_slug(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("reviewer", slug))?;
    let key = input.slug.clone();
    let updated = edit
        .update(
            Action::Update,
            &key,
            found,
            |row: &mut reviewer::ActiveModel| {
                row.slug = Set(input.slug);
                row.name = Set(input.name);
                row.lens = Set(lens);
                row.bio = Set(input.bio);
            },
            taken("slug"),
        )
        .await?;
    edit.commit().await?;
    Ok(updated)
}

/// Deletes a reviewer without reviews; one with reviews is refused.
pub async fn delete_reviewer(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
) -> Result<(), AppError> {
    let edit = Edit::begin(db, editor).await?;
    let found = reviewer_by_slug(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("reviewer", slug))?;
    let reviews = review::Entity::find()
        .filter(review::Column::ReviewerId.eq(found.id))
        .count(edit.txn())
        .await?;
    if reviews > 0 {
        return Err(AppError::Conflict(format!(
            "reviewer `{slug}` has written {reviews} review(s); delete those first"
        )));
    }
    edit.delete::<reviewer::ActiveModel>(slug, found).await?;
    edit.commit().await?;
    Ok(())
}
