//! The benchmark catalogue: the demo catalogue plus a seeded synthetic one
//! (2,000 tools, 20 categories, 12 reviewers, ~12,000 reviews, 1,000
//! comparisons, 300,000 votes). The same seed gives the same file, byte for
//! byte, on every machine: the generator is its own small PRNG.

use serde_json::{json, Value};

/// SplitMix64: tiny, fast, and fixed forever (unlike a library's default RNG).
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// How big the synthetic part is.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub tools: usize,
    pub categories: usize,
    pub reviews_per_tool: usize,
    pub comparisons: usize,
    pub voters: usize,
    pub votes_per_voter: usize,
}

impl Size {
    /// The catalogue.
    pub const FULL: Size = Size {
        tools: 2_000,
        categories: 20,
        reviews_per_tool: 6,
        comparisons: 1_000,
        voters: 30_000,
        votes_per_voter: 10,
    };
    /// A small one, for trying the suite out.
    pub const SMOKE: Size = Size {
        tools: 100,
        categories: 20,
        reviews_per_tool: 6,
        comparisons: 50,
        voters: 300,
        votes_per_voter: 10,
    };
}

const CATEGORIES: [&str; 20] = [
    "Coding Agents",
    "Chat Assistants",
    "Image Models",
    "Video Generation",
    "Speech Recognition",
    "Text to Speech",
    "Embeddings",
    "Vector Search",
    "Evaluation",
    "Observability",
    "Agent Frameworks",
    "Document AI",
    "Translation",
    "Music Generation",
    "Data Labeling",
    "Fine-tuning Platforms",
    "Inference Servers",
    "Guardrails",
    "Search APIs",
    "Robotics Models",
];
const VENDORS: [&str; 16] = [
    "Northwind Labs",
    "Acme AI",
    "Globex",
    "Initech",
    "Umbrella Research",
    "Hooli",
    "Stark Systems",
    "Wayne Compute",
    "Cyberdyne",
    "Tyrell",
    "Soylent Data",
    "Vandelay",
    "Massive Dynamic",
    "Aperture",
    "Oscorp",
    "Pied Piper",
];
const LICENSES: [&str; 6] = [
    "MIT",
    "Apache-2.0",
    "Proprietary",
    "BSD-3-Clause",
    "AGPL-3.0",
    "Research, non-commercial",
];
const PRICING: [(&str, &str); 4] = [
    ("FREE", "Free"),
    ("FREEMIUM", "Free tier; Pro $20/mo"),
    ("PAID", "$49/mo per seat"),
    ("CONTACT", "Contact sales"),
];
const LENSES: [&str; 4] = [
    "DEVELOPER_EXPERIENCE",
    "COMPETITIVE_RISK",
    "STRATEGIC_THESIS",
    "BUSINESS_CASE",
];
const WORDS: [&str; 24] = [
    "latency",
    "pricing",
    "quality",
    "context",
    "tooling",
    "support",
    "benchmarks",
    "adoption",
    "integration",
    "reliability",
    "throughput",
    "safety",
    "licensing",
    "roadmap",
    "community",
    "documentation",
    "onboarding",
    "lock-in",
    "margins",
    "distribution",
    "evaluation",
    "privacy",
    "accuracy",
    "ecosystem",
];

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut out: Vec<&str> = Vec::with_capacity(words);
    for _ in 0..words {
        out.push(*rng.pick(&WORDS));
    }
    let mut text = out.join(" ");
    if let Some(first) = text.get(..1) {
        text = first.to_uppercase() + &text[1..];
    }
    text.push('.');
    text
}

/// The synthetic catalogue merged into `demo` (the demo's rows stay first).
pub fn catalogue(demo: &Value, size: Size, seed: u64) -> Value {
    let mut rng = Rng::new(seed);
    let mut data = demo.clone();
    let push = |data: &mut Value, key: &str, item: Value| {
        if let Some(list) = data[key].as_array_mut() {
            list.push(item);
        }
    };
    let categories: Vec<String> = (0..size.categories)
        .map(|i| {
            format!(
                "bench-{}",
                CATEGORIES[i % CATEGORIES.len()]
                    .to_lowercase()
                    .replace(' ', "-")
            )
        })
        .collect();
    for (i, slug) in categories.iter().enumerate() {
        push(
            &mut data,
            "categories",
            json!({ "slug": slug, "name": CATEGORIES[i % CATEGORIES.len()] }),
        );
    }
    let reviewers: Vec<String> = (0..12).map(|i| format!("bench-reviewer-{i:02}")).collect();
    for (i, slug) in reviewers.iter().enumerate() {
        push(
            &mut data,
            "reviewers",
            json!({
                "slug": slug,
                "name": format!("Reviewer {i:02}"),
                "lens": LENSES[i % 4],
                "bio": sentence(&mut rng, 18),
            }),
        );
    }
    let tools: Vec<String> = (0..size.tools)
        .map(|i| format!("bench-tool-{i:04}"))
        .collect();
    for (i, slug) in tools.iter().enumerate() {
        let (model, entry) = *rng.pick(&PRICING);
        push(
            &mut data,
            "tools",
            json!({
                "slug": slug,
                "name": format!("Bench Tool {i:04}"),
                "vendor": rng.pick(&VENDORS),
                "category": categories[i % categories.len()],
                "tagline": sentence(&mut rng, 7),
                "description": sentence(&mut rng, 45),
                "license": rng.pick(&LICENSES),
                "pricing": { "model": model, "entry": entry },
                "website_url": format!("https://example.com/{slug}"),
                "published_at": "2026-10-01T09:00:00Z",
            }),
        );
    }
    for (i, tool) in tools.iter().enumerate() {
        // Each tool has its own leaning, so scores spread out.
        let ship_odds = 20 + rng.below(70);
        let first = rng.below(12) as usize;
        for k in 0..size.reviews_per_tool {
            let reviewer = &reviewers[(first + k * 2 + i) % reviewers.len()];
            let verdict = if rng.below(100) < ship_odds {
                "SHIP"
            } else {
                "SKIP"
            };
            push(
                &mut data,
                "reviews",
                json!({
                    "tool": tool,
                    "reviewer": reviewer,
                    "verdict": verdict,
                    "body": sentence(&mut rng, 60),
                    "published_at": "2026-10-02T09:00:00Z",
                }),
            );
        }
    }
    let mut seen = std::collections::HashSet::new();
    while seen.len() < size.comparisons {
        let a = rng.below(size.tools as u64) as usize;
        let b = (a + size.categories * (1 + rng.below(5) as usize)) % size.tools;
        if a == b || !seen.insert((a.min(b), a.max(b))) {
            continue;
        }
        let (a, b) = (&tools[a], &tools[b]);
        push(
            &mut data,
            "comparisons",
            json!({
                "slug": format!("{a}-vs-{b}"),
                "title": format!("{} vs {}", a.replace("bench-tool-", "Bench Tool "), b.replace("bench-tool-", "Bench Tool ")),
                "summary": sentence(&mut rng, 50),
                "left": a,
                "right": b,
                "published_at": format!("2026-10-{:02}T09:00:00Z", 3 + seen.len() % 25),
            }),
        );
    }
    for voter in 0..size.voters {
        let start = rng.below(size.tools as u64) as usize;
        let step = 1 + rng.below(97) as usize;
        for k in 0..size.votes_per_voter {
            let tool = &tools[(start + k * step) % size.tools];
            let verdict = if rng.below(100) < 60 { "SHIP" } else { "SKIP" };
            push(
                &mut data,
                "votes",
                json!({
                    "tool": tool,
                    "voter": format!("bench-voter-{voter:06}"),
                    "verdict": verdict,
                }),
            );
        }
    }
    data
}

#[cfg(test)]
mod tests {
    use super::{catalogue, Rng, Size};

    #[test]
    fn the_same_seed_gives_the_same_catalogue() {
        let demo = serde_json::json!({ "format": "toolverdicts/v1", "categories": [], "reviewers": [],
            "tools": [], "reviews": [], "comparisons": [], "votes": [] });
        let a = catalogue(&demo, Size::SMOKE, 7);
        let b = catalogue(&demo, Size::SMOKE, 7);
        assert_eq!(a, b);
        assert_eq!(a["tools"].as_array().map(Vec::len), Some(100));
        assert_eq!(a["comparisons"].as_array().map(Vec::len), Some(50));
        assert_eq!(a["votes"].as_array().map(Vec::len), Some(3_000));
        assert_ne!(catalogue(&demo, Size::SMOKE, 8), a);
        assert_eq!(Rng::new(1).next(), Rng::new(1).next());
    }
}
