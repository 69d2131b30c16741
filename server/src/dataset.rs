//! The catalogue exchange format (`toolverdicts/v1`, see DATASET.md): `import`
//! (idempotent, matched by slug, all or nothing) and `export` (the same shape).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use entities::{category, comparison, review, reviewer, tool, vote, Lens, PricingModel, Verdict};
use sea_orm::{
    sea_query::OnConflict, ActiveEnum, ActiveModelTrait, ActiveValue::NotSet, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, PaginatorTrait, Set, TransactionTrait,
};
use serde::{Deserialize, Deserializer, Serialize};

/// The `format` every file carries.
pub const FORMAT: &str = "toolverdicts/v1";

/// A whole catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Always [`FORMAT`].
    pub format: String,
    /// Categories.
    #[serde(default)]
    pub categories: Vec<CategoryRecord>,
    /// The panel.
    #[serde(default)]
    pub reviewers: Vec<ReviewerRecord>,
    /// Tools.
    #[serde(default)]
    pub tools: Vec<ToolRecord>,
    /// Reviews, one per reviewer and tool.
    #[serde(default)]
    pub reviews: Vec<ReviewRecord>,
    /// Curated comparisons.
    #[serde(default)]
    pub comparisons: Vec<ComparisonRecord>,
    /// Readers' votes, one per voter and tool.
    #[serde(default)]
    pub votes: Vec<VoteRecord>,
}

/// A category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRecord {
    pub slug: String,
    pub name: String,
}

/// A panel member.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewerRecord {
    pub slug: String,
    pub name: String,
    pub lens: String,
    pub bio: String,
}

/// A tool's pricing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PricingRecord {
    pub model: String,
    pub entry: String,
}

/// A tool. `published_at`: absent = published on first import; null = draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolRecord {
    pub slug: String,
    pub name: String,
    pub vendor: String,
    pub category: String,
    pub tagline: String,
    pub description: String,
    pub license: String,
    pub pricing: PricingRecord,
    #[serde(default)]
    pub website_url: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub published_at: Option<Option<String>>,
}

/// A review. `published_at`: absent = published on first import; null = draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewRecord {
    pub tool: String,
    pub reviewer: String,
    pub verdict: String,
    pub body: String,
    #[serde(default, deserialize_with = "present")]
    pub published_at: Option<Option<String>>,
}

/// A curated comparison. `published_at`: absent = published on first import; null = draft.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComparisonRecord {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub left: String,
    pub right: String,
    #[serde(default, deserialize_with = "present")]
    pub published_at: Option<Option<String>>,
}

/// A reader's vote.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteRecord {
    pub tool: String,
    pub voter: String,
    pub verdict: String,
}

/// Tells a present `null` (Some(None)) from an absent key (None).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

/// Why an import was refused; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum DatasetError {
    /// The file is not JSON of this format.
    #[error("not a valid {FORMAT} file: {0}")]
    Parse(String),
    /// One item is wrong; `item` names it.
    #[error("{item}: {message}")]
    Invalid { item: String, message: String },
    /// The database failed.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

fn invalid(item: impl Into<String>, message: impl Into<String>) -> DatasetError {
    DatasetError::Invalid {
        item: item.into(),
        message: message.into(),
    }
}

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

/// Parses a file's text.
pub fn parse(text: &str) -> Result<Dataset, DatasetError> {
    let dataset: Dataset =
        serde_json::from_str(text).map_err(|e| DatasetError::Parse(e.to_string()))?;
    if dataset.format != FORMAT {
        return Err(invalid(
            "format",
            format!("is \"{}\", expected \"{FORMAT}\"", dataset.format),
        ));
    }
    Ok(dataset)
}

/// Whether the catalogue is empty (no categories, no tools).
pub async fn is_empty(db: &DatabaseConnection) -> Result<bool, DbErr> {
    Ok(
        category::Entity::find().count(db).await? == 0
            && tool::Entity::find().count(db).await? == 0,
    )
}

fn check_slug(item: &str, field: &str, slug: &str) -> Result<(), DatasetError> {
    if crate::domain::slug::is_slug(slug) {
        Ok(())
    } else {
        Err(invalid(
            item,
            format!(
                "{field} \"{slug}\" must be 1-100 lowercase letters, digits and single hyphens"
            ),
        ))
    }
}

fn check_text(item: &str, field: &str, value: &str, max: usize) -> Result<(), DatasetError> {
    if value.trim().is_empty() {
        return Err(invalid(item, format!("{field} is empty")));
    }
    if value.chars().count() > max {
        return Err(invalid(
            item,
            format!("{field} is longer than {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(invalid(
            item,
            format!("{field} contains a control character"),
        ));
    }
    Ok(())
}

fn parse_verdict(item: &str, value: &str) -> Result<Verdict, DatasetError> {
    match value {
        "SHIP" => Ok(Verdict::Ship),
        "SKIP" => Ok(Verdict::Skip),
        _ => Err(invalid(
            item,
            format!("verdict \"{value}\" is not SHIP or SKIP"),
        )),
    }
}

fn parse_lens(item: &str, value: &str) -> Result<Lens, DatasetError> {
    match value {
        "DEVELOPER_EXPERIENCE" => Ok(Lens::DeveloperExperience),
        "COMPETITIVE_RISK" => Ok(Lens::CompetitiveRisk),
        "STRATEGIC_THESIS" => Ok(Lens::StrategicThesis),
        "BUSINESS_CASE" => Ok(Lens::BusinessCase),
        _ => Err(invalid(
            item,
            format!(
                "lens \"{value}\" is not one of DEVELOPER_EXPERIENCE, COMPETITIVE_RISK, STRATEGIC_THESIS, BUSINESS_CASE"
            ),
        )),
    }
}

fn parse_pricing(item: &str, value: &str) -> Result<PricingModel, DatasetError> {
    match value {
        "FREE" => Ok(PricingModel::Free),
        "FREEMIUM" => Ok(PricingModel::Freemium),
        "PAID" => Ok(PricingModel::Paid),
        "CONTACT" => Ok(PricingModel::Contact),
        _ => Err(invalid(
            item,
            format!("pricing.model \"{value}\" is not one of FREE, FREEMIUM, PAID, CONTACT"),
        )),
    }
}

/// `None` = key absent; `Some(None)` = draft; `Some(Some(t))` = published at t.
fn parse_published(
    item: &str,
    value: &Option<Option<String>>,
) -> Result<Option<Option<DateTime<Utc>>>, DatasetError> {
    match value {
        None => Ok(None),
        Some(None) => Ok(Some(None)),
        Some(Some(text)) => DateTime::parse_from_rfc3339(text)
            .map(|t| Some(Some(t.with_timezone(&Utc))))
            .map_err(|_| {
                invalid(
                    item,
                    format!("published_at \"{text}\" is not an RFC 3339 time such as 2026-11-20T09:00:00Z"),
                )
            }),
    }
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

fn check_unique(
    kind: &str,
    keys: impl Iterator<Item = (usize, String)>,
) -> Result<(), DatasetError> {
    let mut seen = HashSet::new();
    for (index, key) in keys {
        if !seen.insert(key.clone()) {
            return Err(invalid(
                format!("{kind}[{index}]"),
                format!("{key} appears twice in the file"),
            ));
        }
    }
    Ok(())
}

/// Checks everything that needs no database.
fn validate(data: &Dataset) -> Result<(), DatasetError> {
    for (i, c) in data.categories.iter().enumerate() {
        let item = format!("categories[{i}] \"{}\"", c.slug);
        check_slug(&item, "slug", &c.slug)?;
        check_text(&item, "name", &c.name, 100)?;
    }
    for (i, r) in data.reviewers.iter().enumerate() {
        let item = format!("reviewers[{i}] \"{}\"", r.slug);
        check_slug(&item, "slug", &r.slug)?;
        check_text(&item, "name", &r.name, 100)?;
        check_text(&item, "bio", &r.bio, 2000)?;
        parse_lens(&item, &r.lens)?;
    }
    for (i, t) in data.tools.iter().enumerate() {
        let item = format!("tools[{i}] \"{}\"", t.slug);
        check_slug(&item, "slug", &t.slug)?;
        check_text(&item, "name", &t.name, 100)?;
        check_text(&item, "vendor", &t.vendor, 100)?;
        check_text(&item, "tagline", &t.tagline, 200)?;
        check_text(&item, "description", &t.description, 5000)?;
        check_text(&item, "license", &t.license, 100)?;
        check_text(&item, "pricing.entry", &t.pricing.entry, 100)?;
        parse_pricing(&item, &t.pricing.model)?;
        if let Some(url) = &t.website_url {
            let ok = (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() <= 500
                && !url.chars().any(char::is_whitespace);
            if !ok {
                return Err(invalid(
                    &item,
                    format!("website_url \"{url}\" is not an http(s) URL"),
                ));
            }
        }
        parse_published(&item, &t.published_at)?;
    }
    for (i, r) in data.reviews.iter().enumerate() {
        let item = format!(
            "reviews[{i}] (tool \"{}\", reviewer \"{}\")",
            r.tool, r.reviewer
        );
        parse_verdict(&item, &r.verdict)?;
        check_text(&item, "body", &r.body, 10_000)?;
        parse_published(&item, &r.published_at)?;
    }
    for (i, c) in data.comparisons.iter().enumerate() {
        let item = format!("comparisons[{i}] \"{}\"", c.slug);
        check_slug(&item, "slug", &c.slug)?;
        check_text(&item, "title", &c.title, 200)?;
        check_text(&item, "summary", &c.summary, 5000)?;
        if c.left == c.right {
            return Err(invalid(
                item,
                format!("left and right are both \"{}\"", c.left),
            ));
        }
        parse_published(&item, &c.published_at)?;
    }
    for (i, v) in data.votes.iter().enumerate() {
        let item = format!("votes[{i}] (tool \"{}\", voter \"{}\")", v.tool, v.voter);
        if v.voter.is_empty() || v.voter.len() > 64 || v.voter.chars().any(char::is_control) {
            return Err(invalid(item, "voter must be 1 to 64 printable characters"));
        }
        parse_verdict(&item, &v.verdict)?;
    }
    check_unique(
        "categories",
        data.categories.iter().map(|c| c.slug.clone()).enumerate(),
    )?;
    check_unique(
        "reviewers",
        data.reviewers.iter().map(|r| r.slug.clone()).enumerate(),
    )?;
    check_unique(
        "tools",
        data.tools.iter().map(|t| t.slug.clone()).enumerate(),
    )?;
    check_unique(
        "comparisons",
        data.comparisons.iter().map(|c| c.slug.clone()).enumerate(),
    )?;
    check_unique(
        "reviews",
        data.reviews
            .iter()
            .map(|r| format!("the review of \"{}\" by \"{}\"", r.tool, r.reviewer))
            .enumerate(),
    )?;
    Ok(())
}

/// Slug → id of the rows already stored, per kind.
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
}

fn by_slug<M>(rows: Vec<M>, slug: impl Fn(&M) -> &String) -> HashMap<String, M> {
    rows.into_iter().map(|m| (slug(&m).clone(), m)).collect()
}

/// Checks that every reference names a slug in the file or the database.
fn check_references(data: &Dataset, known: &Known) -> Result<(), DatasetError> {
    let categories: HashSet<&str> = data
        .categories
        .iter()
        .map(|c| c.slug.as_str())
        .chain(known.categories.keys().map(String::as_str))
        .collect();
    let reviewers: HashSet<&str> = data
        .reviewers
        .iter()
        .map(|r| r.slug.as_str())
        .chain(known.reviewers.keys().map(String::as_str))
        .collect();
    let tools: HashSet<&str> = data
        .tools
        .iter()
        .map(|t| t.slug.as_str())
        .chain(known.tools.keys().map(String::as_str))
        .collect();
    let missing = |kind: &str, slug: &str| {
        format!("{kind} \"{slug}\" is neither in the file nor in the database")
    };
    for (i, t) in data.tools.iter().enumerate() {
        if !categories.contains(t.category.as_str()) {
            return Err(invalid(
                format!("tools[{i}] \"{}\"", t.slug),
                missing("category", &t.category),
            ));
        }
    }
    for (i, r) in data.reviews.iter().enumerate() {
        let item = format!(
            "reviews[{i}] (tool \"{}\", reviewer \"{}\")",
            r.tool, r.reviewer
        );
        if !tools.contains(r.tool.as_str()) {
            return Err(invalid(item, missing("tool", &r.tool)));
        }
        if !reviewers.contains(r.reviewer.as_str()) {
            return Err(invalid(item, missing("reviewer", &r.reviewer)));
        }
    }
    for (i, c) in data.comparisons.iter().enumerate() {
        let item = format!("comparisons[{i}] \"{}\"", c.slug);
        for side in [&c.left, &c.right] {
            if !tools.contains(side.as_str()) {
                return Err(invalid(item, missing("tool", side)));
            }
        }
    }
    for (i, v) in data.votes.iter().enumerate() {
        if !tools.contains(v.tool.as_str()) {
            return Err(invalid(
                format!("votes[{i}] (tool \"{}\", voter \"{}\")", v.tool, v.voter),
                missing("tool", &v.tool),
            ));
        }
    }
    Ok(())
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
    check_references(data, &known)?;
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
        let wanted = review::Model {
            id: existing.map_or(0, |m| m.id),
            tool_id,
            reviewer_id,
            verdict: parse_verdict("", &r.verdict)?,
            body: r.body.clone(),
            published_at: published(
                parse_published("", &r.published_at)?,
                existing.map(|m| m.published_at),
            ),
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
        let (change, _) = save(&txn, existing.is_some(), change, model).await?;
        summary.count("reviews", change);
    }

    let stored_comparisons = by_slug(comparison::Entity::find().all(&txn).await?, |m| &m.slug);
    for c in &data.comparisons {
        let existing = stored_comparisons.get(&c.slug);
        let wanted = comparison::Model {
            id: existing.map_or(0, |m| m.id),
            slug: c.slug.clone(),
            title: c.title.clone(),
            summary: c.summary.clone(),
            left_tool_id: known.tools[&c.left].id,
            right_tool_id: known.tools[&c.right].id,
            published_at: published(
                parse_published("", &c.published_at)?,
                existing.map(|m| m.published_at),
            ),
        };
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

fn timestamp(t: Option<DateTime<Utc>>) -> Option<Option<String>> {
    Some(t.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true)))
}

/// The whole catalogue, sorted by slug, in the import format.
pub async fn export(db: &DatabaseConnection) -> Result<Dataset, DbErr> {
    let categories = category::Entity::find().all(db).await?;
    let reviewers = reviewer::Entity::find().all(db).await?;
    let tools = tool::Entity::find().all(db).await?;
    let reviews = review::Entity::find().all(db).await?;
    let comparisons = comparison::Entity::find().all(db).await?;
    let votes = vote::Entity::find().all(db).await?;

    let category_slug: HashMap<i64, &str> =
        categories.iter().map(|c| (c.id, c.slug.as_str())).collect();
    let reviewer_slug: HashMap<i64, &str> =
        reviewers.iter().map(|r| (r.id, r.slug.as_str())).collect();
    let tool_slug: HashMap<i64, &str> = tools.iter().map(|t| (t.id, t.slug.as_str())).collect();
    let slug =
        |map: &HashMap<i64, &str>, id: i64| map.get(&id).copied().unwrap_or_default().to_owned();

    let mut data = Dataset {
        format: FORMAT.to_owned(),
        categories: categories
            .iter()
            .map(|c| CategoryRecord {
                slug: c.slug.clone(),
                name: c.name.clone(),
            })
            .collect(),
        reviewers: reviewers
            .iter()
            .map(|r| ReviewerRecord {
                slug: r.slug.clone(),
                name: r.name.clone(),
                lens: r.lens.to_value(),
                bio: r.bio.clone(),
            })
            .collect(),
        tools: tools
            .iter()
            .map(|t| ToolRecord {
                slug: t.slug.clone(),
                name: t.name.clone(),
                vendor: t.vendor.clone(),
                category: slug(&category_slug, t.category_id),
                tagline: t.tagline.clone(),
                description: t.description.clone(),
                license: t.license.clone(),
                pricing: PricingRecord {
                    model: t.pricing_model.to_value(),
                    entry: t.pricing_entry.clone(),
                },
                website_url: t.website_url.clone(),
                published_at: timestamp(t.published_at),
            })
            .collect(),
        reviews: reviews
            .iter()
            .map(|r| ReviewRecord {
                tool: slug(&tool_slug, r.tool_id),
                reviewer: slug(&reviewer_slug, r.reviewer_id),
                verdict: r.verdict.to_value(),
                body: r.body.clone(),
                published_at: timestamp(r.published_at),
            })
            .collect(),
        comparisons: comparisons
            .iter()
            .map(|c| ComparisonRecord {
                slug: c.slug.clone(),
                title: c.title.clone(),
                summary: c.summary.clone(),
                left: slug(&tool_slug, c.left_tool_id),
                right: slug(&tool_slug, c.right_tool_id),
                published_at: timestamp(c.published_at),
            })
            .collect(),
        votes: votes
            .iter()
            .map(|v| VoteRecord {
                tool: slug(&tool_slug, v.tool_id),
                voter: v.voter.clone(),
                verdict: v.verdict.to_value(),
            })
            .collect(),
    };
    data.categories.sort_by(|a, b| a.slug.cmp(&b.slug));
    data.reviewers.sort_by(|a, b| a.slug.cmp(&b.slug));
    data.tools.sort_by(|a, b| a.slug.cmp(&b.slug));
    data.reviews
        .sort_by(|a, b| (&a.tool, &a.reviewer).cmp(&(&b.tool, &b.reviewer)));
    data.comparisons.sort_by(|a, b| a.slug.cmp(&b.slug));
    data.votes
        .sort_by(|a, b| (&a.tool, &a.voter).cmp(&(&b.tool, &b.voter)));
    Ok(data)
}
