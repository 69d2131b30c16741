//! One module per page.

pub mod compare;
pub mod home;
pub mod not_found;
pub mod tool;
