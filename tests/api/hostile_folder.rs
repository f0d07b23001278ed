//! A folder of what scrapers and records requests really produce, imported
//! by the real binary: every refused file is named with its reason, every
//! readable one is stored, and nothing makes the import crawl or hang.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const GOOD: &str = "---
title: \"Fact Sheet: Secretary Blinken's Travel to Kyiv\"
date: 2022-03-10
source_url: https://example.org/fact-sheet
---

- On March 9, 2022, Secretary Blinken met with President Volodymyr Zelenskyy of Ukraine in Kyiv.
- Secretary Blinken spoke by phone with Foreign Minister Dmytro Kuleba of Ukraine on March 8, 2022.
";

/// Writes the hostile folder; returns the names expected to import.
fn write_hostile_folder(dir: &Path) -> Vec<&'static str> {
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    write("good.md", GOOD.as_bytes());
    write("empty.txt", b"");
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10".to_vec();
    png.extend(0..=255u8);
    write("image.txt", &png);
    write(
        "unclosed.md",
        b"---\ntitle: \"Never closed\"\ndate: 2022-03-10\n\nSecretary Blinken met with Foreign Minister Kuleba on March 9, 2022.\n",
    );
    write(
        "broken.md",
        b"---\ntitle: [unbalanced: \"x\ndate: {2022\n---\n\nSecretary Blinken met with Foreign Minister Kuleba on March 9, 2022.\n",
    );
    write(
        "yesterday.md",
        b"---\ntitle: \"Yesterday\"\ndate: yesterday\n---\n\nSecretary Blinken met with Foreign Minister Dmytro Kuleba of Ukraine yesterday.\n",
    );
    let crlf = format!("\u{feff}{}", GOOD.replace('\n', "\r\n"));
    write("bom-crlf.md", crlf.as_bytes());
    write(
        "cp1252.txt",
        b" date 2022-03-10\n\nSecretary Blinken \x93spoke by phone\x94 with Foreign Minister Dmytro Kuleba of Ukraine on March 8, 2022 \x96 the second call.\n",
    );
    write(
        "script.md",
        b"---\ntitle: \"<script>alert(1)</script> Readout\"\ndate: 2022-03-10\n---\n\n- On March 9, 2022, Secretary Blinken met with Foreign Minister Dmytro Kuleba of Ukraine [in Kyiv](javascript:alert(1)) <script>alert(2)</script>.\n",
    );
    // One line of exactly 1 MiB of prose.
    let line = "Secretary Blinken met with officials. ".repeat(30_000);
    let long = format!(" date 2022-03-10\n\n{}\n", &line[..1 << 20]);
    write("long-line.txt", long.as_bytes());
    // 200,000 bullets, 18.6 MB: the file that took 152 s and 1.5 GB.
    let mut huge =
        String::from("---\ntitle: \"Fact Sheet: Everything\"\ndate: 2022-03-10\n---\n\n");
    for i in 0..200_000 {
        let _ = writeln!(
            huge,
            "- On March {}, 2022, Secretary Blinken spoke by phone with Deputy Minister {i} of Ukraine.",
            1 + i % 28
        );
    }
    assert!(huge.len() > 17_000_000, "{}", huge.len());
    write("huge-fact-sheet.md", huge.as_bytes());
    // Under the size limit, over the items limit.
    let mut many = String::from("---\ntitle: \"Fact Sheet: Many\"\ndate: 2022-03-10\n---\n\n");
    for i in 0..12_000 {
        let _ = writeln!(many, "- Item {i}.");
    }
    write("many-items.md", many.as_bytes());
    vec![
        "bom-crlf.md",
        "cp1252.txt",
        "good.md",
        "script.md",
        "yesterday.md",
    ]
}

/// Runs the real binary, killing it if it outlives `guard` (a hang is a
/// failure, not a stuck CI job).
pub fn run_readout(args: &[&str], guard: Duration) -> (Output, Duration) {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_readout"))
        .args(args)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Pipes are drained by `wait_with_output`; a watchdog thread kills a hang.
    let id = child.id();
    let watchdog = std::thread::spawn(move || {
        let deadline = Instant::now() + guard;
        while Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
            if std::fs::metadata(format!("/proc/{id}")).is_err() {
                return false;
            }
        }
        let _ = Command::new("kill").args(["-9", &id.to_string()]).status();
        true
    });
    let output = child.wait_with_output().unwrap();
    let elapsed = started.elapsed();
    drop(watchdog);
    assert!(
        elapsed < guard,
        "readout {args:?} hung: killed after {guard:?}"
    );
    (output, elapsed)
}

/// The documents the export cites.
fn exported_documents(db: &str) -> BTreeSet<String> {
    let (out, _) = run_readout(
        &["export", "--db", db, "--format", "json"],
        Duration::from_secs(60),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    json["engagements"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|e| e["sources"].as_array().unwrap().clone())
        .map(|s| s["document"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_hostile_folder_imports_the_readable_files_and_names_each_refused_one() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("hostile");
    std::fs::create_dir(&folder).unwrap();
    let good = write_hostile_folder(&folder);
    let db = dir.path().join("readout.db");
    let db = db.to_str().unwrap();

    let (out, elapsed) = run_readout(
        &["import", "--db", db, folder.to_str().unwrap()],
        Duration::from_secs(120),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("hostile folder imported in {elapsed:?}:\n{stdout}");
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let line = |name: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(&format!("{name}  ")))
            .unwrap_or_else(|| panic!("no line for {name}: {stdout}"))
            .to_string()
    };
    for (name, reason) in [
        ("empty.txt", "the document is empty"),
        ("image.txt", "binary data, not text"),
        ("unclosed.md", "front matter: opened with `---` but never closed"),
        ("broken.md", "front matter"),
        ("long-line.txt", "line 3 is 1048576 bytes long, over the limit of 262144 (--max-line-bytes)"),
        ("huge-fact-sheet.md", "over the limit of 4194304 bytes per document (--max-bytes)"),
        ("many-items.md", "12000 items (bullets, dated entries, sentences), over the limit of 10000 per document (--max-items)"),
    ] {
        let line = line(name);
        assert!(line.contains("FAILED: ") && line.contains(reason), "{line}");
    }
    for name in &good {
        assert!(!line(name).contains("FAILED"), "{}", line(name));
    }
    assert!(
        stdout.contains("imported 5, unchanged 0, failed 7;"),
        "{stdout}"
    );
    // Every readable document that reports an engagement is stored with it
    // ("yesterday" as a date names no day, so that one reports none).
    let cited = exported_documents(db);
    for name in ["bom-crlf.md", "cp1252.txt", "good.md", "script.md"] {
        assert!(cited.contains(name), "{name} not in {cited:?}");
    }
    assert!(
        line("bom-crlf.md").contains("2 engagements"),
        "{}",
        line("bom-crlf.md")
    );
}

#[test]
fn the_limits_are_flags() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("good.md");
    std::fs::write(&file, GOOD).unwrap();
    let db = dir.path().join("readout.db");
    let (out, _) = run_readout(
        &[
            "import",
            "--db",
            db.to_str().unwrap(),
            "--max-bytes",
            "100",
            file.to_str().unwrap(),
        ],
        Duration::from_secs(60),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "good.md  FAILED: refused: {} bytes, over the limit of 100 bytes per document (--max-bytes)",
            GOOD.len()
        )),
        "{stdout}"
    );
    let (out, _) = run_readout(
        &[
            "import",
            "--db",
            db.to_str().unwrap(),
            "--max-items",
            "1",
            file.to_str().unwrap(),
        ],
        Duration::from_secs(60),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("good.md  FAILED: 2 items (bullets, dated entries, sentences), over the limit of 1 per document (--max-items)"),
        "{stdout}"
    );
}
