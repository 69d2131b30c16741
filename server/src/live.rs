//! Live score updates: every vote or pick announces which scores changed.
//! On SQLite (one process) the announcement goes straight to this process's
//! subscribers; on PostgreSQL it goes through `NOTIFY`, so subscribers on
//! every instance sharing the database hear it (each instance `LISTEN`s).

use std::time::Duration;

use sea_orm::{sqlx, ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use tokio::sync::broadcast;

/// The PostgreSQL channel the instances talk on.
const CHANNEL: &str = "verdicts_scores";

/// Which scores changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreChange {
    /// A tool's community score (a vote).
    Tool(i64),
    /// A comparison's head-to-head (a pick).
    Comparison(i64),
    /// Unknown: recompute everything (announcements may have been missed).
    All,
}

impl ScoreChange {
    fn encode(self) -> String {
        match self {
            ScoreChange::Tool(id) => format!("t:{id}"),
            ScoreChange::Comparison(id) => format!("c:{id}"),
            ScoreChange::All => "*".to_owned(),
        }
    }

    fn decode(payload: &str) -> ScoreChange {
        let parse = |id: &str| id.parse().ok();
        match payload.split_once(':') {
            Some(("t", id)) => parse(id).map_or(ScoreChange::All, ScoreChange::Tool),
            Some(("c", id)) => parse(id).map_or(ScoreChange::All, ScoreChange::Comparison),
            _ => ScoreChange::All,
        }
    }
}

/// Announces score changes and hands out subscriptions to them.
#[derive(Clone)]
pub struct LiveScores {
    sender: broadcast::Sender<ScoreChange>,
    db: DatabaseConnection,
}

impl LiveScores {
    /// Starts listening (on PostgreSQL, a task that keeps a `LISTEN` connection).
    pub fn start(db: &DatabaseConnection) -> Self {
        let (sender, _) = broadcast::channel(4096);
        if db.get_database_backend() == DbBackend::Postgres {
            tokio::spawn(listen(
                db.get_postgres_connection_pool().clone(),
                sender.clone(),
            ));
        }
        LiveScores {
            sender,
            db: db.clone(),
        }
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
}

async fn listen(pool: sqlx::PgPool, sender: broadcast::Sender<ScoreChange>) {
    loop {
        match sqlx::postgres::PgListener::connect_with(&pool).await {
            Ok(mut listener) => {
                if let Err(error) = listener.listen(CHANNEL).await {
                    tracing::warn!(%error, "cannot LISTEN for score changes");
                } else {
                    // Anything announced while we were not listening is lost: recompute all.
                    let _ = sender.send(ScoreChange::All);
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
            ScoreChange::Comparison(42),
            ScoreChange::All,
        ] {
            assert_eq!(ScoreChange::decode(&change.encode()), change);
        }
        assert_eq!(ScoreChange::decode("t:x"), ScoreChange::All);
    }
}
