//! `comparison`, `comparisons` and `compare`.

use async_graphql::{
    connection::{Connection, Edge},
    Context, Object,
};
use chrono::{DateTime, SecondsFormat, Utc};
use entities::comparison;
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::domain::catalogue;
use crate::error::{AppError, GqlResultExt};
use crate::graphql::query::cursor;
use crate::graphql::types::Comparison;

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
            catalogue::any_comparison(db, &slug).await.gql()?
        } else {
            catalogue::published_comparison(db, &slug).await.gql()?
        };
        Ok(found.map(Comparison::from_model))
    }

    /// Published comparisons, newest first, a page at a time.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, child_complexity)")]
    async fn comparisons(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20, desc = "Page size, 0 to 100.")] first: i32,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
    ) -> async_graphql::Result<Connection<String, Comparison>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let first = cursor::page_size(first).gql()?;
        let after_key = after.as_deref().map(decode_position).transpose().gql()?;
        let mut query = comparison::Entity::find()
            .filter(catalogue::comparison_is_public())
            .order_by_desc(comparison::Column::PublishedAt)
            .order_by_desc(comparison::Column::Id)
            .limit(first + 1);
        if let Some((at, id)) = after_key {
            query = query.filter(
                Condition::any()
                    .add(comparison::Column::PublishedAt.lt(at))
                    .add(
                        Condition::all()
                            .add(comparison::Column::PublishedAt.eq(at))
                            .add(comparison::Column::Id.lt(id)),
                    ),
            );
        }
        let mut rows = query.all(db).await.map_err(AppError::from).gql()?;
        let has_next = rows.len() as u64 > first;
        rows.truncate(first as usize);
        let mut connection = Connection::new(after_key.is_some(), has_next);
        connection.edges.extend(rows.into_iter().map(|row| {
            let position = format!(
                "{}|{}",
                row.published_at
                    .map(|at| at.to_rfc3339_opts(SecondsFormat::Micros, true))
                    .unwrap_or_default(),
                row.id
            );
            Edge::new(
                cursor::encode("comparison", &position),
                Comparison::from_model(row),
            )
        }));
        Ok(connection)
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
            catalogue::published_tool(db, &left).await.gql()?,
            catalogue::published_tool(db, &right).await.gql()?,
        ) else {
            return Ok(None);
        };
        let curated = catalogue::published_comparison_of_pair(db, left.id, right.id)
            .await
            .gql()?;
        Ok(Some(match curated {
            Some(model) => Comparison::from_model(model),
            None => Comparison::ad_hoc(&left, &right),
        }))
    }
}

fn decode_position(cursor: &str) -> Result<(DateTime<Utc>, i64), AppError> {
    let invalid = || AppError::validation("after", "not a cursor of this list");
    let position = cursor::decode(cursor, "comparison")?;
    let (at, id) = position.split_once('|').ok_or_else(invalid)?;
    let at = DateTime::parse_from_rfc3339(at).map_err(|_| invalid())?;
    let id = id.parse().map_err(|_| invalid())?;
    Ok((at.with_timezone(&Utc), id))
}
