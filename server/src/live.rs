//! Live score updates: every vote or pick announces which scores changed.
//! On SQLite (one process) the announcement goes straight to this process's
//! subscribers; on PostgreSQL it goes through `NOTIFY`, so subscribers on
//! every instance sharing the database hear it (each instance `LISTEN`s).
//!
//! Subscribers do not count votes themselves: each instance has one task
//! that, per batch of announcements, recomputes the numbers of every watched
//! [`Topic`] the batch touches (two SQL statements at most, however many
//! subscribers) and hands them to every subscriber through a `watch` channel.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use futures::{future::BoxFuture, FutureExt};
use sea_orm::{sqlx, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, Statement};
use tokio::sync::{broadcast, oneshot, watch};

use crate::domain::scores::{self, Tally};

/// The PostgreSQL channel the instances talk on.
const CHANNEL: &str = "verdicts_scores";

/// Which scores changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreChange {
    /// A tool's community score (a vote).
    Tool(i64),
    /// The head-to-head of a pair of tools (a pick), as `pick::pair` orders it.
    Pair(i64, i64),
    /// Unknown: recompute everything (announcements may have been missed).
    All,
}

impl ScoreChange {
    fn encode(self) -> String {
        match self {
            ScoreChange::Tool(id) => format!("t:{id}"),
            ScoreChange::Pair(low, high) => format!("p:{low}:{high}"),
            ScoreChange::All => "*".to_owned(),
        }
    }

    fn decode(payload: &str) -> ScoreChange {
        let parse = |id: &str| id.parse().ok();
        match payload.split_once(':') {
            Some(("t", id)) => parse(id).map_or(ScoreChange::All, ScoreChange::Tool),
            Some(("p", pair)) => pair
                .split_once(':')
                .and_then(|(low, high)| Some(ScoreChange::Pair(parse(low)?, parse(high)?)))
                .unwrap_or(ScoreChange::All),
            _ => ScoreChange::All,
        }
    }
}

/// What subscribers watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// A tool's community tally.
    Tool(i64),
    /// A comparison's two community tallies and its pair's picks.
    Comparison {
        /// Its left tool.
        left: i64,
        /// Its right tool.
        right: i64,
    },
}

impl Topic {
    fn wants(&self, change: ScoreChange) -> bool {
        match (*self, change) {
            (_, ScoreChange::All) => true,
            (Topic::Tool(id), ScoreChange::Tool(changed)) => id == changed,
            (Topic::Comparison { left, right, .. }, ScoreChange::Tool(changed)) => {
                changed == left || changed == right
            }
            (Topic::Comparison { left, right }, ScoreChange::Pair(low, high)) => {
                entities::pick::pair(left, right) == (low, high)
            }
            (Topic::Tool(_), ScoreChange::Pair(..)) => false,
        }
    }
}

/// A topic's numbers: for a tool, `left` and `right` are both its tally.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Numbers {
    /// The (left) tool's community tally.
    pub left: Tally,
    /// The right tool's community tally.
    pub right: Tally,
    /// Picks of the left tool, then of the right (comparisons only).
    pub picks: (u32, u32),
}

/// The numbers of several topics, in at most two SQL statements.
async fn count(db: &DatabaseConnection, topics: &[Topic]) -> Result<Vec<Numbers>, DbErr> {
    let mut tools = Vec::new();
    let mut comparisons = Vec::new();
    for topic in topics {
        match *topic {
            Topic::Tool(id) => tools.push(id),
            Topic::Comparison { left, right } => {
                tools.extend([left, right]);
                comparisons.push((left, right));
            }
        }
    }
    tools.sort_unstable();
    tools.dedup();
    let tallies = scores::community_tallies(db, &tools).await?;
    let picks = if comparisons.is_empty() {
        HashMap::new()
    } else {
        scores::pick_counts(db, &comparisons).await?
    };
    let tally = |id: i64| tallies.get(&id).copied().unwrap_or_default();
    Ok(topics
        .iter()
        .map(|topic| match *topic {
            Topic::Tool(id) => Numbers {
                left: tally(id),
                right: tally(id),
                picks: (0, 0),
            },
            Topic::Comparison { left, right } => {
                let picked = |tool: i64| {
                    picks
                        .get(&entities::pick::pair(left, right))
                        .and_then(|p| p.get(&tool))
                        .copied()
                        .unwrap_or(0)
                };
                Numbers {
                    left: tally(left),
                    right: tally(right),
                    picks: (picked(left), picked(right)),
                }
            }
        })
        .collect())
}

/// Every watched topic and the channel its subscribers read; `None` until
/// the first change after the topic was first watched.
type Feeds = Mutex<HashMap<Topic, watch::Sender<Option<Numbers>>>>;

/// Announces score changes and hands out subscriptions to them.
#[derive(Clone)]
pub struct LiveScores {
    sender: broadcast::Sender<ScoreChange>,
    db: DatabaseConnection,
    feeds: Arc<Feeds>,
}

/// The work that carries announcements to subscribers, not started yet:
/// the server starts it with its other tasks.
pub struct LiveTasks {
    db: DatabaseConnection,
    sender: broadcast::Sender<ScoreChange>,
    changes: broadcast::Receiver<ScoreChange>,
    feeds: Arc<Feeds>,
}

impl LiveTasks {
    /// The task that turns announcements into numbers, and on PostgreSQL
    /// the one that keeps a `LISTEN` connection; then what ends once this
    /// instance hears every instance's announcements (at once on SQLite; on
    /// PostgreSQL when `LISTEN` first holds, or when its task is gone).
    pub fn into_futures(self) -> (Vec<BoxFuture<'static, ()>>, BoxFuture<'static, ()>) {
        let mut tasks = vec![fan_out(self.db.clone(), self.changes, self.feeds).boxed()];
        if self.db.get_database_backend() != DbBackend::Postgres {
            return (tasks, futures::future::ready(()).boxed());
        }
        let pool = self.db.get_postgres_connection_pool().clone();
        let (heard, hearing) = oneshot::channel();
        tasks.push(listen(pool, self.sender, heard).boxed());
        (tasks, hearing.map(drop).boxed())
    }
}

impl LiveScores {
    /// The announcer, and the tasks that carry its announcements (started
    /// by the server, so that building it starts nothing).
    pub fn new(db: &DatabaseConnection) -> (Self, LiveTasks) {
        let (sender, changes) = broadcast::channel(4096);
        let feeds = Arc::new(Feeds::default());
        let tasks = LiveTasks {
            db: db.clone(),
            sender: sender.clone(),
            changes,
            feeds: feeds.clone(),
        };
        let live = LiveScores {
            sender,
            db: db.clone(),
            feeds,
        };
        (live, tasks)
    }

    /// Announces a change to every subscriber of every instance. A failure
    /// to announce is logged, never an error for the voter: the vote stands.
    pub async fn publish(&self, change: ScoreChange) {
        if self.db.get_database_backend() != DbBackend::Postgres {
            let _ = self.sender.send(change);
            return;
        }
        let notify = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_notify($1, $2)",
            [CHANNEL.into(), change.encode().into()],
        );
        if let Err(error) = self.db.execute_raw(notify).await {
            tracing::warn!(%error, "could not announce a score change");
        }
    }

    /// Changes from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<ScoreChange> {
        self.sender.subscribe()
    }

    /// The topic's numbers after every change from now on (shared with every
    /// other subscriber of the topic); dropping the receiver unsubscribes.
    pub fn watch(&self, topic: Topic) -> watch::Receiver<Option<Numbers>> {
        let mut feeds = self.feeds.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(feed) = feeds.get(&topic) {
            return feed.subscribe();
        }
        // A new topic: a good moment to forget those nobody watches any more.
        feeds.retain(|_, feed| feed.receiver_count() > 0);
        let (feed, receiver) = watch::channel(None);
        feeds.insert(topic, feed);
        receiver
    }

    /// The topic's numbers now, read from the database.
    pub async fn numbers(&self, topic: Topic) -> Result<Numbers, DbErr> {
        Ok(count(&self.db, &[topic]).await?.pop().unwrap_or_default())
    }

    /// How many topics have subscribers (for tests and metrics).
    pub fn watched_topics(&self) -> usize {
        let feeds = self.feeds.lock().unwrap_or_else(|e| e.into_inner());
        feeds.values().filter(|f| f.receiver_count() > 0).count()
    }
}

/// The one task per instance that turns announcements into numbers: it
/// takes every announcement waiting, recomputes the watched topics they
/// touch in one go, and sends each subscriber list its new numbers.
async fn fan_out(
    db: DatabaseConnection,
    mut changes: broadcast::Receiver<ScoreChange>,
    feeds: Arc<Feeds>,
) {
    use broadcast::error::{RecvError, TryRecvError};
    loop {
        let mut batch = vec![match changes.recv().await {
            Ok(change) => change,
            // Missed some: recompute everything watched.
            Err(RecvError::Lagged(_)) => ScoreChange::All,
            Err(RecvError::Closed) => return,
        }];
        loop {
            match changes.try_recv() {
                Ok(change) => batch.push(change),
                Err(TryRecvError::Lagged(_)) => batch.push(ScoreChange::All),
                Err(_) => break,
            }
        }
        let topics: Vec<Topic> = {
            let mut feeds = feeds.lock().unwrap_or_else(|e| e.into_inner());
            feeds.retain(|_, feed| feed.receiver_count() > 0);
            feeds
                .keys()
                .filter(|topic| batch.iter().any(|change| topic.wants(*change)))
                .copied()
                .collect()
        };
        if topics.is_empty() {
            continue;
        }
        let numbers = match count(&db, &topics).await {
            Ok(numbers) => numbers,
            Err(error) => {
                tracing::warn!(%error, "cannot recount the scores subscribers watch");
                continue;
            }
        };
        let feeds = feeds.lock().unwrap_or_else(|e| e.into_inner());
        for (topic, numbers) in topics.iter().zip(numbers) {
            if let Some(feed) = feeds.get(topic) {
                feed.send_if_modified(|current| {
                    let changed = *current != Some(numbers);
                    *current = Some(numbers);
                    changed
                });
            }
        }
    }
}

async fn listen(
    pool: sqlx::PgPool,
    sender: broadcast::Sender<ScoreChange>,
    heard: oneshot::Sender<()>,
) {
    let mut heard = Some(heard);
    loop {
        match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if let Err(error) = listener.listen(CHANNEL).await {
                    tracing::warn!(%error, "cannot LISTEN for score changes");
                } else {
                    // Anything announced while we were not listening is lost: recompute all.
                    let _ = sender.send(ScoreChange::All);
                    if let Some(heard) = heard.take() {
                        let _ = heard.send(());
                    }
                    loop {
                        match listener.recv().await {
                            Ok(notification) => {
                                let _ = sender.send(ScoreChange::decode(notification.payload()));
                            }
                            Err(error) => {
                                tracing::warn!(%error, "lost the LISTEN connection");
                                break;
                            }
                        }
                    }
                }
            }
            Err(error) => tracing::warn!(%error, "cannot connect to LISTEN for score changes"),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::ScoreChange;

    #[test]
    fn score_change_round_trips_through_its_payload() {
        for change in [
            ScoreChange::Tool(7),
            ScoreChange::Pair(4, 42),
            ScoreChange::All,
        ] {
            assert_eq!(ScoreChange::decode(&change.encode()), change);
        }
        assert_eq!(ScoreChange::decode("t:x"), ScoreChange::All);
    }
}
