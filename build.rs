//! Rebuilds when files embedded at compile time change: `sqlx::migrate!`,
//! `include_dir!` and `include_str!` do not always notice a file added to
//! a folder they read.
//!
//! Also hashes the extraction code (`src/ingest`, `src/resolve`) into
//! `READOUT_EXTRACTION_SOURCE`, so a database written by other extraction
//! rules is re-parsed without anyone having to remember to bump a version.

use std::hash::{DefaultHasher, Hasher};
use std::path::Path;

fn main() {
    for dir in [
        "migrations",
        "samples",
        "data",
        "static",
        "templates",
        "src/ingest",
        "src/resolve",
    ] {
        println!("cargo:rerun-if-changed={dir}");
    }
    // DefaultHasher::new() has fixed keys: the same sources give the same
    // hash on every machine built with the same Rust.
    let mut hasher = DefaultHasher::new();
    for dir in ["src/ingest", "src/resolve"] {
        hash_dir(Path::new(dir), &mut hasher);
    }
    println!(
        "cargo:rustc-env=READOUT_EXTRACTION_SOURCE={:016x}",
        hasher.finish()
    );
}

fn hash_dir(dir: &Path, hasher: &mut DefaultHasher) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            hash_dir(&path, hasher);
        } else if path.extension().is_some_and(|e| e == "rs") {
            // Test modules do not change what a document yields.
            if path.file_name().is_some_and(|n| n == "tests.rs") {
                continue;
            }
            if let Ok(bytes) = std::fs::read(&path) {
                hasher.write(path.to_string_lossy().as_bytes());
                hasher.write(&bytes);
            }
        }
    }
}
