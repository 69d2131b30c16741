//! Ranked full-text search over published tools and comparisons, forgiving
//! typos, with each engine's own machinery (migration 15): SQLite's FTS5
//! (`bm25`) with typo correction by edit distance over the index's
//! vocabulary; PostgreSQL's weighted `tsvector` (`ts_rank_cd`) with typo
//! correction by trigram similarity (`pg_trgm`) over every indexed word.
//!
//! A query is cut into words (letters and digits). Each word matches
//! itself; a word the index does not hold also matches its closest indexed
//! words; the last word also matches as a prefix (type-ahead). A document
//! matches when it holds any of the words, and ranks higher the more of
//! them it holds and the more weighty the field (name, then vendor or
//! tools, then tagline and a tool's facts, then description or summary).

use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, DbBackend, DbErr, Statement, Value};

use crate::domain::catalogue::public;
use crate::error::AppError;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 200;
/// Most words of a query that are searched for.
pub const MAX_WORDS: usize = 8;
/// Longest word searched for (longer ones are cut).
const MAX_WORD_CHARS: usize = 40;
/// Most corrections tried for one word.
const MAX_CORRECTIONS: usize = 3;
/// Most near words checked for being in a public document, per word.
const MAX_NEAREST: usize = 12;

/// What a search looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Published tools.
    Tool,
    /// Published comparisons.
    Comparison,
}

/// One word of the query and what it is searched as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// As typed (lower case).
    pub typed: String,
    /// The indexed words it matches: itself when indexed, else its closest
    /// indexed words (none when nothing is close).
    pub searched: Vec<String>,
    /// Whether it also matches as a prefix (the query's last word).
    pub prefix: bool,
}

impl Word {
    /// Whether a word of a document (lower case) is one this word matches.
    pub fn matches(&self, word: &str) -> bool {
        self.searched.iter().any(|s| s == word)
            || word == self.typed
            || (self.prefix && word.starts_with(&self.typed))
    }

    /// [`Word::matches`] for an ASCII word as stored, compared in lower
    /// case without a copy (nearly every word a page shows).
    fn matches_ascii(&self, word: &str) -> bool {
        let same = |a: &str| a.eq_ignore_ascii_case(word);
        self.searched.iter().any(|s| same(s))
            || same(&self.typed)
            || (self.prefix
                && word.len() >= self.typed.len()
                && word.as_bytes()[..self.typed.len()].eq_ignore_ascii_case(self.typed.as_bytes()))
    }

    /// Whether it was corrected: it is not indexed, and closer words are.
    pub fn corrected(&self) -> bool {
        !self.searched.is_empty() && !self.searched.contains(&self.typed)
    }
}

/// A document found, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// A tool or a comparison.
    pub kind: Kind,
    /// Its id.
    pub id: i64,
}

/// The words of a query, lower case, at most [`MAX_WORDS`]; a validation
/// error for a query that is too long or holds no letter or digit.
pub fn words(query: &str) -> Result<Vec<String>, AppError> {
    if query.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::validation(
            "query",
            format!("at most {MAX_QUERY_CHARS} characters"),
        ));
    }
    let mut seen = BTreeSet::new();
    let words: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.to_lowercase()
                .chars()
                .take(MAX_WORD_CHARS)
                .collect::<String>()
        })
        .filter(|w| seen.insert(w.clone()))
        .take(MAX_WORDS)
        .collect();
    if words.is_empty() {
        return Err(AppError::validation(
            "query",
            "type at least one letter or digit",
        ));
    }
    Ok(words)
}

/// The edit distance between two words (optimal string alignment: an
/// insertion, a deletion, a substitution or a swap of neighbours each
/// count 1), or `None` once it is over `limit`.
pub fn distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    if a.is_ascii() && b.is_ascii() {
        return aligned(a.as_bytes(), b.as_bytes(), limit);
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    aligned(&a, &b, limit)
}

/// [`distance`] over letters: three rolling rows of the alignment table
/// (two back for a swap), on the stack for words of up to 63 letters.
fn aligned<T: PartialEq>(a: &[T], b: &[T], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = b.len() + 1;
    let mut stack = [0usize; 3 * 64];
    let mut heap = Vec::new();
    let cells: &mut [usize] = if width <= 64 {
        &mut stack[..3 * width]
    } else {
        heap.resize(3 * width, 0);
        &mut heap
    };
    let (older, rest) = cells.split_at_mut(width);
    let (previous, current) = rest.split_at_mut(width);
    let (mut older, mut previous, mut current) = (older, previous, current);
    for (j, cell) in previous.iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        current[0] = i;
        let mut best = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(older[j - 2] + 1);
            }
            current[j] = d;
            best = best.min(d);
        }
        if best > limit {
            return None;
        }
        std::mem::swap(&mut older, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    let d = previous[b.len()];
    (d <= limit).then_some(d)
}

/// How many edits a typed word may be from the word meant: none for short
/// words (too many words are one edit from "ai"), one up to seven letters,
/// two from eight.
pub fn tolerance(word: &str) -> usize {
    match word.chars().count() {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The closest of `candidates` to `word`, within its tolerance, at most
/// [`MAX_CORRECTIONS`], closest first (then A to Z).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut found = nearest(word, candidates);
    found.truncate(MAX_CORRECTIONS);
    found
}

/// Every one of `candidates` within `word`'s tolerance, closest first (then
/// A to Z), at most [`MAX_NEAREST`].
fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let limit = tolerance(word);
    if limit == 0 {
        return Vec::new();
    }
    let mut found: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter(|c| *c != word)
        .filter_map(|c| distance(word, c, limit).map(|d| (d, c)))
        .collect();
    found.sort();
    found.dedup();
    found
        .into_iter()
        .take(MAX_NEAREST)
        .map(|(_, c)| c.to_owned())
        .collect()
}

/// Indexed words that may be what `word` meant: on PostgreSQL those with
/// the most trigrams in common (`pg_trgm`); on SQLite those that start
/// with its first letter, or with its second (the first two swapped).
async fn candidates<C: ConnectionTrait>(db: &C, word: &str) -> Result<Vec<String>, DbErr> {
    let backend = db.get_database_backend();
    let rows = match backend {
        DbBackend::Postgres => {
            db.query_all_raw(Statement::from_sql_and_values(
                backend,
                "SELECT word FROM search_words WHERE word % $1 \
                 ORDER BY similarity(word, $1) DESC, word LIMIT 50",
                [Value::from(word.to_owned())],
            ))
            .await?
        }
        _ => {
            let mut starts: Vec<char> = word.chars().take(2).collect();
            starts.dedup();
            let mut rows = Vec::new();
            for start in starts {
                let from = start.to_string();
                // The next character after `start`: every word starting
                // with `start` sorts in [from, to).
                let Some(to) = char::from_u32(start as u32 + 1) else {
                    continue;
                };
                rows.extend(
                    db.query_all_raw(Statement::from_sql_and_values(
                        backend,
                        "SELECT term AS word FROM search_vocab WHERE term >= ? AND term < ?",
                        [Value::from(from), Value::from(to.to_string())],
                    ))
                    .await?,
                );
            }
            rows
        }
    };
    rows.iter()
        .map(|row| row.try_get::<String>("", "word"))
        .collect()
}

/// Each word of the query with what it is searched as (see [`Word`]).
pub async fn understand<C: ConnectionTrait>(db: &C, words: &[String]) -> Result<Vec<Word>, DbErr> {
    // A word only drafts hold is not known: it is corrected like a word
    // nobody holds, so that whether a draft holds it shows nowhere.
    let known = public_words(db, words).await?;
    let mut understood = Vec::with_capacity(words.len());
    let mut unknown = Vec::new();
    for (i, typed) in words.iter().enumerate() {
        let prefix = i + 1 == words.len();
        let searched = if known.contains(typed) {
            vec![typed.clone()]
        } else {
            let found = candidates(db, typed).await?;
            let near = nearest(typed, found.iter().map(String::as_str));
            unknown.extend(near.iter().cloned());
            near
        };
        understood.push(Word {
            typed: typed.clone(),
            searched,
            prefix,
        });
    }
    if !unknown.is_empty() {
        // The index holds drafts too: a correction is only a word some
        // public document holds, or the corrections would spell out a
        // draft's name to whoever types something close to it.
        let public = public_words(db, &unknown).await?;
        for word in &mut understood {
            if !known.contains(&word.typed) {
                word.searched.retain(|w| public.contains(w));
                word.searched.truncate(MAX_CORRECTIONS);
            }
        }
    }
    Ok(understood)
}

/// Which of `words` some public document holds, in one statement (on
/// SQLite `EXISTS … MATCH` stops at the first such document, where the
/// `fts5vocab` table would count every document holding the word).
async fn public_words<C: ConnectionTrait>(
    db: &C,
    words: &[String],
) -> Result<BTreeSet<String>, DbErr> {
    let backend = db.get_database_backend();
    let (test, doc) = match backend {
        DbBackend::Postgres => (
            "EXISTS (SELECT 1 FROM search_documents d \
             WHERE d.document @@ to_tsquery('simple', {q}) AND {visible})",
            "d.doc_id",
        ),
        _ => (
            "EXISTS (SELECT 1 FROM search_index WHERE search_index MATCH {q} AND {visible})",
            "search_index.rowid",
        ),
    };
    let mut values = Vec::with_capacity(words.len() * 2);
    let parts: Vec<String> = words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let (at, q) = match backend {
                DbBackend::Postgres => (format!("${}", 2 * i + 1), format!("${}", 2 * i + 2)),
                _ => ("?".to_owned(), "?".to_owned()),
            };
            values.push(Value::from(word.clone()));
            values.push(Value::from(match backend {
                DbBackend::Postgres => format!("'{word}'"),
                _ => format!("\"{word}\""),
            }));
            let test = test
                .replace("{q}", &q)
                .replace("{visible}", &visible_sql(doc));
            match backend {
                DbBackend::Postgres => format!("SELECT {at}::text AS word WHERE {test}"),
                _ => format!("SELECT {at} AS word WHERE {test}"),
            }
        })
        .collect();
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            parts.join(" UNION ALL "),
            values,
        ))
        .await?;
    rows.iter()
        .map(|row| row.try_get::<String>("", "word"))
        .collect()
}

/// Each word as an engine query matching it: the word and its
/// corrections, quoted, and the last word as a prefix too (FTS5 syntax,
/// or PostgreSQL `tsquery` syntax).
fn groups(words: &[Word], backend: DbBackend) -> Vec<String> {
    let postgres = backend == DbBackend::Postgres;
    let quote = |w: &str| {
        if postgres {
            format!("'{w}'")
        } else {
            format!("\"{w}\"")
        }
    };
    words
        .iter()
        .map(|word| {
            let mut any: Vec<String> = word.searched.iter().map(|s| quote(s)).collect();
            if word.prefix {
                any.push(if postgres {
                    format!("'{}':*", word.typed)
                } else {
                    format!("\"{}\"*", word.typed)
                });
            } else if word.searched.is_empty() {
                any.push(quote(&word.typed));
            }
            any.join(if postgres { " | " } else { " OR " })
        })
        .collect()
}

/// The public documents matching `words`, best first, at most `first`.
/// The order, on both engines: documents holding more of the words first;
/// then those whose name (a tool's name, a comparison's title) holds one;
/// then tools before comparisons; then the engine's own relevance (FTS5's
/// `bm25`, PostgreSQL's `ts_rank_cd`, both weighing name, then vendor or
/// tools, then tagline and facts, then text; on SQLite a word that half
/// the documents or more hold weighs nothing, as in `bm25`'s own
/// inverse document frequency, so documents that tie on such words keep
/// the order in which they were added).
pub async fn find<C: ConnectionTrait>(
    db: &C,
    words: &[Word],
    kinds: &[Kind],
    first: u64,
) -> Result<Vec<Hit>, DbErr> {
    if kinds.is_empty() || words.is_empty() {
        return Ok(Vec::new());
    }
    if db.get_database_backend() == DbBackend::Postgres {
        find_postgres(db, words, kinds, first).await
    } else {
        find_sqlite(db, words, kinds, first).await
    }
}

/// A document as its id in the search index (tools even, comparisons odd).
fn hit(doc: i64) -> Hit {
    if doc % 2 == 0 {
        Hit {
            kind: Kind::Tool,
            id: doc / 2,
        }
    } else {
        Hit {
            kind: Kind::Comparison,
            id: (doc - 1) / 2,
        }
    }
}

/// Whether the document `doc` (SQL text of its id in the index) is public:
/// a public tool, or a published comparison of two public tools.
fn visible_sql(doc: &str) -> String {
    format!(
        "(({doc}) % 2 = 0 AND EXISTS (SELECT 1 FROM tools t WHERE t.id = ({doc}) / 2 AND {}) \
         OR ({doc}) % 2 = 1 AND EXISTS (SELECT 1 FROM comparisons c \
         JOIN tools l ON l.id = c.left_tool_id JOIN tools r ON r.id = c.right_tool_id \
         WHERE c.id = (({doc}) - 1) / 2 AND c.published_at IS NOT NULL AND {} AND {}))",
        public::tool_sql("t"),
        public::tool_sql("l"),
        public::tool_sql("r")
    )
}

/// A query matching any of `groups` (engine queries), in the engine's
/// syntax.
fn either(groups: &[String], backend: DbBackend) -> String {
    groups
        .iter()
        .map(|g| format!("({g})"))
        .collect::<Vec<_>>()
        .join(if backend == DbBackend::Postgres {
            " | "
        } else {
            " OR "
        })
}

/// One statement ranking every match with the engine (PostgreSQL's GIN
/// index answers each word's test from the document's own `tsvector`).
async fn find_postgres<C: ConnectionTrait>(
    db: &C,
    words: &[Word],
    kinds: &[Kind],
    first: u64,
) -> Result<Vec<Hit>, DbErr> {
    let backend = DbBackend::Postgres;
    let groups = groups(words, backend);
    let any = either(&groups, backend);
    let kind = match (
        kinds.contains(&Kind::Tool),
        kinds.contains(&Kind::Comparison),
    ) {
        (true, false) => " AND d.doc_id % 2 = 0",
        (false, true) => " AND d.doc_id % 2 = 1",
        _ => "",
    };
    // $1 is every word; $2.. one word each.
    let coverage: Vec<String> = (0..groups.len())
        .map(|i| format!("(d.document @@ to_tsquery('simple', ${}))::int", i + 2))
        .collect();
    let mut values: Vec<Value> = vec![Value::from(any)];
    values.extend(groups.iter().map(|g| Value::from(g.clone())));
    let sql = format!(
        "SELECT d.doc_id AS doc_id FROM search_documents d, to_tsquery('simple', $1) q \
         WHERE d.document @@ q{kind} AND {visible} \
         ORDER BY {coverage} DESC, (ts_filter(d.document, '{{a}}') @@ q) DESC, d.doc_id % 2, \
         ts_rank_cd('{{0.1, 0.3, 0.5, 1.0}}', d.document, q) DESC, d.doc_id LIMIT {first}",
        visible = visible_sql("d.doc_id"),
        coverage = coverage.join(" + "),
    );
    let rows = db
        .query_all_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    rows.iter()
        .map(|row| Ok(hit(row.try_get("", "doc_id")?)))
        .collect()
}

/// The integers of a `group_concat` (none for NULL).
fn integers(text: Option<String>) -> Vec<i64> {
    text.map(|text| text.split(',').filter_map(|n| n.parse().ok()).collect())
        .unwrap_or_default()
}

/// A matching document and the parts of its rank known before `bm25`.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    doc: i64,
    coverage: u32,
    named: bool,
    /// Whether it holds a word that weighs (held by fewer than half the
    /// documents): only those have a relevance to compute.
    weighs: bool,
}

impl Candidate {
    /// The rank's leading parts: more words, a word in the name, tools
    /// first, documents with a weighing word first.
    fn tier(
        &self,
    ) -> (
        std::cmp::Reverse<u32>,
        std::cmp::Reverse<bool>,
        i64,
        std::cmp::Reverse<bool>,
    ) {
        use std::cmp::Reverse;
        (
            Reverse(self.coverage),
            Reverse(self.named),
            self.doc % 2,
            Reverse(self.weighs),
        )
    }
}

/// Documents checked for visibility beyond those needed, in one go.
const SLACK: usize = 8;

/// SQLite, in two short statements instead of one that scores every match
/// (`bm25` costs some microseconds a row, and a word every tool holds
/// matches thousands): first each word's documents and the documents whose
/// name holds a word, as lists, from which the coverage, the name and the
/// kind of every match are known; then, for the best of them only, which
/// are public and the `bm25` of those holding a weighing word.
async fn find_sqlite<C: ConnectionTrait>(
    db: &C,
    words: &[Word],
    kinds: &[Kind],
    first: u64,
) -> Result<Vec<Hit>, DbErr> {
    let backend = DbBackend::Sqlite;
    let groups = groups(words, backend);
    let any = either(&groups, backend);
    let list = "(SELECT group_concat(rowid) FROM search_index WHERE search_index MATCH ?)";
    let mut columns: Vec<String> = (0..groups.len())
        .map(|i| format!("{list} AS g{i}"))
        .collect();
    columns.push(format!("{list} AS named"));
    // FTS5 keeps a row of sizes per document: its count is the index's.
    columns.push("(SELECT count(*) FROM search_index_docsize) AS total".to_owned());
    let mut values: Vec<Value> = groups.iter().map(|g| Value::from(g.clone())).collect();
    values.push(Value::from(format!("name : ({any})")));
    let Some(row) = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            format!("SELECT {}", columns.join(", ")),
            values,
        ))
        .await?
    else {
        return Ok(Vec::new());
    };
    let total: i64 = row.try_get("", "total")?;
    let named: std::collections::HashSet<i64> =
        integers(row.try_get("", "named")?).into_iter().collect();
    let wanted = |doc: i64| {
        kinds.contains(if doc % 2 == 0 {
            &Kind::Tool
        } else {
            &Kind::Comparison
        })
    };
    let mut weighing = Vec::new();
    let mut found: std::collections::HashMap<i64, Candidate> = std::collections::HashMap::new();
    for (i, group) in groups.iter().enumerate() {
        let docs = integers(row.try_get("", &format!("g{i}"))?);
        // bm25's inverse document frequency is nil from half the documents.
        let weighs = 2 * (docs.len() as i64) < total;
        if weighs {
            weighing.push(format!("({group})"));
        }
        for doc in docs.into_iter().filter(|doc| wanted(*doc)) {
            let candidate = found.entry(doc).or_insert(Candidate {
                doc,
                coverage: 0,
                named: named.contains(&doc),
                weighs: false,
            });
            candidate.coverage += 1;
            candidate.weighs |= weighs;
        }
    }
    let mut ranked: Vec<Candidate> = found.into_values().collect();
    ranked.sort_by_key(|c| (c.tier(), c.doc));
    let weighing = weighing.join(" OR ");
    let first = first as usize;
    let mut hits = Vec::with_capacity(first);
    let mut at = 0;
    while hits.len() < first && at < ranked.len() {
        // The next batch: enough documents to fill the page if all are
        // public, never cutting a tier whose order `bm25` decides.
        let mut end = (at + first - hits.len() + SLACK).min(ranked.len());
        while end < ranked.len()
            && ranked[end].weighs
            && ranked[end].tier() == ranked[end - 1].tier()
        {
            end += 1;
        }
        let batch = &ranked[at..end];
        at = end;
        let scored: Vec<i64> = batch.iter().filter(|c| c.weighs).map(|c| c.doc).collect();
        let plain: Vec<i64> = batch.iter().filter(|c| !c.weighs).map(|c| c.doc).collect();
        let mut parts = Vec::new();
        let mut values = Vec::new();
        if !scored.is_empty() {
            // The unary `+` keeps the ids a filter: as the index's rowid
            // constraint, each id would rerun the whole MATCH (and bm25's
            // document counts), 40 ms for a hundred ids instead of 1.
            parts.push(format!(
                "SELECT search_index.rowid AS doc, bm25(search_index, 10.0, 4.0, 2.0, 1.0, 2.0) AS score \
                 FROM search_index WHERE search_index MATCH ? \
                 AND +search_index.rowid IN (SELECT value FROM json_each(?)) AND {}",
                visible_sql("search_index.rowid")
            ));
            values.push(Value::from(weighing.clone()));
            values.push(Value::from(
                serde_json::to_string(&scored).unwrap_or_default(),
            ));
        }
        if !plain.is_empty() {
            parts.push(format!(
                "SELECT value AS doc, 0.0 AS score FROM json_each(?) WHERE {}",
                visible_sql("value")
            ));
            values.push(Value::from(
                serde_json::to_string(&plain).unwrap_or_default(),
            ));
        }
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                parts.join(" UNION ALL "),
                values,
            ))
            .await?;
        let mut scores = std::collections::HashMap::with_capacity(rows.len());
        for row in rows {
            scores.insert(
                row.try_get::<i64>("", "doc")?,
                row.try_get::<f64>("", "score")?,
            );
        }
        let mut public: Vec<(Candidate, f64)> = batch
            .iter()
            .filter_map(|c| scores.get(&c.doc).map(|score| (*c, *score)))
            .collect();
        // Within a tier, lower `bm25` is better (it is negative).
        public.sort_by(|(a, x), (b, y)| {
            a.tier()
                .cmp(&b.tier())
                .then(x.total_cmp(y))
                .then(a.doc.cmp(&b.doc))
        });
        hits.extend(public.into_iter().map(|(c, _)| hit(c.doc)));
    }
    hits.truncate(first);
    Ok(hits)
}

/// A piece of displayed text, and whether it is a word the search matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marked {
    /// The text, as stored.
    pub text: String,
    /// Whether it is a matched word.
    pub matched: bool,
}

/// Whether a word of displayed text, as stored, is one the search matched.
fn is_matched(piece: &str, words: &[Word]) -> bool {
    if piece.is_ascii() {
        words.iter().any(|w| w.matches_ascii(piece))
    } else {
        let lower = piece.to_lowercase();
        words.iter().any(|w| w.matches(&lower))
    }
}

/// A piece of `text` (a word, or a gap between words): where it is, and
/// whether it is a word the search matched.
#[derive(Debug, Clone, Copy)]
struct Span {
    from: usize,
    to: usize,
    matched: bool,
}

/// `text` cut into words and the gaps between them, each word marked when
/// the search matched it.
fn spans(text: &str, words: &[Word]) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut push = |from: usize, to: usize, in_word: bool| {
        spans.push(Span {
            from,
            to,
            matched: in_word && is_matched(&text[from..to], words),
        });
    };
    let mut start = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        let alnum = c.is_alphanumeric();
        if alnum != in_word {
            if i > start {
                push(start, i, in_word);
            }
            start = i;
            in_word = alnum;
        }
    }
    if start < text.len() {
        push(start, text.len(), in_word);
    }
    spans
}

/// The pieces of `text` that `spans` cut, neighbouring unmatched ones
/// joined into one, after `before` and before `after`.
fn joined(text: &str, spans: &[Span], before: Option<&str>, after: Option<&str>) -> Vec<Marked> {
    let mut parts: Vec<Marked> = Vec::new();
    let mut add = |piece: &str, matched: bool| match parts.last_mut() {
        Some(last) if !last.matched && !matched => last.text.push_str(piece),
        _ => parts.push(Marked {
            text: piece.to_owned(),
            matched,
        }),
    };
    if let Some(before) = before {
        add(before, false);
    }
    for span in spans {
        add(&text[span.from..span.to], span.matched);
    }
    if let Some(after) = after {
        add(after, false);
    }
    parts
}

/// `text` cut into matched words and the rest.
pub fn mark(text: &str, words: &[Word]) -> Vec<Marked> {
    joined(text, &spans(text, words), None, None)
}

/// Whether any piece is matched.
pub fn any_matched(parts: &[Marked]) -> bool {
    parts.iter().any(|p| p.matched)
}

/// About `around` words of `text` on each side of its first matched word
/// (with "…" where it was cut), marked; `None` when nothing in it matched.
pub fn snippet(text: &str, words: &[Word], around: usize) -> Option<Vec<Marked>> {
    let spans = spans(text, words);
    let first = spans.iter().position(|p| p.matched)?;
    // Each word is a piece and so is each gap: `around` words take about
    // twice as many pieces.
    let from = first.saturating_sub(2 * around);
    let to = (first + 2 * around + 1).min(spans.len());
    Some(joined(
        text,
        &spans[from..to],
        (from > 0).then_some("\u{2026} "),
        (to < spans.len()).then_some(" \u{2026}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(typed: &str, searched: &[&str], prefix: bool) -> Word {
        Word {
            typed: typed.to_owned(),
            searched: searched.iter().map(|s| (*s).to_owned()).collect(),
            prefix,
        }
    }

    #[test]
    fn a_query_is_its_words_in_lower_case_once_each() {
        assert_eq!(
            words("  Copilot, CURSOR copilot!").expect("words"),
            ["copilot", "cursor"]
        );
        assert!(words(" ,.- ").is_err());
        assert!(words(&"a".repeat(201)).is_err());
        assert_eq!(
            words("a b c d e f g h i j").expect("words").len(),
            MAX_WORDS
        );
    }

    #[test]
    fn a_swap_of_neighbours_is_one_edit() {
        assert_eq!(distance("whsiper", "whisper", 2), Some(1));
        assert_eq!(distance("cursr", "cursor", 1), Some(1));
        assert_eq!(distance("kitten", "sitting", 3), Some(3));
        assert_eq!(distance("kitten", "sitting", 2), None);
        assert_eq!(distance("abc", "abcdef", 2), None);
        assert_eq!(distance("größe", "grösse", 2), Some(2));
        assert_eq!(distance("größe", "gröse", 1), Some(1));
        assert_eq!(distance("", "ab", 2), Some(2));
        let long = "a".repeat(70);
        assert_eq!(distance(&long, &format!("{long}b"), 1), Some(1));
    }

    #[test]
    fn short_words_are_not_corrected_and_the_closest_come_first() {
        assert!(closest("gtp", ["gpt"]).is_empty());
        assert_eq!(
            closest("whsiper", ["whisper", "whiskey", "viper"]),
            ["whisper"]
        );
        assert_eq!(
            closest("qdrnt", ["qdrant", "quadrant", "qdrants"]),
            ["qdrant"]
        );
    }

    #[test]
    fn the_engine_queries_hold_every_word_and_the_last_as_a_prefix() {
        let words = [word("whsiper", &["whisper"], false), word("cur", &[], true)];
        assert_eq!(
            groups(&words, DbBackend::Sqlite),
            ["\"whisper\"", "\"cur\"*"]
        );
        assert_eq!(
            groups(&words, DbBackend::Postgres),
            ["'whisper'", "'cur':*"]
        );
    }

    #[test]
    fn matched_words_are_marked_and_the_rest_is_kept_as_is() {
        let words = [word("whisper", &["whisper"], false), word("ope", &[], true)];
        let parts = mark("Whisper large-v3 by OpenAI", &words);
        let texts: Vec<(&str, bool)> = parts.iter().map(|p| (p.text.as_str(), p.matched)).collect();
        assert_eq!(
            texts,
            [
                ("Whisper", true),
                (" large-v3 by ", false),
                ("OpenAI", true)
            ]
        );
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, "Whisper large-v3 by OpenAI");
    }

    #[test]
    fn words_outside_ascii_are_compared_in_lower_case_too() {
        let words = [word("größe", &["größe"], false), word("éc", &[], true)];
        let parts = mark("GRÖSSE Größe ÉCOLE ecole", &words);
        let texts: Vec<(&str, bool)> = parts.iter().map(|p| (p.text.as_str(), p.matched)).collect();
        assert_eq!(
            texts,
            [
                ("GRÖSSE ", false),
                ("Größe", true),
                (" ", false),
                ("ÉCOLE", true),
                (" ecole", false)
            ]
        );
    }

    #[test]
    fn a_snippet_is_cut_around_the_first_match() {
        let words = [word("laptop", &["laptop"], false)];
        let text = "one two three four five six seven on a laptop eight nine ten eleven twelve";
        let parts = snippet(text, &words, 2).expect("a match");
        let joined: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined, "\u{2026} on a laptop eight nine \u{2026}");
        assert!(snippet("nothing here", &words, 2).is_none());
    }
}
