//! Slugs: the URL-safe names of categories, tools, reviewers and comparisons.

/// Longest slug accepted.
pub const MAX_SLUG_LEN: usize = 100;

/// 1 to 100 lowercase ASCII letters and digits in groups joined by single hyphens.
///
/// Anything else cannot name a row, so callers answer "not found" without
/// asking the database (and PostgreSQL never sees bytes it would refuse).
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

#[cfg(test)]
mod tests {
    use super::is_slug;

    #[test]
    fn is_slug_accepts_only_lowercase_words_joined_by_hyphens() {
        assert!(is_slug("smolvlm-3b"));
        assert!(is_slug("a"));
        assert!(!is_slug(""));
        assert!(!is_slug("-a"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("Cursor"));
        assert!(!is_slug("a\0b"));
        assert!(!is_slug("caf\u{e9}"));
        assert!(!is_slug(&"a".repeat(101)));
    }
}
