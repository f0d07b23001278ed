//! A second, independent evaluation: sixteen hand-written documents in the
//! shapes of the held-out set (other years 2009–2025, regions and
//! administrations, non-U.S. news, a no-engagement statement, a paraphrased
//! run-on copy), labelled by hand in `tests/fixtures/heldout/gold.json`.
//! Imported with the real binary, exported as JSON and scored with the
//! evaluation's matching rules (`scorer.rs`).
//!
//! This is a regression guard, not the extraction bar: it asserts a modest
//! floor below the figure measured when the set was written, so that it fails
//! only when extraction gets worse on text it was not tuned on. Raise the
//! floors as extraction improves.
//!
//! Measured at creation (debug build of the working tree of 2026-11-23,
//! same figures from `python3 ../shared/eval/score.py
//! tests/fixtures/heldout/gold.json <export> --show-misses`):
//! gold 85, exported 80, matched 72, duplicates 0,
//! F1 0.873 (P 0.900, R 0.847), merged 19/29,
//! kind 0.958, status 0.972, end_date 0.986, countries 0.833, sources 0.889.
//! (An earlier build of the same day scored F1 0.840, merged 17/29.)
//!
//! After the extraction fixes the set prompted (same day, later):
//! gold 85, exported 90, matched 80, duplicates 5,
//! F1 0.914 (P 0.889, R 0.941), merged 19/29,
//! kind 0.963, status 0.963, end_date 0.975, countries 0.912, sources 0.875.
//!
//! 2026-12-02: the 15 records of engagements among foreign parties alone
//! (Wang–Kishida, Yoon–Kishida, the AU–EU ministerial, …) were removed from
//! the gold file: `shared/eval/CONVENTIONS.md`, the definition every
//! evaluation follows, does not record them, and the extractor now drops
//! them. On the 70 that remain: exported 75, matched 68, duplicates 5,
//! F1 0.938 (P 0.907, R 0.971), merged 22/29.

use std::path::Path;

use serde_json::Value;

use crate::scorer;

/// Measured F1 0.938 − 0.03, rounded down.
const MIN_F1: f64 = 0.90;
/// Measured 19 of 29 multi-source engagements merged, minus a small margin.
const MIN_MERGED: usize = 17;

fn gold() -> Value {
    serde_json::from_str(include_str!("../fixtures/heldout/gold.json")).unwrap()
}

#[test]
fn the_heldout_style_documents_do_not_regress() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/heldout/docs");
    let export = scorer::import_and_export(&docs);

    let s = scorer::score(&gold(), &export);
    let report = format!(
        "held-out style set: gold {}, exported {}, matched {}\n\
         F1 {:.3} (P {:.3} R {:.3}), duplicates {}, merged {}/{}\n\
         kind {:.3}, status {:.3}, end_date {:.3}, countries {:.3}, sources {:.3}\n\
         missed: {:#?}\ninvented: {:#?}",
        s.gold,
        s.exported,
        s.matched,
        s.f1,
        s.precision,
        s.recall,
        s.duplicates,
        s.merged,
        s.multi_source,
        s.kind,
        s.status,
        s.end_date,
        s.countries,
        s.sources,
        s.missed,
        s.invented
    );
    println!("{report}");
    assert!(s.f1 >= MIN_F1, "F1 fell below {MIN_F1}\n{report}");
    assert!(
        s.merged >= MIN_MERGED,
        "fewer than {MIN_MERGED} multi-source engagements merged\n{report}"
    );
}

#[test]
fn a_statement_without_engagements_yields_none() {
    // The sanctions statement (calls on governments, meets commitments,
    // visits homes, an aggregate of calls) reports no engagement at all.
    let doc = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/heldout/docs/h12_state_venezuela_sanctions_2019.txt");
    let export = scorer::import_and_export(&doc);
    let found = export["engagements"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(found, 0, "{export:#}");
}

#[test]
fn the_heldout_gold_file_is_well_formed() {
    // Every engagement names only documents listed in `documents`, and every
    // listed document exists in the fixtures folder.
    let gold = gold();
    let docs = gold["documents"].as_object().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/heldout/docs");
    for name in docs.keys() {
        assert!(root.join(name).is_file(), "missing fixture {name}");
    }
    for g in gold["engagements"].as_array().unwrap() {
        for key in ["kind", "status"] {
            assert!(g[key].is_string(), "{g}");
        }
        assert!(
            ["call", "video_call", "meeting", "visit"].contains(&g["kind"].as_str().unwrap()),
            "{g}"
        );
        assert!(
            ["held", "planned"].contains(&g["status"].as_str().unwrap()),
            "{g}"
        );
        for s in g["sources"].as_array().unwrap() {
            assert!(docs.contains_key(s.as_str().unwrap()), "{g}");
        }
    }
}
