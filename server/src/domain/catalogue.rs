//! Reading the published catalogue: what readers and anonymous clients may see.
//! A comparison is visible only when it and both its tools are published.
//!
//! One read layer per concept ([`tools`], [`comparisons`], [`reviewers`],
//! [`categories`], [`reviews`]): the GraphQL resolvers, the pages and the
//! feeds all read through these, the public filter applied inside. Paged
//! lists answer with the filtered `Select`, which the API pages.

pub mod categories;
pub mod comparisons;
pub mod reviewers;
pub mod reviews;
pub mod tools;

use entities::{comparison, tool};
use sea_orm::{
    sea_query::{Alias, Expr, ExprTrait, Func, Query, SimpleExpr},
    ColumnTrait, Condition,
};

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

/// Rows whose columns contain `text`, ignoring case; `None` for no search.
pub(crate) fn containing<C: ColumnTrait>(columns: &[C], text: Option<&str>) -> Option<Condition> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    // LIKE's wildcards in the search are dropped rather than escaped: nobody
    // names a tool with them, and escaping differs between the databases.
    // So is NUL, which PostgreSQL refuses in any text (a 500 there, a
    // search for nothing on SQLite): no stored name contains it.
    let pattern = format!("%{}%", text.to_lowercase().replace(['%', '_', '\0'], ""));
    let mut any = Condition::any();
    for column in columns {
        any = any.add(Expr::expr(Func::lower(Expr::col(*column))).like(pattern.as_str()));
    }
    Some(any)
}
