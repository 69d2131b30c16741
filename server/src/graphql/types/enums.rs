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
