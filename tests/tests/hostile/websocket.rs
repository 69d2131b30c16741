//! Subscriptions pass the HTTP limits; per-connection and per-address caps; one computation per change.
