//! Slugs: the URL-safe names of categories, tools, reviewers and comparisons.
//! The rules are the contract's, shared with the UI.

pub use contract::slug::{is_slug, slugify, MAX_SLUG_LEN};
