//! Writes the whole catalogue, drafts and votes included, in the import
//! format, sorted so that the same catalogue always gives the same file.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use entities::{
    category, category_fact_label, comparison, review, review_revision, reviewer, tool, tool_fact,
    tool_release, vote, FactKind,
};
use sea_orm::{
    ActiveEnum, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
};

use super::{
    CategoryRecord, ComparisonRecord, Dataset, FactRecord, PricingRecord, ReleaseRecord,
    ReviewRecord, ReviewerRecord, RevisionRecord, SuggestedFactRecord, ToolRecord, VoteRecord,
    FORMAT,
};

/// A stored fact's value as the file types it (see [`FactRecord`]).
fn fact_value(fact: &tool_fact::Model) -> serde_json::Value {
    match fact.kind {
        FactKind::Text => fact.value.clone().into(),
        FactKind::Boolean => (fact.value == "true").into(),
        FactKind::List => fact.value.lines().collect::<Vec<_>>().into(),
        FactKind::Number => {
            // Whole numbers as integers (128000, not 128000.0).
            if let Ok(whole) = fact.value.parse::<i64>() {
                whole.into()
            } else {
                fact.value
                    .parse::<f64>()
                    .ok()
                    .and_then(serde_json::Number::from_f64)
                    .map_or_else(|| fact.value.clone().into(), serde_json::Value::Number)
            }
        }
    }
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
    let mut releases: HashMap<i64, Vec<ReleaseRecord>> = HashMap::new();
    for r in tool_release::Entity::find().all(db).await? {
        releases.entry(r.tool_id).or_default().push(ReleaseRecord {
            version: r.version,
            released_on: r.released_on.to_string(),
            note: r.note,
        });
    }
    for list in releases.values_mut() {
        list.sort_by(|a, b| (&b.released_on, &b.version).cmp(&(&a.released_on, &a.version)));
    }
    let mut history: HashMap<i64, Vec<(DateTime<Utc>, i64, RevisionRecord)>> = HashMap::new();
    for r in review_revision::Entity::find().all(db).await? {
        history.entry(r.review_id).or_default().push((
            r.replaced_at,
            r.id,
            RevisionRecord {
                verdict: r.verdict.to_value(),
                body: r.body,
                judged_version: r.judged_version,
                reviewed_on: r.reviewed_on.to_string(),
                replaced_at: r.replaced_at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
            },
        ));
    }
    let mut facts: HashMap<i64, Vec<FactRecord>> = HashMap::new();
    for f in tool_fact::Entity::find()
        .order_by_asc(tool_fact::Column::ToolId)
        .order_by_asc(tool_fact::Column::Position)
        .all(db)
        .await?
    {
        facts.entry(f.tool_id).or_default().push(FactRecord {
            value: fact_value(&f),
            label: f.label,
            kind: f.kind.to_value(),
            unit: f.unit,
        });
    }
    let mut suggested: HashMap<i64, Vec<SuggestedFactRecord>> = HashMap::new();
    for s in category_fact_label::Entity::find()
        .order_by_asc(category_fact_label::Column::CategoryId)
        .order_by_asc(category_fact_label::Column::Position)
        .all(db)
        .await?
    {
        suggested
            .entry(s.category_id)
            .or_default()
            .push(SuggestedFactRecord {
                label: s.label,
                kind: s.kind.to_value(),
                unit: s.unit,
            });
    }
    let comparisons = comparison::Entity::find().all(db).await?;
    // Only votes that count: held and rejected ones are the integrity
    // ledger's evidence, not catalogue data (an import counts every vote).
    let votes = vote::Entity::find()
        .filter(vote::Column::Status.eq(entities::VoteStatus::Counted))
        .all(db)
        .await?;

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
                suggested_facts: Some(suggested.remove(&c.id).unwrap_or_default()),
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
                releases: Some(releases.remove(&t.id).unwrap_or_default()),
                facts: Some(facts.remove(&t.id).unwrap_or_default()),
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
                reviewed_on: Some(r.reviewed_on.to_string()),
                judged_version: Some(r.judged_version.clone()),
                history: Some({
                    let mut earlier = history.remove(&r.id).unwrap_or_default();
                    // Newest first.
                    earlier.sort_by_key(|e| std::cmp::Reverse((e.0, e.1)));
                    earlier.into_iter().map(|(_, _, record)| record).collect()
                }),
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
                verdict_line: c.verdict_line.clone(),
                byline: c.byline.clone(),
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
