//! Global object identification: every entity has an opaque `id` that
//! `node(id:)` and `nodes(ids:)` turn back into it.

use async_graphql::{Interface, ID};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

use crate::graphql::types::{Category, Comparison, Review, Reviewer, Tool};

/// Anything with a global id: fetch it again with `node(id:)`.
#[derive(Interface)]
#[graphql(field(
    name = "id",
    ty = "ID",
    desc = "Its global id: opaque and stable; `node(id:)` fetches it again."
))]
pub enum Node {
    /// A tool.
    Tool(Tool),
    /// A comparison, curated or ad hoc.
    Comparison(Comparison),
    /// A panel member.
    Reviewer(Reviewer),
    /// A category.
    Category(Category),
    /// A review.
    Review(Review),
}

/// What a global id names.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    Tool(i64),
    Comparison(i64),
    /// An ad hoc comparison: the left and right tools' ids.
    Pair(i64, i64),
    Reviewer(i64),
    Category(i64),
    Review(i64),
}

/// The global id of `target`.
pub fn global_id(target: Target) -> ID {
    let text = match target {
        Target::Tool(id) => format!("Tool:{id}"),
        Target::Comparison(id) => format!("Comparison:{id}"),
        Target::Pair(left, right) => format!("Pair:{left}.{right}"),
        Target::Reviewer(id) => format!("Reviewer:{id}"),
        Target::Category(id) => format!("Category:{id}"),
        Target::Review(id) => format!("Review:{id}"),
    };
    ID(URL_SAFE_NO_PAD.encode(text))
}

/// What a global id names; `None` when it was not made by [`global_id`].
pub fn parse(id: &str) -> Option<Target> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id).ok()?).ok()?;
    let (kind, key) = text.split_once(':')?;
    let number = |k: &str| k.parse::<i64>().ok().filter(|n| *n > 0);
    Some(match kind {
        "Tool" => Target::Tool(number(key)?),
        "Comparison" => Target::Comparison(number(key)?),
        "Pair" => {
            let (left, right) = key.split_once('.')?;
            Target::Pair(number(left)?, number(right)?)
        }
        "Reviewer" => Target::Reviewer(number(key)?),
        "Category" => Target::Category(number(key)?),
        "Review" => Target::Review(number(key)?),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn global_ids_round_trip_and_strangers_are_refused() {
        for target in [Target::Tool(7), Target::Pair(3, 9), Target::Review(12)] {
            let id = global_id(match &target {
                Target::Tool(n) => Target::Tool(*n),
                Target::Pair(l, r) => Target::Pair(*l, *r),
                Target::Review(n) => Target::Review(*n),
                _ => unreachable!(),
            });
            assert_eq!(parse(&id), Some(target));
        }
        for stranger in ["", "Tool:7", "VG9vbDot", "VG9vbDow", "QmFkOjE"] {
            assert_eq!(parse(stranger), None, "{stranger}");
        }
    }
}
