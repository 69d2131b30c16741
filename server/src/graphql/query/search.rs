//! `search`: the catalogue's full-text search, forgiving typos.

use std::collections::HashMap;

use async_graphql::{Context, Object};
use entities::{comparison, tool, tool_fact};
use sea_orm::DatabaseConnection;

use crate::changes::Read;
use crate::domain::catalogue;
use crate::domain::search::{self, Kind};
use crate::error::{AppError, GqlResultExt};
use crate::graphql::loaders::load_now;
use crate::graphql::types::search::{SearchHit, SearchKind, SearchResults};
use crate::graphql::types::{loaders, reads, Comparison, Tool};

/// Most results one search returns.
const MAX_RESULTS: i32 = 50;

/// The search.
#[derive(Default)]
pub struct SearchQuery;

#[Object]
impl SearchQuery {
    /// Published tools and comparisons matching `query`, best first: a
    /// result holds any of the query's words (letters and digits) in a tool's
    /// name, vendor, tagline, description or facts (labels, values, units),
    /// or a comparison's title, tools or summary; the more words and the
    /// weightier the field, the higher it ranks. A word the catalogue does not hold also matches its closest
    /// words (one typo in words of four to seven letters, two from eight:
    /// "whsiper" finds Whisper), and the last word also matches as a prefix
    /// (type-ahead). Each result says why it matched (`title`, `context`).
    #[graphql(complexity = "1 + (first.clamp(1, 50) as usize) * child_complexity")]
    async fn search(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What the reader typed: at most 200 characters, 8 words.")] query: String,
        #[graphql(desc = "Only these kinds of result; tools and comparisons when absent.")]
        kinds: Option<Vec<SearchKind>>,
        #[graphql(default = 20, desc = "How many results, 1 to 50.")] first: i32,
    ) -> async_graphql::Result<SearchResults> {
        if !(1..=MAX_RESULTS).contains(&first) {
            return Err(AppError::validation(
                "first",
                format!("must be between 1 and {MAX_RESULTS}, got {first}"),
            ))
            .gql();
        }
        let words = search::words(&query).gql()?;
        let kinds: Vec<Kind> = match kinds {
            Some(kinds) => kinds.into_iter().map(Kind::from).collect(),
            None => vec![Kind::Tool, Kind::Comparison],
        };
        reads(ctx).all([Read::Tools, Read::Comparisons]);
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let words = search::understand(db, &words)
            .await
            .map_err(AppError::from)
            .gql()?;
        let hits = search::find(db, &words, &kinds, first as u64)
            .await
            .map_err(AppError::from)
            .gql()?;
        let ids = |kind| hits.iter().filter(move |h| h.kind == kind).map(|h| h.id);
        // The hits are public (`find` checked): their rows and every found
        // tool's facts (a match may be in them), a statement each.
        let mut tools = if ids(Kind::Tool).next().is_some() {
            // With their categories and tallies, for the fields below.
            let ids: Vec<i64> = ids(Kind::Tool).collect();
            load_now(&loaders(ctx).tool, &ids).await.gql()?
        } else {
            HashMap::new()
        };
        let facts = if tools.is_empty() {
            HashMap::new()
        } else {
            catalogue::tools::facts_of(db, tools.keys().copied())
                .await
                .map_err(AppError::from)
                .gql()?
        };
        let mut comparisons = if ids(Kind::Comparison).next().is_some() {
            catalogue::comparisons::by_ids(db, ids(Kind::Comparison))
                .await
                .map_err(AppError::from)
                .gql()?
        } else {
            HashMap::new()
        };
        let mut found = Vec::with_capacity(hits.len());
        for hit in hits {
            match hit.kind {
                Kind::Tool => {
                    let Some(tool) = tools.remove(&hit.id) else {
                        continue;
                    };
                    reads(ctx).tool(tool.id);
                    let facts = facts.get(&tool.id).map_or(&[][..], Vec::as_slice);
                    found.push(tool_hit(tool, facts, &words));
                }
                Kind::Comparison => {
                    let Some(comparison) = comparisons.remove(&hit.id) else {
                        continue;
                    };
                    reads(ctx).comparison(
                        comparison.id,
                        comparison.left_tool_id,
                        comparison.right_tool_id,
                    );
                    found.push(comparison_hit(comparison, &words));
                }
            }
        }
        Ok(SearchResults { hits: found, words })
    }
}

/// Words of the description or summary shown on each side of a match.
const SNIPPET_WORDS: usize = 8;

fn tool_hit(tool: tool::Model, facts: &[tool_fact::Model], words: &[search::Word]) -> SearchHit {
    let title = search::mark(&tool.name, words);
    let tagline = search::mark(&tool.tagline, words);
    let vendor = search::mark(&format!("by {}", tool.vendor), words);
    let context = if search::any_matched(&tagline) {
        tagline
    } else if search::any_matched(&vendor) {
        vendor
    } else if let Some(snippet) = search::snippet(&tool.description, words, SNIPPET_WORDS) {
        snippet
    } else if let Some(fact) = facts
        .iter()
        .map(|f| search::mark(&crate::domain::facts::search_text(f), words))
        .find(|marked| search::any_matched(marked))
    {
        fact
    } else {
        tagline
    };
    SearchHit {
        tool: Some(Tool(tool)),
        comparison: None,
        title,
        context,
    }
}

fn comparison_hit(comparison: comparison::Model, words: &[search::Word]) -> SearchHit {
    let title = search::mark(&comparison.title, words);
    let context = search::snippet(&comparison.summary, words, SNIPPET_WORDS)
        .unwrap_or_else(|| search::mark(&comparison.summary, words));
    SearchHit {
        tool: None,
        comparison: Some(Comparison::from_model(comparison)),
        title,
        context,
    }
}
