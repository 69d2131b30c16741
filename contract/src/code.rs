//! `Code`: every error code in `errors[].extensions.code`, with its wire
//! name and the HTTP status that goes with it.

use std::{fmt, str::FromStr};

use serde::{Deserialize, Serialize};

/// A stable error code. The server sets it on every GraphQL error; the UI
/// and API clients match on it, never on the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    /// 400 / `VALIDATION`: the request or an input is wrong; `extensions.field`
    /// names the input at fault.
    Validation,
    /// 404 / `NOT_FOUND`: nothing has that slug or id (or it is not published).
    NotFound,
    /// 401 / `UNAUTHENTICATED`: no valid session or API token, or a failed sign-in.
    Unauthenticated,
    /// 403 / `FORBIDDEN`: authenticated, but not allowed this way.
    Forbidden,
    /// 409 / `CONFLICT`: the change clashes with existing data.
    Conflict,
    /// 429 / `RATE_LIMITED`: too many requests; `extensions.retryAfter` says
    /// how many seconds to wait.
    RateLimited,
    /// 503 / `TIMEOUT`: the request ran out of time and was stopped.
    Timeout,
    /// 200 / `PERSISTED_QUERY_NOT_FOUND`: the hash of an automatic persisted
    /// query is unknown here. Answered with 200, as Apollo's clients expect:
    /// they read the body, then send the query text with the hash.
    PersistedQueryNotFound,
    /// 500 / `INTERNAL`: our fault; the details are logged, not sent.
    Internal,
    /// `NETWORK`: the UI's own code when no readable answer came back. The
    /// server never sends it; 502 if it had to name a status.
    Network,
}

impl Code {
    /// Every code, in the order above.
    pub const ALL: [Code; 10] = [
        Code::Validation,
        Code::NotFound,
        Code::Unauthenticated,
        Code::Forbidden,
        Code::Conflict,
        Code::RateLimited,
        Code::Timeout,
        Code::PersistedQueryNotFound,
        Code::Internal,
        Code::Network,
    ];

    /// The name on the wire (`extensions.code`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::Validation => "VALIDATION",
            Code::NotFound => "NOT_FOUND",
            Code::Unauthenticated => "UNAUTHENTICATED",
            Code::Forbidden => "FORBIDDEN",
            Code::Conflict => "CONFLICT",
            Code::RateLimited => "RATE_LIMITED",
            Code::Timeout => "TIMEOUT",
            Code::PersistedQueryNotFound => "PERSISTED_QUERY_NOT_FOUND",
            Code::Internal => "INTERNAL",
            Code::Network => "NETWORK",
        }
    }

    /// The HTTP status an answer carrying this code gets.
    pub const fn status(self) -> u16 {
        match self {
            Code::Validation => 400,
            Code::NotFound => 404,
            Code::Unauthenticated => 401,
            Code::Forbidden => 403,
            Code::Conflict => 409,
            Code::RateLimited => 429,
            Code::Timeout => 503,
            Code::PersistedQueryNotFound => 200,
            Code::Internal => 500,
            Code::Network => 502,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is no [`Code`]'s wire name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCode(pub String);

impl fmt::Display for UnknownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is no error code", self.0)
    }
}

impl std::error::Error for UnknownCode {}

impl FromStr for Code {
    type Err = UnknownCode;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Code::ALL
            .into_iter()
            .find(|code| code.as_str() == text)
            .ok_or_else(|| UnknownCode(text.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    /// The wire format, pinned: API clients match on these names and statuses.
    #[test]
    fn every_code_keeps_its_wire_name_and_status() {
        let pinned = [
            ("VALIDATION", 400),
            ("NOT_FOUND", 404),
            ("UNAUTHENTICATED", 401),
            ("FORBIDDEN", 403),
            ("CONFLICT", 409),
            ("RATE_LIMITED", 429),
            ("TIMEOUT", 503),
            ("PERSISTED_QUERY_NOT_FOUND", 200),
            ("INTERNAL", 500),
            ("NETWORK", 502),
        ];
        let actual: Vec<_> = Code::ALL.iter().map(|c| (c.as_str(), c.status())).collect();
        assert_eq!(actual, pinned);
    }

    #[test]
    fn every_code_reads_back_from_its_name_and_from_json() {
        for code in Code::ALL {
            assert_eq!(code.as_str().parse::<Code>(), Ok(code));
            let json = serde_json::to_string(&code).expect("a code serialises");
            assert_eq!(json, format!("\"{code}\""));
            let read: Code = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(read, code);
        }
    }

    #[test]
    fn unknown_or_differently_cased_names_are_no_code() {
        for text in [
            "",
            "validation",
            "Validation",
            "NOT FOUND",
            "BAD_REQUEST",
            "VALIDATION ",
        ] {
            assert!(text.parse::<Code>().is_err(), "{text:?}");
        }
    }
}
