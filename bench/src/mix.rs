//! The realistic mix: reads of every page and query shape, each shape's
//! items ranked by a seeded shuffle and drawn by a Zipf distribution (a
//! few tools and comparisons are read a lot, the long tail a little), with
//! a share of castVote requests from new readers (no cookie) on tools drawn
//! uniformly. The same seed gives the same request list on every machine.

use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::{
    generate::Rng,
    load::{Plan, Request},
    COMPARE,
};

/// A shape of read: its name in the report, its share of the reads (per
/// mille), and its items.
pub struct Shape {
    pub name: &'static str,
    pub share: u32,
    items: Vec<Request>,
}

const TOOL: &str = "query Tool($slug: String!) { tool(slug: $slug) { ...T description websiteUrl publishedAt \
    reviews { verdict body reviewer { slug name lens } } comparedIn(first: 10) { nodes { slug title } } } } \
    fragment T on Tool { slug name vendor tagline license category { slug name } pricing { model entry } \
    panel { ship skip total shipPercent } community { ship skip total shipPercent missingVotes } }";
const AD_HOC: &str = "query AdHoc($left: String!, $right: String!) { compare(left: $left, right: $right) { slug title summary \
    left { ...T } right { ...T } split { bothShip onlyLeft onlyRight neither } \
    scorecard { reviewer { slug name lens } left { verdict body } right { verdict body } } } } \
    fragment T on Tool { slug name vendor tagline license category { slug name } pricing { model entry } \
    panel { ship skip total shipPercent } community { ship skip total shipPercent missingVotes } }";
const TOOL_LIST: &str = "query Tools($first: Int!, $filter: ToolFilter, $orderBy: ToolOrder) { \
    tools(first: $first, filter: $filter, orderBy: $orderBy) { edges { cursor node { ...T } } pageInfo { hasNextPage endCursor } } } \
    fragment T on Tool { slug name vendor tagline license category { slug name } pricing { model entry } \
    panel { ship skip total shipPercent } community { ship skip total shipPercent missingVotes } }";
/// The operation name the server's metrics count the mix's votes under.
pub const VOTE: &str =
    "mutation MixVote($t: String!, $v: Verdict!) { castVote(tool: $t, verdict: $v) { total } }";

fn get(target: String) -> Request {
    Request {
        method: "GET",
        target,
        body: String::new(),
        class: 0,
    }
}

fn graphql(query: &str, operation: &str, variables: Value) -> Request {
    Request {
        method: "POST",
        target: "/graphql".to_owned(),
        body: json!({ "query": query, "operationName": operation, "variables": variables })
            .to_string(),
        class: 0,
    }
}

fn slugs(catalogue: &Value, key: &str) -> Result<Vec<String>> {
    Ok(catalogue[key]
        .as_array()
        .with_context(|| key.to_owned())?
        .iter()
        .filter_map(|t| t["slug"].as_str().map(str::to_owned))
        .collect())
}

/// Every read the mix may send, by shape.
pub fn shapes(catalogue: &Value, ad_hoc_pairs: usize, rng: &mut Rng) -> Result<Vec<Shape>> {
    let tools = slugs(catalogue, "tools")?;
    let comparisons = slugs(catalogue, "comparisons")?;
    let categories = slugs(catalogue, "categories")?;
    let reviewers = slugs(catalogue, "reviewers")?;
    let curated: std::collections::HashSet<&str> = comparisons.iter().map(String::as_str).collect();
    let mut pairs = vec![];
    let mut seen = std::collections::HashSet::new();
    // Pairs of two distinct tools there are (none in a catalogue of fewer
    // than two tools).
    let possible = tools.len() * tools.len().saturating_sub(1) / 2;
    while pairs.len() < ad_hoc_pairs.min(possible) {
        let left = rng.pick(&tools);
        let right = rng.pick(&tools);
        let slug = format!("{left}-vs-{right}");
        if left == right || curated.contains(slug.as_str()) || !seen.insert(slug) {
            continue;
        }
        pairs.push((left.clone(), right.clone()));
    }
    let orders = [
        ("panel", "PANEL_SCORE"),
        ("community", "COMMUNITY_SCORE"),
        ("newest", "NEWEST"),
        ("name", "NAME"),
    ];
    let mut catalogue_pages = vec![];
    for category in std::iter::once("").chain(categories.iter().map(String::as_str)) {
        for pricing in ["", "FREE", "FREEMIUM", "PAID", "CONTACT"] {
            for (order, _) in orders {
                let mut query = vec![];
                if !category.is_empty() {
                    query.push(format!("category={category}"));
                }
                if !pricing.is_empty() {
                    query.push(format!("pricing={pricing}"));
                }
                query.push(format!("order={order}"));
                catalogue_pages.push(get(format!("/tools?{}", query.join("&"))));
            }
        }
    }
    for license in ["MIT", "Apache-2.0", "Proprietary"] {
        for min_panel in [50, 75] {
            catalogue_pages.push(get(format!(
                "/tools?license={license}&min_panel={min_panel}"
            )));
        }
    }
    let mut tool_lists = vec![];
    for category in std::iter::once(None).chain(categories.iter().map(Some)) {
        for (_, field) in orders {
            let mut variables = json!({ "first": 50, "orderBy": { "field": field } });
            if let Some(category) = category {
                variables["filter"] = json!({ "category": category });
            }
            tool_lists.push(graphql(TOOL_LIST, "Tools", variables));
        }
    }
    let mut shapes = vec![
        Shape {
            name: "tool page `/tools/<slug>`",
            share: 220,
            items: tools.iter().map(|t| get(format!("/tools/{t}"))).collect(),
        },
        Shape {
            name: "comparison page, curated",
            share: 140,
            items: comparisons
                .iter()
                .map(|c| get(format!("/compare/{c}")))
                .collect(),
        },
        Shape {
            name: "comparison page, ad hoc pair",
            share: 80,
            items: pairs
                .iter()
                .map(|(l, r)| get(format!("/compare/{l}-vs-{r}")))
                .collect(),
        },
        Shape {
            name: "catalogue filter page `/tools?…`",
            share: 100,
            items: catalogue_pages,
        },
        Shape {
            name: "category page",
            share: 50,
            items: categories
                .iter()
                .map(|c| get(format!("/categories/{c}")))
                .collect(),
        },
        Shape {
            name: "reviewer page",
            share: 30,
            items: reviewers
                .iter()
                .map(|r| get(format!("/reviewers/{r}")))
                .collect(),
        },
        Shape {
            name: "home page",
            share: 60,
            items: vec![get("/".to_owned())],
        },
        Shape {
            name: "GraphQL `tool(slug)`",
            share: 140,
            items: tools
                .iter()
                .map(|t| graphql(TOOL, "Tool", json!({ "slug": t })))
                .collect(),
        },
        Shape {
            name: "GraphQL `Compare`, curated",
            share: 100,
            items: comparisons
                .iter()
                .map(|c| graphql(COMPARE, "Compare", json!({ "slug": c })))
                .collect(),
        },
        Shape {
            name: "GraphQL `compare(left, right)`, ad hoc",
            share: 20,
            items: pairs
                .iter()
                .map(|(l, r)| graphql(AD_HOC, "AdHoc", json!({ "left": l, "right": r })))
                .collect(),
        },
        Shape {
            name: "GraphQL `Tools(first: 50)`, filtered and ordered",
            share: 60,
            items: tool_lists,
        },
    ];
    shapes.retain(|s| !s.items.is_empty());
    // Which item of a shape is the most read is itself drawn from the seed.
    for (class, shape) in shapes.iter_mut().enumerate() {
        for i in (1..shape.items.len()).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            shape.items.swap(i, j);
        }
        for item in &mut shape.items {
            item.class = class;
        }
    }
    Ok(shapes)
}

/// Draws ranks `0..n` with probability proportional to `1 / (rank + 1)^s`.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Self {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|rank| {
                total += 1.0 / ((rank + 1) as f64).powf(s);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    /// A rank; 0 when there are none to draw from.
    fn draw(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 * total;
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len().saturating_sub(1))
    }
}

/// The mix's settings.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Requests in the list the connections go round.
    pub length: usize,
    /// Zipf's exponent.
    pub zipf_s: f64,
    /// Votes per 10,000 requests.
    pub votes_per_10k: u64,
    /// Comparisons of two tools no editor paired, in the ad hoc shapes.
    pub ad_hoc_pairs: usize,
}

/// The request list: the distinct requests first, then the order; the class
/// of a vote is `shapes.len()`. A catalogue without tools gets no votes, and
/// shapes without items get no reads.
pub fn plan(shapes: &[Shape], tools: &[String], settings: Settings, seed: u64) -> Plan {
    let mut rng = Rng::new(seed);
    let mut requests: Vec<Request> = vec![];
    let mut index_of = std::collections::HashMap::new();
    let zipfs: Vec<Zipf> = shapes
        .iter()
        .map(|s| Zipf::new(s.items.len(), settings.zipf_s))
        .collect();
    let total_share: u32 = shapes.iter().map(|s| s.share).sum();
    let vote_class = shapes.len();
    let mut order = Vec::with_capacity(settings.length);
    for _ in 0..settings.length {
        if rng.below(10_000) < settings.votes_per_10k && !tools.is_empty() {
            let tool = rng.pick(tools);
            let verdict = if rng.below(2) == 0 { "SHIP" } else { "SKIP" };
            requests.push(Request {
                method: "POST",
                target: "/graphql".to_owned(),
                body: json!({ "query": VOTE, "operationName": "MixVote", "variables": { "t": tool, "v": verdict } })
                    .to_string(),
                class: vote_class,
            });
            order.push((requests.len() - 1) as u32);
            continue;
        }
        let mut pick = rng.below(total_share as u64) as u32;
        let shape = shapes
            .iter()
            .position(|s| {
                let hit = pick < s.share;
                pick = pick.saturating_sub(s.share);
                hit
            })
            .unwrap_or(0);
        let Some(items) = shapes.get(shape).map(|s| &s.items) else {
            continue;
        };
        if items.is_empty() {
            continue;
        }
        let item = zipfs[shape].draw(&mut rng);
        let index = *index_of.entry((shape, item)).or_insert_with(|| {
            requests.push(items[item].clone());
            requests.len() - 1
        });
        order.push(index as u32);
    }
    Plan { requests, order }
}

#[cfg(test)]
mod tests {
    use super::{plan, shapes, Settings, Zipf};
    use crate::generate::{catalogue, Rng, Size};

    fn demo() -> serde_json::Value {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../data/demo.json"))
                .unwrap();
        serde_json::from_str(&text).unwrap()
    }

    #[test]
    fn the_mix_is_seeded_covers_every_shape_and_votes_its_share() {
        let data = catalogue(&demo(), Size::SMOKE, 7);
        let tools: Vec<String> = data["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["slug"].as_str().unwrap().to_owned())
            .collect();
        let settings = Settings {
            length: 50_000,
            zipf_s: 1.0,
            votes_per_10k: 200,
            ad_hoc_pairs: 100,
        };
        let shapes = shapes(&data, settings.ad_hoc_pairs, &mut Rng::new(1)).unwrap();
        assert_eq!(shapes.len(), 11);
        assert_eq!(shapes.iter().map(|s| s.share).sum::<u32>(), 1000);
        let a = plan(&shapes, &tools, settings, 3);
        let b = plan(&shapes, &tools, settings, 3);
        assert_eq!(a.order, b.order);
        assert_ne!(plan(&shapes, &tools, settings, 4).order, a.order);

        let mut per_class = vec![0usize; shapes.len() + 1];
        for &i in &a.order {
            per_class[a.requests[i as usize].class] += 1;
        }
        assert!(per_class.iter().all(|&n| n > 0), "{per_class:?}");
        let votes = per_class[shapes.len()] as f64 / a.order.len() as f64;
        assert!((0.015..0.025).contains(&votes), "{votes}");
        // Zipf: the most read tool page is read far more often than the median one.
        let mut tool_pages = std::collections::HashMap::new();
        for &i in &a.order {
            let request = &a.requests[i as usize];
            if request.class == 0 {
                *tool_pages.entry(request.target.clone()).or_insert(0usize) += 1;
            }
        }
        let mut counts: Vec<usize> = tool_pages.into_values().collect();
        counts.sort_unstable();
        assert!(
            counts[counts.len() - 1] > 10 * counts[counts.len() / 2],
            "{counts:?}"
        );
    }

    #[test]
    fn an_empty_catalogue_gives_a_mix_of_the_pages_there_are_and_no_votes() {
        let empty = serde_json::json!({ "tools": [], "comparisons": [], "categories": [], "reviewers": [] });
        let settings = Settings {
            length: 1_000,
            zipf_s: 1.0,
            votes_per_10k: 200,
            ad_hoc_pairs: 100,
        };
        let shapes = shapes(&empty, settings.ad_hoc_pairs, &mut Rng::new(1)).unwrap();
        assert!(shapes.iter().all(|s| !s.items.is_empty()));
        let plan = plan(&shapes, &[], settings, 3);
        assert_eq!(
            plan.order.len(),
            1_000,
            "every request of the list is a read"
        );
        assert!(plan
            .requests
            .iter()
            .all(|r| r.class < shapes.len() && !r.body.contains("castVote")));
        // One tool: no pair of two distinct tools, still votes.
        let one = serde_json::json!({ "tools": [{ "slug": "a" }], "comparisons": [], "categories": [], "reviewers": [] });
        let shapes = super::shapes(&one, settings.ad_hoc_pairs, &mut Rng::new(1)).unwrap();
        let plan = super::plan(&shapes, &["a".to_owned()], settings, 3);
        assert!(plan.requests.iter().any(|r| r.class == shapes.len()));
        assert!(plan.requests.iter().all(|r| !r.target.contains("-vs-")));
    }

    #[test]
    fn a_zipf_of_nothing_draws_rank_zero() {
        assert_eq!(Zipf::new(0, 1.0).draw(&mut Rng::new(1)), 0);
        assert_eq!(Zipf::new(1, 1.0).draw(&mut Rng::new(1)), 0);
    }
}
