//! Every list is paged the same way: keyset pagination over a stable order
//! that ends with a unique column, so cursors stay valid while rows are
//! added; forwards (`first`/`after`) or backwards (`last`/`before`); the
//! total counted only when a client asks for it.

use async_graphql::{Context, OutputType};
use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::{Expr, ExprTrait, SimpleExpr},
    Condition, DatabaseConnection, EntityTrait, FromQueryResult, Order, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Select, Value,
};

use crate::error::{AppError, GqlResultExt};
use crate::graphql::query::cursor::{self, MAX_PAGE_SIZE};
use crate::graphql::types::Page;

/// Items on a page when the client does not say.
pub const DEFAULT_PAGE_SIZE: i32 = 20;

/// What a client asked of a list.
#[derive(Default)]
pub(crate) struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

/// Which part of the list to read.
pub(crate) struct Window {
    size: u64,
    forward: bool,
    /// The position the page starts after (forward) or ends before.
    from: Option<String>,
}

fn size_of(field: &str, value: i32) -> Result<u64, AppError> {
    if (0..=MAX_PAGE_SIZE).contains(&value) {
        Ok(value as u64)
    } else {
        Err(AppError::validation(
            field,
            format!("must be between 0 and {MAX_PAGE_SIZE} (the page size cap), got {value}"),
        ))
    }
}

fn position(field: &str, value: &str, kind: &str) -> Result<String, AppError> {
    cursor::decode(value, kind)
        .map_err(|_| AppError::validation(field, "not a cursor of this list (or of this order)"))
}

impl PageArgs {
    /// The window these arguments describe in the list `kind`.
    pub fn window(self, kind: &str) -> Result<Window, AppError> {
        match (self.first, self.last) {
            (Some(_), Some(_)) => Err(AppError::validation(
                "last",
                "pass `first` (with `after`) or `last` (with `before`), not both",
            )),
            (None, Some(last)) => {
                if self.after.is_some() {
                    return Err(AppError::validation(
                        "after",
                        "`after` goes with `first`; page backwards with `last` and `before`",
                    ));
                }
                Ok(Window {
                    size: size_of("last", last)?,
                    forward: false,
                    from: self
                        .before
                        .as_deref()
                        .map(|c| position("before", c, kind))
                        .transpose()?,
                })
            }
            (first, None) => {
                if self.before.is_some() {
                    return Err(AppError::validation(
                        "before",
                        "`before` goes with `last`; page forwards with `first` and `after`",
                    ));
                }
                Ok(Window {
                    size: size_of("first", first.unwrap_or(DEFAULT_PAGE_SIZE))?,
                    forward: true,
                    from: self
                        .after
                        .as_deref()
                        .map(|c| position("after", c, kind))
                        .transpose()?,
                })
            }
        }
    }
}

/// How to read a key of the order back from a cursor.
#[derive(Clone, Copy)]
pub(crate) enum KeyKind {
    Int,
    Text,
    Time,
}

impl KeyKind {
    fn value(self, text: &str) -> Result<Value, AppError> {
        let invalid = || AppError::validation("after", "not a cursor of this list");
        Ok(match self {
            KeyKind::Int => text.parse::<i64>().map_err(|_| invalid())?.into(),
            KeyKind::Text if text.contains('\0') => return Err(invalid()),
            KeyKind::Text => text.to_owned().into(),
            KeyKind::Time => DateTime::parse_from_rfc3339(text)
                .map_err(|_| invalid())?
                .with_timezone(&Utc)
                .into(),
        })
    }
}

/// What the unique column that settles ties holds.
#[derive(Clone, Copy)]
pub(crate) enum TieKind {
    /// A slug.
    Slug,
    /// A primary key.
    Id,
}

/// A stable order: an optional sort key, then a unique column ascending
/// that settles ties.
pub(crate) struct Keyset {
    /// The sort key as SQL, whether it runs high to low, and its kind.
    pub primary: Option<(SimpleExpr, bool, KeyKind)>,
    /// The unique column.
    pub tiebreak: SimpleExpr,
    /// What it holds.
    pub tie_kind: TieKind,
}

/// Separates the sort key from the tiebreak inside a position.
const SEPARATOR: char = '\u{1f}';

impl Keyset {
    /// The position of a row: its sort key (if any) and its tiebreak.
    pub fn position(key: Option<String>, tiebreak: &str) -> String {
        match key {
            Some(key) => format!("{key}{SEPARATOR}{tiebreak}"),
            None => tiebreak.to_owned(),
        }
    }

    /// Rows beyond `position` in the reading direction.
    fn beyond(&self, position: &str, forward: bool) -> Result<Condition, AppError> {
        let invalid = || AppError::validation("after", "not a cursor of this list");
        // A tiebreak this list did not make is refused, not looked up.
        let tie_value = |tie: &str| -> Result<Value, AppError> {
            match self.tie_kind {
                TieKind::Slug if crate::domain::slug::is_slug(tie) => Ok(tie.to_owned().into()),
                TieKind::Id => match tie.parse::<i64>() {
                    Ok(id) if id > 0 => Ok(id.into()),
                    _ => Err(invalid()),
                },
                TieKind::Slug => Err(invalid()),
            }
        };
        let tie_after = |tie: Value| {
            if forward {
                self.tiebreak.clone().gt(tie)
            } else {
                self.tiebreak.clone().lt(tie)
            }
        };
        match &self.primary {
            None => Ok(Condition::all().add(tie_after(tie_value(position)?))),
            Some((expr, descending, kind)) => {
                let (key, tie) = position.split_once(SEPARATOR).ok_or_else(invalid)?;
                let tie = tie_value(tie)?;
                let key = kind.value(key)?;
                // High to low read forwards is low to high read backwards.
                let further = if *descending == forward {
                    expr.clone().lt(key.clone())
                } else {
                    expr.clone().gt(key.clone())
                };
                Ok(Condition::any().add(further).add(
                    Condition::all()
                        .add(expr.clone().eq(key))
                        .add(tie_after(tie)),
                ))
            }
        }
    }

    fn ordered<E: EntityTrait>(&self, query: Select<E>, forward: bool) -> Select<E> {
        let direction = |ascending: bool| {
            if ascending == forward {
                Order::Asc
            } else {
                Order::Desc
            }
        };
        let query = match &self.primary {
            Some((expr, descending, _)) => query.order_by(expr.clone(), direction(!descending)),
            None => query,
        };
        query.order_by(self.tiebreak.clone(), direction(true))
    }
}

/// Whether the client selected `totalCount` on this connection.
pub(crate) fn wants_total(ctx: &Context<'_>) -> bool {
    ctx.look_ahead().field("totalCount").exists()
}

/// One page of `query` (already filtered) in the order of `keyset`, read as
/// rows of `R`, each turned into an item with the cursor of its position.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn keyset_page<E, R, N>(
    db: &DatabaseConnection,
    query: Select<E>,
    keyset: &Keyset,
    (window, kind): (Window, &str),
    with_total: bool,
    position_of: impl Fn(&R) -> String,
    wrap: impl Fn(R) -> N,
    before_wrapping: impl AsyncFnOnce(&[R]) -> async_graphql::Result<()>,
) -> async_graphql::Result<Page<N>>
where
    E: EntityTrait,
    E::Model: Sync,
    R: FromQueryResult + Send + Sync,
    N: OutputType + Clone,
    crate::graphql::types::page::Edge<N>: OutputType,
{
    let total = if with_total {
        PaginatorTrait::count(query.clone(), db)
            .await
            .map_err(AppError::from)
            .gql()?
    } else {
        0
    };
    let mut query = keyset.ordered(query, window.forward).limit(window.size + 1);
    if let Some(from) = &window.from {
        query = query.filter(keyset.beyond(from, window.forward).gql()?);
    }
    let mut rows = query
        .into_model::<R>()
        .all(db)
        .await
        .map_err(AppError::from)
        .gql()?;
    let more = rows.len() as u64 > window.size;
    rows.truncate(window.size as usize);
    if !window.forward {
        rows.reverse();
    }
    before_wrapping(&rows).await?;
    let (has_previous, has_next) = if window.forward {
        (window.from.is_some(), more)
    } else {
        (more, window.from.is_some())
    };
    let items = rows
        .into_iter()
        .map(|row| (cursor::encode(kind, &position_of(&row)), wrap(row)))
        .collect();
    let mut page = Page::new(items, has_previous, has_next, total);
    if page.edges.is_empty() {
        // A page without items (`first: 0`, or past the end) sits where it
        // was asked from: paging on from its cursors starts at the same
        // place; from either end of the list they stay null.
        let at = window
            .from
            .as_deref()
            .map(|from| cursor::encode(kind, from));
        page.page_info.start_cursor = at.clone();
        page.page_info.end_cursor = at;
    }
    Ok(page)
}

/// One page of `query` in the order of its unique `slug` column.
pub(crate) async fn page_by_slug<E, N>(
    ctx: &Context<'_>,
    query: Select<E>,
    (slug, kind): (E::Column, &str),
    args: PageArgs,
    slug_of: impl Fn(&E::Model) -> String,
    wrap: impl Fn(E::Model) -> N,
) -> async_graphql::Result<Page<N>>
where
    E: EntityTrait,
    E::Model: FromQueryResult + Send + Sync,
    N: OutputType + Clone,
    crate::graphql::types::page::Edge<N>: OutputType,
{
    let db = ctx.data_unchecked::<DatabaseConnection>();
    let keyset = Keyset {
        primary: None,
        tiebreak: Expr::col(slug),
        tie_kind: TieKind::Slug,
    };
    let window = args.window(kind).gql()?;
    keyset_page(
        db,
        query,
        &keyset,
        (window, kind),
        wants_total(ctx),
        slug_of,
        wrap,
        async |_| Ok(()),
    )
    .await
}
