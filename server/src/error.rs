//! `AppError`, the one error type of the server, and its two mappings: to an
//! HTTP response and to a GraphQL error with a stable `extensions.code`.

use async_graphql::ErrorExtensions;
use axum::{
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use contract::Code;
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
    /// 400 / `VALIDATION`: several input fields are wrong at once. The first
    /// is named as in `Validation` (`extensions.field`), every one in
    /// `extensions.fields` as `{ field, message }`; the message lists them all.
    #[error("{}", list_fields(.0))]
    Fields(Vec<(String, String)>),
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

    /// Every field error in `errors`: none is no error, one is a
    /// `Validation`, more are `Fields`.
    pub fn fields(mut errors: Vec<(String, String)>) -> Result<(), Self> {
        match errors.len() {
            0 => Ok(()),
            1 => {
                let (field, message) = errors.remove(0);
                Err(AppError::Validation { field, message })
            }
            _ => Err(AppError::Fields(errors)),
        }
    }

    /// The stable code clients match on.
    pub fn code(&self) -> Code {
        match self {
            AppError::NotFound { .. } => Code::NotFound,
            AppError::Unauthenticated | AppError::BadCredentials => Code::Unauthenticated,
            AppError::Forbidden(_) => Code::Forbidden,
            AppError::Validation { .. } | AppError::Fields(_) => Code::Validation,
            AppError::Conflict(_) => Code::Conflict,
            AppError::RateLimited { .. } => Code::RateLimited,
            AppError::Db(_) | AppError::Internal(_) => Code::Internal,
        }
    }

    /// The HTTP status this error answers with.
    pub fn status(&self) -> StatusCode {
        http_status(self.code())
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

/// "name: must not be empty; slug: …".
fn list_fields(errors: &[(String, String)]) -> String {
    errors
        .iter()
        .map(|(field, message)| format!("{field}: {message}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The HTTP status that goes with a code.
pub fn http_status(code: Code) -> StatusCode {
    StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// The code a GraphQL error carries in `extensions.code`, if it is one of ours.
pub fn code_of(error: &async_graphql::ServerError) -> Option<Code> {
    match error.extensions.as_ref()?.get("code")? {
        async_graphql::Value::String(code) => code.parse().ok(),
        _ => None,
    }
}

/// An `extensions` map carrying `code`, for errors made outside [`AppError`].
pub fn extensions_with(code: Code) -> async_graphql::ErrorExtensionValues {
    let mut extensions = async_graphql::ErrorExtensionValues::default();
    extensions.set("code", code.as_str());
    extensions
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
            extensions.set("code", self.code().as_str());
            match self {
                AppError::Validation { field, .. } => extensions.set("field", field.as_str()),
                AppError::Fields(errors) => {
                    if let Some((first, _)) = errors.first() {
                        extensions.set("field", first.as_str());
                    }
                    let all: Vec<async_graphql::Value> = errors
                        .iter()
                        .map(|(field, message)| {
                            let mut entry = async_graphql::indexmap::IndexMap::new();
                            entry.insert(
                                async_graphql::Name::new("field"),
                                async_graphql::Value::from(field.as_str()),
                            );
                            entry.insert(
                                async_graphql::Name::new("message"),
                                async_graphql::Value::from(message.as_str()),
                            );
                            async_graphql::Value::Object(entry)
                        })
                        .collect();
                    extensions.set("fields", async_graphql::Value::List(all));
                }
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

#[cfg(test)]
mod tests {
    use async_graphql::ErrorExtensions;
    use axum::http::StatusCode;
    use contract::Code;

    use super::{code_of, AppError};

    #[test]
    fn every_app_error_answers_with_its_codes_status_and_carries_the_code() {
        let cases = [
            (
                AppError::NotFound {
                    what: "tool",
                    key: "x".into(),
                },
                Code::NotFound,
                StatusCode::NOT_FOUND,
            ),
            (
                AppError::Unauthenticated,
                Code::Unauthenticated,
                StatusCode::UNAUTHORIZED,
            ),
            (
                AppError::BadCredentials,
                Code::Unauthenticated,
                StatusCode::UNAUTHORIZED,
            ),
            (
                AppError::Forbidden("no".into()),
                Code::Forbidden,
                StatusCode::FORBIDDEN,
            ),
            (
                AppError::validation("slug", "bad"),
                Code::Validation,
                StatusCode::BAD_REQUEST,
            ),
            (
                AppError::Fields(vec![
                    ("name".into(), "bad".into()),
                    ("slug".into(), "bad".into()),
                ]),
                Code::Validation,
                StatusCode::BAD_REQUEST,
            ),
            (
                AppError::Conflict("taken".into()),
                Code::Conflict,
                StatusCode::CONFLICT,
            ),
            (
                AppError::RateLimited { retry_after: 3 },
                Code::RateLimited,
                StatusCode::TOO_MANY_REQUESTS,
            ),
            (
                AppError::Internal(anyhow::anyhow!("boom")),
                Code::Internal,
                StatusCode::INTERNAL_SERVER_ERROR,
            ),
        ];
        for (error, code, status) in cases {
            assert_eq!(error.code(), code, "{error}");
            assert_eq!(error.status(), status, "{error}");
            let server = error
                .extend()
                .into_server_error(async_graphql::Pos::default());
            assert_eq!(code_of(&server), Some(code), "{error}");
        }
    }

    #[test]
    fn code_of_ignores_missing_and_unknown_codes() {
        let mut error = async_graphql::ServerError::new("x", None);
        assert_eq!(code_of(&error), None);
        error.extensions = Some(super::extensions_with(Code::Timeout));
        assert_eq!(code_of(&error), Some(Code::Timeout));
        let mut unknown = async_graphql::ErrorExtensionValues::default();
        unknown.set("code", "NOPE");
        error.extensions = Some(unknown);
        assert_eq!(code_of(&error), None);
    }
}
