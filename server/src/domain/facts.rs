//! Tool facts: a label, a typed value (text, a number, yes or no, a list)
//! and an optional unit, checked per kind and stored as canonical text
//! (migration 16); how readers see them; and the facts table that sets any
//! number of tools' facts side by side, aligned by label.

use std::collections::{BTreeMap, HashMap};

use entities::{category_fact_label, tool_fact, FactKind};

use crate::domain::fields::{TextProblem, TextRule};

/// Most facts one tool carries.
pub const MAX_FACTS: usize = 40;
/// Most labels one category suggests.
pub const MAX_SUGGESTED: usize = 40;
/// Longest label, in characters.
pub const MAX_LABEL_CHARS: usize = 60;
/// Longest TEXT value, in characters.
pub const MAX_TEXT_CHARS: usize = 300;
/// Longest unit, in characters.
pub const MAX_UNIT_CHARS: usize = 24;
/// Most items of a LIST.
pub const MAX_ITEMS: usize = 20;
/// Longest LIST item, in characters.
pub const MAX_ITEM_CHARS: usize = 60;
/// Largest magnitude of a NUMBER (beyond it, decimals lose digits).
pub const MAX_NUMBER: f64 = 1e15;

/// A fact as an editor (or a file) gives it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FactInput {
    /// "Context window".
    pub label: String,
    /// What the value is.
    pub kind: Option<FactKind>,
    /// The value as typed: text, a number ("128000", "128,000", "0.5"),
    /// yes or no ("true", "yes", "false", "no"), or a LIST's items
    /// separated by commas or line breaks.
    pub value: Option<String>,
    /// A LIST's items, one each (instead of `value`).
    pub items: Option<Vec<String>>,
    /// "tokens"; empty for none.
    pub unit: Option<String>,
}

/// A checked fact, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    /// Trimmed.
    pub label: String,
    /// Its kind.
    pub kind: FactKind,
    /// Canonical text (see [`tool_fact::Model::value`]).
    pub value: String,
    /// Trimmed; none when empty.
    pub unit: Option<String>,
}

impl From<&tool_fact::Model> for Fact {
    fn from(m: &tool_fact::Model) -> Self {
        Fact {
            label: m.label.clone(),
            kind: m.kind,
            value: m.value.clone(),
            unit: m.unit.clone(),
        }
    }
}

/// A label a category suggests, as given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SuggestionInput {
    /// "Parameters".
    pub label: String,
    /// The kind its values take.
    pub kind: Option<FactKind>,
    /// The unit its values usually take; empty for none.
    pub unit: Option<String>,
}

/// A checked suggestion, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Trimmed.
    pub label: String,
    /// Its kind.
    pub kind: FactKind,
    /// Trimmed; none when empty.
    pub unit: Option<String>,
}

impl From<&category_fact_label::Model> for Suggestion {
    fn from(m: &category_fact_label::Model) -> Self {
        Suggestion {
            label: m.label.clone(),
            kind: m.kind,
            unit: m.unit.clone(),
        }
    }
}

/// Every field at fault, named as `facts[2].value`.
pub type Problems = Vec<(String, String)>;

fn text_problem(problem: TextProblem) -> String {
    match problem {
        TextProblem::Blank => "must not be empty".to_owned(),
        TextProblem::TooLong { max_chars } => format!("must be at most {max_chars} characters"),
        TextProblem::ControlCharacter => "must not contain control characters".to_owned(),
    }
}

/// A one-line text of at most `max_chars`, trimmed.
fn one_line(value: &str, max_chars: usize) -> Result<String, String> {
    let trimmed = value.trim();
    TextRule { max_chars }
        .check(trimmed)
        .map_err(text_problem)?;
    if trimmed.contains(['\n', '\r', '\t']) {
        return Err("must be one line".to_owned());
    }
    Ok(trimmed.to_owned())
}

/// An optional unit: none when absent or blank.
fn unit(value: Option<&str>) -> Result<Option<String>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(unit) => one_line(unit, MAX_UNIT_CHARS).map(Some),
    }
}

/// A NUMBER as typed ("128000", "128,000", "-0.5", "1e6") as its canonical
/// decimal; an error for anything else, or beyond ±[`MAX_NUMBER`].
pub fn parse_number(typed: &str) -> Result<String, String> {
    let typed = typed.trim();
    let refused = || format!("must be a number, such as 128000 or 0.5 (got \"{typed}\")");
    if typed.is_empty()
        || !typed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E' | ','))
    {
        return Err(refused());
    }
    let plain = if typed.contains(',') {
        // Commas only as thousands separators: 128,000 and 1,234.5.
        let (whole, fraction) = typed.split_once('.').unwrap_or((typed, ""));
        let digits = whole.trim_start_matches(['-', '+']);
        let mut groups = digits.split(',');
        let first_ok = groups
            .next()
            .is_some_and(|g| (1..=3).contains(&g.len()) && g.chars().all(|c| c.is_ascii_digit()));
        if !first_ok
            || !groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()))
            || fraction.contains(',')
        {
            return Err(refused());
        }
        typed.replace(',', "")
    } else {
        typed.to_owned()
    };
    let number: f64 = plain.parse().map_err(|_| refused())?;
    if !number.is_finite() {
        return Err(refused());
    }
    if number.abs() > MAX_NUMBER {
        return Err(format!(
            "must be between -{MAX_NUMBER:e} and {MAX_NUMBER:e}"
        ));
    }
    Ok(canonical(number))
}

/// A number's stored text: the shortest decimal that reads back the same
/// (no exponent, `-0` as `0`).
pub fn canonical(number: f64) -> String {
    if number == 0.0 {
        return "0".to_owned();
    }
    format!("{number}")
}

/// A BOOLEAN as typed: true/yes or false/no, any case.
fn parse_flag(typed: &str) -> Result<String, String> {
    match typed.trim().to_lowercase().as_str() {
        "true" | "yes" => Ok("true".to_owned()),
        "false" | "no" => Ok("false".to_owned()),
        _ => Err(format!("must be yes or no (got \"{}\")", typed.trim())),
    }
}

/// Checks every fact of a tool's list: each value against its kind,
/// labels unique ignoring case, at most [`MAX_FACTS`]. Fields are named
/// `{field}[i].label` and so on; every problem is reported.
pub fn check_facts(field: &str, inputs: &[FactInput]) -> Result<Vec<Fact>, Problems> {
    let mut problems = Problems::new();
    if inputs.len() > MAX_FACTS {
        problems.push((
            field.to_owned(),
            format!("at most {MAX_FACTS} facts per tool (got {})", inputs.len()),
        ));
        return Err(problems);
    }
    let mut facts = Vec::with_capacity(inputs.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, input) in inputs.iter().enumerate() {
        let at = |name: &str| format!("{field}[{i}].{name}");
        let label = match one_line(&input.label, MAX_LABEL_CHARS) {
            Ok(label) => {
                if let Some(first) = seen.get(&label.to_lowercase()) {
                    problems.push((
                        at("label"),
                        format!("\"{label}\" is already used by {field}[{first}]"),
                    ));
                } else {
                    seen.insert(label.to_lowercase(), i);
                }
                Some(label)
            }
            Err(message) => {
                problems.push((at("label"), message));
                None
            }
        };
        let Some(kind) = input.kind else {
            problems.push((
                at("kind"),
                "choose TEXT, NUMBER, BOOLEAN or LIST".to_owned(),
            ));
            continue;
        };
        let unit = match unit(input.unit.as_deref()) {
            Ok(Some(_)) if kind == FactKind::Boolean => {
                problems.push((at("unit"), "a yes/no fact takes no unit".to_owned()));
                None
            }
            Ok(unit) => unit,
            Err(message) => {
                problems.push((at("unit"), message));
                None
            }
        };
        let value = value_of(kind, input, &at);
        match (label, value) {
            (Some(label), Ok(value)) => facts.push(Fact {
                label,
                kind,
                value,
                unit,
            }),
            (_, Err(found)) => problems.extend(found),
            _ => {}
        }
    }
    if problems.is_empty() {
        Ok(facts)
    } else {
        Err(problems)
    }
}

/// A fact's stored value, or the problems with it.
fn value_of(
    kind: FactKind,
    input: &FactInput,
    at: &dyn Fn(&str) -> String,
) -> Result<String, Problems> {
    let one = |name: &str, message: String| vec![(at(name), message)];
    if kind != FactKind::List && input.items.is_some() {
        return Err(one("items", "only a LIST takes items".to_owned()));
    }
    let typed = input.value.as_deref().unwrap_or("");
    match kind {
        FactKind::Text => one_line(typed, MAX_TEXT_CHARS).map_err(|m| one("value", m)),
        FactKind::Number => parse_number(typed).map_err(|m| one("value", m)),
        FactKind::Boolean => parse_flag(typed).map_err(|m| one("value", m)),
        FactKind::List => {
            let (name, items): (&str, Vec<String>) = match &input.items {
                Some(items) => {
                    if input.value.as_deref().is_some_and(|v| !v.trim().is_empty()) {
                        return Err(one(
                            "value",
                            "give a LIST's items or its value, not both".to_owned(),
                        ));
                    }
                    ("items", items.clone())
                }
                None => (
                    "value",
                    typed.split([',', '\n']).map(str::to_owned).collect(),
                ),
            };
            if items.iter().all(|item| item.trim().is_empty()) {
                return Err(one(name, "list at least one item".to_owned()));
            }
            if items.len() > MAX_ITEMS {
                return Err(one(name, format!("at most {MAX_ITEMS} items")));
            }
            let mut problems = Problems::new();
            let mut checked = Vec::with_capacity(items.len());
            for (j, item) in items.iter().enumerate() {
                let field = if name == "items" {
                    at(&format!("items[{j}]"))
                } else {
                    at("value")
                };
                match one_line(item, MAX_ITEM_CHARS) {
                    Ok(item) => checked.push(item),
                    Err(message) if name == "items" => problems.push((field, message)),
                    Err(message) => {
                        problems.push((field, format!("item {} {message}", j + 1)));
                        break;
                    }
                }
            }
            if problems.is_empty() {
                Ok(checked.join("\n"))
            } else {
                Err(problems)
            }
        }
    }
}

/// Checks a category's suggested labels: unique ignoring case, at most
/// [`MAX_SUGGESTED`]; fields named `{field}[i].label`.
pub fn check_suggestions(
    field: &str,
    inputs: &[SuggestionInput],
) -> Result<Vec<Suggestion>, Problems> {
    let mut problems = Problems::new();
    if inputs.len() > MAX_SUGGESTED {
        problems.push((
            field.to_owned(),
            format!(
                "at most {MAX_SUGGESTED} labels per category (got {})",
                inputs.len()
            ),
        ));
        return Err(problems);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut checked = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        let at = |name: &str| format!("{field}[{i}].{name}");
        let label = match one_line(&input.label, MAX_LABEL_CHARS) {
            Ok(label) => {
                if let Some(first) = seen.get(&label.to_lowercase()) {
                    problems.push((
                        at("label"),
                        format!("\"{label}\" is already used by {field}[{first}]"),
                    ));
                } else {
                    seen.insert(label.to_lowercase(), i);
                }
                Some(label)
            }
            Err(message) => {
                problems.push((at("label"), message));
                None
            }
        };
        let kind = input.kind;
        if kind.is_none() {
            problems.push((
                at("kind"),
                "choose TEXT, NUMBER, BOOLEAN or LIST".to_owned(),
            ));
        }
        let unit = match unit(input.unit.as_deref()) {
            Ok(Some(_)) if kind == Some(FactKind::Boolean) => {
                problems.push((at("unit"), "a yes/no fact takes no unit".to_owned()));
                None
            }
            Ok(unit) => unit,
            Err(message) => {
                problems.push((at("unit"), message));
                None
            }
        };
        if let (Some(label), Some(kind)) = (label, kind) {
            checked.push(Suggestion { label, kind, unit });
        }
    }
    if problems.is_empty() {
        Ok(checked)
    } else {
        Err(problems)
    }
}

/// A NUMBER's value; none for other kinds.
pub fn number(kind: FactKind, value: &str) -> Option<f64> {
    (kind == FactKind::Number)
        .then(|| value.parse().ok())
        .flatten()
}

/// A BOOLEAN's value; none for other kinds.
pub fn flag(kind: FactKind, value: &str) -> Option<bool> {
    (kind == FactKind::Boolean).then(|| value == "true")
}

/// A LIST's items; none for other kinds.
pub fn items(kind: FactKind, value: &str) -> Option<Vec<String>> {
    (kind == FactKind::List).then(|| value.lines().map(str::to_owned).collect())
}

/// `digits` with a comma between each group of three, from the right.
fn grouped(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A value as readers see it, without its unit: a number of five digits
/// or more grouped by thousands ("128,000"; a year stays "2024"), Yes or
/// No, a list's items joined by commas, text as is.
pub fn display_value(kind: FactKind, value: &str) -> String {
    match kind {
        FactKind::Text => value.to_owned(),
        FactKind::Boolean => if value == "true" { "Yes" } else { "No" }.to_owned(),
        FactKind::List => value.lines().collect::<Vec<_>>().join(", "),
        FactKind::Number => {
            let (sign, rest) = match value.strip_prefix('-') {
                Some(rest) => ("-", rest),
                None => ("", value),
            };
            let (whole, fraction) = match rest.split_once('.') {
                Some((whole, fraction)) => (whole, Some(fraction)),
                None => (rest, None),
            };
            let whole = if whole.len() >= 5 {
                grouped(whole)
            } else {
                whole.to_owned()
            };
            match fraction {
                Some(fraction) => format!("{sign}{whole}.{fraction}"),
                None => format!("{sign}{whole}"),
            }
        }
    }
}

/// A value with its unit, as readers see it: "128,000 tokens", and a
/// magnitude or percent sign right after the number ("3B", "40%").
pub fn display(kind: FactKind, value: &str, unit: Option<&str>) -> String {
    let shown = display_value(kind, value);
    match unit {
        None => shown,
        Some(unit) if kind == FactKind::Number && is_suffix(unit) => format!("{shown}{unit}"),
        Some(unit) => format!("{shown} {unit}"),
    }
}

/// Units written without a space after a number.
fn is_suffix(unit: &str) -> bool {
    matches!(unit, "%" | "K" | "k" | "M" | "B" | "T" | "x" | "×")
}

/// The words a fact is found by, as one line: "Context window: 128000 tokens"
/// (the stored number, as the search index holds it).
pub fn search_text(fact: &tool_fact::Model) -> String {
    let value = match fact.kind {
        FactKind::Boolean => if fact.value == "true" { "yes" } else { "no" }.to_owned(),
        FactKind::List => fact.value.lines().collect::<Vec<_>>().join(", "),
        _ => fact.value.clone(),
    };
    match &fact.unit {
        Some(unit) => format!("{}: {value} {unit}", fact.label),
        None => format!("{}: {value}", fact.label),
    }
}

/// One row of a facts table: a label, and each tool's fact with it (none
/// where a tool has none).
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    /// The suggested label's spelling, else the first tool's.
    pub label: String,
    /// The unit every fact in the row shares (the suggested one when none
    /// has a fact), if they share one.
    pub unit: Option<String>,
    /// The kind every fact in the row shares, if they share one.
    pub kind: Option<FactKind>,
    /// Whether a tool's category suggests the label.
    pub suggested: bool,
    /// One per tool, in the tools' order.
    pub cells: Vec<Option<&'a tool_fact::Model>>,
}

/// Sets the facts of several tools side by side (`columns`, one per tool,
/// in order), one row per label some tool has (matched ignoring case):
/// the labels `suggested` first, in its order (the first tool's category's,
/// then the others'), then the others from A to Z.
pub fn table<'a>(
    columns: &[&'a [tool_fact::Model]],
    suggested: &[&category_fact_label::Model],
) -> Vec<Row<'a>> {
    // label (lower case) → (spelling, cells)
    let mut by_label: BTreeMap<String, (String, Vec<Option<&'a tool_fact::Model>>)> =
        BTreeMap::new();
    for (i, column) in columns.iter().enumerate() {
        for fact in column.iter() {
            let entry = by_label
                .entry(fact.label.to_lowercase())
                .or_insert_with(|| (fact.label.clone(), vec![None; columns.len()]));
            if entry.1[i].is_none() {
                entry.1[i] = Some(fact);
            }
        }
    }
    let row = |label: String,
               cells: Vec<Option<&'a tool_fact::Model>>,
               suggestion: Option<&category_fact_label::Model>| {
        let present: Vec<&tool_fact::Model> = cells.iter().flatten().copied().collect();
        let shared = |first: Option<String>, all_same: bool| all_same.then_some(first).flatten();
        let unit = match present.first() {
            Some(first) => shared(
                first.unit.clone(),
                present.iter().all(|f| f.unit == first.unit),
            ),
            None => suggestion.and_then(|s| s.unit.clone()),
        };
        let kind = match present.first() {
            Some(first) => present
                .iter()
                .all(|f| f.kind == first.kind)
                .then_some(first.kind),
            None => suggestion.map(|s| s.kind),
        };
        Row {
            label,
            unit,
            kind,
            suggested: suggestion.is_some(),
            cells,
        }
    };
    let mut rows = Vec::new();
    for suggestion in suggested {
        if let Some((_, cells)) = by_label.remove(&suggestion.label.to_lowercase()) {
            rows.push(row(suggestion.label.clone(), cells, Some(*suggestion)));
        }
    }
    let mut others: Vec<(String, Vec<Option<&'a tool_fact::Model>>)> =
        by_label.into_values().collect();
    others.sort_by(|a, b| (a.0.to_lowercase(), &a.0).cmp(&(b.0.to_lowercase(), &b.0)));
    rows.extend(
        others
            .into_iter()
            .map(|(label, cells)| row(label, cells, None)),
    );
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(label: &str, kind: FactKind, value: &str) -> FactInput {
        FactInput {
            label: label.to_owned(),
            kind: Some(kind),
            value: Some(value.to_owned()),
            items: None,
            unit: None,
        }
    }

    fn stored(
        tool_id: i64,
        position: i32,
        label: &str,
        kind: FactKind,
        value: &str,
    ) -> tool_fact::Model {
        tool_fact::Model {
            id: i64::from(position) + tool_id * 100,
            tool_id,
            position,
            label: label.to_owned(),
            kind,
            value: value.to_owned(),
            unit: None,
        }
    }

    #[test]
    fn numbers_are_stored_canonically_and_bad_ones_refused() {
        assert_eq!(parse_number("128000").as_deref(), Ok("128000"));
        assert_eq!(parse_number(" 128,000 ").as_deref(), Ok("128000"));
        assert_eq!(parse_number("1,234.5").as_deref(), Ok("1234.5"));
        assert_eq!(parse_number("3.0").as_deref(), Ok("3"));
        assert_eq!(parse_number("-0").as_deref(), Ok("0"));
        assert_eq!(parse_number("1e6").as_deref(), Ok("1000000"));
        for bad in [
            "", "NaN", "inf", "1e400", "1,5", "12,34", "three", "0x10", "1e16",
        ] {
            assert!(parse_number(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn values_show_as_readers_read_them() {
        assert_eq!(
            display(FactKind::Number, "128000", Some("tokens")),
            "128,000 tokens"
        );
        assert_eq!(display(FactKind::Number, "3", Some("B")), "3B");
        assert_eq!(display(FactKind::Number, "2024", None), "2024");
        assert_eq!(display(FactKind::Number, "-12345.25", None), "-12,345.25");
        assert_eq!(display(FactKind::Boolean, "true", None), "Yes");
        assert_eq!(display(FactKind::List, "text\nimage", None), "text, image");
    }

    #[test]
    fn every_problem_is_named_by_its_place() {
        let mut list = input("Modalities", FactKind::List, "");
        list.items = Some(vec!["text".into(), " ".into()]);
        let facts = [
            input("Parameters", FactKind::Number, "lots"),
            input("parameters", FactKind::Text, "x"),
            list,
            input(&"L".repeat(61), FactKind::Boolean, "yes"),
        ];
        let problems = check_facts("facts", &facts).expect_err("problems");
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "facts[0].value",
                "facts[1].label",
                "facts[2].items[1]",
                "facts[3].label"
            ]
        );
        let too_many = vec![input("a", FactKind::Text, "b"); MAX_FACTS + 1];
        assert_eq!(
            check_facts("facts", &too_many).expect_err("too many")[0].0,
            "facts"
        );
    }

    #[test]
    fn a_list_typed_as_text_is_split_on_commas() {
        let facts = check_facts(
            "facts",
            &[input("Modalities", FactKind::List, "text, image ,audio")],
        )
        .expect("valid");
        assert_eq!(facts[0].value, "text\nimage\naudio");
        let empty_item = check_facts(
            "facts",
            &[input("Modalities", FactKind::List, "text,,image")],
        );
        assert_eq!(empty_item.expect_err("empty item")[0].0, "facts[0].value");
    }

    #[test]
    fn the_table_puts_suggested_labels_first_then_the_rest_a_to_z() {
        let left = [
            stored(1, 0, "Open weights", FactKind::Boolean, "true"),
            stored(1, 1, "zeta", FactKind::Text, "z"),
            stored(1, 2, "Parameters", FactKind::Number, "3"),
        ];
        let right = [
            stored(2, 0, "parameters", FactKind::Number, "8"),
            stored(2, 1, "Alpha", FactKind::Text, "a"),
        ];
        let suggested = category_fact_label::Model {
            id: 1,
            category_id: 1,
            position: 0,
            label: "Parameters".into(),
            kind: FactKind::Number,
            unit: Some("B".into()),
        };
        let unused = category_fact_label::Model {
            label: "Context window".into(),
            ..suggested.clone()
        };
        let rows = table(&[&left[..], &right[..]], &[&suggested, &unused]);
        let labels: Vec<&str> = rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(labels, ["Parameters", "Alpha", "Open weights", "zeta"]);
        assert!(rows[0].suggested && rows[0].cells.iter().all(Option::is_some));
        assert_eq!(rows[1].cells[0], None);
        assert_eq!(rows[2].cells[1], None);
        assert_eq!(rows[0].kind, Some(FactKind::Number));
    }
}
