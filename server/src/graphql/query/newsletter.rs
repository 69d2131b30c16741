//! `outbox` and `subscriberCounts`: what editors watch of the newsletter.

use async_graphql::{Context, Object};
use entities::outbox_mail;
use sea_orm::{sea_query::Expr, DatabaseConnection};

use crate::domain::newsletter;
use crate::error::GqlResultExt;
use crate::graphql::auth;
use crate::graphql::query::{editor::newest_first, listing::PageArgs};
use crate::graphql::types::{OutboxMail, Page, SubscriberCounts};

/// The newsletter's reads, for editors.
#[derive(Default)]
pub struct NewsletterQuery;

#[Object]
impl NewsletterQuery {
    /// Every mail written (confirmations and digests), newest first, with
    /// whether it was sent. Without `SMTP_URL` this is where mail waits.
    /// Editors only.
    #[graphql(complexity = "crate::graphql::query::cost::page(first, last, child_complexity)")]
    async fn outbox(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "Page size reading forwards, 0 to 100 (20 when neither `first` nor `last` is given). A page of 0 holds no items: `hasNextPage` says whether any follow, and its `endCursor` is the `after` given (null from the start), so paging on from it starts at the same place."
        )]
        first: Option<i32>,
        #[graphql(desc = "The `endCursor` of the previous page.")] after: Option<String>,
        #[graphql(
            desc = "Page size reading backwards, 0 to 100. A page of 0 holds no items: `hasPreviousPage` says whether any come before, and its `startCursor` is the `before` given (null from the end)."
        )]
        last: Option<i32>,
        #[graphql(desc = "The `startCursor` of the next page.")] before: Option<String>,
    ) -> async_graphql::Result<Page<OutboxMail>> {
        auth::editor(ctx)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        newest_first(
            ctx,
            newsletter::outbox(),
            Expr::col((outbox_mail::Entity, outbox_mail::Column::Id)),
            ("outbox", args),
            |m: &outbox_mail::Model| m.id,
            OutboxMail,
        )
        .await
    }

    /// Newsletter subscribers by status. Editors only.
    async fn subscriber_counts(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<SubscriberCounts> {
        auth::editor(ctx)?;
        let db = ctx.data_unchecked::<DatabaseConnection>();
        let counts = newsletter::subscriber_counts(db).await.gql()?;
        Ok(SubscriberCounts {
            pending: counts.pending,
            confirmed: counts.confirmed,
            unsubscribed: counts.unsubscribed,
        })
    }
}
