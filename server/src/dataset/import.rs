//! Writes a checked file in one transaction: rows are matched by slug
//! (reviews by reviewer and tool, votes by voter and tool), then created,
//! updated or left alone, and counted.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::{DateTime, SubsecRound, Utc};
use entities::{
    category, comparison, review, review_revision, reviewer, tool, tool_release, vote, Verdict,
};
use sea_orm::{
    sea_query::OnConflict, ActiveModelTrait, ActiveValue::NotSet, ColumnTrait, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, ModelTrait, PaginatorTrait, QueryFilter, QueryOrder,
    Set, TransactionTrait,
};

use super::validation::{
    check_references, parse_day, parse_facts, parse_lens, parse_pricing, parse_published,
    parse_suggestions, parse_time, parse_verdict, validate, StoredSlugs,
};
use super::{Dataset, DatasetError, ReleaseRecord, RevisionRecord};
use crate::domain::editing::{facts_of, replace_facts, replace_suggestions, suggestions_of};
use crate::domain::facts::{Fact, Suggestion};

/// What an import did, per kind of row.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// `(created, updated, unchanged)` per kind, in file order.
    pub kinds: BTreeMap<&'static str, (usize, usize, usize)>,
}

impl ImportSummary {
    fn count(&mut self, kind: &'static str, change: Change) {
        let entry = self.kinds.entry(kind).or_default();
        match change {
            Change::Created => entry.0 += 1,
            Change::Updated => entry.1 += 1,
            Change::Unchanged => entry.2 += 1,
        }
    }

    /// Rows created or updated in all.
    pub fn changed(&self) -> usize {
        self.kinds.values().map(|(c, u, _)| c + u).sum()
    }
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (kind, (created, updated, unchanged)) in &self.kinds {
            writeln!(
                f,
                "{kind}: {created} created, {updated} updated, {unchanged} unchanged"
            )?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy)]
enum Change {
    Created,
    Updated,
    Unchanged,
}

/// Whether the catalogue is empty (no categories, no tools).
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(
        category::Entity::find().count(db).await? == 0
            && tool::Entity::find().count(db).await? == 0,
    )
}

/// Now, to the microsecond: what both databases store exactly.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// The publication time to store: the file's, else the row's own, else now.
fn published(
    from_file: Option<Option<DateTime<Utc>>>,
    existing: Option<Option<DateTime<Utc>>>,
) -> Option<DateTime<Utc>> {
    match (from_file, existing) {
        (Some(value), _) => value,
        (None, Some(value)) => value,
        (None, None) => Some(now()),
    }
}

/// Slug → row of the rows already stored, per kind.
struct Known {
    categories: HashMap<String, category::Model>,
    reviewers: HashMap<String, reviewer::Model>,
    tools: HashMap<String, tool::Model>,
}

impl Known {
    async fn load(txn: &DatabaseTransaction) -> Result<Self, DbErr> {
        Ok(Known {
            categories: by_slug(category::Entity::find().all(txn).await?, |m| &m.slug),
            reviewers: by_slug(reviewer::Entity::find().all(txn).await?, |m| &m.slug),
            tools: by_slug(tool::Entity::find().all(txn).await?, |m| &m.slug),
        })
    }

    fn slugs(&self) -> StoredSlugs<'_> {
        StoredSlugs {
            categories: self.categories.keys().map(String::as_str).collect(),
            reviewers: self.reviewers.keys().map(String::as_str).collect(),
            tools: self.tools.keys().map(String::as_str).collect(),
        }
    }
}

fn by_slug<M>(rows: Vec<M>, slug: impl Fn(&M) -> &String) -> HashMap<String, M> {
    rows.into_iter().map(|m| (slug(&m).clone(), m)).collect()
}

/// Imports a catalogue in one transaction: rows are matched by slug (reviews by
/// reviewer and tool, votes by voter and tool), created or updated; re-importing
/// the same file changes nothing. Any error leaves the database untouched.
pub async fn import(
    db: &DatabaseConnection,
    data: &Dataset,
) -> Result<ImportSummary, DatasetError> {
    validate(data)?;
    let txn = db.begin().await?;
    let mut known = Known::load(&txn).await?;
    check_references(data, known.slugs())?;
    let mut summary = ImportSummary::default();

    for c in &data.categories {
        let existing = known.categories.get(&c.slug);
        let change = match existing {
            Some(m) if m.name == c.name => Change::Unchanged,
            _ => Change::Updated,
        };
        let model = category::ActiveModel {
            id: existing.map_or(NotSet, |m| Set(m.id)),
            slug: Set(c.slug.clone()),
            name: Set(c.name.clone()),
        };
        let (change, model) = save(&txn, existing.is_some(), change, model).await?;
        summary.count("categories", change);
        if let Some(suggested) = &c.suggested_facts {
            let wanted = parse_suggestions("", suggested)?;
            let stored: Vec<Suggestion> = suggestions_of(&txn, model.id)
                .await?
                .iter()
                .map(Suggestion::from)
                .collect();
            if stored == wanted {
                summary.count("suggested facts", Change::Unchanged);
            } else {
                replace_suggestions(&txn, model.id, &wanted).await?;
                let change = if stored.is_empty() {
                    Change::Created
                } else {
                    Change::Updated
                };
                summary.count("suggested facts", change);
            }
        }
        known.categories.insert(model.slug.clone(), model);
    }

    for r in &data.reviewers {
        let lens = parse_lens("", &r.lens)?;
        let existing = known.reviewers.get(&r.slug);
        let change = match existing {
            Some(m) if m.name == r.name && m.lens == lens && m.bio == r.bio => Change::Unchanged,
            _ => Change::Updated,
        };
        let model = reviewer::ActiveModel {
            id: existing.map_or(NotSet, |m| Set(m.id)),
            slug: Set(r.slug.clone()),
            name: Set(r.name.clone()),
            lens: Set(lens),
            bio: Set(r.bio.clone()),
        };
        let (change, model) = save(&txn, existing.is_some(), change, model).await?;
        summary.count("reviewers", change);
        known.reviewers.insert(model.slug.clone(), model);
    }

    for t in &data.tools {
        let existing = known.tools.get(&t.slug);
        let category_id = known.categories[&t.category].id;
        let pricing_model = parse_pricing("", &t.pricing.model)?;
        let published_at = published(
            parse_published("", &t.published_at)?,
            existing.map(|m| m.published_at),
        );
        let wanted = tool::Model {
            id: existing.map_or(0, |m| m.id),
            slug: t.slug.clone(),
            name: t.name.clone(),
            vendor: t.vendor.clone(),
            category_id,
            tagline: t.tagline.clone(),
            description: t.description.clone(),
            license: t.license.clone(),
            pricing_model,
            pricing_entry: t.pricing.entry.clone(),
            website_url: t.website_url.clone(),
            published_at,
        };
        let change = if existing == Some(&wanted) {
            Change::Unchanged
        } else {
            Change::Updated
        };
        let mut model: tool::ActiveModel = wanted.into();
        if existing.is_none() {
            model.id = NotSet;
        }
        let (change, model) = save(&txn, existing.is_some(), change, model).await?;
        summary.count("tools", change);
        if let Some(releases) = &t.releases {
            import_releases(&txn, model.id, releases, &mut summary).await?;
        }
        if let Some(facts) = &t.facts {
            let wanted = parse_facts("", facts)?;
            let stored: Vec<Fact> = facts_of(&txn, model.id)
                .await?
                .iter()
                .map(Fact::from)
                .collect();
            if stored == wanted {
                summary.count("facts", Change::Unchanged);
            } else {
                replace_facts(&txn, model.id, &wanted).await?;
                let change = if stored.is_empty() {
                    Change::Created
                } else {
                    Change::Updated
                };
                summary.count("facts", change);
            }
        }
        known.tools.insert(model.slug.clone(), model);
    }

    let stored_reviews: HashMap<(i64, i64), review::Model> = review::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|r| ((r.reviewer_id, r.tool_id), r))
        .collect();
    for r in &data.reviews {
        let reviewer_id = known.reviewers[&r.reviewer].id;
        let tool_id = known.tools[&r.tool].id;
        let existing = stored_reviews.get(&(reviewer_id, tool_id));
        let published_at = published(
            parse_published("", &r.published_at)?,
            existing.map(|m| m.published_at),
        );
        let reviewed_on = match (&r.reviewed_on, existing) {
            (Some(day), _) => parse_day("", "reviewed_on", day)?,
            (None, Some(m)) => m.reviewed_on,
            (None, None) => published_at.unwrap_or_else(now).date_naive(),
        };
        let wanted = review::Model {
            id: existing.map_or(0, |m| m.id),
            tool_id,
            reviewer_id,
            verdict: parse_verdict("", &r.verdict)?,
            body: r.body.clone(),
            published_at,
            reviewed_on,
            judged_version: match &r.judged_version {
                Some(version) => version.clone(),
                None => existing.and_then(|m| m.judged_version.clone()),
            },
        };
        let change = if existing == Some(&wanted) {
            Change::Unchanged
        } else {
            Change::Updated
        };
        let mut model: review::ActiveModel = wanted.into();
        if existing.is_none() {
            model.id = NotSet;
        }
        let (change, model) = save(&txn, existing.is_some(), change, model).await?;
        summary.count("reviews", change);
        if let Some(history) = &r.history {
            import_history(&txn, &model, history, &mut summary).await?;
        }
    }

    let stored_comparisons = by_slug(comparison::Entity::find().all(&txn).await?, |m| &m.slug);
    for c in &data.comparisons {
        let existing = stored_comparisons.get(&c.slug);
        let published_at = published(
            parse_published("", &c.published_at)?,
            existing.map(|m| m.published_at),
        );
        let mut wanted = comparison::Model {
            id: existing.map_or(0, |m| m.id),
            slug: c.slug.clone(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            left_tool_id: known.tools[&c.left].id,
            right_tool_id: known.tools[&c.right].id,
            published_at,
            // Absent keeps what editors wrote: files from before verdict
            // lines (the demo's older copies, older exports) erase nothing.
            verdict_line: c
                .verdict_line
                .clone()
                .or_else(|| existing.and_then(|m| m.verdict_line.clone())),
            byline: c
                .byline
                .clone()
                .or_else(|| existing.and_then(|m| m.byline.clone())),
            // A new row was last changed when published; a stored one keeps
            // its time unless this file changes what it says.
            updated_at: existing.map_or(published_at, |m| m.updated_at),
        };
        if let Some(stored) = existing {
            let mut said = wanted.clone();
            said.published_at = stored.published_at;
            if &said != stored {
                wanted.updated_at = Some(now());
            }
        }
        let change = if existing == Some(&wanted) {
            Change::Unchanged
        } else {
            Change::Updated
        };
        let mut model: comparison::ActiveModel = wanted.into();
        if existing.is_none() {
            model.id = NotSet;
        }
        let (change, _) = save(&txn, existing.is_some(), change, model).await?;
        summary.count("comparisons", change);
    }

    import_votes(&txn, data, &known, &mut summary).await?;
    txn.commit().await?;
    Ok(summary)
}

/// Makes a tool's recorded releases exactly the file's (matched by version).
async fn import_releases(
    txn: &DatabaseTransaction,
    tool_id: i64,
    releases: &[ReleaseRecord],
    summary: &mut ImportSummary,
) -> Result<(), DatasetError> {
    let mut stored: HashMap<String, tool_release::Model> = tool_release::Entity::find()
        .filter(tool_release::Column::ToolId.eq(tool_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|r| (r.version.clone(), r))
        .collect();
    for release in releases {
        let released_on = parse_day("", "released_on", &release.released_on)?;
        match stored.remove(&release.version) {
            Some(found) if found.released_on == released_on && found.note == release.note => {
                summary.count("releases", Change::Unchanged);
            }
            Some(found) => {
                let mut row: tool_release::ActiveModel = found.into();
                row.released_on = Set(released_on);
                row.note = Set(release.note.clone());
                row.update(txn).await?;
                summary.count("releases", Change::Updated);
            }
            None => {
                tool_release::ActiveModel {
                    id: NotSet,
                    tool_id: Set(tool_id),
                    version: Set(release.version.clone()),
                    released_on: Set(released_on),
                    note: Set(release.note.clone()),
                    created_at: Set(now()),
                }
                .insert(txn)
                .await?;
                summary.count("releases", Change::Created);
            }
        }
    }
    // What the file no longer lists goes: counted as a change.
    for (_, gone) in stored {
        gone.delete(txn).await?;
        summary.count("releases", Change::Updated);
    }
    Ok(())
}

/// Makes a review's earlier verdicts exactly the file's (newest first).
async fn import_history(
    txn: &DatabaseTransaction,
    review: &review::Model,
    history: &[RevisionRecord],
    summary: &mut ImportSummary,
) -> Result<(), DatasetError> {
    let stored = review_revision::Entity::find()
        .filter(review_revision::Column::ReviewId.eq(review.id))
        .order_by_desc(review_revision::Column::ReplacedAt)
        .order_by_desc(review_revision::Column::Id)
        .all(txn)
        .await?;
    let mut wanted = Vec::with_capacity(history.len());
    for earlier in history {
        wanted.push((
            parse_verdict("", &earlier.verdict)?,
            earlier.body.clone(),
            earlier.judged_version.clone(),
            parse_day("", "reviewed_on", &earlier.reviewed_on)?,
            parse_time("", "replaced_at", &earlier.replaced_at)?,
        ));
    }
    let same = stored.len() == wanted.len()
        && stored.iter().zip(&wanted).all(|(s, w)| {
            (
                s.verdict,
                &s.body,
                &s.judged_version,
                s.reviewed_on,
                s.replaced_at,
            ) == (w.0, &w.1, &w.2, w.3, w.4)
        });
    if same {
        summary.count("revisions", Change::Unchanged);
        return Ok(());
    }
    review_revision::Entity::delete_many()
        .filter(review_revision::Column::ReviewId.eq(review.id))
        .exec(txn)
        .await?;
    // Oldest first, so that ids follow the order they were replaced in.
    for (verdict, body, judged_version, reviewed_on, replaced_at) in wanted.into_iter().rev() {
        review_revision::ActiveModel {
            id: NotSet,
            review_id: Set(review.id),
            tool_id: Set(review.tool_id),
            verdict: Set(verdict),
            body: Set(body),
            judged_version: Set(judged_version),
            reviewed_on: Set(reviewed_on),
            replaced_at: Set(replaced_at),
            replaced_by: Set(None),
        }
        .insert(txn)
        .await?;
    }
    summary.count("revisions", Change::Updated);
    Ok(())
}

/// Inserts a new row or updates a changed one.
async fn save<A>(
    txn: &DatabaseTransaction,
    exists: bool,
    change: Change,
    model: A,
) -> Result<(Change, <A::Entity as EntityTrait>::Model), DbErr>
where
    A: ActiveModelTrait
        + sea_orm::ActiveModelBehavior
        + sea_orm::TryIntoModel<<A::Entity as EntityTrait>::Model>
        + Send,
    <A::Entity as EntityTrait>::Model: sea_orm::IntoActiveModel<A>,
{
    if !exists {
        return Ok((Change::Created, model.insert(txn).await?));
    }
    if let Change::Unchanged = change {
        return Ok((Change::Unchanged, model.try_into_model()?));
    }
    let model = model.reset_all();
    Ok((Change::Updated, model.update(txn).await?))
}

/// Votes in batches: a later vote of the same voter on the same tool wins.
async fn import_votes(
    txn: &DatabaseTransaction,
    data: &Dataset,
    known: &Known,
    summary: &mut ImportSummary,
) -> Result<(), DatasetError> {
    if data.votes.is_empty() {
        return Ok(());
    }
    let mut latest: BTreeMap<(i64, &str), Verdict> = BTreeMap::new();
    for v in &data.votes {
        latest.insert(
            (known.tools[&v.tool].id, v.voter.as_str()),
            parse_verdict("", &v.verdict)?,
        );
    }
    let stored: HashMap<(i64, String), Verdict> = vote::Entity::find()
        .all(txn)
        .await?
        .into_iter()
        .map(|v| ((v.tool_id, v.voter), v.verdict))
        .collect();
    let now = now();
    let mut pending = Vec::new();
    for ((tool_id, voter), verdict) in latest {
        let change = match stored.get(&(tool_id, voter.to_owned())) {
            None => Change::Created,
            Some(v) if *v == verdict => Change::Unchanged,
            Some(_) => Change::Updated,
        };
        summary.count("votes", change);
        if matches!(change, Change::Unchanged) {
            continue;
        }
        pending.push(vote::ActiveModel {
            id: NotSet,
            tool_id: Set(tool_id),
            voter: Set(voter.to_owned()),
            verdict: Set(verdict),
            created_at: Set(now),
            updated_at: Set(now),
            // An editor's import is trusted: its votes count (no network
            // rule applies without a network).
            status: Set(entities::VoteStatus::Counted),
            network: Set(None),
            window_start: Set(None),
            hold_id: Set(None),
            token_id: Set(None),
        });
    }
    for chunk in pending.chunks(500) {
        vote::Entity::insert_many(chunk.to_vec())
            .on_conflict(
                OnConflict::columns([vote::Column::ToolId, vote::Column::Voter])
                    .update_columns([vote::Column::Verdict, vote::Column::UpdatedAt])
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}
