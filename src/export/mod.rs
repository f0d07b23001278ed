//! JSON and CSV export of engagements: pure writers from
//! [`Engagement`]s to any [`Write`], streaming so an export of the whole
//! database never has to hold it in memory. `readout export` feeds them one
//! page of the timeline at a time.

pub mod csv;
pub mod feed;
pub mod json;

use std::io::Write;

use crate::model::{DatePrecision, Engagement};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write the export: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write the export: {0}")]
    Csv(#[from] ::csv::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Ics,
    Atom,
}

impl Format {
    pub fn parse(code: &str) -> Option<Format> {
        match code {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "ics" => Some(Format::Ics),
            "atom" => Some(Format::Atom),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Ics => "ics",
            Format::Atom => "atom",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Ics => "text/calendar; charset=utf-8",
            Format::Atom => "application/atom+xml; charset=utf-8",
        }
    }
}

/// What the calendar and feed formats need beyond the rows: absolute links
/// and a name.
#[derive(Debug, Clone)]
pub struct FeedInfo {
    /// `http://host:port`, without a trailing slash.
    pub base: String,
    pub title: String,
    /// The export's own path and query, for Atom's `self` link.
    pub self_href: String,
}

/// A streaming export in either format: `write` each batch, then `finish`.
pub enum Exporter<W: Write> {
    Json(json::JsonWriter<W>),
    // Boxed: the CSV writer carries its buffer inline.
    Csv(Box<csv::CsvWriter<W>>),
    Ics(feed::IcsWriter<W>),
    Atom(feed::AtomWriter<W>),
}

impl<W: Write> Exporter<W> {
    pub fn new(format: Format, out: W) -> Result<Self, ExportError> {
        let info = FeedInfo {
            base: "http://127.0.0.1:3000".to_string(),
            title: "Readout engagements".to_string(),
            self_href: "/".to_string(),
        };
        Self::with_info(format, out, &info)
    }

    pub fn with_info(format: Format, out: W, info: &FeedInfo) -> Result<Self, ExportError> {
        Ok(match format {
            Format::Json => Exporter::Json(json::JsonWriter::new(out)?),
            Format::Csv => Exporter::Csv(Box::new(csv::CsvWriter::new(out)?)),
            Format::Ics => Exporter::Ics(feed::IcsWriter::new(out, &info.base, &info.title)?),
            Format::Atom => Exporter::Atom(feed::AtomWriter::new(
                out,
                &info.base,
                &info.title,
                &info.self_href,
            )?),
        })
    }

    pub fn write(&mut self, engagements: &[Engagement]) -> Result<(), ExportError> {
        match self {
            Exporter::Json(w) => w.write(engagements),
            Exporter::Csv(w) => w.write(engagements),
            Exporter::Ics(w) => w.write(engagements),
            Exporter::Atom(w) => w.write(engagements),
        }
    }

    /// Closes the document and flushes; returns the writer.
    pub fn finish(self) -> Result<W, ExportError> {
        match self {
            Exporter::Json(w) => w.finish(),
            Exporter::Csv(w) => w.finish(),
            Exporter::Ics(w) => w.finish(),
            Exporter::Atom(w) => w.finish(),
        }
    }
}

/// The date as precise as the sources give it: "2021-12-09", "2023-09",
/// "2023", or none. Writing a month-precise date as its first day would
/// read as a claim that it happened on the 1st.
pub fn date_text(engagement: &Engagement) -> Option<String> {
    let date = engagement.date?;
    Some(match engagement.precision {
        DatePrecision::Month => date.format("%Y-%m").to_string(),
        DatePrecision::Year => date.format("%Y").to_string(),
        DatePrecision::Day | DatePrecision::Unknown => date.to_string(),
    })
}

#[cfg(test)]
pub(crate) mod fixtures {
    //! Engagements for the writers' tests.

    use chrono::NaiveDate;

    use crate::model::*;

    pub fn person(name: &str, title: &str, country: &str, side: Side) -> Participant {
        Participant {
            actor: Actor {
                slug: slugify(name),
                name: name.into(),
                kind: ActorKind::Person,
                country: Some(country.into()),
                short_name: None,
                title: Some(title.into()),
            },
            side,
            title: Some(title.into()),
        }
    }

    /// A call with two people, NATO, and two sources.
    pub fn call() -> Engagement {
        Engagement {
            id: "2021-12-09-biden-zelenskyy-call".into(),
            date: NaiveDate::from_ymd_opt(2021, 12, 9),
            end_date: None,
            precision: DatePrecision::Day,
            kind: Kind::Call,
            status: Status::Held,
            participants: vec![
                person("Joe Biden", "President", "United States", Side::Us),
                person(
                    "Volodymyr Zelenskyy",
                    "President",
                    "Ukraine",
                    Side::Counterpart,
                ),
            ],
            organizations: vec![Actor {
                slug: "nato".into(),
                name: "North Atlantic Treaty Organization".into(),
                kind: ActorKind::Organization,
                country: None,
                short_name: Some("NATO".into()),
                title: None,
            }],
            countries: vec!["Ukraine".into()],
            sources: vec![
                Source {
                    document: "001.txt".into(),
                    url: Some("https://example.org/1".into()),
                    excerpt: "President Biden spoke with President Zelenskyy, \"again\".".into(),
                    start: 0,
                    end: 10,
                },
                Source {
                    document: "002.txt".into(),
                    url: None,
                    excerpt: "They spoke.".into(),
                    start: 5,
                    end: 16,
                },
            ],
        }
    }

    /// A visit known only to the month, with no counterpart person.
    pub fn undated_visit() -> Engagement {
        Engagement {
            id: "2023-09-blinken-visit-ukraine".into(),
            date: NaiveDate::from_ymd_opt(2023, 9, 1),
            end_date: None,
            precision: DatePrecision::Month,
            kind: Kind::Visit,
            status: Status::Planned,
            participants: vec![person(
                "Antony Blinken",
                "Secretary of State",
                "United States",
                Side::Us,
            )],
            organizations: Vec::new(),
            countries: vec!["Ukraine".into()],
            sources: vec![Source {
                document: "003.txt".into(),
                url: None,
                excerpt: "Blinken will travel to Ukraine in September.".into(),
                start: 0,
                end: 44,
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_precise_date_is_written_as_the_month() {
        assert_eq!(date_text(&fixtures::call()).as_deref(), Some("2021-12-09"));
        assert_eq!(
            date_text(&fixtures::undated_visit()).as_deref(),
            Some("2023-09")
        );
        let mut undated = fixtures::call();
        undated.date = None;
        assert_eq!(date_text(&undated), None);
    }
}
