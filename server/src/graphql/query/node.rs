//! `node` and `nodes`: anything by its global id, with the same visibility
//! as everywhere else (drafts for editors only).

use async_graphql::{Context, Object, ID};
use sea_orm::DatabaseConnection;

use crate::changes::Read;
use crate::domain::catalogue;
use crate::error::{AppError, GqlResultExt};
use crate::graphql::auth;
use crate::graphql::types::node::{parse, Target};
use crate::graphql::types::{Category, Comparison, Node, Review, Reviewer, Tool};

/// Most ids one `nodes` call takes.
const MAX_IDS: usize = 100;

/// Reads by global id.
#[derive(Default)]
pub struct NodeQuery;

async fn resolve(ctx: &Context<'_>, target: Target) -> Result<Option<Node>, AppError> {
    let db = ctx.data_unchecked::<DatabaseConnection>();
    let drafts = auth::editor(ctx).is_ok();
    let reads = crate::graphql::types::reads(ctx);
    match target {
        Target::Tool(id) => reads.tool(id),
        // Its tools' publication decides whether readers see it.
        Target::Comparison(id) => reads.all([Read::Comparison(id), Read::Tools]),
        Target::Pair(left, right) => reads.tools([left, right]),
        Target::Reviewer(id) => reads.read(Read::Reviewer(id)),
        Target::Category(id) => reads.read(Read::Category(id)),
        // Recorded once found (its tool and reviewer).
        Target::Review(_) => {}
    }
    Ok(match target {
        Target::Tool(id) => catalogue::tools::by_id(db, id, drafts)
            .await?
            .map(|t| Node::Tool(Tool(t))),
        Target::Comparison(id) => catalogue::comparisons::by_id(db, id, drafts)
            .await?
            .map(|c| Node::Comparison(Comparison::from_model(c))),
        Target::Pair(left, right) if left != right => {
            match (
                catalogue::tools::by_id(db, left, drafts).await?,
                catalogue::tools::by_id(db, right, drafts).await?,
            ) {
                (Some(left), Some(right)) => {
                    Some(Node::Comparison(Comparison::ad_hoc(&left, &right)))
                }
                _ => None,
            }
        }
        Target::Pair(..) => None,
        Target::Reviewer(id) => catalogue::reviewers::by_id(db, id)
            .await?
            .map(|r| Node::Reviewer(Reviewer(r))),
        Target::Category(id) => catalogue::categories::by_id(db, id)
            .await?
            .map(|c| Node::Category(Category(c))),
        Target::Review(id) => {
            let Some(found) = catalogue::reviews::by_id(db, id).await? else {
                reads.everything();
                return Ok(None);
            };
            reads.all([Read::Tool(found.tool_id), Read::Reviewer(found.reviewer_id)]);
            let visible = catalogue::reviews::visible(db, &found, drafts).await?;
            visible.then_some(Node::Review(Review(found)))
        }
    })
}

fn target(id: &ID, field: &str) -> Result<Target, AppError> {
    parse(id).ok_or_else(|| {
        AppError::validation(
            field,
            format!("`{}` is not a Verdicts global id", id.as_str()),
        )
    })
}

#[Object]
impl NodeQuery {
    /// Anything by its global `id`; null when it does not exist or is not
    /// published.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "A global id, as an `id` field gave it.")] id: ID,
    ) -> async_graphql::Result<Option<Node>> {
        let target = target(&id, "id").gql()?;
        resolve(ctx, target).await.gql()
    }

    /// Several things by their global ids, in the order asked; null for
    /// each that does not exist or is not published, and for each id that
    /// is not a Verdicts global id (with a `VALIDATION` error at that
    /// element's path: the others still come). At most 100 ids.
    #[graphql(complexity = "1 + ids.len() * child_complexity")]
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, as `id` fields gave them; at most 100.")] ids: Vec<ID>,
    ) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > MAX_IDS {
            return Err(AppError::validation(
                "ids",
                format!("at most {MAX_IDS} ids at once, got {}", ids.len()),
            ))
            .gql();
        }
        let mut found = Vec::with_capacity(ids.len());
        for (i, id) in ids.iter().enumerate() {
            match target(id, "ids") {
                Ok(target) => found.push(resolve(ctx, target).await.gql()?),
                Err(malformed) => {
                    // The element is null and the error names its path: a
                    // list item's own error would null the whole list.
                    let error = Err::<(), _>(malformed).gql().unwrap_err();
                    let mut error = ctx.set_error_path(error.into_server_error(ctx.item.pos));
                    error.path.push(async_graphql::PathSegment::Index(i));
                    ctx.add_error(error);
                    found.push(None);
                }
            }
        }
        Ok(found)
    }
}
