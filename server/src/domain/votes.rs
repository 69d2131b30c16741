//! Readers' votes and picks: one vote per voter and tool (a new one replaces
//! the old; it can be withdrawn), one pick per voter and pair of tools. Every
//! change is rate limited per voter and per address and logged as an event.
//! Votes are written in batches by one task (`VoteWriter`).

use std::{collections::HashMap, net::IpAddr, sync::Arc};

use chrono::{DateTime, SubsecRound, Utc};
use entities::{comparison, pick, tool, vote, vote_event, Verdict, VoteStatus};
use sea_orm::DbErr;
use sea_orm::{
    sea_query::OnConflict, ActiveEnum, ActiveValue::NotSet, ColumnTrait, Condition,
    ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set, TransactionTrait,
};
use tokio::sync::{mpsc, oneshot};

use crate::changes::LocalWrites;
use crate::domain::{
    catalogue,
    rate_limit::{self, runs, Limit},
    scores,
};
use crate::error::AppError;

/// Who is voting: the signed voter id and the client's address.
#[derive(Debug, Clone)]
pub struct Reader {
    /// The voter id from the signed cookie, or a partner's user
    /// ([`Partner::voter`]).
    pub voter: String,
    /// Where the request came from, when known: an IPv4 address or an IPv6
    /// /64 network (`ClientAddress`), as every limit and rule counts it.
    pub address: Option<IpAddr>,
    /// The partner app voting for one of its users, if any.
    pub partner: Option<Partner>,
}

/// A partner app (an API token) voting on behalf of its own users.
#[derive(Debug, Clone, Copy)]
pub struct Partner {
    /// The token's id.
    pub token_id: i64,
    /// Votes per hour the app may cast.
    pub quota: u32,
    /// An editor switched its votes off: they are stored, set aside.
    pub votes_off: bool,
}

/// Votes per hour a partner app may cast when its token sets no quota.
pub const DEFAULT_PARTNER_QUOTA: u32 = 3_600;

/// The counting rule for the site's readers: at most `network_quota` new
/// voters per client network (IPv4 address or IPv6 /64) per tool per
/// window count; the rest are held for editors (a trigger decides, in the
/// writing transaction: migration 11).
#[derive(Debug, Clone, Copy)]
pub struct CountingRules {
    /// New voters per network, tool and window that count (0: no rule).
    pub network_quota: u32,
    /// The window's length in seconds.
    pub window_secs: u32,
}

impl CountingRules {
    /// The window `now` falls in (Unix seconds), when the rule is on.
    fn window_start(&self, now: DateTime<Utc>) -> Option<i64> {
        (self.network_quota > 0).then(|| {
            let window = i64::from(self.window_secs.max(1));
            let t = now.timestamp();
            t - t.rem_euclid(window)
        })
    }

    /// Writes the quota where the hold trigger reads it (only when it
    /// differs: a settings change ends every kept answer).
    pub async fn store(&self, db: &DatabaseConnection) -> Result<(), DbErr> {
        use entities::setting;
        use migration::m20261206_000011_vote_integrity::QUOTA_SETTING;
        let stored = setting::Entity::find_by_id(QUOTA_SETTING).one(db).await?;
        let wanted = (self.network_quota > 0).then(|| self.network_quota.to_string());
        if stored.as_ref().map(|s| &s.value) == wanted.as_ref() {
            return Ok(());
        }
        match wanted {
            Some(value) => {
                setting::Entity::insert(setting::ActiveModel {
                    key: Set(QUOTA_SETTING.to_owned()),
                    value: Set(value),
                })
                .on_conflict(
                    OnConflict::column(setting::Column::Key)
                        .update_column(setting::Column::Value)
                        .to_owned(),
                )
                .exec_without_returning(db)
                .await?;
            }
            None => {
                setting::Entity::delete_by_id(QUOTA_SETTING)
                    .exec(db)
                    .await?;
            }
        }
        Ok(())
    }
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
    fn voter(&self) -> Limit {
        Limit {
            scope: "vote-voter",
            max: self.per_voter,
            window_secs: self.window_secs,
        }
    }

    fn address(&self) -> Limit {
        Limit {
            scope: "vote-address",
            max: self.per_address,
            window_secs: self.window_secs,
        }
    }

    /// A partner app's own quota, per hour, whoever its users are.
    fn partner(quota: u32) -> Limit {
        Limit {
            scope: "vote-app",
            max: quota,
            window_secs: 3_600,
        }
    }

    /// [`VoteLimits::check`] for each job in turn, set-wise: the voter's
    /// limit first; the address's counts only what passed it.
    async fn check_many<C: ConnectionTrait>(
        &self,
        db: &C,
        jobs: &[Job],
    ) -> Result<Vec<Result<(), AppError>>, AppError> {
        let voter = self.voter();
        let by_voter: Vec<(&str, Option<i64>)> = jobs
            .iter()
            .map(|job| (job.reader.voter.as_str(), Some(job.tool_id)))
            .collect();
        let mut outcomes = rate_limit::hit_many(db, voter, &by_voter).await?;
        // A partner's votes all come from its server: its own quota counts
        // them, not its address's.
        let mut by_app: HashMap<u32, Vec<(usize, String)>> = HashMap::new();
        for (i, job) in jobs.iter().enumerate() {
            if let (Some(partner), true) = (job.reader.partner, outcomes[i].is_ok()) {
                by_app
                    .entry(partner.quota)
                    .or_default()
                    .push((i, partner.token_id.to_string()));
            }
        }
        for (quota, requests) in by_app {
            let keys: Vec<(&str, Option<i64>)> = requests
                .iter()
                .map(|(i, key)| (key.as_str(), Some(jobs[*i].tool_id)))
                .collect();
            let refusals = rate_limit::hit_many(db, Self::partner(quota), &keys).await?;
            for ((i, _), outcome) in requests.iter().zip(refusals) {
                if outcome.is_err() {
                    outcomes[*i] = outcome;
                }
            }
        }
        let addresses: Vec<(usize, String)> = jobs
            .iter()
            .enumerate()
            .filter(|(i, job)| outcomes[*i].is_ok() && job.reader.partner.is_none())
            .filter_map(|(i, job)| job.reader.address.map(|a| (i, a.to_string())))
            .collect();
        let by_address = self.address();
        let requests: Vec<(&str, Option<i64>)> = addresses
            .iter()
            .map(|(i, address)| (address.as_str(), Some(jobs[*i].tool_id)))
            .collect();
        let refusals = rate_limit::hit_many(db, by_address, &requests).await?;
        for ((i, _), outcome) in addresses.iter().zip(refusals) {
            if outcome.is_err() {
                outcomes[*i] = outcome;
            }
        }
        Ok(outcomes)
    }

    async fn check<C: ConnectionTrait>(
        &self,
        db: &C,
        reader: &Reader,
        tool_id: Option<i64>,
    ) -> Result<(), AppError> {
        let voter = self.voter();
        rate_limit::hit(db, voter, &reader.voter, tool_id).await?;
        if let Some(partner) = reader.partner {
            let key = partner.token_id.to_string();
            rate_limit::hit(db, Self::partner(partner.quota), &key, tool_id).await?;
        } else if let Some(address) = reader.address {
            let by_address = self.address();
            rate_limit::hit(db, by_address, &address.to_string(), tool_id).await?;
        }
        Ok(())
    }
}

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// Votes waiting for the writer at most; more wait for room.
const QUEUE: usize = 4096;
/// Votes written in one transaction at most.
const MAX_BATCH: usize = 256;

/// Writes readers' votes. Votes that arrive together are written together,
/// in one transaction (one commit, one disk flush), by one task: each is
/// rate limited, stored and logged exactly as if it were alone, and its
/// reader gets an answer only once the transaction has committed. If a batch
/// fails, each of its votes is tried again on its own, so one bad vote never
/// costs the others theirs. The mutations waiting for a batch announce its
/// changes to the response cache (see [`crate::changes::announced`]); a
/// vote whose reader went away is noted as a local write instead.
#[derive(Clone)]
pub struct VoteWriter {
    jobs: mpsc::Sender<Job>,
}

/// One vote waiting to be written.
struct Job {
    tool_id: i64,
    reader: Reader,
    verdict: Option<Verdict>,
    reply: oneshot::Sender<Result<scores::Tally, AppError>>,
}

impl VoteWriter {
    /// The writer's queue, and the task that writes what comes through it:
    /// votes wait in the queue until the server starts the task.
    pub fn new(
        db: DatabaseConnection,
        limits: VoteLimits,
        rules: CountingRules,
        local: Arc<LocalWrites>,
    ) -> (Self, impl std::future::Future<Output = ()> + Send + 'static) {
        let (jobs, queue) = mpsc::channel(QUEUE);
        let writer = crate::changes::announced(write_votes(db, limits, rules, local, queue));
        (VoteWriter { jobs }, writer)
    }

    async fn write(
        &self,
        tool_id: i64,
        reader: &Reader,
        verdict: Option<Verdict>,
    ) -> Result<scores::Tally, AppError> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            tool_id,
            reader: reader.clone(),
            verdict,
            reply,
        };
        let stopped = || AppError::Internal(anyhow::anyhow!("the vote writer has stopped"));
        self.jobs.send(job).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

async fn write_votes(
    db: DatabaseConnection,
    limits: VoteLimits,
    rules: CountingRules,
    local: Arc<LocalWrites>,
    mut queue: mpsc::Receiver<Job>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while queue.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let jobs = std::mem::take(&mut batch);
        // A reader who went away no longer announces what their vote
        // changes: noted before the commit, so the next lookups read the log.
        if jobs.iter().any(|job| job.reply.is_closed()) {
            local.wrote();
        }
        match write_batch(&db, &limits, &rules, &jobs).await {
            Ok(outcomes) => reply(jobs, outcomes, &local),
            Err(error) if jobs.len() > 1 => {
                tracing::warn!(%error, votes = jobs.len(), "a batch of votes failed; writing each alone");
                for job in jobs {
                    let outcome = write_batch(&db, &limits, &rules, std::slice::from_ref(&job))
                        .await
                        .and_then(|mut outcomes| {
                            outcomes.pop().ok_or_else(|| {
                                AppError::Internal(anyhow::anyhow!(
                                    "a vote was left without an outcome"
                                ))
                            })
                        })
                        .and_then(|outcome| outcome);
                    if job.reply.send(outcome).is_err() {
                        local.wrote();
                    }
                }
            }
            Err(error) => reply(jobs, vec![Err(error)], &local),
        }
    }
}

fn reply(jobs: Vec<Job>, outcomes: Vec<Result<scores::Tally, AppError>>, local: &LocalWrites) {
    for (job, outcome) in jobs.into_iter().zip(outcomes) {
        // A reader who went away still has their vote: it is committed,
        // and nobody announces it.
        if job.reply.send(outcome).is_err() {
            local.wrote();
        }
    }
}

/// Writes `jobs` in one transaction, a few statements for every 32 of them
/// (rate limits, votes, withdrawals, the event log, the new tallies), with
/// the outcome each would have had alone and in order; or the error that stopped the whole batch (nothing of it is then
/// written).
async fn write_batch(
    db: &DatabaseConnection,
    limits: &VoteLimits,
    rules: &CountingRules,
    jobs: &[Job],
) -> Result<Vec<Result<scores::Tally, AppError>>, AppError> {
    let now = now();
    let window_start = rules.window_start(now);
    let txn = db.begin().await?;
    let passed = limits.check_many(&txn, jobs).await?;
    let accepted: Vec<&Job> = jobs
        .iter()
        .zip(&passed)
        .filter(|(_, outcome)| outcome.is_ok())
        .map(|(job, _)| job)
        .collect();
    // Each reader's last word on each tool is what stays.
    let mut last: HashMap<(i64, &str), &Job> = HashMap::new();
    let mut order = Vec::new();
    for job in &accepted {
        let pair = (job.tool_id, job.reader.voter.as_str());
        if last.insert(pair, job).is_none() {
            order.push(pair);
        }
    }
    // A partner app's new votes are stored set aside while an editor has
    // its votes switched off: read here, in the writing transaction.
    let mut partners: Vec<i64> = accepted
        .iter()
        .filter_map(|job| job.reader.partner.map(|p| p.token_id))
        .collect();
    partners.sort_unstable();
    partners.dedup();
    let off = crate::domain::integrity::partners_off(&txn, &partners).await?;
    // By tool: every vote updates its tool's kept tally row (a trigger), and
    // writers that lock those rows in one order cannot deadlock each other.
    order.sort_unstable();
    let (mut upserts, mut withdrawals) = (Vec::new(), Vec::new());
    for pair in order {
        let job = last[&pair];
        let Some(verdict) = job.verdict else {
            withdrawals.push(pair);
            continue;
        };
        // A new vote's status and window; a changed one keeps its own (the
        // upsert updates only the verdict and the time).
        let (network, window, status, token) = match job.reader.partner {
            Some(partner) => (
                None,
                None,
                if off
                    .get(&partner.token_id)
                    .copied()
                    .unwrap_or(partner.votes_off)
                {
                    VoteStatus::Rejected
                } else {
                    VoteStatus::Counted
                },
                Some(partner.token_id),
            ),
            None => {
                let network = job
                    .reader
                    .address
                    .map(|a| crate::caller::ClientAddress(Some(a)).to_string());
                let window = network.as_ref().and(window_start);
                (network, window, VoteStatus::Counted, None)
            }
        };
        upserts.push(vote::ActiveModel {
            id: NotSet,
            tool_id: Set(pair.0),
            voter: Set(pair.1.to_owned()),
            verdict: Set(verdict),
            created_at: Set(now),
            updated_at: Set(now),
            status: Set(status),
            network: Set(network),
            window_start: Set(window),
            hold_id: Set(None),
            token_id: Set(token),
        });
    }
    for run in runs(&upserts) {
        vote::Entity::insert_many(run.iter().cloned())
            .on_conflict(
                OnConflict::columns([vote::Column::ToolId, vote::Column::Voter])
                    .update_columns([vote::Column::Verdict, vote::Column::UpdatedAt])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    for run in runs(&withdrawals) {
        let mut which = Condition::any();
        for (tool_id, voter) in run {
            which = which.add(
                Condition::all()
                    .add(vote::Column::ToolId.eq(*tool_id))
                    .add(vote::Column::Voter.eq(*voter)),
            );
        }
        vote::Entity::delete_many().filter(which).exec(&txn).await?;
    }
    for run in runs(&accepted) {
        let events = run.iter().map(|job| vote_event::ActiveModel {
            id: NotSet,
            tool_id: Set(job.tool_id),
            voter: Set(job.reader.voter.clone()),
            action: Set(job
                .verdict
                .map_or_else(|| "WITHDRAW".to_owned(), |v| v.to_value())),
            address: Set(job.reader.address.map(|a| a.to_string())),
            created_at: Set(now),
        });
        vote_event::Entity::insert_many(events)
            .exec_without_returning(&txn)
            .await?;
    }
    let mut tools: Vec<i64> = accepted.iter().map(|job| job.tool_id).collect();
    tools.sort_unstable();
    tools.dedup();
    let mut tallies = HashMap::new();
    for run in runs(&tools) {
        tallies.extend(scores::community_tallies(&txn, run).await?);
    }
    txn.commit().await?;
    Ok(jobs
        .iter()
        .zip(passed)
        .map(|(job, outcome)| {
            outcome.map(|()| tallies.get(&job.tool_id).copied().unwrap_or_default())
        })
        .collect())
}

/// Records the reader's verdict on a published tool (`None` withdraws it)
/// and returns the tool's new tally.
pub async fn cast_vote(
    db: &DatabaseConnection,
    writer: &VoteWriter,
    reader: &Reader,
    tool_slug: &str,
    verdict: Option<Verdict>,
) -> Result<(i64, scores::Tally), AppError> {
    let tool = catalogue::tools::published(db, tool_slug)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "tool",
            key: tool_slug.to_owned(),
        })?;
    let tally = writer.write(tool.id, reader, verdict).await?;
    Ok((tool.id, tally))
}

/// Records the reader's pick of one of a public comparison's two tools and
/// returns the comparison (for its new head-to-head). The pick is the pair's:
/// the pair's ad hoc page shows it too.
pub async fn pick(
    db: &DatabaseConnection,
    limits: &VoteLimits,
    reader: &Reader,
    comparison_slug: &str,
    tool_slug: &str,
) -> Result<comparison::Model, AppError> {
    let comparison = catalogue::comparisons::published(db, comparison_slug)
        .await?
        .ok_or_else(|| AppError::NotFound {
            what: "comparison",
            key: comparison_slug.to_owned(),
        })?;
    let tool = catalogue::tools::published(db, tool_slug).await?;
    let tool_id = tool
        .map(|t| t.id)
        .filter(|id| *id == comparison.left_tool_id || *id == comparison.right_tool_id)
        .ok_or_else(|| {
            AppError::validation(
                "tool",
                format!("`{tool_slug}` is not one of the two tools of `{comparison_slug}`"),
            )
        })?;
    record_pick(
        db,
        limits,
        reader,
        (comparison.left_tool_id, comparison.right_tool_id),
        tool_id,
    )
    .await?;
    Ok(comparison)
}

/// Records the reader's pick between any two published tools (`tools`, in
/// the order the page shows them) and returns the two, in that order.
pub async fn pick_between(
    db: &DatabaseConnection,
    limits: &VoteLimits,
    reader: &Reader,
    tools: &[String],
    tool_slug: &str,
) -> Result<(tool::Model, tool::Model), AppError> {
    let [left, right] = tools else {
        return Err(AppError::validation(
            "tools",
            format!("name exactly two tools (got {})", tools.len()),
        ));
    };
    if left == right {
        return Err(AppError::validation("tools", "name two different tools"));
    }
    let mut found = Vec::with_capacity(2);
    for slug in [left, right] {
        let tool = catalogue::tools::published(db, slug)
            .await?
            .ok_or_else(|| AppError::NotFound {
                what: "tool",
                key: slug.clone(),
            })?;
        found.push(tool);
    }
    let right_tool = found
        .pop()
        .unwrap_or_else(|| unreachable!("two tools were found"));
    let left_tool = found
        .pop()
        .unwrap_or_else(|| unreachable!("two tools were found"));
    let tool_id = [&left_tool, &right_tool]
        .into_iter()
        .find(|t| t.slug == tool_slug)
        .map(|t| t.id)
        .ok_or_else(|| {
            AppError::validation(
                "tool",
                format!("`{tool_slug}` is not one of the two tools, `{left}` and `{right}`"),
            )
        })?;
    record_pick(db, limits, reader, (left_tool.id, right_tool.id), tool_id).await?;
    Ok((left_tool, right_tool))
}

/// Stores the reader's pick of `tool_id` between the two tools of `pair`,
/// replacing their earlier pick between the two, within the vote limits.
async fn record_pick(
    db: &DatabaseConnection,
    limits: &VoteLimits,
    reader: &Reader,
    pair: (i64, i64),
    tool_id: i64,
) -> Result<(), AppError> {
    limits.check(db, reader, Some(tool_id)).await?;
    let (low, high) = pick::pair(pair.0, pair.1);
    let now = now();
    pick::Entity::insert(pick::ActiveModel {
        id: NotSet,
        low_tool_id: Set(low),
        high_tool_id: Set(high),
        voter: Set(reader.voter.clone()),
        tool_id: Set(tool_id),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::columns([
            pick::Column::LowToolId,
            pick::Column::HighToolId,
            pick::Column::Voter,
        ])
        .update_columns([pick::Column::ToolId, pick::Column::UpdatedAt])
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
