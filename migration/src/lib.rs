//! The Verdicts schema as ordered migrations, valid on SQLite and PostgreSQL.

pub use sea_orm_migration::prelude::*;

mod dialect;
mod m20261127_000001_create_catalogue;
mod m20261127_000002_fair_votes;
mod m20261127_000003_editors;
mod m20261127_000004_vote_event_times;
mod m20261127_000005_newsletter;
mod m20261127_000006_score_history;
mod m20261127_000007_content_version;
mod m20261127_000008_vote_tallies_index;
mod m20261130_000009_tool_tallies;
mod m20261130_000010_content_changes;
pub mod m20261206_000011_vote_integrity;
mod m20261207_000012_webhooks;
mod m20261207_000013_review_provenance;
mod m20261207_000014_comparison_verdict;
mod m20261207_000015_search;
mod m20261207_000016_tool_facts;
mod m20261207_000017_pair_picks;

/// Every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_create_catalogue::Migration),
            Box::new(m20261127_000002_fair_votes::Migration),
            Box::new(m20261127_000003_editors::Migration),
            Box::new(m20261127_000004_vote_event_times::Migration),
            Box::new(m20261127_000005_newsletter::Migration),
            Box::new(m20261127_000006_score_history::Migration),
            Box::new(m20261127_000007_content_version::Migration),
            Box::new(m20261127_000008_vote_tallies_index::Migration),
            Box::new(m20261130_000009_tool_tallies::Migration),
            Box::new(m20261130_000010_content_changes::Migration),
            Box::new(m20261206_000011_vote_integrity::Migration),
            Box::new(m20261207_000012_webhooks::Migration),
            Box::new(m20261207_000013_review_provenance::Migration),
            Box::new(m20261207_000014_comparison_verdict::Migration),
            Box::new(m20261207_000015_search::Migration),
            Box::new(m20261207_000016_tool_facts::Migration),
            Box::new(m20261207_000017_pair_picks::Migration),
        ]
    }
}
