//! The `readout` binary as a user runs it: output lines and exit codes.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use readout::samples;

fn readout(args: &[&str], db: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_readout"))
        .args(args)
        .env("READOUT_DB", db)
        .env_remove("READOUT_DATA")
        .env("RUST_LOG", "warn")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn import_reports_every_file_and_exits_1_when_one_fails() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("good.txt"), samples::documents()[1].1).unwrap();
    std::fs::write(docs.join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    std::fs::write(docs.join("empty.txt"), "").unwrap();
    let db = dir.path().join("readout.db");

    let output = readout(&["import", docs.to_str().unwrap()], &db);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{out}{}", stderr(&output));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(lines[0].starts_with("empty.txt  FAILED: "), "{out}");
    assert!(
        lines[1].starts_with("good.txt  ") && lines[1].contains(" engagement"),
        "{out}"
    );
    assert!(!lines[1].contains("FAILED"), "{out}");
    assert_eq!(
        lines[2],
        "image.txt  FAILED: refused: binary data, not text (a NUL byte at offset 8)"
    );
    assert!(
        lines[3].starts_with("imported 1, unchanged 0, failed 2; "),
        "{out}"
    );
    assert!(lines[3].ends_with(" in the database"), "{out}");
}

#[test]
fn a_second_import_of_the_same_files_reports_them_unchanged_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for (name, text) in samples::documents() {
        std::fs::write(docs.join(name), text).unwrap();
    }
    let db = dir.path().join("readout.db");
    let first = readout(&["import", docs.to_str().unwrap()], &db);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(stdout(&first).contains("imported 5, unchanged 0, failed 0; "));

    let second = readout(
        &[
            "import",
            "--db",
            db.to_str().unwrap(),
            docs.to_str().unwrap(),
        ],
        &db,
    );
    assert!(second.status.success(), "{}", stderr(&second));
    let out = stdout(&second);
    assert!(out.contains("imported 0, unchanged 5, failed 0; "), "{out}");
    assert_eq!(out.matches("(unchanged)").count(), 5, "{out}");
}

#[test]
fn new_gazetteer_rows_reparse_unchanged_files_once() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for (name, text) in samples::documents() {
        std::fs::write(docs.join(name), text).unwrap();
    }
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("titles.tsv"), "Chief Archivist\tus\toffice\n").unwrap();
    let db = dir.path().join("readout.db");
    let data = data.to_str().unwrap();
    let import = |args: &[&str]| {
        let args: Vec<&str> = std::iter::once("import")
            .chain(args.iter().copied())
            .collect();
        let output = readout(&args, &db);
        assert!(output.status.success(), "{}", stderr(&output));
        stdout(&output)
    };
    let all = docs.to_str().unwrap();
    import(&[all]);

    // One file named: it is re-parsed from its bytes, the rest of the
    // database from the stored bodies.
    let n = samples::documents().len();
    let one = docs.join(samples::documents()[0].0);
    let out = import(&["--data", data, one.to_str().unwrap()]);
    assert!(out.starts_with(samples::documents()[0].0), "{out}");
    assert!(
        out.lines().next().unwrap().ends_with("  (reparsed)"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "imported 1, unchanged 0, failed 0; {} stored documents re-parsed; ",
            n - 1
        )),
        "{out}"
    );
    let out = import(&["--data", data, all]);
    assert!(
        out.contains(&format!("imported 0, unchanged {n}, failed 0; ")),
        "{out}"
    );
    assert!(!out.contains("re-parsed"), "{out}");

    // Dropping the extra rows is another change: every file is re-parsed.
    let out = import(&[all]);
    assert_eq!(out.matches("  (reparsed)").count(), n, "{out}");
}

#[test]
fn a_missing_path_fails_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("readout.db");
    let missing = dir.path().join("nowhere.txt");
    let output = readout(&["import", missing.to_str().unwrap()], &db);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).starts_with("nowhere.txt  FAILED: cannot read "));
}

#[test]
fn explain_prints_how_each_document_reads_before_importing_it() {
    let dir = tempfile::tempdir().unwrap();
    let (name, text) = samples::documents()[1];
    let doc = dir.path().join(name);
    std::fs::write(&doc, text).unwrap();
    let output = readout(
        &["import", "--explain", doc.to_str().unwrap()],
        &dir.path().join("readout.db"),
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let out = stdout(&output);
    let report = out
        .lines()
        .position(|l| l.starts_with(&format!("{name}  ")))
        .expect("the import report follows");
    assert!(report > 0, "no explanation before the report:\n{out}");
}

#[test]
fn export_names_the_parameter_of_a_bad_filter() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("readout.db");
    for (flag, value) in [("--kind", "lunch"), ("--from", "yesterday")] {
        let output = readout(&["export", flag, value], &db);
        assert!(!output.status.success());
        let param = flag.trim_start_matches('-');
        assert!(
            stderr(&output).contains(&format!("`{param}`")),
            "{}",
            stderr(&output)
        );
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn export_from_a_missing_database_says_so_instead_of_creating_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("typo.db");
    let output = readout(&["export"], &db);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("no database at"),
        "{}",
        stderr(&output)
    );
    assert!(!db.exists());
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = readout(&["export", "--format", "xml"], &dir.path().join("x.db"));
    assert_eq!(output.status.code(), Some(2));
}

/// Kills the server this test started, whatever happens in the test.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn serve_imports_the_samples_into_an_empty_database_and_logs_its_url() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("readout.db");
    let mut child = Command::new(env!("CARGO_BIN_EXE_readout"))
        // No subcommand: serving is the default.
        .args(["--addr", "127.0.0.1:0"])
        .env("READOUT_DB", &db)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let _server = Server(child);

    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let url = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server logs the URL to open");
        if let Some(at) = line.find("http://") {
            break line[at..].split_whitespace().next().unwrap().to_string();
        }
    };
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let response = reqwest::get(&url).await.unwrap();
    assert!(response.status().is_success(), "{}", response.status());

    let opened = readout::db::Db::open(&db).await.unwrap();
    let documents: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents")
        .fetch_one(&opened.reader)
        .await
        .unwrap();
    assert_eq!(documents as usize, samples::documents().len());
}

#[tokio::test]
async fn serve_refreshes_documents_an_older_version_read_before_serving() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported_samples(dir.path());
    let opened = readout::db::Db::open(&db).await.unwrap();
    let ids = |db: readout::db::Db| async move {
        sqlx::query_scalar::<_, String>("SELECT id FROM engagements ORDER BY id")
            .fetch_all(&db.reader)
            .await
            .unwrap()
    };
    let before = ids(opened.clone()).await;
    sqlx::query("UPDATE documents SET extractor = 'old'")
        .execute(&opened.writer)
        .await
        .unwrap();
    opened.writer.close().await;
    opened.reader.close().await;

    let mut child = Command::new(env!("CARGO_BIN_EXE_readout"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("READOUT_DB", &db)
        .env_remove("READOUT_DATA")
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let _server = Server(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // The URL is logged once the database is ready.
    let mut log: Vec<String> = Vec::new();
    while !log.last().is_some_and(|l| l.contains("http://")) {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("no URL logged:\n{}", log.join("\n")));
        log.push(line);
    }
    let log = log.join("\n");
    let n = samples::documents().len();
    assert!(log.contains(&format!("refreshed {n} documents")), "{log}");

    let reopened = readout::db::Db::open(&db).await.unwrap();
    let stale: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM documents WHERE extractor IS 'old'")
        .fetch_one(&reopened.reader)
        .await
        .unwrap();
    assert_eq!(stale, 0);
    assert_eq!(ids(reopened).await, before);
}

/// A database holding the sample corpus, imported through the CLI.
fn imported_samples(dir: &Path) -> std::path::PathBuf {
    let docs = dir.join("docs");
    std::fs::create_dir(&docs).unwrap();
    for (name, text) in samples::documents() {
        std::fs::write(docs.join(name), text).unwrap();
    }
    let db = dir.join("readout.db");
    let output = readout(&["import", docs.to_str().unwrap()], &db);
    assert!(output.status.success(), "{}", stderr(&output));
    db
}

#[test]
fn export_writes_every_engagement_in_the_scorers_json_shape() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported_samples(dir.path());
    let output = readout(&["export"], &db);
    assert!(output.status.success(), "{}", stderr(&output));
    let export: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let engagements = export["engagements"].as_array().unwrap();
    let keys = [
        "id",
        "date",
        "end_date",
        "date_precision",
        "kind",
        "status",
        "participants",
        "organizations",
        "countries",
        "sources",
    ];
    for e in engagements {
        for key in keys {
            assert!(e.get(key).is_some(), "{key} missing in {e}");
        }
        assert!(!e["sources"].as_array().unwrap().is_empty(), "{e}");
    }
    let ids: std::collections::HashSet<&str> = engagements
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), engagements.len(), "ids are unique");
}

#[test]
fn export_applies_the_filters_and_writes_csv() {
    let dir = tempfile::tempdir().unwrap();
    let db = imported_samples(dir.path());
    let all = readout(&["export", "--format", "csv"], &db);
    assert!(all.status.success(), "{}", stderr(&all));
    let all = stdout(&all);
    assert!(all.starts_with(
        "id,date,end_date,date_precision,kind,status,us,counterparts,organizations,countries,\
         sources,documents\n"
    ));

    let calls = readout(&["export", "--format", "csv", "--kind", "call"], &db);
    assert!(calls.status.success(), "{}", stderr(&calls));
    let mut reader = csv::Reader::from_reader(calls.stdout.as_slice());
    let kinds: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[4].to_string())
        .collect();
    assert!(kinds.iter().all(|k| k == "call"), "{kinds:?}");
    assert_eq!(kinds.len(), all.matches(",call,").count());
}
