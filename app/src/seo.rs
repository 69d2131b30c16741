//! What a page tells search engines and link previews: title, description,
//! canonical URL, Open Graph and Twitter card tags, and schema.org JSON-LD.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};
use serde_json::json;

use crate::components::lens_label;
use contract::operations::{ReviewerRef, ToolCard, Verdict};

/// The site's public address (`https://verdicts.example`, no trailing
/// slash), provided by the server so links that leave the site are absolute.
#[derive(Clone, Debug, Default)]
pub struct SiteUrl(pub String);

/// The public address of `path` on this site.
pub fn absolute(path: &str) -> String {
    let base = use_context::<SiteUrl>().map(|s| s.0).unwrap_or_default();
    format!("{base}{path}")
}

/// The head tags of one page.
#[component]
pub fn Seo(
    /// The page's path, such as `/tools/cursor`.
    #[prop(into)]
    path: String,
    /// The page's own title (" · Verdicts" is added for the window title).
    #[prop(into)]
    title: String,
    /// One or two sentences for result snippets and previews.
    #[prop(into)]
    description: String,
    /// `website` or `article`.
    #[prop(default = "website")]
    kind: &'static str,
    /// schema.org data for the page; a plain `WebPage` when absent.
    #[prop(optional)]
    structured: Option<serde_json::Value>,
) -> impl IntoView {
    let url = absolute(&path);
    // Every page describes itself; pages with more to say pass their own.
    let data = structured.unwrap_or_else(|| {
        document(json!({
            "@type": "WebPage",
            "name": title,
            "description": description,
            "url": url,
            "isPartOf": { "@type": "WebSite", "name": "Verdicts", "url": absolute("/") },
        }))
    });
    let script = view! { <script type="application/ld+json" inner_html=crate::escape::script_json(&data)></script> };
    view! {
        <Title text=format!("{title} \u{b7} Verdicts")/>
        <Meta name="description" content=description.clone()/>
        <Link rel="canonical" href=url.clone()/>
        <Meta property="og:type" content=kind/>
        <Meta property="og:site_name" content="Verdicts"/>
        <Meta property="og:title" content=title.clone()/>
        <Meta property="og:description" content=description.clone()/>
        <Meta property="og:url" content=url/>
        <Meta name="twitter:card" content="summary"/>
        <Meta name="twitter:title" content=title/>
        <Meta name="twitter:description" content=description/>
        {script}
    }
}

/// The `<link rel="alternate">` of a page's own Atom feed (`<path>/feed.xml`).
#[component]
pub fn ItemFeed(
    /// The page's path, such as `/tools/cursor`.
    #[prop(into)]
    path: String,
    /// The feed's title, as feed readers list it.
    #[prop(into)]
    title: String,
) -> impl IntoView {
    view! { <Link rel="alternate" type_="application/atom+xml" title=title href=format!("{path}/feed.xml")/> }
}

/// One panel review, as structured data needs it.
pub struct ReviewData<'a> {
    pub reviewer: &'a ReviewerRef,
    pub verdict: Verdict,
    pub body: &'a str,
    /// The day it was written, `YYYY-MM-DD`.
    pub reviewed_on: &'a str,
}

/// A tool as a schema.org `SoftwareApplication` with the panel's reviews
/// (SHIP rated 1 of 1, SKIP 0 of 1) and their aggregate.
pub fn software_application(card: &ToolCard, reviews: &[ReviewData<'_>]) -> serde_json::Value {
    let mut offer = json!({ "@type": "Offer", "description": card.pricing.entry });
    if card.pricing.model == "FREE" {
        offer["price"] = json!("0");
        offer["priceCurrency"] = json!("USD");
    }
    let mut data = json!({
        "@type": "SoftwareApplication",
        "name": card.name,
        "description": card.tagline,
        "applicationCategory": card.category.name,
        "url": absolute(&format!("/tools/{}", card.slug)),
        "author": { "@type": "Organization", "name": card.vendor },
        "license": card.license,
        "offers": offer,
        "review": reviews.iter().map(|r| json!({
            "@type": "Review",
            "name": format!("{} ({})", r.verdict.label(), lens_label(&r.reviewer.lens)),
            "author": { "@type": "Person", "name": r.reviewer.name,
                "url": absolute(&format!("/reviewers/{}", r.reviewer.slug)) },
            "reviewBody": r.body,
            "datePublished": r.reviewed_on,
            "reviewRating": { "@type": "Rating",
                "ratingValue": u8::from(r.verdict == Verdict::Ship),
                "worstRating": 0, "bestRating": 1 },
        })).collect::<Vec<_>>(),
    });
    if card.panel.total > 0 {
        data["aggregateRating"] = json!({
            "@type": "AggregateRating",
            "ratingValue": card.panel.ship as f64 / card.panel.total as f64,
            "worstRating": 0,
            "bestRating": 1,
            "ratingCount": card.panel.total,
        });
    }
    data
}

/// `data` wrapped as a JSON-LD document.
pub fn document(data: serde_json::Value) -> serde_json::Value {
    let mut data = data;
    data["@context"] = json!("https://schema.org");
    data
}
