//! Property tests of the document parser: on any text — random Unicode,
//! and documents assembled from the pieces the extractor looks for (front
//! matter, date lines, bullets, titles, names, engagement words, dates,
//! markup) — `ingest::parse` never panics or hangs, yields output bounded by
//! the input, and every mention's byte span lies inside the document on
//! character boundaries. A few hundred cases per run, so CI stays quick;
//! `PROPTEST_CASES=20000 cargo test --test api fuzz` digs deeper.

use std::sync::LazyLock;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use readout::gazetteer::Gazetteer;
use readout::ingest;

static GAZETTEER: LazyLock<Gazetteer> = LazyLock::new(Gazetteer::builtin);

/// Pieces of real documents, so random documents reach deep into the rules.
const PIECES: &[&str] = &[
    "---\n",
    "title: \"Readout of President Biden's Call with Prime Minister Kishida\"\n",
    "date: 2022-03-10\n",
    "date: yesterday\n",
    "source_url: https://example.org/x\n",
    " date 2021-12-09\n",
    "\n",
    "\r\n",
    "- ",
    "* ",
    "1. ",
    "# ",
    "**",
    "[",
    "](javascript:alert(1))",
    "](https://example.org)",
    "<script>alert(1)</script>",
    "&amp; ",
    "\u{feff}",
    "\u{a0}",
    "’s ",
    "“",
    "”",
    "—",
    "Secretary Blinken ",
    "Secretary of State Antony J. Blinken ",
    "President Biden ",
    "the two leaders ",
    "He ",
    "Foreign Minister Dmytro Kuleba of Ukraine",
    "Prime Minister Kishida Fumio of Japan",
    "Amir Tamim bin Hamad Al Thani",
    "NATO Secretary General Jens Stoltenberg",
    "President Xi Jinping",
    " met with ",
    " spoke by phone with ",
    " held a virtual meeting with ",
    " will travel to ",
    " traveled to Kyiv",
    " will meet ",
    " on the margins of the G20 ",
    " has spoken with 16 leaders",
    " today",
    " yesterday",
    " on Tuesday",
    " on November 9-10",
    " on February 14, 2022",
    " in September",
    " later this year",
    "November 29: ",
    "December 31, 1999 – January 2, 2000",
    " and ",
    ", ",
    ". ",
    "? ",
    "(",
    ")",
    "\"",
];

fn document() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
        1 => "\\PC{0,12}",
        1 => "[0-9]{1,4}",
    ];
    prop_oneof![
        1 => "\\PC{0,400}",
        4 => prop::collection::vec(piece, 0..80).prop_map(|pieces| pieces.concat()),
    ]
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let parsed = ingest::parse("fuzz.md", text, &GAZETTEER);
    // A guard against hangs, not a benchmark: debug builds parse these
    // small texts in milliseconds.
    prop_assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    let Ok(parsed) = parsed else {
        return Ok(()); // Refusing a document with a reason is fine.
    };
    prop_assert!(
        parsed.mentions.len() <= text.len(),
        "{} mentions",
        parsed.mentions.len()
    );
    for mention in &parsed.mentions {
        prop_assert!(mention.start <= mention.end && mention.end <= text.len());
        prop_assert!(
            text.is_char_boundary(mention.start),
            "start {}",
            mention.start
        );
        prop_assert!(text.is_char_boundary(mention.end), "end {}", mention.end);
        prop_assert!(mention.excerpt.len() <= text.len());
        prop_assert!(mention.people.len() + mention.organizations.len() <= text.len());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(300),
        ..ProptestConfig::default()
    })]

    #[test]
    fn parsing_any_text_stays_inside_the_document(text in document()) {
        check(&text)?;
    }

    #[test]
    fn parsing_any_bytes_read_as_text_stays_inside_the_document(
        bytes in prop::collection::vec(any::<u8>(), 0..600)
    ) {
        if let Ok(text) = readout::limits::decode(&bytes, &readout::limits::Limits::default()) {
            check(&text)?;
        }
    }
}
