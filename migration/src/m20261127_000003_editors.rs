//! Editors, their sessions, their API tokens and the audit log of their changes.

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
            "CREATE TABLE editors (
                id {id},
                email TEXT NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
                password_hash TEXT NOT NULL,
                created_at {ts} NOT NULL
            )"
        ),
        format!(
            "CREATE TABLE sessions (
                id {id},
                secret_hash TEXT NOT NULL UNIQUE,
                editor_id BIGINT NOT NULL REFERENCES editors (id) ON DELETE CASCADE,
                created_at {ts} NOT NULL,
                expires_at {ts} NOT NULL
            )"
        ),
        "CREATE INDEX sessions_editor_id ON sessions (editor_id)".into(),
        format!(
            "CREATE TABLE api_tokens (
                id {id},
                editor_id BIGINT NOT NULL REFERENCES editors (id) ON DELETE CASCADE,
                name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
                secret_hash TEXT NOT NULL UNIQUE,
                created_at {ts} NOT NULL,
                last_used_at {ts},
                revoked_at {ts}
            )"
        ),
        "CREATE INDEX api_tokens_editor_id ON api_tokens (editor_id)".into(),
        format!(
            "CREATE TABLE audit_entries (
                id {id},
                editor_id BIGINT REFERENCES editors (id) ON DELETE SET NULL,
                action TEXT NOT NULL CHECK (action IN ('CREATE', 'UPDATE', 'DELETE', 'PUBLISH', 'UNPUBLISH')),
                entity TEXT NOT NULL CHECK (entity IN ('CATEGORY', 'TOOL', 'REVIEWER', 'REVIEW', 'COMPARISON')),
                entity_key TEXT NOT NULL,
                before TEXT,
                after TEXT,
                created_at {ts} NOT NULL
            )"
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, up_statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::drop_tables(
            manager,
            &["audit_entries", "api_tokens", "sessions", "editors"],
        )
        .await
    }
}
