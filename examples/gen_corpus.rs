//! Writes a seeded corpus of realistic documents in the four shapes Readout
//! reads, with the gold engagements they report, for measuring import
//! throughput and recall at scale through the real `readout import`
//! (`scripts/bench_import.sh`).
//!
//! ```text
//! cargo run --release --example gen_corpus -- --out /tmp/corpus --documents 5000 --seed 1
//! ```
//!
//! - front matter (40 %): a monthly fact sheet, YAML header, one bullet per
//!   engagement of the month (about 40);
//! - run-on (15 %): a date line, then one paragraph of "Month D: …" entries;
//! - date line (30 %): a news report of one to three engagements, half of
//!   them copies of engagements other documents report (so events have
//!   several sources, as in real corpora);
//! - headerless (15 %): prose with full dates ("On March 3, 2021, …").
//!
//! The officials come from the built-in dictionary (`data/actors.tsv`),
//! each engagement pairing a U.S. official and a counterpart who held
//! office on its day, the U.S. side skewed toward the President and the
//! Secretary of State. `gold.json` (written beside the documents, not
//! inside the folder) lists every engagement in the scorer's format (`us`,
//! `counterparts` as surname keys, `sources` as file names).

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::json;

const ACTORS_TSV: &str = include_str!("../data/actors.tsv");

const FIRST_DAY: (i32, u32, u32) = (2001, 2, 1);
const LAST_DAY: (i32, u32, u32) = (2025, 11, 30);

const TOPICS: &[&str] = &[
    "energy security",
    "maritime security in the Indo-Pacific",
    "climate finance",
    "nuclear non-proliferation",
    "supply chains for critical minerals",
    "counterterrorism cooperation",
    "trade and investment",
    "global health security",
    "food security",
    "regional stability",
    "sanctions enforcement",
    "semiconductor export controls",
    "defense cooperation",
    "the peace process",
];

/// SplitMix64: small, fast, the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        ((self.unit() * n as f64) as usize).min(n.saturating_sub(1))
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Debug)]
struct Person {
    name: String,
    title: String,
    country: String,
    from: NaiveDate,
    to: NaiveDate,
    weight: f64,
}

impl Person {
    fn surname(&self) -> String {
        let last = self
            .name
            .split_whitespace()
            .rfind(|w| !matches!(w.trim_end_matches('.'), "Jr" | "Sr" | "II" | "III"))
            .unwrap_or(&self.name);
        readout::model::slugify(last)
    }
}

fn us_weight(title: &str) -> f64 {
    match title {
        "President" => 10.0,
        "Secretary of State" => 9.0,
        "Vice President" => 3.0,
        "Secretary of Defense" => 2.0,
        "Deputy Secretary of State" => 2.0,
        _ => 0.0,
    }
}

/// Officials with a country and a term, the U.S. ones weighted by how
/// often their office appears in readouts.
fn officials() -> (Vec<Person>, Vec<Person>) {
    let far = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    let (mut us, mut foreign) = (Vec::new(), Vec::new());
    for line in ACTORS_TSV.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        let (Some(name), Some(country), Some(title)) = (cols.first(), cols.get(2), cols.get(3))
        else {
            continue;
        };
        if country.is_empty() || title.is_empty() || name.split_whitespace().count() < 2 {
            continue;
        }
        let date = |i: usize| {
            cols.get(i)
                .and_then(|t| NaiveDate::parse_from_str(t, "%Y-%m-%d").ok())
        };
        let Some(from) = date(4) else { continue };
        let person = Person {
            name: name.to_string(),
            title: title.to_string(),
            country: country.to_string(),
            from,
            to: date(5).unwrap_or(far),
            weight: 1.0,
        };
        if *country == "United States" {
            let weight = us_weight(title);
            if weight > 0.0 {
                us.push(Person { weight, ..person });
            }
        } else {
            foreign.push(person);
        }
    }
    (us, foreign)
}

/// One generated engagement and the documents reporting it.
struct Event {
    date: NaiveDate,
    kind: &'static str,
    us: Person,
    counterpart: Person,
    topic: &'static str,
    sources: Vec<String>,
}

struct Generator {
    rng: Rng,
    us: Vec<Person>,
    foreign: Vec<Person>,
    events: Vec<Event>,
}

impl Generator {
    fn in_office(people: &[Person], day: NaiveDate) -> Vec<&Person> {
        people
            .iter()
            .filter(|p| p.from <= day && day < p.to)
            .collect()
    }

    fn weighted(rng: &mut Rng, people: &[&Person]) -> Option<Person> {
        let total: f64 = people.iter().map(|p| p.weight).sum();
        let mut at = rng.unit() * total;
        for p in people {
            at -= p.weight;
            if at <= 0.0 {
                return Some((*p).clone());
            }
        }
        people.last().map(|p| (*p).clone())
    }

    /// A new engagement on `day`, reported by `document`; None when nobody
    /// fitting was in office.
    fn event(&mut self, day: NaiveDate, document: &str) -> Option<usize> {
        let us = Self::in_office(&self.us, day);
        let us = Self::weighted(&mut self.rng, &us)?;
        let foreign = Self::in_office(&self.foreign, day);
        if foreign.is_empty() {
            return None;
        }
        let counterpart = (*self.rng.pick(&foreign)).clone();
        let kind = match self.rng.below(20) {
            0..=8 => "call",
            9..=10 => "video_call",
            11..=17 => "meeting",
            _ => "visit",
        };
        let topic = *self.rng.pick(TOPICS);
        self.events.push(Event {
            date: day,
            kind,
            us,
            counterpart,
            topic,
            sources: vec![document.to_string()],
        });
        Some(self.events.len() - 1)
    }

    /// An engagement already reported elsewhere, now also by `document`.
    fn copy(&mut self, document: &str) -> Option<usize> {
        if self.events.is_empty() {
            return None;
        }
        // Recent ones: news follows the fact sheets of the same weeks.
        let from = self.events.len().saturating_sub(400);
        let i = from + self.rng.below(self.events.len() - from);
        let sources = &mut self.events[i].sources;
        if sources.iter().any(|s| s == document) {
            return None;
        }
        sources.push(document.to_string());
        Some(i)
    }
}

fn person_phrase(p: &Person) -> String {
    if p.country == "United States" {
        format!("{} {}", p.title, p.name)
    } else {
        format!("{} {} of {}", p.title, p.name, p.country)
    }
}

fn day_phrase(day: NaiveDate) -> String {
    day.format("%B %-d").to_string()
}

/// The sentence reporting `e`, with `when` as the date phrase.
fn sentence(e: &Event, when: &str) -> String {
    let us = person_phrase(&e.us);
    let them = person_phrase(&e.counterpart);
    match e.kind {
        "call" => format!(
            "{when} {us} spoke by phone with {them} to discuss {}.",
            e.topic
        ),
        "video_call" => format!(
            "{when} {us} held a virtual meeting with {them} on {}.",
            e.topic
        ),
        "meeting" => format!("{when} {us} met with {them} to discuss {}.", e.topic),
        _ => format!(
            "{when} {us} traveled to {} and met with {them} on {}.",
            e.counterpart.country, e.topic
        ),
    }
}

fn random_day(rng: &mut Rng) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).unwrap();
    let last = NaiveDate::from_ymd_opt(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2).unwrap();
    first + Duration::days(rng.below((last - first).num_days() as usize) as i64)
}

fn last_of_month(day: NaiveDate) -> NaiveDate {
    let (y, m) = if day.month() == 12 {
        (day.year() + 1, 1)
    } else {
        (day.year(), day.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap() - Duration::days(1)
}

fn main() {
    let mut out: Option<PathBuf> = None;
    let (mut documents, mut seed) = (1000usize, 1u64);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().expect("a value after the flag");
        match arg.as_str() {
            "--out" => out = Some(PathBuf::from(value())),
            "--documents" | "-n" => documents = value().replace('_', "").parse().expect("a count"),
            "--seed" => seed = value().parse().expect("a number"),
            _ => {
                eprintln!("usage: gen_corpus --out DIR [--documents N] [--seed S]");
                std::process::exit(2);
            }
        }
    }
    let out = out.expect("--out DIR is required");
    std::fs::create_dir_all(&out).expect("create the output folder");
    let (us, foreign) = officials();
    let mut g = Generator {
        rng: Rng(seed),
        us,
        foreign,
        events: Vec::new(),
    };
    let mut bytes = 0usize;
    for n in 0..documents {
        let shape = g.rng.below(20);
        let (name, text) = match shape {
            0..=7 => fact_sheet(&mut g, n),
            8..=10 => run_on(&mut g, n),
            11..=16 => news(&mut g, n),
            _ => headerless(&mut g, n),
        };
        bytes += text.len();
        std::fs::write(out.join(&name), text).expect("write a document");
    }
    let gold: Vec<serde_json::Value> = g
        .events
        .iter()
        .map(|e| {
            let mut countries = vec![e.counterpart.country.clone()];
            countries.dedup();
            json!({
                "date": e.date.to_string(), "end_date": null, "kind": e.kind, "status": "held",
                "us": [e.us.surname()], "counterparts": [e.counterpart.surname()],
                "organizations": [], "countries": countries, "sources": e.sources,
            })
        })
        .collect();
    let gold_path = out.with_extension("gold.json");
    std::fs::write(
        &gold_path,
        serde_json::to_string(&json!({ "engagements": gold })).unwrap(),
    )
    .expect("write the gold file");
    let sources: usize = g.events.iter().map(|e| e.sources.len()).sum();
    println!(
        "{documents} documents ({:.1} MB) in {}, {} engagements ({sources} reports) in {}",
        bytes as f64 / 1e6,
        out.display(),
        g.events.len(),
        gold_path.display()
    );
}

/// A monthly fact sheet: YAML front matter and one bullet per engagement.
fn fact_sheet(g: &mut Generator, n: usize) -> (String, String) {
    let name = format!("{n:06}_fact_sheet.md");
    let month = random_day(&mut g.rng);
    let published = last_of_month(month);
    let mut text = format!(
        "---\ntitle: \"FACT SHEET: U.S. Diplomatic Engagement in {}\"\ndate: '{published}'\n\
         source_url: https://www.state.gov/fact-sheets/{n}\n---\n\n\
         The United States continued its diplomatic engagement with allies and partners.\n\n",
        month.format("%B %Y")
    );
    let mut days: Vec<NaiveDate> = (0..20 + g.rng.below(40))
        .map(|_| {
            month
                .with_day(1 + g.rng.below(published.day() as usize) as u32)
                .unwrap()
        })
        .collect();
    days.sort();
    for day in days {
        if let Some(i) = g.event(day, &name) {
            let line = sentence(&g.events[i], &format!("On {},", day_phrase(day)));
            let _ = writeln!(text, "- {line}");
        }
    }
    (name, text)
}

/// A date line, then one paragraph of "Month D: …" entries.
fn run_on(g: &mut Generator, n: usize) -> (String, String) {
    let name = format!("{n:06}_run_on.txt");
    let month = random_day(&mut g.rng);
    let published = last_of_month(month);
    let mut text = format!(" date {published} ");
    let mut days: Vec<NaiveDate> = (0..10 + g.rng.below(30))
        .map(|_| {
            month
                .with_day(1 + g.rng.below(published.day() as usize) as u32)
                .unwrap()
        })
        .collect();
    days.sort();
    days.dedup();
    for day in days {
        if let Some(i) = g.event(day, &name) {
            let line = sentence(&g.events[i], "");
            let _ = write!(text, "{}: {} ", day_phrase(day), line.trim_start());
        }
    }
    text.push('\n');
    (name, text)
}

/// A news report of one to three engagements, half of them reported elsewhere too.
fn news(g: &mut Generator, n: usize) -> (String, String) {
    let name = format!("{n:06}_news.txt");
    let mut picked: Vec<usize> = Vec::new();
    for _ in 0..1 + g.rng.below(3) {
        let i = if g.rng.chance(0.5) {
            g.copy(&name)
        } else {
            let day = random_day(&mut g.rng);
            g.event(day, &name)
        };
        picked.extend(i);
    }
    // Dated the day after the last event it reports.
    let published = picked
        .iter()
        .map(|&i| g.events[i].date)
        .max()
        .unwrap_or_else(|| random_day(&mut g.rng))
        + Duration::days(1);
    let mut text = format!(" date {published} ");
    for &i in &picked {
        let e = &g.events[i];
        let when = format!("On {},", e.date.format("%B %-d, %Y"));
        let _ = write!(
            text,
            "{} Officials said the talks were constructive.\n\n",
            sentence(e, &when)
        );
    }
    (name, text)
}

/// Prose with full dates and no header at all.
fn headerless(g: &mut Generator, n: usize) -> (String, String) {
    let name = format!("{n:06}_report.txt");
    let mut text = String::from("Diplomatic engagements of the United States.\n\n");
    for _ in 0..1 + g.rng.below(5) {
        let day = random_day(&mut g.rng);
        if let Some(i) = g.event(day, &name) {
            let when = format!("On {},", day.format("%B %-d, %Y"));
            let _ = write!(text, "{}\n\n", sentence(&g.events[i], &when));
        }
    }
    (name, text)
}
