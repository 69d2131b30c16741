//! The client address behind proxies: the right-most untrusted X-Forwarded-For entry; IPv6 grouped by /64.
