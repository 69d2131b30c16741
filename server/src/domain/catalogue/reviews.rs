//! Reading the panel's reviews: published ones of published tools for
//! readers, every one for editors.

use entities::review;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Select,
};

use super::{public, tools};

/// Every review of a tool, drafts included, oldest first (for editors).
pub async fn every_of(db: &DatabaseConnection, tool_id: i64) -> Result<Vec<review::Model>, DbErr> {
    review::Entity::find()
        .filter(review::Column::ToolId.eq(tool_id))
        .order_by_asc(review::Column::Id)
        .all(db)
        .await
}

/// The review with this id, draft or not: [`visible`] says who may see it.
pub async fn by_id(db: &DatabaseConnection, id: i64) -> Result<Option<review::Model>, DbErr> {
    review::Entity::find_by_id(id).one(db).await
}

/// Whether readers may see `review`: it published, and its tool (one
/// statement); editors (`drafts`) see every one, without a statement.
pub async fn visible(
    db: &DatabaseConnection,
    review: &review::Model,
    drafts: bool,
) -> Result<bool, DbErr> {
    Ok(drafts
        || (public::review_model(review)
            && tools::by_id(db, review.tool_id, false).await?.is_some()))
}

/// The published reviews of these tools (only `reviewer`'s, when given),
/// in no order. Their tools' publication is the caller's to check.
pub async fn published_of_tools(
    db: &DatabaseConnection,
    tool_ids: &[i64],
    reviewer: Option<i64>,
) -> Result<Vec<review::Model>, DbErr> {
    let mut reviews = review::Entity::find()
        .filter(review::Column::ToolId.is_in(tool_ids.iter().copied()))
        .filter(public::review());
    if let Some(reviewer) = reviewer {
        reviews = reviews.filter(review::Column::ReviewerId.eq(reviewer));
    }
    reviews.all(db).await
}

/// A reviewer's reviews readers see: published, of published tools
/// (unordered: the API pages them).
pub fn public_by(reviewer_id: i64) -> Select<review::Entity> {
    review::Entity::find()
        .filter(review::Column::ReviewerId.eq(reviewer_id))
        .filter(public::review())
        .filter(review::Column::ToolId.in_subquery(tools::published_ids()))
}
