//! Pieces shared by several pages.

pub mod score;
pub mod tool_card;
pub mod vote;
