//! `tools`: the published catalogue, filtered and ordered. Scores are
//! computed in SQL the same way `Score.shipPercent` is (100 × ship / total,
//! halves rounded up), so a filter or an order never disagrees with what a
//! tool shows.

use async_graphql::{Context, Enum, InputObject};
use entities::{category, tool};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Func, Query, SimpleExpr},
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QueryResult, QuerySelect,
};

use crate::changes::Read;
use crate::domain::{catalogue, scores};
use crate::error::{AppError, GqlResultExt};
use crate::graphql::query::listing::{
    containing, keyset_page, wants_total, KeyKind, Keyset, PageArgs, TieKind,
};
use crate::graphql::types::{settings, Page, PricingModel, Tool};

/// Which published tools to list; every condition given must hold.
#[derive(InputObject, Default)]
pub struct ToolFilter {
    /// Only tools in this category (its slug).
    pub category: Option<String>,
    /// Only tools sold this way.
    pub pricing_model: Option<PricingModel>,
    /// Only tools under this license, such as "MIT" (ignoring case).
    pub license: Option<String>,
    /// Text to look for in name, vendor or tagline (ignoring case).
    pub search: Option<String>,
    /// Only tools the panel ships at least this often, in percent (0 to 100).
    pub min_panel_score: Option<i32>,
    /// Only tools readers ship at least this often, in percent (0 to 100);
    /// tools with too few votes to show a percentage are left out.
    pub min_community_score: Option<i32>,
}

/// What to order tools by.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum ToolOrderField {
    /// Their names, A to Z by default.
    Name,
    /// The panel's SHIP percentage, highest first by default; tools without
    /// reviews come last.
    PanelScore,
    /// The readers' SHIP percentage, highest first by default; tools with
    /// too few votes come last.
    CommunityScore,
    /// When they were published, newest first by default.
    Newest,
    /// How far the panel's SHIP percentage is from the readers' (the absolute
    /// value of `PanelVersusReaders.gap`), most disputed first by default;
    /// tools without both scores come last.
    Disputed,
}

/// Which way an order runs.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum OrderDirection {
    /// Lowest (or earliest, or A) first.
    Asc,
    /// Highest (or latest, or Z) first.
    Desc,
}

/// An order for `tools`; ties are broken by slug, A to Z.
#[derive(InputObject)]
pub struct ToolOrder {
    /// What to order by.
    pub field: ToolOrderField,
    /// Which way; each field has its natural default.
    pub direction: Option<OrderDirection>,
}

/// A tool with the score it was ordered by.
struct ScoredTool {
    tool: tool::Model,
    score: i64,
}

impl FromQueryResult for ScoredTool {
    fn from_query_result(row: &QueryResult, prefix: &str) -> Result<Self, DbErr> {
        Ok(ScoredTool {
            tool: tool::Model::from_query_result(row, prefix)?,
            score: row.try_get(prefix, "sort_score")?,
        })
    }
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

fn panel_score() -> SimpleExpr {
    score_sql("panel", 1, -1)
}

fn community_score(min_votes: u32) -> SimpleExpr {
    score_sql("community", min_votes, -1)
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
fn condition(filter: &ToolFilter, min_votes: u32) -> Result<Condition, AppError> {
    let mut all = Condition::all().add(catalogue::public::tool());
    if let Some(slug) = &filter.category {
        all = all.add(
            tool::Column::CategoryId.in_subquery(
                Query::select()
                    .column(category::Column::Id)
                    .from(category::Entity)
                    .and_where(category::Column::Slug.eq(slug.as_str()))
                    .to_owned(),
            ),
        );
    }
    if let Some(model) = filter.pricing_model {
        let model: entities::PricingModel = model.into();
        all = all.add(tool::Column::PricingModel.eq(model));
    }
    if let Some(license) = filter.license.as_deref().map(str::trim) {
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
        filter.search.as_deref(),
    ) {
        all = all.add(matching);
    }
    if let Some(min) = percent("minPanelScore", filter.min_panel_score)? {
        all = all.add(ExprTrait::gte(panel_score(), min));
    }
    if let Some(min) = percent("minCommunityScore", filter.min_community_score)? {
        all = all.add(ExprTrait::gte(community_score(min_votes), min));
    }
    Ok(all)
}

/// One page of `tools`.
pub async fn page(
    ctx: &Context<'_>,
    filter: ToolFilter,
    order: Option<ToolOrder>,
    args: PageArgs,
) -> async_graphql::Result<Page<Tool>> {
    let db = ctx.data_unchecked::<DatabaseConnection>();
    let min_votes = settings(ctx).min_community_votes;
    let reads = crate::graphql::types::reads(ctx);
    reads.read(Read::Tools);
    if filter.category.is_some() {
        reads.read(Read::Categories);
    }
    let by = |field| order.as_ref().is_some_and(|o| o.field == field);
    if by(ToolOrderField::PanelScore) || filter.min_panel_score.is_some() {
        reads.read(Read::PanelScores);
    }
    if by(ToolOrderField::CommunityScore) || filter.min_community_score.is_some() {
        reads.read(Read::CommunityScores);
    }
    if by(ToolOrderField::Disputed) {
        reads.all([Read::PanelScores, Read::CommunityScores]);
    }
    let query = tool::Entity::find().filter(condition(&filter, min_votes).gql()?);
    let slug = || Expr::col((tool::Entity, tool::Column::Slug));
    let with_total = wants_total(ctx);
    let prefetch = async |rows: &[tool::Model]| super::tool::prefetch(ctx, rows).await;
    let Some(order) = order else {
        let keyset = Keyset {
            primary: None,
            tiebreak: slug(),
            tie_kind: TieKind::Slug,
        };
        let window = args.window("tool").gql()?;
        return keyset_page(
            db,
            query,
            &keyset,
            (window, "tool"),
            with_total,
            |t: &tool::Model| t.slug.clone(),
            Tool,
            prefetch,
        )
        .await;
    };
    let descending = match (order.field, order.direction) {
        (_, Some(direction)) => direction == OrderDirection::Desc,
        (field, None) => field != ToolOrderField::Name,
    };
    let suffix = if descending { "desc" } else { "asc" };
    match order.field {
        ToolOrderField::Name | ToolOrderField::Newest => {
            let by_name = order.field == ToolOrderField::Name;
            let (expr, kind, key): (SimpleExpr, _, fn(&tool::Model) -> String) = if by_name {
                (
                    Expr::col((tool::Entity, tool::Column::Name)),
                    KeyKind::Text,
                    |t| t.name.clone(),
                )
            } else {
                (
                    Expr::col((tool::Entity, tool::Column::PublishedAt)),
                    KeyKind::Time,
                    |t| {
                        t.published_at
                            .map(|at| at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
                            .unwrap_or_default()
                    },
                )
            };
            let kind_name = format!("tool-{}-{suffix}", if by_name { "name" } else { "newest" });
            let keyset = Keyset {
                primary: Some((expr, descending, kind)),
                tiebreak: slug(),
                tie_kind: TieKind::Slug,
            };
            let window = args.window(&kind_name).gql()?;
            keyset_page(
                db,
                query,
                &keyset,
                (window, &kind_name),
                with_total,
                |t: &tool::Model| Keyset::position(Some(key(t)), &t.slug),
                Tool,
                prefetch,
            )
            .await
        }
        ToolOrderField::PanelScore | ToolOrderField::CommunityScore | ToolOrderField::Disputed => {
            // Tools without a score come last whichever way the order runs.
            let missing = if descending { -1 } else { 101 };
            let (expr, name) = match order.field {
                ToolOrderField::PanelScore => (score_sql("panel", 1, missing), "panel"),
                ToolOrderField::CommunityScore => {
                    (score_sql("community", min_votes, missing), "community")
                }
                _ => (
                    Expr::cust(crate::domain::panel::gap_sql(min_votes, missing)),
                    "disputed",
                ),
            };
            let kind_name = format!("tool-{name}-{suffix}");
            let keyset = Keyset {
                primary: Some((expr.clone(), descending, KeyKind::Int)),
                tiebreak: slug(),
                tie_kind: TieKind::Slug,
            };
            let window = args.window(&kind_name).gql()?;
            let query = query.column_as(expr, "sort_score");
            keyset_page(
                db,
                query,
                &keyset,
                (window, &kind_name),
                with_total,
                |t: &ScoredTool| Keyset::position(Some(t.score.to_string()), &t.tool.slug),
                |t: ScoredTool| Tool(t.tool),
                async |rows: &[ScoredTool]| {
                    let tools: Vec<tool::Model> = rows.iter().map(|r| r.tool.clone()).collect();
                    super::tool::prefetch(ctx, &tools).await
                },
            )
            .await
        }
    }
}
