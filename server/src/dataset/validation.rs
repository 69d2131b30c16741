//! Checks a file before anything is written: every value (with the same
//! field rules as editing, `domain::fields`), duplicates within the file, and
//! references to rows in the file or the database. The first problem found
//! refuses the whole file, naming the item.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use entities::{Lens, PricingModel, Verdict};

use super::{invalid, Dataset, DatasetError, FactRecord, SuggestedFactRecord};
use crate::domain::facts::{self, Fact, FactInput, Suggestion, SuggestionInput};
use crate::domain::fields::{self, TextProblem, TextRule, MAX_SLUG_LEN};

fn check_slug(item: &str, field: &str, slug: &str) -> Result<(), DatasetError> {
    if fields::is_slug(slug) {
        Ok(())
    } else {
        Err(invalid(
            item,
            format!(
                "{field} \"{slug}\" must be 1-{MAX_SLUG_LEN} lowercase letters, digits and single hyphens"
            ),
        ))
    }
}

fn check_text(item: &str, field: &str, value: &str, rule: TextRule) -> Result<(), DatasetError> {
    rule.check(value).map_err(|problem| {
        invalid(
            item,
            match problem {
                TextProblem::Blank => format!("{field} is empty"),
                TextProblem::TooLong { max_chars } => {
                    format!("{field} is longer than {max_chars} characters")
                }
                TextProblem::ControlCharacter => format!("{field} contains a control character"),
            },
        )
    })
}

/// `SHIP` or `SKIP`.
pub(super) fn parse_verdict(item: &str, value: &str) -> Result<Verdict, DatasetError> {
    match value {
        "SHIP" => Ok(Verdict::Ship),
        "SKIP" => Ok(Verdict::Skip),
        _ => Err(invalid(
            item,
            format!("verdict \"{value}\" is not SHIP or SKIP"),
        )),
    }
}

/// One of the four lenses.
pub(super) fn parse_lens(item: &str, value: &str) -> Result<Lens, DatasetError> {
    match value {
        "DEVELOPER_EXPERIENCE" => Ok(Lens::DeveloperExperience),
        "COMPETITIVE_RISK" => Ok(Lens::CompetitiveRisk),
        "STRATEGIC_THESIS" => Ok(Lens::StrategicThesis),
        "BUSINESS_CASE" => Ok(Lens::BusinessCase),
        _ => Err(invalid(
            item,
            format!(
                "lens \"{value}\" is not one of DEVELOPER_EXPERIENCE, COMPETITIVE_RISK, STRATEGIC_THESIS, BUSINESS_CASE"
            ),
        )),
    }
}

/// One of the four pricing models.
pub(super) fn parse_pricing(item: &str, value: &str) -> Result<PricingModel, DatasetError> {
    match value {
        "FREE" => Ok(PricingModel::Free),
        "FREEMIUM" => Ok(PricingModel::Freemium),
        "PAID" => Ok(PricingModel::Paid),
        "CONTACT" => Ok(PricingModel::Contact),
        _ => Err(invalid(
            item,
            format!("pricing.model \"{value}\" is not one of FREE, FREEMIUM, PAID, CONTACT"),
        )),
    }
}

/// `None` = key absent; `Some(None)` = draft; `Some(Some(t))` = published at t,
/// to the microsecond: what both databases store exactly, so that importing
/// the same file again finds the row unchanged.
pub(super) fn parse_published(
    item: &str,
    value: &Option<Option<String>>,
) -> Result<Option<Option<DateTime<Utc>>>, DatasetError> {
    match value {
        None => Ok(None),
        Some(None) => Ok(Some(None)),
        Some(Some(text)) => DateTime::parse_from_rfc3339(text)
            .map(|t| Some(Some(t.with_timezone(&Utc).trunc_subsecs(6))))
            .map_err(|_| {
                invalid(
                    item,
                    format!("published_at \"{text}\" is not an RFC 3339 time such as 2026-11-20T09:00:00Z"),
                )
            }),
    }
}

/// A day, `YYYY-MM-DD`, not after today and not before 1990 (as editors enter them).
pub(super) fn parse_day(item: &str, field: &str, value: &str) -> Result<NaiveDate, DatasetError> {
    crate::domain::provenance::parse_day(field, value, crate::domain::provenance::today())
        .map_err(|error| invalid(item, format!("{field} \"{value}\" {}", bare(error))))
}

/// A judged version or release name: 1 to 40 characters on one line.
pub(super) fn check_version(item: &str, field: &str, value: &str) -> Result<(), DatasetError> {
    match crate::domain::provenance::version(field, value) {
        Ok(Some(trimmed)) if trimmed == value => Ok(()),
        Ok(_) => Err(invalid(
            item,
            format!("{field} \"{value}\" must not be empty or start or end with spaces"),
        )),
        Err(error) => Err(invalid(item, format!("{field} {}", bare(error)))),
    }
}

/// A field error's message without its field.
fn bare(error: crate::error::AppError) -> String {
    match error {
        crate::error::AppError::Validation { message, .. } => message,
        other => other.to_string(),
    }
}

/// A time such as `2026-11-20T09:00:00Z`, to the microsecond.
pub(super) fn parse_time(
    item: &str,
    field: &str,
    value: &str,
) -> Result<DateTime<Utc>, DatasetError> {
    DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc).trunc_subsecs(6))
        .map_err(|_| {
            invalid(
                item,
                format!("{field} \"{value}\" is not an RFC 3339 time such as 2026-11-20T09:00:00Z"),
            )
        })
}

/// `TEXT`, `NUMBER`, `BOOLEAN` or `LIST`; `None` for anything else (the
/// fact checks name it).
fn parse_kind(value: &str) -> Option<entities::FactKind> {
    match value {
        "TEXT" => Some(entities::FactKind::Text),
        "NUMBER" => Some(entities::FactKind::Number),
        "BOOLEAN" => Some(entities::FactKind::Boolean),
        "LIST" => Some(entities::FactKind::List),
        _ => None,
    }
}

/// The first of a list's problems, as a file's error.
fn first_problem(item: &str, problems: Vec<(String, String)>) -> DatasetError {
    match problems.into_iter().next() {
        Some((field, message)) => invalid(item, format!("{field} {message}")),
        None => invalid(item, "is not valid"),
    }
}

/// A tool's facts in a file, checked as editors' are.
pub(super) fn parse_facts(item: &str, records: &[FactRecord]) -> Result<Vec<Fact>, DatasetError> {
    let mut inputs = Vec::with_capacity(records.len());
    for (j, record) in records.iter().enumerate() {
        let kind = parse_kind(&record.kind).ok_or_else(|| {
            invalid(
                item,
                format!(
                    "facts[{j}].kind \"{}\" is not one of TEXT, NUMBER, BOOLEAN, LIST",
                    record.kind
                ),
            )
        })?;
        let (value, items) = match &record.value {
            serde_json::Value::String(text) => (Some(text.clone()), None),
            serde_json::Value::Number(number) => (Some(number.to_string()), None),
            serde_json::Value::Bool(flag) => (Some(flag.to_string()), None),
            serde_json::Value::Array(list) => {
                let mut items = Vec::with_capacity(list.len());
                for (k, entry) in list.iter().enumerate() {
                    let serde_json::Value::String(text) = entry else {
                        return Err(invalid(
                            item,
                            format!("facts[{j}].value[{k}] must be a string"),
                        ));
                    };
                    items.push(text.clone());
                }
                (None, Some(items))
            }
            _ => {
                return Err(invalid(
                    item,
                    format!("facts[{j}].value must be a string, a number, true or false, or an array of strings"),
                ))
            }
        };
        if items.is_some() && kind != entities::FactKind::List {
            return Err(invalid(
                item,
                format!("facts[{j}].value: only a LIST takes an array"),
            ));
        }
        inputs.push(FactInput {
            label: record.label.clone(),
            kind: Some(kind),
            value,
            items,
            unit: record.unit.clone(),
        });
    }
    facts::check_facts("facts", &inputs).map_err(|problems| first_problem(item, problems))
}

/// A category's suggested labels in a file.
pub(super) fn parse_suggestions(
    item: &str,
    records: &[SuggestedFactRecord],
) -> Result<Vec<Suggestion>, DatasetError> {
    let mut inputs = Vec::with_capacity(records.len());
    for (j, record) in records.iter().enumerate() {
        let kind = parse_kind(&record.kind).ok_or_else(|| {
            invalid(
                item,
                format!(
                    "suggested_facts[{j}].kind \"{}\" is not one of TEXT, NUMBER, BOOLEAN, LIST",
                    record.kind
                ),
            )
        })?;
        inputs.push(SuggestionInput {
            label: record.label.clone(),
            kind: Some(kind),
            unit: record.unit.clone(),
        });
    }
    facts::check_suggestions("suggested_facts", &inputs)
        .map_err(|problems| first_problem(item, problems))
}

fn check_unique(
    kind: &str,
    keys: impl Iterator<Item = (usize, String)>,
) -> Result<(), DatasetError> {
    let mut seen = HashSet::new();
    for (index, key) in keys {
        if !seen.insert(key.clone()) {
            return Err(invalid(
                format!("{kind}[{index}]"),
                format!("{key} appears twice in the file"),
            ));
        }
    }
    Ok(())
}

/// Checks everything that needs no database.
pub(super) fn validate(data: &Dataset) -> Result<(), DatasetError> {
    for (i, c) in data.categories.iter().enumerate() {
        let item = format!("categories[{i}] \"{}\"", c.slug);
        check_slug(&item, "slug", &c.slug)?;
        check_text(&item, "name", &c.name, fields::CATEGORY_NAME)?;
        if let Some(suggested) = &c.suggested_facts {
            parse_suggestions(&item, suggested)?;
        }
    }
    for (i, r) in data.reviewers.iter().enumerate() {
        let item = format!("reviewers[{i}] \"{}\"", r.slug);
        check_slug(&item, "slug", &r.slug)?;
        check_text(&item, "name", &r.name, fields::REVIEWER_NAME)?;
        check_text(&item, "bio", &r.bio, fields::REVIEWER_BIO)?;
        parse_lens(&item, &r.lens)?;
    }
    for (i, t) in data.tools.iter().enumerate() {
        let item = format!("tools[{i}] \"{}\"", t.slug);
        check_slug(&item, "slug", &t.slug)?;
        check_text(&item, "name", &t.name, fields::TOOL_NAME)?;
        check_text(&item, "vendor", &t.vendor, fields::TOOL_VENDOR)?;
        check_text(&item, "tagline", &t.tagline, fields::TOOL_TAGLINE)?;
        check_text(
            &item,
            "description",
            &t.description,
            fields::TOOL_DESCRIPTION,
        )?;
        check_text(&item, "license", &t.license, fields::TOOL_LICENSE)?;
        check_text(
            &item,
            "pricing.entry",
            &t.pricing.entry,
            fields::TOOL_PRICING_ENTRY,
        )?;
        parse_pricing(&item, &t.pricing.model)?;
        if let Some(url) = &t.website_url {
            if !fields::is_website_url(url) {
                return Err(invalid(
                    &item,
                    format!("website_url \"{url}\" is not an http(s) URL"),
                ));
            }
        }
        parse_published(&item, &t.published_at)?;
        if let Some(facts) = &t.facts {
            parse_facts(&item, facts)?;
        }
        let releases = t.releases.as_deref().unwrap_or_default();
        for (j, release) in releases.iter().enumerate() {
            let item = format!("{item} releases[{j}]");
            check_version(&item, "version", &release.version)?;
            parse_day(&item, "released_on", &release.released_on)?;
            if let Some(note) = &release.note {
                let rule = TextRule {
                    max_chars: crate::domain::provenance::MAX_RELEASE_NOTE_CHARS,
                };
                check_text(&item, "note", note, rule)?;
            }
        }
        check_unique(
            &format!("tools[{i}] releases"),
            releases
                .iter()
                .map(|r| format!("version \"{}\"", r.version))
                .enumerate(),
        )?;
    }
    for (i, r) in data.reviews.iter().enumerate() {
        let item = format!(
            "reviews[{i}] (tool \"{}\", reviewer \"{}\")",
            r.tool, r.reviewer
        );
        parse_verdict(&item, &r.verdict)?;
        check_text(&item, "body", &r.body, fields::REVIEW_BODY)?;
        parse_published(&item, &r.published_at)?;
        if let Some(day) = &r.reviewed_on {
            parse_day(&item, "reviewed_on", day)?;
        }
        if let Some(Some(version)) = &r.judged_version {
            check_version(&item, "judged_version", version)?;
        }
        for (j, earlier) in r.history.iter().flatten().enumerate() {
            let item = format!("{item} history[{j}]");
            parse_verdict(&item, &earlier.verdict)?;
            check_text(&item, "body", &earlier.body, fields::REVIEW_BODY)?;
            if let Some(version) = &earlier.judged_version {
                check_version(&item, "judged_version", version)?;
            }
            parse_day(&item, "reviewed_on", &earlier.reviewed_on)?;
            parse_time(&item, "replaced_at", &earlier.replaced_at)?;
        }
    }
    for (i, c) in data.comparisons.iter().enumerate() {
        let item = format!("comparisons[{i}] \"{}\"", c.slug);
        check_slug(&item, "slug", &c.slug)?;
        check_text(&item, "title", &c.title, fields::COMPARISON_TITLE)?;
        check_text(&item, "summary", &c.summary, fields::COMPARISON_SUMMARY)?;
        for (field, value, rule) in [
            (
                "verdict_line",
                &c.verdict_line,
                fields::COMPARISON_VERDICT_LINE,
            ),
            ("byline", &c.byline, fields::COMPARISON_BYLINE),
        ] {
            if let Some(value) = value {
                check_text(&item, field, value, rule)?;
                if !fields::is_one_line(value) {
                    return Err(invalid(item, format!("{field} is more than one line")));
                }
            }
        }
        if c.left == c.right {
            return Err(invalid(
                item,
                format!("left and right are both \"{}\"", c.left),
            ));
        }
        parse_published(&item, &c.published_at)?;
    }
    for (i, v) in data.votes.iter().enumerate() {
        let item = format!("votes[{i}] (tool \"{}\", voter \"{}\")", v.tool, v.voter);
        if !fields::is_voter_id(&v.voter) {
            return Err(invalid(
                item,
                format!(
                    "voter must be 1 to {} printable characters",
                    fields::VOTER_ID_MAX_BYTES
                ),
            ));
        }
        parse_verdict(&item, &v.verdict)?;
    }
    check_unique(
        "categories",
        data.categories.iter().map(|c| c.slug.clone()).enumerate(),
    )?;
    check_unique(
        "reviewers",
        data.reviewers.iter().map(|r| r.slug.clone()).enumerate(),
    )?;
    check_unique(
        "tools",
        data.tools.iter().map(|t| t.slug.clone()).enumerate(),
    )?;
    check_unique(
        "comparisons",
        data.comparisons.iter().map(|c| c.slug.clone()).enumerate(),
    )?;
    check_unique(
        "reviews",
        data.reviews
            .iter()
            .map(|r| format!("the review of \"{}\" by \"{}\"", r.tool, r.reviewer))
            .enumerate(),
    )?;
    Ok(())
}

/// The slugs already in the database, per kind a reference may name.
pub(super) struct StoredSlugs<'a> {
    pub categories: HashSet<&'a str>,
    pub reviewers: HashSet<&'a str>,
    pub tools: HashSet<&'a str>,
}

/// Checks that every reference names a slug in the file or the database.
pub(super) fn check_references<'a>(
    data: &'a Dataset,
    stored: StoredSlugs<'a>,
) -> Result<(), DatasetError> {
    let StoredSlugs {
        mut categories,
        mut reviewers,
        mut tools,
    } = stored;
    categories.extend(data.categories.iter().map(|c| c.slug.as_str()));
    reviewers.extend(data.reviewers.iter().map(|r| r.slug.as_str()));
    tools.extend(data.tools.iter().map(|t| t.slug.as_str()));
    let missing = |kind: &str, slug: &str| {
        format!("{kind} \"{slug}\" is neither in the file nor in the database")
    };
    for (i, t) in data.tools.iter().enumerate() {
        if !categories.contains(t.category.as_str()) {
            return Err(invalid(
                format!("tools[{i}] \"{}\"", t.slug),
                missing("category", &t.category),
            ));
        }
    }
    for (i, r) in data.reviews.iter().enumerate() {
        let item = format!(
            "reviews[{i}] (tool \"{}\", reviewer \"{}\")",
            r.tool, r.reviewer
        );
        if !tools.contains(r.tool.as_str()) {
            return Err(invalid(item, missing("tool", &r.tool)));
        }
        if !reviewers.contains(r.reviewer.as_str()) {
            return Err(invalid(item, missing("reviewer", &r.reviewer)));
        }
    }
    for (i, c) in data.comparisons.iter().enumerate() {
        let item = format!("comparisons[{i}] \"{}\"", c.slug);
        for side in [&c.left, &c.right] {
            if !tools.contains(side.as_str()) {
                return Err(invalid(item, missing("tool", side)));
            }
        }
    }
    for (i, v) in data.votes.iter().enumerate() {
        if !tools.contains(v.tool.as_str()) {
            return Err(invalid(
                format!("votes[{i}] (tool \"{}\", voter \"{}\")", v.tool, v.voter),
                missing("tool", &v.tool),
            ));
        }
    }
    Ok(())
}
