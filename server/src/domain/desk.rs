//! The editors' desk: what editors read that readers never see (drafts
//! beside published rows, the catalogue's size, readers' recent votes, the
//! audit log, vote anomalies). Paged lists answer with the filtered
//! `Select`, which the API pages.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entities::{audit_entry, comparison, pick, review, tool, vote, vote_anomaly, vote_event};
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use crate::domain::catalogue::{containing, public};

/// Draft tools, by slug.
pub async fn draft_tools(db: &DatabaseConnection) -> Result<Vec<tool::Model>, DbErr> {
    tool::Entity::find()
        .filter(public::tool().not())
        .order_by_asc(tool::Column::Slug)
        .all(db)
        .await
}

/// Draft comparisons, by slug.
pub async fn draft_comparisons(db: &DatabaseConnection) -> Result<Vec<comparison::Model>, DbErr> {
    comparison::Entity::find()
        .filter(comparison::Column::PublishedAt.is_null())
        .order_by_asc(comparison::Column::Slug)
        .all(db)
        .await
}

/// Every tool, drafts included, unordered (the API pages them by slug):
/// only published ones (`Some(true)`) or only drafts (`Some(false)`), and
/// those whose name, vendor or slug contains `search`.
pub fn all_tools(published: Option<bool>, search: Option<&str>) -> Select<tool::Entity> {
    let mut query = tool::Entity::find();
    if let Some(published) = published {
        query = query.filter(if published {
            public::tool()
        } else {
            public::tool().not()
        });
    }
    if let Some(matching) = containing(
        &[tool::Column::Name, tool::Column::Vendor, tool::Column::Slug],
        search,
    ) {
        query = query.filter(matching);
    }
    query
}

/// Every comparison, drafts included, unordered (the API pages them by
/// slug): only published ones (`Some(true)`) or only drafts
/// (`Some(false)`), and those whose title or slug contains `search`.
pub fn all_comparisons(
    published: Option<bool>,
    search: Option<&str>,
) -> Select<comparison::Entity> {
    let mut query = comparison::Entity::find();
    if let Some(published) = published {
        query = query.filter(if published {
            comparison::Column::PublishedAt.is_not_null()
        } else {
            comparison::Column::PublishedAt.is_null()
        });
    }
    if let Some(matching) = containing(
        &[comparison::Column::Title, comparison::Column::Slug],
        search,
    ) {
        query = query.filter(matching);
    }
    query
}

/// Readers' votes on one tool since some time.
pub struct VoteActivity {
    /// The tool.
    pub tool: tool::Model,
    /// Votes cast or changed to SHIP.
    pub ship: u64,
    /// Votes cast or changed to SKIP.
    pub skip: u64,
    /// Votes withdrawn.
    pub withdrawn: u64,
    /// All of the above.
    pub total: u64,
}

/// The `first` tools readers voted on most since `since`, busiest first
/// (then by slug), with what they voted (two statements).
pub async fn vote_activity(
    db: &DatabaseConnection,
    since: DateTime<Utc>,
    first: usize,
) -> Result<Vec<VoteActivity>, DbErr> {
    let counts: Vec<(i64, String, i64)> = vote_event::Entity::find()
        .select_only()
        .column(vote_event::Column::ToolId)
        .column(vote_event::Column::Action)
        .column_as(Expr::col(vote_event::Column::Id).count(), "n")
        .filter(vote_event::Column::CreatedAt.gte(since))
        .group_by(vote_event::Column::ToolId)
        .group_by(vote_event::Column::Action)
        .into_tuple()
        .all(db)
        .await?;
    let mut by_tool: HashMap<i64, [u64; 3]> = Default::default();
    for (tool_id, action, n) in counts {
        let slot = match action.as_str() {
            "SHIP" => 0,
            "SKIP" => 1,
            _ => 2,
        };
        by_tool.entry(tool_id).or_default()[slot] += u64::try_from(n).unwrap_or(0);
    }
    let tools: HashMap<i64, tool::Model> = tool::Entity::find()
        .filter(tool::Column::Id.is_in(by_tool.keys().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut activity: Vec<VoteActivity> = by_tool
        .into_iter()
        .filter_map(|(id, [ship, skip, withdrawn])| {
            let tool = tools.get(&id)?.clone();
            Some(VoteActivity {
                total: ship + skip + withdrawn,
                ship,
                skip,
                withdrawn,
                tool,
            })
        })
        .collect();
    activity.sort_by(|a, b| b.total.cmp(&a.total).then(a.tool.slug.cmp(&b.tool.slug)));
    activity.truncate(first);
    Ok(activity)
}

/// How big the catalogue is, drafts included.
pub struct Stats {
    /// Tools, drafts included.
    pub tools: u64,
    /// Comparisons, drafts included.
    pub comparisons: u64,
    /// Reviews.
    pub reviews: u64,
    /// Readers' votes.
    pub votes: u64,
    /// Readers' picks.
    pub picks: u64,
}

/// The catalogue's size (one count each, in this order).
pub async fn stats(db: &DatabaseConnection) -> Result<Stats, DbErr> {
    Ok(Stats {
        tools: tool::Entity::find().count(db).await?,
        comparisons: comparison::Entity::find().count(db).await?,
        reviews: review::Entity::find().count(db).await?,
        votes: vote::Entity::find().count(db).await?,
        picks: pick::Entity::find().count(db).await?,
    })
}

/// The newest `first` entries of the editors' audit log.
pub async fn latest_audit(
    db: &DatabaseConnection,
    first: u64,
) -> Result<Vec<audit_entry::Model>, DbErr> {
    audit_entry::Entity::find()
        .order_by_desc(audit_entry::Column::Id)
        .limit(first)
        .all(db)
        .await
}

/// The editors' audit log, unordered (the API pages it newest first).
pub fn audit_entries() -> Select<audit_entry::Entity> {
    audit_entry::Entity::find()
}

/// The newest `limit` audit entries of the reviews with these keys
/// (`reviewer-slug/tool-slug`), newest first.
pub async fn review_changes(
    db: &DatabaseConnection,
    keys: impl IntoIterator<Item = String>,
    limit: u64,
) -> Result<Vec<audit_entry::Model>, DbErr> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::Entity.eq("REVIEW"))
        .filter(audit_entry::Column::EntityKey.is_in(keys))
        .order_by_desc(audit_entry::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The newest `first` vote anomalies.
pub async fn latest_anomalies(
    db: &DatabaseConnection,
    first: u64,
) -> Result<Vec<vote_anomaly::Model>, DbErr> {
    vote_anomaly::Entity::find()
        .order_by_desc(vote_anomaly::Column::Id)
        .limit(first)
        .all(db)
        .await
}

/// Every vote anomaly, unordered (the API pages them newest first).
pub fn anomalies() -> Select<vote_anomaly::Entity> {
    vote_anomaly::Entity::find()
}
