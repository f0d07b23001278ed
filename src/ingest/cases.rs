//! Extraction cases as text fixtures (`tests/fixtures/cases/*.txt`), in the
//! format `readout import --explain` prints, so a sentence a real document
//! misread becomes a test by pasting it with the engagements it should give.
//!
//! A case: `## what it shows`, optional header lines `title: …` and
//! `published: YYYY-MM-DD` (none: a headerless document), the body, then one
//! `=> …` line per expected engagement as `--explain` writes it, or
//! `=> nothing` for a text that reports none.

use super::{describe_mention, parse};
use crate::gazetteer::Gazetteer;

/// A case while it is read: its line, name, header lines, body lines and
/// expected engagements.
type Draft = (usize, String, Vec<String>, Vec<String>, Vec<String>);

struct Case {
    file: String,
    line: usize,
    name: String,
    document: String,
    expected: Vec<String>,
}

fn cases() -> Vec<Case> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cases");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/cases")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut current: Option<Draft> = None;
        let mut finish = |c: Option<Draft>| {
            if let Some((line, name, header, body, expected)) = c {
                let document = if header.is_empty() {
                    body.join("\n")
                } else {
                    format!("---\n{}\n---\n{}", header.join("\n"), body.join("\n"))
                };
                out.push(Case {
                    file: file.clone(),
                    line,
                    name,
                    document,
                    expected,
                });
            }
        };
        for (n, raw) in text.lines().enumerate() {
            if let Some(name) = raw.strip_prefix("## ") {
                finish(current.take());
                current = Some((n + 1, name.to_string(), vec![], vec![], vec![]));
                continue;
            }
            let Some((_, _, header, body, expected)) = current.as_mut() else {
                continue;
            };
            if let Some(e) = raw.strip_prefix("=> ") {
                if e.trim() != "nothing" {
                    expected.push(e.trim().to_string());
                }
            } else if body.is_empty()
                && (raw.starts_with("title: ") || raw.starts_with("published: "))
            {
                let (key, value) = raw.split_once(": ").unwrap();
                let key = if key == "published" { "date" } else { key };
                header.push(format!("{key}: \"{}\"", value.replace('"', "\\\"")));
            } else if !raw.trim().is_empty() || !body.is_empty() {
                body.push(raw.to_string());
            }
        }
        finish(current.take());
    }
    out
}

#[test]
fn every_extraction_case_reads_as_its_fixture_says() {
    let gazetteer = Gazetteer::builtin();
    let cases = cases();
    assert!(cases.len() >= 5, "the case fixtures were not found");
    let mut failures = Vec::new();
    for case in &cases {
        let got: Vec<String> = match parse("case.txt", &case.document, &gazetteer) {
            Ok(doc) => doc.mentions.iter().map(describe_mention).collect(),
            Err(e) => vec![format!("error: {e}")],
        };
        if got != case.expected {
            failures.push(format!(
                "{}:{} {}\n  expected:\n    {}\n  got:\n    {}",
                case.file,
                case.line,
                case.name,
                case.expected.join("\n    "),
                got.join("\n    ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
