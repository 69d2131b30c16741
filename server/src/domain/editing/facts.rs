//! Tool facts and a category's suggested labels: each set as a whole list,
//! checked first (nothing is written when any item is wrong), replaced in
//! one transaction with its audit entry (the search index follows by
//! trigger, in the same transaction).

use entities::{category, category_fact_label, editor, tool, tool_fact};
use sea_orm::{
    ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::{json, Value};

use super::{category_by_slug, not_found, Action, Edit};
use crate::domain::catalogue;
use crate::domain::facts::{self, Fact, FactInput, Suggestion, SuggestionInput};
use crate::error::AppError;

/// A tool's facts in the audit log.
fn facts_summary(facts: &[Fact]) -> Value {
    json!({
        "facts": facts
            .iter()
            .map(|f| json!({ "label": f.label, "kind": kind_name(f.kind), "value": f.value, "unit": f.unit }))
            .collect::<Vec<_>>()
    })
}

fn kind_name(kind: entities::FactKind) -> String {
    use sea_orm::ActiveEnum;
    kind.to_value()
}

/// A tool's stored facts, in order.
pub async fn facts_of<C: ConnectionTrait>(
    db: &C,
    tool_id: i64,
) -> Result<Vec<tool_fact::Model>, sea_orm::DbErr> {
    tool_fact::Entity::find()
        .filter(tool_fact::Column::ToolId.eq(tool_id))
        .order_by_asc(tool_fact::Column::Position)
        .all(db)
        .await
}

/// A category's stored suggestions, in order.
pub async fn suggestions_of<C: ConnectionTrait>(
    db: &C,
    category_id: i64,
) -> Result<Vec<category_fact_label::Model>, sea_orm::DbErr> {
    category_fact_label::Entity::find()
        .filter(category_fact_label::Column::CategoryId.eq(category_id))
        .order_by_asc(category_fact_label::Column::Position)
        .all(db)
        .await
}

/// Makes the rows `owned` selects exactly `rows` (inside a change): the
/// old ones deleted, the new ones inserted in one statement (none when
/// there are no rows).
async fn replace_rows<C, E, A>(
    db: &C,
    owned: impl sea_orm::sea_query::IntoCondition,
    rows: Vec<A>,
) -> Result<(), sea_orm::DbErr>
where
    C: ConnectionTrait,
    E: EntityTrait,
    A: ActiveModelTrait<Entity = E> + Send,
{
    E::delete_many().filter(owned).exec(db).await?;
    if rows.is_empty() {
        return Ok(());
    }
    E::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

/// The stored position of the `i`th item of a list.
fn position(i: usize) -> sea_orm::ActiveValue<i32> {
    Set(i32::try_from(i).unwrap_or(i32::MAX))
}

/// Makes `tool_id`'s facts exactly `wanted`, in order (inside a change).
pub(crate) async fn replace_facts<C: ConnectionTrait>(
    db: &C,
    tool_id: i64,
    wanted: &[Fact],
) -> Result<(), sea_orm::DbErr> {
    let rows = wanted
        .iter()
        .enumerate()
        .map(|(i, f)| tool_fact::ActiveModel {
            id: NotSet,
            tool_id: Set(tool_id),
            position: position(i),
            label: Set(f.label.clone()),
            kind: Set(f.kind),
            value: Set(f.value.clone()),
            unit: Set(f.unit.clone()),
        })
        .collect();
    replace_rows(db, tool_fact::Column::ToolId.eq(tool_id), rows).await
}

/// Makes `category_id`'s suggestions exactly `wanted`, in order.
pub(crate) async fn replace_suggestions<C: ConnectionTrait>(
    db: &C,
    category_id: i64,
    wanted: &[Suggestion],
) -> Result<(), sea_orm::DbErr> {
    let rows = wanted
        .iter()
        .enumerate()
        .map(|(i, s)| category_fact_label::ActiveModel {
            id: NotSet,
            category_id: Set(category_id),
            position: position(i),
            label: Set(s.label.clone()),
            kind: Set(s.kind),
            unit: Set(s.unit.clone()),
        })
        .collect();
    let owned = category_fact_label::Column::CategoryId.eq(category_id);
    replace_rows(db, owned, rows).await
}

/// Sets a tool's facts as a whole list (an empty list clears them): all
/// are saved, in the order given, or none. A list the same as the stored
/// one writes nothing. Answers with the tool and its facts.
pub async fn set_tool_facts(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    inputs: Vec<FactInput>,
) -> Result<(tool::Model, Vec<tool_fact::Model>), AppError> {
    let wanted = facts::check_facts("facts", &inputs)
        .or_else(|p| AppError::fields(p).map(|()| Vec::new()))?;
    let edit = Edit::begin(db, editor).await?;
    let tool = catalogue::tools::any(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("tool", slug))?;
    let stored = facts_of(edit.txn(), tool.id).await?;
    let before: Vec<Fact> = stored.iter().map(Fact::from).collect();
    if before == wanted {
        return Ok((tool, stored));
    }
    replace_facts(edit.txn(), tool.id, &wanted).await?;
    edit.record(
        Action::Update,
        "TOOL",
        &tool.slug,
        Some(facts_summary(&before)),
        Some(facts_summary(&wanted)),
    )
    .await?;
    let saved = facts_of(edit.txn(), tool.id).await?;
    edit.commit().await?;
    Ok((tool, saved))
}

/// Sets the fact labels a category suggests for its tools, as a whole list.
pub async fn set_category_suggested_facts(
    db: &DatabaseConnection,
    editor: &editor::Model,
    slug: &str,
    inputs: Vec<SuggestionInput>,
) -> Result<(category::Model, Vec<category_fact_label::Model>), AppError> {
    let wanted = facts::check_suggestions("suggestions", &inputs)
        .or_else(|p| AppError::fields(p).map(|()| Vec::new()))?;
    let edit = Edit::begin(db, editor).await?;
    let category = category_by_slug(edit.txn(), slug)
        .await?
        .ok_or_else(|| not_found("category", slug))?;
    let stored = suggestions_of(edit.txn(), category.id).await?;
    let before: Vec<Suggestion> = stored.iter().map(Suggestion::from).collect();
    if before == wanted {
        return Ok((category, stored));
    }
    replace_suggestions(edit.txn(), category.id, &wanted).await?;
    let summary = |list: &[Suggestion]| {
        json!({
            "suggestedFacts": list
                .iter()
                .map(|s| json!({ "label": s.label, "kind": kind_name(s.kind), "unit": s.unit }))
                .collect::<Vec<_>>()
        })
    };
    edit.record(
        Action::Update,
        "CATEGORY",
        &category.slug,
        Some(summary(&before)),
        Some(summary(&wanted)),
    )
    .await?;
    let saved = suggestions_of(edit.txn(), category.id).await?;
    edit.commit().await?;
    Ok((category, saved))
}
