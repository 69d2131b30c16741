//! Readers' votes: one per voter and tool, a new one replacing the old.

use chrono::{SubsecRound, Utc};
use entities::{vote, Verdict};
use sea_orm::{sea_query::OnConflict, DatabaseConnection, EntityTrait, Set};

use crate::domain::{catalogue, scores};
use crate::error::AppError;

/// Records `voter`'s verdict on the published tool `tool_slug` (replacing an
/// earlier one) and returns the tool's new tally.
pub async fn cast_vote(
    db: &DatabaseConnection,
    tool_slug: &str,
    voter: &str,
    verdict: Verdict,
) -> Result<scores::Tally, AppError> {
    let tool = catalogue::published_tool(db, tool_slug)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "tool",
            key: tool_slug.to_owned(),
        })?;
    let now = Utc::now().trunc_subsecs(6);
    let row = vote::ActiveModel {
        tool_id: Set(tool.id),
        voter: Set(voter.to_owned()),
        verdict: Set(verdict),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    vote::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([vote::Column::ToolId, vote::Column::Voter])
                .update_columns([vote::Column::Verdict, vote::Column::UpdatedAt])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    let tallies = scores::community_tallies(db, &[tool.id]).await?;
    Ok(tallies.get(&tool.id).copied().unwrap_or_default())
}
