//! Reading the published catalogue: what readers and anonymous clients may see.

use entities::{comparison, tool};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter};

/// The published tool with this slug.
pub async fn published_tool(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<Option<tool::Model>, DbErr> {
    tool::Entity::find()
        .filter(tool::Column::Slug.eq(slug))
        .filter(tool::Column::PublishedAt.is_not_null())
        .one(db)
        .await
}

/// The published comparison with this slug.
pub async fn published_comparison(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<Option<comparison::Model>, DbErr> {
    comparison::Entity::find()
        .filter(comparison::Column::Slug.eq(slug))
        .filter(comparison::Column::PublishedAt.is_not_null())
        .one(db)
        .await
}

/// The published comparison of exactly this pair (left and right as given).
pub async fn published_comparison_of_pair(
    db: &DatabaseConnection,
    left_id: i64,
    right_id: i64,
) -> Result<Option<comparison::Model>, DbErr> {
    comparison::Entity::find()
        .filter(comparison::Column::LeftToolId.eq(left_id))
        .filter(comparison::Column::RightToolId.eq(right_id))
        .filter(comparison::Column::PublishedAt.is_not_null())
        .one(db)
        .await
}
