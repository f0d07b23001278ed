//! The iCalendar (RFC 5545) and Atom (RFC 4287) exports: a calendar to
//! subscribe to ("planned engagements with NATO") and a feed reader's view
//! of a filter. Every document string is escaped for its format: ICS text
//! escapes `\ ; ,` and newlines and folds long lines; Atom is XML-escaped.

use std::io::Write;

use chrono::{Duration, Utc};

use super::{date_text, ExportError};
use crate::model::{Engagement, Side, Status};

/// A one-line summary: "Call: Joe Biden – Volodymyr Zelenskyy".
pub fn summary(e: &Engagement) -> String {
    let names = |side: Side| {
        e.participants
            .iter()
            .filter(|p| p.side == side)
            .map(|p| p.actor.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut them = names(Side::Counterpart);
    if them.is_empty() {
        them = e
            .organizations
            .iter()
            .map(|o| o.short_name.clone().unwrap_or_else(|| o.name.clone()))
            .chain(e.countries.iter().cloned())
            .collect::<Vec<_>>()
            .join(", ");
    }
    let kind = e.kind.label();
    let mut text = match e.status {
        Status::Planned => format!("Planned {kind}"),
        Status::Held => {
            let mut chars = kind.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    };
    let who: Vec<String> = [names(Side::Us), them]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !who.is_empty() {
        text.push_str(": ");
        text.push_str(&who.join(" – "));
    }
    text
}

/// Escapes ICS TEXT.
fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets (never inside a character), CRLF-ended.
fn ics_line(out: &mut impl Write, line: &str) -> std::io::Result<()> {
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.write_all(b"\r\n ")?;
            width = 1;
        }
        let mut buf = [0; 4];
        out.write_all(c.encode_utf8(&mut buf).as_bytes())?;
        width += c.len_utf8();
    }
    out.write_all(b"\r\n")
}

/// Writes VEVENTs for dated engagements (all-day events; an undated one
/// has no place on a calendar).
pub struct IcsWriter<W: Write> {
    out: W,
    base: String,
}

impl<W: Write> IcsWriter<W> {
    pub fn new(mut out: W, base: &str, name: &str) -> Result<Self, ExportError> {
        for line in [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//Readout//Engagements//EN",
            "CALSCALE:GREGORIAN",
            &format!("X-WR-CALNAME:{}", ics_text(name)),
        ] {
            ics_line(&mut out, line)?;
        }
        Ok(IcsWriter {
            out,
            base: base.trim_end_matches('/').to_string(),
        })
    }

    pub fn write(&mut self, engagements: &[Engagement]) -> Result<(), ExportError> {
        let stamp = Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        for e in engagements {
            let Some(start) = e.date else { continue };
            let end = e.end_date.filter(|d| *d >= start).unwrap_or(start) + Duration::days(1);
            let url = format!(
                "{}/engagements/{}",
                self.base,
                crate::web::view::encode(&e.id)
            );
            let mut description = format!("{} source(s).", e.sources.len());
            if let Some(first) = e.sources.first() {
                description = format!("{}\n\n{}", first.excerpt, description);
            }
            let lines = [
                "BEGIN:VEVENT".to_string(),
                format!("UID:{}@readout", ics_text(&e.id)),
                format!("DTSTAMP:{stamp}"),
                format!("DTSTART;VALUE=DATE:{}", start.format("%Y%m%d")),
                format!("DTEND;VALUE=DATE:{}", end.format("%Y%m%d")),
                format!("SUMMARY:{}", ics_text(&summary(e))),
                format!("DESCRIPTION:{}", ics_text(&description)),
                format!("URL:{}", ics_text(&url)),
                format!(
                    "STATUS:{}",
                    match e.status {
                        Status::Planned => "TENTATIVE",
                        Status::Held => "CONFIRMED",
                    }
                ),
                "END:VEVENT".to_string(),
            ];
            for line in lines {
                ics_line(&mut self.out, &line)?;
            }
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<W, ExportError> {
        ics_line(&mut self.out, "END:VCALENDAR")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Escapes XML text and attribute values.
pub fn xml(text: &str) -> String {
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
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes an Atom feed, one entry per engagement.
pub struct AtomWriter<W: Write> {
    out: W,
    base: String,
}

impl<W: Write> AtomWriter<W> {
    pub fn new(mut out: W, base: &str, title: &str, self_href: &str) -> Result<Self, ExportError> {
        let base = base.trim_end_matches('/').to_string();
        write!(
            out,
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
             <title>{}</title>\n<id>{}</id>\n<link rel=\"self\" href=\"{}\"/>\n\
             <updated>{}</updated>\n<author><name>Readout</name></author>\n",
            xml(title),
            xml(&format!("{base}{self_href}")),
            xml(&format!("{base}{self_href}")),
            Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
        )?;
        Ok(AtomWriter { out, base })
    }

    pub fn write(&mut self, engagements: &[Engagement]) -> Result<(), ExportError> {
        for e in engagements {
            let url = format!(
                "{}/engagements/{}",
                self.base,
                crate::web::view::encode(&e.id)
            );
            let updated = e
                .date
                .map(|d| format!("{d}T00:00:00Z"))
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_string());
            let when = date_text(e).unwrap_or_else(|| "undated".to_string());
            let excerpt = e.sources.first().map(|s| s.excerpt.as_str()).unwrap_or("");
            write!(
                self.out,
                "<entry>\n<title>{} ({})</title>\n<id>{}</id>\n<link href=\"{}\"/>\n\
                 <updated>{}</updated>\n<summary>{}</summary>\n</entry>\n",
                xml(&summary(e)),
                xml(&when),
                xml(&url),
                xml(&url),
                updated,
                xml(excerpt),
            )?;
        }
        Ok(())
    }

    pub fn finish(mut self) -> Result<W, ExportError> {
        self.out.write_all(b"</feed>\n")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::fixtures;

    #[test]
    fn calendar_text_is_escaped_and_folded() {
        let mut e = fixtures::call();
        e.sources[0].excerpt = "a; b, c\\ d\nBEGIN:VEVENT ".repeat(10);
        let mut w = IcsWriter::new(Vec::new(), "http://127.0.0.1:3000", "x").unwrap();
        w.write(&[e, fixtures::undated_visit()]).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(out.contains("DTSTART;VALUE=DATE:20211209\r\n"));
        assert!(out.contains("DTEND;VALUE=DATE:20211210\r\n"));
        assert_eq!(out.matches("\r\nBEGIN:VEVENT\r\n").count(), 2, "{out}");
        assert!(out.contains("a\\; b\\, c\\\\ d\\n"));
        assert!(out.lines().all(|l| l.len() <= 76), "{out}");
    }

    #[test]
    fn feed_text_is_xml_escaped() {
        let mut e = fixtures::call();
        e.sources[0].excerpt = "<script>alert(1)</script> & \"x\"".into();
        let mut w = AtomWriter::new(Vec::new(), "http://h", "t <b>", "/export?a=1&b=2").unwrap();
        w.write(&[e]).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(!out.contains("<script>"));
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;"));
        assert!(out.contains("<title>t &lt;b&gt;</title>"));
        assert!(out.contains("href=\"http://h/export?a=1&amp;b=2\""));
    }
}
