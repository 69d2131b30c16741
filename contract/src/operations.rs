//! Every GraphQL operation the UI sends, typed: its text, the variables it
//! takes and the data it answers with. One registry lists them all, and the
//! api suite runs each one against the live schema and decodes its answer.

use serde::{de::DeserializeOwned, Deserialize, Serialize};

/// One GraphQL operation: its text, its variables and its data.
pub trait Operation: 'static {
    /// The name in the text (`query Home(…)` is `Home`).
    const NAME: &'static str;
    /// The text sent; persisted-query hashes and caches key on it.
    const QUERY: &'static str;
    /// Who may run it.
    const AUDIENCE: Audience;
    /// The variables, as the operation declares them.
    type Vars: Serialize + Clone + PartialEq + Send + Sync + 'static;
    /// What `data` decodes into.
    type Data: DeserializeOwned + Send + Sync + 'static;
}

/// Who an operation is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone: the reader's pages and islands.
    Reader,
    /// A signed-in editor: the admin pages.
    Editor,
}

/// What an operation's text starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Query,
    Mutation,
    Subscription,
}

/// The variables of an operation that takes none (`{}` on the wire).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoVars {}

/// An operation in the [`registry`]: what a test needs to run it without
/// knowing its types.
#[derive(Debug, Clone, Copy)]
pub struct Registered {
    /// [`Operation::NAME`].
    pub name: &'static str,
    /// [`Operation::QUERY`].
    pub query: &'static str,
    /// [`Operation::AUDIENCE`].
    pub audience: Audience,
    decode: fn(serde_json::Value) -> Result<(), String>,
}

impl Registered {
    /// The entry of `O`.
    pub const fn of<O: Operation>() -> Self {
        Registered {
            name: O::NAME,
            query: O::QUERY,
            audience: O::AUDIENCE,
            decode: decodes::<O>,
        }
    }

    /// Query, mutation or subscription, read from the text.
    pub fn kind(&self) -> Option<Kind> {
        match self.query.split_whitespace().next()? {
            "query" => Some(Kind::Query),
            "mutation" => Some(Kind::Mutation),
            "subscription" => Some(Kind::Subscription),
            _ => None,
        }
    }

    /// The operation name the text declares (`query Home($first: Int!)` → `Home`).
    pub fn declared_name(&self) -> Option<&'static str> {
        let rest = self.query.split_whitespace().nth(1)?;
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        Some(&rest[..end])
    }

    /// Whether `data` (a response's `data` member) decodes into the
    /// operation's data type; the error says where it does not.
    pub fn check_data(&self, data: serde_json::Value) -> Result<(), String> {
        (self.decode)(data)
    }
}

fn decodes<O: Operation>(data: serde_json::Value) -> Result<(), String> {
    serde_json::from_value::<O::Data>(data)
        .map(drop)
        .map_err(|e| format!("{}: {e}", O::NAME))
}

/// Every operation: the readers' first, then the editors' in an order a
/// signed-in editor can run them (sign in, creations before the deletions
/// that undo them, sign out last).
pub fn registry() -> impl Iterator<Item = &'static Registered> {
    reader::ALL.iter().chain(editor::ALL.iter())
}

/// Declares operations: for each a unit type implementing [`Operation`],
/// and the module's `ALL`, in the order written.
macro_rules! operations {
    ($audience:ident; $(
        $(#[$meta:meta])*
        $name:ident($vars:ty) -> $data:ty = $query:expr;
    )*) => {
        $(
            $(#[$meta])*
            #[derive(Debug, Clone, Copy)]
            pub struct $name;

            impl $crate::operations::Operation for $name {
                const NAME: &'static str = stringify!($name);
                const QUERY: &'static str = $query;
                const AUDIENCE: $crate::operations::Audience =
                    $crate::operations::Audience::$audience;
                type Vars = $vars;
                type Data = $data;
            }
        )*

        /// This module's operations, in the order the schema test runs them.
        pub(super) const ALL: &[$crate::operations::Registered] =
            &[$($crate::operations::Registered::of::<$name>()),*];
    };
}

// Fragments are macros so that `concat!` can splice them into literals.
macro_rules! tool_card {
    () => {
        "fragment ToolCard on Tool { slug name vendor tagline description license \
        websiteUrl publishedAt category { slug name } pricing { model entry } \
        panel { ship skip total shipPercent } \
        community { ship skip total shipPercent missingVotes } viewerVote \
        integrity { summary } }"
    };
}

macro_rules! tool_row {
    () => {
        "fragment ToolRow on Tool { slug name vendor tagline license category { slug name } \
        pricing { model entry } panel { shipPercent total } \
        community { shipPercent total missingVotes } }"
    };
}

// A window that held votes, as the ledger shows it (without its tool).
macro_rules! held_window {
    () => {
        "fragment HeldWindow on HeldVoteWindow { id status startsAt endsAt newVoters setAside \
        held released rejected decisions { kind votes reason decidedAt byEditor } }"
    };
}

macro_rules! comparison_page {
    () => {
        "fragment ComparisonPage on Comparison { slug title summary curated publishedAt \
        verdictLine byline updatedAt panelPick { side tool { slug name } } \
        related { slug title left { slug name } right { slug name } } \
        left { ...ToolCard panelVerdict } right { ...ToolCard panelVerdict } \
        split { bothShip onlyLeft onlyRight neither } \
        headToHead { left right total leftPercent missingPicks } viewerPick { slug } \
        scorecard { reviewer { slug name lens } left { ...ReviewCard } right { ...ReviewCard } } \
        facts { label unit suggested cells { value display unit } } }"
    };
}

// A panel review as readers see it: the verdict, the reasoning, when it was
// written and what it judged, whether it is due for a re-review, and the
// verdicts it gave before.
macro_rules! review_card {
    () => {
        "fragment ReviewCard on Review { verdict body reviewedOn judgedVersion \
        stale { reason since maxAgeDays release { version releasedOn } } \
        history { verdict body judgedVersion reviewedOn replacedAt } }"
    };
}

mod editor;
mod reader;
mod types;

pub use editor::*;
pub use reader::*;
pub use types::*;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::{registry, Kind};

    #[test]
    fn every_registered_text_declares_its_own_name_once() {
        let mut seen = HashSet::new();
        for op in registry() {
            assert!(op.kind().is_some(), "{}: {}", op.name, op.query);
            assert_eq!(op.declared_name(), Some(op.name), "{}", op.query);
            assert!(seen.insert(op.name), "{} is registered twice", op.name);
        }
    }

    #[test]
    fn subscriptions_are_for_readers() {
        for op in registry().filter(|op| op.kind() == Some(Kind::Subscription)) {
            assert_eq!(op.audience, super::Audience::Reader, "{}", op.name);
        }
    }
}
