//! What the server, the browser UI and the tests must agree on, in one crate
//! that compiles for both sides: error codes, header and cookie names, slug
//! rules, field limits and every GraphQL operation the UI sends.

pub mod code;
pub mod limits;
pub mod names;
pub mod operations;
pub mod slug;

pub use code::Code;
pub use operations::Operation;
