//! Score events from a periodic scan of the tallies (never from the vote
//! path): each published tool's scores are compared with those last
//! announced (`webhook_score_marks`); a community score that appears, or a
//! score that moved by the step or more, is an event, written with the new
//! mark in one transaction that only wins over the mark's version it read.

use std::collections::HashMap;

use entities::{tool, tool_tally, webhook_score_mark};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set, TransactionTrait,
};
use serde_json::json;

use super::{now, public_url, record, tool_ref, wake, EventType, Settings};
use crate::domain::catalogue;
use crate::domain::scores::{CommunityScore, Tallies};

/// What a tool's mark should become, and the events on the way.
#[derive(Debug, Default, PartialEq)]
struct Step {
    panel: Option<u32>,
    community: Option<u32>,
    available: bool,
    panel_moved: Option<(u32, u32)>,
    community_moved: Option<(u32, u32)>,
}

/// Compares the scores now with the mark (`None`: never announced).
fn step(
    mark: Option<&webhook_score_mark::Model>,
    panel: Option<u32>,
    community: Option<u32>,
    step_points: u32,
) -> Step {
    let as_u32 = |v: Option<i32>| v.and_then(|v| u32::try_from(v).ok());
    let (old_panel, old_community, baseline) = match mark {
        Some(m) => (
            as_u32(m.panel_percent),
            as_u32(m.community_percent),
            m.baseline,
        ),
        None => (None, None, false),
    };
    if baseline {
        return Step {
            panel,
            community,
            ..Step::default()
        };
    }
    let moved = |old: Option<u32>, new: Option<u32>| match (old, new) {
        (Some(a), Some(b)) if a.abs_diff(b) >= step_points.max(1) => Some((a, b)),
        _ => None,
    };
    let panel_moved = moved(old_panel, panel);
    let community_moved = moved(old_community, community);
    Step {
        // A score that moved less than the step keeps its mark, so that
        // small moves add up to an event.
        panel: match (old_panel, panel) {
            (Some(old), Some(_)) if panel_moved.is_none() => Some(old),
            _ => panel,
        },
        community: match (old_community, community) {
            (Some(old), Some(_)) if community_moved.is_none() => Some(old),
            _ => community,
        },
        available: old_community.is_none() && community.is_some(),
        panel_moved,
        community_moved,
    }
}

/// One scan over every published tool; returns the events written.
pub async fn scan_scores(db: &DatabaseConnection, settings: &Settings) -> Result<usize, DbErr> {
    let tools: HashMap<i64, tool::Model> = tool::Entity::find()
        .filter(catalogue::public::tool())
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let tallies: HashMap<i64, Tallies> = tool_tally::Entity::find()
        .filter(tool_tally::Column::ToolId.is_in(tools.keys().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.tool_id, Tallies::from(row)))
        .collect();
    let marks: HashMap<i64, webhook_score_mark::Model> = webhook_score_mark::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.tool_id, m))
        .collect();
    let mut written = 0;
    let mut base = None;
    for (id, tool) in &tools {
        let tally = tallies.get(id).copied().unwrap_or_default();
        let panel = tally.panel.ship_percent();
        let community = CommunityScore {
            tally: tally.community,
            min_votes: settings.min_community_votes,
        }
        .ship_percent();
        let mark = marks.get(id);
        let next = step(mark, panel, community, settings.score_step);
        let unchanged = mark.is_some_and(|m| {
            !m.baseline
                && m.panel_percent == next.panel.map(|v| v as i32)
                && m.community_percent == next.community.map(|v| v as i32)
        });
        if unchanged {
            continue;
        }
        if base.is_none() {
            base = Some(public_url(db).await?);
        }
        let base = base.as_deref().unwrap_or_default();
        let txn = db.begin().await?;
        let at = now();
        let stored = match mark {
            Some(m) => {
                webhook_score_mark::Entity::update_many()
                    .col_expr(
                        webhook_score_mark::Column::PanelPercent,
                        Expr::value(next.panel.map(|v| v as i32)),
                    )
                    .col_expr(
                        webhook_score_mark::Column::CommunityPercent,
                        Expr::value(next.community.map(|v| v as i32)),
                    )
                    .col_expr(webhook_score_mark::Column::Baseline, Expr::value(false))
                    .col_expr(
                        webhook_score_mark::Column::Version,
                        Expr::value(m.version + 1),
                    )
                    .col_expr(webhook_score_mark::Column::CheckedAt, Expr::value(at))
                    .filter(webhook_score_mark::Column::ToolId.eq(*id))
                    .filter(webhook_score_mark::Column::Version.eq(m.version))
                    .exec(&txn)
                    .await?
                    .rows_affected
                    == 1
            }
            None => webhook_score_mark::ActiveModel {
                tool_id: Set(*id),
                panel_percent: Set(next.panel.map(|v| v as i32)),
                community_percent: Set(next.community.map(|v| v as i32)),
                baseline: Set(false),
                version: Set(1),
                checked_at: Set(Some(at)),
            }
            .insert(&txn)
            .await
            .is_ok(),
        };
        if !stored {
            // Another instance announced this tool meanwhile.
            continue;
        }
        let votes = tally.community.total();
        if next.available {
            let data = json!({
                "tool": tool_ref(base, tool),
                "before": { "communityScore": null },
                "after": { "communityScore": community, "votes": votes },
            });
            record(&txn, EventType::ToolCommunityScoreAvailable, data).await?;
            written += 1;
        }
        for (kind, moved) in [
            ("panel", next.panel_moved),
            ("community", next.community_moved),
        ] {
            if let Some((before, after)) = moved {
                let data = json!({
                    "tool": tool_ref(base, tool),
                    "score": kind,
                    "before": { "shipPercent": before },
                    "after": { "shipPercent": after },
                    "votes": votes,
                });
                record(&txn, EventType::ToolScoreMoved, data).await?;
                written += 1;
            }
        }
        txn.commit().await?;
    }
    if written > 0 {
        wake();
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(panel: Option<i32>, community: Option<i32>) -> webhook_score_mark::Model {
        webhook_score_mark::Model {
            tool_id: 1,
            panel_percent: panel,
            community_percent: community,
            baseline: false,
            version: 1,
            checked_at: None,
        }
    }

    #[test]
    fn small_moves_add_up_to_an_event_and_appearing_is_its_own() {
        let m = mark(Some(50), Some(60));
        let s = step(Some(&m), Some(53), Some(62), 5);
        assert_eq!((s.panel, s.community), (Some(50), Some(60)));
        assert!(s.panel_moved.is_none() && s.community_moved.is_none());
        let s = step(Some(&m), Some(55), Some(54), 5);
        assert_eq!(s.panel_moved, Some((50, 55)));
        assert_eq!(s.community_moved, Some((60, 54)));
        let s = step(Some(&mark(Some(50), None)), Some(50), Some(70), 5);
        assert!(s.available && s.community_moved.is_none());
        let s = step(None, Some(50), Some(70), 5);
        assert!(s.available);
        let mut seeded = mark(None, None);
        seeded.baseline = true;
        assert_eq!(
            step(Some(&seeded), Some(50), Some(70), 5),
            Step {
                panel: Some(50),
                community: Some(70),
                ..Step::default()
            }
        );
    }
}
