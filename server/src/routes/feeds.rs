//! What search engines, feed readers and other sites fetch: `/feed.xml`
//! (Atom, the published comparisons; per item in [`super::item_feeds`]),
//! `/integrity.atom` (Atom, the integrity ledger), `/sitemap.xml` (every public page),
//! `/robots.txt`, and `/badge/<slug>.svg` (a tool's scores as a badge).

use crate::{
    domain::{
        catalogue, editors, integrity,
        scores::{self, CommunityScore},
    },
    error::AppError,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Router,
};
use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use chrono::{DateTime, SecondsFormat, Utc};

/// Entries in the feed.
const FEED_ENTRIES: u64 = 50;

/// The feed, the sitemap, robots.txt and badges.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/feed.xml", get(feed))
        .route("/integrity.atom", get(integrity_feed))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
        .route("/badge/{file}", get(badge))
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

pub(super) fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn xml(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        body,
    )
        .into_response()
}

/// An Atom feed last changed at `updated`, with its validators (`ETag`,
/// `Last-Modified`), or a 304 when the client's `If-None-Match` (else its
/// `If-Modified-Since`) shows it already holds it.
pub(super) fn atom(headers: &HeaderMap, body: String, updated: DateTime<Utc>) -> Response {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!("W/\"{}\"", URL_SAFE_NO_PAD.encode(&digest[..18]));
    let modified = updated.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
    let header_text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let held = match header_text(header::IF_NONE_MATCH) {
        // `If-None-Match` wins over `If-Modified-Since` (RFC 9110).
        Some(sent) => sent.split(',').any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == etag.trim_start_matches("W/")
        }),
        None => header_text(header::IF_MODIFIED_SINCE)
            .and_then(|since| DateTime::parse_from_rfc2822(since).ok())
            .is_some_and(|since| updated.timestamp() <= since.timestamp()),
    };
    let validators = [
        (header::CACHE_CONTROL, "public, max-age=300".to_owned()),
        (header::ETAG, etag),
        (header::LAST_MODIFIED, modified),
    ];
    if held {
        return (StatusCode::NOT_MODIFIED, validators).into_response();
    }
    (
        validators,
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        body,
    )
        .into_response()
}

async fn feed(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let base = state.config.public_url.trim_end_matches('/');
    let comparisons = catalogue::comparisons::newest(&state.db, FEED_ENTRIES).await?;
    let names = catalogue::tools::names(
        &state.db,
        comparisons
            .iter()
            .flat_map(|c| [c.left_tool_id, c.right_tool_id]),
    )
    .await?;
    let updated = comparisons
        .iter()
        .filter_map(|c| c.published_at)
        .max()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>Verdicts: AI tools, head to head</title>\n\
         <subtitle>New comparisons: an expert panel's SHIP or SKIP verdicts, and the readers' votes.</subtitle>\n\
         <id>{base}/</id>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}/feed.xml\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}/\"/>\n\
         <updated>{updated}</updated>\n\
         <author><name>Verdicts</name></author>\n",
        base = xml_escape(base),
        updated = rfc3339(updated),
    );
    for c in &comparisons {
        let name = |id: i64| names.get(&id).map_or("", String::as_str);
        let url = xml_escape(&format!("{base}/compare/{}", c.slug));
        let published = rfc3339(c.published_at.unwrap_or(updated));
        body.push_str(&format!(
            "<entry>\n<title>{title}</title>\n<id>{url}</id>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n\
             <published>{published}</published>\n<updated>{published}</updated>\n\
             <category term=\"{left}\"/>\n<category term=\"{right}\"/>\n\
             <summary type=\"text\">{summary}</summary>\n</entry>\n",
            title = xml_escape(&c.title),
            left = xml_escape(name(c.left_tool_id)),
            right = xml_escape(name(c.right_tool_id)),
            summary = xml_escape(&c.summary),
        ));
    }
    body.push_str("</feed>\n");
    Ok(atom(&headers, body, updated))
}

/// The integrity ledger as Atom: the newest windows that held votes and the
/// newest decisions, each an entry. Editors' reasons and partner apps'
/// names are text typed by people: escaped like every other text here.
async fn integrity_feed(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let base = state.config.public_url.trim_end_matches('/');
    let rules = integrity::Rules {
        network_quota: state.config.vote_network_quota,
        window_secs: state.config.vote_network_window_secs,
        expire_days: state.config.held_votes_expire_days,
    };
    let windows = integrity::held_windows(&state.db, None, LEDGER_ENTRIES, None).await?;
    let decisions = integrity::decisions(&state.db, LEDGER_ENTRIES, None).await?;
    // Drafts' names are not public: their entries say "a tool not yet published".
    let tools: std::collections::HashMap<i64, (String, String)> =
        catalogue::tools::published_by_ids(
            &state.db,
            windows
                .iter()
                .map(|w| w.window.tool_id)
                .chain(decisions.iter().filter_map(|d| d.tool_id)),
        )
        .await?
        .into_iter()
        .map(|t| (t.id, (t.slug, t.name)))
        .collect();
    let apps = editors::token_names(&state.db, decisions.iter().filter_map(|d| d.token_id)).await?;
    let tool_name = |id: i64| {
        tools
            .get(&id)
            .map_or("A tool not yet published", |(_, name)| name.as_str())
    };
    let tool_url = |id: i64| match tools.get(&id) {
        Some((slug, _)) => format!("{base}/tools/{slug}#vote-integrity"),
        None => format!("{base}/integrity"),
    };
    let mut entries: Vec<(DateTime<Utc>, String)> = Vec::new();
    for held in &windows {
        let w = &held.window;
        let updated = held
            .decisions
            .first()
            .map_or(w.last_at, |d| d.decided_at.max(w.last_at));
        let status = match held.status() {
            integrity::WindowStatus::Pending => "held for an editor's review",
            integrity::WindowStatus::Released => "released: they count",
            integrity::WindowStatus::Rejected => "rejected: they do not count",
            integrity::WindowStatus::Expired => "rejected by the expiry rule",
            integrity::WindowStatus::Mixed => "partly released, partly rejected",
            integrity::WindowStatus::Withdrawn => "withdrawn by their voters",
        };
        let mut summary = format!(
            "{} new voters from one network between {} and {}; {} votes set aside, {status}. \
             The rule: {}.",
            w.voters,
            rfc3339(w.first_at),
            rfc3339(w.last_at),
            held.set_aside(),
            rules.describe(),
        );
        for d in &held.decisions {
            summary.push_str(&format!(
                "\n{} ({} votes, {}, {}): {}",
                decision_verb(&d.decision),
                d.votes,
                if d.decision == "EXPIRE" {
                    "by rule"
                } else {
                    "by an editor"
                },
                rfc3339(d.decided_at),
                d.reason
            ));
        }
        let url = tool_url(w.tool_id);
        entries.push((
            updated,
            entry(
                &format!("{base}/integrity#window-{}", w.id),
                &format!(
                    "{}: {} votes from one network set aside ({status})",
                    tool_name(w.tool_id),
                    held.set_aside()
                ),
                &url,
                held.started_at(),
                updated,
                &summary,
            ),
        ));
    }
    for d in &decisions {
        let about = match (d.tool_id, d.token_id) {
            (Some(tool), _) => tool_name(tool).to_owned(),
            (None, Some(token)) => format!(
                "partner app {}",
                apps.get(&token).map_or("(removed)", String::as_str)
            ),
            (None, None) => "votes".to_owned(),
        };
        let url = d
            .tool_id
            .map_or_else(|| format!("{base}/integrity"), tool_url);
        entries.push((
            d.decided_at,
            entry(
                &format!("{base}/integrity#decision-{}", d.id),
                &format!(
                    "{}: {} ({} votes, {})",
                    about,
                    decision_verb(&d.decision),
                    d.votes,
                    if d.decision == "EXPIRE" {
                        "by rule"
                    } else {
                        "by an editor"
                    }
                ),
                &url,
                d.decided_at,
                d.decided_at,
                &d.reason,
            ),
        ));
    }
    entries.sort_by_key(|entry| std::cmp::Reverse(entry.0));
    let updated = entries
        .first()
        .map_or(DateTime::<Utc>::UNIX_EPOCH, |(at, _)| *at);
    let mut body = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>Verdicts: the integrity ledger</title>\n\
         <subtitle>Readers' votes the counting rule set aside, and what editors decided, with their reasons.</subtitle>\n\
         <id>{base}/integrity</id>\n\
         <link rel=\"self\" type=\"application/atom+xml\" href=\"{base}/integrity.atom\"/>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{base}/integrity\"/>\n\
         <updated>{updated}</updated>\n\
         <author><name>Verdicts</name></author>\n",
        base = xml_escape(base),
        updated = rfc3339(updated),
    );
    for (_, entry) in entries {
        body.push_str(&entry);
    }
    body.push_str("</feed>\n");
    Ok(atom(&headers, body, updated))
}

/// Entries of each kind in the integrity feed.
const LEDGER_ENTRIES: u64 = 30;

fn decision_verb(decision: &str) -> &'static str {
    match decision {
        "RELEASE" => "held votes released",
        "REJECT" => "held votes rejected",
        "SOURCE_OFF" => "votes switched off",
        "SOURCE_ON" => "votes switched back on",
        _ => "held votes expired",
    }
}

/// One Atom entry; every text escaped.
fn entry(
    id: &str,
    title: &str,
    url: &str,
    published: DateTime<Utc>,
    updated: DateTime<Utc>,
    summary: &str,
) -> String {
    format!(
        "<entry>\n<title>{title}</title>\n<id>{id}</id>\n\
         <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n\
         <published>{published}</published>\n<updated>{updated}</updated>\n\
         <summary type=\"text\">{summary}</summary>\n</entry>\n",
        title = xml_escape(title),
        id = xml_escape(id),
        url = xml_escape(url),
        published = rfc3339(published),
        updated = rfc3339(updated),
        summary = xml_escape(summary),
    )
}

async fn sitemap(State(state): State<AppState>) -> Result<Response, AppError> {
    let base = state.config.public_url.trim_end_matches('/');
    let mut urls: Vec<(String, Option<DateTime<Utc>>)> = vec![
        ("/".into(), None),
        ("/tools".into(), None),
        ("/compare".into(), None),
        ("/api".into(), None),
        ("/integrity".into(), None),
        ("/panel".into(), None),
    ];
    let comparisons = catalogue::comparisons::all_published(&state.db).await?;
    urls.extend(
        comparisons
            .into_iter()
            .map(|c| (format!("/compare/{}", c.slug), c.published_at)),
    );
    let tools = catalogue::tools::all_published(&state.db).await?;
    let used_categories: std::collections::HashSet<i64> =
        tools.iter().map(|t| t.category_id).collect();
    urls.extend(
        tools
            .into_iter()
            .map(|t| (format!("/tools/{}", t.slug), t.published_at)),
    );
    let categories = catalogue::categories::all(&state.db).await?;
    urls.extend(
        categories
            .into_iter()
            .filter(|c| used_categories.contains(&c.id))
            .map(|c| (format!("/categories/{}", c.slug), None)),
    );
    let reviewers = catalogue::reviewers::all(&state.db).await?;
    urls.extend(
        reviewers
            .into_iter()
            .map(|r| (format!("/reviewers/{}", r.slug), None)),
    );
    let mut body = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
         <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, modified) in urls {
        body.push_str(&format!(
            "<url><loc>{}</loc>",
            xml_escape(&format!("{base}{path}"))
        ));
        if let Some(at) = modified {
            body.push_str(&format!("<lastmod>{}</lastmod>", rfc3339(at)));
        }
        body.push_str("</url>\n");
    }
    body.push_str("</urlset>\n");
    Ok(xml("application/xml; charset=utf-8", body))
}

async fn robots(State(state): State<AppState>) -> Response {
    let base = state.config.public_url.trim_end_matches('/');
    (
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        format!(
            "User-agent: *\nAllow: /\nDisallow: /admin\nDisallow: /graphql\n\
             Disallow: /newsletter/\nDisallow: /search\n\nSitemap: {base}/sitemap.xml\n"
        ),
    )
        .into_response()
}

/// Approximate advance widths of Verdana 11px (what shields-style badges
/// use), so the text fits its box.
fn text_width(text: &str) -> u32 {
    text.chars()
        .map(|c| match c {
            'i' | 'l' | '.' | ',' | ':' | '\'' | '!' | '|' => 3.5,
            'f' | 'j' | 't' | 'r' | ' ' | 'I' => 4.5,
            'm' | 'w' | '%' | 'M' | 'W' => 10.0,
            '\u{2014}' => 11.0,
            c if c.is_ascii_uppercase() || c.is_ascii_digit() => 7.5,
            _ => 6.8,
        })
        .sum::<f64>()
        .ceil() as u32
}

/// A shields-style badge: a grey label and a coloured value.
pub fn badge_svg(label: &str, value: &str, colour: &str, title: &str) -> String {
    let label_w = text_width(label) + 12;
    let value_w = text_width(value) + 12;
    let width = label_w + value_w;
    let (label, value, title) = (xml_escape(label), xml_escape(value), xml_escape(title));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"20\" role=\"img\" aria-label=\"{title}\">\
<title>{title}</title>\
<linearGradient id=\"s\" x2=\"0\" y2=\"100%\"><stop offset=\"0\" stop-color=\"#bbb\" stop-opacity=\".1\"/><stop offset=\"1\" stop-opacity=\".1\"/></linearGradient>\
<clipPath id=\"r\"><rect width=\"{width}\" height=\"20\" rx=\"3\" fill=\"#fff\"/></clipPath>\
<g clip-path=\"url(#r)\"><rect width=\"{label_w}\" height=\"20\" fill=\"#555\"/><rect x=\"{label_w}\" width=\"{value_w}\" height=\"20\" fill=\"{colour}\"/><rect width=\"{width}\" height=\"20\" fill=\"url(#s)\"/></g>\
<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,Geneva,DejaVu Sans,sans-serif\" font-size=\"11\">\
<text x=\"{lx}\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\">{label}</text><text x=\"{lx}\" y=\"14\">{label}</text>\
<text x=\"{vx}\" y=\"15\" fill=\"#010101\" fill-opacity=\".3\">{value}</text><text x=\"{vx}\" y=\"14\">{value}</text></g></svg>",
        lx = label_w / 2,
        vx = label_w + value_w / 2,
    )
}

/// The badge colour for a panel percentage: green is a clear SHIP.
fn colour_for(percent: Option<u32>) -> &'static str {
    match percent {
        Some(75..) => "#2e7d32",
        Some(50..) => "#5d8a1e",
        Some(25..) => "#b45309",
        Some(_) => "#b42318",
        None => "#6b7280",
    }
}

async fn badge(
    State(state): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let tool = match file.strip_suffix(".svg") {
        Some(slug) => catalogue::tools::published(&state.db, slug).await?,
        None => None,
    };
    let Some(tool) = tool else {
        let svg = badge_svg(
            "verdicts",
            "no such tool",
            "#6b7280",
            "Verdicts: no such tool",
        );
        return Ok((
            StatusCode::NOT_FOUND,
            [
                (header::CONTENT_TYPE, "image/svg+xml"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            svg,
        )
            .into_response());
    };
    let panel = scores::panel_tallies(&state.db, &[tool.id])
        .await?
        .remove(&tool.id)
        .unwrap_or_default();
    let community = CommunityScore {
        tally: scores::community_tallies(&state.db, &[tool.id])
            .await?
            .remove(&tool.id)
            .unwrap_or_default(),
        min_votes: state.config.min_community_votes,
    };
    let percent = |p: Option<u32>| p.map_or("\u{2014}".to_owned(), |p| format!("{p}%"));
    let value = format!(
        "panel {} \u{b7} readers {}",
        percent(panel.ship_percent()),
        percent(community.ship_percent())
    );
    let title = format!(
        "Verdicts on {}: panel {}, readers {}",
        tool.name,
        panel
            .ship_percent()
            .map_or("not reviewed yet".to_owned(), |p| format!("{p}% ship")),
        community
            .ship_percent()
            .map_or("too few votes".to_owned(), |p| format!("{p}% ship")),
    );
    let svg = badge_svg("verdicts", &value, colour_for(panel.ship_percent()), &title);
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            // Embedded on other sites: fresh within minutes, cheap to serve.
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        svg,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::{badge_svg, xml_escape};

    #[test]
    fn xml_escape_makes_hostile_text_inert() {
        assert_eq!(
            xml_escape("<a href=\"x\">Tom & Jerry's</a>\u{1}"),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;"
        );
    }

    #[test]
    fn badges_grow_with_their_text() {
        let short = badge_svg("verdicts", "panel 50%", "#555", "t");
        let long = badge_svg("verdicts", "panel 50% \u{b7} readers 100%", "#555", "t");
        let width = |svg: &str| {
            svg.split("width=\"")
                .nth(1)
                .and_then(|w| w.split('"').next())
                .and_then(|w| w.parse::<u32>().ok())
                .expect("a width")
        };
        assert!(width(&long) > width(&short) + 40);
    }
}
