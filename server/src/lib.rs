//! The Verdicts server: configuration, domain services, the GraphQL schema,
//! and the axum router that serves the API, the pages and the assets.

// The pages' view types nest deeply when components are not erased (release builds).
#![recursion_limit = "512"]

pub mod budget;
pub mod cache;
pub mod caller;
pub mod changes;
pub mod config;
pub mod dataset;
pub mod db;
pub mod domain;
pub mod error;
pub mod graphql;
pub mod live;
pub mod mailer;
pub mod metrics;
pub mod routes;
pub mod ssr;
pub mod startup;
pub mod state;
pub mod voter;

pub use config::Config;
pub use error::AppError;
pub use startup::Application;
