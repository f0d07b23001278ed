//! TEMPORARY STUB written by the lead so the crate compiles while the real
//! date scanner is being written. Replace this whole file.
use chrono::{NaiveDate, Weekday};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Precision {
    Day,
    Month,
    Year,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateExpr {
    pub start: usize,
    pub end: usize,
    pub date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub precision: Precision,
    pub relative: bool,
    pub future: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
    Unknown,
}

pub fn find_dates(_text: &str, _reference: Option<NaiveDate>) -> Vec<DateExpr> {
    Vec::new()
}

pub fn resolve_weekday(_weekday: Weekday, reference: NaiveDate, _tense: Tense) -> NaiveDate {
    reference
}

pub fn weekday_in(_span: &str) -> Option<Weekday> {
    None
}
