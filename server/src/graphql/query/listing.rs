//! Lists in slug order, a page at a time, optionally narrowed by a search:
//! the shape of every list on the editors' screens.

use async_graphql::{
    connection::{Connection, Edge},
    OutputType,
};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Func},
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select,
};

use crate::error::{AppError, GqlResultExt};
use crate::graphql::query::cursor;

/// Rows whose columns contain `text`, ignoring case; `None` for no search.
pub(crate) fn containing<C: ColumnTrait>(columns: &[C], text: Option<&str>) -> Option<Condition> {
    let text = text.map(str::trim).filter(|t| !t.is_empty())?;
    // LIKE's wildcards in the search are dropped rather than escaped: nobody
    // names a tool with them, and escaping differs between the databases.
    let pattern = format!("%{}%", text.to_lowercase().replace(['%', '_'], ""));
    let mut any = Condition::any();
    for column in columns {
        any = any.add(Expr::expr(Func::lower(Expr::col(*column))).like(pattern.as_str()));
    }
    Some(any)
}

/// What a client asked of a list: the page size and the cursor to start after.
pub(crate) struct PageArgs {
    pub first: i32,
    pub after: Option<String>,
}

/// One page of `query` in the order of the unique `slug` column, after the
/// cursor `after` (which names the list `kind`).
pub(crate) async fn page_by_slug<E, T>(
    db: &DatabaseConnection,
    query: Select<E>,
    (slug, kind): (E::Column, &str),
    PageArgs { first, after }: PageArgs,
    slug_of: impl Fn(&E::Model) -> String,
    wrap: impl Fn(E::Model) -> T,
) -> async_graphql::Result<Connection<String, T>>
where
    E: EntityTrait,
    T: OutputType,
{
    let first = cursor::page_size(first).gql()?;
    let after_slug = after
        .as_deref()
        .map(|c| cursor::decode(c, kind))
        .transpose()
        .gql()?;
    let mut query = query.order_by_asc(slug).limit(first + 1);
    if let Some(after) = &after_slug {
        query = query.filter(slug.gt(after.as_str()));
    }
    let mut rows = query.all(db).await.map_err(AppError::from).gql()?;
    let has_next = rows.len() as u64 > first;
    rows.truncate(first as usize);
    let mut connection = Connection::new(after_slug.is_some(), has_next);
    connection.edges.extend(
        rows.into_iter()
            .map(|row| Edge::new(cursor::encode(kind, &slug_of(&row)), wrap(row))),
    );
    Ok(connection)
}
