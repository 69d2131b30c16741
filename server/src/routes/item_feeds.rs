//! Atom feeds of one tool, one reviewer or one category
//! (`/tools/<slug>/feed.xml`, `/reviewers/<slug>/feed.xml`,
//! `/categories/<slug>/feed.xml`): its published reviews, the verdicts its
//! reviewers flipped (from the editors' audit log), the comparisons of its
//! tools and the day a tool's readers' score became available.

use std::collections::HashMap;

use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::Response,
    routing::get,
    Router,
};
use chrono::{DateTime, NaiveDate, Utc};
use entities::{audit_entry, reviewer, tool};
use sea_orm::{ActiveEnum, DatabaseConnection, DbErr};
use serde_json::Value;

use super::feeds::{atom, rfc3339, xml_escape};
use crate::{
    domain::{catalogue, desk, history},
    error::AppError,
    state::AppState,
};

/// Entries in one item's feed.
const ENTRIES: usize = 50;
/// Audit entries of reviews read for verdict flips, newest first.
const AUDIT_READ: u64 = 500;

/// The per-item feeds.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tools/{slug}/feed.xml", get(tool_feed))
        .route("/reviewers/{slug}/feed.xml", get(reviewer_feed))
        .route("/categories/{slug}/feed.xml", get(category_feed))
}

/// One entry of a feed.
struct Entry {
    id: String,
    title: String,
    /// The page it is about, as a path.
    page: String,
    at: DateTime<Utc>,
    summary: String,
    /// Who wrote it, when a reviewer did.
    author: Option<String>,
}

/// What one feed covers.
struct Scope {
    /// The feed's title.
    title: String,
    /// The page the feed belongs to, as a path (`/tools/cursor`).
    page: String,
    /// The tools whose reviews, comparisons and scores it follows.
    tools: Vec<tool::Model>,
    /// Only this reviewer's reviews, when set.
    reviewer: Option<i64>,
    /// Whether score milestones are entries.
    milestones: bool,
}

async fn tool_feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let tool = catalogue::tools::published(&state.db, &slug)
        .await?
        .ok_or_else(|| not_found("tool", &slug))?;
    let scope = Scope {
        title: format!("{} on Verdicts", tool.name),
        page: format!("/tools/{}", tool.slug),
        tools: vec![tool],
        reviewer: None,
        milestones: true,
    };
    answer(&state, &headers, scope).await
}

async fn reviewer_feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let reviewer = catalogue::reviewers::by_slug(&state.db, &slug)
        .await?
        .ok_or_else(|| not_found("reviewer", &slug))?;
    // The tools this reviewer has a published review of.
    let tools = catalogue::tools::reviewed_by(&state.db, reviewer.id).await?;
    let scope = Scope {
        title: format!("{}'s verdicts on Verdicts", reviewer.name),
        page: format!("/reviewers/{}", reviewer.slug),
        tools,
        reviewer: Some(reviewer.id),
        milestones: false,
    };
    answer(&state, &headers, scope).await
}

async fn category_feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let category = catalogue::categories::by_slug(&state.db, &slug)
        .await?
        .ok_or_else(|| not_found("category", &slug))?;
    let tools = catalogue::tools::published_in_category(&state.db, category.id).await?;
    let scope = Scope {
        title: format!("{} on Verdicts", category.name),
        page: format!("/categories/{}", category.slug),
        tools,
        reviewer: None,
        milestones: true,
    };
    answer(&state, &headers, scope).await
}

fn not_found(what: &'static str, slug: &str) -> AppError {
    AppError::NotFound {
        what,
        key: slug.to_owned(),
    }
}

async fn answer(state: &AppState, headers: &HeaderMap, scope: Scope) -> Result<Response, AppError> {
    let base = state.config.public_url.trim_end_matches('/');
    let mut entries = entries(&state.db, &scope, state.config.min_community_votes).await?;
    entries.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id)));
    entries.truncate(ENTRIES);
    let updated = entries
        .iter()
        .map(|e| e.at)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let page = format!("{base}{}", scope.page);
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>{title}</title>\n\
         <subtitle>Verdicts given and changed, new comparisons and score milestones.</subtitle>\n\
         <id>{page}</id>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{page}/feed.xml\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{page}\"/>\n\
         <updated>{updated}</updated>\n\
         <author><name>Verdicts</name></author>\n",
        title = xml_escape(&scope.title),
        page = xml_escape(&page),
        updated = rfc3339(updated),
    );
    for entry in &entries {
        let url = xml_escape(&format!("{base}{}", entry.page));
        let at = rfc3339(entry.at);
        let author = entry
            .author
            .as_deref()
            .map(|name| format!("<author><name>{}</name></author>\n", xml_escape(name)))
            .unwrap_or_default();
        body.push_str(&format!(
            "<entry>\n<title>{title}</title>\n<id>{id}</id>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n\
             <published>{at}</published>\n<updated>{at}</updated>\n{author}\
             <summary type=\"text\">{summary}</summary>\n</entry>\n",
            title = xml_escape(&entry.title),
            id = xml_escape(&format!("{base}{}", entry.id)),
            summary = xml_escape(&entry.summary),
        ));
    }
    body.push_str("</feed>\n");
    Ok(atom(headers, body, updated))
}

/// Every entry of `scope`, in no order.
async fn entries(
    db: &DatabaseConnection,
    scope: &Scope,
    min_votes: u32,
) -> Result<Vec<Entry>, DbErr> {
    let tools: HashMap<i64, &tool::Model> = scope.tools.iter().map(|t| (t.id, t)).collect();
    let ids: Vec<i64> = tools.keys().copied().collect();
    let mut entries = Vec::new();
    if ids.is_empty() {
        return Ok(entries);
    }
    let reviewers: HashMap<i64, reviewer::Model> = catalogue::reviewers::all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();

    // Published reviews: a verdict given.
    let reviews = catalogue::reviews::published_of_tools(db, &ids, scope.reviewer).await?;
    let mut keys = HashMap::new();
    for r in &reviews {
        let (Some(tool), Some(reviewer), Some(at)) = (
            tools.get(&r.tool_id),
            reviewers.get(&r.reviewer_id),
            r.published_at,
        ) else {
            continue;
        };
        keys.insert(
            format!("{}/{}", reviewer.slug, tool.slug),
            (*tool, reviewer),
        );
        entries.push(Entry {
            id: format!("/tools/{}#review-{}", tool.slug, r.id),
            title: format!(
                "{}: {} on {}",
                reviewer.name,
                r.verdict.to_value(),
                tool.name
            ),
            page: format!("/tools/{}", tool.slug),
            at,
            summary: r.body.clone(),
            author: Some(reviewer.name.clone()),
        });
    }

    // Verdicts flipped on published reviews, from the editors' audit log.
    if !keys.is_empty() {
        let changes = desk::review_changes(db, keys.keys().cloned(), AUDIT_READ).await?;
        for change in changes {
            let Some((tool, reviewer)) = keys.get(&change.entity_key) else {
                continue;
            };
            let Some((before, after)) = flip(&change) else {
                continue;
            };
            entries.push(Entry {
                id: format!("/tools/{}#verdict-change-{}", tool.slug, change.id),
                title: format!(
                    "{} now says {after} on {} (was {before})",
                    reviewer.name, tool.name
                ),
                page: format!("/tools/{}", tool.slug),
                at: change.created_at,
                summary: format!(
                    "{} changed their verdict on {} from {before} to {after}.",
                    reviewer.name, tool.name
                ),
                author: Some(reviewer.name.clone()),
            });
        }
    }

    // Comparisons of these tools.
    let comparisons =
        catalogue::comparisons::published_of_tools(db, &ids, Some(ENTRIES as u64)).await?;
    for c in comparisons {
        let Some(at) = c.published_at else {
            continue;
        };
        entries.push(Entry {
            id: format!("/compare/{}", c.slug),
            title: c.title,
            page: format!("/compare/{}", c.slug),
            at,
            summary: c.summary,
            author: None,
        });
    }

    // The first day each tool had enough readers' votes for its score.
    if scope.milestones {
        let firsts = history::first_days_with_votes(db, &ids, min_votes).await?;
        for (tool_id, day) in firsts {
            let (Some(tool), Ok(day)) = (
                tools.get(&tool_id),
                NaiveDate::parse_from_str(&day, "%Y-%m-%d"),
            ) else {
                continue;
            };
            entries.push(Entry {
                id: format!("/tools/{}#community-score", tool.slug),
                title: format!("{}: the readers' score is out", tool.name),
                page: format!("/tools/{}", tool.slug),
                at: day.and_time(chrono::NaiveTime::MIN).and_utc(),
                summary: format!(
                    "{} has {min_votes} readers' votes or more: its community score now shows.",
                    tool.name
                ),
                author: None,
            });
        }
    }
    Ok(entries)
}

/// The verdicts before and after a change of a review that was published
/// before and after it, when they differ.
fn flip(change: &audit_entry::Model) -> Option<(String, String)> {
    let summary = |text: &Option<String>| -> Option<(String, bool)> {
        let value: Value = serde_json::from_str(text.as_deref()?).ok()?;
        Some((
            value.get("verdict")?.as_str()?.to_owned(),
            value.get("published")?.as_bool()?,
        ))
    };
    let (before, was_published) = summary(&change.before)?;
    let (after, is_published) = summary(&change.after)?;
    (was_published && is_published && before != after).then_some((before, after))
}
