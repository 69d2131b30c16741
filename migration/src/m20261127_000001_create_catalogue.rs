//! Categories, tools, reviewers, reviews, comparisons, votes and settings, with
//! the domain's rules as database constraints (uniques, foreign keys, enum checks).

use crate::dialect::{self, Dialect};
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn up_statements(d: &Dialect) -> Vec<String> {
    let Dialect {
        id,
        timestamp: ts,
        slug,
    } = d;
    vec![
        format!(
            "CREATE TABLE categories (
                id {id},
                slug {slug} NOT NULL UNIQUE,
                name TEXT NOT NULL
            )"
        ),
        format!(
            "CREATE TABLE tools (
                id {id},
                slug {slug} NOT NULL UNIQUE,
                name TEXT NOT NULL,
                vendor TEXT NOT NULL,
                category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE RESTRICT,
                tagline TEXT NOT NULL,
                description TEXT NOT NULL,
                license TEXT NOT NULL,
                pricing_model TEXT NOT NULL
                    CHECK (pricing_model IN ('FREE', 'FREEMIUM', 'PAID', 'CONTACT')),
                pricing_entry TEXT NOT NULL,
                website_url TEXT,
                published_at {ts}
            )"
        ),
        "CREATE INDEX tools_category_id ON tools (category_id)".into(),
        format!(
            "CREATE TABLE reviewers (
                id {id},
                slug {slug} NOT NULL UNIQUE,
                name TEXT NOT NULL,
                lens TEXT NOT NULL CHECK (lens IN
                    ('DEVELOPER_EXPERIENCE', 'COMPETITIVE_RISK', 'STRATEGIC_THESIS', 'BUSINESS_CASE')),
                bio TEXT NOT NULL
            )"
        ),
        format!(
            "CREATE TABLE reviews (
                id {id},
                tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE RESTRICT,
                reviewer_id BIGINT NOT NULL REFERENCES reviewers (id) ON DELETE RESTRICT,
                verdict TEXT NOT NULL CHECK (verdict IN ('SHIP', 'SKIP')),
                body TEXT NOT NULL,
                published_at {ts},
                CONSTRAINT reviews_one_per_reviewer_and_tool UNIQUE (reviewer_id, tool_id)
            )"
        ),
        "CREATE INDEX reviews_tool_id ON reviews (tool_id)".into(),
        format!(
            "CREATE TABLE comparisons (
                id {id},
                slug {slug} NOT NULL UNIQUE,
                title TEXT NOT NULL,
                summary TEXT NOT NULL,
                left_tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE RESTRICT,
                right_tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE RESTRICT,
                published_at {ts},
                CONSTRAINT comparisons_two_different_tools CHECK (left_tool_id <> right_tool_id),
                CONSTRAINT comparisons_one_per_pair UNIQUE (left_tool_id, right_tool_id)
            )"
        ),
        "CREATE INDEX comparisons_right_tool_id ON comparisons (right_tool_id)".into(),
        format!(
            "CREATE TABLE votes (
                id {id},
                tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
                voter TEXT NOT NULL CHECK (length(voter) BETWEEN 1 AND 64),
                verdict TEXT NOT NULL CHECK (verdict IN ('SHIP', 'SKIP')),
                created_at {ts} NOT NULL,
                updated_at {ts} NOT NULL,
                CONSTRAINT votes_one_per_voter_and_tool UNIQUE (tool_id, voter)
            )"
        ),
        "CREATE TABLE settings (
            key TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        )"
        .into(),
    ]
}

const TABLES_NEWEST_FIRST: [&str; 7] = [
    "settings",
    "votes",
    "comparisons",
    "reviews",
    "reviewers",
    "tools",
    "categories",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, |backend| up_statements(&Dialect::of(backend))).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::drop_tables(manager, &TABLES_NEWEST_FIRST).await
    }
}
