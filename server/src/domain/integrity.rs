//! The integrity ledger: what the counting rules set aside and what was
//! decided about it, per tool and site-wide. Votes are held by a trigger as
//! they are written (migration 11, [`super::votes::CountingRules`]); here
//! editors release or reject them, the expiry rule rejects what no editor
//! decided, and partner apps' votes are switched off and on. Every decision
//! is one transaction: the votes' status changes (the kept tallies follow
//! by trigger) and a `vote_decisions` row says who, when and why.

use std::collections::HashMap;

use chrono::{DateTime, Duration, SubsecRound, TimeZone, Utc};
use entities::{api_token, tool, vote, vote_decision, vote_window, VoteStatus};
use sea_orm::{
    sea_query::{Expr, ExprTrait},
    ActiveValue::NotSet,
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use crate::error::AppError;

/// Longest reason an editor may give.
pub const MAX_REASON: usize = 500;

/// What may be decided about a window's held votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// They count.
    Release,
    /// They are set aside for good.
    Reject,
}

impl Decision {
    fn status(self) -> VoteStatus {
        match self {
            Decision::Release => VoteStatus::Counted,
            Decision::Reject => VoteStatus::Rejected,
        }
    }

    fn code(self) -> &'static str {
        match self {
            Decision::Release => "RELEASE",
            Decision::Reject => "REJECT",
        }
    }
}

/// The counting rule in force, as readers are told it.
#[derive(Debug, Clone, Copy)]
pub struct Rules {
    /// New voters per network, tool and window that count (0: no rule).
    pub network_quota: u32,
    /// The window, in seconds.
    pub window_secs: u32,
    /// Days held votes wait for an editor (0: for ever).
    pub expire_days: u32,
}

impl Rules {
    /// The rule in words: "at most 10 new voters from one network per tool per hour".
    pub fn describe(&self) -> String {
        if self.network_quota == 0 {
            return "every vote counts (no network rule is set)".to_owned();
        }
        format!(
            "at most {} new voter{} from one network (an IPv4 address or an IPv6 /64) \
             per tool per {} count; further votes are held until an editor releases or \
             rejects them{}",
            self.network_quota,
            if self.network_quota == 1 { "" } else { "s" },
            span(i64::from(self.window_secs)),
            if self.expire_days == 0 {
                String::new()
            } else {
                format!(
                    ", and are rejected if no editor has decided within {} day{}",
                    self.expire_days,
                    if self.expire_days == 1 { "" } else { "s" }
                )
            }
        )
    }
}

/// "hour", "10 minutes", "minute", "90 seconds".
pub fn span(secs: i64) -> String {
    match secs {
        3600 => "hour".to_owned(),
        60 => "minute".to_owned(),
        86_400 => "day".to_owned(),
        s if s % 3600 == 0 => format!("{} hours", s / 3600),
        s if s % 60 == 0 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

/// Votes by source (the site, or one partner app) and status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceCount {
    /// The partner app's token, or `None` for the site's readers.
    pub token_id: Option<i64>,
    /// The app's name (`None` for the site).
    pub name: Option<String>,
    /// Whether an editor switched the app's votes off.
    pub switched_off: bool,
    pub counted: u64,
    pub held: u64,
    pub rejected: u64,
}

/// Votes per source of each of these tools, in two statements.
pub async fn by_source(
    db: &DatabaseConnection,
    tool_ids: &[i64],
) -> Result<HashMap<i64, Vec<SourceCount>>, DbErr> {
    let rows: Vec<(i64, Option<i64>, VoteStatus, i64)> = vote::Entity::find()
        .select_only()
        .column(vote::Column::ToolId)
        .column(vote::Column::TokenId)
        .column(vote::Column::Status)
        .column_as(vote::Column::Id.count(), "count")
        .filter(vote::Column::ToolId.is_in(tool_ids.iter().copied()))
        .group_by(vote::Column::ToolId)
        .group_by(vote::Column::TokenId)
        .group_by(vote::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    let mut token_ids: Vec<i64> = rows.iter().filter_map(|r| r.1).collect();
    token_ids.sort_unstable();
    token_ids.dedup();
    let tokens: HashMap<i64, api_token::Model> = if token_ids.is_empty() {
        HashMap::new()
    } else {
        api_token::Entity::find()
            .filter(api_token::Column::Id.is_in(token_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect()
    };
    let mut all: HashMap<i64, Vec<SourceCount>> = HashMap::new();
    for (tool_id, token_id, status, count) in rows {
        let sources = all.entry(tool_id).or_default();
        let at = match sources.iter().position(|s| s.token_id == token_id) {
            Some(at) => at,
            None => {
                let token = token_id.and_then(|id| tokens.get(&id));
                sources.push(SourceCount {
                    token_id,
                    name: token.map(|t| t.name.clone()),
                    switched_off: token.is_some_and(|t| t.votes_off_at.is_some()),
                    ..SourceCount::default()
                });
                sources.len() - 1
            }
        };
        let count = u64::try_from(count).unwrap_or(0);
        match status {
            VoteStatus::Counted => sources[at].counted += count,
            VoteStatus::Held => sources[at].held += count,
            VoteStatus::Rejected => sources[at].rejected += count,
        }
    }
    for sources in all.values_mut() {
        // The site first, then apps by name.
        sources
            .sort_by(|a, b| (a.token_id.is_some(), &a.name).cmp(&(b.token_id.is_some(), &b.name)));
    }
    Ok(all)
}

/// A window that held votes, with its decisions (newest first).
#[derive(Debug, Clone)]
pub struct HeldWindow {
    pub window: vote_window::Model,
    pub decisions: Vec<vote_decision::Model>,
}

impl HeldWindow {
    /// `PENDING` while votes wait; else what became of them.
    pub fn status(&self) -> WindowStatus {
        let w = &self.window;
        if w.held > 0 {
            WindowStatus::Pending
        } else if w.released + w.rejected == 0 {
            WindowStatus::Withdrawn
        } else if w.rejected > 0 && w.released > 0 {
            WindowStatus::Mixed
        } else if w.released > 0 {
            WindowStatus::Released
        } else if self.decisions.iter().any(|d| d.decision == "EXPIRE")
            && !self.decisions.iter().any(|d| d.decision == "REJECT")
        {
            WindowStatus::Expired
        } else {
            WindowStatus::Rejected
        }
    }

    /// When the window started.
    pub fn started_at(&self) -> DateTime<Utc> {
        Utc.timestamp_opt(self.window.window_start, 0)
            .single()
            .unwrap_or_default()
    }

    /// Every vote of the window the rule set aside (held, released,
    /// rejected, or withdrawn since by its voter).
    pub fn set_aside(&self) -> i64 {
        let w = &self.window;
        w.held + w.released + w.rejected + w.withdrawn
    }
}

/// What became of a window's held votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowStatus {
    Pending,
    Released,
    Rejected,
    Expired,
    Mixed,
    /// Their voters withdrew every one before a decision.
    Withdrawn,
}

/// Windows that held votes, newest first: of one tool, or (`None`) of
/// every tool; `before` pages on by window id. Two statements.
pub async fn held_windows(
    db: &DatabaseConnection,
    tool_id: Option<i64>,
    first: u64,
    before: Option<i64>,
) -> Result<Vec<HeldWindow>, DbErr> {
    let mut query = vote_window::Entity::find().filter(
        Expr::col(vote_window::Column::Held)
            .add(Expr::col(vote_window::Column::Released))
            .add(Expr::col(vote_window::Column::Rejected))
            .add(Expr::col(vote_window::Column::Withdrawn))
            .gt(0),
    );
    if let Some(tool_id) = tool_id {
        query = query.filter(vote_window::Column::ToolId.eq(tool_id));
    }
    if let Some(before) = before {
        query = query.filter(vote_window::Column::Id.lt(before));
    }
    let windows = query
        .order_by_desc(vote_window::Column::Id)
        .limit(first)
        .all(db)
        .await?;
    with_decisions(db, windows).await
}

/// One window that held votes.
pub async fn held_window(db: &DatabaseConnection, id: i64) -> Result<Option<HeldWindow>, DbErr> {
    let Some(window) = vote_window::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    if window.held + window.released + window.rejected + window.withdrawn == 0 {
        return Ok(None);
    }
    Ok(with_decisions(db, vec![window]).await?.pop())
}

async fn with_decisions(
    db: &DatabaseConnection,
    windows: Vec<vote_window::Model>,
) -> Result<Vec<HeldWindow>, DbErr> {
    if windows.is_empty() {
        return Ok(Vec::new());
    }
    let mut decisions: HashMap<i64, Vec<vote_decision::Model>> = HashMap::new();
    for decision in vote_decision::Entity::find()
        .filter(vote_decision::Column::WindowId.is_in(windows.iter().map(|w| w.id)))
        .order_by_desc(vote_decision::Column::Id)
        .all(db)
        .await?
    {
        if let Some(window) = decision.window_id {
            decisions.entry(window).or_default().push(decision);
        }
    }
    Ok(windows
        .into_iter()
        .map(|window| HeldWindow {
            decisions: decisions.remove(&window.id).unwrap_or_default(),
            window,
        })
        .collect())
}

/// Decisions site-wide, newest first (`before`: a decision id to page on).
pub async fn decisions(
    db: &DatabaseConnection,
    first: u64,
    before: Option<i64>,
) -> Result<Vec<vote_decision::Model>, DbErr> {
    let mut query = vote_decision::Entity::find();
    if let Some(before) = before {
        query = query.filter(vote_decision::Column::Id.lt(before));
    }
    query
        .order_by_desc(vote_decision::Column::Id)
        .limit(first)
        .all(db)
        .await
}

fn check_reason(reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty()
        || reason.chars().count() > MAX_REASON
        || reason.chars().any(|c| c.is_control() && c != '\n')
    {
        return Err(AppError::validation(
            "reason",
            format!("say why, in 1 to {MAX_REASON} characters (readers see it in the ledger)"),
        ));
    }
    Ok(reason.to_owned())
}

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Releases or rejects the votes `window` still holds, as `editor_id`,
/// and records the decision. `CONFLICT` when it holds none.
pub async fn decide(
    db: &DatabaseConnection,
    editor_id: i64,
    window_id: i64,
    decision: Decision,
    reason: &str,
) -> Result<HeldWindow, AppError> {
    let reason = check_reason(reason)?;
    let txn = db.begin().await?;
    let window = vote_window::Entity::find_by_id(window_id)
        .one(&txn)
        .await?
        .filter(|w| w.held + w.released + w.rejected + w.withdrawn > 0)
        .ok_or_else(|| AppError::NotFound {
            what: "held vote window",
            key: window_id.to_string(),
        })?;
    let moved = settle(&txn, Some(window.id), decision.status()).await?;
    if moved == 0 {
        return Err(AppError::Conflict(format!(
            "window {window_id} holds no votes now: nothing to {}",
            match decision {
                Decision::Release => "release",
                Decision::Reject => "reject",
            }
        )));
    }
    record(
        &txn,
        Some(window.id),
        Some(window.tool_id),
        None,
        decision.code(),
        moved,
        &reason,
        Some(editor_id),
    )
    .await?;
    txn.commit().await?;
    held_window(db, window_id)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("a decided window went away")))
}

/// Moves the held votes of `window` to `status`; how many moved.
async fn settle<C: ConnectionTrait>(
    db: &C,
    window: Option<i64>,
    status: VoteStatus,
) -> Result<u64, DbErr> {
    Ok(vote::Entity::update_many()
        .col_expr(vote::Column::Status, Expr::value(status))
        .filter(vote::Column::HoldId.eq(window))
        .filter(vote::Column::Status.eq(VoteStatus::Held))
        .exec(db)
        .await?
        .rows_affected)
}

#[allow(clippy::too_many_arguments)]
async fn record<C: ConnectionTrait>(
    db: &C,
    window_id: Option<i64>,
    tool_id: Option<i64>,
    token_id: Option<i64>,
    decision: &str,
    votes: u64,
    reason: &str,
    editor_id: Option<i64>,
) -> Result<(), DbErr> {
    vote_decision::Entity::insert(vote_decision::ActiveModel {
        id: NotSet,
        window_id: Set(window_id),
        token_id: Set(token_id),
        tool_id: Set(tool_id),
        decision: Set(decision.to_owned()),
        votes: Set(i64::try_from(votes).unwrap_or(i64::MAX)),
        reason: Set(reason.to_owned()),
        editor_id: Set(editor_id),
        decided_at: Set(now()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Rejects, by rule, the votes held longer than `days` days in windows no
/// editor decided. Returns how many votes it rejected.
pub async fn expire(db: &DatabaseConnection, days: u32, now: DateTime<Utc>) -> Result<u64, DbErr> {
    if days == 0 {
        return Ok(0);
    }
    let cutoff = (now - Duration::days(i64::from(days))).timestamp();
    let stale: Vec<vote_window::Model> = vote_window::Entity::find()
        .filter(vote_window::Column::Held.gt(0))
        .filter(vote_window::Column::WindowStart.lt(cutoff))
        .limit(500)
        .all(db)
        .await?;
    let mut total = 0;
    for window in stale {
        let txn = db.begin().await?;
        let moved = settle(&txn, Some(window.id), VoteStatus::Rejected).await?;
        if moved > 0 {
            let reason = format!(
                "No editor decided within {days} day{}: set aside by rule.",
                if days == 1 { "" } else { "s" }
            );
            record(
                &txn,
                Some(window.id),
                Some(window.tool_id),
                None,
                "EXPIRE",
                moved,
                &reason,
                None,
            )
            .await?;
        }
        txn.commit().await?;
        total += moved;
    }
    Ok(total)
}

/// Switches a partner app's votes off (they are set aside, and new ones are
/// stored set aside) or back on (they count again), and records it.
pub async fn switch_partner_votes(
    db: &DatabaseConnection,
    editor_id: i64,
    token_id: i64,
    counted: bool,
    reason: &str,
) -> Result<(api_token::Model, Vec<i64>), AppError> {
    let reason = check_reason(reason)?;
    let txn = db.begin().await?;
    let token = api_token::Entity::find_by_id(token_id)
        .one(&txn)
        .await?
        .filter(|token| token.partner)
        .ok_or_else(|| AppError::NotFound {
            what: "partner app token",
            key: token_id.to_string(),
        })?;
    if token.votes_off_at.is_none() == counted {
        return Err(AppError::Conflict(format!(
            "the votes of `{}` are already {}",
            token.name,
            if counted { "on" } else { "off" }
        )));
    }
    let (from, to, decision) = if counted {
        (VoteStatus::Rejected, VoteStatus::Counted, "SOURCE_ON")
    } else {
        (VoteStatus::Counted, VoteStatus::Rejected, "SOURCE_OFF")
    };
    // The token first: the vote writer reads it (shared) in its own
    // transaction, so a vote in flight is written either before this (and
    // moved below) or after it (and stored with the new status).
    let off_at = if counted { None } else { Some(now()) };
    api_token::Entity::update_many()
        .col_expr(api_token::Column::VotesOffAt, Expr::value(off_at))
        .filter(api_token::Column::Id.eq(token_id))
        .exec(&txn)
        .await?;
    // The tools whose tallies move, their rows locked in id order as the
    // vote writer locks them (on PostgreSQL), so the two cannot deadlock.
    let lock = if txn.get_database_backend() == sea_orm::DbBackend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    let tools: Vec<i64> = txn
        .query_all_raw(sea_orm::Statement::from_sql_and_values(
            txn.get_database_backend(),
            format!(
                "SELECT tool_id FROM tool_tallies WHERE tool_id IN \
                 (SELECT DISTINCT tool_id FROM votes WHERE token_id = $1) ORDER BY tool_id{lock}"
            ),
            [token_id.into()],
        ))
        .await?
        .into_iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect::<Result<_, _>>()?;
    // A partner's votes are never held (no network rule applies to them),
    // so switching moves exactly the ones the switch set aside.
    let moved = vote::Entity::update_many()
        .col_expr(vote::Column::Status, Expr::value(to))
        .filter(
            Condition::all()
                .add(vote::Column::TokenId.eq(token_id))
                .add(vote::Column::Status.eq(from))
                .add(vote::Column::HoldId.is_null()),
        )
        .exec(&txn)
        .await?
        .rows_affected;
    record(
        &txn,
        None,
        None,
        Some(token_id),
        decision,
        moved,
        &reason,
        Some(editor_id),
    )
    .await?;
    if moved == 0 {
        // No vote changed, but the ledger did: kept answers that list
        // decisions or sources end (`v` of no tool: any community score).
        txn.execute_unprepared("INSERT INTO content_changes (topic, subject) VALUES ('v', 0)")
            .await?;
    }
    txn.commit().await?;
    let token = api_token::Entity::find_by_id(token_id)
        .one(db)
        .await?
        .unwrap_or(token);
    Ok((token, tools))
}

/// Whether these partner apps' votes are switched off, read in the vote
/// writer's transaction (shared-locked on PostgreSQL, so a switch waits for
/// the votes being written, or they wait for it).
pub async fn partners_off<C: ConnectionTrait>(
    db: &C,
    token_ids: &[i64],
) -> Result<HashMap<i64, bool>, DbErr> {
    if token_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut query =
        api_token::Entity::find().filter(api_token::Column::Id.is_in(token_ids.iter().copied()));
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        query = query.lock_shared();
    }
    Ok(query
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.votes_off_at.is_some()))
        .collect())
}

/// The one honest line under a community score, or `None` when nothing of
/// the tool's was set aside: "12 votes from one network within an hour are
/// held for review · 30 were rejected".
pub fn summary(held: u32, rejected: u32, windows: &[HeldWindow], rules: &Rules) -> Option<String> {
    if held == 0 && rejected == 0 {
        return None;
    }
    let votes = |n: u32| {
        if n == 1 {
            "1 vote".to_owned()
        } else {
            format!("{n} votes")
        }
    };
    let pending: Vec<&HeldWindow> = windows
        .iter()
        .filter(|w| w.status() == WindowStatus::Pending)
        .collect();
    let mut parts = Vec::new();
    if held > 0 {
        let from = match pending.len() {
            1 => {
                // "within one hour", "within 10 minutes".
                let span = span(i64::from(rules.window_secs));
                let one = if span.starts_with(|c: char| c.is_ascii_digit()) {
                    ""
                } else {
                    "one "
                };
                format!(" from one network within {one}{span}")
            }
            0 => String::new(),
            n => format!(" from {n} networks"),
        };
        parts.push(format!(
            "{}{from} {} set aside, held for an editor's review",
            votes(held),
            if held == 1 { "was" } else { "were" }
        ));
    }
    if rejected > 0 {
        parts.push(format!(
            "{} {} rejected and never counted",
            votes(rejected),
            if rejected == 1 { "was" } else { "were" }
        ));
    }
    Some(parts.join(" · "))
}

/// Names of tools, for the site-wide ledger.
pub async fn tools_of(
    db: &DatabaseConnection,
    ids: &[i64],
) -> Result<HashMap<i64, tool::Model>, DbErr> {
    Ok(tool::Entity::find()
        .filter(tool::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect())
}

/// Forgets what the ledger no longer needs: counting rows of windows that
/// ended without holding anything, after `keep` (they only count new
/// voters while their window runs); and, past the vote log's retention,
/// the networks of votes and of windows (a window keeps its counts and
/// decisions, its network reads `expired`).
pub async fn prune(
    db: &DatabaseConnection,
    window_secs: u32,
    log_days: u32,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let now = now.timestamp();
    let ended = now - i64::from(window_secs) * 2;
    let mut pruned = vote_window::Entity::delete_many()
        .filter(vote_window::Column::WindowStart.lt(ended))
        .filter(vote_window::Column::Held.eq(0))
        .filter(vote_window::Column::Released.eq(0))
        .filter(vote_window::Column::Rejected.eq(0))
        .filter(vote_window::Column::Withdrawn.eq(0))
        .exec(db)
        .await?
        .rows_affected;
    if log_days > 0 {
        let cutoff = now - i64::from(log_days) * 86_400;
        let before = Utc.timestamp_opt(cutoff, 0).single().unwrap_or_default();
        pruned += vote::Entity::update_many()
            .col_expr(vote::Column::Network, Expr::value(Option::<String>::None))
            .filter(vote::Column::Network.is_not_null())
            .filter(vote::Column::CreatedAt.lt(before))
            .exec(db)
            .await?
            .rows_affected;
        // `expired:<id>` keeps the (tool, network, window) key unique.
        let expired: Vec<i64> = vote_window::Entity::find()
            .select_only()
            .column(vote_window::Column::Id)
            .filter(vote_window::Column::WindowStart.lt(cutoff))
            .filter(vote_window::Column::Network.not_like("expired:%"))
            .into_tuple()
            .all(db)
            .await?;
        for id in expired {
            pruned += vote_window::Entity::update_many()
                .col_expr(
                    vote_window::Column::Network,
                    Expr::value(format!("expired:{id}")),
                )
                .filter(vote_window::Column::Id.eq(id))
                .exec(db)
                .await?
                .rows_affected;
        }
    }
    Ok(pruned)
}

#[cfg(test)]
mod tests {
    use super::span;

    #[test]
    fn spans_read_as_words() {
        assert_eq!(span(3600), "hour");
        assert_eq!(span(600), "10 minutes");
        assert_eq!(span(7200), "2 hours");
        assert_eq!(span(90), "90 seconds");
    }
}
