//! The weekly verdicts: double opt-in subscription, confirmation and
//! unsubscribe links, and the digest. Every mail is written to the outbox in
//! the same transaction as the change that causes it; the mailer sends it.

use std::net::IpAddr;

use chrono::{DateTime, Datelike, Duration, Utc};
use entities::{comparison, outbox_mail, subscriber, MailKind, SubscriberStatus};
use sea_orm::{
    sea_query::OnConflict, ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait,
    DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, SqlErr,
    TransactionTrait,
};

use super::editors::{secret as token, secret_hash};
use super::rate_limit::{self, Limit};
use crate::error::AppError;

/// What the newsletter needs to know about this deployment.
#[derive(Debug, Clone)]
pub struct Mailing {
    /// The site's public address, without a trailing slash: links in mails.
    pub public_url: String,
    /// Sign-ups one client address may make per window.
    pub signup_limit: Limit,
    /// The least time between two confirmation mails to one address.
    pub resend_after: Duration,
    /// How long a confirmation link works.
    pub confirm_ttl: Duration,
}

impl Mailing {
    /// Settings with the given public address and the usual limits.
    pub fn new(public_url: &str, signups_per_hour: u32) -> Self {
        Mailing {
            public_url: public_url.trim_end_matches('/').to_owned(),
            signup_limit: Limit {
                scope: "signup-address",
                max: signups_per_hour,
                window_secs: 3600,
            },
            resend_after: Duration::minutes(10),
            confirm_ttl: Duration::days(7),
        }
    }

    fn link(&self, action: &str, token: &str) -> String {
        format!("{}/newsletter/{action}?token={token}", self.public_url)
    }
}

/// The message a reader sees after signing up, whatever happened: the page
/// never tells whether the address was already subscribed.
/// The same for every address, subscribed or not (the answer must not say
/// which addresses are on the list), and true in every case: a second
/// sign-up within ten minutes of a link writes no new mail.
pub const CHECK_YOUR_INBOX: &str =
    "Check your inbox: we sent a link to confirm your subscription. \
     Signing up again within ten minutes sends no new mail: the link we sent first still works. \
     If it does not arrive within a few minutes, look in your spam folder.";

/// What a sign-up did (never shown to the reader).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUp {
    /// A confirmation mail was written.
    ConfirmationWritten,
    /// Already confirmed, or a confirmation was written moments ago.
    NothingToDo,
}

/// A sign-up's outcome and the address as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedUp {
    /// What happened.
    pub outcome: SignUp,
    /// Trimmed, lower case.
    pub email: String,
}

/// Signs `email` up: stores it unconfirmed and writes a confirmation mail.
/// Subscribing again never adds a row: a pending address gets a new link
/// (at most every `resend_after`), an unsubscribed one starts over, and a
/// confirmed one is left alone.
pub async fn subscribe(
    db: &DatabaseConnection,
    mailing: &Mailing,
    email: &str,
    client: Option<IpAddr>,
) -> Result<SignedUp, AppError> {
    let email = super::email::normalise(email).ok_or_else(|| {
        AppError::validation("email", "enter an e-mail address such as name@example.com")
    })?;
    if let Some(client) = client {
        rate_limit::hit(db, mailing.signup_limit, &client.to_string(), None).await?;
    }
    let now = Utc::now();
    let txn = db.begin().await?;
    let existing = subscriber::Entity::find()
        .filter(subscriber::Column::Email.eq(&email))
        .one(&txn)
        .await?;
    let confirm = token();
    let mut row = match existing {
        None => {
            let inserted = subscriber::ActiveModel {
                email: Set(email.clone()),
                status: Set(SubscriberStatus::Pending),
                unsubscribe_token: Set(token()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await;
            match inserted {
                Ok(row) => row,
                // Someone signed the same address up at the same moment:
                // theirs stands and writes the one confirmation.
                Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
                    return Ok(SignedUp {
                        outcome: SignUp::NothingToDo,
                        email,
                    })
                }
                Err(e) => return Err(e.into()),
            }
        }
        Some(row) if row.status == SubscriberStatus::Confirmed => {
            return Ok(SignedUp {
                outcome: SignUp::NothingToDo,
                email,
            });
        }
        Some(row)
            if row.status == SubscriberStatus::Pending
                && row
                    .confirmation_sent_at
                    .is_some_and(|sent| now - sent < mailing.resend_after) =>
        {
            return Ok(SignedUp {
                outcome: SignUp::NothingToDo,
                email,
            });
        }
        Some(row) => row,
    };
    let mut change: subscriber::ActiveModel = row.clone().into();
    change.status = Set(SubscriberStatus::Pending);
    change.confirm_token_hash = Set(Some(secret_hash(&confirm)));
    change.confirm_expires_at = Set(Some(now + mailing.confirm_ttl));
    change.confirmation_sent_at = Set(Some(now));
    change.unsubscribed_at = Set(None);
    row = change.update(&txn).await?;
    let body = format!(
        "Hello,\n\n\
         someone (we hope you) asked to receive The Weekly Verdicts from Verdicts at this address.\n\n\
         Confirm your subscription by opening this link within seven days:\n\n\
         {confirm_link}\n\n\
         If you did not ask for it, ignore this mail: without confirmation you will get nothing more from us.\n\n\
         --\n\
         Unsubscribe: {unsubscribe_link}\n",
        confirm_link = mailing.link("confirm", &confirm),
        unsubscribe_link = mailing.link("unsubscribe", &row.unsubscribe_token),
    );
    write_mail(
        &txn,
        &row,
        MailKind::Confirmation,
        None,
        "Confirm your subscription to The Weekly Verdicts",
        body,
        mailing,
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(SignedUp {
        outcome: SignUp::ConfirmationWritten,
        email,
    })
}

/// Adds a mail for `to` to the outbox; `false` when `dedupe_key` was already
/// written.
#[allow(clippy::too_many_arguments)]
async fn write_mail(
    db: &impl ConnectionTrait,
    to: &subscriber::Model,
    kind: MailKind,
    dedupe_key: Option<String>,
    subject: &str,
    body: String,
    mailing: &Mailing,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let mail = outbox_mail::ActiveModel {
        subscriber_id: Set(Some(to.id)),
        kind: Set(kind),
        dedupe_key: Set(dedupe_key),
        to_address: Set(to.email.clone()),
        subject: Set(subject.to_owned()),
        body: Set(body),
        list_unsubscribe: Set(mailing.link("unsubscribe", &to.unsubscribe_token)),
        created_at: Set(now),
        attempts: Set(0),
        next_attempt_at: Set(now),
        ..Default::default()
    };
    let written = outbox_mail::Entity::insert(mail)
        .on_conflict(
            OnConflict::column(outbox_mail::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(written > 0)
}

/// Why a link from a mail did nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkProblem {
    /// No such token, or it was used already.
    Unknown,
    /// The confirmation link is older than `confirm_ttl`.
    Expired,
}

/// Follows a confirmation link: the address starts receiving the digest.
pub async fn confirm(
    db: &DatabaseConnection,
    token: &str,
) -> Result<Result<(), LinkProblem>, AppError> {
    let now = Utc::now();
    let Some(row) = subscriber::Entity::find()
        .filter(subscriber::Column::ConfirmTokenHash.eq(secret_hash(token)))
        .one(db)
        .await?
    else {
        return Ok(Err(LinkProblem::Unknown));
    };
    if row.confirm_expires_at.is_none_or(|until| until < now) {
        return Ok(Err(LinkProblem::Expired));
    }
    let mut change: subscriber::ActiveModel = row.into();
    change.status = Set(SubscriberStatus::Confirmed);
    change.confirmed_at = Set(Some(now));
    change.confirm_token_hash = Set(None);
    change.confirm_expires_at = Set(None);
    change.update(db).await?;
    Ok(Ok(()))
}

/// Follows an unsubscribe link (from any mail, any number of times): the
/// address receives nothing more, and its pending mails are dropped.
pub async fn unsubscribe(
    db: &DatabaseConnection,
    token: &str,
) -> Result<Result<(), LinkProblem>, AppError> {
    let txn = db.begin().await?;
    let Some(row) = subscriber::Entity::find()
        .filter(subscriber::Column::UnsubscribeToken.eq(token))
        .one(&txn)
        .await?
    else {
        return Ok(Err(LinkProblem::Unknown));
    };
    if row.status != SubscriberStatus::Unsubscribed {
        let id = row.id;
        let mut change: subscriber::ActiveModel = row.into();
        change.status = Set(SubscriberStatus::Unsubscribed);
        change.unsubscribed_at = Set(Some(Utc::now()));
        change.confirm_token_hash = Set(None);
        change.confirm_expires_at = Set(None);
        change.update(&txn).await?;
        outbox_mail::Entity::delete_many()
            .filter(outbox_mail::Column::SubscriberId.eq(id))
            .filter(outbox_mail::Column::SentAt.is_null())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(Ok(()))
}

/// What `verdicts digest` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestSummary {
    /// The ISO week the digest is for, such as `2026-W48`.
    pub week: String,
    /// Comparisons published in the last seven days.
    pub comparisons: usize,
    /// Mails written now.
    pub written: u64,
    /// Confirmed subscribers who already had this week's digest.
    pub already_written: u64,
}

/// How many subscribers the digest reads per query.
const DIGEST_BATCH: u64 = 500;

/// Writes this week's digest (the comparisons published in the seven days
/// before `now`) for every confirmed subscriber. Running it again in the
/// same ISO week writes nothing twice; with nothing published it writes
/// nothing at all.
pub async fn write_digest(
    db: &DatabaseConnection,
    mailing: &Mailing,
    now: DateTime<Utc>,
) -> Result<DigestSummary, AppError> {
    let iso = now.iso_week();
    let week = format!("{}-W{:02}", iso.year(), iso.week());
    let published = comparison::Entity::find()
        .filter(super::catalogue::public::comparison())
        .filter(comparison::Column::PublishedAt.gt(now - Duration::days(7)))
        .filter(comparison::Column::PublishedAt.lte(now))
        .order_by_desc(comparison::Column::PublishedAt)
        .order_by_asc(comparison::Column::Id)
        .all(db)
        .await?;
    let mut summary = DigestSummary {
        week: week.clone(),
        comparisons: published.len(),
        written: 0,
        already_written: 0,
    };
    if published.is_empty() {
        return Ok(summary);
    }
    let names = super::catalogue::tools::names(
        db,
        published
            .iter()
            .flat_map(|c| [c.left_tool_id, c.right_tool_id]),
    )
    .await?;
    let mut items = String::new();
    for c in &published {
        let name = |id: i64| names.get(&id).map_or("?", String::as_str);
        items.push_str(&format!(
            "* {title}\n  {left} vs {right}\n  {summary}\n  {url}/compare/{slug}\n\n",
            title = c.title,
            left = name(c.left_tool_id),
            right = name(c.right_tool_id),
            summary = excerpt(&c.summary, 280),
            url = mailing.public_url,
            slug = c.slug,
        ));
    }
    let subject = match published.len() {
        1 => format!("The Weekly Verdicts, {week}: {}", published[0].title),
        n => format!("The Weekly Verdicts, {week}: {n} new comparisons"),
    };
    let mut after = 0i64;
    loop {
        let batch = subscriber::Entity::find()
            .filter(subscriber::Column::Status.eq(SubscriberStatus::Confirmed))
            .filter(subscriber::Column::Id.gt(after))
            .order_by_asc(subscriber::Column::Id)
            .limit(DIGEST_BATCH)
            .all(db)
            .await?;
        let Some(last) = batch.last() else { break };
        after = last.id;
        let txn = db.begin().await?;
        for reader in &batch {
            let body = format!(
                "This week on Verdicts:\n\n{items}--\n\
                 You receive The Weekly Verdicts because you confirmed {email}.\n\
                 Unsubscribe with one click: {unsubscribe}\n",
                email = reader.email,
                unsubscribe = mailing.link("unsubscribe", &reader.unsubscribe_token),
            );
            let key = format!("digest:{week}:{}", reader.id);
            if write_mail(
                &txn,
                reader,
                MailKind::Digest,
                Some(key),
                &subject,
                body,
                mailing,
                now,
            )
            .await?
            {
                summary.written += 1;
            } else {
                summary.already_written += 1;
            }
        }
        txn.commit().await?;
    }
    Ok(summary)
}

/// At most `max` characters of `text`, cut at a word with an ellipsis.
fn excerpt(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}\u{2026}")
}

/// Subscribers by status, for the editors' dashboard.
#[derive(Debug, Clone, Copy, Default)]
pub struct SubscriberCounts {
    /// Waiting for confirmation.
    pub pending: u64,
    /// Receiving the digest.
    pub confirmed: u64,
    /// Gone.
    pub unsubscribed: u64,
}

/// Counts subscribers by status.
pub async fn subscriber_counts(db: &DatabaseConnection) -> Result<SubscriberCounts, AppError> {
    let count = |status| {
        subscriber::Entity::find()
            .filter(subscriber::Column::Status.eq(status))
            .count(db)
    };
    Ok(SubscriberCounts {
        pending: count(SubscriberStatus::Pending).await?,
        confirmed: count(SubscriberStatus::Confirmed).await?,
        unsubscribed: count(SubscriberStatus::Unsubscribed).await?,
    })
}

/// Every mail written, unordered (the API pages them newest first).
pub fn outbox() -> sea_orm::Select<outbox_mail::Entity> {
    outbox_mail::Entity::find()
}

#[cfg(test)]
mod tests {
    use super::excerpt;

    #[test]
    fn excerpts_cut_at_a_word() {
        assert_eq!(excerpt("short text", 50), "short text");
        assert_eq!(excerpt("one two three four", 10), "one two\u{2026}");
    }
}
