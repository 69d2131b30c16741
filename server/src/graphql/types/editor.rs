//! `Editor`, `ApiToken` and `VoteAnomaly`: what signed-in editors see.

use async_graphql::{Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entities::{api_token, audit_entry, editor, vote_anomaly};

/// A person who runs Verdicts.
pub struct Editor(pub editor::Model);

/// A person who runs Verdicts.
#[Object]
impl Editor {
    /// The editor's id.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// The sign-in e-mail address.
    async fn email(&self) -> &str {
        &self.0.email
    }

    /// When the account was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// A named bearer token for automation (its secret is shown only once).
pub struct ApiToken(pub api_token::Model);

/// A named bearer token for automation (its secret is shown only once).
#[Object]
impl ApiToken {
    /// The token's id, for revoking it.
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// What the editor called it.
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// When it was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it last authenticated a request.
    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }

    /// When it was revoked; null while it works.
    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }

    /// Whether it is a partner app's token (votes for the app's users, no
    /// editor powers).
    async fn partner(&self) -> bool {
        self.0.partner
    }

    /// Votes per hour it may cast for its users as a partner app (null: the
    /// server's default, `--partner-vote-quota`).
    async fn vote_quota(&self) -> Option<i64> {
        self.0.vote_quota
    }

    /// When an editor switched its votes off; null while they count.
    async fn votes_off_at(&self) -> Option<DateTime<Utc>> {
        self.0.votes_off_at
    }
}

/// A new token and its secret: send `Authorization: Bearer <secret>`.
#[derive(SimpleObject)]
pub struct CreatedApiToken {
    /// The token.
    pub token: ApiToken,
    /// The secret, shown only now; the server keeps a hash.
    pub secret: String,
}

/// Something unusual in the votes, for editors to look at.
#[derive(Clone)]
pub struct VoteAnomaly(pub vote_anomaly::Model);

/// Something unusual in the votes, for editors to look at.
#[Object]
impl VoteAnomaly {
    /// What was noticed: `VOTE_VOTER_RATE_EXCEEDED`, `VOTE_ADDRESS_RATE_EXCEEDED`,
    /// `TOOL_BURST_FROM_ADDRESS` or `TOOL_BURST`.
    async fn kind(&self) -> &str {
        &self.0.kind
    }

    /// Who or what: the voter, address or tool it concerns.
    async fn subject(&self) -> &str {
        &self.0.subject
    }

    /// Votes counted in the window when it was noticed.
    async fn hits(&self) -> i64 {
        self.0.hits
    }

    /// When it was noticed.
    async fn observed_at(&self) -> DateTime<Utc> {
        self.0.observed_at
    }
}

/// One change an editor made.
#[derive(Clone)]
pub struct AuditEntry(pub audit_entry::Model);

/// One change an editor made: who, when, what, before and after.
#[Object]
impl AuditEntry {
    /// The editor's id; null if the account was deleted since.
    async fn editor_id(&self) -> Option<ID> {
        self.0.editor_id.map(|id| ID(id.to_string()))
    }

    /// `CREATE`, `UPDATE`, `DELETE`, `PUBLISH` or `UNPUBLISH`.
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// `CATEGORY`, `TOOL`, `REVIEWER`, `REVIEW` or `COMPARISON`.
    async fn entity(&self) -> &str {
        &self.0.entity
    }

    /// The slug (for a review, `reviewer/tool`).
    async fn key(&self) -> &str {
        &self.0.entity_key
    }

    /// A JSON summary before the change; null for a creation.
    async fn before(&self) -> Option<&str> {
        self.0.before.as_deref()
    }

    /// A JSON summary after the change; null for a deletion.
    async fn after(&self) -> Option<&str> {
        self.0.after.as_deref()
    }

    /// When it happened.
    async fn at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
