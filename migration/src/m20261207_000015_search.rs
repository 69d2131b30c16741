//! Full-text search over tools and comparisons, kept in step with every
//! write by triggers (in the writing transaction), with each engine's own
//! machinery:
//!
//! - SQLite: an FTS5 table `search_index` (unicode61 tokenizer, diacritics
//!   removed) and its vocabulary `search_vocab` (fts5vocab), which the
//!   server reads to correct typos by edit distance.
//! - PostgreSQL: `search_documents` with a weighted `tsvector` (GIN index),
//!   and `search_words`, every word ever indexed, with a trigram index
//!   (`pg_trgm`) that finds the words closest to a typo.
//!
//! A document's id is `2 × tool id` for a tool and `2 × comparison id + 1`
//! for a comparison. Its fields, weighted in this order: `name` (a tool's
//! name, a comparison's title), `makers` (a tool's vendor; a comparison's
//! tools and their vendors), `tagline`, `body` (description or summary).
//! Documents exist for drafts too: the search joins the catalogue and keeps
//! what readers may see.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::dialect;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A comparison's document as a `SELECT` of (id, name, makers, tagline,
/// body) from `comparisons c` joined to its tools `l` and `r`.
pub(crate) const COMPARISON_DOCUMENT: &str = "SELECT c.id * 2 + 1, c.title, \
    l.name || ' ' || l.vendor || ' ' || r.name || ' ' || r.vendor, '', c.summary \
    FROM comparisons c JOIN tools l ON l.id = c.left_tool_id JOIN tools r ON r.id = c.right_tool_id";

fn sqlite_up() -> Vec<String> {
    let insert = "INSERT INTO search_index(rowid, name, makers, tagline, body)";
    vec![
        "CREATE VIRTUAL TABLE search_index USING fts5(name, makers, tagline, body, \
         tokenize = 'unicode61 remove_diacritics 2')"
            .to_owned(),
        "CREATE VIRTUAL TABLE search_vocab USING fts5vocab(search_index, 'row')".to_owned(),
        format!("{insert} SELECT id * 2, name, vendor, tagline, description FROM tools"),
        format!("{insert} {COMPARISON_DOCUMENT}"),
        format!(
            "CREATE TRIGGER search_tools_insert AFTER INSERT ON tools BEGIN \
             {insert} VALUES (new.id * 2, new.name, new.vendor, new.tagline, new.description); END"
        ),
        // A tool's name and vendor are part of its comparisons' documents.
        format!(
            "CREATE TRIGGER search_tools_update AFTER UPDATE OF name, vendor, tagline, description ON tools BEGIN \
             DELETE FROM search_index WHERE rowid = old.id * 2; \
             {insert} VALUES (new.id * 2, new.name, new.vendor, new.tagline, new.description); \
             DELETE FROM search_index WHERE rowid IN (SELECT id * 2 + 1 FROM comparisons \
               WHERE left_tool_id = new.id OR right_tool_id = new.id); \
             {insert} {COMPARISON_DOCUMENT} WHERE c.left_tool_id = new.id OR c.right_tool_id = new.id; END"
        ),
        "CREATE TRIGGER search_tools_delete AFTER DELETE ON tools BEGIN \
         DELETE FROM search_index WHERE rowid = old.id * 2; END"
            .to_owned(),
        format!(
            "CREATE TRIGGER search_comparisons_insert AFTER INSERT ON comparisons BEGIN \
             {insert} {COMPARISON_DOCUMENT} WHERE c.id = new.id; END"
        ),
        format!(
            "CREATE TRIGGER search_comparisons_update AFTER UPDATE OF title, summary, left_tool_id, right_tool_id \
             ON comparisons BEGIN \
             DELETE FROM search_index WHERE rowid = old.id * 2 + 1; \
             {insert} {COMPARISON_DOCUMENT} WHERE c.id = new.id; END"
        ),
        "CREATE TRIGGER search_comparisons_delete AFTER DELETE ON comparisons BEGIN \
         DELETE FROM search_index WHERE rowid = old.id * 2 + 1; END"
            .to_owned(),
    ]
}

fn postgres_up() -> Vec<String> {
    let upsert = "INSERT INTO search_documents (doc_id, name, makers, tagline, body)";
    let conflict = "ON CONFLICT (doc_id) DO UPDATE SET name = EXCLUDED.name, \
        makers = EXCLUDED.makers, tagline = EXCLUDED.tagline, body = EXCLUDED.body";
    // Every word a document holds joins the vocabulary the typo correction
    // searches (words are never taken out: one that no document holds any
    // more finds nothing, and costs a row).
    let words = |text: &str| {
        format!(
            "INSERT INTO search_words (word) SELECT lexeme FROM unnest(to_tsvector('simple', {text})) \
             ON CONFLICT (word) DO NOTHING;"
        )
    };
    vec![
        "CREATE EXTENSION IF NOT EXISTS pg_trgm".to_owned(),
        "CREATE TABLE search_documents ( \
           doc_id BIGINT PRIMARY KEY, \
           name TEXT NOT NULL, makers TEXT NOT NULL, tagline TEXT NOT NULL, body TEXT NOT NULL, \
           document tsvector GENERATED ALWAYS AS ( \
             setweight(to_tsvector('simple', name), 'A') || \
             setweight(to_tsvector('simple', makers), 'B') || \
             setweight(to_tsvector('simple', tagline), 'C') || \
             setweight(to_tsvector('simple', body), 'D')) STORED)"
            .to_owned(),
        "CREATE INDEX search_documents_document ON search_documents USING GIN (document)".to_owned(),
        "CREATE TABLE search_words (word TEXT PRIMARY KEY)".to_owned(),
        "CREATE INDEX search_words_trigrams ON search_words USING GIN (word gin_trgm_ops)".to_owned(),
        format!("{upsert} SELECT id * 2, name, vendor, tagline, description FROM tools"),
        format!("{upsert} {COMPARISON_DOCUMENT}"),
        "INSERT INTO search_words (word) SELECT DISTINCT lexeme FROM search_documents, unnest(document) \
         ON CONFLICT (word) DO NOTHING"
            .to_owned(),
        format!(
            "CREATE FUNCTION search_tool_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP = 'DELETE' THEN DELETE FROM search_documents WHERE doc_id = OLD.id * 2; RETURN OLD; END IF; \
             {upsert} VALUES (NEW.id * 2, NEW.name, NEW.vendor, NEW.tagline, NEW.description) {conflict}; \
             {words_tool} \
             IF TG_OP = 'UPDATE' THEN \
               {upsert} {COMPARISON_DOCUMENT} WHERE c.left_tool_id = NEW.id OR c.right_tool_id = NEW.id {conflict}; \
             END IF; \
             RETURN NEW; END $$",
            words_tool = words("NEW.name || ' ' || NEW.vendor || ' ' || NEW.tagline || ' ' || NEW.description"),
        ),
        "CREATE TRIGGER search_tools AFTER INSERT OR DELETE OR UPDATE OF name, vendor, tagline, description \
         ON tools FOR EACH ROW EXECUTE FUNCTION search_tool_changed()"
            .to_owned(),
        format!(
            "CREATE FUNCTION search_comparison_changed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP = 'DELETE' THEN DELETE FROM search_documents WHERE doc_id = OLD.id * 2 + 1; RETURN OLD; END IF; \
             {upsert} {COMPARISON_DOCUMENT} WHERE c.id = NEW.id {conflict}; \
             {words_comparison} \
             RETURN NEW; END $$",
            words_comparison = words("NEW.title || ' ' || NEW.summary"),
        ),
        "CREATE TRIGGER search_comparisons AFTER INSERT OR DELETE OR UPDATE OF title, summary, left_tool_id, right_tool_id \
         ON comparisons FOR EACH ROW EXECUTE FUNCTION search_comparison_changed()"
            .to_owned(),
    ]
}

pub(crate) fn up_statements(backend: DbBackend) -> Vec<String> {
    match backend {
        DbBackend::Postgres => postgres_up(),
        _ => sqlite_up(),
    }
}

pub(crate) fn down_statements(backend: DbBackend) -> Vec<String> {
    match backend {
        DbBackend::Postgres => [
            "DROP TRIGGER IF EXISTS search_tools ON tools",
            "DROP TRIGGER IF EXISTS search_comparisons ON comparisons",
            "DROP FUNCTION IF EXISTS search_tool_changed()",
            "DROP FUNCTION IF EXISTS search_comparison_changed()",
            "DROP TABLE IF EXISTS search_words",
            "DROP TABLE IF EXISTS search_documents",
        ]
        .map(str::to_owned)
        .to_vec(),
        _ => [
            "DROP TRIGGER IF EXISTS search_tools_insert",
            "DROP TRIGGER IF EXISTS search_tools_update",
            "DROP TRIGGER IF EXISTS search_tools_delete",
            "DROP TRIGGER IF EXISTS search_comparisons_insert",
            "DROP TRIGGER IF EXISTS search_comparisons_update",
            "DROP TRIGGER IF EXISTS search_comparisons_delete",
            "DROP TABLE IF EXISTS search_vocab",
            "DROP TABLE IF EXISTS search_index",
        ]
        .map(str::to_owned)
        .to_vec(),
    }
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
