//! The Leptos pages (server-rendered, islands hydrated) and the built assets.

use std::sync::Arc;

use std::time::Duration;

use app::{shell, App, Backend};
use axum::http::request::Parts;
use axum::{
    body::Body,
    extract::Request,
    handler::Handler,
    http::{header, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

use crate::{ssr::InProcess, state::AppState};

/// The name of the editors' hydration bundle (`pkg/verdicts-admin.js`).
pub(crate) const ADMIN_BUNDLE: &str = "verdicts-admin";

/// Every page route, and the fallback that serves `/pkg/…` and renders the 404 page.
pub fn router(state: &AppState) -> Router<AppState> {
    let routes = generate_route_list(App);
    // A release site has a second bundle with the editors' islands; the
    // readers' pages load the smaller one without them.
    let admin_bundle = std::path::Path::new(&*state.leptos_options.site_root)
        .join("pkg")
        .join(format!("{ADMIN_BUNDLE}.wasm"))
        .exists();
    let context = {
        let state = state.clone();
        let site = app::SiteUrl(state.config.public_url.trim_end_matches('/').to_owned());
        move || {
            if admin_bundle
                && use_context::<Parts>()
                    .is_some_and(|parts| parts.uri.path().starts_with("/admin"))
            {
                provide_context(app::Bundle(ADMIN_BUNDLE));
            }
            provide_context(site.clone());
            provide_context(Backend(Arc::new(InProcess::for_current_request(
                state.clone(),
            ))))
        }
    };
    let options = state.leptos_options.clone();
    // Anything that is not a page is a file of the built site (precompressed
    // variants preferred), else the 404 page.
    let not_found = tower::ServiceBuilder::new()
        .layer(middleware::from_fn(render_with_retry))
        .service(
            file_and_error_handler_with_context::<AppState, _>(context.clone(), shell)
                .with_state(state.clone()),
        );
    let assets = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(ASSET_CACHE),
        ))
        .service(
            ServeDir::new(&*state.leptos_options.site_root)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(not_found),
        );
    Router::new()
        .leptos_routes_with_context(state, routes, context, move || shell(options.clone()))
        .layer(middleware::from_fn(render_with_retry))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::cache::pages,
        ))
        .fallback_service(assets)
}

/// The built files keep their names from one build to the next, so a
/// browser asks again each time (a 304 when nothing changed).
const ASSET_CACHE: &str = "public, max-age=0, must-revalidate";

/// How long one render of a page may take; pages render in milliseconds.
const RENDER_LIMIT: Duration = Duration::from_secs(5);
/// Renders tried before giving up.
const RENDER_ATTEMPTS: u32 = 3;

/// Renders a page again when a render stalls. Leptos 0.8's async SSR now
/// and then loses the wake-up of a resolved resource and never finishes
/// (seen here about once in a few thousand renders; upstream reports:
/// leptos-rs/leptos#4851, #4578). A page render only reads, so trying again
/// is safe; the reader gets the page a few seconds late instead of never.
async fn render_with_retry(request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let (parts, _) = request.into_parts();
    for attempt in 1..=RENDER_ATTEMPTS {
        let request = Request::from_parts(parts.clone(), Body::empty());
        match tokio::time::timeout(RENDER_LIMIT, next.clone().run(request)).await {
            Ok(response) => return response,
            Err(_) => {
                tracing::warn!(path = %parts.uri, attempt, "a page render stalled; rendering it again")
            }
        }
    }
    tracing::error!(path = %parts.uri, "a page render stalled every time");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "1")],
        "This page could not be rendered in time. Please reload.",
    )
        .into_response()
}

/// Writes a brotli and a gzip copy beside each built script, WASM module and
/// style sheet under `dir` that has none (or an older one), so the asset
/// route sends them precompressed. Runs once at start, off the request path;
/// a read-only site is left as it is.
pub fn precompress_assets(dir: &std::path::Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let compressible = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| matches!(e, "js" | "wasm" | "css" | "svg" | "html"));
        if !compressible {
            continue;
        }
        for (suffix, compress) in [
            (
                "br",
                compress_brotli as fn(&[u8]) -> std::io::Result<Vec<u8>>,
            ),
            ("gz", compress_gzip),
        ] {
            if let Err(error) = precompress(&path, suffix, compress) {
                tracing::warn!(path = %path.display(), %error, "no precompressed copy");
            }
        }
    }
}

fn precompress(
    path: &std::path::Path,
    suffix: &str,
    compress: fn(&[u8]) -> std::io::Result<Vec<u8>>,
) -> std::io::Result<()> {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{suffix}"));
    let target = std::path::PathBuf::from(name);
    let modified = |p: &std::path::Path| std::fs::metadata(p).and_then(|m| m.modified());
    if let (Ok(source), Ok(copy)) = (modified(path), modified(&target)) {
        if copy >= source {
            return Ok(());
        }
    }
    let body = std::fs::read(path)?;
    let compressed = compress(&body)?;
    // Another server starting on the same site may be writing it too: each
    // writes its own file and renames it into place.
    let mut temporary = target.clone().into_os_string();
    temporary.push(format!(".{}.tmp", std::process::id()));
    std::fs::write(&temporary, compressed)?;
    std::fs::rename(&temporary, &target)
}

fn compress_brotli(body: &[u8]) -> std::io::Result<Vec<u8>> {
    // The best compression for release-sized files; big debug builds would
    // take minutes at that level.
    let quality = if body.len() <= 2 * 1024 * 1024 { 11 } else { 4 };
    crate::cache::compress_brotli(body, quality)
}

fn compress_gzip(body: &[u8]) -> std::io::Result<Vec<u8>> {
    crate::cache::compress_gzip(body, 9)
}
