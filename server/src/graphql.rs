//! The public GraphQL API: schema, loaders, queries, mutations and types.

pub mod auth;
pub mod depth;
pub mod loaders;
pub mod mutation;
pub mod query;
pub mod schema;
pub mod subscription;
pub mod types;

pub use crate::caller::{Caller, ClientAddress};
pub use schema::{build_schema, execute, sdl, ApiSettings, VerdictsSchema};
