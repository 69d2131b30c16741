//! The Leptos pages (server-rendered, islands hydrated) and the built assets.

use std::sync::Arc;

use app::{pages::loaded::Loaded, shell, App, Backend};
use axum::http::request::Parts;
use axum::{
    extract::{Request, State},
    handler::Handler,
    http::{header, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    Router,
};
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{file_and_error_handler_with_context, generate_route_list, LeptosRoutes};
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

use crate::{
    ssr::{InProcess, Rendering},
    state::AppState,
};

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
            let parts = use_context::<Parts>();
            if admin_bundle
                && parts
                    .as_ref()
                    .is_some_and(|parts| parts.uri.path().starts_with("/admin"))
            {
                provide_context(app::Bundle(ADMIN_BUNDLE));
            }
            if let Some(loaded) = parts.and_then(|parts| parts.extensions.get::<Loaded>().cloned())
            {
                provide_context(loaded);
            }
            provide_context(site.clone());
            provide_context(Backend(Arc::new(Rendering::for_current_request())))
        }
    };
    let options = state.leptos_options.clone();
    // Anything that is not a page is a file of the built site (precompressed
    // variants preferred), else the 404 page.
    let not_found = tower::ServiceBuilder::new()
        .layer(middleware::from_fn_with_state(
            state.clone(),
            load_page_data,
        ))
        .layer(middleware::from_fn(scripts_only_for_islands))
        .service(
            file_and_error_handler_with_context::<AppState, _>(context.clone(), shell)
                .with_state(state.clone()),
        );
    let assets = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static(ASSET_CACHE),
        ))
        // The same address answers brotli, gzip or plain by what the client
        // accepts: shared caches must keep them apart.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
        .service(
            ServeDir::new(&*state.leptos_options.site_root)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(not_found),
        );
    Router::new()
        .leptos_routes_with_context(state, routes, context, move || shell(options.clone()))
        .layer(middleware::from_fn(scripts_only_for_islands))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            load_page_data,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::cache::pages,
        ))
        .fallback_service(assets)
}

/// The built files keep their names from one build to the next, so a
/// browser asks again each time (a 304 when nothing changed).
const ASSET_CACHE: &str = "public, max-age=0, must-revalidate";

/// Loads the data of the page a request asks for before Leptos renders it,
/// and hands it to the render in the request's extensions (the render
/// context provides it to the page). Rendering then awaits nothing that
/// Leptos' async SSR could lose the wake-up of: the page's view is built
/// from data in hand, with no resource pending inside `<Suspense>`.
async fn load_page_data(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let backend = Backend(Arc::new(InProcess::for_request(&mut parts, state)));
    let address = parts
        .uri
        .path_and_query()
        .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned());
    if let Some(loaded) = app::pages::loaded::load(&address, &backend).await {
        if let Some(path) = loaded.moved_to() {
            // Slugs are ASCII by the slug rules, so the path is a valid header.
            return (
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, path.to_owned())],
            )
                .into_response();
        }
        if let Some(path) = loaded.found_at() {
            return (StatusCode::FOUND, [(header::LOCATION, path.to_owned())]).into_response();
        }
        parts.extensions.insert(loaded);
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Sends the hydration scripts (the WASM bundle, its JS glue and their
/// preload hints) only with pages that have an island to wake: a page
/// without one (the catalogue, search, `/api`, a 404…) would download the
/// bundle for nothing. Decided from the rendered page, so whatever a page
/// shows (a tool page's vote box, a 404 in its place) decides it; the page
/// cache keeps what this sends.
async fn scripts_only_for_islands(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !html || response.headers().contains_key(header::CONTENT_ENCODING) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, crate::cache::MAX_PAGE_BYTES).await {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "a rendered page could not be read");
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                "This page could not be rendered. Please reload.",
            )
                .into_response();
        }
    };
    let page = match std::str::from_utf8(&body) {
        Ok(page) => without_idle_scripts(page),
        Err(_) => None,
    };
    let body = match page {
        Some(page) => axum::body::Body::from(page),
        None => axum::body::Body::from(body),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, body)
}

/// The page without the hydration scripts when it has no island; `None`
/// when it has one (or its head holds no scripts to take out).
fn without_idle_scripts(page: &str) -> Option<String> {
    if page.contains("<leptos-island") {
        return None;
    }
    let head = &page[..page.find("</head>")?];
    // `HydrationScripts` writes its three elements one after the other:
    // the module preload, the WASM preload, and the module script.
    let start = head.find("<link rel=\"modulepreload\"")?;
    let end = start + head[start..].find("</script>")? + "</script>".len();
    let scripts = &head[start..end];
    if !(scripts.contains(".wasm") && scripts.contains("<script type=\"module\"")) {
        return None;
    }
    Some([&page[..start], &page[end..]].concat())
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

#[cfg(test)]
mod tests {
    use super::without_idle_scripts;

    const SCRIPTS: &str =
        "<link rel=\"modulepreload\" href=\"/pkg/verdicts.js\"><link rel=\"preload\" \
        href=\"/pkg/verdicts.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin=\"\">\
        <script type=\"module\">((root) => {})(\"\", \"pkg\");</script>";

    #[test]
    fn a_page_without_islands_loses_its_hydration_scripts_and_nothing_else() {
        let page = format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\">{SCRIPTS}<title>T</title></head>\
             <body><main>Text</main></body></html>"
        );
        assert_eq!(
            without_idle_scripts(&page).as_deref(),
            Some(
                "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>T</title></head>\
                 <body><main>Text</main></body></html>"
            )
        );
    }

    #[test]
    fn a_page_with_an_island_keeps_its_hydration_scripts() {
        let page = format!(
            "<html><head>{SCRIPTS}</head><body><leptos-island data-component=\"VoteBox\">\
             </leptos-island></body></html>"
        );
        assert_eq!(without_idle_scripts(&page), None);
        // A page that mentions the tag in its text still has no island.
        let text = format!("<html><head>{SCRIPTS}</head><body>&lt;leptos-island</body></html>");
        assert!(without_idle_scripts(&text).is_some());
        // Nothing to take out in a page without the scripts.
        assert_eq!(
            without_idle_scripts("<html><head></head><body></body></html>"),
            None
        );
    }
}
