//! The catalogue's field rules in one place: how long each text may be and
//! what it may hold. Editors' changes and the dataset import both check with
//! these; only the wording of their messages differs.

pub use crate::domain::slug::{is_slug, MAX_SLUG_LEN};

/// A free-text field's rule: not blank, at most `max_chars` characters
/// (Unicode scalar values), no control characters but line breaks and tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextRule {
    /// Most characters allowed.
    pub max_chars: usize,
}

/// A category's name.
pub const CATEGORY_NAME: TextRule = TextRule { max_chars: 100 };
/// A tool's name.
pub const TOOL_NAME: TextRule = TextRule { max_chars: 100 };
/// Who makes a tool.
pub const TOOL_VENDOR: TextRule = TextRule { max_chars: 100 };
/// A tool's one line.
pub const TOOL_TAGLINE: TextRule = TextRule { max_chars: 200 };
/// A tool's few sentences.
pub const TOOL_DESCRIPTION: TextRule = TextRule { max_chars: 5000 };
/// A tool's license name.
pub const TOOL_LICENSE: TextRule = TextRule { max_chars: 100 };
/// A tool's entry price as readers see it ("Free", "$20/mo").
pub const TOOL_PRICING_ENTRY: TextRule = TextRule { max_chars: 100 };
/// A reviewer's full name.
pub const REVIEWER_NAME: TextRule = TextRule { max_chars: 100 };
/// Who a reviewer is.
pub const REVIEWER_BIO: TextRule = TextRule { max_chars: 2000 };
/// A review's reasoning.
pub const REVIEW_BODY: TextRule = TextRule { max_chars: 10_000 };
/// A comparison's title.
pub const COMPARISON_TITLE: TextRule = TextRule { max_chars: 200 };
/// A comparison's summary.
pub const COMPARISON_SUMMARY: TextRule = TextRule { max_chars: 5000 };
/// A comparison's verdict line: the editor's one-line verdict (see [`is_one_line`]).
pub const COMPARISON_VERDICT_LINE: TextRule = TextRule { max_chars: 160 };
/// Who wrote a comparison's verdict, as readers see it (see [`is_one_line`]).
pub const COMPARISON_BYLINE: TextRule = TextRule { max_chars: 100 };

/// Longest website address, in bytes.
pub const WEBSITE_URL_MAX_BYTES: usize = 500;

/// Longest voter id, in bytes (the votes table allows 64 characters; ids the
/// site mints are 32 ASCII hex digits).
pub const VOTER_ID_MAX_BYTES: usize = 64;

/// What is wrong with a text, so that each caller can say it in its own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextProblem {
    /// Empty, or only whitespace.
    Blank,
    /// More than this many characters.
    TooLong {
        /// The rule's limit.
        max_chars: usize,
    },
    /// A control character other than a line break or a tab.
    ControlCharacter,
}

impl TextRule {
    /// Checks `value` against this rule; the first problem found, in the
    /// order blank, too long, control character.
    pub fn check(self, value: &str) -> Result<(), TextProblem> {
        if value.trim().is_empty() {
            return Err(TextProblem::Blank);
        }
        if value.chars().count() > self.max_chars {
            return Err(TextProblem::TooLong {
                max_chars: self.max_chars,
            });
        }
        if value
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(TextProblem::ControlCharacter);
        }
        Ok(())
    }
}

/// An address the site may link to: `http://` or `https://`, at most
/// [`WEBSITE_URL_MAX_BYTES`], no whitespace, no control characters.
pub fn is_website_url(value: &str) -> bool {
    (value.starts_with("https://") || value.starts_with("http://"))
        && value.len() <= WEBSITE_URL_MAX_BYTES
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Whether a text is a single line (no line breaks or tabs), as verdict
/// lines and bylines must be: they sit in headings and in `<meta>`.
pub fn is_one_line(value: &str) -> bool {
    !value.contains(['\n', '\r', '\t'])
}

/// A voter id: 1 to [`VOTER_ID_MAX_BYTES`] bytes, no control characters.
pub fn is_voter_id(value: &str) -> bool {
    !value.is_empty() && value.len() <= VOTER_ID_MAX_BYTES && !value.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rule_check_names_the_first_problem() {
        let rule = TextRule { max_chars: 5 };
        assert_eq!(rule.check("fine"), Ok(()));
        assert_eq!(
            rule.check("two\nlines\tok"),
            Err(TextProblem::TooLong { max_chars: 5 })
        );
        assert_eq!(rule.check("a\nb\tc"), Ok(()));
        assert_eq!(rule.check("  \n\t "), Err(TextProblem::Blank));
        assert_eq!(rule.check(""), Err(TextProblem::Blank));
        assert_eq!(rule.check("caf\u{e9}s"), Ok(()), "characters, not bytes");
        assert_eq!(rule.check("nul\0"), Err(TextProblem::ControlCharacter));
        assert_eq!(rule.check("\u{7f}"), Err(TextProblem::ControlCharacter));
        assert_eq!(rule.check("\u{85}x"), Err(TextProblem::ControlCharacter));
    }

    #[test]
    fn is_website_url_accepts_only_plain_http_addresses() {
        assert!(is_website_url("https://example.com/a?b=c"));
        assert!(is_website_url("http://example.com"));
        assert!(!is_website_url("ftp://example.com"));
        assert!(!is_website_url("javascript:alert(1)"));
        assert!(!is_website_url("HTTPS://example.com"));
        assert!(!is_website_url("https://exa mple.com"));
        assert!(!is_website_url("https://example.com/\u{1}"));
        let longest = format!("https://{}", "a".repeat(WEBSITE_URL_MAX_BYTES - 8));
        assert!(is_website_url(&longest));
        assert!(!is_website_url(&format!("{longest}a")));
    }

    #[test]
    fn is_voter_id_counts_bytes_and_refuses_control_characters() {
        assert!(is_voter_id("0123456789abcdef0123456789abcdef"));
        assert!(is_voter_id(&"a".repeat(VOTER_ID_MAX_BYTES)));
        assert!(!is_voter_id(&"a".repeat(VOTER_ID_MAX_BYTES + 1)));
        assert!(!is_voter_id(&"\u{e9}".repeat(33)), "66 bytes");
        assert!(!is_voter_id(""));
        assert!(!is_voter_id("tab\there"));
    }
}
