//! Typed tool names ("copilot", "Whisper", "GitHub Copilot") resolved to the
//! published tool they stand for, or to the closest tools when they stand
//! for none (or for several): the compare picker without a chosen
//! suggestion, and `/compare/<a>-vs-<b>` addresses typed by hand.

use contract::limits::MAX_SEARCH_CHARS;
use contract::slug::slugify;
use entities::tool;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QueryFilter, QuerySelect};

use crate::domain::catalogue::public;
use crate::error::AppError;

/// How many tools a name that fits none (or several) suggests.
pub const MAX_SUGGESTIONS: usize = 5;

/// What a typed name refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMatch {
    /// The tool the name stands for, when exactly one fits best.
    pub tool: Option<tool::Model>,
    /// When `tool` is none: the tools that fit equally, or those whose
    /// names are a few letters off, best first.
    pub suggestions: Vec<tool::Model>,
}

/// The published tool `typed` names, else the closest ones. Longer than a
/// search box allows is a `Validation` error (400); text with no letter or
/// digit matches nothing.
pub async fn match_tool(db: &DatabaseConnection, typed: &str) -> Result<NameMatch, AppError> {
    if typed.chars().count() > MAX_SEARCH_CHARS {
        return Err(AppError::validation(
            "name",
            format!("a tool's name is at most {MAX_SEARCH_CHARS} characters"),
        ));
    }
    let Some(key) = slugify(typed) else {
        return Ok(NameMatch {
            tool: None,
            suggestions: vec![],
        });
    };
    let names: Vec<(i64, String, String, String)> = tool::Entity::find()
        .select_only()
        .columns([
            tool::Column::Id,
            tool::Column::Slug,
            tool::Column::Name,
            tool::Column::Vendor,
        ])
        .filter(public::tool())
        .into_tuple()
        .all(db)
        .await?;
    let candidates: Vec<Candidate> = names
        .into_iter()
        .map(|(id, slug, name, vendor)| Candidate::new(id, slug, &name, &vendor))
        .collect();
    let found = best(&key, &candidates);
    let ids: Vec<i64> = match &found {
        Best::One(id) => vec![*id],
        Best::Several(ids) => ids.clone(),
    };
    let mut models = load(db, &ids).await?;
    // In the order `best` ranked them.
    models.sort_by_key(|model| ids.iter().position(|id| *id == model.id));
    Ok(match found {
        Best::One(_) => NameMatch {
            tool: models.pop(),
            suggestions: vec![],
        },
        Best::Several(_) => NameMatch {
            tool: None,
            suggestions: models,
        },
    })
}

async fn load(db: &DatabaseConnection, ids: &[i64]) -> Result<Vec<tool::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    tool::Entity::find()
        .filter(sea_orm::ColumnTrait::is_in(
            &tool::Column::Id,
            ids.iter().copied(),
        ))
        .all(db)
        .await
}

/// A published tool's names as slugs: its slug, its name, and vendor and
/// name together ("github-copilot" for GitHub's Copilot).
#[derive(Debug, Clone)]
struct Candidate {
    id: i64,
    sort: String,
    keys: Vec<String>,
}

impl Candidate {
    fn new(id: i64, slug: String, name: &str, vendor: &str) -> Self {
        let mut keys = vec![slug];
        for key in [slugify(name), slugify(&format!("{vendor} {name}"))]
            .into_iter()
            .flatten()
        {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
        Candidate {
            id,
            sort: name.to_lowercase(),
            keys,
        }
    }
}

/// What the ranking found: one tool, or a few (possibly none) to suggest.
#[derive(Debug, PartialEq, Eq)]
enum Best {
    One(i64),
    Several(Vec<i64>),
}

/// Ranks by how a key fits: the same; the start of one; the start of a
/// word in one ("copilot" in "github-copilot"); inside one. The first of
/// these that any tool passes decides: one tool is the match, several are
/// suggested. When none passes, the tools whose names are closest by edit
/// distance are suggested.
fn best(key: &str, candidates: &[Candidate]) -> Best {
    let word_start = |k: &String| k.starts_with(key) || k.contains(&format!("-{key}"));
    let tests: [&dyn Fn(&String) -> bool; 4] = [
        &|k: &String| k == key,
        &|k: &String| k.starts_with(key),
        &word_start,
        &|k: &String| k.contains(key),
    ];
    for test in tests {
        let mut fits: Vec<&Candidate> = candidates
            .iter()
            .filter(|c| c.keys.iter().any(test))
            .collect();
        match fits.len() {
            0 => continue,
            1 => return Best::One(fits[0].id),
            _ => {
                fits.sort_by(|a, b| a.sort.cmp(&b.sort));
                return Best::Several(fits.iter().take(MAX_SUGGESTIONS).map(|c| c.id).collect());
            }
        }
    }
    // Nobody mistypes a long name by a few letters: the edit distances of a
    // long key against every tool would only cost time (a 404 page is not
    // cached).
    if key.chars().count() > MAX_FUZZY_CHARS {
        return Best::Several(Vec::new());
    }
    // A few letters off: as far from the key as a third of its length.
    let most = (key.chars().count() / 3).max(1);
    let mut near: Vec<(usize, &Candidate)> = candidates
        .iter()
        .filter_map(|c| {
            let distance = c
                .keys
                .iter()
                .filter_map(|k| distance_to(key, k, most))
                .min()?;
            Some((distance, c))
        })
        .collect();
    near.sort_by(|(da, a), (db, b)| da.cmp(db).then_with(|| a.sort.cmp(&b.sort)));
    Best::Several(
        near.into_iter()
            .take(MAX_SUGGESTIONS)
            .map(|(_, c)| c.id)
            .collect(),
    )
}

/// Longest typed key the closest names are looked for by edit distance.
const MAX_FUZZY_CHARS: usize = 32;

/// How many letters `key` is off from `name`, or from the start of one of
/// its words as long as the key (give or take one): "wisper" is one off
/// "whisper-large-v3". `None` when more than `most` (each distance stops
/// as soon as it is over).
fn distance_to(key: &str, name: &str, most: usize) -> Option<usize> {
    let within = |a: &[char], b: &[char]| {
        let (a, b): (String, String) = (a.iter().collect(), b.iter().collect());
        crate::domain::search::distance(&a, &b, most)
    };
    let key: Vec<char> = key.chars().collect();
    let name: Vec<char> = name.chars().collect();
    let mut best = within(&key, &name);
    let starts = std::iter::once(0).chain(
        name.iter()
            .enumerate()
            .filter(|(_, c)| **c == '-')
            .map(|(i, _)| i + 1),
    );
    for start in starts {
        let rest = &name[start.min(name.len())..];
        for len in [key.len().saturating_sub(1), key.len(), key.len() + 1] {
            let prefix = &rest[..len.min(rest.len())];
            best = match (best, within(&key, prefix)) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Vec<Candidate> {
        [
            (
                1,
                "claude-haiku-open-weights",
                "Claude Haiku Open Weights",
                "Anthropic",
            ),
            (2, "smolvlm-3b", "SmolVLM-3B", "Hugging Face"),
            (3, "cursor", "Cursor", "Anysphere"),
            (4, "github-copilot", "GitHub Copilot", "GitHub"),
            (5, "whisper-large-v3", "Whisper large-v3", "OpenAI"),
            (6, "deepgram-nova-3", "Deepgram Nova-3", "Deepgram"),
            (7, "qdrant", "Qdrant", "Qdrant"),
            (8, "pgvector", "pgvector", "pgvector contributors"),
            (
                9,
                "stable-diffusion-3-5",
                "Stable Diffusion 3.5",
                "Stability AI",
            ),
        ]
        .into_iter()
        .map(|(id, slug, name, vendor)| Candidate::new(id, slug.into(), name, vendor))
        .collect()
    }

    fn find(typed: &str) -> Best {
        best(&slugify(typed).expect("a key"), &demo())
    }

    #[test]
    fn typed_names_resolve_by_slug_name_vendor_prefix_and_word() {
        assert_eq!(find("cursor"), Best::One(3));
        assert_eq!(find("Cursor"), Best::One(3));
        assert_eq!(find("copilot"), Best::One(4), "a word of the name");
        assert_eq!(find("GitHub Copilot"), Best::One(4));
        assert_eq!(find("Whisper"), Best::One(5), "the start of the name");
        assert_eq!(find("Deepgram"), Best::One(6));
        assert_eq!(find("OpenAI Whisper"), Best::One(5), "vendor and name");
        assert_eq!(find("smolvlm 3b"), Best::One(2));
        assert_eq!(find("vector"), Best::One(8), "inside a name");
    }

    #[test]
    fn names_that_fit_several_or_none_suggest_the_closest() {
        // "s" starts two names: both are suggested, by name.
        assert_eq!(find("s"), Best::Several(vec![2, 9]));
        assert_eq!(find("wisper"), Best::Several(vec![5]), "one letter off");
        assert_eq!(find("copilt"), Best::Several(vec![4]));
        assert_eq!(find("deepgramm"), Best::Several(vec![6]));
        assert_eq!(find("photoshop"), Best::Several(vec![]), "nothing near");
    }

    #[test]
    fn a_name_a_few_letters_off_is_near_and_a_long_key_is_not_looked_for() {
        assert_eq!(distance_to("wisper", "whisper-large-v3", 2), Some(1));
        assert_eq!(distance_to("nova", "deepgram-nova-3", 1), Some(0));
        assert_eq!(distance_to("photoshop", "qdrant", 3), None);
        let long = "x".repeat(MAX_FUZZY_CHARS + 1);
        assert_eq!(best(&long, &demo()), Best::Several(vec![]));
    }
}
