//! One module per page.

pub mod admin;
pub mod admin_comparisons;
pub mod admin_reviewers;
pub mod admin_tools;
pub mod api_docs;
pub mod catalogue;
pub mod category;
pub mod compare;
pub mod home;
pub mod newsletter;
pub mod not_found;
pub mod picker;
pub mod reviewer;
pub mod search;
pub mod tool;

/// Whether `text` is a slug (lower-case letters, digits, single hyphens).
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 100
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}
