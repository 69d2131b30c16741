//! The root `Subscription`: scores pushed over WebSocket when anyone votes.

use async_graphql::{Context, SimpleObject, Subscription as SubscriptionObject};
use futures::{stream, Stream};
use sea_orm::DatabaseConnection;
use tokio::sync::broadcast::error::RecvError;

use crate::domain::{catalogue, scores};
use crate::error::{AppError, GqlResultExt};
use crate::graphql::types::{settings, CommunityScore, HeadToHead};
use crate::live::{LiveScores, ScoreChange};

/// A comparison's live numbers: both community scores and the head-to-head.
#[derive(SimpleObject, Clone)]
pub struct ComparisonScores {
    /// The comparison's slug.
    pub slug: String,
    /// The left tool's community score.
    pub left: CommunityScore,
    /// The right tool's community score.
    pub right: CommunityScore,
    /// The readers' picks between the two.
    pub head_to_head: HeadToHead,
}

/// Live updates.
#[derive(Default)]
pub struct Subscription;

/// What a subscription recomputes: one tool, or a comparison's two tools and picks.
#[derive(Clone, Copy)]
struct Watch {
    comparison: Option<i64>,
    left: i64,
    right: i64,
}

impl Watch {
    fn wants(&self, change: ScoreChange) -> bool {
        match change {
            ScoreChange::Tool(id) => id == self.left || id == self.right,
            ScoreChange::Comparison(id) => Some(id) == self.comparison,
            ScoreChange::All => true,
        }
    }
}

/// The current value, then a new one after every change the watch wants.
fn updates<T, F, Fut>(
    live: &LiveScores,
    watch: Watch,
    first: T,
    compute: F,
) -> impl Stream<Item = T> + use<T, F, Fut>
where
    T: Send + 'static,
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = Option<T>> + Send,
{
    let receiver = live.subscribe();
    stream::unfold(
        (receiver, compute, Some(first)),
        move |(mut receiver, compute, first)| async move {
            if let Some(first) = first {
                return Some((first, (receiver, compute, None)));
            }
            loop {
                match receiver.recv().await {
                    Ok(change) if watch.wants(change) => break,
                    Ok(_) => continue,
                    // Missed some: the next value is recomputed from the rows anyway.
                    Err(RecvError::Lagged(_)) => break,
                    Err(RecvError::Closed) => return None,
                }
            }
            let next = compute().await?;
            Some((next, (receiver, compute, None)))
        },
    )
}

async fn community(
    db: &DatabaseConnection,
    tool_id: i64,
    min_votes: u32,
) -> Option<CommunityScore> {
    let tallies = scores::community_tallies(db, &[tool_id]).await.ok()?;
    Some(
        scores::CommunityScore {
            tally: tallies.get(&tool_id).copied().unwrap_or_default(),
            min_votes,
        }
        .into(),
    )
}

async fn comparison_scores(
    db: &DatabaseConnection,
    slug: &str,
    watch: Watch,
    min_votes: u32,
) -> Option<ComparisonScores> {
    let tallies = scores::community_tallies(db, &[watch.left, watch.right])
        .await
        .ok()?;
    let picks = scores::pick_counts(db, &[watch.comparison?]).await.ok()?;
    let picks = picks.get(&watch.comparison?).cloned().unwrap_or_default();
    let score = |id: i64| -> CommunityScore {
        scores::CommunityScore {
            tally: tallies.get(&id).copied().unwrap_or_default(),
            min_votes,
        }
        .into()
    };
    let picked = |id: i64| picks.get(&id).copied().unwrap_or(0);
    Some(ComparisonScores {
        slug: slug.to_owned(),
        left: score(watch.left),
        right: score(watch.right),
        head_to_head: HeadToHead::new(picked(watch.left), picked(watch.right), min_votes),
    })
}

/// Scores as they change, over graphql-transport-ws at `/graphql/ws`.
#[SubscriptionObject]
impl Subscription {
    /// A tool's community score now, and again whenever anyone votes on it.
    async fn community_score(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The tool's slug.")] tool: String,
    ) -> async_graphql::Result<impl Stream<Item = CommunityScore> + use<>> {
        let db = ctx.data_unchecked::<DatabaseConnection>().clone();
        let min_votes = settings(ctx).min_community_votes;
        let model = catalogue::published_tool(&db, &tool)
            .await
            .gql()?
            .ok_or_else(|| AppError::NotFound {
                what: "tool",
                key: tool.clone(),
            })
            .gql()?;
        let watch = Watch {
            comparison: None,
            left: model.id,
            right: model.id,
        };
        let first = community(&db, model.id, min_votes)
            .await
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("cannot count votes")))
            .gql()?;
        let live = ctx.data_unchecked::<LiveScores>();
        Ok(updates(live, watch, first, move || {
            let db = db.clone();
            async move { community(&db, model.id, min_votes).await }
        }))
    }

    /// A curated comparison's community scores and head-to-head now, and
    /// again whenever anyone votes on either tool or picks between them.
    async fn comparison_scores(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comparison's slug.")] slug: String,
    ) -> async_graphql::Result<impl Stream<Item = ComparisonScores> + use<>> {
        let db = ctx.data_unchecked::<DatabaseConnection>().clone();
        let min_votes = settings(ctx).min_community_votes;
        let model = catalogue::published_comparison(&db, &slug)
            .await
            .gql()?
            .ok_or_else(|| AppError::NotFound {
                what: "comparison",
                key: slug.clone(),
            })
            .gql()?;
        let watch = Watch {
            comparison: Some(model.id),
            left: model.left_tool_id,
            right: model.right_tool_id,
        };
        let first = comparison_scores(&db, &slug, watch, min_votes)
            .await
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("cannot count votes")))
            .gql()?;
        let live = ctx.data_unchecked::<LiveScores>();
        Ok(updates(live, watch, first, move || {
            let db = db.clone();
            let slug = slug.clone();
            async move { comparison_scores(&db, &slug, watch, min_votes).await }
        }))
    }
}
