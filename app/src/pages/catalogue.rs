//! `/tools`: the whole catalogue, filtered and ordered as the API allows
//! (category, pricing, license, text, minimum panel score), a page at a
//! time. The filters are a plain GET form: it works without JavaScript.

use contract::limits::MAX_SEARCH_CHARS;
use contract::operations::{Catalogue, CatalogueData, CatalogueVars, ToolFilter, ToolOrder};
use contract::slug::is_slug;
use leptos::prelude::*;
use leptos_router::params::ParamsMap;

use crate::components::tool_list::ToolList;
use crate::graphql::{Backend, GqlError};
use crate::pages::admin::encode;
use crate::pages::loaded::loaded;
use crate::pages::not_found::{failure, NotFound};
use crate::seo::Seo;

const PRICING: [(&str, &str); 4] = [
    ("FREE", "Free"),
    ("FREEMIUM", "Freemium"),
    ("PAID", "Paid"),
    ("CONTACT", "Contact sales"),
];
const ORDERS: [(&str, &str); 5] = [
    ("panel", "PANEL_SCORE"),
    ("community", "COMMUNITY_SCORE"),
    ("disputed", "DISPUTED"),
    ("newest", "NEWEST"),
    ("name", "NAME"),
];
/// The sort box: each order one way or the other, in a reader's words
/// (`order` and `direction` as the address has them; the box sends both
/// in one value, `order=name-desc`).
const SORTS: [(&str, &str, &str); 9] = [
    ("panel", "", "Panel score, highest first"),
    ("panel", "asc", "Panel score, lowest first"),
    ("community", "", "Readers\u{2019} score, highest first"),
    ("community", "asc", "Readers\u{2019} score, lowest first"),
    ("disputed", "", "Most disputed (panel vs readers)"),
    ("newest", "", "Newest first"),
    ("newest", "asc", "Oldest first"),
    ("name", "", "Name, A\u{2013}Z"),
    ("name", "desc", "Name, Z\u{2013}A"),
];

/// The reader's choices, as read from the address.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Choices {
    pub q: String,
    pub category: String,
    pub pricing: String,
    pub license: String,
    pub min_panel: Option<i64>,
    pub min_readers: Option<i64>,
    pub order: String,
    /// `asc` or `desc`; empty for the order's natural direction.
    pub direction: String,
    pub after: Option<String>,
}

impl Choices {
    /// The variables of [`Catalogue`]; unknown values are dropped, not sent.
    pub fn variables(&self) -> CatalogueVars {
        let text = |s: &str| {
            let s = s.trim();
            (!s.is_empty()).then(|| s.chars().take(MAX_SEARCH_CHARS).collect::<String>())
        };
        let score = |min: Option<i64>| min.filter(|m| (0..=100).contains(m));
        let filter = ToolFilter {
            search: text(&self.q),
            category: is_slug(&self.category).then(|| self.category.clone()),
            pricing_model: PRICING
                .iter()
                .any(|(code, _)| *code == self.pricing)
                .then(|| self.pricing.clone()),
            license: text(&self.license),
            min_panel_score: score(self.min_panel),
            min_community_score: score(self.min_readers),
        };
        let field = ORDERS
            .iter()
            .find(|(key, _)| *key == self.order)
            .map_or("PANEL_SCORE", |(_, field)| *field);
        let direction = match self.direction.as_str() {
            "asc" => Some("ASC".to_owned()),
            "desc" => Some("DESC".to_owned()),
            _ => None,
        };
        CatalogueVars {
            filter,
            order_by: ToolOrder {
                field: field.to_owned(),
                direction,
            },
            after: self.after.clone(),
        }
    }

    /// The sort box's value for these choices (`panel`, `name-desc`…): the
    /// order's usual direction is named by the order alone.
    fn sort(&self) -> String {
        let order = ORDERS
            .iter()
            .find(|(key, _)| *key == self.order)
            .map_or("panel", |(key, _)| *key);
        let usual = if order == "name" { "asc" } else { "desc" };
        let direction = match self.direction.as_str() {
            "asc" | "desc" if self.direction != usual => self.direction.as_str(),
            _ => "",
        };
        sort_value(order, direction)
    }

    /// The address of the next page with the same choices.
    fn next_page(&self, cursor: &str) -> String {
        let mut parts = vec![];
        for (key, value) in [
            ("q", self.q.as_str()),
            ("category", &self.category),
            ("pricing", &self.pricing),
            ("license", &self.license),
            ("order", &self.order),
            ("direction", &self.direction),
        ] {
            if !value.is_empty() {
                parts.push(format!("{key}={}", encode(value)));
            }
        }
        if let Some(min) = self.min_panel {
            parts.push(format!("min_panel={min}"));
        }
        if let Some(min) = self.min_readers {
            parts.push(format!("min_readers={min}"));
        }
        parts.push(format!("after={}", encode(cursor)));
        format!("/tools?{}", parts.join("&"))
    }
}

/// The value of a sort box option: the order, and the direction when it is
/// not the order's usual one.
fn sort_value(order: &str, direction: &str) -> String {
    if direction.is_empty() {
        order.to_owned()
    } else {
        format!("{order}-{direction}")
    }
}

/// "1 tool matches.", "10 tools match.", "No tool matches."
fn tools_match(total: i64) -> String {
    match total {
        0 => "No tool matches.".to_owned(),
        1 => "1 tool matches.".to_owned(),
        n => format!("{n} tools match."),
    }
}

/// The catalogue page.
#[component]
pub fn CataloguePage() -> impl IntoView {
    let set_status = expect_context::<Backend>().0.status_setter();
    // The head first: a failure page's own title must come after it.
    let head = view! {
        <Seo
            path="/tools"
            title="Every AI tool, scored"
            description="The Verdicts catalogue: every AI tool with the panel's SHIP score and the readers' votes. Filter by category, pricing and license."
        />
    };
    let catalogue = match loaded::<CatalogueResult>() {
        Some(Ok((choices, catalogue))) => view! { <CatalogueView choices catalogue/> }.into_any(),
        Some(Err(error)) => failure(&error, &set_status),
        None => view! { <NotFound/> }.into_any(),
    };
    view! {
        {head}
        {catalogue}
    }
}

/// The reader's choices and the page of the catalogue they select.
type CatalogueResult = Result<(Choices, CatalogueData), GqlError>;

/// The catalogue page the address asks for.
pub(crate) async fn load(backend: &Backend, query: &ParamsMap) -> CatalogueResult {
    let choices = Choices {
        q: query.get("q").unwrap_or_default(),
        category: query.get("category").unwrap_or_default(),
        pricing: query.get("pricing").unwrap_or_default(),
        license: query.get("license").unwrap_or_default(),
        min_panel: query.get("min_panel").and_then(|m| m.parse().ok()),
        min_readers: query.get("min_readers").and_then(|m| m.parse().ok()),
        order: query.get("order").unwrap_or_default(),
        direction: query.get("direction").unwrap_or_default(),
        after: query.get("after"),
    };
    // The sort box sends the direction inside the order (`name-desc`).
    let choices = match choices.order.split_once('-') {
        Some((order, direction @ ("asc" | "desc"))) => Choices {
            order: order.to_owned(),
            direction: direction.to_owned(),
            ..choices
        },
        _ => choices,
    };
    let catalogue = backend.run::<Catalogue>(&choices.variables()).await?;
    Ok((choices, catalogue))
}

#[component]
fn CatalogueView(choices: Choices, catalogue: CatalogueData) -> impl IntoView {
    let CatalogueData {
        tools,
        all_categories,
    } = catalogue;
    let total = tools.total_count;
    let next = tools.next_cursor().map(|cursor| choices.next_page(&cursor));
    let list = if tools.nodes.is_empty() {
        view! { <p class="empty">"No tool matches these filters. " <a href="/tools">"Clear them"</a>"."</p> }
            .into_any()
    } else {
        view! { <ToolList tools=tools.nodes/> }.into_any()
    };
    let category_options = all_categories
        .nodes
        .into_iter()
        .map(|c| {
            let selected = c.slug == choices.category;
            view! { <option value=c.slug selected=selected>{c.name}</option> }
        })
        .collect_view();
    let pricing_options = PRICING
        .iter()
        .map(|(code, label)| {
            view! { <option value=*code selected=*code == choices.pricing>{*label}</option> }
        })
        .collect_view();
    let chosen = choices.sort();
    let sort_options = SORTS
        .iter()
        .map(|(order, direction, label)| {
            let value = sort_value(order, direction);
            let selected = value == chosen;
            view! { <option value=value selected=selected>{*label}</option> }
        })
        .collect_view();
    let min_panel = choices.min_panel.map(|m| m.to_string()).unwrap_or_default();
    let min_readers = choices
        .min_readers
        .map(|m| m.to_string())
        .unwrap_or_default();
    view! {
        <main class="page catalogue">
            <header class="hero">
                <p class="eyebrow">"Catalogue"</p>
                <h1>"Every tool, scored"</h1>
                <p class="summary">{tools_match(total)}</p>
            </header>
            <form class="filters" method="get" action="/tools" role="search" aria-label="Filter the tools">
                <div class="filter">
                    <label for="f-q">"Name, vendor or tagline"</label>
                    <input id="f-q" name="q" type="search" value=choices.q.clone() maxlength=MAX_SEARCH_CHARS.to_string()/>
                </div>
                <div class="filter">
                    <label for="f-category">"Category"</label>
                    <select id="f-category" name="category">
                        <option value="">"Any"</option>
                        {category_options}
                    </select>
                </div>
                <div class="filter">
                    <label for="f-pricing">"Pricing"</label>
                    <select id="f-pricing" name="pricing">
                        <option value="">"Any"</option>
                        {pricing_options}
                    </select>
                </div>
                <div class="filter">
                    <label for="f-license">"License"</label>
                    <input id="f-license" name="license" value=choices.license.clone() placeholder="MIT" maxlength=MAX_SEARCH_CHARS.to_string()/>
                </div>
                <div class="filter">
                    <label for="f-min">"Panel score at least (%)"</label>
                    <input id="f-min" name="min_panel" type="number" min="0" max="100" step="5" value=min_panel/>
                </div>
                <div class="filter">
                    <label for="f-readers">"Readers\u{2019} score at least (%)"</label>
                    <input id="f-readers" name="min_readers" type="number" min="0" max="100" step="5" value=min_readers/>
                </div>
                <div class="filter">
                    <label for="f-order">"Sort by"</label>
                    <select id="f-order" name="order">{sort_options}</select>
                </div>
                <div class="filter filter-actions">
                    <button class="button" type="submit">"Show tools"</button>
                </div>
            </form>
            {list}
            {next.map(|href| view! { <p><a class="button" href=href>"Next page"</a></p> })}
        </main>
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::{tools_match, Choices};

    #[test]
    fn catalogue_variables_send_known_choices_and_drop_the_rest() {
        let choices = Choices {
            q: format!("  {}  ", "é".repeat(120)),
            category: "Not A Slug".into(),
            pricing: "FREE".into(),
            license: "   ".into(),
            min_panel: Some(101),
            min_readers: Some(40),
            order: "name".into(),
            direction: "desc".into(),
            after: None,
        };
        let sent = serde_json::to_value(choices.variables()).expect("variables serialise");
        assert_eq!(
            sent,
            json!({
                "filter": { "search": "é".repeat(100), "pricingModel": "FREE", "minCommunityScore": 40 },
                "orderBy": { "field": "NAME", "direction": "DESC" },
                "after": null,
            })
        );
        assert_eq!(choices.sort(), "name-desc");
        let plain = serde_json::to_value(Choices::default().variables()).expect("variables");
        assert_eq!(
            plain,
            json!({ "filter": {}, "orderBy": { "field": "PANEL_SCORE" }, "after": null })
        );
        assert_eq!(Choices::default().sort(), "panel");
        let usual = Choices {
            order: "name".into(),
            direction: "asc".into(),
            ..Choices::default()
        };
        assert_eq!(usual.sort(), "name");
        let oldest = Choices {
            order: "newest".into(),
            direction: "asc".into(),
            ..Choices::default()
        };
        assert_eq!(oldest.sort(), "newest-asc");
    }

    #[test]
    fn the_count_of_matching_tools_reads_as_a_sentence() {
        assert_eq!(tools_match(0), "No tool matches.");
        assert_eq!(tools_match(1), "1 tool matches.");
        assert_eq!(tools_match(10), "10 tools match.");
    }
}
