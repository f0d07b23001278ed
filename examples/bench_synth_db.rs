//! Generates a synthetic Readout database of N engagements (default one
//! million) for the read-latency benchmark (`scripts/bench_read.sh`).
//!
//! ```text
//! cargo run --release --example bench_synth_db -- --db /tmp/synth.db
//! cargo run --release --example bench_synth_db -- --db /tmp/small.db --engagements 100000 --seed 7
//! ```
//!
//! The rows are plausible, not random noise: the officials and their terms
//! come from the built-in actor dictionary (`data/actors.tsv`), so each
//! engagement pairs people who held office on its date; the U.S. side is
//! skewed the way real readouts are (the President and the Secretary of
//! State in a large share of rows), counterparts are skewed by country;
//! kinds, statuses, organisations, countries visited, multi-source
//! engagements (a fact sheet plus news copies), undated rows and excerpts
//! with a topic to search are all in realistic proportions. Every
//! engagement has its mentions and evidence in documents whose bodies hold
//! the excerpts at the stored byte offsets, so every page renders as it
//! would for imported data.
//!
//! It writes through the real schema (migrations run first), with the
//! triggers that maintain the trigram search index, and finishes with the
//! same facet refresh an import does. It does not run ANALYZE, because an
//! import does not either. The whole load is one transaction.
//!
//! The documents are marked as read by this build's extractor (built-in
//! gazetteer). A `readout serve` whose extractor differs (another
//! `EXTRACTOR_VERSION`, or `--data`) re-parses every stored document and
//! replaces the synthetic engagements with what it finds in their text:
//! generate the database again with the build you measure.

use std::collections::HashSet;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Instant;

use chrono::{Duration, NaiveDate, Utc};
use readout::db::version::Extractor;
use readout::db::Db;
use readout::model::{slugify, DatePrecision, Kind, Mention, OrgRef, PersonRef, Side, Status};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};

const ACTORS_TSV: &str = include_str!("../data/actors.tsv");
const COUNTRIES_TSV: &str = include_str!("../data/countries.tsv");
const ORGANIZATIONS_TSV: &str = include_str!("../data/organizations.tsv");

const FIRST_DAY: (i32, u32, u32) = (2001, 1, 20);
const LAST_DAY: (i32, u32, u32) = (2025, 12, 31);
/// Rows per INSERT statement.
const BATCH: usize = 400;
/// Primary mentions per fact sheet, secondary ones per news document.
const PER_DOCUMENT: usize = 20;

const TOPICS: &[&str] = &[
    "energy security",
    "Russia's war against Ukraine",
    "maritime security in the Indo-Pacific",
    "climate finance",
    "the humanitarian situation in Gaza",
    "nuclear non-proliferation",
    "supply chains for critical minerals",
    "counterterrorism cooperation",
    "trade and investment",
    "global health security",
    "migration in the Western Hemisphere",
    "the situation in Sudan",
    "cyber security",
    "food security",
    "regional stability",
    "the upcoming NATO Summit",
    "sanctions enforcement",
    "democratic governance",
    "the transition in Afghanistan",
    "freedom of navigation",
    "the peace process",
    "semiconductor export controls",
    "pandemic recovery",
    "the G20 agenda",
    "defense cooperation",
];

struct Options {
    db: PathBuf,
    engagements: usize,
    seed: u64,
    force: bool,
}

fn options() -> Options {
    let mut db = None;
    let mut engagements = 1_000_000;
    let mut seed = 1;
    let mut force = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| usage(&format!("{name} needs a value")))
        };
        match arg.as_str() {
            "--db" => db = Some(PathBuf::from(value("--db"))),
            "--engagements" | "-n" => {
                engagements = value("--engagements")
                    .replace('_', "")
                    .parse()
                    .unwrap_or_else(|_| usage("--engagements needs a whole number"))
            }
            "--seed" => {
                seed = value("--seed")
                    .parse()
                    .unwrap_or_else(|_| usage("--seed needs a whole number"))
            }
            "--force" => force = true,
            "-h" | "--help" => usage(""),
            _ => usage(&format!("unknown argument {arg}")),
        }
    }
    Options {
        db: db.unwrap_or_else(|| usage("--db PATH is required")),
        engagements: engagements.max(1),
        seed,
        force,
    }
}

fn usage(problem: &str) -> ! {
    if !problem.is_empty() {
        eprintln!("error: {problem}");
    }
    eprintln!("usage: bench_synth_db --db PATH [--engagements N] [--seed S] [--force]");
    std::process::exit(2);
}

/// SplitMix64: small, fast, and the same sequence on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

#[derive(Clone, Debug)]
struct Person {
    actor_id: i64,
    name: String,
    surname_slug: String,
    title: String,
    country: Option<String>,
    from: NaiveDate,
    to: NaiveDate,
    weight: f64,
}

#[derive(Clone, Debug)]
struct Org {
    actor_id: i64,
    name: String,
    short_name: Option<String>,
}

struct ActorRow {
    id: i64,
    slug: String,
    name: String,
    kind: &'static str,
    country: Option<String>,
    short_name: Option<String>,
    title: Option<String>,
}

/// Who can take part in engagements, with the actor rows to store.
struct Cast {
    actors: Vec<ActorRow>,
    us: Vec<Person>,
    foreign: Vec<Person>,
    orgs: Vec<Org>,
    /// Country name → its country actor id.
    countries: Vec<(String, i64)>,
}

fn tsv_rows(text: &str) -> impl Iterator<Item = Vec<&str>> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.split('\t').collect())
}

fn date(text: Option<&&str>, default: NaiveDate) -> NaiveDate {
    text.and_then(|t| NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok())
        .unwrap_or(default)
}

/// How often a U.S. office shows up in readouts, roughly.
fn us_weight(title: &str) -> f64 {
    match title {
        "President" => 10.0,
        "Secretary of State" => 9.0,
        "Vice President" => 3.0,
        "Secretary of Defense" => 3.0,
        "National Security Advisor" => 2.5,
        "Deputy Secretary of State" => 2.5,
        t if t.starts_with("Under Secretary of State") => 1.0,
        t if t.starts_with("Assistant Secretary of State") => 1.0,
        t if t.contains("Ambassador") => 0.8,
        _ => 0.3,
    }
}

fn cast() -> Cast {
    let start = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
    let mut actors: Vec<ActorRow> = Vec::new();
    let mut slugs: HashSet<String> = HashSet::new();
    let mut next_id = 1i64;
    let mut add = |slug: String,
                   name: &str,
                   kind: &'static str,
                   country: Option<String>,
                   short_name: Option<String>,
                   title: Option<String>|
     -> Option<i64> {
        if slug.is_empty() || !slugs.insert(slug.clone()) {
            return None;
        }
        let id = next_id;
        next_id += 1;
        actors.push(ActorRow {
            id,
            slug,
            name: name.to_string(),
            kind,
            country,
            short_name,
            title,
        });
        Some(id)
    };

    let mut countries = Vec::new();
    for row in tsv_rows(COUNTRIES_TSV) {
        let name = row[0].trim();
        if let Some(id) = add(slugify(name), name, "country", None, None, None) {
            countries.push((name.to_string(), id));
        }
    }
    let mut orgs = Vec::new();
    for row in tsv_rows(ORGANIZATIONS_TSV) {
        let name = row[0].trim();
        let short = row.get(1).map(|s| s.trim()).filter(|s| !s.is_empty());
        let slug = slugify(short.unwrap_or(name));
        if let Some(id) = add(
            slug,
            name,
            "organization",
            None,
            short.map(str::to_string),
            None,
        ) {
            orgs.push(Org {
                actor_id: id,
                name: name.to_string(),
                short_name: short.map(str::to_string),
            });
        }
    }

    // People: one actor per name, one Person per term of office.
    let rows: Vec<Vec<&str>> = tsv_rows(ACTORS_TSV).collect();
    let mut per_country: std::collections::HashMap<&str, usize> = Default::default();
    for row in &rows {
        *per_country
            .entry(row.get(2).copied().unwrap_or(""))
            .or_default() += 1;
    }
    let mut by_slug: std::collections::HashMap<String, i64> = Default::default();
    let (mut us, mut foreign) = (Vec::new(), Vec::new());
    for row in &rows {
        let name = row[0].trim();
        let country = row.get(2).map(|c| c.trim()).filter(|c| !c.is_empty());
        let title = row.get(3).map(|t| t.trim()).unwrap_or("").to_string();
        let slug = slugify(name);
        let actor_id = match by_slug.get(&slug) {
            Some(id) => *id,
            None => match add(
                slug.clone(),
                name,
                "person",
                country.map(str::to_string),
                None,
                (!title.is_empty()).then(|| title.clone()),
            ) {
                Some(id) => {
                    by_slug.insert(slug, id);
                    id
                }
                None => continue,
            },
        };
        let surname = name.rsplit(' ').next().unwrap_or(name);
        let is_us = country == Some("United States");
        let person = Person {
            actor_id,
            name: name.to_string(),
            surname_slug: slugify(surname),
            title: title.clone(),
            country: country.map(str::to_string),
            from: date(row.get(4), start),
            to: date(row.get(5), end),
            weight: if is_us {
                us_weight(&title)
            } else {
                // Countries the dictionary lists many officials of are the
                // ones the readouts talk to most; organisation officials
                // (no country) sit in between.
                match country {
                    Some(c) => per_country.get(c).copied().unwrap_or(1) as f64,
                    None => 8.0,
                }
            },
        };
        if is_us {
            us.push(person);
        } else {
            foreign.push(person);
        }
    }
    Cast {
        actors,
        us,
        foreign,
        orgs,
        countries,
    }
}

/// People in office on a day, with cumulative weights for sampling.
struct Bucket {
    people: Vec<usize>,
    cumulative: Vec<f64>,
}

impl Bucket {
    fn new(people: &[Person], day: NaiveDate) -> Bucket {
        let mut bucket = Bucket {
            people: Vec::new(),
            cumulative: Vec::new(),
        };
        let mut total = 0.0;
        for (index, person) in people.iter().enumerate() {
            if person.from <= day && day < person.to {
                total += person.weight;
                bucket.people.push(index);
                bucket.cumulative.push(total);
            }
        }
        bucket
    }

    fn pick(&self, rng: &mut Rng) -> Option<usize> {
        let total = *self.cumulative.last()?;
        let target = rng.unit() * total;
        let at = self.cumulative.partition_point(|c| *c <= target);
        self.people.get(at.min(self.people.len() - 1)).copied()
    }
}

/// A document being filled with excerpts.
struct DocumentBuf {
    id: i64,
    name: String,
    body: String,
    first: Option<NaiveDate>,
    mentions: Vec<(i64, Mention)>,
}

/// `mentions` columns: id, document_id, ordinal, date, payload.
type MentionRow = (i64, i64, usize, Option<String>, String);
/// `participants` columns: engagement_id, actor_id, side, title, position.
type ParticipantRow = (String, i64, &'static str, Option<String>, i64);

/// `evidence` columns.
struct EvidenceRow {
    engagement_id: String,
    mention_id: i64,
    document_id: i64,
    excerpt: String,
    start: i64,
    end: i64,
    url: Option<String>,
}

struct Writer {
    conn: SqliteConnection,
    documents: Vec<DocumentBuf>,
    mentions: Vec<MentionRow>,
    engagements: Vec<EngagementRow>,
    participants: Vec<ParticipantRow>,
    evidence: Vec<EvidenceRow>,
    rows: u64,
    /// What `documents.extractor` says parsed them: the running build's
    /// fingerprint, or `serve` would re-parse every synthetic document
    /// (and replace the synthetic engagements with what it finds).
    extractor: String,
}

struct EngagementRow {
    id: String,
    date: Option<String>,
    end_date: Option<String>,
    precision: &'static str,
    kind: &'static str,
    status: &'static str,
    sort_date: String,
    source_count: i64,
}

impl Writer {
    async fn flush(&mut self, all: bool) -> Result<(), sqlx::Error> {
        if !self.documents.is_empty() {
            let imported_at = Utc::now().to_rfc3339();
            let docs = std::mem::take(&mut self.documents);
            for chunk in docs.chunks(BATCH / 4) {
                let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                    "INSERT INTO documents (id, name, content_hash, title, published, source_url, shape, imported_at, body, extractor) ",
                );
                q.push_values(chunk, |mut b, d| {
                    b.push_bind(d.id)
                        .push_bind(&d.name)
                        .push_bind(format!("{:064x}", d.id))
                        .push_bind(format!("Synthetic readouts #{}", d.id))
                        .push_bind(d.first.map(|d| d.to_string()))
                        .push_bind(format!("https://example.org/readouts/{}", d.id))
                        .push_bind("front_matter")
                        .push_bind(&imported_at)
                        .push_bind(&d.body)
                        .push_bind(&self.extractor);
                });
                q.build().execute(&mut self.conn).await?;
                self.rows += chunk.len() as u64;
            }
            for d in docs {
                for (ordinal, (mention_id, mention)) in d.mentions.into_iter().enumerate() {
                    let payload = serde_json::to_string(&mention).expect("mentions serialise");
                    self.mentions.push((
                        mention_id,
                        d.id,
                        ordinal,
                        mention.date.map(|d| d.to_string()),
                        payload,
                    ));
                }
            }
        }
        if all || self.mentions.len() >= BATCH {
            for chunk in std::mem::take(&mut self.mentions).chunks(BATCH) {
                let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                    "INSERT INTO mentions (id, document_id, ordinal, date, payload) ",
                );
                q.push_values(chunk, |mut b, m| {
                    b.push_bind(m.0)
                        .push_bind(m.1)
                        .push_bind(m.2 as i64)
                        .push_bind(&m.3)
                        .push_bind(&m.4);
                });
                q.build().execute(&mut self.conn).await?;
                self.rows += chunk.len() as u64;
            }
        }
        if all || self.engagements.len() >= BATCH {
            for chunk in std::mem::take(&mut self.engagements).chunks(BATCH) {
                let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                    "INSERT INTO engagements (id, date, end_date, date_precision, kind, status, sort_date, source_count, fingerprint) ",
                );
                q.push_values(chunk, |mut b, e| {
                    b.push_bind(&e.id)
                        .push_bind(&e.date)
                        .push_bind(&e.end_date)
                        .push_bind(e.precision)
                        .push_bind(e.kind)
                        .push_bind(e.status)
                        .push_bind(&e.sort_date)
                        .push_bind(e.source_count)
                        .push_bind(format!("synthetic-{}", e.id));
                });
                q.build().execute(&mut self.conn).await?;
                self.rows += chunk.len() as u64;
            }
        }
        if all || self.participants.len() >= BATCH {
            for chunk in std::mem::take(&mut self.participants).chunks(BATCH) {
                let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                    "INSERT INTO participants (engagement_id, actor_id, side, title, position) ",
                );
                q.push_values(chunk, |mut b, p| {
                    b.push_bind(&p.0)
                        .push_bind(p.1)
                        .push_bind(p.2)
                        .push_bind(&p.3)
                        .push_bind(p.4);
                });
                q.build().execute(&mut self.conn).await?;
                self.rows += chunk.len() as u64;
            }
        }
        if all || self.evidence.len() >= BATCH {
            for chunk in std::mem::take(&mut self.evidence).chunks(BATCH) {
                let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                    "INSERT INTO evidence (engagement_id, mention_id, document_id, excerpt, start_offset, end_offset, url) ",
                );
                q.push_values(chunk, |mut b, v| {
                    b.push_bind(&v.engagement_id)
                        .push_bind(v.mention_id)
                        .push_bind(v.document_id)
                        .push_bind(&v.excerpt)
                        .push_bind(v.start)
                        .push_bind(v.end)
                        .push_bind(&v.url);
                });
                q.build().execute(&mut self.conn).await?;
                self.rows += chunk.len() as u64;
            }
        }
        Ok(())
    }
}

fn person_phrase(p: &Person) -> String {
    let mut text = if p.title.is_empty() {
        p.name.clone()
    } else {
        format!("{} {}", p.title, p.name)
    };
    if let Some(country) = p.country.as_deref().filter(|c| *c != "United States") {
        text.push_str(" of ");
        text.push_str(country);
    }
    text
}

fn list_phrase(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [first, second] => format!("{first} and {second}"),
        [rest @ .., last] => format!("{}, and {last}", rest.join(", ")),
    }
}

fn human_date(day: Option<NaiveDate>) -> String {
    day.map(|d| format!(" on {}", d.format("%B %-d, %Y")))
        .unwrap_or_default()
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let options = options();
    if options.db.exists() {
        if !options.force {
            usage(&format!(
                "{} exists (pass --force to replace it)",
                options.db.display()
            ));
        }
        for suffix in ["", "-wal", "-shm"] {
            let mut path = options.db.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
    let started = Instant::now();

    // The real schema, by the app's own migrations.
    let db = Db::open(&options.db).await?;
    db.writer.close().await;
    db.reader.close().await;

    // One connection for the bulk load. No journal: a failed load is simply
    // thrown away and generated again. The server switches back to WAL when
    // it opens the file.
    let connect = SqliteConnectOptions::from_str("sqlite:")?
        .filename(&options.db)
        .journal_mode(SqliteJournalMode::Off)
        .synchronous(SqliteSynchronous::Off)
        .foreign_keys(false)
        .pragma("cache_size", "-1000000");
    let mut conn = SqliteConnection::connect_with(&connect).await?;
    sqlx::query("BEGIN").execute(&mut conn).await?;

    let cast = cast();
    let mut writer = Writer {
        conn,
        documents: Vec::new(),
        mentions: Vec::new(),
        engagements: Vec::new(),
        participants: Vec::new(),
        evidence: Vec::new(),
        rows: 0,
        extractor: Extractor::builtin().fingerprint().to_string(),
    };
    {
        let actors = &cast.actors;
        for chunk in actors.chunks(BATCH / 2) {
            let mut q: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO actors (id, slug, name, kind, country, short_name, title) ",
            );
            q.push_values(chunk, |mut b, a| {
                b.push_bind(a.id)
                    .push_bind(&a.slug)
                    .push_bind(&a.name)
                    .push_bind(a.kind)
                    .push_bind(&a.country)
                    .push_bind(&a.short_name)
                    .push_bind(&a.title);
            });
            q.build().execute(&mut writer.conn).await?;
        }
    }
    println!(
        "actors: {} ({} U.S. terms of office, {} foreign, {} organisations, {} countries)",
        cast.actors.len(),
        cast.us.len(),
        cast.foreign.len(),
        cast.orgs.len(),
        cast.countries.len()
    );

    let mut rng = Rng(options.seed);
    let first = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).unwrap();
    let last = NaiveDate::from_ymd_opt(LAST_DAY.0, LAST_DAY.1, LAST_DAY.2).unwrap();
    let days = (last - first).num_days() + 1;
    let n = options.engagements;
    let country_id: std::collections::HashMap<&str, i64> = cast
        .countries
        .iter()
        .map(|(name, id)| (name.as_str(), *id))
        .collect();

    let mut ids: HashSet<String> = HashSet::with_capacity(n);
    let mut next_document = 1i64;
    let mut next_mention = 1i64;
    let new_document = |kind: &str, id: &mut i64| {
        let doc = DocumentBuf {
            id: *id,
            name: format!("synthetic/{kind}-{:07}.md", *id),
            body: String::new(),
            first: None,
            mentions: Vec::new(),
        };
        *id += 1;
        doc
    };
    let mut sheet = new_document("factsheet", &mut next_document);
    let mut news = [
        new_document("news", &mut next_document),
        new_document("news", &mut next_document),
    ];
    let mut bucket_day = None;
    let (mut us_bucket, mut foreign_bucket) = (
        Bucket::new(&cast.us, first),
        Bucket::new(&cast.foreign, first),
    );
    let mut sources_total = 0u64;

    for i in 0..n {
        // Spread evenly over the years; a few undated rows sort last.
        let day = first + Duration::days((i as i64 * days) / n as i64);
        let undated = rng.chance(0.003);
        if bucket_day != Some(day) {
            us_bucket = Bucket::new(&cast.us, day);
            foreign_bucket = Bucket::new(&cast.foreign, day);
            bucket_day = Some(day);
        }
        let kind = match rng.unit() {
            x if x < 0.45 => Kind::Call,
            x if x < 0.83 => Kind::Meeting,
            x if x < 0.90 => Kind::VideoCall,
            _ => Kind::Visit,
        };
        let status = if rng.chance(0.04) {
            Status::Planned
        } else {
            Status::Held
        };
        let date = (!undated).then_some(day);
        let end_date = (kind == Kind::Visit && !undated && rng.chance(0.5))
            .then(|| day + Duration::days(1 + rng.below(3) as i64));

        let mut us: Vec<usize> = Vec::new();
        for _ in 0..if rng.chance(0.2) { 2 } else { 1 } {
            if let Some(p) = us_bucket.pick(&mut rng) {
                if !us
                    .iter()
                    .any(|&q| cast.us[q].actor_id == cast.us[p].actor_id)
                {
                    us.push(p);
                }
            }
        }
        let mut them: Vec<usize> = Vec::new();
        let wanted = match rng.unit() {
            x if x < 0.75 => 1,
            x if x < 0.95 => 2,
            _ => 3,
        };
        for slot in 0..wanted {
            // Most multi-person engagements are with one delegation: try a
            // few draws for someone of the first counterpart's country.
            let same_country = slot > 0 && rng.chance(0.7);
            let mut draw = foreign_bucket.pick(&mut rng);
            if same_country {
                let country = them.first().and_then(|&q| cast.foreign[q].country.as_ref());
                for _ in 0..12 {
                    match draw {
                        Some(p) if cast.foreign[p].country.as_ref() == country => break,
                        _ => draw = foreign_bucket.pick(&mut rng),
                    }
                }
            }
            if let Some(p) = draw {
                // One person may hold several offices (several terms).
                let actor = cast.foreign[p].actor_id;
                let taken = them.iter().any(|&q| cast.foreign[q].actor_id == actor)
                    || us.iter().any(|&q| cast.us[q].actor_id == actor);
                if !taken {
                    them.push(p);
                }
            }
        }
        let org = (kind == Kind::Meeting && rng.chance(0.25) || rng.chance(0.04))
            .then(|| rng.below(cast.orgs.len()));
        let visited = (kind == Kind::Visit)
            .then(|| {
                them.first()
                    .and_then(|&p| cast.foreign[p].country.clone())
                    .or_else(|| Some(cast.countries[rng.below(cast.countries.len())].0.clone()))
            })
            .flatten();
        let topic = TOPICS[rng.below(TOPICS.len())];

        // The permanent id, as the resolver builds them: date, surnames, kind.
        let mut id = date
            .map(|d| d.to_string())
            .unwrap_or_else(|| "undated".to_string());
        for &p in us.iter().take(1) {
            id.push('-');
            id.push_str(&cast.us[p].surname_slug);
        }
        match (them.first(), org) {
            (Some(&p), _) => {
                id.push('-');
                id.push_str(&cast.foreign[p].surname_slug);
            }
            (None, Some(o)) => {
                id.push('-');
                id.push_str(&slugify(
                    cast.orgs[o]
                        .short_name
                        .as_deref()
                        .unwrap_or(&cast.orgs[o].name),
                ));
            }
            _ => {}
        }
        id.push('-');
        id.push_str(&kind.as_str().replace('_', "-"));
        if !ids.insert(id.clone()) {
            let mut k = 2;
            while !ids.insert(format!("{id}-{k}")) {
                k += 1;
            }
            id = format!("{id}-{k}");
        }

        // Participants.
        let mut position = 0i64;
        let mut people_refs = Vec::new();
        for &p in &us {
            let person = &cast.us[p];
            writer.participants.push((
                id.clone(),
                person.actor_id,
                "us",
                Some(person.title.clone()).filter(|t| !t.is_empty()),
                position,
            ));
            position += 1;
            people_refs.push(PersonRef {
                name: person.name.clone(),
                title: Some(person.title.clone()).filter(|t| !t.is_empty()),
                country: person.country.clone(),
                side: Side::Us,
            });
        }
        for &p in &them {
            let person = &cast.foreign[p];
            writer.participants.push((
                id.clone(),
                person.actor_id,
                "counterpart",
                Some(person.title.clone()).filter(|t| !t.is_empty()),
                position,
            ));
            position += 1;
            people_refs.push(PersonRef {
                name: person.name.clone(),
                title: Some(person.title.clone()).filter(|t| !t.is_empty()),
                country: person.country.clone(),
                side: Side::Counterpart,
            });
        }
        let mut org_refs = Vec::new();
        if let Some(o) = org {
            let o = &cast.orgs[o];
            writer
                .participants
                .push((id.clone(), o.actor_id, "counterpart", None, position));
            position += 1;
            org_refs.push(OrgRef {
                name: o.name.clone(),
                short_name: o.short_name.clone(),
            });
        }
        let mut countries = Vec::new();
        if let Some(country) = &visited {
            if let Some(&cid) = country_id.get(country.as_str()) {
                writer
                    .participants
                    .push((id.clone(), cid, "counterpart", None, position));
                countries.push(country.clone());
            }
        }

        // The excerpts: a fact sheet's line, and news copies for some.
        let us_text = list_phrase(
            &us.iter()
                .map(|&p| person_phrase(&cast.us[p]))
                .collect::<Vec<_>>(),
        );
        let mut them_list: Vec<String> = them
            .iter()
            .map(|&p| person_phrase(&cast.foreign[p]))
            .collect();
        if let Some(o) = org {
            them_list.push(format!("the {}", cast.orgs[o].name));
        }
        let them_text = list_phrase(&them_list);
        let when = human_date(date);
        let will = status == Status::Planned;
        let primary = match (kind, will) {
            (Kind::Call, false) => {
                format!("{us_text} spoke by phone{when} with {them_text} about {topic}.")
            }
            (Kind::Call, true) => {
                format!("{us_text} will speak by phone{when} with {them_text} about {topic}.")
            }
            (Kind::VideoCall, false) => {
                format!("{us_text} held a videoconference{when} with {them_text} on {topic}.")
            }
            (Kind::VideoCall, true) => {
                format!("{us_text} will hold a videoconference{when} with {them_text} on {topic}.")
            }
            (Kind::Meeting, false) => {
                format!("{us_text} met{when} with {them_text} to discuss {topic}.")
            }
            (Kind::Meeting, true) => {
                format!("{us_text} will meet{when} with {them_text} to discuss {topic}.")
            }
            (Kind::Visit, false) => format!(
                "{us_text} traveled to {}{when} and met {them_text} to discuss {topic}.",
                visited.as_deref().unwrap_or("the region")
            ),
            (Kind::Visit, true) => format!(
                "{us_text} will travel to {}{when} to meet {them_text} on {topic}.",
                visited.as_deref().unwrap_or("the region")
            ),
        };
        let copies = match rng.unit() {
            x if x < 0.75 => 0,
            x if x < 0.95 => 1,
            _ => 2,
        };
        let mut excerpts = vec![primary];
        for copy in 0..copies {
            let lead = them.first().map(|&p| cast.foreign[p].name.clone());
            let lead = lead.unwrap_or_else(|| them_text.clone());
            excerpts.push(match copy {
                0 => format!("{lead} and {us_text} discussed {topic}{when}, officials said.",),
                _ => format!("According to a readout, {us_text} and {lead} talked about {topic}."),
            });
        }

        let source_count = excerpts.len() as i64;
        sources_total += source_count as u64;
        for (k, excerpt) in excerpts.into_iter().enumerate() {
            let doc = if k == 0 { &mut sheet } else { &mut news[k - 1] };
            if !doc.body.is_empty() {
                doc.body.push_str("\n\n");
            }
            let start = doc.body.len();
            doc.body.push_str(&excerpt);
            let end = doc.body.len();
            doc.first = doc.first.or(date);
            let url = Some(format!(
                "https://example.org/readouts/{}#m{next_mention}",
                doc.id
            ));
            writer.evidence.push(EvidenceRow {
                engagement_id: id.clone(),
                mention_id: next_mention,
                document_id: doc.id,
                excerpt: excerpt.clone(),
                start: start as i64,
                end: end as i64,
                url: url.clone(),
            });
            doc.mentions.push((
                next_mention,
                Mention {
                    date,
                    end_date,
                    precision: if undated {
                        DatePrecision::Unknown
                    } else {
                        DatePrecision::Day
                    },
                    kind,
                    status,
                    people: people_refs.clone(),
                    organizations: org_refs.clone(),
                    countries: countries.clone(),
                    excerpt,
                    start,
                    end,
                    url,
                    listed: false,
                    published: None,
                },
            ));
            next_mention += 1;
        }
        writer.engagements.push(EngagementRow {
            id,
            date: date.map(|d| d.to_string()),
            end_date: end_date.map(|d| d.to_string()),
            precision: if undated { "unknown" } else { "day" },
            kind: kind.as_str(),
            status: status.as_str(),
            sort_date: date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "0000-00-00".to_string()),
            source_count,
        });

        // Full documents go out; a fresh one takes their place.
        if sheet.mentions.len() >= PER_DOCUMENT {
            let full = std::mem::replace(&mut sheet, new_document("factsheet", &mut next_document));
            writer.documents.push(full);
        }
        for slot in news.iter_mut() {
            if slot.mentions.len() >= PER_DOCUMENT {
                let full = std::mem::replace(slot, new_document("news", &mut next_document));
                writer.documents.push(full);
            }
        }
        writer.flush(false).await?;
        if (i + 1) % 100_000 == 0 {
            println!(
                "  {:>9} engagements, {:>10} rows, {:.0} s",
                i + 1,
                writer.rows,
                started.elapsed().as_secs_f64()
            );
        }
    }
    for doc in std::iter::once(sheet).chain(news) {
        if !doc.mentions.is_empty() {
            writer.documents.push(doc);
        }
    }
    writer.flush(true).await?;

    println!("refreshing the facet counts…");
    readout::db::engagements::refresh_facet_counts(&mut writer.conn).await?;
    sqlx::query("COMMIT").execute(&mut writer.conn).await?;
    let broken: Vec<(String,)> =
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check LIMIT 5")
            .fetch_all(&mut writer.conn)
            .await?;
    if !broken.is_empty() {
        return Err(format!("foreign keys broken in {broken:?}").into());
    }
    writer.conn.close().await?;

    let size = std::fs::metadata(&options.db).map(|m| m.len()).unwrap_or(0);
    println!(
        "done: {n} engagements, {sources_total} sources in {} documents, {} rows, {:.0} MB, {:.0} s",
        next_document - 1,
        writer.rows,
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
