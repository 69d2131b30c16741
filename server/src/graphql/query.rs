//! The root `Query`, merged from one object per entity.

pub mod comparison;
pub mod editor;
pub mod integrity;
pub(crate) mod listing;
pub mod newsletter;
pub mod node;
pub mod panel;
pub mod search;
pub mod tool;
pub(crate) mod tool_list;
pub mod webhook;

use async_graphql::MergedObject;

/// Every read the API offers.
#[derive(MergedObject, Default)]
pub struct Query(
    tool::ToolQuery,
    comparison::ComparisonQuery,
    editor::EditorQuery,
    node::NodeQuery,
    newsletter::NewsletterQuery,
    integrity::IntegrityQuery,
    panel::PanelQuery,
    search::SearchQuery,
    webhook::WebhookQuery,
);

/// What a list costs in a query's computed cost: its fields once per item
/// it may return.
pub(crate) mod cost {
    /// Items assumed for a list without a page size (a tool's reviews, the
    /// drafts): the panel and the drafts stay small.
    pub const UNPAGED_LIST: usize = 20;

    /// A page of `first` (or `last`) items, each costing `child`.
    pub fn page(first: Option<i32>, last: Option<i32>, child: usize) -> usize {
        let items = first
            .or(last)
            .unwrap_or(super::listing::DEFAULT_PAGE_SIZE)
            .clamp(0, super::cursor::MAX_PAGE_SIZE) as usize;
        1 + items.max(1) * child
    }

    /// A list without a page size, each item costing `child`.
    pub fn list(child: usize) -> usize {
        1 + UNPAGED_LIST * child
    }
}

/// Opaque cursors and page sizes shared by every connection.
pub(crate) mod cursor {
    use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

    use crate::error::AppError;

    /// Largest page a client may ask for.
    pub const MAX_PAGE_SIZE: i32 = 100;

    /// `first` checked against the cap.
    pub fn page_size(first: i32) -> Result<u64, AppError> {
        if (0..=MAX_PAGE_SIZE).contains(&first) {
            Ok(first as u64)
        } else {
            Err(AppError::validation(
                "first",
                format!("must be between 0 and {MAX_PAGE_SIZE}, got {first}"),
            ))
        }
    }

    /// An opaque cursor for a position in the list `kind`.
    pub fn encode(kind: &str, position: &str) -> String {
        URL_SAFE_NO_PAD.encode(format!("{kind}:{position}"))
    }

    /// The position inside a cursor made by [`encode`] for `kind`.
    pub fn decode(cursor: &str, kind: &str) -> Result<String, AppError> {
        let invalid = || AppError::validation("after", "not a cursor of this list");
        let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
        let text = String::from_utf8(bytes).map_err(|_| invalid())?;
        text.strip_prefix(kind)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(str::to_owned)
            .ok_or_else(invalid)
    }
}
