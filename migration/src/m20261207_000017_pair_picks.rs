//! Picks by pair (issue 18, item 6): a reader's head-to-head pick belongs to
//! the unordered pair of tools, not to an editor's comparison, so readers
//! can pick on any pair's page (`/compare/a-vs-b`) and a curated comparison
//! shares its picks with its pair's page.
//!
//! `picks` is rebuilt keyed by `(low_tool_id, high_tool_id, voter)` (the
//! pair's smaller tool id first), filled from the old rows through their
//! comparisons; a voter who picked on both `a-vs-b` and `b-vs-a` keeps the
//! later pick. The change log (migration 10) records a pick under `p`, once
//! for each tool of the pair: every page that shows the pair reads both tools.
//! Deleting a comparison no longer deletes its picks (they are the pair's);
//! deleting a tool still does.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::dialect::{self, Dialect};
use crate::m20261130_000010_content_changes::{
    postgres_triggers, sqlite_triggers, Watched, EVENTS,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The old table, as migration 10 watched it.
const BY_COMPARISON: Watched = Watched {
    table: "picks",
    rows: &[("c", "comparison_id")],
    list: None,
    listed_columns: None,
};

/// The new table: a pick touches both tools of its pair.
const BY_PAIR: Watched = Watched {
    table: "picks",
    rows: &[("p", "low_tool_id"), ("p", "high_tool_id")],
    list: None,
    listed_columns: None,
};

fn drop_triggers(backend: DbBackend) -> Vec<String> {
    let mut statements = Vec::new();
    for event in EVENTS {
        let lower = event.to_ascii_lowercase();
        match backend {
            DbBackend::Postgres => {
                statements.push(format!("DROP TRIGGER picks_{lower}_changes ON picks"));
                statements.push(format!("DROP FUNCTION picks_{lower}_changes()"));
            }
            _ => statements.push(format!("DROP TRIGGER picks_{lower}_changes")),
        }
    }
    if backend == DbBackend::Postgres {
        statements.push("DROP TRIGGER picks_truncate_changes ON picks".to_owned());
    }
    statements
}

fn triggers(backend: DbBackend, watched: &Watched) -> Vec<String> {
    match backend {
        DbBackend::Postgres => postgres_triggers(watched),
        _ => sqlite_triggers(watched),
    }
}

/// The smaller and the larger of two ids, as the engine spells them.
fn low_high(backend: DbBackend, a: &str, b: &str) -> (String, String) {
    match backend {
        DbBackend::Postgres => (format!("LEAST({a}, {b})"), format!("GREATEST({a}, {b})")),
        _ => (format!("min({a}, {b})"), format!("max({a}, {b})")),
    }
}

/// How a table is rebuilt under its own name. PostgreSQL builds the new one
/// beside it and renames it (the old one's sequence and indexes go with the
/// old table). SQLite moves the old one aside first: renaming the new one
/// onto the dropped one's name can be refused by a pooled connection that
/// still sees the old schema.
struct Rebuild {
    /// The name the new table is created under.
    new: &'static str,
    /// Where the old rows are read from.
    old: &'static str,
    /// Before creating the new table.
    before: Vec<String>,
    /// After filling it.
    after: Vec<String>,
}

fn rebuild(backend: DbBackend, scratch: &'static str) -> Rebuild {
    match backend {
        DbBackend::Postgres => Rebuild {
            new: scratch,
            old: "picks",
            before: Vec::new(),
            after: vec![
                "DROP TABLE picks".to_owned(),
                format!("ALTER TABLE {scratch} RENAME TO picks"),
            ],
        },
        _ => Rebuild {
            new: "picks",
            old: scratch,
            before: vec![format!("ALTER TABLE picks RENAME TO {scratch}")],
            after: vec![format!("DROP TABLE {scratch}")],
        },
    }
}

fn up_statements(backend: DbBackend) -> Vec<String> {
    let Dialect { id, timestamp, .. } = Dialect::of(backend);
    let (low, high) = low_high(backend, "c.left_tool_id", "c.right_tool_id");
    let (low2, high2) = low_high(backend, "c2.left_tool_id", "c2.right_tool_id");
    let Rebuild {
        new,
        old,
        before,
        after,
    } = rebuild(backend, "pair_picks");
    let mut statements = drop_triggers(backend);
    statements.extend(before);
    statements.extend([
        format!(
            "CREATE TABLE {new} (
                id {id},
                low_tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
                high_tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
                voter TEXT NOT NULL CHECK (length(voter) BETWEEN 1 AND 64),
                tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
                created_at {timestamp} NOT NULL,
                updated_at {timestamp} NOT NULL,
                CONSTRAINT picks_pair_in_order CHECK (low_tool_id < high_tool_id),
                CONSTRAINT picks_one_of_the_pair CHECK (tool_id = low_tool_id OR tool_id = high_tool_id),
                CONSTRAINT picks_one_per_voter_and_pair UNIQUE (low_tool_id, high_tool_id, voter)
            )"
        ),
        // The later of a voter's picks on `a-vs-b` and `b-vs-a`. A pick of
        // a tool the comparison no longer holds (its tools were changed
        // after the pick) is not carried over: it picked in another pair.
        format!(
            "INSERT INTO {new} (low_tool_id, high_tool_id, voter, tool_id, created_at, updated_at)
             SELECT {low}, {high}, p.voter, p.tool_id, p.created_at, p.updated_at
             FROM {old} p JOIN comparisons c ON c.id = p.comparison_id
             WHERE p.tool_id IN (c.left_tool_id, c.right_tool_id) AND NOT EXISTS (
                 SELECT 1 FROM {old} p2 JOIN comparisons c2 ON c2.id = p2.comparison_id
                 WHERE p2.voter = p.voter AND p2.id <> p.id
                   AND p2.tool_id IN (c2.left_tool_id, c2.right_tool_id)
                   AND {low2} = {low} AND {high2} = {high}
                   AND (p2.updated_at > p.updated_at
                        OR (p2.updated_at = p.updated_at AND p2.id > p.id))
             )
             ORDER BY p.id"
        ),
    ]);
    statements.extend(after);
    statements.extend([
        "CREATE INDEX picks_by_tool ON picks (tool_id)".to_owned(),
        "CREATE INDEX picks_by_high_tool ON picks (high_tool_id)".to_owned(),
    ]);
    statements.extend(triggers(backend, &BY_PAIR));
    statements
}

fn down_statements(backend: DbBackend) -> Vec<String> {
    let Dialect { id, timestamp, .. } = Dialect::of(backend);
    let (low, high) = low_high(backend, "c.left_tool_id", "c.right_tool_id");
    let Rebuild {
        new,
        old,
        before,
        after,
    } = rebuild(backend, "comparison_picks");
    let mut statements = drop_triggers(backend);
    statements.extend([
        "DROP INDEX picks_by_tool".to_owned(),
        "DROP INDEX picks_by_high_tool".to_owned(),
    ]);
    statements.extend(before);
    statements.extend([
        format!(
            "CREATE TABLE {new} (
                id {id},
                comparison_id BIGINT NOT NULL REFERENCES comparisons (id) ON DELETE CASCADE,
                voter TEXT NOT NULL CHECK (length(voter) BETWEEN 1 AND 64),
                tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
                created_at {timestamp} NOT NULL,
                updated_at {timestamp} NOT NULL,
                CONSTRAINT picks_one_per_voter_and_comparison UNIQUE (comparison_id, voter)
            )"
        ),
        // Picks on a pair without a comparison have nowhere to go back to.
        format!(
            "INSERT INTO {new} (comparison_id, voter, tool_id, created_at, updated_at)
             SELECT c.id, p.voter, p.tool_id, p.created_at, p.updated_at
             FROM {old} p JOIN comparisons c ON {low} = p.low_tool_id AND {high} = p.high_tool_id
             ORDER BY p.id"
        ),
    ]);
    statements.extend(after);
    statements.extend(triggers(backend, &BY_COMPARISON));
    statements
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, up_statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, down_statements).await
    }
}
