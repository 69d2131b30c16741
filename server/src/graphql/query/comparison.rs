//! `comparison`, `comparisons` and `compare`.

use async_graphql::{Context, Object};
use chrono::SecondsFormat;
use entities::comparison;
use sea_orm::{sea_query::Expr, DatabaseConnection};

use crate::changes::Read;
use crate::domain::catalogue;
use crate::error::{AppError, GqlResultExt};
use crate::graphql::query::listing::{
    keyset_page, wants_total, KeyKind, Keyset, PageArgs, TieKind,
};
use crate::graphql::types::reads;
use crate::graphql::types::{Comparison, MultiComparison, Page};

/// The fewest and the most tools `compareMany` compares.
pub const COMPARE_MANY: std::ops::RangeInclusive<usize> = 2..=4;

/// Reads of comparisons.
#[derive(Default)]
pub struct ComparisonQuery;

#[Object]
impl ComparisonQuery {
    /// The published, curated comparison with this slug, or null (editors
    /// see drafts too).
    async fn comparison(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comparison's slug.")] slug: String,
    ) -> async_graphql::Result<Option<Comparison>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let found = if crate::graphql::auth::editor(ctx).is_ok() {
            catalogue::comparisons::any(db, &slug).await.gql()?
        } else {
            catalogue::comparisons::published(db, &slug).await.gql()?
        };
        match &found {
            Some(c) => reads(ctx).comparison(c.id, c.left_tool_id, c.right_tool_id),
            // It may come with a new comparison, or when its tools are published.
            None => reads(ctx).all([Read::Comparisons, Read::Tools]),
        }
        Ok(found.map(Comparison::from_model))
    }

    /// Published comparisons, newest first, a page at a time; with `tool`,
    /// those that compare that tool; with `search`, those whose title or
    /// either tool's name or vendor contains the text.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn comparisons(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Only comparisons of this tool (its slug).")] tool: Option<String>,
        #[graphql(
            desc = "Text to look for in the title or the two tools' names and vendors (ignoring case)."
        )]
        search: Option<String>,
        #[graphql(
            desc = "Page size reading forwards, 0 to 100 (20 when neither `first` nor `last` is given). A page of 0 holds no items: `hasNextPage` says whether any follow, and its `endCursor` is the `after` given (null from the start), so paging on from it starts at the same place."
        )]
        first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(
            desc = "Page size reading backwards, 0 to 100. A page of 0 holds no items: `hasPreviousPage` says whether any come before, and its `startCursor` is the `before` given (null from the end)."
        )]
        last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
    ) -> async_graphql::Result<Page<Comparison>> {
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        public_comparisons(ctx, tool.as_deref(), search.as_deref(), args).await
    }

    /// Any two published tools side by side (the curated comparison of that
    /// pair when there is one); null when either slug is unknown.
    async fn compare(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Slug of the tool on the left.")] left: String,
        #[graphql(desc = "Slug of the tool on the right.")] right: String,
    ) -> async_graphql::Result<Option<Comparison>> {
        if left == right {
            return Err(AppError::validation("right", "compare two different tools")).gql();
        }
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let (Some(left), Some(right)) = (
            catalogue::tools::published(db, &left).await.gql()?,
            catalogue::tools::published(db, &right).await.gql()?,
        ) else {
            reads(ctx).read(Read::Tools);
            return Ok(None);
        };
        reads(ctx).tools([left.id, right.id]);
        let curated = catalogue::comparisons::published_of_pair(db, left.id, right.id)
            .await
            .gql()?;
        reads(ctx).read(
            curated
                .as_ref()
                .map_or(Read::Comparisons, |c| Read::Comparison(c.id)),
        );
        Ok(Some(match curated {
            Some(model) => Comparison::from_model(model),
            None => Comparison::ad_hoc(&left, &right),
        }))
    }

    /// Two to four published tools side by side, in the order given: their
    /// cards and scores, the panel's scorecard with one cell per tool, and
    /// the curated comparisons among them. Fewer than two slugs, more than
    /// four, or one twice is a `VALIDATION` error naming `tools`. Null when
    /// any slug names no published tool (as `compare` answers for a pair);
    /// `matchTool` says which name matched nothing and what is near.
    async fn compare_many(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tools' slugs, 2 to 4, all different, in the order to show them.")]
        tools: Vec<String>,
    ) -> async_graphql::Result<Option<MultiComparison>> {
        if !COMPARE_MANY.contains(&tools.len()) {
            return Err(AppError::validation(
                "tools",
                format!(
                    "compare {} to {} tools, got {}",
                    COMPARE_MANY.start(),
                    COMPARE_MANY.end(),
                    tools.len()
                ),
            ))
            .gql();
        }
        if let Some(twice) = tools
            .iter()
            .enumerate()
            .find_map(|(i, slug)| tools[..i].contains(slug).then_some(slug))
        {
            return Err(AppError::validation(
                "tools",
                format!("each tool once: {} is named twice", short(twice)),
            ))
            .gql();
        }
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let Some(found) = catalogue::tools::published_in_order(db, &tools)
            .await
            .gql()?
        else {
            reads(ctx).read(Read::Tools);
            return Ok(None);
        };
        let ids: Vec<i64> = found.iter().map(|t| t.id).collect();
        // The curated comparisons' tools are among these: none is loaded twice.
        crate::graphql::types::loaders(ctx)
            .tool
            .feed_many(found.iter().map(|t| (t.id, t.clone())))
            .await;
        reads(ctx).tools(ids.iter().copied());
        // A comparison published among them later joins the list.
        reads(ctx).read(Read::Comparisons);
        let curated = catalogue::comparisons::published_among(db, &ids)
            .await
            .gql()?;
        for c in &curated {
            reads(ctx).comparison(c.id, c.left_tool_id, c.right_tool_id);
        }
        Ok(Some(MultiComparison::new(found, curated)))
    }
}

/// Published comparisons, newest first, a page at a time; with `tool`, those
/// that compare that tool.
pub(crate) async fn public_comparisons(
    ctx: &Context<'_>,
    tool: Option<&str>,
    search: Option<&str>,
    args: PageArgs,
) -> async_graphql::Result<Page<Comparison>> {
    let db = ctx.data_unchecked::<DatabaseConnection>();
    // Which comparisons are public depends on their tools being published;
    // the search and the tool filter read tools' names and slugs.
    reads(ctx).all([Read::Comparisons, Read::Tools]);
    let query = catalogue::comparisons::list(tool, search);
    let keyset = Keyset {
        primary: Some((
            Expr::col((comparison::Entity, comparison::Column::PublishedAt)),
            true,
            KeyKind::Time,
        )),
        tiebreak: Expr::col((comparison::Entity, comparison::Column::Slug)),
        tie_kind: TieKind::Slug,
    };
    let window = args.window("comparisons").gql()?;
    keyset_page(
        db,
        query,
        &keyset,
        (window, "comparisons"),
        wants_total(ctx),
        |c: &comparison::Model| {
            let at = c
                .published_at
                .map(|at| at.to_rfc3339_opts(SecondsFormat::Micros, true))
                .unwrap_or_default();
            Keyset::position(Some(at), &c.slug)
        },
        Comparison::from_model,
        async |_| Ok(()),
    )
    .await
}

/// A slug as an error message quotes it: at most 60 characters.
fn short(slug: &str) -> String {
    let mut chars = slug.chars();
    let head: String = chars.by_ref().take(60).collect();
    if chars.next().is_some() {
        format!("{head}\u{2026}")
    } else {
        head
    }
}
