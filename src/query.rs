//! The timeline filter shared by the web pages, the JSON API and `readout
//! export`: parsed and validated once, so a bad value is always an error that
//! names its parameter, never a failure deeper down.
//!
//! Repeated parameters are alternatives (`kind=call&kind=video_call`), a
//! `not_` parameter excludes (`not_kind=visit`), dates may be a year or a
//! month, and a parameter the page does not know is an error rather than
//! silently ignored: a misspelt `contry=` must not look like a filter that
//! matched everything.

use base64::Engine;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::gazetteer::{name_key, Gazetteer};
use crate::model::{slugify, Kind, Status};

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;
/// Longer values are refused: no name or search needs them, and a 100 kB
/// LIKE pattern would make every row check slow.
pub const MAX_VALUE_CHARS: usize = 200;
/// More values of one parameter are refused, for the same reason.
pub const MAX_VALUES: usize = 20;

/// A query parameter that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{param}`: {reason}")]
pub struct ParamError {
    pub param: String,
    pub reason: String,
}

impl ParamError {
    pub fn new(param: impl Into<String>, reason: impl Into<String>) -> Self {
        ParamError {
            param: param.into(),
            reason: reason.into(),
        }
    }
}

/// The values a filter parameter accepts (any of them) and refuses (none
/// of them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Values<T> {
    pub any: Vec<T>,
    pub not: Vec<T>,
}

impl<T> Default for Values<T> {
    fn default() -> Self {
        Values {
            any: Vec::new(),
            not: Vec::new(),
        }
    }
}

impl<T: PartialEq> Values<T> {
    pub fn is_empty(&self) -> bool {
        self.any.is_empty() && self.not.is_empty()
    }

    /// Just this one value.
    pub fn one(value: T) -> Self {
        Values {
            any: vec![value],
            not: Vec::new(),
        }
    }
}

/// Which engagements to show. Every field is optional; empty strings (as
/// HTML forms submit them) count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EngagementFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Foreign people, countries or organisations: actor slugs, or text
    /// matched against actor names.
    pub counterpart: Values<String>,
    /// U.S. participants: actor slugs, or text matched against names.
    pub official: Values<String>,
    /// Counterpart countries: slugs or names.
    pub country: Values<String>,
    pub kind: Values<Kind>,
    pub status: Values<Status>,
    /// Text searched in the excerpts (see [`search_terms`]).
    pub q: Option<String>,
}

/// Which end of the timeline a page starts from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Order {
    #[default]
    Newest,
    Oldest,
}

impl Order {
    pub fn as_str(self) -> &'static str {
        match self {
            Order::Newest => "newest",
            Order::Oldest => "oldest",
        }
    }
}

/// Where a page of the timeline starts: after this row, which was the
/// `offset`-th of the view (so a page can say "showing 51–100").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cursor {
    pub sort_date: String,
    pub id: String,
    pub offset: u64,
}

impl Cursor {
    /// URL-safe opaque token.
    pub fn encode(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{}|{}|{}", self.sort_date, self.offset, self.id))
    }

    pub fn decode(token: &str) -> Result<Cursor, ParamError> {
        let bad = || ParamError::new("cursor", "not a cursor this server issued");
        if token.len() > 4 * MAX_VALUE_CHARS {
            return Err(bad());
        }
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let mut parts = text.splitn(3, '|');
        let (Some(sort_date), Some(offset), Some(id)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let offset: u64 = offset.parse().map_err(|_| bad())?;
        if sort_date.len() != 10 || id.is_empty() || offset > 1 << 40 {
            return Err(bad());
        }
        Ok(Cursor {
            sort_date: sort_date.to_string(),
            id: id.to_string(),
            offset,
        })
    }
}

/// How a page shows its rows: the timeline's list, or a compact table.
/// Only pages that pass `view` as an extra parameter accept it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum View {
    #[default]
    List,
    Table,
}

impl View {
    pub fn as_str(self) -> &'static str {
        match self {
            View::List => "list",
            View::Table => "table",
        }
    }
}

/// One page request: how many rows, after which, in which order, shown how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageRequest {
    pub limit: u32,
    pub cursor: Option<Cursor>,
    pub order: Order,
    pub view: View,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            limit: DEFAULT_LIMIT,
            cursor: None,
            order: Order::Newest,
            view: View::List,
        }
    }
}

/// The filter parameters, each also taking a `not_` form where listed in
/// [`EXCLUDABLE`].
pub const FILTER_PARAMS: &[&str] = &[
    "from",
    "to",
    "counterpart",
    "official",
    "country",
    "kind",
    "status",
    "q",
];
/// The parameters that may be repeated and negated.
pub const EXCLUDABLE: &[&str] = &["counterpart", "official", "country", "kind", "status"];
/// The paging parameters.
pub const PAGE_PARAMS: &[&str] = &["limit", "cursor", "order"];

/// Raw query parameters in the order given (repeats kept).
pub type RawParams = [(String, String)];

/// Parses raw query parameters into a filter and a page request. Any
/// parameter that is neither a filter, a paging one nor in `extra` is an
/// error naming it.
pub fn parse_params(
    raw: &RawParams,
    extra: &[&str],
) -> Result<(EngagementFilter, PageRequest), ParamError> {
    check_known(raw, &[FILTER_PARAMS, PAGE_PARAMS, extra], true)?;
    Ok((parse_filter(raw)?, parse_page(raw)?))
}

/// Parses only the paging parameters (and `extra`), for pages whose filter
/// is fixed (an actor's): anything else is an error naming it.
pub fn parse_page_only(raw: &RawParams, extra: &[&str]) -> Result<PageRequest, ParamError> {
    check_known(raw, &[PAGE_PARAMS, extra], false)?;
    parse_page(raw)
}

fn check_known(raw: &RawParams, known: &[&[&str]], negations: bool) -> Result<(), ParamError> {
    let is_known = |name: &str| known.iter().any(|list| list.contains(&name));
    for (name, _) in raw {
        let negated = negations
            && name
                .strip_prefix("not_")
                .is_some_and(|base| EXCLUDABLE.contains(&base));
        if !is_known(name) && !negated {
            let mut names: Vec<&str> = known.iter().flat_map(|l| l.iter().copied()).collect();
            names.sort_unstable();
            let shown: String = name.chars().take(40).collect();
            return Err(ParamError::new(
                shown.clone(),
                format!(
                    "“{shown}” is not a parameter of this page; it takes {}",
                    names.join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// The non-empty values of parameter `name`, trimmed and bounded.
fn values(raw: &RawParams, name: &str) -> Result<Vec<String>, ParamError> {
    let mut out: Vec<String> = Vec::new();
    for (key, value) in raw {
        if key != name {
            continue;
        }
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        if value.chars().any(char::is_control) {
            // No name or search has one, and SQLite's full-text index
            // refuses a NUL.
            return Err(ParamError::new(name, "contains a control character"));
        }
        if value.chars().count() > MAX_VALUE_CHARS {
            return Err(ParamError::new(
                name,
                format!("is longer than {MAX_VALUE_CHARS} characters"),
            ));
        }
        if !out.iter().any(|v| v == value) {
            out.push(value.to_string());
        }
        if out.len() > MAX_VALUES {
            return Err(ParamError::new(
                name,
                format!("is given more than {MAX_VALUES} times"),
            ));
        }
    }
    Ok(out)
}

/// The one value of a parameter that cannot be repeated.
fn single(raw: &RawParams, name: &str) -> Result<Option<String>, ParamError> {
    let mut all = values(raw, name)?;
    if all.len() > 1 {
        return Err(ParamError::new(
            name,
            "is given twice with different values; give it once",
        ));
    }
    Ok(all.pop())
}

fn parse_filter(raw: &RawParams) -> Result<EngagementFilter, ParamError> {
    let text = |name: &str| -> Result<Values<String>, ParamError> {
        Ok(Values {
            any: values(raw, name)?,
            not: values(raw, &format!("not_{name}"))?,
        })
    };
    let codes = |name: &'static str| -> Result<Vec<String>, ParamError> { values(raw, name) };
    let kind = |name: &'static str| -> Result<Vec<Kind>, ParamError> {
        codes(name)?
            .iter()
            .map(|v| {
                Kind::parse(v).ok_or_else(|| {
                    ParamError::new(
                        name,
                        format!("“{v}” is not a kind; use call, video_call, meeting or visit"),
                    )
                })
            })
            .collect()
    };
    let status = |name: &'static str| -> Result<Vec<Status>, ParamError> {
        codes(name)?
            .iter()
            .map(|v| {
                Status::parse(v).ok_or_else(|| {
                    ParamError::new(name, format!("“{v}” is not a status; use held or planned"))
                })
            })
            .collect()
    };
    let filter = EngagementFilter {
        from: single(raw, "from")?
            .map(|v| parse_date_bound(&v, Bound::Start))
            .transpose()?,
        to: single(raw, "to")?
            .map(|v| parse_date_bound(&v, Bound::End))
            .transpose()?,
        counterpart: text("counterpart")?,
        official: text("official")?,
        country: text("country")?,
        kind: Values {
            any: kind("kind")?,
            not: kind("not_kind")?,
        },
        status: Values {
            any: status("status")?,
            not: status("not_status")?,
        },
        q: single(raw, "q")?,
    };
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if from > to {
            return Err(ParamError::new(
                "to",
                format!("{to} is before the “from” date {from}"),
            ));
        }
    }
    Ok(filter)
}

fn parse_page(raw: &RawParams) -> Result<PageRequest, ParamError> {
    let limit = match single(raw, "limit")? {
        None => DEFAULT_LIMIT,
        Some(v) => match v.parse::<u32>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(ParamError::new(
                    "limit",
                    format!("“{v}” is not a whole number from 1 to {MAX_LIMIT}"),
                ))
            }
        },
    };
    let order = match single(raw, "order")?.as_deref() {
        None | Some("newest") => Order::Newest,
        Some("oldest") => Order::Oldest,
        Some(other) => {
            return Err(ParamError::new(
                "order",
                format!("“{other}” is not an order; use newest or oldest"),
            ))
        }
    };
    let cursor = single(raw, "cursor")?
        .map(|v| Cursor::decode(&v))
        .transpose()?;
    // Only reachable where the page listed `view` as an extra parameter.
    let view = match single(raw, "view")?.as_deref() {
        None | Some("list") => View::List,
        Some("table") => View::Table,
        Some(other) => {
            return Err(ParamError::new(
                "view",
                format!("“{other}” is not a view; use list or table"),
            ))
        }
    };
    Ok(PageRequest {
        limit,
        cursor,
        order,
        view,
    })
}

#[derive(Clone, Copy)]
enum Bound {
    Start,
    End,
}

/// `2021-12-09`, `2021-12` or `2021`: a month or a year starts on its first
/// day and ends on its last, so `from=2021-12&to=2021-12` is December.
fn parse_date_bound(value: &str, bound: Bound) -> Result<NaiveDate, ParamError> {
    let name = match bound {
        Bound::Start => "from",
        Bound::End => "to",
    };
    let bad = || {
        ParamError::new(
            name,
            format!("“{value}” is not a date; use YYYY-MM-DD, YYYY-MM or YYYY"),
        )
    };
    let parts: Vec<&str> = value.split('-').collect();
    let number = |s: &str, len: usize| -> Option<u32> {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let year = parts.first().and_then(|y| number(y, 4)).ok_or_else(bad)? as i32;
    let date = match (parts.len(), bound) {
        (1, Bound::Start) => NaiveDate::from_ymd_opt(year, 1, 1),
        (1, Bound::End) => NaiveDate::from_ymd_opt(year, 12, 31),
        (2, _) => {
            let month = number(parts[1], 2).ok_or_else(bad)?;
            let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
            match bound {
                Bound::Start => Some(first),
                Bound::End => first
                    .checked_add_months(chrono::Months::new(1))
                    .and_then(|d| d.pred_opt()),
            }
        }
        (3, _) => {
            let month = number(parts[1], 2).ok_or_else(bad)?;
            let day = number(parts[2], 2).ok_or_else(bad)?;
            NaiveDate::from_ymd_opt(year, month, day)
        }
        _ => None,
    };
    date.filter(|d| d.year() >= 1).ok_or_else(bad)
}

/// One thing `q` asks for: a word or a quoted phrase, with typographic
/// quotes and apostrophes folded to straight ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerm {
    pub text: String,
    pub phrase: bool,
}

/// The apostrophes and quotes people type interchangeably.
pub fn fold_quotes(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '’' | '‘' | '`' | '´' | 'ʼ' => '\'',
            '“' | '”' | '„' => '"',
            other => other,
        })
        .collect()
}

/// Splits `q` into words and "quoted phrases"; an unclosed quote runs to
/// the end. Quotes themselves are never part of a term.
pub fn search_terms(q: &str) -> Vec<SearchTerm> {
    let folded = fold_quotes(q);
    let mut terms = Vec::new();
    for (index, part) in folded.split('"').enumerate() {
        if index % 2 == 1 {
            let phrase = part.split_whitespace().collect::<Vec<_>>().join(" ");
            if !phrase.is_empty() {
                terms.push(SearchTerm {
                    phrase: phrase.contains(' '),
                    text: phrase,
                });
            }
        } else {
            terms.extend(part.split_whitespace().map(|w| SearchTerm {
                text: w.to_string(),
                phrase: false,
            }));
        }
    }
    terms
}

/// What a name in the filter was understood as, for the chip
/// ("country: UK → United Kingdom").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Resolution {
    pub param: &'static str,
    pub given: String,
    pub meant: String,
}

impl EngagementFilter {
    /// This filter with each name also standing for what the gazetteer
    /// says it means: `UK`, `Britain`, `British` → United Kingdom;
    /// `Zelenskiy` → Volodymyr Zelenskyy; `NATO` → the organisation. The
    /// meaning is added as an alternative, never a replacement, so a name
    /// the database knows as written still matches.
    pub fn resolve(&self, gazetteer: &Gazetteer) -> (EngagementFilter, Vec<Resolution>) {
        let mut resolved = self.clone();
        let mut notes = Vec::new();
        let mut run = |param: &'static str, values: &mut Values<String>, how: Lookup| {
            for list in [&mut values.any, &mut values.not] {
                let given = list.clone();
                for value in given {
                    let Some((meant, label)) = lookup(gazetteer, &value, how) else {
                        continue;
                    };
                    if name_key(&label) == name_key(&value) || slugify(&value) == meant {
                        continue;
                    }
                    if !list.contains(&meant) {
                        list.push(meant);
                    }
                    notes.push(Resolution {
                        param,
                        given: value,
                        meant: label,
                    });
                }
            }
        };
        run("country", &mut resolved.country, Lookup::Country);
        run(
            "counterpart",
            &mut resolved.counterpart,
            Lookup::Counterpart,
        );
        run("official", &mut resolved.official, Lookup::Person);
        (resolved, notes)
    }

    pub fn is_empty(&self) -> bool {
        self == &EngagementFilter::default()
    }

    /// Without its date bounds.
    pub fn undated_part(&self) -> EngagementFilter {
        EngagementFilter {
            from: None,
            to: None,
            ..self.clone()
        }
    }
}

#[derive(Clone, Copy)]
enum Lookup {
    Country,
    Counterpart,
    Person,
}

/// The gazetteer's reading of a filter value: the value to match (a name
/// or a slug) and the name to show.
fn lookup(gazetteer: &Gazetteer, value: &str, how: Lookup) -> Option<(String, String)> {
    let value = fold_quotes(value);
    // Abbreviations are indexed in capitals only ("UK", not "uk").
    let upper = value.to_uppercase();
    let spellings = [value.as_str(), upper.as_str()];
    let country = || {
        spellings.iter().find_map(|s| {
            gazetteer
                .country(s)
                .or_else(|| gazetteer.country_by_demonym(s))
        })
    };
    let person = || {
        let mut names: Vec<&str> = gazetteer
            .known_actors(&value)
            .into_iter()
            .map(|a| a.name.as_str())
            .collect();
        names.sort_unstable();
        names.dedup();
        match names.as_slice() {
            [one] => Some((slugify(one), one.to_string())),
            _ => None,
        }
    };
    match how {
        Lookup::Country => country().map(|c| (c.name.clone(), c.name.clone())),
        Lookup::Person => person(),
        Lookup::Counterpart => country()
            .map(|c| (slugify(&c.name), c.name.clone()))
            .or_else(|| {
                spellings
                    .iter()
                    .find_map(|s| gazetteer.organization(s))
                    .map(|o| (o.name.clone(), o.name.clone()))
            })
            .or_else(person),
    }
}

/// `not_` + a parameter of [`EXCLUDABLE`], as a static name.
fn negated(name: &str) -> &'static str {
    match name {
        "counterpart" => "not_counterpart",
        "official" => "not_official",
        "country" => "not_country",
        "kind" => "not_kind",
        _ => "not_status",
    }
}

impl EngagementFilter {
    /// The filter as query-string pairs (without paging), to build links
    /// that keep the current view.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(from) = self.from {
            pairs.push(("from", from.to_string()));
        }
        if let Some(to) = self.to {
            pairs.push(("to", to.to_string()));
        }
        let mut push = |name: &'static str, values: (Vec<String>, Vec<String>)| {
            pairs.extend(values.0.into_iter().map(|v| (name, v)));
            pairs.extend(values.1.into_iter().map(|v| (negated(name), v)));
        };
        let text = |v: &Values<String>| (v.any.clone(), v.not.clone());
        push("counterpart", text(&self.counterpart));
        push("official", text(&self.official));
        push("country", text(&self.country));
        let codes = |any: Vec<&str>, not: Vec<&str>| {
            (
                any.into_iter().map(str::to_string).collect(),
                not.into_iter().map(str::to_string).collect(),
            )
        };
        push(
            "kind",
            codes(
                self.kind.any.iter().map(|k| k.as_str()).collect(),
                self.kind.not.iter().map(|k| k.as_str()).collect(),
            ),
        );
        push(
            "status",
            codes(
                self.status.any.iter().map(|s| s.as_str()).collect(),
                self.status.not.iter().map(|s| s.as_str()).collect(),
            ),
        );
        if let Some(q) = &self.q {
            pairs.push(("q", q.clone()));
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn parse(pairs: &[(&str, &str)]) -> Result<(EngagementFilter, PageRequest), ParamError> {
        parse_params(&params(pairs), &[])
    }

    #[test]
    fn empty_form_fields_count_as_absent() {
        let (filter, page) = parse(&[("from", ""), ("kind", " ")]).unwrap();
        assert!(filter.is_empty());
        assert_eq!(page, PageRequest::default());
    }

    #[test]
    fn a_bad_value_names_its_parameter() {
        for (name, value) in [
            ("from", "yesterday"),
            ("to", "2021-13-01"),
            ("to", "2021-1"),
            ("from", "20211"),
            ("kind", "lunch"),
            ("not_kind", "lunch"),
            ("status", "maybe"),
            ("limit", "0"),
            ("limit", "501"),
            ("limit", "ten"),
            ("limit", "-1"),
            ("cursor", "%%%"),
            ("order", "random"),
        ] {
            let err = parse(&[(name, value)]).unwrap_err();
            assert_eq!(err.param, name, "{name}={value}");
        }
    }

    #[test]
    fn an_unknown_parameter_is_an_error_naming_it() {
        let err = parse(&[("contry", "Ukraine")]).unwrap_err();
        assert_eq!(err.param, "contry");
        assert!(err.reason.contains("country"), "{}", err.reason);
        assert_eq!(parse(&[("format", "csv")]).unwrap_err().param, "format");
        assert!(parse_params(&params(&[("format", "csv")]), &["format"]).is_ok());
        assert_eq!(
            parse_page_only(&params(&[("kind", "call")]), &[])
                .unwrap_err()
                .param,
            "kind"
        );
    }

    #[test]
    fn only_pages_that_take_a_view_accept_one() {
        let with_view = |value: &str| parse_params(&params(&[("view", value)]), &["view"]);
        assert_eq!(with_view("table").unwrap().1.view, View::Table);
        assert_eq!(with_view("").unwrap().1.view, View::List);
        assert_eq!(with_view("grid").unwrap_err().param, "view");
        assert_eq!(parse(&[("view", "table")]).unwrap_err().param, "view");
    }

    #[test]
    fn years_and_months_are_date_ranges() {
        let (f, _) = parse(&[("from", "2021-12"), ("to", "2021-12")]).unwrap();
        assert_eq!(f.from, NaiveDate::from_ymd_opt(2021, 12, 1));
        assert_eq!(f.to, NaiveDate::from_ymd_opt(2021, 12, 31));
        let (f, _) = parse(&[("from", "2020"), ("to", "2020-02")]).unwrap();
        assert_eq!(f.from, NaiveDate::from_ymd_opt(2020, 1, 1));
        assert_eq!(f.to, NaiveDate::from_ymd_opt(2020, 2, 29));
        let (f, _) = parse(&[("to", "2021")]).unwrap();
        assert_eq!(f.to, NaiveDate::from_ymd_opt(2021, 12, 31));
    }

    #[test]
    fn repeated_values_are_alternatives_and_not_excludes() {
        let (f, _) = parse(&[
            ("kind", "call"),
            ("kind", "video_call"),
            ("not_country", "Ukraine"),
        ])
        .unwrap();
        assert_eq!(f.kind.any, vec![Kind::Call, Kind::VideoCall]);
        assert_eq!(f.country.not, vec!["Ukraine".to_string()]);
        assert_eq!(
            f.to_pairs(),
            vec![
                ("not_country", "Ukraine".to_string()),
                ("kind", "call".to_string()),
                ("kind", "video_call".to_string()),
            ]
        );
        let err = parse(&[("from", "2021"), ("from", "2022")]).unwrap_err();
        assert_eq!(err.param, "from");
    }

    #[test]
    fn a_range_that_ends_before_it_starts_is_rejected() {
        let err = parse(&[("from", "2022-01-02"), ("to", "2022-01-01")]).unwrap_err();
        assert_eq!(err.param, "to");
        assert!(err.reason.contains("before"));
    }

    #[test]
    fn huge_values_are_refused() {
        let long = "x".repeat(MAX_VALUE_CHARS + 1);
        assert_eq!(parse(&[("q", &long)]).unwrap_err().param, "q");
    }

    #[test]
    fn cursors_round_trip() {
        let cursor = Cursor {
            sort_date: "2021-12-09".into(),
            id: "2021-12-09-biden-zelenskyy-call".into(),
            offset: 50,
        };
        assert_eq!(Cursor::decode(&cursor.encode()).unwrap(), cursor);
    }

    #[test]
    fn search_terms_fold_apostrophes_and_keep_phrases() {
        let terms = search_terms("Biden’s “phone  call” \"unclosed x");
        let texts: Vec<(&str, bool)> = terms.iter().map(|t| (t.text.as_str(), t.phrase)).collect();
        assert_eq!(
            texts,
            vec![
                ("Biden's", false),
                ("phone call", true),
                ("unclosed x", true)
            ]
        );
    }

    #[test]
    fn names_resolve_through_the_gazetteer() {
        let g = Gazetteer::builtin();
        let filter = EngagementFilter {
            country: Values {
                any: vec!["UK".into(), "Britain".into()],
                not: vec![],
            },
            counterpart: Values::one("Zelenskiy".into()),
            ..Default::default()
        };
        let (resolved, notes) = filter.resolve(&g);
        assert!(resolved.country.any.contains(&"United Kingdom".to_string()));
        assert!(resolved
            .counterpart
            .any
            .contains(&"volodymyr-zelenskyy".to_string()));
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert_eq!(notes[0].meant, "United Kingdom");
        let plain = EngagementFilter {
            country: Values::one("united-kingdom".into()),
            ..Default::default()
        };
        assert!(plain.resolve(&g).1.is_empty());
        let lower = EngagementFilter {
            country: Values::one("uk".into()),
            ..Default::default()
        };
        assert_eq!(lower.resolve(&g).1[0].meant, "United Kingdom");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn name() -> impl Strategy<Value = String> {
            prop_oneof![
                Just("from".to_string()),
                Just("to".to_string()),
                Just("kind".to_string()),
                Just("not_kind".to_string()),
                Just("country".to_string()),
                Just("q".to_string()),
                Just("limit".to_string()),
                Just("cursor".to_string()),
                Just("order".to_string()),
                ".{0,12}",
                "[a-z_]{1,12}",
            ]
        }

        proptest! {
            #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

            /// Any query parses or names a parameter, and what parses is
            /// bounded and round-trips through its own links.
            #[test]
            fn the_parser_never_panics_and_stays_bounded(
                raw in proptest::collection::vec((name(), ".{0,40}"), 0..8)
            ) {
                match parse_params(&raw, &[]) {
                    Ok((filter, page)) => {
                        prop_assert!((1..=MAX_LIMIT).contains(&page.limit));
                        let pairs: Vec<(String, String)> = filter
                            .to_pairs()
                            .into_iter()
                            .map(|(k, v)| (k.to_string(), v))
                            .collect();
                        prop_assert!(pairs.len() <= raw.len() + 2);
                        let (again, _) = parse_params(&pairs, &[]).unwrap();
                        prop_assert_eq!(again, filter.clone());
                        if let Some(q) = &filter.q {
                            prop_assert!(search_terms(q).len() <= q.len());
                        }
                    }
                    Err(err) => {
                        prop_assert!(!err.reason.is_empty());
                        prop_assert!(err.param.chars().count() <= 40);
                    }
                }
            }

            #[test]
            fn any_cursor_text_decodes_or_is_refused(token in ".{0,80}") {
                if let Ok(cursor) = Cursor::decode(&token) {
                    prop_assert_eq!(Cursor::decode(&cursor.encode()).unwrap(), cursor);
                }
            }
        }
    }
}
