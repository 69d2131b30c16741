//! Global object identification: every entity has an opaque `id` that
//! `node(id:)` and `nodes(ids:)` turn back into it.

use async_graphql::{Interface, ID};

pub use crate::domain::ids::{parse, Target};
use crate::graphql::types::{Category, Comparison, Review, Reviewer, Tool};

/// Anything with a global id: fetch it again with `node(id:)`.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Its global id: opaque and stable; `node(id:)` fetches it again."
))]
pub enum Node {
    /// A tool.
    Tool(Tool),
    /// A comparison, curated or ad hoc.
    Comparison(Comparison),
    /// A panel member.
    Reviewer(Reviewer),
    /// A category.
    Category(Category),
    /// A review.
    Review(Review),
}

/// The global id of `target`, as the API's `ID`.
pub fn global_id(target: Target) -> ID {
    ID(crate::domain::ids::global_id(target))
}
