//! The newsletter as the API shows it: a reader's sign-up answer, and the
//! outbox and subscriber counts editors watch.

use async_graphql::{Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entities::{outbox_mail, MailKind as MailKindModel};

use crate::mailer::MAX_ATTEMPTS;

/// What `subscribe` answers, the same whether or not the address was known.
#[derive(SimpleObject, Clone)]
pub struct NewsletterSignup {
    /// The address as it was stored (trimmed, lower case).
    pub email: String,
    /// What to tell the reader: look for the confirmation mail.
    pub message: String,
}

/// Newsletter subscribers by status.
#[derive(SimpleObject, Clone, Copy)]
pub struct SubscriberCounts {
    /// Signed up, confirmation link not followed yet.
    pub pending: u64,
    /// Receiving the weekly digest.
    pub confirmed: u64,
    /// Unsubscribed.
    pub unsubscribed: u64,
}

/// What a mail is.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// The double opt-in link.
    Confirmation,
    /// The weekly verdicts.
    Digest,
}

/// Where a mail stands.
#[derive(Enum, Clone, Copy, PartialEq, Eq)]
pub enum MailStatus {
    /// Waiting to be sent (or no SMTP server is configured).
    Queued,
    /// Handed to the SMTP server.
    Sent,
    /// Every attempt failed; it will not be tried again.
    Failed,
}

/// One mail in the outbox.
#[derive(Clone)]
pub struct OutboxMail(pub outbox_mail::Model);

/// One mail Verdicts wrote: to whom, what, and whether it went out.
#[Object]
impl OutboxMail {
    /// The recipient.
    async fn to(&self) -> &str {
        &self.0.to_address
    }

    /// Confirmation or digest.
    async fn kind(&self) -> MailKind {
        match self.0.kind {
            MailKindModel::Confirmation => MailKind::Confirmation,
            MailKindModel::Digest => MailKind::Digest,
        }
    }

    /// The subject line.
    async fn subject(&self) -> &str {
        &self.0.subject
    }

    /// The plain-text body, links included.
    async fn body(&self) -> &str {
        &self.0.body
    }

    /// The one-click unsubscribe URL sent as `List-Unsubscribe`.
    async fn list_unsubscribe(&self) -> &str {
        &self.0.list_unsubscribe
    }

    /// Queued, sent or failed.
    async fn status(&self) -> MailStatus {
        if self.0.sent_at.is_some() {
            MailStatus::Sent
        } else if self.0.attempts >= MAX_ATTEMPTS {
            MailStatus::Failed
        } else {
            MailStatus::Queued
        }
    }

    /// Delivery attempts so far.
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }

    /// Why the last attempt failed, if it did.
    async fn last_error(&self) -> Option<&str> {
        self.0.last_error.as_deref()
    }

    /// When it was written.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When the SMTP server took it.
    async fn sent_at(&self) -> Option<DateTime<Utc>> {
        self.0.sent_at
    }
}
