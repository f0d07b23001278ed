//! The JSON export: the shape `../shared/eval/score.py` reads,
//! `{"engagements": [{id, date, end_date, date_precision, kind, status,
//! participants, organizations, countries, sources}]}`. Participants are
//! people only; organisations and countries have their own lists.

use std::io::Write;

use serde::Serialize;

use super::{date_text, ExportError};
use crate::model::{Engagement, Kind, Side, Status};

#[derive(Serialize)]
struct JsonEngagement<'a> {
    id: &'a str,
    date: Option<String>,
    end_date: Option<String>,
    date_precision: &'static str,
    kind: Kind,
    status: Status,
    participants: Vec<JsonParticipant<'a>>,
    organizations: Vec<JsonOrganization<'a>>,
    countries: &'a [String],
    sources: Vec<JsonSource<'a>>,
}

#[derive(Serialize)]
struct JsonParticipant<'a> {
    name: &'a str,
    title: Option<&'a str>,
    country: Option<&'a str>,
    side: Side,
    slug: &'a str,
}

#[derive(Serialize)]
struct JsonOrganization<'a> {
    name: &'a str,
    short_name: Option<&'a str>,
    slug: &'a str,
}

#[derive(Serialize)]
struct JsonSource<'a> {
    document: &'a str,
    url: Option<&'a str>,
    excerpt: &'a str,
}

impl<'a> From<&'a Engagement> for JsonEngagement<'a> {
    fn from(e: &'a Engagement) -> Self {
        JsonEngagement {
            id: &e.id,
            date: date_text(e),
            end_date: e.end_date.map(|d| d.to_string()),
            date_precision: e.precision.as_str(),
            kind: e.kind,
            status: e.status,
            participants: e
                .participants
                .iter()
                .map(|p| JsonParticipant {
                    name: &p.actor.name,
                    // The office as the sources write it, else the actor's best-known one.
                    title: p.title.as_deref().or(p.actor.title.as_deref()),
                    country: p.actor.country.as_deref(),
                    side: p.side,
                    slug: &p.actor.slug,
                })
                .collect(),
            organizations: e
                .organizations
                .iter()
                .map(|o| JsonOrganization {
                    name: &o.name,
                    short_name: o.short_name.as_deref(),
                    slug: &o.slug,
                })
                .collect(),
            countries: &e.countries,
            sources: e
                .sources
                .iter()
                .map(|s| JsonSource {
                    document: &s.document,
                    url: s.url.as_deref(),
                    excerpt: &s.excerpt,
                })
                .collect(),
        }
    }
}

/// Writes the export document around batches of engagements, one per line.
pub struct JsonWriter<W: Write> {
    out: W,
    first: bool,
}

impl<W: Write> JsonWriter<W> {
    pub fn new(mut out: W) -> Result<Self, ExportError> {
        out.write_all(b"{\"engagements\": [")?;
        Ok(JsonWriter { out, first: true })
    }

    pub fn write(&mut self, engagements: &[Engagement]) -> Result<(), ExportError> {
        for e in engagements {
            self.out
                .write_all(if self.first { b"\n" } else { b",\n" })?;
            self.first = false;
            serde_json::to_writer(&mut self.out, &JsonEngagement::from(e))
                .map_err(std::io::Error::from)?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<W, ExportError> {
        self.out.write_all(b"\n]}\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The whole export of `engagements` to `out`.
pub fn write<W: Write>(engagements: &[Engagement], out: W) -> Result<W, ExportError> {
    let mut writer = JsonWriter::new(out)?;
    writer.write(engagements)?;
    writer.finish()
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::export::fixtures;

    fn export(engagements: &[Engagement]) -> Value {
        let bytes = write(engagements, Vec::new()).unwrap();
        serde_json::from_slice(&bytes).unwrap()
    }

    #[test]
    fn an_engagement_is_written_in_the_shape_the_scorer_reads() {
        let out = export(&[fixtures::call()]);
        assert_eq!(
            out,
            json!({"engagements": [{
                "id": "2021-12-09-biden-zelenskyy-call",
                "date": "2021-12-09",
                "end_date": null,
                "date_precision": "day",
                "kind": "call",
                "status": "held",
                "participants": [
                    {"name": "Joe Biden", "title": "President", "country": "United States",
                     "side": "us", "slug": "joe-biden"},
                    {"name": "Volodymyr Zelenskyy", "title": "President", "country": "Ukraine",
                     "side": "counterpart", "slug": "volodymyr-zelenskyy"}
                ],
                "organizations": [
                    {"name": "North Atlantic Treaty Organization", "short_name": "NATO", "slug": "nato"}
                ],
                "countries": ["Ukraine"],
                "sources": [
                    {"document": "001.txt", "url": "https://example.org/1",
                     "excerpt": "President Biden spoke with President Zelenskyy, \"again\"."},
                    {"document": "002.txt", "url": null, "excerpt": "They spoke."}
                ]
            }]})
        );
    }

    #[test]
    fn an_undated_engagement_has_a_null_date() {
        let mut e = fixtures::call();
        e.date = None;
        e.precision = crate::model::DatePrecision::Unknown;
        let out = export(&[e]);
        assert_eq!(out["engagements"][0]["date"], Value::Null);
        assert_eq!(out["engagements"][0]["date_precision"], "unknown");
    }

    #[test]
    fn batches_make_one_valid_document() {
        let mut writer = JsonWriter::new(Vec::new()).unwrap();
        writer.write(&[fixtures::call()]).unwrap();
        writer.write(&[]).unwrap();
        writer.write(&[fixtures::undated_visit()]).unwrap();
        let out: Value = serde_json::from_slice(&writer.finish().unwrap()).unwrap();
        assert_eq!(out["engagements"].as_array().unwrap().len(), 2);
        assert_eq!(out["engagements"][1]["date"], "2023-09");
    }

    #[test]
    fn nothing_to_export_is_an_empty_list() {
        assert_eq!(export(&[]), json!({"engagements": []}));
    }
}
