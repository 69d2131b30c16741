//! The attacks of the hardening review, replayed against the real server
//! (both databases where the database matters): each module is one finding,
//! and its tests assert the fixed behaviour. `SECURITY.md` has the model.

mod caching;
mod caller;
mod connections;
mod forms;
mod growth;
mod headers;
mod input;
mod markup;
mod proxy;
mod sign_in;
mod smaller;
mod websocket;
