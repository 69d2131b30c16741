//! Reading the published catalogue: what readers and anonymous clients may see.
//! A comparison is visible only when it and both its tools are published.

use std::collections::HashMap;

use entities::{category, comparison, review, reviewer, tool};
use sea_orm::{
    sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement, SimpleExpr},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::domain::slug::is_slug;

/// What readers and anonymous clients may see, defined once: a tool or a
/// review once it is published; a comparison once it and both its tools
/// are. Every read of the public catalogue filters with these (statements
/// written as SQL text use [`public::tool_sql`] and [`public::review_sql`]).
pub mod public {
    use entities::{comparison, review, tool};
    use sea_orm::{sea_query::SimpleExpr, ColumnTrait, Condition};

    /// A tool readers may see.
    pub fn tool() -> SimpleExpr {
        tool::Column::PublishedAt.is_not_null()
    }

    /// A loaded tool readers may see.
    pub fn tool_model(tool: &tool::Model) -> bool {
        tool.published_at.is_some()
    }

    /// A review readers may see (its tool must be public too where the
    /// review is read without its tool).
    pub fn review() -> SimpleExpr {
        review::Column::PublishedAt.is_not_null()
    }

    /// A loaded review readers may see, its tool aside.
    pub fn review_model(review: &review::Model) -> bool {
        review.published_at.is_some()
    }

    /// A comparison readers may see: it and both its tools published.
    /// Each tool is one primary-key lookup (`EXISTS`): an `IN (SELECT id
    /// FROM tools …)` made SQLite list every published tool for every
    /// comparison read, the largest cost of an uncached `Compare`.
    pub fn comparison() -> Condition {
        Condition::all()
            .add(comparison::Column::PublishedAt.is_not_null())
            .add(super::published_tool_exists(comparison::Column::LeftToolId))
            .add(super::published_tool_exists(
                comparison::Column::RightToolId,
            ))
    }

    /// [`tool`] as SQL text, for the tools table under `alias`.
    pub fn tool_sql(alias: &str) -> String {
        format!("{alias}.published_at IS NOT NULL")
    }

    /// [`review`] as SQL text, for the reviews table under `alias`.
    pub fn review_sql(alias: &str) -> String {
        format!("{alias}.published_at IS NOT NULL")
    }
}

/// `EXISTS` a public tool whose id is this column of `comparisons`.
fn published_tool_exists(column: comparison::Column) -> SimpleExpr {
    let this = Alias::new("published_tool");
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from_as(tool::Entity, this.clone())
            .and_where(
                Expr::col((this.clone(), tool::Column::Id)).equals((comparison::Entity, column)),
            )
            .and_where(Expr::col((this, tool::Column::PublishedAt)).is_not_null())
            .to_owned(),
    )
}

/// The ids of the public tools: `SELECT id FROM tools WHERE` [`public::tool`].
pub fn published_tool_ids() -> SelectStatement {
    Query::select()
        .column(tool::Column::Id)
        .from(tool::Entity)
        .and_where(public::tool())
        .to_owned()
}

/// The newest public comparisons, at most `limit` (the Atom feed).
pub async fn newest_comparisons(
    db: &DatabaseConnection,
    limit: u64,
) -> Result<Vec<comparison::Model>, DbErr> {
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
pub async fn related_comparisons(
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
pub async fn public_comparisons(db: &DatabaseConnection) -> Result<Vec<comparison::Model>, DbErr> {
    comparison::Entity::find()
        .filter(public::comparison())
        .order_by_asc(comparison::Column::Slug)
        .all(db)
        .await
}

/// Every public tool, by slug (the sitemap).
pub async fn public_tools(db: &DatabaseConnection) -> Result<Vec<tool::Model>, DbErr> {
    tool::Entity::find()
        .filter(public::tool())
        .order_by_asc(tool::Column::Slug)
        .all(db)
        .await
}

/// Every category, by slug.
pub async fn categories(db: &DatabaseConnection) -> Result<Vec<category::Model>, DbErr> {
    category::Entity::find()
        .order_by_asc(category::Column::Slug)
        .all(db)
        .await
}

/// Every reviewer of the panel, by slug.
pub async fn reviewers(db: &DatabaseConnection) -> Result<Vec<reviewer::Model>, DbErr> {
    reviewer::Entity::find()
        .order_by_asc(reviewer::Column::Slug)
        .all(db)
        .await
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
        .filter(public::tool())
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
        .filter(public::comparison())
        .one(db)
        .await
}

/// The public comparison of this pair, in either order.
pub async fn published_comparison_of_pair(
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

/// The public tools with these slugs, in the order given; `None` when any
/// slug names no public tool. One statement (none when a slug cannot be one).
pub async fn published_tools_in_order(
    db: &DatabaseConnection,
    slugs: &[String],
) -> Result<Option<Vec<tool::Model>>, DbErr> {
    if !slugs.iter().all(|slug| is_slug(slug)) {
        return Ok(None);
    }
    let mut found: HashMap<String, tool::Model> = tool::Entity::find()
        .filter(tool::Column::Slug.is_in(slugs.iter().cloned()))
        .filter(public::tool())
        .all(db)
        .await?
        .into_iter()
        .map(|tool| (tool.slug.clone(), tool))
        .collect();
    Ok(slugs.iter().map(|slug| found.remove(slug)).collect())
}

/// The public comparisons whose two tools are both among `tool_ids`,
/// newest first: the curated pairs of a comparison of several tools.
pub async fn published_comparisons_among(
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
