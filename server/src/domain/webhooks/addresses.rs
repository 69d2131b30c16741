//! Which endpoint URLs are allowed: http(s), no user name or password, not
//! too long, and (unless `--webhooks-allow-private`) a host whose every
//! address is public. Checked at registration and again at every delivery,
//! when the address the request connects to is the one checked (a name that
//! resolves elsewhere the second time, DNS rebinding, gains nothing).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::error::AppError;

/// The longest endpoint URL accepted, in bytes.
pub const MAX_URL_LEN: usize = 2048;

/// Whether a webhook may not be sent to `ip`: loopback, private (RFC 1918,
/// fc00::/7), link-local, unspecified, shared (CGNAT, 100.64.0.0/10),
/// multicast, broadcast, documentation, benchmarking and reserved
/// addresses, and IPv6 forms that embed such an IPv4 address.
pub fn is_forbidden_address(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240
}

fn forbidden_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4);
    }
    let segments = ip.segments();
    // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let [.., hi, lo] = segments;
        return forbidden_v4(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo)));
    }
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (segments[0] & 0xfe00) == 0xfc00
        || (segments[0] & 0xffc0) == 0xfe80
        || (segments[0] & 0xffc0) == 0xfec0
        || segments[0] == 0x2001 && segments[1] == 0x0db8
        // IPv4-compatible (::a.b.c.d, deprecated) addresses.
        || segments[..6] == [0, 0, 0, 0, 0, 0]
}

/// The URL as stored, or a `VALIDATION` error on `url` saying what is wrong.
pub async fn check_url(url: &str, allow_private: bool) -> Result<String, AppError> {
    let url = url.trim();
    if url.len() > MAX_URL_LEN {
        return Err(AppError::validation(
            "url",
            format!("must be at most {MAX_URL_LEN} characters"),
        ));
    }
    let parsed = url::Url::parse(url)
        .map_err(|_| AppError::validation("url", "must be an absolute http(s) URL"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(AppError::validation("url", "must be an http(s) URL"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(AppError::validation(
            "url",
            "must not carry a user name or password: the signature authenticates deliveries",
        ));
    }
    if parsed.host().is_none() {
        return Err(AppError::validation("url", "must name a host"));
    }
    if !allow_private {
        resolve_public(&parsed)
            .await
            .map_err(|message| AppError::validation("url", message))?;
    }
    Ok(parsed.to_string())
}

/// The addresses `url`'s host resolves to, all public; else why not.
pub(super) async fn resolve_public(url: &url::Url) -> Result<Vec<SocketAddr>, String> {
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<SocketAddr> = match url.host() {
        Some(url::Host::Ipv4(ip)) => vec![SocketAddr::new(IpAddr::V4(ip), port)],
        Some(url::Host::Ipv6(ip)) => vec![SocketAddr::new(IpAddr::V6(ip), port)],
        Some(url::Host::Domain(name)) => tokio::net::lookup_host((name, port))
            .await
            .map_err(|_| format!("the host `{name}` does not resolve"))?
            .collect(),
        None => return Err("must name a host".to_owned()),
    };
    if addresses.is_empty() {
        return Err("the host has no address".to_owned());
    }
    if let Some(bad) = addresses.iter().find(|a| is_forbidden_address(a.ip())) {
        return Err(format!(
            "the host resolves to {}, a loopback, private, link-local or otherwise \
             non-public address; webhooks go to public addresses only",
            bad.ip()
        ));
    }
    Ok(addresses)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_forbidden_public_ones_are_not() {
        for bad in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(is_forbidden_address(bad.parse().unwrap()), "{bad}");
        }
        for good in [
            "93.184.215.14",
            "1.1.1.1",
            "2606:4700:4700::1111",
            "100.128.0.1",
        ] {
            assert!(!is_forbidden_address(good.parse().unwrap()), "{good}");
        }
    }
}
