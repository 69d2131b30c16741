//! Who sent a request: the voter cookie, the session cookie or API token,
//! the CSRF header, and the client's address.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{header, request::Parts, HeaderMap},
};

use crate::{
    graphql::{
        auth::{CSRF_HEADER, SESSION_COOKIE},
        Caller, ClientAddress,
    },
    state::AppState,
    voter::VoterSession,
};

/// The value of the first cookie called `name`.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let headers = &parts.headers;
        let forwarded = state
            .config
            .trust_forwarded_for
            .then(|| headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|token| token.trim().to_owned());
        Ok(Caller {
            voter: Arc::new(VoterSession::from_headers(headers, &state.voter_key)),
            address: ClientAddress(forwarded.or(peer)),
            session_secret: cookie(headers, SESSION_COOKIE),
            bearer,
            csrf_header: headers.contains_key(CSRF_HEADER),
            cookies: Arc::default(),
        })
    }
}
