//! The weekly verdicts: subscribers with double opt-in, and the outbox every
//! mail is written to before it is sent (or read by editors without SMTP).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::dialect::{self, Dialect};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn up_statements(backend: DbBackend) -> Vec<String> {
    let Dialect {
        id, timestamp: ts, ..
    } = Dialect::of(backend);
    vec![
        format!(
            "CREATE TABLE subscribers (
                id {id},
                email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
                status TEXT NOT NULL CHECK (status IN ('PENDING', 'CONFIRMED', 'UNSUBSCRIBED')),
                confirm_token_hash TEXT UNIQUE,
                confirm_expires_at {ts},
                unsubscribe_token TEXT NOT NULL UNIQUE,
                created_at {ts} NOT NULL,
                confirmation_sent_at {ts},
                confirmed_at {ts},
                unsubscribed_at {ts}
            )"
        ),
        format!(
            "CREATE TABLE outbox (
                id {id},
                subscriber_id BIGINT REFERENCES subscribers (id) ON DELETE SET NULL,
                kind TEXT NOT NULL CHECK (kind IN ('CONFIRMATION', 'DIGEST')),
                dedupe_key TEXT UNIQUE,
                to_address TEXT NOT NULL,
                subject TEXT NOT NULL,
                body TEXT NOT NULL,
                list_unsubscribe TEXT NOT NULL,
                created_at {ts} NOT NULL,
                attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
                next_attempt_at {ts} NOT NULL,
                last_error TEXT,
                sent_at {ts}
            )"
        ),
        "CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at)".into(),
        "CREATE INDEX outbox_subscriber_id ON outbox (subscriber_id)".into(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, up_statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::drop_tables(manager, &["outbox", "subscribers"]).await
    }
}
