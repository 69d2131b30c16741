//! Who sent a request, derived once per request and read by everything
//! else: the client address (after the proxy rule, IPv6 grouped by /64), the
//! voter, the editor's session cookie, the API token and the CSRF header.
//! The caches, server-side rendering, the limits and the resolvers all read
//! this one model, so they cannot disagree about who is asking or whether
//! an answer may be shared.

use std::{
    net::{IpAddr, Ipv6Addr, SocketAddr},
    str::FromStr,
    sync::Arc,
};

use ::cookie::{Cookie, SameSite};
use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};

use crate::{
    graphql::auth::{ResponseCookies, CSRF_HEADER, SESSION_COOKIE},
    state::AppState,
    voter::{VoterSession, COOKIE_NAME as VOTER_COOKIE},
};

/// The client as every limit counts it: its IPv4 address, or the /64
/// network of its IPv6 address (one subscriber line holds a whole /64, so
/// counting single IPv6 addresses would let one client be 2^64 clients).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct ClientAddress(pub Option<IpAddr>);

impl ClientAddress {
    /// The address of `ip` as limits count it.
    pub fn of(ip: IpAddr) -> Self {
        let grouped = match ip {
            IpAddr::V4(v4) => IpAddr::V4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => {
                    let network = u128::from(v6) & !((1u128 << 64) - 1);
                    IpAddr::V6(Ipv6Addr::from(network))
                }
            },
        };
        ClientAddress(Some(grouped))
    }
}

impl std::fmt::Display for ClientAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(IpAddr::V6(network)) => write!(f, "{network}/64"),
            Some(IpAddr::V4(address)) => write!(f, "{address}"),
            None => f.write_str("unknown"),
        }
    }
}

/// Which proxies in front of the server may say who the client is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TrustedProxies {
    /// None: the connection's peer is the client; `X-Forwarded-For` is ignored.
    #[default]
    None,
    /// Exactly this many proxies in front: the client is the entry that the
    /// outermost of them appended (the n-th from the right).
    Count(usize),
    /// Proxies at these networks: walking `X-Forwarded-For` from the right,
    /// starting at the peer, the first address outside them is the client.
    Networks(Vec<Network>),
}

/// An IP network, `10.0.0.0/8` or `fd00::/8` (a lone address is a /32 or /128).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u8,
}

impl Network {
    fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        match (self.address, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

impl FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address: IpAddr = address
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not an IP address or network"))?;
        let most = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            Some(prefix) => prefix
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= most)
                .ok_or_else(|| format!("`{text}`: the prefix must be 0 to {most}"))?,
            None => most,
        };
        Ok(Network { address, prefix })
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    /// `0` (none), a count such as `1`, or networks such as `10.0.0.0/8,::1`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if let Ok(count) = text.parse::<usize>() {
            return Ok(if count == 0 {
                TrustedProxies::None
            } else {
                TrustedProxies::Count(count)
            });
        }
        text.split(',')
            .filter(|part| !part.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<Network>, _>>()
            .map(TrustedProxies::Networks)
    }
}

impl TrustedProxies {
    /// Whether connections from `peer` come from a trusted proxy named by
    /// its network (a hop count names no address, so it trusts none).
    pub fn trusts_peer(&self, peer: IpAddr) -> bool {
        match self {
            TrustedProxies::Networks(networks) => networks.iter().any(|n| n.contains(peer)),
            TrustedProxies::None | TrustedProxies::Count(_) => false,
        }
    }

    /// Whether the proxies are given as a hop count: every connection then
    /// comes from a proxy whose address is not named, so no cap per TCP
    /// peer can tell clients apart (it would cap the whole site).
    pub fn counts_hops(&self) -> bool {
        matches!(self, TrustedProxies::Count(n) if *n > 0)
    }

    /// The client's address: the peer, or what trusted proxies said of it.
    ///
    /// `X-Forwarded-For` is read as bytes, entry by entry: a byte that is
    /// not ASCII (or any junk) spoils only its own entry, never the rest of
    /// its header line, so a client cannot hide the entry a proxy appended
    /// and make its own entries count instead. When the entry the rule
    /// picks is junk, the client is the nearest trusted hop: the proxy that
    /// appended the junk (as the next proxy saw it, or the peer).
    pub fn client(&self, peer: Option<IpAddr>, headers: &HeaderMap) -> Option<IpAddr> {
        if matches!(self, TrustedProxies::None) {
            return peer;
        }
        // Every X-Forwarded-For header, in order, as one list; `None` for
        // an entry that is not an address (a forged `unknown`, junk bytes).
        let entries: Vec<Option<IpAddr>> = headers
            .get_all("x-forwarded-for")
            .iter()
            .flat_map(|v| v.as_bytes().split(|b| *b == b','))
            .map(<[u8]>::trim_ascii)
            .filter(|entry| !entry.is_empty())
            .map(parse_entry)
            .collect();
        match self {
            TrustedProxies::None => peer,
            TrustedProxies::Count(count) => {
                // The outermost trusted proxy appended the address it saw,
                // which is `count - 1` entries from the right; with fewer
                // entries, the proxies were bypassed: the peer is the client.
                match entries.len().checked_sub(*count) {
                    Some(at) => entries[at].or_else(|| {
                        // Junk there: the trusted hop nearest to it, which is
                        // the next address to its right, else the peer.
                        entries[at + 1..].iter().find_map(|e| *e).or(peer)
                    }),
                    None => peer,
                }
            }
            TrustedProxies::Networks(networks) => {
                let trusted = |ip: IpAddr| networks.iter().any(|n| n.contains(ip));
                let mut client = peer?;
                // Walking from the right: past every trusted hop, stopping
                // at the first untrusted address, or at junk (nothing to its
                // left can be trusted: the last trusted hop is the client).
                for entry in entries.iter().rev() {
                    if !trusted(client) {
                        break;
                    }
                    match entry {
                        Some(ip) => client = *ip,
                        None => break,
                    }
                }
                Some(client)
            }
        }
    }
}

/// An `X-Forwarded-For` entry: an address, perhaps with a port or brackets;
/// `None` for anything else, including bytes that are not UTF-8.
fn parse_entry(entry: &[u8]) -> Option<IpAddr> {
    let entry = std::str::from_utf8(entry).ok()?;
    entry
        .parse::<IpAddr>()
        .ok()
        .or_else(|| entry.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

/// The value of the cookie called `name` among the request's headers
/// (parsed by the `cookie` crate; a malformed pair is skipped).
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name)
        .map(|c| c.value().to_owned())
}

/// A `Set-Cookie` value for one of the site's cookies: whole site,
/// `HttpOnly`, `SameSite=Lax`, `Secure` when the site is served over https;
/// a `max_age_secs` of 0 removes it.
pub fn set_cookie(name: &str, value: &str, max_age_secs: i64, secure: bool) -> String {
    Cookie::build((name.to_owned(), value.to_owned()))
        .path("/")
        .max_age(::cookie::time::Duration::seconds(max_age_secs))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
        .to_string()
}

/// Whether a POST comes from this site's own pages, or from no browser at
/// all (see SECURITY.md, Forms from other sites). Every sign a browser gives
/// must name this site:
/// - `Sec-Fetch-Site` must be `same-origin` (or `none`: the reader's own
///   doing, such as a bookmark); `same-site` (a sibling subdomain),
///   `cross-site` and anything else are refused;
/// - `Origin` must be one of the site's origins (`null`, which browsers send
///   from sandboxed frames and from pages that withhold their address, never
///   is);
/// - `Referer`, when it comes, must be at one of the site's origins.
///
/// A request with none of the three is no browser's: every browser that
/// can carry a reader's cookies and address sends `Origin` with a POST. It
/// passes; curl and scripts can only act as themselves.
///
/// The site's origins are the public URL's and, for a request addressed to
/// an IP address or `localhost` (its `Host`), that address with the scheme
/// the site is served with (`https` with `--secure-cookies`, else `http`).
/// A request addressed to any other name is judged by the public URL
/// alone: another site's name pointed at this server (DNS rebinding) makes
/// its pages and its requests share that name, and it is still another
/// site. Forwarded host and scheme headers are not read: behind a proxy,
/// `--public-url` says what the site is.
pub fn from_this_site(headers: &HeaderMap, public_url: &str, https: bool) -> bool {
    let fetch_site_agrees = headers
        .get_all("sec-fetch-site")
        .iter()
        .all(|site| matches!(site.to_str(), Ok("same-origin" | "none")));
    if !fetch_site_agrees {
        return false;
    }
    if !headers.contains_key(header::ORIGIN) && !headers.contains_key(header::REFERER) {
        // Nothing names a site (no browser, or one that says no more).
        return true;
    }
    let public = url::Url::parse(public_url).ok().map(|u| u.origin());
    let own = own_origin(headers, https);
    let is_site = |value: &HeaderValue| {
        value
            .to_str()
            .ok()
            .and_then(|text| url::Url::parse(text).ok())
            .filter(url::Url::has_host)
            .map(|u| u.origin())
            .is_some_and(|origin| public.as_ref() == Some(&origin) || own.as_ref() == Some(&origin))
    };
    // One `Origin` at most (a browser never sends two), and each `Referer`.
    let origins = headers.get_all(header::ORIGIN);
    origins.iter().count() <= 1
        && origins.iter().all(is_site)
        && headers.get_all(header::REFERER).iter().all(is_site)
}

/// The request's own origin when it is addressed to an IP address or
/// `localhost`: its `Host` with the scheme the site is served with.
fn own_origin(headers: &HeaderMap, https: bool) -> Option<url::Origin> {
    let host = headers.get(header::HOST)?.to_str().ok()?;
    let scheme = if https { "https" } else { "http" };
    let own = url::Url::parse(&format!("{scheme}://{host}")).ok()?;
    // The host alone: a Host with a path, user or query is not one.
    if own.path() != "/" || own.query().is_some() || !own.username().is_empty() {
        return None;
    }
    match own.host()? {
        url::Host::Ipv4(_) | url::Host::Ipv6(_) => Some(own.origin()),
        url::Host::Domain(name) if name.eq_ignore_ascii_case("localhost") => Some(own.origin()),
        url::Host::Domain(_) => None,
    }
}

/// A form POST from this site's own pages or from no browser (see
/// [`from_this_site`]): as an extractor, it refuses the rest with
/// [`CrossSite`] before the form is read, so nothing is written and no
/// cookie set.
pub struct FromThisSite;

impl FromRequestParts<AppState> for FromThisSite {
    type Rejection = CrossSite;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, CrossSite> {
        if Caller::of(parts, state).from_this_site {
            Ok(FromThisSite)
        } else {
            Err(CrossSite)
        }
    }
}

/// 403: a form posted from another site.
#[derive(Debug)]
pub struct CrossSite;

impl IntoResponse for CrossSite {
    fn into_response(self) -> Response {
        (
            StatusCode::FORBIDDEN,
            [(header::CACHE_CONTROL, "no-store")],
            "Refused: this form can only be sent from this site's own pages, \
             so nothing was changed. Open the page on this site and send it from there.",
        )
            .into_response()
    }
}

/// Who is calling, read once from the request (see [`Caller::of`]); its
/// clones share the voter and the response cookies.
#[derive(Clone, Default)]
pub struct Caller {
    /// The reader's voter identity (a cookie this server signed, else none).
    pub voter: Arc<VoterSession>,
    /// The client as limits count it.
    pub address: ClientAddress,
    /// The session cookie's secret, if one came (checked against the
    /// database only when a resolver needs the editor).
    pub session_secret: Option<String>,
    /// The `Authorization: Bearer` token, if one came.
    pub bearer: Option<String>,
    /// Whether the CSRF header came.
    pub csrf_header: bool,
    /// Whether the request came from this site's own pages, or from no
    /// browser at all (see [`from_this_site`]): forms refuse the rest.
    pub from_this_site: bool,
    /// Cookies resolvers set (sign-in, sign-out), for the response.
    pub cookies: Arc<ResponseCookies>,
}

impl Caller {
    /// The request's caller: read from its connection and headers the
    /// first time anything asks, then kept in the request's extensions, so
    /// the page cache, server-side rendering and the route all get this one
    /// value (and the work is done once).
    pub fn of(parts: &mut Parts, state: &AppState) -> Self {
        if let Some(caller) = Self::kept(parts) {
            return caller;
        }
        let caller = Self::from_parts(parts, state);
        parts.extensions.insert(caller.clone());
        caller
    }

    /// The caller [`Caller::of`] kept for this request, if it ran.
    pub fn kept(parts: &Parts) -> Option<Self> {
        parts.extensions.get::<Caller>().cloned()
    }

    /// Reads the request's connection and headers (every time: prefer
    /// [`Caller::of`]).
    fn from_parts(parts: &Parts, state: &AppState) -> Self {
        Self::read(
            &parts.headers,
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip()),
            state,
        )
    }

    /// Reads a request from its headers and the connection's peer address.
    pub fn read(headers: &HeaderMap, peer: Option<IpAddr>, state: &AppState) -> Self {
        let address = state
            .config
            .trusted_proxies()
            .client(peer, headers)
            .map(ClientAddress::of)
            .unwrap_or_default();
        let bearer = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|token| token.trim().to_owned());
        let voter = cookie(headers, VOTER_COOKIE).and_then(|value| state.voter_key.verify(&value));
        Caller {
            voter: Arc::new(VoterSession::new(voter)),
            address,
            session_secret: cookie(headers, SESSION_COOKIE).filter(|s| !s.is_empty()),
            bearer,
            csrf_header: headers.contains_key(CSRF_HEADER),
            from_this_site: from_this_site(
                headers,
                &state.config.public_url,
                state.config.secure_cookies,
            ),
            cookies: Arc::default(),
        }
    }

    /// The same caller for a page being rendered: pages only read, so the
    /// CSRF header (which authorises changes) and API tokens do not apply.
    pub fn for_rendering(self) -> Self {
        Caller {
            bearer: None,
            csrf_header: false,
            ..self
        }
    }

    /// Whether the answer may depend on who asks: a reader this server gave
    /// a voter id (their own vote shows), a session cookie (an editor sees
    /// drafts), or an API token. A forged or stale voter cookie does not
    /// count: the answer is the anonymous one.
    pub fn is_personal(&self) -> bool {
        self.voter.known().is_some() || self.session_secret.is_some() || self.bearer.is_some()
    }

    /// Who pays for an API request: its token when it has one (never
    /// stored, only a hash), else its address.
    pub fn budget_key(&self) -> String {
        match &self.bearer {
            Some(token) => format!(
                "token:{}",
                &hex::encode(Sha256::digest(token.as_bytes()))[..32]
            ),
            None => format!("address:{}", self.address),
        }
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Caller::of(parts, state))
    }
}

/// `Cache-Control` for an answer shaped by who asked: no shared cache may
/// keep it, and none may reuse it for another cookie.
pub const PERSONAL_CACHE_CONTROL: &str = "private, no-store";

/// Marks an answer that depended on the caller as theirs alone.
pub fn mark_personal(headers: &mut HeaderMap) {
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(PERSONAL_CACHE_CONTROL),
    );
    vary_on(headers, "Cookie");
}

/// Adds `name` to the answer's `Vary` header unless it is there.
pub fn vary_on(headers: &mut HeaderMap, name: &str) {
    let present = headers
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| v.trim().eq_ignore_ascii_case(name) || v.trim() == "*");
    if !present {
        if let Ok(value) = HeaderValue::from_str(name) {
            headers.append(header::VARY, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forwarded(values: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append("x-forwarded-for", HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn trusted_proxies_count_takes_the_entry_the_outermost_proxy_appended() {
        let one: TrustedProxies = "1".parse().unwrap();
        let peer = Some(ip("10.0.0.1"));
        // The client wrote the first two entries; the proxy appended the third.
        let headers = forwarded(&["1.1.1.1, 2.2.2.2", "203.0.113.9"]);
        assert_eq!(one.client(peer, &headers), Some(ip("203.0.113.9")));
        let two: TrustedProxies = "2".parse().unwrap();
        assert_eq!(two.client(peer, &headers), Some(ip("2.2.2.2")));
        // No header: the proxy was bypassed, the peer is the client.
        assert_eq!(one.client(peer, &HeaderMap::new()), peer);
        let none: TrustedProxies = "0".parse().unwrap();
        assert_eq!(none.client(peer, &headers), peer);
    }

    #[test]
    fn trusted_proxies_networks_walk_from_the_right_past_trusted_hops() {
        let proxies: TrustedProxies = "10.0.0.0/8, fd00::/8".parse().unwrap();
        let headers = forwarded(&["6.6.6.6, 198.51.100.7, 10.1.2.3"]);
        assert_eq!(
            proxies.client(Some(ip("10.0.0.1")), &headers),
            Some(ip("198.51.100.7"))
        );
        // A peer outside the networks is the client, whatever it claims.
        assert_eq!(
            proxies.client(Some(ip("198.51.100.99")), &headers),
            Some(ip("198.51.100.99"))
        );
        // Junk stops the walk at the last trusted hop.
        let junk = forwarded(&["1.1.1.1, unknown, 10.9.9.9"]);
        assert_eq!(
            proxies.client(Some(ip("10.0.0.1")), &junk),
            Some(ip("10.9.9.9"))
        );
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("proxy".parse::<TrustedProxies>().is_err());
    }

    #[test]
    fn forwarded_for_junk_bytes_spoil_only_their_entry() {
        fn raw(lines: &[&[u8]]) -> HeaderMap {
            let mut headers = HeaderMap::new();
            for line in lines {
                headers.append("x-forwarded-for", HeaderValue::from_bytes(line).unwrap());
            }
            headers
        }
        let peer = Some(ip("10.0.0.1"));
        // The client hides the proxy's line behind a byte that is not ASCII.
        let hiding = raw(&[b"198.51.100.1", b"\xff, 203.0.113.5"]);
        let one: TrustedProxies = "1".parse().unwrap();
        assert_eq!(one.client(peer, &hiding), Some(ip("203.0.113.5")));
        let networks: TrustedProxies = "10.0.0.0/8".parse().unwrap();
        assert_eq!(networks.client(peer, &hiding), Some(ip("203.0.113.5")));
        // The entry the rule picks is junk: the nearest trusted hop, which
        // is the address to its right, else the peer.
        let junk_last = raw(&[b"198.51.100.1, 203.0.113.5\xff"]);
        assert_eq!(one.client(peer, &junk_last), peer);
        let two: TrustedProxies = "2".parse().unwrap();
        let junk_second = raw(&[b"198.51.100.1, \xe9t\xe9, 10.2.2.2"]);
        assert_eq!(two.client(peer, &junk_second), Some(ip("10.2.2.2")));
        assert_eq!(
            networks.client(peer, &raw(&[b"198.51.100.1, \xff, 10.3.3.3"])),
            Some(ip("10.3.3.3"))
        );
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn from_this_site_needs_every_browser_sign_to_name_this_site() {
        let public = "https://verdicts.example";
        let ours =
            |pairs: &[(&'static str, &'static str)]| from_this_site(&headers(pairs), public, false);
        // No browser at all.
        assert!(ours(&[]));
        assert!(ours(&[("sec-fetch-site", "same-origin")]));
        assert!(ours(&[("sec-fetch-site", "none")]));
        assert!(!ours(&[("sec-fetch-site", "cross-site")]));
        assert!(!ours(&[("sec-fetch-site", "same-site")]));
        assert!(!ours(&[("sec-fetch-site", "same-origin, cross-site")]));
        // The public URL, whatever Host a proxy passes.
        assert!(ours(&[
            ("origin", "https://verdicts.example"),
            ("host", "10.0.0.5:3000")
        ]));
        assert!(ours(&[("origin", "https://verdicts.example:443")]));
        assert!(!ours(&[("origin", "http://verdicts.example")]));
        assert!(!ours(&[(
            "origin",
            "https://verdicts.example.evil.example"
        )]));
        assert!(!ours(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000")
        ]));
        assert!(!ours(&[("origin", "null")]));
        assert!(!ours(&[("origin", "")]));
        // The request's own address (an IP or localhost), not another port.
        assert!(ours(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000")
        ]));
        assert!(ours(&[
            ("origin", "http://[::1]:3000"),
            ("host", "[::1]:3000")
        ]));
        assert!(ours(&[
            ("origin", "http://localhost:3000"),
            ("host", "localhost:3000")
        ]));
        assert!(!ours(&[
            ("origin", "http://127.0.0.1:3001"),
            ("host", "127.0.0.1:3000")
        ]));
        assert!(!ours(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000/x")
        ]));
        // Another name pointed at this server is another site.
        assert!(!ours(&[
            ("origin", "http://rebound.example"),
            ("host", "rebound.example")
        ]));
        // Over https, the same address over plain http is another site.
        let served_over_https = headers(&[
            ("origin", "http://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert!(!from_this_site(&served_over_https, public, true));
        let https = headers(&[
            ("origin", "https://127.0.0.1:3000"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert!(from_this_site(&https, public, true));
        // Referer, with or without Origin.
        assert!(ours(&[("referer", "https://verdicts.example/tools/a?x=1")]));
        assert!(!ours(&[(
            "referer",
            "https://evil.example/verdicts.example"
        )]));
        assert!(!ours(&[("referer", "not a url")]));
        assert!(!ours(&[
            ("origin", "https://verdicts.example"),
            ("referer", "https://evil.example/")
        ]));
        // Mixed signs, and two origins.
        assert!(!ours(&[
            ("sec-fetch-site", "same-origin"),
            ("origin", "https://evil.example")
        ]));
        assert!(!ours(&[
            ("origin", "https://verdicts.example"),
            ("origin", "https://evil.example")
        ]));
        assert!(!ours(&[
            ("origin", "https://verdicts.example"),
            ("origin", "https://verdicts.example")
        ]));
    }

    #[test]
    fn client_address_groups_ipv6_by_64_and_unmaps_ipv4() {
        let a = ClientAddress::of(ip("2001:db8:1:2:aaaa::1"));
        let b = ClientAddress::of(ip("2001:db8:1:2:ffff:1:2:3"));
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "2001:db8:1:2::/64");
        assert_ne!(a, ClientAddress::of(ip("2001:db8:1:3::1")));
        assert_eq!(
            ClientAddress::of(ip("::ffff:192.0.2.1")).to_string(),
            "192.0.2.1"
        );
    }

    #[test]
    fn cookie_reads_the_named_cookie_and_skips_junk() {
        let mut headers = HeaderMap::new();
        headers.append(header::COOKIE, HeaderValue::from_static("junk; a=1; b=2"));
        headers.append(header::COOKIE, HeaderValue::from_static("c=3"));
        assert_eq!(cookie(&headers, "b").as_deref(), Some("2"));
        assert_eq!(cookie(&headers, "c").as_deref(), Some("3"));
        assert_eq!(cookie(&headers, "junk"), None);
        let set = set_cookie("verdicts_voter", "v.1", 60, true);
        assert!(set.starts_with("verdicts_voter=v.1"), "{set}");
        for part in ["Path=/", "Max-Age=60", "HttpOnly", "SameSite=Lax", "Secure"] {
            assert!(set.contains(part), "{set} lacks {part}");
        }
    }
}
