//! A page's data, loaded before its view renders. The server awaits [`load`]
//! for the address asked for, then renders the page from what it returned:
//! no page waits on a resource inside `<Suspense>` on the server, so no
//! render can hang on a wake-up that Leptos lost (leptos-rs/leptos#4773:
//! a resource first polled while any thread builds a route list waits for
//! ever; #4851: parallel Suspense boundaries).

use std::{any::Any, sync::Arc};

use contract::operations::{
    AdminComparison, AdminComparisons, AdminDashboard, AdminNewComparison, AdminNewTool,
    AdminOutbox, AdminReviewer, AdminReviewers, AdminScorecard, AdminTool, AdminTools,
    AdminWebhooks, AfterVars, ListVars, Me, NoVars, Operation, SlugVars,
};
use leptos::prelude::*;
use leptos_router::{
    location::{RequestUrl, Url},
    params::ParamsMap,
};

use crate::graphql::{Backend, GqlError};
use crate::pages::{catalogue, category, compare, home, integrity, panel, reviewer, search, tool};

/// What the server loaded for the page being rendered, given to it as
/// context; pages take their own type out with [`loaded`].
#[derive(Clone)]
pub struct Loaded(Arc<dyn Any + Send + Sync>, Option<Redirect>);

/// Where the server sends the reader instead of rendering.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Redirect {
    /// For good (301).
    Moved(String),
    /// For now (302): what the address resolves to today.
    Found(String),
}

impl Loaded {
    fn new<T: Any + Send + Sync>(data: T) -> Self {
        Loaded(Arc::new(data), None)
    }

    /// Where the page lives for good when the address asked is another
    /// name for it (a curated comparison named in the other order): the
    /// server answers 301 with this path instead of rendering.
    pub fn moved_to(&self) -> Option<&str> {
        match &self.1 {
            Some(Redirect::Moved(path)) => Some(path),
            _ => None,
        }
    }

    /// Where the page the address means is today (names typed by hand,
    /// `/compare/cursor-vs-copilot`): the server answers 302 with this path.
    pub fn found_at(&self) -> Option<&str> {
        match &self.1 {
            Some(Redirect::Found(path)) => Some(path),
            _ => None,
        }
    }
}

/// The data loaded for this page, if it is of the type the page reads.
/// `None` only when the loader and the route table disagree on an address;
/// pages answer it with the 404 page.
pub(crate) fn loaded<T: Clone + 'static>() -> Option<T> {
    use_context::<Loaded>().and_then(|loaded| loaded.0.downcast_ref::<T>().cloned())
}

/// What an operation run for a page returned.
pub(crate) type Answer<O> = Result<<O as Operation>::Data, GqlError>;

/// Loads the data of the page at `path_and_query` (as the request line has
/// it) through `backend`; `None` for pages that need none and for addresses
/// that are no page. Addresses are read as the router reads them: the same
/// URL parser, a trailing `/` ignored, parameters percent-decoded.
pub async fn load(path_and_query: &str, backend: &Backend) -> Option<Loaded> {
    // The origin only makes the address absolute for the parser, as the
    // Leptos integration does before routing.
    let url = RequestUrl::new(&format!("http://leptos.dev{path_and_query}"))
        .parse()
        .ok()?;
    let query = url.search_params();
    let path = url.path();
    let path = path.strip_suffix('/').unwrap_or(path);
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    // The router matches no empty segment either (`/tools//x`).
    if segments.iter().any(|segment| segment.is_empty()) {
        return None;
    }
    let slug = |segment: &str| Url::unescape(segment);
    let data = match segments.as_slice() {
        [] => Loaded::new(home::load(backend).await),
        ["compare", pair] => {
            let asked = slug(pair);
            let page = compare::load(backend, asked.clone()).await;
            let redirect = match &page {
                Ok(compare::Lookup::Page(found)) if found.curated && found.slug != asked => {
                    Some(Redirect::Moved(format!("/compare/{}", found.slug)))
                }
                Ok(compare::Lookup::Resolved(path)) => Some(Redirect::Found(path.clone())),
                Ok(compare::Lookup::Moved(path)) => Some(Redirect::Moved(path.clone())),
                _ => None,
            };
            Loaded(Arc::new(page), redirect)
        }
        ["tools"] => Loaded::new(catalogue::load(backend, query).await),
        ["tools", name] => Loaded::new(tool::load(backend, slug(name)).await),
        ["categories", name] => Loaded::new(category::load(backend, slug(name)).await),
        ["reviewers", name] => Loaded::new(reviewer::load(backend, slug(name), query).await),
        ["search"] => Loaded::new(search::load(backend, query).await),
        ["integrity"] => Loaded::new(integrity::load(backend, query).await),
        ["panel"] => Loaded::new(panel::load(backend).await),
        ["admin"] => run::<AdminDashboard>(backend, NoVars {}).await,
        ["admin", "sign-in"] => run::<Me>(backend, NoVars {}).await,
        ["admin", "outbox"] => {
            run::<AdminOutbox>(
                backend,
                AfterVars {
                    after: query.get("after"),
                },
            )
            .await
        }
        ["admin", "webhooks"] => run::<AdminWebhooks>(backend, NoVars {}).await,
        ["admin", "tools"] => run::<AdminTools>(backend, list_vars(query)).await,
        ["admin", "tools", "new"] => run::<AdminNewTool>(backend, NoVars {}).await,
        ["admin", "tools", name] => run::<AdminTool>(backend, slug_vars(name)).await,
        ["admin", "reviewers"] => run::<AdminReviewers>(backend, list_vars(query)).await,
        ["admin", "reviewers", "new"] => run::<Me>(backend, NoVars {}).await,
        ["admin", "reviewers", name] => run::<AdminReviewer>(backend, slug_vars(name)).await,
        ["admin", "comparisons"] => run::<AdminComparisons>(backend, list_vars(query)).await,
        ["admin", "comparisons", "new"] => run::<AdminNewComparison>(backend, NoVars {}).await,
        ["admin", "comparisons", name] => run::<AdminComparison>(backend, slug_vars(name)).await,
        ["admin", "comparisons", name, "scorecard"] => {
            run::<AdminScorecard>(backend, slug_vars(name)).await
        }
        // `/compare`, `/api`, `/newsletter` need no data; anything else is no page.
        _ => return None,
    };
    Some(data)
}

async fn run<O: Operation>(backend: &Backend, variables: O::Vars) -> Loaded {
    Loaded::new::<Answer<O>>(backend.run::<O>(&variables).await)
}

fn slug_vars(segment: &str) -> SlugVars {
    SlugVars {
        slug: Url::unescape(segment),
    }
}

/// An admin list's variables (`search`, `after`) from its address.
fn list_vars(query: &ParamsMap) -> ListVars {
    ListVars {
        search: query.get("q").filter(|search| !search.is_empty()),
        after: query.get("after"),
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use std::future::Future;
    use std::sync::Mutex;
    use std::task::{Context, Poll, Waker};

    use contract::operations::{AdminNewTool, AdminTool, Alternatives, Catalogue, ToolPage};
    use leptos_router::{PathSegment, RouteList};
    use serde_json::Value;

    use super::*;
    use crate::graphql::{GraphqlBackend, ResponseFuture};

    /// Pages that show no data of their own.
    const DATA_LESS: [&str; 3] = ["/compare", "/api", "/newsletter"];

    /// Records what is asked; answers each operation with an empty tool page
    /// so that loaders which go on to a second operation do.
    #[derive(Default)]
    struct Recording(Mutex<Vec<(String, Value)>>);

    impl GraphqlBackend for Recording {
        fn execute(&self, query: &'static str, variables: Value) -> ResponseFuture {
            let name = query
                .split_whitespace()
                .nth(1)
                .and_then(|n| n.split(['(', '{']).next())
                .unwrap_or_default()
                .to_owned();
            self.0.lock().unwrap().push((name, variables));
            Box::pin(std::future::ready(Err(GqlError::network("recorded"))))
        }
    }

    /// What loading `address` asked for, and whether it gave the page data.
    fn load_now(address: &str) -> (Vec<(String, Value)>, bool) {
        let recording = Arc::new(Recording::default());
        let backend = Backend(recording.clone());
        let mut loading = Box::pin(load(address, &backend));
        // The recording backend answers at once: one poll finishes the load.
        let Poll::Ready(loaded) = loading
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
        else {
            panic!("loading {address} waited on something");
        };
        let asked = recording.0.lock().unwrap().clone();
        (asked, loaded.is_some())
    }

    #[test]
    fn every_route_of_the_app_with_data_has_a_loader() {
        let routes = Owner::new()
            .with(|| {
                provide_context(RequestUrl::new("/"));
                leptos_meta::provide_meta_context();
                provide_context(leptos_meta::ServerMetaContext::new().0);
                RouteList::generate(|| view! { <crate::App/> })
            })
            .expect("the route list");
        let mut seen = 0;
        for route in routes.iter() {
            let path = route
                .path()
                .iter()
                .filter_map(|segment| match segment {
                    PathSegment::Unit => None,
                    PathSegment::Static(text) => Some(text.trim_matches('/').to_owned()),
                    _ => Some("some-slug".to_owned()),
                })
                .filter(|segment| !segment.is_empty())
                .collect::<Vec<_>>()
                .join("/");
            let path = format!("/{path}");
            let (asked, loaded) = load_now(&path);
            if DATA_LESS.contains(&path.as_str()) {
                assert!(!loaded && asked.is_empty(), "{path} needs no data");
            } else {
                assert!(loaded, "{path} has no loader");
            }
            seen += 1;
        }
        assert!(seen >= 20, "the route list has every page ({seen})");
    }

    #[test]
    fn addresses_are_read_as_the_router_reads_them() {
        let first = |address: &str| load_now(address).0.first().cloned();
        // A trailing slash is the same page; an empty segment is no page.
        assert_eq!(first("/tools/").unwrap().0, Catalogue::NAME);
        assert_eq!(load_now("/tools//x"), (vec![], false));
        assert_eq!(load_now("/no/such/page"), (vec![], false));
        // A static segment wins over a parameter, as in the route table.
        assert_eq!(first("/admin/tools/new").unwrap().0, AdminNewTool::NAME);
        assert_eq!(first("/admin/tools/cursor").unwrap().0, AdminTool::NAME);
        // Parameters are percent-decoded; the query string is read too.
        let (name, variables) = first("/tools/a%20b").unwrap();
        assert_eq!(
            (name.as_str(), &variables["slug"]),
            (ToolPage::NAME, &Value::from("a b"))
        );
        let (_, variables) = first("/tools?category=speech&after=abc").unwrap();
        assert_eq!(variables["filter"]["category"], "speech");
        assert_eq!(variables["after"], "abc");
        assert!(load_now("/tools/x")
            .0
            .iter()
            .all(|(n, _)| n != Alternatives::NAME));
    }
}
