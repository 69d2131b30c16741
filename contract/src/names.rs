//! Header and cookie names both sides use.

/// The header every same-origin page sends with a change; a cross-site form
/// cannot set it, so a session cookie alone never authorises a mutation.
pub const CSRF_HEADER: &str = "x-verdicts-csrf";

/// The value the UI sends in [`CSRF_HEADER`] (the server only checks that
/// the header is there).
pub const CSRF_VALUE: &str = "1";

/// The editor's session cookie.
pub const SESSION_COOKIE: &str = "verdicts_session";

/// The reader's signed voter cookie, set on the first vote.
pub const VOTER_COOKIE: &str = "verdicts_voter";
