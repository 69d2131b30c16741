//! Editors' changes to the catalogue: validated field by field, written in a
//! transaction together with their audit entry. Deleting what others use is
//! refused with a message naming the users, or cascades only when asked.
//!
//! One file per kind of row; the steps they share (find, change, audit,
//! commit) are here, as [`Edit`].

mod categories;
mod comparisons;
mod facts;
mod releases;
mod reviewers;
mod reviews;
mod tools;

use chrono::{DateTime, SubsecRound, Utc};
use entities::{audit_entry, category, editor, reviewer};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, ConnectionTrait,
    DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, EntityTrait, IntoActiveModel,
    ModelTrait, QueryFilter, Set, SqlErr, TransactionTrait,
};
use serde_json::Value;

use crate::domain::fields::{self, TextProblem, TextRule, MAX_SLUG_LEN};
use crate::error::AppError;

pub use categories::{create_category, delete_category, update_category, CategoryInput};
pub use comparisons::{
    create_comparison, delete_comparison, set_comparison_published, update_comparison,
    ComparisonInput,
};
pub use facts::{facts_of, set_category_suggested_facts, set_tool_facts, suggestions_of};
pub(crate) use facts::{replace_facts, replace_suggestions};
pub use releases::{delete_tool_release, record_tool_release, ReleaseInput};
pub use reviewers::{create_reviewer, delete_reviewer, update_reviewer, ReviewerInput};
pub use reviews::{
    delete_review, upsert_review, upsert_reviews, ReviewInput, MAX_REVIEWS_PER_CALL,
};
pub use tools::{create_tool, delete_tool, set_tool_published, update_tool, ToolInput};

/// What an audit entry records.
#[derive(Debug, Clone, Copy)]
enum Action {
    Create,
    Update,
    Delete,
    Publish,
    Unpublish,
}

impl Action {
    fn as_str(self) -> &'static str {
        match self {
            Action::Create => "CREATE",
            Action::Update => "UPDATE",
            Action::Delete => "DELETE",
            Action::Publish => "PUBLISH",
            Action::Unpublish => "UNPUBLISH",
        }
    }
}

/// A kind of row editors change, as its audit entries record it.
trait Audited {
    /// The kind's name in the audit log, as `TOOL`.
    const KIND: &'static str;
    /// The fields an audit entry keeps before and after a change.
    fn summary(&self) -> Value;
}

/// A kind of row readers see only once it is published.
trait Published {
    /// When it was published; `None` for a draft.
    fn published_at(&self) -> Option<DateTime<Utc>>;
}

/// The row an active model writes.
type Row<A> = <<A as ActiveModelTrait>::Entity as EntityTrait>::Model;

/// One editor's change: its transaction, in which every write is recorded
/// in the audit log; [`Edit::commit`] keeps both, dropping it keeps neither.
struct Edit<'e> {
    txn: DatabaseTransaction,
    editor: &'e editor::Model,
}

impl<'e> Edit<'e> {
    async fn begin(db: &DatabaseConnection, editor: &'e editor::Model) -> Result<Self, DbErr> {
        let txn = db.begin().await?;
        if txn.get_database_backend() == DbBackend::Sqlite {
            // Take SQLite's write lock first. A transaction that reads before
            // its first write fails at once ("database is locked") when another
            // connection committed in between (the webhook sender writes
            // right after every edit that made an event); a first write
            // waits its turn instead.
            txn.execute_unprepared("UPDATE audit_entries SET id = id WHERE id < 0")
                .await?;
        }
        Ok(Edit { txn, editor })
    }

    /// Where to look rows up, inside the change.
    fn txn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    async fn commit(self) -> Result<(), DbErr> {
        self.txn.commit().await
    }

    async fn record(
        &self,
        action: Action,
        kind: &str,
        key: &str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Result<(), DbErr> {
        audit_entry::ActiveModel {
            id: NotSet,
            editor_id: Set(Some(self.editor.id)),
            action: Set(action.as_str().to_owned()),
            entity: Set(kind.to_owned()),
            entity_key: Set(key.to_owned()),
            before: Set(before.map(|v| v.to_string())),
            after: Set(after.map(|v| v.to_string())),
            created_at: Set(now()),
        }
        .insert(&self.txn)
        .await?;
        Ok(())
    }

    /// Inserts `row` (keyed `key` in the audit log); `refused` words a
    /// failed insert (a taken slug).
    async fn insert<A>(
        &self,
        key: &str,
        row: A,
        refused: impl FnOnce(DbErr) -> AppError,
    ) -> Result<Row<A>, AppError>
    where
        A: ActiveModelTrait + ActiveModelBehavior + Send,
        Row<A>: IntoActiveModel<A> + Audited,
    {
        let created = row.insert(&self.txn).await.map_err(refused)?;
        self.record(
            Action::Create,
            <Row<A> as Audited>::KIND,
            key,
            None,
            Some(created.summary()),
        )
        .await?;
        Ok(created)
    }

    /// Writes `found` as `change` leaves it, recording `action` with the
    /// row before and after; `refused` words a failed update.
    async fn update<A>(
        &self,
        action: Action,
        key: &str,
        found: Row<A>,
        change: impl FnOnce(&mut A),
        refused: impl FnOnce(DbErr) -> AppError,
    ) -> Result<Row<A>, AppError>
    where
        A: ActiveModelTrait + ActiveModelBehavior + Send,
        Row<A>: IntoActiveModel<A> + Audited,
    {
        let before = found.summary();
        let mut row = found.into_active_model();
        change(&mut row);
        let updated = row.update(&self.txn).await.map_err(refused)?;
        self.record(
            action,
            <Row<A> as Audited>::KIND,
            key,
            Some(before),
            Some(updated.summary()),
        )
        .await?;
        Ok(updated)
    }

    /// Publishes or unpublishes `found`; one already so is left alone.
    async fn set_published<A>(
        &self,
        key: &str,
        found: Row<A>,
        published: bool,
        set_published_at: impl FnOnce(&mut A, Option<DateTime<Utc>>),
    ) -> Result<Row<A>, AppError>
    where
        A: ActiveModelTrait + ActiveModelBehavior + Send,
        Row<A>: IntoActiveModel<A> + Audited + Published,
    {
        if found.published_at().is_some() == published {
            return Ok(found);
        }
        let (action, at) = if published {
            (Action::Publish, Some(now()))
        } else {
            (Action::Unpublish, None)
        };
        self.update(
            action,
            key,
            found,
            |row| set_published_at(row, at),
            AppError::Db,
        )
        .await
    }

    /// Deletes `found`, recording what it was.
    async fn delete<A>(&self, key: &str, found: Row<A>) -> Result<(), AppError>
    where
        A: ActiveModelTrait + ActiveModelBehavior + Send,
        Row<A>: IntoActiveModel<A> + Audited + ModelTrait<Entity = A::Entity>,
    {
        let before = found.summary();
        found.delete(&self.txn).await?;
        self.record(
            Action::Delete,
            <Row<A> as Audited>::KIND,
            key,
            Some(before),
            None,
        )
        .await?;
        Ok(())
    }
}

/// Now, to the microsecond: what both databases store exactly.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A unique-constraint violation names the field; anything else is the database's.
fn taken(field: &str) -> impl Fn(DbErr) -> AppError + '_ {
    move |error| match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => {
            AppError::validation(field, "is already taken")
        }
        _ => AppError::Db(error),
    }
}

fn not_found(what: &'static str, key: &str) -> AppError {
    AppError::NotFound {
        what,
        key: key.to_owned(),
    }
}

/// Every field's problem, so that a form hears of all of them at once
/// (see [`AppError::fields`]).
#[derive(Default)]
struct Problems(Vec<(String, String)>);

impl Problems {
    /// Keeps the field error of a check, if it failed.
    fn check(&mut self, result: Result<(), AppError>) {
        if let Err(AppError::Validation { field, message }) = result {
            self.0.push((field, message));
        }
    }

    /// A problem found otherwise.
    fn add(&mut self, field: &str, message: &str) {
        self.0.push((field.to_owned(), message.to_owned()));
    }

    /// No problem, one field error, or all of them.
    fn done(self) -> Result<(), AppError> {
        AppError::fields(self.0)
    }
}

/// The slug to store: as given, else derived from `name` when left empty
/// (an empty name leaves it empty, and the name's own error says why).
fn slug_or_derived(slug: &str, name: &str) -> String {
    if slug.trim().is_empty() {
        crate::domain::slug::slugify(name).unwrap_or_default()
    } else {
        slug.trim().to_owned()
    }
}

fn check_slug(field: &str, value: &str) -> Result<(), AppError> {
    if fields::is_slug(value) {
        Ok(())
    } else {
        Err(AppError::validation(
            field,
            format!("must be 1 to {MAX_SLUG_LEN} lowercase letters, digits and single hyphens"),
        ))
    }
}

fn check_text(field: &str, value: &str, rule: TextRule) -> Result<(), AppError> {
    rule.check(value).map_err(|problem| {
        AppError::validation(
            field,
            match problem {
                TextProblem::Blank => "must not be empty".to_owned(),
                TextProblem::TooLong { max_chars } => {
                    format!("must be at most {max_chars} characters")
                }
                TextProblem::ControlCharacter => "must not contain control characters".to_owned(),
            },
        )
    })
}

fn check_url(field: &str, value: Option<&str>) -> Result<(), AppError> {
    match value {
        Some(url) if !fields::is_website_url(url) => {
            Err(AppError::validation(field, "must be an http(s) URL"))
        }
        _ => Ok(()),
    }
}

async fn category_by_slug<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Option<category::Model>, DbErr> {
    if !fields::is_slug(slug) {
        return Ok(None);
    }
    category::Entity::find()
        .filter(category::Column::Slug.eq(slug))
        .one(db)
        .await
}

async fn reviewer_by_slug<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Option<reviewer::Model>, DbErr> {
    if !fields::is_slug(slug) {
        return Ok(None);
    }
    reviewer::Entity::find()
        .filter(reviewer::Column::Slug.eq(slug))
        .one(db)
        .await
}
