//! Pieces shared by several pages.

pub mod admin;
pub mod editing;
pub mod history;
pub mod ledger;
pub mod newsletter;
pub mod pick;
pub mod picker;
pub mod provenance;
pub mod releases;
pub mod score;
pub mod tool_card;
pub mod tool_list;
pub mod vote;

/// A lens's name as readers read it.
pub fn lens_label(lens: &str) -> &'static str {
    match lens {
        "DEVELOPER_EXPERIENCE" => "Developer experience",
        "COMPETITIVE_RISK" => "Competitive risk",
        "STRATEGIC_THESIS" => "Strategic thesis",
        "BUSINESS_CASE" => "Business case",
        _ => "Panel",
    }
}
