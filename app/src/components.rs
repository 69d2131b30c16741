//! Pieces shared by several pages.

pub mod admin;
pub mod editing;
pub mod pick;
pub mod score;
pub mod tool_card;
pub mod vote;
