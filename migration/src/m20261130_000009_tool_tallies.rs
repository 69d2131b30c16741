//! Every tool's panel and community tallies, kept exact by triggers in the
//! transaction of each change to its reviews and votes, so that reading a
//! score is one primary-key lookup instead of counting the tool's votes (on
//! the bench catalogue, 150 votes a tool, counting was the largest part of
//! an uncached `Compare`). A table of its own rather than columns of
//! `tools`: editors and the import rewrite whole tool rows, and must not be
//! able to write a stale count back.
//!
//! Triggers rather than application code: every writer (a vote, a withdrawn
//! vote, an editor publishing a review, an import, a deleted tool) goes
//! through them, on both engines. Only published reviews count for the
//! panel, as on every read (`domain::catalogue::public::review`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// `1` when the row (`NEW` or `OLD`) is a published review with this verdict.
fn review_counts(row: &str, verdict: &str) -> String {
    format!(
        "CASE WHEN {row}.published_at IS NOT NULL AND {row}.verdict = '{verdict}' THEN 1 ELSE 0 END"
    )
}

/// `1` when the vote row (`NEW` or `OLD`) has this verdict.
fn vote_counts(row: &str, verdict: &str) -> String {
    format!("CASE WHEN {row}.verdict = '{verdict}' THEN 1 ELSE 0 END")
}

/// Adds (`+`) or takes away (`-`) one row's contribution.
fn apply(kind: &str, row: &str, sign: char) -> String {
    let (ship, skip, counts): (_, _, fn(&str, &str) -> String) = match kind {
        "reviews" => ("panel_ship", "panel_skip", review_counts),
        _ => ("community_ship", "community_skip", vote_counts),
    };
    format!(
        "UPDATE tool_tallies SET
             {ship} = {ship} {sign} ({}),
             {skip} = {skip} {sign} ({})
         WHERE tool_id = {row}.tool_id;",
        counts(row, "SHIP"),
        counts(row, "SKIP"),
    )
}

fn up_statements(backend: DbBackend) -> Vec<String> {
    // On SQLite an `INTEGER PRIMARY KEY` is the row id itself: one B-tree
    // search per tool instead of an index search and then the row.
    let key = match backend {
        DbBackend::Postgres => "BIGINT",
        _ => "INTEGER",
    };
    let mut statements = Vec::new();
    if backend == DbBackend::Postgres {
        // Other instances may be writing while this one migrates (a rolling
        // deploy): no vote or review may commit between the counts below and
        // the triggers that keep them, or it would never be counted. The
        // lock is held until the migration's transaction ends.
        statements.push("LOCK TABLE tools, reviews, votes IN SHARE ROW EXCLUSIVE MODE".to_owned());
    }
    statements.extend([
        format!("CREATE TABLE tool_tallies (
            tool_id {key} NOT NULL PRIMARY KEY REFERENCES tools (id) ON DELETE CASCADE,
            panel_ship BIGINT NOT NULL DEFAULT 0 CHECK (panel_ship >= 0),
            panel_skip BIGINT NOT NULL DEFAULT 0 CHECK (panel_skip >= 0),
            community_ship BIGINT NOT NULL DEFAULT 0 CHECK (community_ship >= 0),
            community_skip BIGINT NOT NULL DEFAULT 0 CHECK (community_skip >= 0)
        )"),
        format!(
            "INSERT INTO tool_tallies (tool_id, panel_ship, panel_skip, community_ship, community_skip)
             SELECT t.id,
                 (SELECT COUNT(*) FROM reviews r WHERE r.tool_id = t.id AND {}),
                 (SELECT COUNT(*) FROM reviews r WHERE r.tool_id = t.id AND {}),
                 (SELECT COUNT(*) FROM votes v WHERE v.tool_id = t.id AND v.verdict = 'SHIP'),
                 (SELECT COUNT(*) FROM votes v WHERE v.tool_id = t.id AND v.verdict = 'SKIP')
             FROM tools t",
            "r.published_at IS NOT NULL AND r.verdict = 'SHIP'",
            "r.published_at IS NOT NULL AND r.verdict = 'SKIP'",
        ),
    ]);
    // (trigger name, table, event, body)
    let mut triggers: Vec<(String, &str, &str, String)> = vec![(
        "tools_insert_tally".into(),
        "tools",
        "INSERT",
        "INSERT INTO tool_tallies (tool_id) VALUES (NEW.id);".into(),
    )];
    for table in ["reviews", "votes"] {
        triggers.push((
            format!("{table}_insert_tally"),
            table,
            "INSERT",
            apply(table, "NEW", '+'),
        ));
        triggers.push((
            format!("{table}_delete_tally"),
            table,
            "DELETE",
            apply(table, "OLD", '-'),
        ));
        triggers.push((
            format!("{table}_update_tally"),
            table,
            "UPDATE",
            format!("{}\n{}", apply(table, "OLD", '-'), apply(table, "NEW", '+')),
        ));
    }
    for (name, table, event, body) in triggers {
        match backend {
            DbBackend::Postgres => {
                statements.push(format!(
                    "CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN
                         {body}
                         RETURN NULL;
                     END
                     $$"
                ));
                statements.push(format!(
                    "CREATE TRIGGER {name} AFTER {event} ON {table}
                     FOR EACH ROW EXECUTE FUNCTION {name}()"
                ));
            }
            _ => statements.push(format!(
                "CREATE TRIGGER {name} AFTER {event} ON {table}
                 BEGIN
                     {body}
                 END"
            )),
        }
    }
    statements
}

const TRIGGERS: [(&str, &str); 7] = [
    ("tools_insert_tally", "tools"),
    ("reviews_insert_tally", "reviews"),
    ("reviews_delete_tally", "reviews"),
    ("reviews_update_tally", "reviews"),
    ("votes_insert_tally", "votes"),
    ("votes_delete_tally", "votes"),
    ("votes_update_tally", "votes"),
];

fn down_statements(backend: DbBackend) -> Vec<String> {
    let mut statements = Vec::new();
    for (name, table) in TRIGGERS {
        match backend {
            DbBackend::Postgres => {
                statements.push(format!("DROP TRIGGER {name} ON {table}"));
                statements.push(format!("DROP FUNCTION {name}()"));
            }
            _ => statements.push(format!("DROP TRIGGER {name}")),
        }
    }
    statements.push("DROP TABLE tool_tallies".to_owned());
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
