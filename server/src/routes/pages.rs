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
        parts.extensions.insert(loaded);
    }
    next.run(Request::from_parts(parts, body)).await
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
