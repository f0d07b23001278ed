//! The timeline filter shared by the web pages, the JSON API and `readout
//! export`: parsed and validated once, so a bad value is always an error that
//! names its parameter, never a failure deeper down.

use std::collections::HashMap;

use base64::Engine;
use chrono::NaiveDate;
use serde::Serialize;

use crate::model::{Kind, Status};

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 500;

/// A query parameter that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid value for `{param}`: {reason}")]
pub struct ParamError {
    pub param: &'static str,
    pub reason: String,
}

impl ParamError {
    fn new(param: &'static str, reason: impl Into<String>) -> Self {
        ParamError {
            param,
            reason: reason.into(),
        }
    }
}

/// Which engagements to show. Every field is optional; empty strings (as
/// HTML forms submit them) count as absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EngagementFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A foreign person, country or organisation: an actor slug, or text
    /// matched against actor names.
    pub counterpart: Option<String>,
    /// A U.S. participant: an actor slug, or text matched against names.
    pub official: Option<String>,
    /// A counterpart country: a slug or name.
    pub country: Option<String>,
    pub kind: Option<Kind>,
    pub status: Option<Status>,
    /// Text searched in the excerpts.
    pub q: Option<String>,
}

/// Where a page of the newest-first timeline starts: after this row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cursor {
    pub sort_date: String,
    pub id: String,
}

impl Cursor {
    /// URL-safe opaque token.
    pub fn encode(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(format!("{}|{}", self.sort_date, self.id))
    }

    pub fn decode(token: &str) -> Result<Cursor, ParamError> {
        let bad = || ParamError::new("cursor", "not a cursor this server issued");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| bad())?;
        let text = String::from_utf8(bytes).map_err(|_| bad())?;
        let (sort_date, id) = text.split_once('|').ok_or_else(bad)?;
        if sort_date.len() != 10 || id.is_empty() {
            return Err(bad());
        }
        Ok(Cursor {
            sort_date: sort_date.to_string(),
            id: id.to_string(),
        })
    }
}

/// One page request: how many rows, and after which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PageRequest {
    pub limit: u32,
    pub cursor: Option<Cursor>,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            limit: DEFAULT_LIMIT,
            cursor: None,
        }
    }
}

/// The names of the parameters [`parse_params`] understands, for forms.
pub const PARAMS: &[&str] = &[
    "from",
    "to",
    "counterpart",
    "official",
    "country",
    "kind",
    "status",
    "q",
    "limit",
    "cursor",
];

/// Parses raw query parameters (as a map from name to value) into a filter
/// and a page request. Unknown parameters are ignored, like any web form.
pub fn parse_params(
    raw: &HashMap<String, String>,
) -> Result<(EngagementFilter, PageRequest), ParamError> {
    let get = |name: &str| {
        raw.get(name)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let date = |name: &'static str| -> Result<Option<NaiveDate>, ParamError> {
        get(name)
            .map(|v| {
                NaiveDate::parse_from_str(&v, "%Y-%m-%d").map_err(|_| {
                    ParamError::new(name, format!("`{v}` is not a date like 2021-12-09"))
                })
            })
            .transpose()
    };
    let filter = EngagementFilter {
        from: date("from")?,
        to: date("to")?,
        counterpart: get("counterpart"),
        official: get("official"),
        country: get("country"),
        kind: get("kind")
            .map(|v| {
                Kind::parse(&v).ok_or_else(|| {
                    ParamError::new(
                        "kind",
                        format!("`{v}` is not one of call, video_call, meeting, visit"),
                    )
                })
            })
            .transpose()?,
        status: get("status")
            .map(|v| {
                Status::parse(&v).ok_or_else(|| {
                    ParamError::new("status", format!("`{v}` is not one of held, planned"))
                })
            })
            .transpose()?,
        q: get("q"),
    };
    if let (Some(from), Some(to)) = (filter.from, filter.to) {
        if from > to {
            return Err(ParamError::new("to", "is before `from`"));
        }
    }
    let limit = match get("limit") {
        None => DEFAULT_LIMIT,
        Some(v) => match v.parse::<u32>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(ParamError::new(
                    "limit",
                    format!("`{v}` is not a whole number from 1 to {MAX_LIMIT}"),
                ))
            }
        },
    };
    let cursor = get("cursor").map(|v| Cursor::decode(&v)).transpose()?;
    Ok((filter, PageRequest { limit, cursor }))
}

impl EngagementFilter {
    /// The filter as query-string pairs (without paging), to build links
    /// that keep the current view.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut push = |name, value: Option<String>| {
            if let Some(value) = value {
                pairs.push((name, value));
            }
        };
        push("from", self.from.map(|d| d.to_string()));
        push("to", self.to.map(|d| d.to_string()));
        push("counterpart", self.counterpart.clone());
        push("official", self.official.clone());
        push("country", self.country.clone());
        push("kind", self.kind.map(|k| k.as_str().to_string()));
        push("status", self.status.map(|s| s.as_str().to_string()));
        push("q", self.q.clone());
        pairs
    }

    pub fn is_empty(&self) -> bool {
        self == &EngagementFilter::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn empty_form_fields_count_as_absent() {
        let (filter, page) = parse_params(&params(&[("from", ""), ("kind", " ")])).unwrap();
        assert!(filter.is_empty());
        assert_eq!(page, PageRequest::default());
    }

    #[test]
    fn a_bad_value_names_its_parameter() {
        for (name, value) in [
            ("from", "yesterday"),
            ("to", "2021-13-01"),
            ("kind", "lunch"),
            ("status", "maybe"),
            ("limit", "0"),
            ("limit", "501"),
            ("limit", "ten"),
            ("cursor", "%%%"),
        ] {
            let err = parse_params(&params(&[(name, value)])).unwrap_err();
            assert_eq!(err.param, name, "{name}={value}");
        }
    }

    #[test]
    fn a_range_that_ends_before_it_starts_is_rejected() {
        let err =
            parse_params(&params(&[("from", "2022-01-02"), ("to", "2022-01-01")])).unwrap_err();
        assert_eq!(err.param, "to");
    }

    #[test]
    fn cursors_round_trip() {
        let cursor = Cursor {
            sort_date: "2021-12-09".into(),
            id: "2021-12-09-biden-zelenskyy-call".into(),
        };
        assert_eq!(Cursor::decode(&cursor.encode()).unwrap(), cursor);
    }
}
