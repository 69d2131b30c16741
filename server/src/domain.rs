//! The domain services: plain async functions over a `DatabaseConnection`,
//! called by the GraphQL resolvers, the form handlers and the CLI.

pub mod anomalies;
pub mod catalogue;
pub mod comparisons;
pub mod desk;
pub mod editing;
pub mod editors;
pub mod email;
pub mod facts;
pub mod fields;
pub mod history;
pub mod ids;
pub mod integrity;
pub mod newsletter;
pub mod panel;
pub mod provenance;
pub mod rate_limit;
pub mod retention;
pub mod scores;
pub mod search;
pub mod slug;
pub mod tool_names;
pub mod votes;
pub mod webhooks;
