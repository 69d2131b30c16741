//! `AppError`, the one error type of the server, and its two mappings: to an
//! HTTP response and to a GraphQL error with a stable `extensions.code`.

use async_graphql::ErrorExtensions;
use axum::{
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use sea_orm::DbErr;

/// Everything that can go wrong while serving a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 404 / `NOT_FOUND`: the named thing does not exist (or is not published).
    #[error("{what} `{key}` does not exist")]
    NotFound { what: &'static str, key: String },
    /// 401 / `UNAUTHENTICATED`: no valid session or token.
    #[error("sign in first, or send a valid API token")]
    Unauthenticated,
    /// 401 / `UNAUTHENTICATED`: a sign-in failed (never says which part was wrong).
    #[error("the e-mail address or the password is wrong")]
    BadCredentials,
    /// 403 / `FORBIDDEN`: authenticated, but not allowed this way; says why.
    #[error("{0}")]
    Forbidden(String),
    /// 400 / `VALIDATION`: an input field is wrong; the message says how.
    #[error("{field}: {message}")]
    Validation { field: String, message: String },
    /// 409 / `CONFLICT`: the change clashes with existing data.
    #[error("{0}")]
    Conflict(String),
    /// 429 / `RATE_LIMITED`: try again after this many seconds.
    #[error("too many requests; retry in {retry_after} s")]
    RateLimited { retry_after: u64 },
    /// 500 / `INTERNAL`: the database failed; details are logged, not sent.
    #[error("database error")]
    Db(#[from] DbErr),
    /// 500 / `INTERNAL`: anything else unexpected; details are logged, not sent.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A validation error on one input field.
    pub fn validation(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound { .. } => "NOT_FOUND",
            AppError::Unauthenticated | AppError::BadCredentials => "UNAUTHENTICATED",
            AppError::Forbidden(_) => "FORBIDDEN",
            AppError::Validation { .. } => "VALIDATION",
            AppError::Conflict(_) => "CONFLICT",
            AppError::RateLimited { .. } => "RATE_LIMITED",
            AppError::Db(_) | AppError::Internal(_) => "INTERNAL",
        }
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        status_for_code(self.code())
    }

    /// Logs what the client is not told.
    fn log(&self) {
        match self {
            AppError::Db(e) => tracing::error!(error = %e, "database error"),
            AppError::Internal(e) => tracing::error!(error = ?e, "internal error"),
            _ => {}
        }
    }
}

/// The HTTP status that goes with an `extensions.code`.
pub fn status_for_code(code: &str) -> StatusCode {
    match code {
        "NOT_FOUND" => StatusCode::NOT_FOUND,
        "UNAUTHENTICATED" => StatusCode::UNAUTHORIZED,
        "FORBIDDEN" => StatusCode::FORBIDDEN,
        "VALIDATION" => StatusCode::BAD_REQUEST,
        "CONFLICT" => StatusCode::CONFLICT,
        "RATE_LIMITED" => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let mut response = (status, self.to_string()).into_response();
        if let AppError::RateLimited { retry_after } = self {
            if let Ok(value) = retry_after.to_string().parse() {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
        }
        response
    }
}

impl ErrorExtensions for AppError {
    fn extend(&self) -> async_graphql::Error {
        self.log();
        async_graphql::Error::new(self.to_string()).extend_with(|_, extensions| {
            extensions.set("code", self.code());
            match self {
                AppError::Validation { field, .. } => extensions.set("field", field.as_str()),
                AppError::RateLimited { retry_after } => extensions.set("retryAfter", *retry_after),
                _ => {}
            }
        })
    }
}

/// `?` for resolvers: turns an `AppError` into a GraphQL error that keeps its code.
pub trait GqlResultExt<T> {
    /// Maps the error through [`ErrorExtensions`].
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T, E: Into<AppError>> GqlResultExt<T> for Result<T, E> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|e| e.into().extend())
    }
}

impl From<std::sync::Arc<DbErr>> for AppError {
    fn from(error: std::sync::Arc<DbErr>) -> Self {
        AppError::Internal(anyhow::anyhow!("database error: {error}"))
    }
}
