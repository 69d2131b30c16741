//! Slugs: the URL-safe names of categories, tools, reviewers and comparisons.

/// Longest slug accepted.
pub const MAX_SLUG_LEN: usize = 100;

/// 1 to 100 lowercase ASCII letters and digits in groups joined by single hyphens.
///
/// Anything else cannot name a row, so the server answers "not found" without
/// asking the database (and PostgreSQL never sees bytes it would refuse), and
/// the UI does not send it.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_SLUG_LEN
        && text.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// What a typed name most likely is as a slug ("Claude Haiku" → `claude-haiku`),
/// if that is a slug at all.
pub fn slugify(text: &str) -> Option<String> {
    let slug = text
        .trim()
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    is_slug(&slug).then_some(slug)
}

#[cfg(test)]
mod tests {
    use super::{is_slug, slugify};

    #[test]
    fn is_slug_accepts_only_lowercase_words_joined_by_hyphens() {
        assert!(is_slug("smolvlm-3b"));
        assert!(is_slug("a"));
        assert!(is_slug(&"a".repeat(100)));
        assert!(!is_slug(""));
        assert!(!is_slug("-a"));
        assert!(!is_slug("a-"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("Cursor"));
        assert!(!is_slug("a b"));
        assert!(!is_slug("a\0b"));
        assert!(!is_slug("caf\u{e9}"));
        assert!(!is_slug(&"a".repeat(101)));
    }

    #[test]
    fn slugify_turns_typed_names_into_slugs_or_nothing() {
        assert_eq!(
            slugify("  Claude Haiku Open Weights "),
            Some("claude-haiku-open-weights".into())
        );
        assert_eq!(slugify("SmolVLM-3B"), Some("smolvlm-3b".into()));
        assert_eq!(slugify(" -- "), None);
        assert_eq!(slugify("Café"), Some("caf".into()));
        assert_eq!(slugify(&"a".repeat(101)), None);
        assert_eq!(slugify(&"a".repeat(100)).map(|s| s.len()), Some(100));
    }
}
