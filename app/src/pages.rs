//! One module per page.

pub mod admin;
pub mod admin_comparisons;
pub mod admin_reviewers;
pub mod admin_tools;
pub mod admin_webhooks;
pub mod api_docs;
pub mod catalogue;
pub mod category;
pub mod compare;
pub mod compare_many;
pub mod home;
pub mod integrity;
pub mod loaded;
pub mod newsletter;
pub mod not_found;
pub mod panel;
pub mod picker;
pub mod reviewer;
pub mod search;
pub mod tool;
