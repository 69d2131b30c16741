//! Who sent a request: the voter cookie and the client's address.

use std::{net::SocketAddr, sync::Arc};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::request::Parts,
};

use crate::{graphql::ClientAddress, state::AppState, voter::VoterSession};

/// The requesting reader, as every handler that votes needs it.
pub struct Client {
    /// The voter from the signed cookie (or one minted on first vote).
    pub voter: Arc<VoterSession>,
    /// The client's address: the peer, or the first `X-Forwarded-For` entry
    /// when the server is configured to trust its proxy.
    pub address: ClientAddress,
}

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let voter = Arc::new(VoterSession::from_headers(&parts.headers, &state.voter_key));
        let forwarded = state
            .config
            .trust_forwarded_for
            .then(|| parts.headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse().ok());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(Client {
            voter,
            address: ClientAddress(forwarded.or(peer)),
        })
    }
}
