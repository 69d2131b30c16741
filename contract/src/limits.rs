//! Field limits the UI shows or applies before the server checks them.

/// The longest e-mail address accepted (RFC 5321's path limit less the
/// brackets), in bytes: the newsletter form's `maxlength`.
pub const MAX_EMAIL_LEN: usize = 254;

/// The longest search or filter text the UI sends, in characters: longer
/// text is cut, and the search boxes' `maxlength`.
pub const MAX_SEARCH_CHARS: usize = 100;
