//! The API's object types: thin wrappers over entity models, relations through loaders.

pub mod comparison;
pub mod editor;
pub mod enums;
pub mod fact;
pub mod integrity;
pub mod lineup;
pub mod newsletter;
pub mod node;
pub mod page;
pub mod panel;
pub mod provenance;
pub mod review;
pub mod score;
pub mod search;
pub mod tool;
pub mod webhook;

pub use comparison::Comparison;
pub use editor::{ApiToken, AuditEntry, CreatedApiToken, Editor, VoteAnomaly};
pub use enums::{FactKind, Lens, PanelPickSide, PanelVerdict, PricingModel, Verdict};
pub use fact::{FactRow, SuggestedFact, ToolFact};
pub use integrity::{HeldVoteWindow, IntegrityLedger, VoteDecision, VoteIntegrity};
pub use lineup::MultiComparison;
pub use newsletter::{NewsletterSignup, OutboxMail, SubscriberCounts};
pub use node::Node;
pub use page::Page;
pub use panel::{PanelRecord, PanelVersusReaders};
pub use provenance::{ReviewRevision, ReviewStaleness, StaleReason, ToolRelease};
pub use review::{Category, Review, Reviewer};
pub use score::{CommunityScore, HeadToHead, PanelScore, ScoreSnapshot};
pub use tool::{Tool, ToolMatch};

use async_graphql::Context;

use crate::graphql::{loaders::Loaders, ApiSettings};

/// This request's loaders.
pub(crate) fn loaders<'a>(ctx: &Context<'a>) -> &'a Loaders {
    ctx.data_unchecked::<Loaders>()
}

/// The API's settings.
pub(crate) fn settings(ctx: &Context<'_>) -> ApiSettings {
    *ctx.data_unchecked::<ApiSettings>()
}

/// Where this request records what it read, for the cache (one that
/// records nothing outside [`crate::graphql::execute`]).
pub(crate) fn reads<'a>(ctx: &Context<'a>) -> &'a crate::changes::Reads {
    static IGNORED: std::sync::LazyLock<std::sync::Arc<crate::changes::Reads>> =
        std::sync::LazyLock::new(crate::changes::Reads::ignored);
    ctx.data_opt::<std::sync::Arc<crate::changes::Reads>>()
        .map_or(&**IGNORED, |reads| &**reads)
}
