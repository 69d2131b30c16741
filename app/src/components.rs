//! Pieces shared by several pages.

pub mod admin;
pub mod editing;
pub mod fact_editor;
pub mod facts;
pub mod history;
pub mod ledger;
pub mod newsletter;
pub mod pick;
pub mod picker;
pub mod provenance;
pub mod releases;
pub mod score;
pub mod share;
pub mod tool_card;
pub mod tool_list;
pub mod vote;

/// Where a lens stands in the panel's order, as readers see the scorecard
/// (the API's `Lens` order); unknown lenses last.
pub fn lens_rank(lens: &str) -> usize {
    [
        "DEVELOPER_EXPERIENCE",
        "COMPETITIVE_RISK",
        "STRATEGIC_THESIS",
        "BUSINESS_CASE",
    ]
    .iter()
    .position(|l| *l == lens)
    .unwrap_or(usize::MAX)
}

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
