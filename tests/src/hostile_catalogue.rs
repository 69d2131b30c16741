//! A catalogue whose every text field tries to break out into markup
//! (`</title>`, `</textarea>`, `</script>`, quotes, `<!--`, `&amp;`), for the
//! hostile and browser suites.

use serde_json::{json, Value};

/// What every text field carries. Each injected element has a `pwn`
/// attribute and sets `window.__xss`, and the unclosed comment starts with
/// `pwn`, so anything the fixture introduced into a page can be found.
pub const PAYLOAD: &str =
    "</title></textarea></script>\"'><img pwn src=x onerror=window.__xss=1>&amp;<!--pwn";

/// A website address: no whitespace, but quotes and an element.
pub const WEBSITE: &str = "https://evil.example/?q=\"'><img/pwn/src=x/onerror=window.__xss=1>&amp;";

/// `label` followed by the payload, as every text field of the fixture is.
pub fn hostile(label: &str) -> String {
    format!("{label} {PAYLOAD}")
}

/// Slugs of the fixture's items.
pub const CATEGORY: &str = "hostile-category";
/// The left tool of the comparison.
pub const TOOL_A: &str = "hostile-a";
/// The right tool of the comparison.
pub const TOOL_B: &str = "hostile-b";
/// A draft tool (editors see it).
pub const DRAFT_TOOL: &str = "hostile-draft";
/// A reviewer.
pub const REVIEWER_A: &str = "hostile-reviewer-a";
/// Another reviewer.
pub const REVIEWER_B: &str = "hostile-reviewer-b";
/// The published comparison of the two tools.
pub const COMPARISON: &str = "hostile-a-vs-hostile-b";
/// When the comparison was published (a digest written the next day lists it).
pub const PUBLISHED: &str = "2026-11-20T09:00:00Z";

fn tool(slug: &str, label: &str, published: bool) -> Value {
    let mut tool = json!({
        "slug": slug,
        "name": hostile(label),
        "vendor": hostile("Vendor"),
        "category": CATEGORY,
        "tagline": hostile("Tagline"),
        "description": hostile("Description"),
        "license": hostile("License"),
        "pricing": { "model": "FREE", "entry": hostile("Entry") },
        "website_url": WEBSITE,
    });
    if !published {
        tool["published_at"] = Value::Null;
    }
    tool
}

/// The catalogue in the import format (`toolverdicts/v1`).
pub fn dataset() -> Value {
    let review = |tool: &str, reviewer: &str, verdict: &str| {
        json!({
            "tool": tool,
            "reviewer": reviewer,
            "verdict": verdict,
            "body": hostile(&format!("Review of {tool} by {reviewer}")),
            "published_at": PUBLISHED,
        })
    };
    json!({
        "format": "toolverdicts/v1",
        "categories": [{ "slug": CATEGORY, "name": hostile("Category") }],
        "reviewers": [
            { "slug": REVIEWER_A, "name": hostile("Reviewer A"), "lens": "DEVELOPER_EXPERIENCE", "bio": hostile("Bio A") },
            { "slug": REVIEWER_B, "name": hostile("Reviewer B"), "lens": "BUSINESS_CASE", "bio": hostile("Bio B") },
        ],
        "tools": [
            tool(TOOL_A, "Tool A", true),
            tool(TOOL_B, "Tool B", true),
            tool(DRAFT_TOOL, "Draft tool", false),
        ],
        "reviews": [
            review(TOOL_A, REVIEWER_A, "SHIP"),
            review(TOOL_A, REVIEWER_B, "SKIP"),
            review(TOOL_B, REVIEWER_A, "SHIP"),
            review(TOOL_B, REVIEWER_B, "SHIP"),
            review(DRAFT_TOOL, REVIEWER_A, "SKIP"),
        ],
        "comparisons": [
            {
                "slug": COMPARISON,
                "title": hostile("Comparison"),
                "summary": hostile("Summary"),
                "left": TOOL_A,
                "right": TOOL_B,
                "published_at": PUBLISHED,
            },
            {
                "slug": "hostile-draft-comparison",
                "title": hostile("Draft comparison"),
                "summary": hostile("Draft summary"),
                "left": TOOL_B,
                "right": DRAFT_TOOL,
                "published_at": null,
            },
        ],
        "votes": [],
    })
}

/// Imports the catalogue into `db` (beside whatever is there).
pub async fn import(db: &sea_orm::DatabaseConnection) {
    let data = server::dataset::parse(&dataset().to_string()).expect("the fixture parses");
    server::dataset::import(db, &data)
        .await
        .expect("the fixture imports");
}
