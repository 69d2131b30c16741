//! Reading the published catalogue: what readers and anonymous clients may see.
//! A comparison is visible only when it and both its tools are published.

use std::collections::HashMap;

use entities::{comparison, review, tool};
use sea_orm::{
    sea_query::{Query, SelectStatement},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder,
};

use crate::domain::slug::is_slug;

/// `SELECT id FROM tools WHERE published_at IS NOT NULL`.
pub fn published_tool_ids() -> SelectStatement {
    Query::select()
        .column(tool::Column::Id)
        .from(tool::Entity)
        .and_where(tool::Column::PublishedAt.is_not_null())
        .to_owned()
}

/// The condition that makes a comparison visible to readers.
pub fn comparison_is_public() -> Condition {
    Condition::all()
        .add(comparison::Column::PublishedAt.is_not_null())
        .add(comparison::Column::LeftToolId.in_subquery(published_tool_ids()))
        .add(comparison::Column::RightToolId.in_subquery(published_tool_ids()))
}

/// The names of these tools, by id, in one statement.
pub async fn tool_names(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, String>, DbErr> {
    Ok(tool::Entity::find()
        .filter(tool::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect())
}

/// The published tool with this slug.
pub async fn published_tool(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<Option<tool::Model>, DbErr> {
    if !is_slug(slug) {
        return Ok(None);
    }
    tool::Entity::find()
        .filter(tool::Column::Slug.eq(slug))
        .filter(tool::Column::PublishedAt.is_not_null())
        .one(db)
        .await
}

/// The public comparison with this slug.
pub async fn published_comparison(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<Option<comparison::Model>, DbErr> {
    if !is_slug(slug) {
        return Ok(None);
    }
    comparison::Entity::find()
        .filter(comparison::Column::Slug.eq(slug))
        .filter(comparison_is_public())
        .one(db)
        .await
}

/// The public comparison of exactly this pair (left and right as given).
pub async fn published_comparison_of_pair(
    db: &DatabaseConnection,
    left_id: i64,
    right_id: i64,
) -> Result<Option<comparison::Model>, DbErr> {
    comparison::Entity::find()
        .filter(comparison::Column::LeftToolId.eq(left_id))
        .filter(comparison::Column::RightToolId.eq(right_id))
        .filter(comparison_is_public())
        .one(db)
        .await
}

/// The tool with this slug, draft or not (for editors).
pub async fn any_tool<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Option<tool::Model>, DbErr> {
    if !is_slug(slug) {
        return Ok(None);
    }
    tool::Entity::find()
        .filter(tool::Column::Slug.eq(slug))
        .one(db)
        .await
}

/// The comparison with this slug, draft or not (for editors).
pub async fn any_comparison<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Option<comparison::Model>, DbErr> {
    if !is_slug(slug) {
        return Ok(None);
    }
    comparison::Entity::find()
        .filter(comparison::Column::Slug.eq(slug))
        .one(db)
        .await
}

/// Every review of a tool, drafts included, oldest first (for editors).
pub async fn every_review_of(
    db: &DatabaseConnection,
    tool_id: i64,
) -> Result<Vec<review::Model>, DbErr> {
    review::Entity::find()
        .filter(review::Column::ToolId.eq(tool_id))
        .order_by_asc(review::Column::Id)
        .all(db)
        .await
}
