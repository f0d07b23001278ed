//! `kill -9` at any moment loses nothing committed: the real binary is
//! killed at several points of a 2,000-document import and while the
//! server re-reads stored documents on start; each time the database must
//! pass `PRAGMA integrity_check`, every stored document must hold exactly
//! the mentions an uninterrupted import gives it, and a re-run must reach
//! exactly the uninterrupted import's export.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use readout::db::Db;

use crate::hostile_folder::run_readout;

const DOCUMENTS: usize = 2_000;

const COUNTERPARTS: [(&str, &str); 8] = [
    ("Dmytro Kuleba", "Ukraine"),
    ("Sergey Lavrov", "Russia"),
    ("Annalena Baerbock", "Germany"),
    ("Catherine Colonna", "France"),
    ("James Cleverly", "the United Kingdom"),
    ("Melanie Joly", "Canada"),
    ("Penny Wong", "Australia"),
    ("Mevlut Cavusoglu", "Turkey"),
];

/// Small dated documents, one call each, on distinct days.
pub fn write_documents(dir: &Path, count: usize) {
    std::fs::create_dir_all(dir).unwrap();
    let first = chrono::NaiveDate::from_ymd_opt(2017, 1, 1).unwrap();
    for i in 0..count {
        let day = first + chrono::Duration::days(i as i64);
        let (name, country) = COUNTERPARTS[i % COUNTERPARTS.len()];
        let text = format!(
            " date {day}\n\nSecretary of State Antony Blinken spoke by phone today with Foreign \
             Minister {name} of {country} about document {i}.\n"
        );
        std::fs::write(dir.join(format!("doc-{i:05}.txt")), text).unwrap();
    }
}

/// Each stored document's content hash and mentions, by name.
async fn stored_mentions(db: &Path) -> BTreeMap<String, (String, Vec<String>)> {
    let db = Db::open(db).await.unwrap();
    let rows: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT documents.name, documents.content_hash, mentions.payload FROM documents \
         LEFT JOIN mentions ON mentions.document_id = documents.id \
         ORDER BY documents.name, mentions.ordinal",
    )
    .fetch_all(&db.reader)
    .await
    .unwrap();
    let mut docs: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for (name, hash, payload) in rows {
        let entry = docs.entry(name).or_insert_with(|| (hash, Vec::new()));
        entry.1.extend(payload);
    }
    db.reader.close().await;
    db.writer.close().await;
    docs
}

async fn integrity(db: &Path) -> String {
    let db = Db::open(db).await.unwrap();
    let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&db.reader)
        .await
        .unwrap();
    db.reader.close().await;
    db.writer.close().await;
    ok
}

fn export(db: &Path) -> String {
    let (out, _) = run_readout(
        &["export", "--db", db.to_str().unwrap(), "--format", "json"],
        Duration::from_secs(120),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_readout"))
        .args(args)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Kills the server it holds (SIGKILL), whatever happens in the test.
pub struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `readout ARGS` (a `serve` on port 0) and waits until it logs the
/// URL it serves, which it does once the database is ready.
pub fn serve_until_ready(args: &[&str]) -> (Server, String) {
    let mut child = spawn(args);
    let stderr = child.stderr.take().unwrap();
    let server = Server(child);
    let (tx, rx) = mpsc::channel();
    // Drains the log for the server's whole life: a full pipe would stall it.
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    loop {
        let line = rx
            .recv_timeout(Duration::from_secs(300))
            .expect("the server logs its URL once ready");
        if let Some(at) = line.find("http://") {
            let url = line[at..].split_whitespace().next().unwrap();
            return (server, url.trim_end_matches('/').to_string());
        }
    }
}

/// `kill -9` after `after`; whether the process was still running then.
fn kill_after(mut child: Child, after: Duration) -> bool {
    let deadline = Instant::now() + after;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let running = child.try_wait().unwrap().is_none();
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    running
}

/// Checks a database left by a kill against the uninterrupted import.
async fn check_after_kill(db: &Path, reference: &BTreeMap<String, (String, Vec<String>)>) -> usize {
    assert_eq!(integrity(db).await, "ok");
    let stored = stored_mentions(db).await;
    for (name, doc) in &stored {
        assert_eq!(Some(doc), reference.get(name), "{name} is incomplete");
    }
    stored.len()
}

#[tokio::test(flavor = "multi_thread")]
async fn kill_9_during_an_import_loses_nothing_committed_and_a_rerun_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    write_documents(&docs, DOCUMENTS);
    let docs = docs.to_str().unwrap();

    let reference_db = dir.path().join("reference.db");
    let (out, took) = run_readout(
        &["import", "--db", reference_db.to_str().unwrap(), docs],
        Duration::from_secs(300),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let reference = stored_mentions(&reference_db).await;
    assert_eq!(reference.len(), DOCUMENTS);
    assert!(reference.values().all(|(_, mentions)| !mentions.is_empty()));
    let reference_export = export(&reference_db);
    eprintln!("uninterrupted import of {DOCUMENTS} documents: {took:?}");

    // Kill the import at several points; each run continues from what the
    // previous one left.
    let db = dir.path().join("crash.db");
    let db_arg = db.to_str().unwrap();
    for fraction in [0.1, 0.3, 0.5, 0.8] {
        let child = spawn(&["import", "--db", db_arg, docs]);
        let killed = kill_after(child, took.mul_f64(fraction));
        let stored = check_after_kill(&db, &reference).await;
        eprintln!("killed at {fraction} of the import time (running: {killed}): {stored} documents stored");
    }
    let (out, _) = run_readout(&["import", "--db", db_arg, docs], Duration::from_secs(300));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(stored_mentions(&db).await, reference);
    assert_eq!(export(&db), reference_export);

    // Other gazetteer data: the server re-reads every stored document on
    // start. Kill it while it does, then let it finish.
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(
        data.join("organizations.tsv"),
        "Amazon Cooperation Treaty Organization\tACTO\t\t\n",
    )
    .unwrap();
    let data_arg = data.to_str().unwrap();
    let serve = [
        "serve",
        "--db",
        db_arg,
        "--addr",
        "127.0.0.1:0",
        "--data",
        data_arg,
    ];
    for fraction in [0.2, 0.6] {
        let killed = kill_after(spawn(&serve), took.mul_f64(fraction));
        let stored = check_after_kill(&db, &reference).await;
        assert_eq!(stored, DOCUMENTS);
        let opened = Db::open(&db).await.unwrap();
        let by_extractor: Vec<i64> =
            sqlx::query_scalar("SELECT COUNT(*) FROM documents GROUP BY extractor ORDER BY 1")
                .fetch_all(&opened.reader)
                .await
                .unwrap();
        eprintln!(
            "server killed at {fraction} of the import time (running: {killed}): \
             documents by extractor {by_extractor:?}"
        );
    }
    let (server, _url) = serve_until_ready(&serve);
    drop(server);
    assert_eq!(integrity(&db).await, "ok");
    let opened = Db::open(&db).await.unwrap();
    let extractors: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT extractor) FROM documents")
        .fetch_one(&opened.reader)
        .await
        .unwrap();
    assert_eq!(extractors, 1, "every document re-read by the new extractor");
    assert_eq!(stored_mentions(&db).await, reference);
    assert_eq!(export(&db), reference_export);
}
