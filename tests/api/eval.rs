//! The extraction evaluation as a user would run it: import the bundled
//! sample corpus with the real binary, export JSON, and score the export
//! against the hand-labelled gold file with the evaluation's matching rules
//! (`scorer.rs`, a port of `shared/eval/score.py`).

use std::path::Path;

use serde_json::Value;

use crate::scorer;

fn gold() -> Value {
    serde_json::from_str(include_str!("../fixtures/gold_seeds.json")).unwrap()
}

#[test]
fn the_sample_corpus_export_meets_the_extraction_bar() {
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let export = scorer::import_and_export(&samples);

    let s = scorer::score(&gold(), &export);
    let report = format!(
        "F1 {:.3} (P {:.3} R {:.3}), duplicates {}, merged {}/{}, kind {:.3}, status {:.3}, countries {:.3}, sources {:.3}\nmissed: {:#?}\ninvented: {:#?}",
        s.f1, s.precision, s.recall, s.duplicates, s.merged, s.multi_source, s.kind, s.status, s.countries, s.sources, s.missed, s.invented
    );
    println!("{report}");
    assert!(s.f1 >= 0.95, "{report}");
    assert_eq!(s.duplicates, 0, "{report}");
    assert_eq!(
        s.merged, s.multi_source,
        "every multi-source engagement merged\n{report}"
    );
    assert!(s.kind >= 0.95, "{report}");
    assert!(s.status >= 0.95, "{report}");
    assert!(s.countries >= 0.9, "{report}");
}

#[test]
fn the_scorer_counts_a_perfect_export_as_perfect_and_an_empty_one_as_nothing() {
    // The gold file turned into an export must score 1.0: proves the port
    // reads both shapes the same way.
    let gold = gold();
    let engagements: Vec<Value> = gold["engagements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let people = |key: &str, side: &str| -> Vec<Value> {
                g[key]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| serde_json::json!({"name": n, "side": side, "country": if side == "us" { Value::Null } else { g["countries"].get(0).cloned().unwrap_or(Value::Null) }}))
                    .collect()
            };
            let mut participants = people("us", "us");
            participants.extend(people("counterparts", "counterpart"));
            serde_json::json!({
                "date": g["date"], "end_date": g["end_date"], "kind": g["kind"], "status": g["status"],
                "participants": participants,
                "organizations": g["organizations"].as_array().unwrap().iter().map(|o| serde_json::json!({"name": o})).collect::<Vec<_>>(),
                "countries": g["countries"],
                "sources": g["sources"],
            })
        })
        .collect();
    let perfect = scorer::score(&gold, &serde_json::json!({ "engagements": engagements }));
    assert_eq!(perfect.matched, perfect.gold);
    assert!((perfect.f1 - 1.0).abs() < 1e-9);
    assert_eq!(perfect.merged, perfect.multi_source);

    let empty = scorer::score(&gold, &serde_json::json!({ "engagements": [] }));
    assert_eq!(empty.f1, 0.0);
    assert_eq!(empty.missed.len(), empty.gold);
}
