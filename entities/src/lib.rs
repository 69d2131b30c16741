//! SeaORM models of the Verdicts tables: the table layout as Rust types, no logic.

pub mod category;
pub mod comparison;
pub mod enums;
pub mod review;
pub mod reviewer;
pub mod setting;
pub mod tool;
pub mod vote;

pub use enums::{Lens, PricingModel, Verdict};
