//! The document shell and the route table.

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

use crate::pages::{
    admin::{AdminOutboxPage, AdminPage, SignInPage},
    admin_comparisons::{
        AdminComparisonEditPage, AdminComparisonsPage, AdminNewComparisonPage, AdminScorecardPage,
    },
    admin_reviewers::{AdminNewReviewerPage, AdminReviewerEditPage, AdminReviewersPage},
    admin_tools::{AdminNewToolPage, AdminToolEditPage, AdminToolsPage},
    admin_webhooks::AdminWebhooksPage,
    api_docs::ApiDocsPage,
    catalogue::CataloguePage,
    category::CategoryPage,
    compare::ComparePage,
    home::HomePage,
    integrity::IntegrityPage,
    newsletter::NewsletterPage,
    not_found::NotFound,
    panel::PanelPage,
    picker::ComparePickerPage,
    reviewer::ReviewerPage,
    search::SearchPage,
    tool::ToolPage,
};

/// The hydration bundle a page loads when it is not the site's default
/// (`verdicts`): the server names the editors' bundle for `/admin` pages.
#[derive(Clone, Debug)]
pub struct Bundle(pub &'static str);

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let mut options = options;
    if let Some(Bundle(name)) = use_context::<Bundle>() {
        options.output_name = name.into();
    }
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <HydrationScripts options islands=true/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The whole site: header, the routed page, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        // leptos_meta writes the window title as is: every page's title
        // passes through this formatter, so none can close the element.
        <Title formatter=|text: String| crate::escape::raw_text(&text)/>
        <Stylesheet id="leptos" href="/pkg/verdicts.css"/>
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml"/>
        <Meta name="theme-color" content="#111827"/>
        <Link rel="alternate" type_="application/atom+xml" title="Verdicts: new comparisons" href="/feed.xml"/>
        <Router>
            <header class="site-header">
                <a class="brand" href="/">
                    <span class="brand-mark" aria-hidden="true">"V"</span>
                    "Verdicts"
                </a>
                <nav aria-label="Main">
                    <a href="/">"Comparisons"</a>
                    <a href="/tools">"Tools"</a>
                    <a href="/compare">"Compare"</a>
                    <a href="/panel">"Panel"</a>
                    <a href="/search">"Search"</a>
                    <a href="/api">"API"</a>
                </nav>
            </header>
            <Routes fallback=|| view! { <NotFound/> }>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/compare") view=ComparePickerPage/>
                <Route path=path!("/compare/:slug") view=ComparePage ssr=SsrMode::Async/>
                <Route path=path!("/tools") view=CataloguePage ssr=SsrMode::Async/>
                <Route path=path!("/tools/:slug") view=ToolPage ssr=SsrMode::Async/>
                <Route path=path!("/categories/:slug") view=CategoryPage ssr=SsrMode::Async/>
                <Route path=path!("/reviewers/:slug") view=ReviewerPage ssr=SsrMode::Async/>
                <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                <Route path=path!("/integrity") view=IntegrityPage ssr=SsrMode::Async/>
                <Route path=path!("/panel") view=PanelPage ssr=SsrMode::Async/>
                <Route path=path!("/api") view=ApiDocsPage/>
                <Route path=path!("/newsletter") view=NewsletterPage/>
                <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/sign-in") view=SignInPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/outbox") view=AdminOutboxPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/webhooks") view=AdminWebhooksPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/tools") view=AdminToolsPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/tools/new") view=AdminNewToolPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/tools/:slug") view=AdminToolEditPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/reviewers") view=AdminReviewersPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/reviewers/new") view=AdminNewReviewerPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/reviewers/:slug") view=AdminReviewerEditPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/comparisons") view=AdminComparisonsPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/comparisons/new") view=AdminNewComparisonPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/comparisons/:slug") view=AdminComparisonEditPage ssr=SsrMode::Async/>
                <Route path=path!("/admin/comparisons/:slug/scorecard") view=AdminScorecardPage ssr=SsrMode::Async/>
            </Routes>
            <footer class="site-footer">
                <p>
                    "Verdicts compares AI tools head to head: an expert panel through four lenses, and you."
                </p>
                <p class="footer-links">
                    <a href="/newsletter">"The Weekly Verdicts"</a>
                    " \u{b7} "
                    <a href="/feed.xml">"Atom feed"</a>
                    " \u{b7} "
                    <a href="/api">"API"</a>
                    " \u{b7} "
                    <a href="/integrity">"How votes are counted"</a>
                </p>
            </footer>
        </Router>
    }
}
