//! SeaORM models of the Verdicts tables: the table layout as Rust types, no logic.

pub mod api_token;
pub mod audit_entry;
pub mod category;
pub mod category_fact_label;
pub mod comparison;
pub mod editor;
pub mod enums;
pub mod outbox_mail;
pub mod pick;
pub mod rate_limit;
pub mod review;
pub mod review_revision;
pub mod reviewer;
pub mod score_snapshot;
pub mod session;
pub mod setting;
pub mod subscriber;
pub mod tool;
pub mod tool_fact;
pub mod tool_release;
pub mod tool_tally;
pub mod vote;
pub mod vote_anomaly;
pub mod vote_decision;
pub mod vote_event;
pub mod vote_window;
pub mod webhook_attempt;
pub mod webhook_delivery;
pub mod webhook_endpoint;
pub mod webhook_event;
pub mod webhook_score_mark;

pub use enums::{
    DeliveryStatus, FactKind, Lens, MailKind, PricingModel, SubscriberStatus, Verdict, VoteStatus,
};
