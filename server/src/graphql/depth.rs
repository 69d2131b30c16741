//! How deep a query goes. Data fields count against the depth limit;
//! introspection (`__schema`, `__type`) has bounds of its own, which the
//! standard introspection queries of GraphQL tools (graphql-js's
//! `getIntrospectionQuery`, GraphiQL, codegen) fit in, while a query that
//! nests `fields { type { fields … } }` to multiply its answer does not.

use std::collections::HashMap;

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// Deepest introspection accepted: graphql-js's query nests `ofType` seven
/// levels under `__schema.types.fields.args.type`.
pub const MAX_INTROSPECTION_DEPTH: usize = 24;

/// Most introspection lists nested in one another: `__schema.types.fields.args`
/// is the standard query's deepest. Each list multiplies the answer by its
/// length, so this is what bounds an introspection answer's size.
pub const MAX_INTROSPECTION_LISTS: usize = 3;

/// The introspection fields that return lists.
const LISTS: [&str; 8] = [
    "types",
    "fields",
    "args",
    "inputFields",
    "enumValues",
    "interfaces",
    "possibleTypes",
    "directives",
];

/// A document's measures: the deepest of its operations for each.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Depths {
    /// Nesting of data fields (`__typename` included), as the depth limit counts.
    pub data: usize,
    /// Nesting under `__schema` or `__type`, the root field included.
    pub introspection: usize,
    /// Introspection lists nested in one another.
    pub introspection_lists: usize,
}

impl Depths {
    fn merge(&mut self, other: Depths) {
        self.data = self.data.max(other.data);
        self.introspection = self.introspection.max(other.introspection);
        self.introspection_lists = self.introspection_lists.max(other.introspection_lists);
    }
}

/// Measures every operation of `document`. Each fragment is measured once
/// per kind of place it is spread in, so a document that spreads fragments
/// many times over costs no more than its size; a fragment spread inside
/// itself (which validation refuses later) counts as empty.
pub fn measure(document: &ExecutableDocument) -> Depths {
    let mut walker = Walker {
        document,
        known: HashMap::new(),
    };
    let mut depths = Depths::default();
    for (_, operation) in document.operations.iter() {
        depths.merge(walker.set(&operation.node.selection_set.node, false));
    }
    depths
}

struct Walker<'a> {
    document: &'a ExecutableDocument,
    /// Fragments measured (`Some`) or being measured (`None`), per name and
    /// whether they are spread inside introspection.
    known: HashMap<(&'a str, bool), Option<Depths>>,
}

impl<'a> Walker<'a> {
    fn set(&mut self, set: &'a SelectionSet, introspection: bool) -> Depths {
        let mut depths = Depths::default();
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    let below = &field.node.selection_set.node;
                    if introspection {
                        let inner = self.set(below, true);
                        depths.merge(Depths {
                            data: 0,
                            introspection: 1 + inner.introspection,
                            introspection_lists: usize::from(LISTS.contains(&name))
                                + inner.introspection_lists,
                        });
                    } else if name == "__schema" || name == "__type" {
                        let inner = self.set(below, true);
                        depths.merge(Depths {
                            data: 0,
                            introspection: 1 + inner.introspection,
                            introspection_lists: inner.introspection_lists,
                        });
                    } else {
                        let inner = self.set(below, false);
                        depths.merge(Depths {
                            data: 1 + inner.data,
                            ..inner
                        });
                    }
                }
                Selection::InlineFragment(inline) => {
                    depths.merge(self.set(&inline.node.selection_set.node, introspection));
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    depths.merge(self.fragment(name, introspection));
                }
            }
        }
        depths
    }

    fn fragment(&mut self, name: &'a str, introspection: bool) -> Depths {
        match self.known.get(&(name, introspection)) {
            Some(Some(depths)) => return *depths,
            Some(None) => return Depths::default(),
            None => {}
        }
        let document = self.document;
        let Some((_, fragment)) = document.fragments.iter().find(|(n, _)| n.as_str() == name)
        else {
            return Depths::default();
        };
        self.known.insert((name, introspection), None);
        let depths = self.set(&fragment.node.selection_set.node, introspection);
        self.known.insert((name, introspection), Some(depths));
        depths
    }
}

/// Most selections a document may hold once its fragments are spread in
/// place: far above any real query (the standard introspection query holds
/// a few hundred), far below a "fragment bomb" (fragments spreading others
/// many times over), which GraphQL validation would walk exponentially.
pub const MAX_EXPANDED: usize = 20_000;

/// How many selections `document` holds with every fragment spread in
/// place (saturating), measured in one pass over its text: each fragment's
/// size is computed once; a fragment spread inside itself counts as empty.
pub fn expanded_size(document: &ExecutableDocument) -> usize {
    fn walk<'a>(
        document: &'a ExecutableDocument,
        selections: &'a SelectionSet,
        known: &mut HashMap<&'a str, Option<usize>>,
    ) -> usize {
        let mut size = 0usize;
        for item in &selections.items {
            let inner = match &item.node {
                Selection::Field(field) => {
                    1usize.saturating_add(walk(document, &field.node.selection_set.node, known))
                }
                Selection::InlineFragment(inline) => {
                    walk(document, &inline.node.selection_set.node, known)
                }
                Selection::FragmentSpread(spread) => {
                    let name = spread.node.fragment_name.node.as_str();
                    match known.get(name) {
                        Some(Some(size)) => *size,
                        Some(None) => 0,
                        None => match document.fragments.iter().find(|(n, _)| n.as_str() == name) {
                            Some((_, fragment)) => {
                                known.insert(name, None);
                                let size = walk(document, &fragment.node.selection_set.node, known);
                                known.insert(name, Some(size));
                                size
                            }
                            None => 0,
                        },
                    }
                }
            };
            size = size.saturating_add(inner);
        }
        size
    }
    let mut known = HashMap::new();
    document
        .operations
        .iter()
        .map(|(_, operation)| walk(document, &operation.node.selection_set.node, &mut known))
        .fold(0usize, usize::saturating_add)
}

#[cfg(test)]
mod tests {
    use async_graphql::parser::parse_query;

    use super::{expanded_size, measure, Depths};

    fn depths(query: &str) -> Depths {
        measure(&parse_query(query).expect("a query"))
    }

    #[test]
    fn data_fields_count_as_the_depth_limit_always_did() {
        assert_eq!(depths("{ tool(slug: \"a\") { name } }").data, 2);
        assert_eq!(
            depths("{ a: tool(slug: \"a\") { ...T } } fragment T on Tool { left { name } }").data,
            3
        );
        assert_eq!(depths("{ __typename }").data, 1);
    }

    #[test]
    fn introspection_is_measured_apart_from_data() {
        let d =
            depths("{ tool(slug: \"a\") { name } __schema { types { name fields { name } } } }");
        assert_eq!(
            d,
            Depths {
                data: 2,
                introspection: 4,
                introspection_lists: 2
            }
        );
    }

    #[test]
    fn nested_introspection_lists_are_counted_through_fragments() {
        let d = depths(
            "{ __schema { types { ...F } } } \
             fragment F on __Type { fields { type { ofType { fields { name } } } } }",
        );
        assert_eq!(d.introspection_lists, 3);
        assert_eq!(d.introspection, 7);
    }

    #[test]
    fn fragments_spread_many_times_or_in_a_cycle_are_measured_once() {
        // Each level spreads the next twice: 2^40 paths, measured in 40 steps.
        let mut query = String::from("{ tool(slug: \"a\") { ...F0 } } ");
        for i in 0..40 {
            query.push_str(&format!(
                "fragment F{i} on Tool {{ left {{ ...F{} }} right {{ ...F{} }} }} ",
                i + 1,
                i + 1
            ));
        }
        query.push_str("fragment F40 on Tool { name } ");
        assert_eq!(depths(&query).data, 42);
        let cycle = depths("{ tool(slug: \"a\") { ...A } } fragment A on Tool { left { ...A } }");
        assert_eq!(cycle.data, 2);
    }

    #[test]
    fn a_fragment_bomb_expands_beyond_the_limit_and_is_measured_at_once() {
        // Each fragment spreads the next four times: 4^30 selections.
        let mut query = String::from("{ ...F0 } ");
        for i in 0..30 {
            let next = format!("...F{} ", i + 1);
            query.push_str(&format!("fragment F{i} on Query {{ {} }} ", next.repeat(4)));
        }
        query.push_str("fragment F30 on Query { __typename } ");
        let started = std::time::Instant::now();
        let size = expanded_size(&parse_query(&query).expect("a query"));
        assert!(size > super::MAX_EXPANDED, "{size}");
        assert!(started.elapsed() < std::time::Duration::from_secs(10));
        assert_eq!(
            expanded_size(&parse_query("{ tool(slug: \"a\") { name left { name } } }").expect("q")),
            4
        );
    }
}
