//! Masked URLs in the start line, a token for /metrics, newsletter links that do not act on GET.
