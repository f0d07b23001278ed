//! The CSV export: one row per engagement, for spreadsheets. Lists inside a
//! cell (names, documents) are joined with "; ".

use std::io::Write;

use super::{date_text, ExportError};
use crate::model::{Engagement, Side};

pub const HEADER: [&str; 12] = [
    "id",
    "date",
    "end_date",
    "date_precision",
    "kind",
    "status",
    "us",
    "counterparts",
    "organizations",
    "countries",
    "sources",
    "documents",
];

/// Writes the header, then batches of rows.
pub struct CsvWriter<W: Write> {
    out: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    pub fn new(out: W) -> Result<Self, ExportError> {
        let mut out = csv::Writer::from_writer(out);
        out.write_record(HEADER)?;
        Ok(CsvWriter { out })
    }

    pub fn write(&mut self, engagements: &[Engagement]) -> Result<(), ExportError> {
        for e in engagements {
            self.out.write_record(row(e).map(neutralise))?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<W, ExportError> {
        self.out.flush()?;
        self.out
            .into_inner()
            .map_err(|err| ExportError::Io(err.into_error()))
    }
}

/// The whole export of `engagements` to `out`.
pub fn write<W: Write>(engagements: &[Engagement], out: W) -> Result<W, ExportError> {
    let mut writer = CsvWriter::new(out)?;
    writer.write(engagements)?;
    writer.finish()
}

fn row(e: &Engagement) -> [String; 12] {
    let people = |side: Side| {
        join(
            e.participants
                .iter()
                .filter(|p| p.side == side)
                .map(|p| p.actor.name.as_str()),
        )
    };
    let mut documents: Vec<&str> = Vec::new();
    for s in &e.sources {
        if !documents.contains(&s.document.as_str()) {
            documents.push(&s.document);
        }
    }
    [
        e.id.clone(),
        date_text(e).unwrap_or_default(),
        e.end_date.map(|d| d.to_string()).unwrap_or_default(),
        e.precision.as_str().to_string(),
        e.kind.as_str().to_string(),
        e.status.as_str().to_string(),
        people(Side::Us),
        people(Side::Counterpart),
        // A spreadsheet column reads better as "NATO" than the full name.
        join(
            e.organizations
                .iter()
                .map(|o| o.short_name.as_deref().unwrap_or(&o.name)),
        ),
        join(e.countries.iter().map(String::as_str)),
        e.sources.len().to_string(),
        join(documents.into_iter()),
    ]
}

/// A cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a
/// tab or carriage return before one) gets a leading apostrophe, so a
/// hostile name like `=HYPERLINK(…)` stays text. No legitimate cell of
/// this export starts with one of them.
pub fn neutralise(cell: String) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell
    }
}

fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixtures;

    fn export(engagements: &[Engagement]) -> String {
        String::from_utf8(write(engagements, Vec::new()).unwrap()).unwrap()
    }

    #[test]
    fn each_engagement_is_one_row_under_the_header() {
        let out = export(&[fixtures::call(), fixtures::undated_visit()]);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines[0], HEADER.join(","));
        assert_eq!(
            lines[1],
            "2021-12-09-biden-zelenskyy-call,2021-12-09,,day,call,held,Joe Biden,\
             Volodymyr Zelenskyy,NATO,Ukraine,2,001.txt; 002.txt"
        );
        assert_eq!(
            lines[2],
            "2023-09-blinken-visit-ukraine,2023-09,,month,visit,planned,Antony Blinken,,,\
             Ukraine,1,003.txt"
        );
        assert_eq!(lines.len(), 3);
    }

    #[test]
    fn a_document_cited_twice_is_listed_once() {
        let mut e = fixtures::call();
        e.sources[1].document = "001.txt".into();
        let out = export(&[e]);
        assert!(out.lines().nth(1).unwrap().ends_with(",2,001.txt"), "{out}");
    }

    #[test]
    fn cells_that_look_like_formulas_stay_text() {
        let mut e = fixtures::call();
        e.participants[0].actor.name = "=HYPERLINK(\"http://x\")".into();
        e.countries = vec!["@SUM(A1)".into(), "ok".into()];
        let out = export(&[e]);
        assert!(out.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{out}");
        assert!(out.contains("'@SUM(A1); ok"), "{out}");
        assert_eq!(neutralise("-1".into()), "'-1");
        assert_eq!(neutralise("plain".into()), "plain");
    }

    #[test]
    fn nothing_to_export_is_the_header_alone() {
        assert_eq!(export(&[]), format!("{}\n", HEADER.join(",")));
    }
}
