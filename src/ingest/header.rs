//! Detects a document's header and reads what it says: YAML front matter
//! (`---` … `---`), a ` date YYYY-MM-DD` first line, or nothing at all.

use chrono::NaiveDate;
use serde_norway::Value;

use super::IngestError;
use crate::model::DocumentMeta;

/// What the header says, and where the body starts (a byte offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub kind: HeaderKind,
    pub meta: DocumentMeta,
    pub body_start: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderKind {
    FrontMatter,
    DateLine,
    None,
}

pub fn read(text: &str) -> Result<Header, IngestError> {
    if let Some(header) = front_matter(text)? {
        return Ok(header);
    }
    if let Some(header) = date_line(text) {
        return Ok(header);
    }
    Ok(Header {
        kind: HeaderKind::None,
        meta: DocumentMeta::default(),
        body_start: 0,
    })
}

/// `---` on the first line opens front matter; the next `---` line closes it.
fn front_matter(text: &str) -> Result<Option<Header>, IngestError> {
    let trimmed = text.trim_start_matches('\u{feff}');
    let lead = text.len() - trimmed.len();
    let mut lines = trimmed.split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => {}
        _ => return Ok(None),
    }
    let yaml_start = lead + trimmed.find('\n').map_or(trimmed.len(), |i| i + 1);
    let mut offset = yaml_start;
    for line in lines {
        if line.trim_end() == "---" {
            let yaml = &text[yaml_start..offset];
            let meta = parse_yaml(yaml)?;
            return Ok(Some(Header {
                kind: HeaderKind::FrontMatter,
                meta,
                body_start: offset + line.len(),
            }));
        }
        offset += line.len();
    }
    Err(IngestError::FrontMatter {
        line: 1,
        reason: "opened with `---` but never closed".into(),
    })
}

fn parse_yaml(yaml: &str) -> Result<DocumentMeta, IngestError> {
    let value: Value = serde_norway::from_str(yaml).map_err(|err| IngestError::FrontMatter {
        // +1 for the opening `---` line, +1 because serde counts from 1 already minus one.
        line: err.location().map_or(1, |l| l.line() + 1),
        reason: err.to_string(),
    })?;
    let text = |key: &str| -> Option<String> {
        match value.get(key)? {
            Value::String(s) => Some(s.split_whitespace().collect::<Vec<_>>().join(" ")),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
        .filter(|s| !s.is_empty())
    };
    let published = ["date", "published_time", "published", "modified_time"]
        .iter()
        .find_map(|key| text(key).and_then(|v| leading_date(&v)));
    Ok(DocumentMeta {
        title: text("title"),
        published,
        source_url: text("source_url").or_else(|| text("url")),
    })
}

/// The ISO date at the start of a value ("2022-01-10 18:22:23-05:00").
fn leading_date(value: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(value.get(..10)?, "%Y-%m-%d").ok()
}

/// ` date 2021-12-29 Washington will …`: the word `date` and an ISO date
/// open the document; the body may go on on the same line.
fn date_line(text: &str) -> Option<Header> {
    let trimmed = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let lead = text.len() - trimmed.len();
    let rest = trimmed.strip_prefix("date")?;
    let after_word = rest.trim_start_matches([' ', '\t', ':']);
    if after_word.len() == rest.len() {
        return None;
    }
    let date = leading_date(after_word)?;
    let body_start = lead + (trimmed.len() - after_word.len()) + 10;
    Some(Header {
        kind: HeaderKind::DateLine,
        meta: DocumentMeta {
            published: Some(date),
            ..DocumentMeta::default()
        },
        body_start,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_gives_title_date_and_url() {
        let text = "---\ntitle: \"Readout of a Call\\\n  \\ with\\_a Partner\"\ndate: '2023-04-05'\nsource_url: https://example.org/a\n---\nBody here.\n";
        let header = read(text).unwrap();
        assert_eq!(header.kind, HeaderKind::FrontMatter);
        assert_eq!(
            header.meta.title.as_deref(),
            Some("Readout of a Call with a Partner")
        );
        assert_eq!(header.meta.published, NaiveDate::from_ymd_opt(2023, 4, 5));
        assert_eq!(
            header.meta.source_url.as_deref(),
            Some("https://example.org/a")
        );
        assert_eq!(&text[header.body_start..], "Body here.\n");
    }

    #[test]
    fn a_date_line_may_run_on_into_the_body() {
        let text = " date 2020-02-03 The minister arrived.";
        let header = read(text).unwrap();
        assert_eq!(header.kind, HeaderKind::DateLine);
        assert_eq!(header.meta.published, NaiveDate::from_ymd_opt(2020, 2, 3));
        assert_eq!(text[header.body_start..].trim(), "The minister arrived.");
    }

    #[test]
    fn text_without_a_header_is_undated() {
        let header = read("With Chile: the President spoke with the President of Chile.").unwrap();
        assert_eq!(header.kind, HeaderKind::None);
        assert_eq!(header.meta.published, None);
        assert_eq!(header.body_start, 0);
    }

    #[test]
    fn unclosed_or_broken_front_matter_is_an_error_with_a_line() {
        assert!(matches!(
            read("---\ntitle: x\n"),
            Err(IngestError::FrontMatter { .. })
        ));
        let err = read("---\ntitle: [unclosed\n---\nbody").unwrap_err();
        assert!(
            matches!(err, IngestError::FrontMatter { line, .. } if line >= 2),
            "{err:?}"
        );
    }
}
