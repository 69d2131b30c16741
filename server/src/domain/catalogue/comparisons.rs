//! Reading comparisons: the public ones (it and both its tools published)
//! for readers, any for editors.

use entities::{comparison, tool};
use sea_orm::{
    sea_query::{Expr, Query},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use super::{containing, public};
use crate::domain::slug::is_slug;

/// The newest public comparisons, at most `limit` (the Atom feed).
pub async fn newest(db: &DatabaseConnection, limit: u64) -> Result<Vec<comparison::Model>, DbErr> {
    comparison::Entity::find()
        .filter(public::comparison())
        .order_by_desc(comparison::Column::PublishedAt)
        .order_by_asc(comparison::Column::Slug)
        .limit(limit)
        .all(db)
        .await
}

/// Public comparisons related to the pair `left`, `right`, at most `limit`,
/// in one statement: those sharing either tool first, then those of a tool
/// in either tool's category; newest first within each group. The
/// comparison `except` (the page's own) and the pair itself are left out.
pub async fn related(
    db: &DatabaseConnection,
    except: Option<i64>,
    left: i64,
    right: i64,
    limit: u64,
) -> Result<Vec<comparison::Model>, DbErr> {
    let pair = [left, right];
    let in_their_categories = || {
        Query::select()
            .column(tool::Column::Id)
            .from(tool::Entity)
            .and_where(
                tool::Column::CategoryId.in_subquery(
                    Query::select()
                        .column(tool::Column::CategoryId)
                        .from(tool::Entity)
                        .and_where(tool::Column::Id.is_in(pair))
                        .to_owned(),
                ),
            )
            .to_owned()
    };
    let shares_a_tool = Condition::any()
        .add(comparison::Column::LeftToolId.is_in(pair))
        .add(comparison::Column::RightToolId.is_in(pair));
    let the_pair = Condition::all()
        .add(comparison::Column::LeftToolId.is_in(pair))
        .add(comparison::Column::RightToolId.is_in(pair));
    let mut query = comparison::Entity::find()
        .filter(public::comparison())
        .filter(the_pair.not())
        .filter(
            Condition::any()
                .add(shares_a_tool)
                .add(comparison::Column::LeftToolId.in_subquery(in_their_categories()))
                .add(comparison::Column::RightToolId.in_subquery(in_their_categories())),
        );
    if let Some(id) = except {
        query = query.filter(comparison::Column::Id.ne(id));
    }
    query
        .order_by_asc(
            // Two integer ids: nothing a request typed reaches this text.
            Expr::cust(format!(
                "CASE WHEN comparisons.left_tool_id IN ({left}, {right}) \
                 OR comparisons.right_tool_id IN ({left}, {right}) THEN 0 ELSE 1 END"
            )),
        )
        .order_by_desc(comparison::Column::PublishedAt)
        .order_by_asc(comparison::Column::Slug)
        .limit(limit)
        .all(db)
        .await
}

/// Every public comparison, by slug (the sitemap).
pub async fn all_published(db: &DatabaseConnection) -> Result<Vec<comparison::Model>, DbErr> {
    comparison::Entity::find()
        .filter(public::comparison())
        .order_by_asc(comparison::Column::Slug)
        .all(db)
        .await
}

/// The public comparison with this slug.
pub async fn published(
    db: &DatabaseConnection,
    slug: &str,
) -> Result<Option<comparison::Model>, DbErr> {
    if !is_slug(slug) {
        return Ok(None);
    }
    comparison::Entity::find()
        .filter(comparison::Column::Slug.eq(slug))
        .filter(public::comparison())
        .one(db)
        .await
}

/// The public comparison of this pair, in either order.
pub async fn published_of_pair(
    db: &DatabaseConnection,
    left_id: i64,
    right_id: i64,
) -> Result<Option<comparison::Model>, DbErr> {
    // Either order: `cursor` vs `github-copilot` is the curated comparison
    // whichever tool is named first (the one in the order asked first, if
    // editors curated both).
    let mut both = comparison::Entity::find()
        .filter(
            Condition::any()
                .add(
                    Condition::all()
                        .add(comparison::Column::LeftToolId.eq(left_id))
                        .add(comparison::Column::RightToolId.eq(right_id)),
                )
                .add(
                    Condition::all()
                        .add(comparison::Column::LeftToolId.eq(right_id))
                        .add(comparison::Column::RightToolId.eq(left_id)),
                ),
        )
        .filter(public::comparison())
        .all(db)
        .await?;
    both.sort_by_key(|c| c.left_tool_id != left_id);
    Ok(both.into_iter().next())
}

/// The public comparisons whose two tools are both among `tool_ids`,
/// newest first: the curated pairs of a comparison of several tools.
pub async fn published_among(
    db: &DatabaseConnection,
    tool_ids: &[i64],
) -> Result<Vec<comparison::Model>, DbErr> {
    comparison::Entity::find()
        .filter(comparison::Column::LeftToolId.is_in(tool_ids.iter().copied()))
        .filter(comparison::Column::RightToolId.is_in(tool_ids.iter().copied()))
        .filter(public::comparison())
        .order_by_desc(comparison::Column::PublishedAt)
        .order_by_asc(comparison::Column::Slug)
        .all(db)
        .await
}

/// The comparison with this slug, draft or not (for editors).
pub async fn any<C: ConnectionTrait>(
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

/// The comparisons with these ids, draft or not, in one statement, in no
/// order: for callers that have already decided which ids may be shown
/// (search).
pub async fn by_ids(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i64>,
) -> Result<std::collections::HashMap<i64, comparison::Model>, DbErr> {
    Ok(comparison::Entity::find()
        .filter(comparison::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect())
}

/// The comparison with this id: a public one, or any when `drafts` (editors).
pub async fn by_id(
    db: &DatabaseConnection,
    id: i64,
    drafts: bool,
) -> Result<Option<comparison::Model>, DbErr> {
    let mut query = comparison::Entity::find_by_id(id);
    if !drafts {
        query = query.filter(public::comparison());
    }
    query.one(db).await
}

/// The public comparisons any of these tools is in, newest first (the
/// newest id first among those published at once), at most `limit`.
pub async fn published_of_tools(
    db: &DatabaseConnection,
    tool_ids: &[i64],
    limit: Option<u64>,
) -> Result<Vec<comparison::Model>, DbErr> {
    comparison::Entity::find()
        .filter(
            Condition::any()
                .add(comparison::Column::LeftToolId.is_in(tool_ids.iter().copied()))
                .add(comparison::Column::RightToolId.is_in(tool_ids.iter().copied())),
        )
        .filter(public::comparison())
        .order_by_desc(comparison::Column::PublishedAt)
        .order_by_desc(comparison::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The public comparisons, unordered (the API pages them newest first):
/// with `tool`, those that compare that tool (its slug); with `search`,
/// those whose title or either tool's name or vendor contains the text.
pub fn list(tool: Option<&str>, search: Option<&str>) -> Select<comparison::Entity> {
    let mut query = comparison::Entity::find().filter(public::comparison());
    if let Some(slug) = tool {
        let of_tool = || {
            Query::select()
                .column(tool::Column::Id)
                .from(tool::Entity)
                .and_where(tool::Column::Slug.eq(slug))
                .to_owned()
        };
        query = query.filter(
            Condition::any()
                .add(comparison::Column::LeftToolId.in_subquery(of_tool()))
                .add(comparison::Column::RightToolId.in_subquery(of_tool())),
        );
    }
    if let Some(title) = containing(&[comparison::Column::Title], search) {
        let tools_named =
            containing(&[tool::Column::Name, tool::Column::Vendor], search).map(|named| {
                Query::select()
                    .column(tool::Column::Id)
                    .from(tool::Entity)
                    .cond_where(named)
                    .to_owned()
            });
        let mut any = Condition::any().add(title);
        if let Some(named) = tools_named {
            any = any
                .add(comparison::Column::LeftToolId.in_subquery(named.clone()))
                .add(comparison::Column::RightToolId.in_subquery(named));
        }
        query = query.filter(any);
    }
    query
}
