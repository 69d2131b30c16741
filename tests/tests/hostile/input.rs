//! Junk input (cursors, out-of-range literals) is a 4xx or VALIDATION, never a 5xx or INTERNAL.
