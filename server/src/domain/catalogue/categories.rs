//! Reading categories: every category is public.

use entities::category;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Select,
};

use crate::domain::slug::is_slug;

/// Every category, by slug.
pub async fn all(db: &DatabaseConnection) -> Result<Vec<category::Model>, DbErr> {
    category::Entity::find()
        .order_by_asc(category::Column::Slug)
        .all(db)
        .await
}

/// Every category, by name.
pub async fn all_by_name(db: &DatabaseConnection) -> Result<Vec<category::Model>, DbErr> {
    category::Entity::find()
        .order_by_asc(category::Column::Name)
        .all(db)
        .await
}

/// The category with this slug (no statement when it cannot be one).
pub async fn by_slug(
    db: &DatabaseConnection,
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

/// The category with this id.
pub async fn by_id(db: &DatabaseConnection, id: i64) -> Result<Option<category::Model>, DbErr> {
    category::Entity::find_by_id(id).one(db).await
}

/// Every category, unordered (the API pages them by slug).
pub fn list() -> Select<category::Entity> {
    category::Entity::find()
}
