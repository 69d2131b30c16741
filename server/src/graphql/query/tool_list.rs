//! `tools`: the published catalogue, filtered and ordered. Which tools and
//! their scores in SQL are [`catalogue::tools`]'s; this pages them.

use async_graphql::{Context, Enum, InputObject};
use entities::tool;
use sea_orm::{
    sea_query::{Expr, SimpleExpr},
    DatabaseConnection, DbErr, FromQueryResult, QueryResult, QuerySelect,
};

use crate::changes::Read;
use crate::domain::catalogue;
use crate::error::GqlResultExt;
use crate::graphql::query::listing::{
    keyset_page, wants_total, KeyKind, Keyset, PageArgs, TieKind,
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
    let query = catalogue::tools::list(
        &catalogue::tools::Filter {
            category: filter.category.as_deref(),
            pricing_model: filter.pricing_model.map(Into::into),
            license: filter.license.as_deref(),
            search: filter.search.as_deref(),
            min_panel_score: filter.min_panel_score,
            min_community_score: filter.min_community_score,
        },
        min_votes,
    )
    .gql()?;
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
                ToolOrderField::PanelScore => (catalogue::tools::panel_score(missing), "panel"),
                ToolOrderField::CommunityScore => (
                    catalogue::tools::community_score(min_votes, missing),
                    "community",
                ),
                _ => (catalogue::tools::disputed(min_votes, missing), "disputed"),
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
