//! Black-box test suites live in `tests/`; this library is empty.
