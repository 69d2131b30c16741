//! Reading tools: the published ones for readers, any for editors; the
//! public list filtered, with its scores computed in SQL the same way
//! `Score.shipPercent` is (100 × ship / total, halves rounded up), so a
//! filter or an order never disagrees with what a tool shows.

use std::collections::HashMap;

use entities::{category, review, tool, tool_fact};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Func, Query, SelectStatement, SimpleExpr},
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use super::{containing, public};
use crate::domain::{panel, scores, slug::is_slug};
use crate::error::AppError;

/// The ids of the public tools: `SELECT id FROM tools WHERE` [`public::tool`].
pub fn published_ids() -> SelectStatement {
    Query::select()
        .column(tool::Column::Id)
        .from(tool::Entity)
        .and_where(public::tool())
        .to_owned()
}

/// Every public tool, by slug (the sitemap).
pub async fn all_published(db: &DatabaseConnection) -> Result<Vec<tool::Model>, DbErr> {
    tool::Entity::find()
        .filter(public::tool())
        .order_by_asc(tool::Column::Slug)
        .all(db)
        .await
}

/// The names of these tools, by id, in one statement.
pub async fn names(
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

/// The public tools among these ids, in one statement, in no order.
pub async fn published_by_ids(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i64>,
) -> Result<Vec<tool::Model>, DbErr> {
    tool::Entity::find()
        .filter(tool::Column::Id.is_in(ids))
        .filter(public::tool())
        .all(db)
        .await
}

/// Every fact of these tools, in one statement, each tool's in order (a
/// tool without facts is absent).
pub async fn facts_of(
    db: &DatabaseConnection,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashMap<i64, Vec<tool_fact::Model>>, DbErr> {
    let rows = tool_fact::Entity::find()
        .filter(tool_fact::Column::ToolId.is_in(ids))
        .order_by_asc(tool_fact::Column::ToolId)
        .order_by_asc(tool_fact::Column::Position)
        .all(db)
        .await?;
    let mut by_tool: HashMap<i64, Vec<tool_fact::Model>> = HashMap::new();
    for row in rows {
        by_tool.entry(row.tool_id).or_default().push(row);
    }
    Ok(by_tool)
}

/// The published tool with this slug.
pub async fn published(db: &DatabaseConnection, slug: &str) -> Result<Option<tool::Model>, DbErr> {
    if !is_slug(slug) {
        return Ok(None);
    }
    tool::Entity::find()
        .filter(tool::Column::Slug.eq(slug))
        .filter(public::tool())
        .one(db)
        .await
}

/// The public tools with these slugs, in the order given; `None` when any
/// slug names no public tool. One statement (none when a slug cannot be one).
pub async fn published_in_order(
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

/// The tool with this slug, draft or not (for editors).
pub async fn any<C: ConnectionTrait>(db: &C, slug: &str) -> Result<Option<tool::Model>, DbErr> {
    if !is_slug(slug) {
        return Ok(None);
    }
    tool::Entity::find()
        .filter(tool::Column::Slug.eq(slug))
        .one(db)
        .await
}

/// The tool with this id: a published one, or any when `drafts` (editors).
pub async fn by_id(
    db: &DatabaseConnection,
    id: i64,
    drafts: bool,
) -> Result<Option<tool::Model>, DbErr> {
    let found = tool::Entity::find_by_id(id).one(db).await?;
    Ok(found.filter(|t| drafts || public::tool_model(t)))
}

/// The public tools this reviewer has a published review of, in no order
/// (two statements).
pub async fn reviewed_by(
    db: &DatabaseConnection,
    reviewer_id: i64,
) -> Result<Vec<tool::Model>, DbErr> {
    let reviewed: Vec<i64> = review::Entity::find()
        .select_only()
        .column(review::Column::ToolId)
        .filter(review::Column::ReviewerId.eq(reviewer_id))
        .filter(public::review())
        .into_tuple()
        .all(db)
        .await?;
    published_by_ids(db, reviewed).await
}

/// The public tools of this category, in no order.
pub async fn published_in_category(
    db: &DatabaseConnection,
    category_id: i64,
) -> Result<Vec<tool::Model>, DbErr> {
    tool::Entity::find()
        .filter(tool::Column::CategoryId.eq(category_id))
        .filter(public::tool())
        .all(db)
        .await
}

/// Which published tools to list; every condition given must hold.
#[derive(Default)]
pub struct Filter<'a> {
    /// Only tools in this category (its slug).
    pub category: Option<&'a str>,
    /// Only tools sold this way.
    pub pricing_model: Option<entities::PricingModel>,
    /// Only tools under this license (ignoring case).
    pub license: Option<&'a str>,
    /// Text to look for in name, vendor or tagline (ignoring case).
    pub search: Option<&'a str>,
    /// Only tools the panel ships at least this often, in percent.
    pub min_panel_score: Option<i32>,
    /// Only tools readers ship at least this often, in percent; tools with
    /// too few votes to show a percentage are left out.
    pub min_community_score: Option<i32>,
}

/// A tool's SHIP percentage from its kept tally (`panel` or `community`
/// columns of `tool_tallies`), or -1 with fewer than `at_least` counted: the
/// formula of [`scores::Tally::ship_percent`], from
/// [`scores::ship_percent_sql`]. A primary-key lookup per tool, not a count
/// of its votes.
/// A tool's score as a percentage; `missing` for a tool without one: -1
/// filters it out of every minimum and sorts it last from the highest
/// first, 101 sorts it last from the lowest first.
fn score_sql(tally: &str, at_least: u32, missing: i64) -> SimpleExpr {
    let (ship, skip) = (format!("s.{tally}_ship"), format!("s.{tally}_skip"));
    let total = format!("({ship} + {skip})");
    let percent = scores::ship_percent_sql(&ship, &total);
    Expr::cust(format!(
        "COALESCE((SELECT {percent} FROM tool_tallies s WHERE s.tool_id = \"tools\".\"id\" \
         AND {total} >= {at_least}), {missing})",
        at_least = Ord::max(at_least, 1)
    ))
}

/// The panel's SHIP percentage of the tool `"tools"."id"`, `missing` without reviews.
pub fn panel_score(missing: i64) -> SimpleExpr {
    score_sql("panel", 1, missing)
}

/// The readers' SHIP percentage of the tool `"tools"."id"`, `missing` with
/// fewer than `min_votes` votes.
pub fn community_score(min_votes: u32, missing: i64) -> SimpleExpr {
    score_sql("community", min_votes, missing)
}

/// How far the panel's percentage is from the readers', `missing` without
/// both ([`panel::gap_sql`]).
pub fn disputed(min_votes: u32, missing: i64) -> SimpleExpr {
    Expr::cust(panel::gap_sql(min_votes, missing))
}

fn percent(field: &str, value: Option<i32>) -> Result<Option<i64>, AppError> {
    match value {
        Some(p) if !(0..=100).contains(&p) => Err(AppError::validation(
            field,
            format!("must be a percentage from 0 to 100, got {p}"),
        )),
        other => Ok(other.map(i64::from)),
    }
}

/// The filter as a condition on published tools.
fn condition(filter: &Filter<'_>, min_votes: u32) -> Result<Condition, AppError> {
    let mut all = Condition::all().add(public::tool());
    if let Some(slug) = filter.category {
        all = all.add(
            tool::Column::CategoryId.in_subquery(
                Query::select()
                    .column(category::Column::Id)
                    .from(category::Entity)
                    .and_where(category::Column::Slug.eq(slug))
                    .to_owned(),
            ),
        );
    }
    if let Some(model) = filter.pricing_model {
        all = all.add(tool::Column::PricingModel.eq(model));
    }
    if let Some(license) = filter.license.map(str::trim) {
        all = all.add(ExprTrait::eq(
            Expr::expr(Func::lower(Expr::col(tool::Column::License))),
            license.to_lowercase(),
        ));
    }
    if let Some(matching) = containing(
        &[
            tool::Column::Name,
            tool::Column::Vendor,
            tool::Column::Tagline,
        ],
        filter.search,
    ) {
        all = all.add(matching);
    }
    if let Some(min) = percent("minPanelScore", filter.min_panel_score)? {
        all = all.add(ExprTrait::gte(panel_score(-1), min));
    }
    if let Some(min) = percent("minCommunityScore", filter.min_community_score)? {
        all = all.add(ExprTrait::gte(community_score(min_votes, -1), min));
    }
    Ok(all)
}

/// The published tools `filter` lets through, unordered (the API pages
/// them); a percentage out of 0 to 100 is a `VALIDATION` error.
pub fn list(filter: &Filter<'_>, min_votes: u32) -> Result<Select<tool::Entity>, AppError> {
    Ok(tool::Entity::find().filter(condition(filter, min_votes)?))
}
