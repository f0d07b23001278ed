//! A Rust port of the evaluation's matching rules (`shared/eval/README.md`,
//! `score.py`): scores a JSON export against a hand-labelled gold file.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

const THRESHOLD: f64 = 0.5;

#[derive(Debug, Default)]
pub struct Score {
    pub gold: usize,
    pub exported: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub duplicates: usize,
    pub merged: usize,
    pub multi_source: usize,
    pub kind: f64,
    pub status: f64,
    pub end_date: f64,
    pub countries: f64,
    pub sources: f64,
    /// Gold records not matched, described for failure messages.
    pub missed: Vec<String>,
    /// Exported records matching nothing.
    pub invented: Vec<String>,
}

/// Lowercase, accents and punctuation stripped, white space folded.
pub fn norm(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let cleaned: String = ascii
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c.is_whitespace() || c == '-' {
                c
            } else {
                ' '
            }
        })
        .map(|c| if c == '-' || c == '_' { ' ' } else { c })
        .collect();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn person_key(text: &str) -> String {
    let mut words: Vec<String> = norm(text).split(' ').map(str::to_string).collect();
    while words.len() > 1
        && matches!(
            words.last().map(String::as_str),
            Some("jr" | "sr" | "ii" | "iii" | "iv")
        )
    {
        words.pop();
    }
    words.join(" ")
}

fn name_matches(key: &str, name: &str) -> bool {
    if key.is_empty() || name.is_empty() {
        return false;
    }
    let (short, long) = if key.len() <= name.len() {
        (key, name)
    } else {
        (name, key)
    };
    long == short || long.ends_with(&format!(" {short}")) || long.starts_with(&format!("{short} "))
}

fn contains_words(needle: &str, hay: &str) -> bool {
    !needle.is_empty() && format!(" {hay} ").contains(&format!(" {needle} "))
}

fn strs(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

enum GoldActor {
    Person(String),
    Org(String),
    Country(String),
}

fn gold_actors(g: &Value) -> Vec<GoldActor> {
    let mut out: Vec<GoldActor> = strs(g, "us")
        .iter()
        .chain(strs(g, "counterparts").iter())
        .map(|k| GoldActor::Person(person_key(k)))
        .collect();
    out.extend(
        strs(g, "organizations")
            .iter()
            .map(|k| GoldActor::Org(norm(k))),
    );
    if strs(g, "counterparts").is_empty() && strs(g, "organizations").is_empty() {
        out.extend(
            strs(g, "countries")
                .iter()
                .map(|k| GoldActor::Country(norm(k))),
        );
    }
    out
}

fn export_actors(e: &Value) -> (Vec<String>, Vec<String>) {
    let people = e["participants"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p["name"].as_str())
                .map(person_key)
                .collect()
        })
        .unwrap_or_default();
    let mut orgs = Vec::new();
    for o in e["organizations"].as_array().into_iter().flatten() {
        if let Some(s) = o.as_str() {
            orgs.push(norm(s));
        }
        for key in ["name", "short_name"] {
            if let Some(s) = o.get(key).and_then(Value::as_str) {
                orgs.push(norm(s));
            }
        }
    }
    (people, orgs)
}

fn counterpart_countries(e: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in e["participants"].as_array().into_iter().flatten() {
        if p["side"] == "counterpart" {
            if let Some(c) = p["country"].as_str() {
                out.insert(norm(c));
            }
        }
    }
    for c in e["countries"].as_array().into_iter().flatten() {
        if let Some(c) = c.as_str() {
            out.insert(norm(c));
        }
    }
    out
}

fn day_date(e: &Value) -> Option<String> {
    let d = e["date"].as_str()?;
    if matches!(
        e["date_precision"].as_str(),
        Some("month" | "year" | "unknown")
    ) {
        return None;
    }
    (d.len() == 10).then(|| d.to_string())
}

fn source_docs(e: &Value) -> HashSet<String> {
    e["sources"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().or_else(|| s["document"].as_str()))
        .map(|d| d.rsplit('/').next().unwrap_or(d).to_string())
        .collect()
}

fn pair_score(g: &Value, e: &Value, actors: &(Vec<String>, Vec<String>)) -> f64 {
    let gold_date = g["date"].as_str().map(str::to_string);
    if gold_date != day_date(e) {
        return 0.0;
    }
    let wanted = gold_actors(g);
    if wanted.is_empty() {
        return 1.0;
    }
    let (people, orgs) = actors;
    let countries = counterpart_countries(e);
    let hit = wanted
        .iter()
        .filter(|a| match a {
            GoldActor::Person(k) => people.iter().any(|p| name_matches(k, p)),
            GoldActor::Country(k) => {
                countries.contains(k) || people.contains(k) || orgs.contains(k)
            }
            GoldActor::Org(k) => {
                orgs.iter().any(|o| contains_words(k, o))
                    || people.iter().any(|p| contains_words(k, p))
            }
        })
        .count();
    hit as f64 / wanted.len() as f64
}

fn describe(v: &Value) -> String {
    let names: Vec<String> = ["us", "counterparts", "organizations"]
        .iter()
        .flat_map(|k| strs(v, k))
        .chain(
            v["participants"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|p| p["name"].as_str().map(str::to_string)),
        )
        .collect();
    format!("{} {} [{}]", v["date"], v["kind"], names.join(", "))
}

/// Scores `export` (`{"engagements": [...]}`) against `gold`.
pub fn score(gold: &Value, export: &Value) -> Score {
    let gold_list = gold["engagements"].as_array().cloned().unwrap_or_default();
    let exp_list = export["engagements"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let actors: Vec<_> = exp_list.iter().map(export_actors).collect();
    let mut pairs = Vec::new();
    for (gi, g) in gold_list.iter().enumerate() {
        for (ei, e) in exp_list.iter().enumerate() {
            let s = pair_score(g, e, &actors[ei]);
            if s >= THRESHOLD {
                pairs.push((s, gi, ei));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut g_taken, mut e_taken) = (HashMap::new(), HashMap::new());
    let mut matches = Vec::new();
    for &(s, gi, ei) in &pairs {
        if g_taken.contains_key(&gi) || e_taken.contains_key(&ei) {
            continue;
        }
        g_taken.insert(gi, ei);
        e_taken.insert(ei, gi);
        matches.push((gi, ei, s));
    }
    let duplicates: BTreeSet<usize> = pairs
        .iter()
        .map(|p| p.2)
        .filter(|ei| !e_taken.contains_key(ei))
        .collect();
    let mut out = Score {
        gold: gold_list.len(),
        exported: exp_list.len(),
        matched: matches.len(),
        duplicates: duplicates.len(),
        ..Score::default()
    };
    out.precision = if out.exported > 0 {
        out.matched as f64 / out.exported as f64
    } else {
        0.0
    };
    out.recall = if out.gold > 0 {
        out.matched as f64 / out.gold as f64
    } else {
        0.0
    };
    out.f1 = if out.precision + out.recall > 0.0 {
        2.0 * out.precision * out.recall / (out.precision + out.recall)
    } else {
        0.0
    };
    let n = matches.len().max(1) as f64;
    for &(gi, ei, _) in &matches {
        let (g, e) = (&gold_list[gi], &exp_list[ei]);
        out.kind += (g["kind"] == e["kind"]) as u8 as f64 / n;
        out.status += (g["status"] == e["status"]) as u8 as f64 / n;
        let g_end = g["end_date"].as_str();
        let e_end = e["end_date"].as_str();
        out.end_date += (g_end == e_end) as u8 as f64 / n;
        let gc: BTreeSet<String> = strs(g, "countries").iter().map(|c| norm(c)).collect();
        out.countries += (gc == counterpart_countries(e)) as u8 as f64 / n;
        let gs: HashSet<String> = strs(g, "sources").into_iter().collect();
        out.sources += (gs == source_docs(e)) as u8 as f64 / n;
    }
    for (gi, g) in gold_list.iter().enumerate() {
        let sources = strs(g, "sources");
        if sources.len() > 1 {
            out.multi_source += 1;
            if let Some(&ei) = g_taken.get(&gi) {
                let have = source_docs(&exp_list[ei]);
                if sources.iter().all(|s| have.contains(s)) {
                    out.merged += 1;
                }
            }
        }
        if !g_taken.contains_key(&gi) {
            out.missed.push(describe(g));
        }
    }
    for (ei, e) in exp_list.iter().enumerate() {
        if !e_taken.contains_key(&ei) && !duplicates.contains(&ei) {
            out.invented.push(describe(e));
        }
    }
    out
}

/// Imports `docs` (a file or folder) into a fresh database with the real
/// binary and returns its JSON export, as a user would produce it.
pub fn import_and_export(docs: &Path) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("eval.db");
    run(&["import", docs.to_str().unwrap()], &db);
    serde_json::from_str(&run(&["export", "--format", "json"], &db)).unwrap()
}

fn run(args: &[&str], db: &Path) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_readout"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env_remove("READOUT_DATA")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "readout {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}
