//! Reading the expert panel: every reviewer is public.

use entities::reviewer;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Select,
};

use super::containing;
use crate::domain::slug::is_slug;

/// Every reviewer of the panel, by slug.
pub async fn all(db: &DatabaseConnection) -> Result<Vec<reviewer::Model>, DbErr> {
    reviewer::Entity::find()
        .order_by_asc(reviewer::Column::Slug)
        .all(db)
        .await
}

/// The reviewer with this slug (no statement when it cannot be one).
pub async fn by_slug(
    db: &DatabaseConnection,
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

/// The reviewer with this id.
pub async fn by_id(db: &DatabaseConnection, id: i64) -> Result<Option<reviewer::Model>, DbErr> {
    reviewer::Entity::find_by_id(id).one(db).await
}

/// The reviewers whose name or slug contains `search` (all without one),
/// unordered (the API pages them by slug).
pub fn list(search: Option<&str>) -> Select<reviewer::Entity> {
    let mut query = reviewer::Entity::find();
    if let Some(matching) = containing(&[reviewer::Column::Name, reviewer::Column::Slug], search) {
        query = query.filter(matching);
    }
    query
}
