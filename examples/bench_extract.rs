//! Extraction throughput: parses and resolves documents in memory (no
//! database, no disk after loading) and prints documents per second.
//!
//! ```text
//! cargo run --release --example bench_extract                 # the bundled samples × 100
//! cargo run --release --example bench_extract -- --repeat 50  # × 50
//! cargo run --release --example bench_extract -- ../shared/corpus/whitehouse-2021-2022
//! ```
//!
//! With a folder, every `*.txt` / `*.md` under it is read once into memory
//! and parsed `--repeat` times (default 1). Each copy of a document gets its
//! own name, so resolve sees N reports of the same events and merges them,
//! as it would for a story copied across N sources. Each measurement is the
//! best of `--rounds` runs (default 3) after one warm-up.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use readout::gazetteer::Gazetteer;
use readout::model::Mention;

struct Options {
    repeat: Option<usize>,
    rounds: usize,
    dir: Option<PathBuf>,
}

fn options() -> Options {
    let mut options = Options {
        repeat: None,
        rounds: 3,
        dir: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> usize {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| usage(&format!("{name} needs a whole number")))
        };
        match arg.as_str() {
            "--repeat" | "-n" => options.repeat = Some(number("--repeat").max(1)),
            "--rounds" => options.rounds = number("--rounds").max(1),
            "-h" | "--help" => usage(""),
            _ if arg.starts_with('-') => usage(&format!("unknown option {arg}")),
            _ => options.dir = Some(PathBuf::from(arg)),
        }
    }
    options
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("error: {problem}");
    }
    eprintln!("usage: bench_extract [--repeat N] [--rounds R] [DIR]");
    std::process::exit(2);
}

/// Every `*.txt` / `*.md` under `dir`, as (relative name, text), sorted.
fn read_dir(dir: &PathBuf) -> Vec<(String, String)> {
    let mut docs = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap_or_else(|err| panic!("cannot walk {}: {err}", dir.display()));
        let path = entry.path();
        let wanted = path
            .extension()
            .is_some_and(|ext| ext == "txt" || ext == "md");
        if !entry.file_type().is_file() || !wanted {
            continue;
        }
        match std::fs::read_to_string(path) {
            Ok(text) => docs.push((
                path.strip_prefix(dir).unwrap_or(path).display().to_string(),
                text,
            )),
            Err(err) => eprintln!("skipped {}: {err}", path.display()),
        }
    }
    docs
}

struct Run {
    parse: Duration,
    resolve: Duration,
    failed: usize,
    mentions: usize,
    engagements: usize,
}

fn run(docs: &[(String, String)], repeat: usize, gazetteer: &Gazetteer) -> Run {
    let started = Instant::now();
    let mut mentions: Vec<(String, Mention)> = Vec::new();
    let mut failed = 0;
    for copy in 0..repeat {
        for (name, text) in docs {
            let name = if repeat == 1 {
                name.clone()
            } else {
                format!("{copy:04}/{name}")
            };
            match readout::ingest::parse(&name, text, gazetteer) {
                Ok(doc) => mentions.extend(doc.mentions.into_iter().map(|m| (name.clone(), m))),
                Err(_) => failed += 1,
            }
        }
    }
    let parse = started.elapsed();
    let started = Instant::now();
    let engagements = readout::resolve::resolve(&mentions, gazetteer).len();
    Run {
        parse,
        resolve: started.elapsed(),
        failed,
        mentions: mentions.len(),
        engagements,
    }
}

fn main() {
    let options = options();
    let started = Instant::now();
    let gazetteer = Gazetteer::builtin();
    let gazetteer_load = started.elapsed();

    let (label, docs, repeat) = match &options.dir {
        Some(dir) => (
            dir.display().to_string(),
            read_dir(dir),
            options.repeat.unwrap_or(1),
        ),
        None => (
            "bundled samples".to_string(),
            readout::samples::documents()
                .into_iter()
                .map(|(name, text)| (name.to_string(), text.to_string()))
                .collect(),
            options.repeat.unwrap_or(100),
        ),
    };
    if docs.is_empty() {
        usage(&format!("no *.txt or *.md documents in {label}"));
    }
    let bytes: usize = docs.iter().map(|(_, text)| text.len()).sum::<usize>() * repeat;
    let n = docs.len() * repeat;
    println!(
        "corpus: {label}: {} documents × {repeat} = {n} documents, {:.1} MB",
        docs.len(),
        bytes as f64 / 1e6
    );
    println!(
        "gazetteer: built in {:.1} ms",
        gazetteer_load.as_secs_f64() * 1e3
    );

    // Warm-up, then the best of `rounds`.
    let _ = run(&docs, 1, &gazetteer);
    let mut best: Option<Run> = None;
    for _ in 0..options.rounds {
        let this = run(&docs, repeat, &gazetteer);
        let total = |r: &Run| r.parse + r.resolve;
        if best.as_ref().is_none_or(|b| total(&this) < total(b)) {
            best = Some(this);
        }
    }
    let best = best.expect("at least one round");
    let total = best.parse + best.resolve;
    let per_sec = |d: Duration| n as f64 / d.as_secs_f64().max(1e-9);
    println!(
        "found: {} mentions → {} engagements; {} documents failed to parse",
        best.mentions, best.engagements, best.failed
    );
    println!(
        "parse:   {:>9.1} ms  {:>9.0} documents/s  {:>6.1} MB/s",
        best.parse.as_secs_f64() * 1e3,
        per_sec(best.parse),
        bytes as f64 / 1e6 / best.parse.as_secs_f64().max(1e-9)
    );
    println!(
        "resolve: {:>9.1} ms  ({} mentions)",
        best.resolve.as_secs_f64() * 1e3,
        best.mentions
    );
    println!(
        "total:   {:>9.1} ms  {:>9.0} documents/s  (best of {} rounds)",
        total.as_secs_f64() * 1e3,
        per_sec(total),
        options.rounds
    );
}
