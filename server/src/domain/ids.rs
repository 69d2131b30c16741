//! Global ids: the opaque, stable id of every entity the API serves
//! (`node(id:)` turns one back into it), also written into webhook payloads,
//! so it lives below both.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};

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
pub fn global_id(target: Target) -> String {
    let text = match target {
        Target::Tool(id) => format!("Tool:{id}"),
        Target::Comparison(id) => format!("Comparison:{id}"),
        Target::Pair(left, right) => format!("Pair:{left}.{right}"),
        Target::Reviewer(id) => format!("Reviewer:{id}"),
        Target::Category(id) => format!("Category:{id}"),
        Target::Review(id) => format!("Review:{id}"),
    };
    URL_SAFE_NO_PAD.encode(text)
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
