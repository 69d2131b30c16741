//! Security headers on every answer: on HTML a Content-Security-Policy that
//! lets only the site's own scripts run (and no framing), `nosniff`
//! everywhere, the referrer policy, and HSTS when the site is behind TLS.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::{header, HeaderName, HeaderValue},
    middleware::Next,
    response::Response,
};
use base64::{engine::general_purpose::STANDARD, Engine as _};
use leptos::prelude::*;
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// The policy of GraphiQL (`GET /graphql` for a browser): its scripts are
/// the site's own files; its style sheet embeds fonts as `data:` and its
/// dialogs add `<style>` elements, so styles are less strict than on pages.
pub const GRAPHIQL_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

/// Sent with every answer behind TLS (`--secure-cookies`): a year, subdomains too.
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// The other inline scripts Leptos writes on every page: the (empty) data
/// for hydration before the body and after it. They only change when a
/// resource or an error is serialized for an island, which none of ours
/// does; the hostile suite checks every page's scripts against the policy.
const HYDRATION_DATA: [&str; 2] = [
    "__RESOLVED_RESOURCES=[];__SERIALIZED_ERRORS=[];__PENDING_RESOURCES=[];__RESOURCE_RESOLVERS=[];",
    "__INCOMPLETE_CHUNKS=[];",
];

/// The headers, worked out once at start.
#[derive(Clone, Debug)]
pub struct SecurityHeaders {
    page_policy: HeaderValue,
    hsts: bool,
}

impl SecurityHeaders {
    /// The policy for this site's pages: the only inline scripts are Leptos'
    /// bootstrap of each bundle (the readers' and the editors') and its
    /// hydration data, allowed by their SHA-256, which is the same for every
    /// page and every reader: cached pages keep working, and there is no
    /// nonce that a cached page could give away. JSON-LD is
    /// data, not script, and needs nothing. WebAssembly instantiation needs
    /// `'wasm-unsafe-eval'`; the head-to-head bar's width is a `style`
    /// attribute (`style-src-attr`), while style sheets stay the site's own.
    pub fn for_site(options: &LeptosOptions, bundles: &[&str], secure: bool) -> Self {
        let hashes: Vec<String> = bundles
            .iter()
            .filter_map(|bundle| bootstrap_script(options, bundle))
            .chain(HYDRATION_DATA.map(str::to_owned))
            .map(|script| format!("'sha256-{}'", STANDARD.encode(Sha256::digest(script))))
            .collect();
        let policy = format!(
            "default-src 'self'; script-src 'self' {} 'wasm-unsafe-eval'; style-src 'self'; \
             style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
             connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
             frame-ancestors 'none'",
            hashes.join(" ")
        );
        SecurityHeaders {
            // Base64, quotes and ASCII words only.
            page_policy: HeaderValue::from_str(&policy)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            hsts: secure,
        }
    }
}

/// The inline `<script>` that `<HydrationScripts islands>` writes for the
/// bundle `bundle`, rendered by Leptos itself so that its text (and hash) is
/// exactly what the pages carry.
fn bootstrap_script(options: &LeptosOptions, bundle: &str) -> Option<String> {
    let mut options = options.clone();
    options.output_name = bundle.into();
    let owner = Owner::new();
    let html = owner.with(|| view! { <HydrationScripts options islands=true/> }.to_html());
    let start = html.find("<script")?;
    let body = start + html[start..].find('>')? + 1;
    let end = body + html[body..].find("</script>")?;
    Some(html[body..end].to_owned())
}

/// Adds the headers to every answer; a route that set its own policy
/// (GraphiQL) keeps it.
pub async fn headers(
    State(security): State<Arc<SecurityHeaders>>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if security.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    if html {
        if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                security.page_policy.clone(),
            );
        }
        // For browsers older than `frame-ancestors`.
        headers.insert(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        );
    }
    response
}

/// The layer's state for this server.
pub fn for_state(state: &AppState) -> Arc<SecurityHeaders> {
    Arc::new(SecurityHeaders::for_site(
        &state.leptos_options,
        &["verdicts", crate::routes::pages::ADMIN_BUNDLE],
        state.config.secure_cookies,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_bundles_bootstrap_has_its_own_hash_in_the_policy() {
        let options = LeptosOptions::builder().output_name("verdicts").build();
        let script = bootstrap_script(&options, "verdicts").expect("a bootstrap script");
        assert!(script.contains("verdicts"), "{script}");
        let admin = bootstrap_script(&options, "verdicts-admin").expect("a bootstrap script");
        assert_ne!(script, admin);
        let headers = SecurityHeaders::for_site(&options, &["verdicts", "verdicts-admin"], false);
        let policy = headers.page_policy.to_str().expect("ASCII");
        assert_eq!(policy.matches("'sha256-").count(), 4, "{policy}");
        assert!(policy.contains("frame-ancestors 'none'"));
    }
}
