//! Sends the outbox over SMTP when `SMTP_URL` is set: due mails are claimed
//! one by one (so instances sharing a database never send one twice), sent,
//! and marked sent; a failure is retried later with a doubling delay.

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use entities::outbox_mail;
use lettre::{
    message::{
        header::{ContentType, HeaderName, HeaderValue},
        Mailbox,
    },
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
};
use sea_orm::{
    sea_query::Expr, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use tokio::sync::Notify;

/// Attempts after which a mail is left unsent (and shown as failed).
pub const MAX_ATTEMPTS: i32 = 8;
/// Mails read per pass.
const BATCH: u64 = 50;
/// How often the outbox is looked at when nobody says it changed.
const POLL: Duration = Duration::from_secs(5);

/// Wakes the sender when a mail was written.
#[derive(Clone, Default)]
pub struct OutboxSignal(Arc<Notify>);

impl OutboxSignal {
    /// Says that the outbox has something new.
    pub fn wake(&self) {
        self.0.notify_one();
    }
}

/// Where and how mail is sent.
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    retry_base: Duration,
}

impl Mailer {
    /// A mailer for `smtp_url`, sending as `from`.
    pub fn new(smtp_url: &str, from: &str, retry_base: Duration) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
            .map_err(|e| anyhow::anyhow!("SMTP_URL is not usable: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from
            .parse()
            .map_err(|e| anyhow::anyhow!("MAIL_FROM is not a mailbox: {e}"))?;
        Ok(Mailer {
            transport,
            from,
            retry_base,
        })
    }

    /// Sends due mail until the task is dropped.
    pub async fn run(self, db: DatabaseConnection, signal: OutboxSignal) {
        loop {
            if let Err(error) = self.send_due(&db).await {
                tracing::warn!(%error, "the outbox could not be read");
            }
            tokio::select! {
                () = signal.0.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// One pass over the due mails.
    pub async fn send_due(&self, db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
        let now = Utc::now();
        let due = outbox_mail::Entity::find()
            .filter(outbox_mail::Column::SentAt.is_null())
            .filter(outbox_mail::Column::NextAttemptAt.lte(now))
            .filter(outbox_mail::Column::Attempts.lt(MAX_ATTEMPTS))
            .order_by_asc(outbox_mail::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        for mail in due {
            // Claim it: only the instance whose update matches the attempt
            // count it read sends it; the retry time is set before sending, so
            // a crash mid-send retries later instead of never.
            let delay = self.retry_base * 2u32.saturating_pow(mail.attempts.clamp(0, 16) as u32);
            let retry_at =
                now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(1));
            let claimed = outbox_mail::Entity::update_many()
                .col_expr(
                    outbox_mail::Column::Attempts,
                    Expr::value(mail.attempts + 1),
                )
                .col_expr(outbox_mail::Column::NextAttemptAt, Expr::value(retry_at))
                .filter(outbox_mail::Column::Id.eq(mail.id))
                .filter(outbox_mail::Column::Attempts.eq(mail.attempts))
                .filter(outbox_mail::Column::SentAt.is_null())
                .exec(db)
                .await?;
            if claimed.rows_affected != 1 {
                continue;
            }
            let outcome = match self.message(&mail) {
                Ok(message) => self
                    .transport
                    .send(message)
                    .await
                    .map(|_| ())
                    .map_err(|e| e.to_string()),
                Err(e) => Err(e),
            };
            let update =
                outbox_mail::Entity::update_many().filter(outbox_mail::Column::Id.eq(mail.id));
            match outcome {
                Ok(()) => {
                    tracing::info!(id = mail.id, kind = ?mail.kind, "mail sent");
                    update
                        .col_expr(outbox_mail::Column::SentAt, Expr::value(Utc::now()))
                        .col_expr(
                            outbox_mail::Column::LastError,
                            Expr::value(Option::<String>::None),
                        )
                        .exec(db)
                        .await?;
                }
                Err(error) => {
                    tracing::warn!(id = mail.id, attempt = mail.attempts + 1, %error, "mail not sent");
                    let error: String = error.chars().take(500).collect();
                    update
                        .col_expr(outbox_mail::Column::LastError, Expr::value(error))
                        .exec(db)
                        .await?;
                }
            }
        }
        Ok(())
    }

    fn message(&self, mail: &outbox_mail::Model) -> Result<Message, String> {
        let to: Mailbox = mail
            .to_address
            .parse()
            .map_err(|e| format!("bad recipient: {e}"))?;
        Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.clone())
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{}>", mail.list_unsubscribe),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ))
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| format!("cannot build the message: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use chrono::Utc;
    use entities::{outbox_mail, MailKind};

    use super::Mailer;

    #[tokio::test]
    async fn a_subject_with_line_breaks_adds_no_header() {
        let mailer = Mailer::new(
            "smtp://127.0.0.1:2525",
            "Verdicts <verdicts@verdicts.test>",
            Duration::from_secs(1),
        )
        .expect("a mailer");
        let mail = outbox_mail::Model {
            id: 1,
            subscriber_id: None,
            kind: MailKind::Digest,
            dedupe_key: None,
            to_address: "reader@example.com".into(),
            subject: "The Weekly Verdicts: A\r\nBcc: victim@example.com\r\n\r\n<b>body</b>".into(),
            body: "Plain text.\n".into(),
            list_unsubscribe: "https://verdicts.test/newsletter/unsubscribe?token=t".into(),
            created_at: Utc::now(),
            attempts: 0,
            next_attempt_at: Utc::now(),
            last_error: None,
            sent_at: None,
        };
        let message = mailer.message(&mail).expect("a message");
        let text = String::from_utf8(message.formatted()).expect("UTF-8");
        let (headers, body) = text.split_once("\r\n\r\n").expect("headers and a body");
        assert!(
            !headers
                .lines()
                .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
            "{headers}"
        );
        assert_eq!(body.trim_end(), "Plain text.");
    }
}
