//! Tool facts (issue 19, item 3): typed facts editors record per tool
//! ("Parameters" NUMBER 3 "B", "Modalities" LIST text, image), and the
//! labels each category suggests, so that comparable tools carry comparable
//! facts.
//!
//! - `tool_facts`: one row per fact, in the tool's order (`position`). The
//!   value is text whatever the kind: a NUMBER's canonical decimal
//!   (`128000`, `0.5`), a BOOLEAN's `true` or `false`, a LIST's items one
//!   per line. Labels are unique per tool ignoring case.
//! - `category_fact_labels`: a category's suggested labels, with the kind
//!   and unit they take, in order.
//!
//! Both feed the change log (migration 10): a tool's facts are part of the
//! tool (and of which tools a search finds: the list topic), a category's
//! labels part of the category. A tool's facts join its search document
//! (migration 15) as a fifth field, `facts`, weighted as the tagline: the
//! SQLite FTS5 table is rebuilt with the new column (FTS5 tables cannot
//! gain one), PostgreSQL's `search_documents` gains the column and its
//! `tsvector` is recomputed; triggers keep it in step in the writing
//! transaction.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::dialect::{self, Dialect};
use crate::m20261130_000010_content_changes::{
    postgres_triggers, sqlite_triggers, Watched, EVENTS,
};
use crate::m20261207_000015_search::{self as search, COMPARISON_DOCUMENT};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The new tables readers see, as the change log watches them.
const WATCHED: [Watched; 2] = [
    Watched {
        table: "tool_facts",
        rows: &[("t", "tool_id")],
        // Which tools a search finds changes with their facts.
        list: Some("T"),
        listed_columns: None,
    },
    Watched {
        table: "category_fact_labels",
        rows: &[("g", "category_id")],
        list: None,
        listed_columns: None,
    },
];

const KINDS: &str = "('TEXT', 'NUMBER', 'BOOLEAN', 'LIST')";

/// A tool's facts as searchable text (`label value unit …`, a BOOLEAN as
/// yes or no), from `tool_facts` of the tool whose id is `tool`.
fn facts_text(backend: DbBackend, tool: &str) -> String {
    let fact = "f.label || ' ' || (CASE WHEN f.kind = 'BOOLEAN' THEN \
        (CASE WHEN f.value = 'true' THEN 'yes' ELSE 'no' END) ELSE f.value END) \
        || coalesce(' ' || f.unit, '')";
    match backend {
        DbBackend::Postgres => format!(
            "(SELECT coalesce(string_agg({fact}, ' ' ORDER BY f.position), '') \
             FROM tool_facts f WHERE f.tool_id = {tool})"
        ),
        _ => format!(
            "(SELECT coalesce(group_concat({fact}, ' '), '') \
             FROM (SELECT * FROM tool_facts WHERE tool_id = {tool} ORDER BY position) f)"
        ),
    }
}

fn tables(backend: DbBackend) -> Vec<String> {
    let Dialect { id, .. } = Dialect::of(backend);
    vec![
        format!(
            "CREATE TABLE tool_facts (
                id {id},
                tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
                position INTEGER NOT NULL CHECK (position >= 0),
                label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
                kind TEXT NOT NULL CHECK (kind IN {KINDS}),
                value TEXT NOT NULL CHECK (length(value) BETWEEN 1 AND 1500),
                unit TEXT CHECK (unit IS NULL OR length(unit) BETWEEN 1 AND 24),
                CONSTRAINT tool_facts_one_per_position UNIQUE (tool_id, position)
            )"
        ),
        "CREATE UNIQUE INDEX tool_facts_one_per_label ON tool_facts (tool_id, lower(label))"
            .to_owned(),
        format!(
            "CREATE TABLE category_fact_labels (
                id {id},
                category_id BIGINT NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
                position INTEGER NOT NULL CHECK (position >= 0),
                label TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 60),
                kind TEXT NOT NULL CHECK (kind IN {KINDS}),
                unit TEXT CHECK (unit IS NULL OR length(unit) BETWEEN 1 AND 24),
                CONSTRAINT category_fact_labels_one_per_position UNIQUE (category_id, position)
            )"
        ),
        "CREATE UNIQUE INDEX category_fact_labels_one_per_label \
         ON category_fact_labels (category_id, lower(label))"
            .to_owned(),
    ]
}

/// Migration 15's SQLite search, rebuilt with `facts`.
fn sqlite_search() -> Vec<String> {
    let backend = DbBackend::Sqlite;
    let insert = "INSERT INTO search_index(rowid, name, makers, tagline, body, facts)";
    // A comparison has no facts (FTS5 takes the missing column as empty).
    let insert_comparison = "INSERT INTO search_index(rowid, name, makers, tagline, body)";
    let tool_document = |tool: &str| {
        format!(
            "SELECT t.id * 2, t.name, t.vendor, t.tagline, t.description, {} \
             FROM tools t WHERE t.id = {tool}",
            facts_text(backend, "t.id")
        )
    };
    let refresh = |tool: &str| {
        format!(
            "UPDATE search_index SET facts = {} WHERE rowid = {tool} * 2;",
            facts_text(backend, tool)
        )
    };
    let mut statements: Vec<String> = [
        "DROP TRIGGER search_tools_insert",
        "DROP TRIGGER search_tools_update",
        "DROP TRIGGER search_tools_delete",
        "DROP TRIGGER search_comparisons_insert",
        "DROP TRIGGER search_comparisons_update",
        "DROP TRIGGER search_comparisons_delete",
        "DROP TABLE search_vocab",
        "DROP TABLE search_index",
    ]
    .map(str::to_owned)
    .to_vec();
    statements.extend([
        "CREATE VIRTUAL TABLE search_index USING fts5(name, makers, tagline, body, facts, \
         tokenize = 'unicode61 remove_diacritics 2')"
            .to_owned(),
        "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_index, 'row')".to_owned(),
        format!(
            "{insert} SELECT t.id * 2, t.name, t.vendor, t.tagline, t.description, {} FROM tools t",
            facts_text(backend, "t.id")
        ),
        format!("{insert_comparison} {COMPARISON_DOCUMENT}"),
        format!(
            "CREATE TRIGGER search_tools_insert AFTER INSERT ON tools BEGIN \
             {insert} {}; END",
            tool_document("new.id")
        ),
        format!(
            "CREATE TRIGGER search_tools_update AFTER UPDATE OF name, vendor, tagline, description ON tools BEGIN \
             DELETE FROM search_index WHERE rowid = old.id * 2; \
             {insert} {}; \
             DELETE FROM search_index WHERE rowid IN (SELECT id * 2 + 1 FROM comparisons \
               WHERE left_tool_id = new.id OR right_tool_id = new.id); \
             {insert_comparison} {COMPARISON_DOCUMENT} WHERE c.left_tool_id = new.id OR c.right_tool_id = new.id; END",
            tool_document("new.id")
        ),
        "CREATE TRIGGER search_tools_delete AFTER DELETE ON tools BEGIN \
         DELETE FROM search_index WHERE rowid = old.id * 2; END"
            .to_owned(),
        format!(
            "CREATE TRIGGER search_comparisons_insert AFTER INSERT ON comparisons BEGIN \
             {insert_comparison} {COMPARISON_DOCUMENT} WHERE c.id = new.id; END"
        ),
        format!(
            "CREATE TRIGGER search_comparisons_update AFTER UPDATE OF title, summary, left_tool_id, right_tool_id \
             ON comparisons BEGIN \
             DELETE FROM search_index WHERE rowid = old.id * 2 + 1; \
             {insert_comparison} {COMPARISON_DOCUMENT} WHERE c.id = new.id; END"
        ),
        "CREATE TRIGGER search_comparisons_delete AFTER DELETE ON comparisons BEGIN \
         DELETE FROM search_index WHERE rowid = old.id * 2 + 1; END"
            .to_owned(),
        format!(
            "CREATE TRIGGER search_facts_insert AFTER INSERT ON tool_facts BEGIN {} END",
            refresh("new.tool_id")
        ),
        format!(
            "CREATE TRIGGER search_facts_update AFTER UPDATE ON tool_facts BEGIN {} {} END",
            refresh("old.tool_id"),
            refresh("new.tool_id")
        ),
        format!(
            "CREATE TRIGGER search_facts_delete AFTER DELETE ON tool_facts BEGIN {} END",
            refresh("old.tool_id")
        ),
    ]);
    statements
}

/// Migration 15's PostgreSQL search, with `facts`.
fn postgres_search() -> Vec<String> {
    let backend = DbBackend::Postgres;
    let words = |text: &str| {
        format!(
            "INSERT INTO search_words (word) SELECT lexeme FROM unnest(to_tsvector('simple', {text})) \
             ON CONFLICT (word) DO NOTHING;"
        )
    };
    let upsert = "INSERT INTO search_documents (doc_id, name, makers, tagline, body, facts)";
    let conflict = "ON CONFLICT (doc_id) DO UPDATE SET name = EXCLUDED.name, \
        makers = EXCLUDED.makers, tagline = EXCLUDED.tagline, body = EXCLUDED.body, \
        facts = EXCLUDED.facts";
    // A comparison has no facts (the column's default).
    let comparison_upsert = "INSERT INTO search_documents (doc_id, name, makers, tagline, body)";
    let comparison_conflict = "ON CONFLICT (doc_id) DO UPDATE SET name = EXCLUDED.name, \
        makers = EXCLUDED.makers, tagline = EXCLUDED.tagline, body = EXCLUDED.body";
    vec![
        "ALTER TABLE search_documents ADD COLUMN facts TEXT NOT NULL DEFAULT ''".to_owned(),
        "ALTER TABLE search_documents DROP COLUMN document".to_owned(),
        "ALTER TABLE search_documents ADD COLUMN document tsvector GENERATED ALWAYS AS ( \
           setweight(to_tsvector('simple', name), 'A') || \
           setweight(to_tsvector('simple', makers), 'B') || \
           setweight(to_tsvector('simple', tagline), 'C') || \
           setweight(to_tsvector('simple', facts), 'C') || \
           setweight(to_tsvector('simple', body), 'D')) STORED"
            .to_owned(),
        "CREATE INDEX search_documents_document ON search_documents USING GIN (document)".to_owned(),
        format!(
            "UPDATE search_documents d SET facts = {} WHERE d.doc_id % 2 = 0",
            facts_text(backend, "d.doc_id / 2")
        ),
        "INSERT INTO search_words (word) SELECT DISTINCT lexeme FROM search_documents, unnest(document) \
         ON CONFLICT (word) DO NOTHING"
            .to_owned(),
        format!(
            "CREATE OR REPLACE FUNCTION search_tool_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP = 'DELETE' THEN DELETE FROM search_documents WHERE doc_id = OLD.id * 2; RETURN OLD; END IF; \
             {upsert} VALUES (NEW.id * 2, NEW.name, NEW.vendor, NEW.tagline, NEW.description, {facts}) {conflict}; \
             {words_tool} \
             IF TG_OP = 'UPDATE' THEN \
               {comparison_upsert} {COMPARISON_DOCUMENT} WHERE c.left_tool_id = NEW.id OR c.right_tool_id = NEW.id \
               {comparison_conflict}; \
             END IF; \
             RETURN NEW; END $$",
            facts = facts_text(backend, "NEW.id"),
            words_tool = words("NEW.name || ' ' || NEW.vendor || ' ' || NEW.tagline || ' ' || NEW.description"),
        ),
        format!(
            "CREATE FUNCTION search_facts_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
             DECLARE tool BIGINT; BEGIN \
             IF TG_OP = 'DELETE' THEN tool := OLD.tool_id; ELSE tool := NEW.tool_id; END IF; \
             UPDATE search_documents SET facts = {facts} WHERE doc_id = tool * 2; \
             IF TG_OP = 'UPDATE' AND OLD.tool_id <> NEW.tool_id THEN \
               UPDATE search_documents SET facts = {old_facts} WHERE doc_id = OLD.tool_id * 2; \
             END IF; \
             IF TG_OP <> 'DELETE' THEN {words_fact} END IF; \
             RETURN NULL; END $$",
            facts = facts_text(backend, "tool"),
            old_facts = facts_text(backend, "OLD.tool_id"),
            words_fact = words("NEW.label || ' ' || NEW.value || ' ' || coalesce(NEW.unit, '')"),
        ),
        "CREATE TRIGGER search_facts AFTER INSERT OR DELETE OR UPDATE ON tool_facts \
         FOR EACH ROW EXECUTE FUNCTION search_facts_changed()"
            .to_owned(),
    ]
}

fn up_statements(backend: DbBackend) -> Vec<String> {
    let mut statements = tables(backend);
    for watched in &WATCHED {
        statements.extend(match backend {
            DbBackend::Postgres => postgres_triggers(watched),
            _ => sqlite_triggers(watched),
        });
    }
    statements.extend(match backend {
        DbBackend::Postgres => postgres_search(),
        _ => sqlite_search(),
    });
    statements
}

fn down_statements(backend: DbBackend) -> Vec<String> {
    let mut statements = Vec::new();
    match backend {
        DbBackend::Postgres => statements.extend(
            [
                "DROP TRIGGER search_facts ON tool_facts",
                "DROP FUNCTION search_facts_changed()",
            ]
            .map(str::to_owned),
        ),
        _ => statements.extend(
            [
                "DROP TRIGGER search_facts_insert",
                "DROP TRIGGER search_facts_update",
                "DROP TRIGGER search_facts_delete",
            ]
            .map(str::to_owned),
        ),
    }
    for watched in &WATCHED {
        let table = watched.table;
        for event in EVENTS {
            let lower = event.to_ascii_lowercase();
            match backend {
                DbBackend::Postgres => {
                    statements.push(format!("DROP TRIGGER {table}_{lower}_changes ON {table}"));
                    statements.push(format!("DROP FUNCTION {table}_{lower}_changes()"));
                }
                _ => statements.push(format!("DROP TRIGGER {table}_{lower}_changes")),
            }
        }
        if backend == DbBackend::Postgres {
            statements.push(format!("DROP TRIGGER {table}_truncate_changes ON {table}"));
        }
    }
    // Migration 15's search as it was, rebuilt from the tools and
    // comparisons (its triggers read no facts).
    statements.extend(search::down_statements(backend));
    statements.extend([
        "DROP TABLE category_fact_labels".to_owned(),
        "DROP TABLE tool_facts".to_owned(),
    ]);
    statements.extend(search::up_statements(backend));
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
