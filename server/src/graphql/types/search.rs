//! `search`: ranked results over tools and comparisons, with the words that
//! matched marked.

use async_graphql::{Enum, Object, SimpleObject};

use crate::domain::search::{self, Marked};
use crate::graphql::types::{Comparison, Tool};

/// What a search looks for.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum SearchKind {
    /// Published tools.
    Tool,
    /// Published comparisons.
    Comparison,
}

impl From<SearchKind> for search::Kind {
    fn from(kind: SearchKind) -> Self {
        match kind {
            SearchKind::Tool => search::Kind::Tool,
            SearchKind::Comparison => search::Kind::Comparison,
        }
    }
}

/// A piece of a result's text, and whether it is a word the search matched
/// (to be shown highlighted).
#[derive(SimpleObject, Debug, Clone)]
pub struct MarkedText {
    /// The text, as stored: escape it where you show it.
    pub text: String,
    /// Whether it is a word the search matched.
    pub matched: bool,
}

impl From<Marked> for MarkedText {
    fn from(marked: Marked) -> Self {
        MarkedText {
            text: marked.text,
            matched: marked.matched,
        }
    }
}

/// A word of the query the index does not hold, and the indexed words
/// searched for in its place ("whsiper" → "whisper").
#[derive(SimpleObject, Debug, Clone)]
pub struct SearchCorrection {
    /// The word as typed (lower case).
    pub typed: String,
    /// The closest indexed words, searched for instead (closest first).
    pub searched_for: Vec<String>,
}

/// One result: a tool or a comparison, with why it matched.
pub struct SearchHit {
    pub(crate) tool: Option<Tool>,
    pub(crate) comparison: Option<Comparison>,
    pub(crate) title: Vec<Marked>,
    pub(crate) context: Vec<Marked>,
}

/// A search result: exactly one of `tool` and `comparison` is set.
#[Object]
impl SearchHit {
    /// The tool found, when the result is a tool.
    async fn tool(&self) -> Option<&Tool> {
        self.tool.as_ref()
    }

    /// The comparison found, when the result is a comparison.
    async fn comparison(&self) -> Option<&Comparison> {
        self.comparison.as_ref()
    }

    /// The result's name (a tool's name, a comparison's title), with the
    /// words that matched marked.
    async fn title(&self) -> Vec<MarkedText> {
        self.title.iter().cloned().map(Into::into).collect()
    }

    /// Where the rest of the match is: the tagline, the vendor or the tools
    /// compared, or a few words of the description or summary around the
    /// first word that matched ("…" where cut), or the tool's fact that
    /// matched ("Context window: 128000 tokens"); the tagline or summary
    /// when only the title matched.
    async fn context(&self) -> Vec<MarkedText> {
        self.context.iter().cloned().map(Into::into).collect()
    }
}

/// What a search found, best first, and how it read the query.
pub struct SearchResults {
    pub(crate) hits: Vec<SearchHit>,
    pub(crate) words: Vec<search::Word>,
}

/// Ranked results: documents holding more of the words, and holding them in
/// weightier fields (name, then vendor or tools, then tagline, then the
/// text), come first.
#[Object]
impl SearchResults {
    /// The results, best first.
    async fn hits(&self) -> &[SearchHit] {
        &self.hits
    }

    /// The words searched for, lower case, as the query was cut.
    async fn words(&self) -> Vec<&str> {
        self.words.iter().map(|w| w.typed.as_str()).collect()
    }

    /// The words the index does not hold that were searched for as the
    /// closest indexed words instead (typos).
    async fn corrections(&self) -> Vec<SearchCorrection> {
        self.words
            .iter()
            .filter(|w| w.corrected())
            .map(|w| SearchCorrection {
                typed: w.typed.clone(),
                searched_for: w.searched.clone(),
            })
            .collect()
    }
}
