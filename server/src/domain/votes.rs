//! Readers' votes and picks: one vote per voter and tool (a new one replaces
//! the old; it can be withdrawn), one pick per voter and comparison. Every
//! change is rate limited per voter and per address and logged as an event.

use std::net::IpAddr;

use chrono::{DateTime, SubsecRound, Utc};
use entities::{comparison, pick, vote, vote_event, Verdict};
use sea_orm::{
    sea_query::OnConflict, ActiveEnum, ActiveModelTrait, ActiveValue::NotSet, ColumnTrait,
    DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait,
};

use crate::domain::{
    catalogue,
    rate_limit::{self, Limit},
    scores,
};
use crate::error::AppError;

/// Who is voting: the signed voter id and the client's address.
#[derive(Debug, Clone)]
pub struct Reader {
    /// The voter id from the signed cookie.
    pub voter: String,
    /// Where the request came from, when known.
    pub address: Option<IpAddr>,
}

/// How many vote changes a voter and an address may make per window.
#[derive(Debug, Clone, Copy)]
pub struct VoteLimits {
    /// Per voter id.
    pub per_voter: u32,
    /// Per client address (readers behind one NAT share it).
    pub per_address: u32,
    /// The window, in seconds.
    pub window_secs: u32,
}

impl VoteLimits {
    async fn check(
        &self,
        db: &DatabaseConnection,
        reader: &Reader,
        tool_id: Option<i64>,
    ) -> Result<(), AppError> {
        let voter = Limit {
            scope: "vote-voter",
            max: self.per_voter,
            window_secs: self.window_secs,
        };
        rate_limit::hit(db, voter, &reader.voter, tool_id).await?;
        if let Some(address) = reader.address {
            let by_address = Limit {
                scope: "vote-address",
                max: self.per_address,
                window_secs: self.window_secs,
            };
            rate_limit::hit(db, by_address, &address.to_string(), tool_id).await?;
        }
        Ok(())
    }
}

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Records the reader's verdict on a published tool (`None` withdraws it)
/// and returns the tool's new tally.
pub async fn cast_vote(
    db: &DatabaseConnection,
    limits: &VoteLimits,
    reader: &Reader,
    tool_slug: &str,
    verdict: Option<Verdict>,
) -> Result<(i64, scores::Tally), AppError> {
    let tool = catalogue::published_tool(db, tool_slug)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "tool",
            key: tool_slug.to_owned(),
        })?;
    limits.check(db, reader, Some(tool.id)).await?;
    let now = now();
    let txn = db.begin().await?;
    match verdict {
        Some(verdict) => {
            let row = vote::ActiveModel {
                id: NotSet,
                tool_id: Set(tool.id),
                voter: Set(reader.voter.clone()),
                verdict: Set(verdict),
                created_at: Set(now),
                updated_at: Set(now),
            };
            vote::Entity::insert(row)
                .on_conflict(
                    OnConflict::columns([vote::Column::ToolId, vote::Column::Voter])
                        .update_columns([vote::Column::Verdict, vote::Column::UpdatedAt])
                        .to_owned(),
                )
                .exec_without_returning(&txn)
                .await?;
        }
        None => {
            vote::Entity::delete_many()
                .filter(vote::Column::ToolId.eq(tool.id))
                .filter(vote::Column::Voter.eq(reader.voter.as_str()))
                .exec(&txn)
                .await?;
        }
    }
    vote_event::ActiveModel {
        id: NotSet,
        tool_id: Set(tool.id),
        voter: Set(reader.voter.clone()),
        action: Set(verdict.map_or_else(|| "WITHDRAW".to_owned(), |v| v.to_value())),
        address: Set(reader.address.map(|a| a.to_string())),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    let tallies = scores::community_tallies(db, &[tool.id]).await?;
    Ok((tool.id, tallies.get(&tool.id).copied().unwrap_or_default()))
}

/// Records the reader's pick of one of a public comparison's two tools and
/// returns the comparison (for its new head-to-head).
pub async fn pick(
    db: &DatabaseConnection,
    limits: &VoteLimits,
    reader: &Reader,
    comparison_slug: &str,
    tool_slug: &str,
) -> Result<comparison::Model, AppError> {
    let comparison = catalogue::published_comparison(db, comparison_slug)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "comparison",
            key: comparison_slug.to_owned(),
        })?;
    let tool = catalogue::published_tool(db, tool_slug).await?;
    let tool_id = tool
        .map(|t| t.id)
        .filter(|id| *id == comparison.left_tool_id || *id == comparison.right_tool_id)
        .ok_or_else(|| {
            AppError::validation(
                "tool",
                format!("`{tool_slug}` is not one of the two tools of `{comparison_slug}`"),
            )
        })?;
    limits.check(db, reader, Some(tool_id)).await?;
    let now = now();
    pick::Entity::insert(pick::ActiveModel {
        id: NotSet,
        comparison_id: Set(comparison.id),
        voter: Set(reader.voter.clone()),
        tool_id: Set(tool_id),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([pick::Column::ComparisonId, pick::Column::Voter])
            .update_columns([pick::Column::ToolId, pick::Column::UpdatedAt])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(comparison)
}
