//! Pieces shared by several pages.

pub mod admin;
pub mod editing;
pub mod history;
pub mod newsletter;
pub mod pick;
pub mod picker;
pub mod score;
pub mod tool_card;
pub mod tool_list;
pub mod vote;
