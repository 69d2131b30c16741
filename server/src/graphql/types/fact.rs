//! `ToolFact`, `SuggestedFact` and `FactRow`: typed facts per tool, the
//! labels a category suggests, and facts tables that set any tools' facts
//! side by side, aligned by label.

use async_graphql::{Context, Object};
use entities::{category_fact_label, tool_fact};

use crate::domain::facts;
use crate::error::GqlResultExt;
use crate::graphql::types::{loaders, FactKind};

/// One fact about a tool.
#[derive(Clone)]
pub struct ToolFact(pub tool_fact::Model);

/// A typed fact about a tool ("Context window": 128,000 tokens): a label,
/// a value of one kind, an optional unit.
#[Object]
impl ToolFact {
    /// What the fact is, such as "Context window" (unique per tool,
    /// ignoring case).
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// What its value is: TEXT, NUMBER, BOOLEAN or LIST.
    async fn kind(&self) -> FactKind {
        self.0.kind.into()
    }

    /// The value as readers see it, without the unit: a number of five
    /// digits or more grouped by thousands ("128,000"), Yes or No, a list's
    /// items joined by commas, text as written. Escape it where you show it.
    async fn value(&self) -> String {
        facts::display_value(self.0.kind, &self.0.value)
    }

    /// The value with its unit, as readers see it ("128,000 tokens", "3B").
    async fn display(&self) -> String {
        facts::display(self.0.kind, &self.0.value, self.0.unit.as_deref())
    }

    /// The unit, such as "tokens" or "B"; null when none.
    async fn unit(&self) -> Option<&str> {
        self.0.unit.as_deref()
    }

    /// A NUMBER's value; null for other kinds.
    async fn number(&self) -> Option<f64> {
        facts::number(self.0.kind, &self.0.value)
    }

    /// A BOOLEAN's value; null for other kinds.
    async fn flag(&self) -> Option<bool> {
        facts::flag(self.0.kind, &self.0.value)
    }

    /// A LIST's items, in order; null for other kinds.
    async fn items(&self) -> Option<Vec<String>> {
        facts::items(self.0.kind, &self.0.value)
    }

    /// A TEXT's text; null for other kinds.
    async fn text(&self) -> Option<&str> {
        (self.0.kind == entities::FactKind::Text).then_some(self.0.value.as_str())
    }
}

/// A fact label a category suggests.
#[derive(Clone)]
pub struct SuggestedFact(pub category_fact_label::Model);

/// A fact label a category suggests for its tools, so that comparable
/// tools carry comparable facts, with the kind and unit its values take.
#[Object]
impl SuggestedFact {
    /// The label, such as "Parameters".
    async fn label(&self) -> &str {
        &self.0.label
    }

    /// The kind its values take.
    async fn kind(&self) -> FactKind {
        self.0.kind.into()
    }

    /// The unit its values usually take ("B", "tokens"); null when none.
    async fn unit(&self) -> Option<&str> {
        self.0.unit.as_deref()
    }
}

/// One row of a facts table.
pub struct FactRow {
    label: String,
    unit: Option<String>,
    kind: Option<entities::FactKind>,
    suggested: bool,
    cells: Vec<Option<tool_fact::Model>>,
}

/// One label of a facts table, and each tool's fact with it.
#[Object]
impl FactRow {
    /// The label (as its category suggests it, else as the first tool
    /// with the fact writes it; tools' labels match ignoring case).
    async fn label(&self) -> &str {
        &self.label
    }

    /// The unit every fact in the row has, when they share one; null when
    /// none has a unit or they differ (each cell has its own `unit`).
    async fn unit(&self) -> Option<&str> {
        self.unit.as_deref()
    }

    /// The kind every fact in the row has, when they share one.
    async fn kind(&self) -> Option<FactKind> {
        self.kind.map(Into::into)
    }

    /// Whether a category of the tools suggests this label (such rows come
    /// first, in the category's order; the others follow from A to Z).
    async fn suggested(&self) -> bool {
        self.suggested
    }

    /// One cell per tool, in the tools' order: the tool's fact, or null
    /// where it has none (shown as "—").
    async fn cells(&self) -> Vec<Option<ToolFact>> {
        self.cells
            .iter()
            .cloned()
            .map(|c| c.map(ToolFact))
            .collect()
    }
}

/// The facts table of these tools (in this order): one row per label any
/// of them has, their categories' suggested labels first (the first tool's
/// category's, then the next's), then the others from A to Z. The tools'
/// facts, the tools and their categories' labels are read through the
/// loaders: one statement each however many tools.
pub async fn fact_rows(ctx: &Context<'_>, tool_ids: &[i64]) -> async_graphql::Result<Vec<FactRow>> {
    let loaders = loaders(ctx);
    let tools = loaders
        .tool
        .load_many(tool_ids.iter().copied())
        .await
        .gql()?;
    let mut categories: Vec<i64> = Vec::new();
    for id in tool_ids {
        if let Some(tool) = tools.get(id) {
            if !categories.contains(&tool.category_id) {
                categories.push(tool.category_id);
            }
        }
    }
    let mut by_tool = loaders
        .facts
        .load_many(tool_ids.iter().copied())
        .await
        .gql()?;
    let by_category = loaders
        .suggested_facts
        .load_many(categories.iter().copied())
        .await
        .gql()?;
    let columns: Vec<Vec<tool_fact::Model>> = tool_ids
        .iter()
        .map(|id| by_tool.remove(id).unwrap_or_default())
        .collect();
    let column_refs: Vec<&[tool_fact::Model]> = columns.iter().map(Vec::as_slice).collect();
    let suggested: Vec<&category_fact_label::Model> = categories
        .iter()
        .filter_map(|id| by_category.get(id))
        .flatten()
        .collect();
    Ok(facts::table(&column_refs, &suggested)
        .into_iter()
        .map(|row| FactRow {
            label: row.label,
            unit: row.unit,
            kind: row.kind,
            suggested: row.suggested,
            cells: row.cells.into_iter().map(|c| c.cloned()).collect(),
        })
        .collect())
}
