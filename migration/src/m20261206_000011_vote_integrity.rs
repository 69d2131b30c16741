//! Votes that cannot be stuffed: every vote is stored, but only votes that
//! pass the counting rules count for the community score.
//!
//! - `votes.status`: `COUNTED`, `HELD` (set aside until an editor releases
//!   or rejects it, or it ages out) or `REJECTED`. `counted + held +
//!   rejected` is every vote row, at every moment: the kept tallies count
//!   each status (`tool_tallies.community_*`), by the same triggers as
//!   before, now status-aware.
//! - `votes.network` and `votes.window_start`: the client network (an IPv4
//!   address or an IPv6 /64) and the counting window the vote fell in, set
//!   by the server for the site's own readers; `NULL` for partner apps'
//!   votes and where the address is unknown (no network rule applies).
//! - `vote_windows`: one row per (tool, network, window) that saw a new
//!   voter, counting the new voters. A trigger on every inserted vote adds
//!   one and holds the vote when the window is past the quota (the setting
//!   `vote_network_quota`). In the inserting transaction, so two instances
//!   sharing PostgreSQL count together: the upsert locks the window's row
//!   until commit. A changed vote (same voter, same tool) is an update, not
//!   an insert: it keeps its status and is not a new voter.
//! - `vote_decisions`: what editors (or the expiry rule) decided about held
//!   votes, and when a partner app's votes were switched off or on; the
//!   public integrity ledger reads it.
//! - `votes.token_id`: the partner app (API token) that cast the vote on
//!   behalf of one of its users; `NULL` for the site's readers.
//!   `api_tokens.partner` marks such an app's token (it is no editor's
//!   credential); `api_tokens.vote_quota` and `api_tokens.votes_off_at`:
//!   the app's own quota, and when an editor switched its votes off.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::dialect::{self, Dialect};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The setting the hold trigger reads; the server writes its flag's value.
pub const QUOTA_SETTING: &str = "vote_network_quota";
/// The quota until the server writes its own.
const DEFAULT_QUOTA: u32 = 10;

/// `1` when the vote row (`NEW` or `OLD`) has `status` (and `verdict`).
fn counts(row: &str, status: &str, verdict: Option<&str>) -> String {
    match verdict {
        Some(verdict) => format!(
            "CASE WHEN {row}.status = '{status}' AND {row}.verdict = '{verdict}' THEN 1 ELSE 0 END"
        ),
        None => format!("CASE WHEN {row}.status = '{status}' THEN 1 ELSE 0 END"),
    }
}

/// Adds (`+`) or takes away (`-`) one vote row's part of its tool's tally.
fn tally(row: &str, sign: char) -> String {
    format!(
        "UPDATE tool_tallies SET
             community_ship = community_ship {sign} ({}),
             community_skip = community_skip {sign} ({}),
             community_held = community_held {sign} ({}),
             community_rejected = community_rejected {sign} ({})
         WHERE tool_id = {row}.tool_id;",
        counts(row, "COUNTED", Some("SHIP")),
        counts(row, "COUNTED", Some("SKIP")),
        counts(row, "HELD", None),
        counts(row, "REJECTED", None),
    )
}

/// Adds or takes away one held (or once held) vote's part of its window.
fn window(row: &str, sign: char) -> String {
    format!(
        "UPDATE vote_windows SET
             held = held {sign} ({}),
             released = released {sign} ({}),
             rejected = rejected {sign} ({})
         WHERE id = {row}.hold_id;",
        counts(row, "HELD", None),
        counts(row, "COUNTED", None),
        counts(row, "REJECTED", None),
    )
}

/// A once-held vote withdrawn: its window keeps it as `withdrawn`, so the
/// ledger's evidence (and an editor's decision) outlives the votes.
fn withdrawn() -> String {
    format!(
        "UPDATE vote_windows SET
             held = held - ({}),
             released = released - ({}),
             rejected = rejected - ({}),
             withdrawn = withdrawn + 1
         WHERE id = OLD.hold_id;",
        counts("OLD", "HELD", None),
        counts("OLD", "COUNTED", None),
        counts("OLD", "REJECTED", None),
    )
}

/// What a vote that changes only its network (retention) or time leaves alone.
const TALLIED_CHANGE: &str = "OLD.status IS DISTINCT FROM NEW.status \
    OR OLD.verdict IS DISTINCT FROM NEW.verdict OR OLD.tool_id IS DISTINCT FROM NEW.tool_id";
/// SQLite spells `IS DISTINCT FROM` as `IS NOT`.
const TALLIED_CHANGE_SQLITE: &str =
    "OLD.status IS NOT NEW.status OR OLD.verdict IS NOT NEW.verdict OR OLD.tool_id IS NOT NEW.tool_id";

fn up_statements(backend: DbBackend) -> Vec<String> {
    let Dialect { id, timestamp, .. } = Dialect::of(backend);
    let mut statements = Vec::new();
    if backend == DbBackend::Postgres {
        // As in migration 9: no vote may commit between the recount below
        // and the new triggers (a rolling deploy's other instances).
        statements.push("LOCK TABLE votes IN SHARE ROW EXCLUSIVE MODE".to_owned());
    }
    statements.extend([
        format!(
            "CREATE TABLE vote_windows (
                id {id},
                tool_id BIGINT NOT NULL REFERENCES tools (id) ON DELETE CASCADE,
                network TEXT NOT NULL CHECK (length(network) BETWEEN 1 AND 64),
                window_start BIGINT NOT NULL,
                voters BIGINT NOT NULL DEFAULT 0 CHECK (voters >= 0),
                held BIGINT NOT NULL DEFAULT 0 CHECK (held >= 0),
                released BIGINT NOT NULL DEFAULT 0 CHECK (released >= 0),
                rejected BIGINT NOT NULL DEFAULT 0 CHECK (rejected >= 0),
                withdrawn BIGINT NOT NULL DEFAULT 0 CHECK (withdrawn >= 0),
                first_at {timestamp} NOT NULL,
                last_at {timestamp} NOT NULL,
                CONSTRAINT vote_windows_one_per_network UNIQUE (tool_id, network, window_start)
            )"
        ),
        // The ledger's newest windows that set votes aside, site-wide and per tool.
        "CREATE INDEX vote_windows_set_aside ON vote_windows (id) \
         WHERE held + released + rejected + withdrawn > 0"
            .to_owned(),
        "CREATE INDEX vote_windows_set_aside_by_tool ON vote_windows (tool_id, id) \
         WHERE held + released + rejected + withdrawn > 0"
            .to_owned(),
        format!(
            "CREATE TABLE vote_decisions (
                id {id},
                window_id BIGINT REFERENCES vote_windows (id) ON DELETE SET NULL,
                token_id BIGINT REFERENCES api_tokens (id) ON DELETE CASCADE,
                tool_id BIGINT REFERENCES tools (id) ON DELETE CASCADE,
                decision TEXT NOT NULL CHECK (decision IN ('RELEASE', 'REJECT', 'EXPIRE', 'SOURCE_OFF', 'SOURCE_ON')),
                votes BIGINT NOT NULL CHECK (votes >= 0),
                reason TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
                editor_id BIGINT REFERENCES editors (id) ON DELETE SET NULL,
                decided_at {timestamp} NOT NULL
            )"
        ),
        "CREATE INDEX vote_decisions_window ON vote_decisions (window_id)".to_owned(),
        "CREATE INDEX vote_decisions_decided_at ON vote_decisions (decided_at)".to_owned(),
        "ALTER TABLE votes ADD COLUMN status TEXT NOT NULL DEFAULT 'COUNTED' \
         CHECK (status IN ('COUNTED', 'HELD', 'REJECTED'))"
            .to_owned(),
        "ALTER TABLE votes ADD COLUMN network TEXT".to_owned(),
        "ALTER TABLE votes ADD COLUMN window_start BIGINT".to_owned(),
        "ALTER TABLE votes ADD COLUMN hold_id BIGINT REFERENCES vote_windows (id) ON DELETE SET NULL"
            .to_owned(),
        "ALTER TABLE votes ADD COLUMN token_id BIGINT REFERENCES api_tokens (id) ON DELETE CASCADE"
            .to_owned(),
        "CREATE INDEX votes_hold_id ON votes (hold_id) WHERE hold_id IS NOT NULL".to_owned(),
        "CREATE INDEX votes_token_id ON votes (token_id, tool_id) WHERE token_id IS NOT NULL"
            .to_owned(),
        // A partner app's token votes for its users and can do nothing an
        // editor can: it is not an editor's credential.
        "ALTER TABLE api_tokens ADD COLUMN partner BOOLEAN NOT NULL DEFAULT FALSE".to_owned(),
        "ALTER TABLE api_tokens ADD COLUMN vote_quota BIGINT CHECK (vote_quota >= 0)".to_owned(),
        format!("ALTER TABLE api_tokens ADD COLUMN votes_off_at {timestamp}"),
        "ALTER TABLE tool_tallies ADD COLUMN community_held BIGINT NOT NULL DEFAULT 0 \
         CHECK (community_held >= 0)"
            .to_owned(),
        "ALTER TABLE tool_tallies ADD COLUMN community_rejected BIGINT NOT NULL DEFAULT 0 \
         CHECK (community_rejected >= 0)"
            .to_owned(),
        format!(
            "INSERT INTO settings (key, value) VALUES ('{QUOTA_SETTING}', '{DEFAULT_QUOTA}') \
             ON CONFLICT (key) DO NOTHING"
        ),
    ]);
    // Every existing vote is COUNTED (the column's default), so the kept
    // tallies are already right; only the triggers change.
    let quota =
        format!("(SELECT CAST(value AS BIGINT) FROM settings WHERE key = '{QUOTA_SETTING}')");
    // The hold is decided in the insert's own tally trigger, after the vote
    // is counted: a separate trigger could fire first and take the vote
    // away from a tally that had not counted it yet (below zero: refused).
    let hold_pg = format!(
        "IF NEW.network IS NOT NULL AND NEW.window_start IS NOT NULL AND NEW.status = 'COUNTED' THEN
             INSERT INTO vote_windows (tool_id, network, window_start, voters, first_at, last_at)
             VALUES (NEW.tool_id, NEW.network, NEW.window_start, 1, NEW.created_at, NEW.created_at)
             ON CONFLICT (tool_id, network, window_start) DO UPDATE
                 SET voters = vote_windows.voters + 1, last_at = excluded.last_at
             RETURNING id, voters INTO held_window, new_voters;
             IF new_voters > COALESCE({quota}, new_voters) THEN
                 UPDATE votes SET status = 'HELD', hold_id = held_window WHERE id = NEW.id;
             END IF;
         END IF;"
    );
    match backend {
        DbBackend::Postgres => {
            statements.push(plpgsql(
                "votes_insert_tally",
                &format!("{}\n{hold_pg}", tally("NEW", '+')),
            ));
            statements.push(plpgsql("votes_delete_tally", &tally("OLD", '-')));
            statements.push(plpgsql(
                "votes_update_tally",
                &format!(
                    "IF {TALLIED_CHANGE} THEN {} {} END IF;",
                    tally("OLD", '-'),
                    tally("NEW", '+')
                ),
            ));
            statements.push(plpgsql(
                "votes_window",
                &format!(
                    "IF TG_OP = 'DELETE' THEN
                         IF OLD.hold_id IS NOT NULL THEN {} END IF;
                     ELSIF OLD.status IS DISTINCT FROM NEW.status
                         OR OLD.hold_id IS DISTINCT FROM NEW.hold_id THEN
                         IF OLD.hold_id IS NOT NULL THEN {} END IF;
                         IF NEW.hold_id IS NOT NULL THEN {} END IF;
                     END IF;",
                    withdrawn(),
                    window("OLD", '-'),
                    window("NEW", '+'),
                ),
            ));
            statements.push(
                "CREATE TRIGGER votes_window AFTER UPDATE OR DELETE ON votes
                 FOR EACH ROW EXECUTE FUNCTION votes_window()"
                    .to_owned(),
            );
        }
        _ => {
            let same_window = "w.tool_id = NEW.tool_id AND w.network = NEW.network \
                AND w.window_start = NEW.window_start";
            let holdable = "NEW.network IS NOT NULL AND NEW.window_start IS NOT NULL \
                AND NEW.status = 'COUNTED'";
            let insert_body = format!(
                "{tally}
                 INSERT INTO vote_windows (tool_id, network, window_start, voters, first_at, last_at)
                 SELECT NEW.tool_id, NEW.network, NEW.window_start, 1, NEW.created_at, NEW.created_at
                 WHERE {holdable}
                 ON CONFLICT (tool_id, network, window_start) DO UPDATE
                     SET voters = voters + 1, last_at = excluded.last_at;
                 UPDATE votes SET status = 'HELD',
                     hold_id = (SELECT id FROM vote_windows w WHERE {same_window})
                 WHERE id = NEW.id AND {holdable}
                     AND (SELECT voters FROM vote_windows w WHERE {same_window})
                         > COALESCE({quota}, (SELECT voters FROM vote_windows w WHERE {same_window}));",
                tally = tally("NEW", '+'),
            );
            // Dropped and created in one call: on one connection.
            let triggers = [
                (
                    "votes_insert_tally",
                    "AFTER INSERT ON votes".to_owned(),
                    insert_body,
                ),
                (
                    "votes_delete_tally",
                    "AFTER DELETE ON votes".to_owned(),
                    tally("OLD", '-'),
                ),
                (
                    "votes_update_tally",
                    format!("AFTER UPDATE ON votes WHEN {TALLIED_CHANGE_SQLITE}"),
                    format!("{}\n{}", tally("OLD", '-'), tally("NEW", '+')),
                ),
            ];
            for (name, when, body) in triggers {
                statements.push(format!(
                    "DROP TRIGGER {name};
                     CREATE TRIGGER {name} {when}
                     BEGIN
                         {body}
                     END"
                ));
            }
            statements.push(format!(
                "CREATE TRIGGER votes_window_update AFTER UPDATE ON votes
                 WHEN (OLD.hold_id IS NOT NULL OR NEW.hold_id IS NOT NULL)
                     AND (OLD.status IS NOT NEW.status OR OLD.hold_id IS NOT NEW.hold_id)
                 BEGIN
                     {}
                     {}
                 END",
                window("OLD", '-'),
                window("NEW", '+'),
            ));
            statements.push(format!(
                "CREATE TRIGGER votes_window_delete AFTER DELETE ON votes
                 WHEN OLD.hold_id IS NOT NULL
                 BEGIN
                     {}
                 END",
                withdrawn(),
            ));
        }
    }
    statements
}

/// A PostgreSQL trigger function (`CREATE OR REPLACE`: migration 9's vote
/// tally functions are replaced in place, their triggers kept).
fn plpgsql(name: &str, body: &str) -> String {
    format!(
        "CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
         DECLARE
             held_window BIGINT;
             new_voters BIGINT;
         BEGIN
             {body}
             RETURN NULL;
         END
         $$"
    )
}

fn down_statements(backend: DbBackend) -> Vec<String> {
    let mut statements = Vec::new();
    if backend == DbBackend::Postgres {
        statements.push("LOCK TABLE votes IN SHARE ROW EXCLUSIVE MODE".to_owned());
    }
    // The triggers first: SQLite checks every trigger when a column goes.
    match backend {
        DbBackend::Postgres => {
            statements.extend([
                "DROP TRIGGER votes_window ON votes".to_owned(),
                "DROP FUNCTION votes_window()".to_owned(),
            ]);
        }
        _ => statements.extend([
            "DROP TRIGGER votes_window_update".to_owned(),
            "DROP TRIGGER votes_window_delete".to_owned(),
        ]),
    }
    let restore = |row: &str, sign: char| {
        format!(
            "UPDATE tool_tallies SET
                 community_ship = community_ship {sign} (CASE WHEN {row}.verdict = 'SHIP' THEN 1 ELSE 0 END),
                 community_skip = community_skip {sign} (CASE WHEN {row}.verdict = 'SKIP' THEN 1 ELSE 0 END)
             WHERE tool_id = {row}.tool_id;"
        )
    };
    // Held and rejected votes go (they were never counted), before the old
    // triggers, which count every row, come back.
    statements.push("DELETE FROM votes WHERE status <> 'COUNTED'".to_owned());
    let old = [
        ("votes_insert_tally", "INSERT", restore("NEW", '+')),
        ("votes_delete_tally", "DELETE", restore("OLD", '-')),
        (
            "votes_update_tally",
            "UPDATE",
            format!("{}\n{}", restore("OLD", '-'), restore("NEW", '+')),
        ),
    ];
    for (name, event, body) in old {
        match backend {
            DbBackend::Postgres => statements.push(plpgsql(name, &body)),
            _ => statements.push(format!(
                "DROP TRIGGER {name};
                 CREATE TRIGGER {name} AFTER {event} ON votes BEGIN {body} END"
            )),
        }
    }
    statements.extend([
        "DROP INDEX votes_hold_id".to_owned(),
        "DROP INDEX votes_token_id".to_owned(),
    ]);
    // SQLite cannot drop a column with a foreign key: there they stay, null.
    if backend == DbBackend::Postgres {
        statements.extend([
            "ALTER TABLE votes DROP COLUMN token_id".to_owned(),
            "ALTER TABLE votes DROP COLUMN hold_id".to_owned(),
        ]);
    }
    statements.extend([
        "ALTER TABLE votes DROP COLUMN window_start".to_owned(),
        "ALTER TABLE votes DROP COLUMN network".to_owned(),
        "ALTER TABLE votes DROP COLUMN status".to_owned(),
        "ALTER TABLE api_tokens DROP COLUMN votes_off_at".to_owned(),
        "ALTER TABLE api_tokens DROP COLUMN vote_quota".to_owned(),
        "ALTER TABLE api_tokens DROP COLUMN partner".to_owned(),
        "ALTER TABLE tool_tallies DROP COLUMN community_rejected".to_owned(),
        "ALTER TABLE tool_tallies DROP COLUMN community_held".to_owned(),
        "DROP TABLE vote_decisions".to_owned(),
        "DROP TABLE vote_windows".to_owned(),
        format!("DELETE FROM settings WHERE key = '{QUOTA_SETTING}'"),
    ]);
    statements
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, up_statements).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        dialect::run(manager, down_statements).await
    }
}
