//! The API's enums, mirrored from the entities' vocabularies.

use async_graphql::Enum;

/// A SHIP or SKIP judgement.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entities::Verdict")]
pub enum Verdict {
    /// Ship it: worth adopting.
    Ship,
    /// Skip it: not worth adopting.
    Skip,
}

/// The fixed angle a reviewer judges from.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entities::Lens")]
pub enum Lens {
    /// What is the primitive, what is the DX bet, the moment of truth.
    DeveloperExperience,
    /// Direct competitors, the scenario where it breaks, what kills it in 12 months.
    CompetitiveRisk,
    /// The thesis, the dependency that must hold, the second-order effect.
    StrategicThesis,
    /// Who buys, the moat, the unit economics.
    BusinessCase,
}

/// How a tool is sold.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entities::PricingModel")]
pub enum PricingModel {
    /// No charge.
    Free,
    /// A free tier and paid plans.
    Freemium,
    /// Paid only.
    Paid,
    /// Priced on request.
    Contact,
}

/// What a tool fact's value is.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "entities::FactKind")]
pub enum FactKind {
    /// Free text, one line ("Python, TypeScript" is a LIST).
    Text,
    /// A finite number ("Context window" 128000, unit "tokens").
    Number,
    /// Yes or no ("Open weights").
    Boolean,
    /// Several items ("Modalities": text, image).
    List,
}

/// The panel's top line on one tool: the majority of its published reviews.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::comparisons::PanelVerdict")]
pub enum PanelVerdict {
    /// More reviewers say SHIP than SKIP.
    Ship,
    /// More reviewers say SKIP than SHIP.
    Skip,
    /// As many reviewers say SHIP as SKIP.
    Split,
}

/// Which tool of a comparison the panel favours.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "crate::domain::comparisons::PanelPick")]
pub enum PanelPickSide {
    /// The left tool: its share of SHIP reviews is higher.
    Left,
    /// The right tool: its share of SHIP reviews is higher.
    Right,
    /// A split decision: equal shares, or a tool the panel has not reviewed.
    Split,
}
