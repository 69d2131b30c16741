//! Slow and idle connections are closed; the number of connections is capped.
