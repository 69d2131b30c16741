//! The root `Subscription`: scores pushed over WebSocket when anyone votes.
//! Each subscription reads the numbers [`LiveScores`] computes once per
//! change for all of a topic's subscribers; it never counts votes itself
//! after its first value.

use async_graphql::{Context, SimpleObject, Subscription as SubscriptionObject};
use futures::{stream, Stream};
use tokio::sync::watch;

use crate::domain::{catalogue, scores};
use crate::error::{AppError, GqlResultExt};
use crate::graphql::types::{settings, CommunityScore, HeadToHead};
use crate::live::{LiveScores, Numbers, Topic};
use sea_orm::DatabaseConnection;

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

/// The topic's numbers now, then again after every change to them. The
/// shared feed is joined before the first count, so no change in between
/// is missed (at worst one value comes twice).
async fn updates<T, F>(
    live: &LiveScores,
    topic: Topic,
    present: F,
) -> async_graphql::Result<impl Stream<Item = T> + use<T, F>>
where
    T: Send + 'static,
    F: Fn(Numbers) -> T + Send + 'static,
{
    let feed = live.watch(topic);
    let first = live
        .numbers(topic)
        .await
        .map_err(|error| AppError::Internal(anyhow::anyhow!("cannot count votes: {error}")))
        .gql()?;
    Ok(stream::unfold(
        (feed, present, Some(first)),
        |(mut feed, present, first): (watch::Receiver<Option<Numbers>>, F, Option<Numbers>)| async move {
            if let Some(first) = first {
                let value = present(first);
                return Some((value, (feed, present, None)));
            }
            loop {
                feed.changed().await.ok()?;
                let numbers = *feed.borrow_and_update();
                if let Some(numbers) = numbers {
                    let value = present(numbers);
                    return Some((value, (feed, present, None)));
                }
            }
        },
    ))
}

fn community(tally: scores::Tally, min_votes: u32) -> CommunityScore {
    scores::CommunityScore { tally, min_votes }.into()
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
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let min_votes = settings(ctx).min_community_votes;
        let model = catalogue::tools::published(db, &tool)
            .await
            .gql()?
            .ok_or_else(|| AppError::NotFound {
                what: "tool",
                key: tool.clone(),
            })
            .gql()?;
        let live = ctx.data_unchecked::<LiveScores>();
        updates(live, Topic::Tool(model.id), move |numbers| {
            community(numbers.left, min_votes)
        })
        .await
    }

    /// A curated comparison's community scores and head-to-head now, and
    /// again whenever anyone votes on either tool or picks between them.
    async fn comparison_scores(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The comparison's slug.")] slug: String,
    ) -> async_graphql::Result<impl Stream<Item = ComparisonScores> + use<>> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let min_votes = settings(ctx).min_community_votes;
        let model = catalogue::comparisons::published(db, &slug)
            .await
            .gql()?
            .ok_or_else(|| AppError::NotFound {
                what: "comparison",
                key: slug.clone(),
            })
            .gql()?;
        let topic = Topic::Comparison {
            left: model.left_tool_id,
            right: model.right_tool_id,
        };
        let live = ctx.data_unchecked::<LiveScores>();
        updates(live, topic, move |numbers| ComparisonScores {
            slug: slug.clone(),
            left: community(numbers.left, min_votes),
            right: community(numbers.right, min_votes),
            head_to_head: HeadToHead::new(numbers.picks.0, numbers.picks.1, min_votes),
        })
        .await
    }
}
