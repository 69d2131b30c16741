//! The closed vocabularies of the domain, stored as upper-case text with a CHECK constraint.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// A panel member's or reader's judgement of a tool.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Verdict {
    #[sea_orm(string_value = "SHIP")]
    Ship,
    #[sea_orm(string_value = "SKIP")]
    Skip,
}

/// Whether a reader's vote counts for the community score.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum VoteStatus {
    /// Counts.
    #[sea_orm(string_value = "COUNTED")]
    Counted,
    /// Set aside by a counting rule until an editor decides (or it ages out).
    #[sea_orm(string_value = "HELD")]
    Held,
    /// Set aside for good: by an editor, by the expiry rule, or because its
    /// partner app's votes are switched off.
    #[sea_orm(string_value = "REJECTED")]
    Rejected,
}

/// The fixed angle a reviewer judges every tool from; ordered as the panel is presented.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Lens {
    #[sea_orm(string_value = "DEVELOPER_EXPERIENCE")]
    DeveloperExperience,
    #[sea_orm(string_value = "COMPETITIVE_RISK")]
    CompetitiveRisk,
    #[sea_orm(string_value = "STRATEGIC_THESIS")]
    StrategicThesis,
    #[sea_orm(string_value = "BUSINESS_CASE")]
    BusinessCase,
}

/// How a tool is sold.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PricingModel {
    #[sea_orm(string_value = "FREE")]
    Free,
    #[sea_orm(string_value = "FREEMIUM")]
    Freemium,
    #[sea_orm(string_value = "PAID")]
    Paid,
    #[sea_orm(string_value = "CONTACT")]
    Contact,
}

/// Where a newsletter subscriber stands in the double opt-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum SubscriberStatus {
    /// Signed up; the confirmation link has not been followed.
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// Followed the link: receives the digest.
    #[sea_orm(string_value = "CONFIRMED")]
    Confirmed,
    /// Followed an unsubscribe link.
    #[sea_orm(string_value = "UNSUBSCRIBED")]
    Unsubscribed,
}

/// What a mail in the outbox is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "Text")]
pub enum MailKind {
    /// The double opt-in link.
    #[sea_orm(string_value = "CONFIRMATION")]
    Confirmation,
    /// The weekly verdicts.
    #[sea_orm(string_value = "DIGEST")]
    Digest,
}

/// Where a webhook delivery stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeliveryStatus {
    /// Waiting for its first or next attempt.
    #[sea_orm(string_value = "PENDING")]
    Pending,
    /// The receiver answered 2xx.
    #[sea_orm(string_value = "DELIVERED")]
    Delivered,
    /// Every attempt failed.
    #[sea_orm(string_value = "FAILED")]
    Failed,
}

/// What a tool fact's value is: free text, a number, yes or no, or a list.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum, Serialize, Deserialize,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FactKind {
    /// Free text.
    #[sea_orm(string_value = "TEXT")]
    Text,
    /// A finite number, stored as its canonical decimal.
    #[sea_orm(string_value = "NUMBER")]
    Number,
    /// `true` or `false`.
    #[sea_orm(string_value = "BOOLEAN")]
    Boolean,
    /// Items, one per line.
    #[sea_orm(string_value = "LIST")]
    List,
}
