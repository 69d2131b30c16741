//! `subscribe`: a reader signs up for the weekly verdicts.

use std::sync::Arc;

use async_graphql::{Context, Object};
use sea_orm::DatabaseConnection;

use crate::domain::newsletter::{self, Mailing, SignUp};
use crate::error::GqlResultExt;
use crate::graphql::types::NewsletterSignup;
use crate::graphql::ClientAddress;
use crate::mailer::OutboxSignal;

/// The newsletter's writes.
#[derive(Default)]
pub struct NewsletterMutation;

#[Object]
impl NewsletterMutation {
    /// Subscribes an address to the weekly verdicts with double opt-in: a mail
    /// with a confirmation link is sent, and nothing else until it is
    /// followed. The answer is the same whether or not the address was
    /// already subscribed. An invalid address is a `VALIDATION` error on
    /// `email`; sign-ups are rate limited per client address (`RATE_LIMITED`).
    async fn subscribe(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The reader's e-mail address.")] email: String,
    ) -> async_graphql::Result<NewsletterSignup> {
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let mailing = ctx.data_unchecked::<Arc<Mailing>>();
        let client = ctx.data_opt::<ClientAddress>().and_then(|a| a.0);
        let signed_up = newsletter::subscribe(db, mailing, &email, client)
            .await
            .gql()?;
        if signed_up.outcome == SignUp::ConfirmationWritten {
            ctx.data_unchecked::<OutboxSignal>().wake();
        }
        Ok(NewsletterSignup {
            email: signed_up.email,
            message: newsletter::CHECK_YOUR_INBOX.to_owned(),
        })
    }
}
