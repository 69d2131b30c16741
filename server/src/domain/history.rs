//! Score history: once a day (and whenever the recorder runs again that
//! day) every published tool's tallies are written down, so the tool page
//! can chart how its scores moved.

use std::time::Duration;

use chrono::{NaiveDate, Utc};
use entities::score_snapshot;
use sea_orm::{
    sea_query::{Expr, Func},
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};

/// One statement for every tool; `$1` is the day. SQLite needs the WHERE
/// before ON CONFLICT to parse INSERT … SELECT, and has it. A snapshot
/// already recorded that day is rewritten only when a tally moved: every
/// written row ends the kept answers that show its tool (the change log's
/// triggers), and the recorder runs every hour whether anyone voted or not.
/// (The tallies are counts, never NULL, so `<>` on the rows is enough.)
fn record_sql() -> String {
    let review = crate::domain::catalogue::public::review_sql("r");
    let tool = crate::domain::catalogue::public::tool_sql("t");
    format!(
        "INSERT INTO score_snapshots \
         (tool_id, day, panel_ship, panel_total, community_ship, community_total) \
         SELECT t.id, $1, \
         (SELECT COUNT(*) FROM reviews r WHERE r.tool_id = t.id AND {review} AND r.verdict = 'SHIP'), \
         (SELECT COUNT(*) FROM reviews r WHERE r.tool_id = t.id AND {review}), \
         (SELECT COUNT(*) FROM votes v WHERE v.tool_id = t.id AND v.status = 'COUNTED' AND v.verdict = 'SHIP'), \
         (SELECT COUNT(*) FROM votes v WHERE v.tool_id = t.id AND v.status = 'COUNTED') \
         FROM tools t WHERE {tool} \
         ON CONFLICT (tool_id, day) DO UPDATE SET \
         panel_ship = excluded.panel_ship, panel_total = excluded.panel_total, \
         community_ship = excluded.community_ship, community_total = excluded.community_total \
         WHERE (score_snapshots.panel_ship, score_snapshots.panel_total, \
         score_snapshots.community_ship, score_snapshots.community_total) <> \
         (excluded.panel_ship, excluded.panel_total, excluded.community_ship, excluded.community_total)"
    )
}

/// Writes `day`'s snapshot of every published tool (rewriting those whose
/// tallies moved since); the number of rows written.
pub async fn record(db: &DatabaseConnection, day: NaiveDate) -> Result<u64, DbErr> {
    let result = db
        .execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            record_sql(),
            [day.format("%Y-%m-%d").to_string().into()],
        ))
        .await?;
    Ok(result.rows_affected())
}

/// A tool's snapshots from `since` on, oldest first.
pub async fn of_tool(
    db: &DatabaseConnection,
    tool_id: i64,
    since: NaiveDate,
) -> Result<Vec<score_snapshot::Model>, DbErr> {
    score_snapshot::Entity::find()
        .filter(score_snapshot::Column::ToolId.eq(tool_id))
        .filter(score_snapshot::Column::Day.gte(since.format("%Y-%m-%d").to_string()))
        .order_by_asc(score_snapshot::Column::Day)
        .all(db)
        .await
}

/// The first day each of these tools had at least `min_votes` readers'
/// votes in its snapshots (the day its readers' score became available),
/// as `YYYY-MM-DD`; tools that never had are left out.
pub async fn first_days_with_votes(
    db: &DatabaseConnection,
    tool_ids: &[i64],
    min_votes: u32,
) -> Result<Vec<(i64, String)>, DbErr> {
    score_snapshot::Entity::find()
        .select_only()
        .column(score_snapshot::Column::ToolId)
        .expr(Func::min(Expr::col(score_snapshot::Column::Day)))
        .filter(score_snapshot::Column::ToolId.is_in(tool_ids.iter().copied()))
        .filter(score_snapshot::Column::CommunityTotal.gte(min_votes as i32))
        .group_by(score_snapshot::Column::ToolId)
        .into_tuple()
        .all(db)
        .await
}

/// Records today's snapshot now and then every `every`, until dropped.
pub async fn watch(db: DatabaseConnection, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    loop {
        ticks.tick().await;
        if let Err(error) = record(&db, Utc::now().date_naive()).await {
            tracing::warn!(%error, "the score history was not recorded");
        }
    }
}
