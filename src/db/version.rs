//! Which extractor wrote a document's mentions. Every stored document
//! records the [`Extractor::fingerprint`] it was parsed with; a document
//! stored by another one (an older Readout, or the same one with other
//! gazetteer rows) is re-parsed from its stored body, so its mentions never
//! go stale behind an unchanged file.

use std::path::Path;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::gazetteer::{Gazetteer, GazetteerError};
use crate::limits::Limits;

/// The version of the extraction rules (`ingest` and `resolve`): the
/// crate's version and a hash of their source code, computed by `build.rs`.
/// Every document stored under another value is re-parsed on the next
/// `serve` or `import`. Gazetteer rows are hashed into the fingerprint too.
pub const EXTRACTOR_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    "-",
    env!("READOUT_EXTRACTION_SOURCE")
);

/// The data files the gazetteer reads, built in and from `--data DIR`: the
/// same names and texts as `gazetteer.rs` embeds (a test checks that this
/// list covers every file under `data/`).
const DATA_FILES: [(&str, &str); 6] = [
    ("countries.tsv", include_str!("../../data/countries.tsv")),
    (
        "organizations.tsv",
        include_str!("../../data/organizations.tsv"),
    ),
    ("titles.tsv", include_str!("../../data/titles.tsv")),
    ("actors.tsv", include_str!("../../data/actors.tsv")),
    (
        "given_names.tsv",
        include_str!("../../data/given_names.tsv"),
    ),
    ("cities.tsv", include_str!("../../data/cities.tsv")),
];

#[derive(Debug, thiserror::Error)]
pub enum ExtractorError {
    #[error(transparent)]
    Gazetteer(#[from] GazetteerError),
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
}

/// The gazetteer the extractor runs with, and the fingerprint that names
/// that combination of rules and data in the `documents.extractor` column.
/// Cheap to clone: parsing threads share the gazetteer.
#[derive(Debug, Clone)]
pub struct Extractor {
    gazetteer: Arc<Gazetteer>,
    fingerprint: String,
    /// Bounds on one document's work: not part of the fingerprint, since
    /// they decide whether a document is read, not what is read from it.
    limits: Limits,
}

impl Extractor {
    /// The built-in rules and data only.
    pub fn builtin() -> Extractor {
        Extractor {
            gazetteer: Arc::new(Gazetteer::builtin()),
            fingerprint: fingerprint(EXTRACTOR_VERSION, &[]),
            limits: Limits::default(),
        }
    }

    /// The built-in data plus the gazetteer files in `extra` (`--data DIR`).
    pub fn load(extra: Option<&Path>) -> Result<Extractor, ExtractorError> {
        let gazetteer = Gazetteer::load(extra)?;
        let mut files = Vec::new();
        if let Some(dir) = extra {
            for (name, _) in DATA_FILES {
                let path = dir.join(name);
                // A missing file adds no rows: the gazetteer skips it too.
                if !path.exists() {
                    continue;
                }
                let text =
                    std::fs::read(&path).map_err(|source| ExtractorError::Read { path, source })?;
                files.push((name, text));
            }
        }
        Ok(Extractor {
            gazetteer: Arc::new(gazetteer),
            fingerprint: fingerprint(EXTRACTOR_VERSION, &files),
            limits: Limits::default(),
        })
    }

    /// The same extractor, refusing documents beyond `limits`.
    pub fn with_limits(self, limits: Limits) -> Extractor {
        Extractor { limits, ..self }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// `VERSION+hash`: readable enough to tell in the database which
    /// version parsed a document, exact enough to notice any data change.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

/// Hashes the version, the built-in data and the user's extra files, each
/// part length-prefixed so no two different inputs run together alike.
fn fingerprint(version: &str, extra: &[(&str, Vec<u8>)]) -> String {
    let mut hasher = Sha256::new();
    let mut part = |bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };
    part(version.as_bytes());
    for (name, text) in DATA_FILES {
        part(b"builtin");
        part(name.as_bytes());
        part(text.as_bytes());
    }
    for (name, text) in extra {
        part(b"extra");
        part(name.as_bytes());
        part(text);
    }
    let hash: String = hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{version}+{hash}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_names_the_version_and_is_stable() {
        let a = Extractor::builtin();
        assert!(a
            .fingerprint()
            .starts_with(&format!("{EXTRACTOR_VERSION}+")));
        assert_eq!(a.fingerprint(), Extractor::builtin().fingerprint());
        assert_eq!(
            Extractor::load(None).unwrap().fingerprint(),
            a.fingerprint()
        );
        assert_ne!(fingerprint("0", &[]), a.fingerprint());
    }

    #[test]
    fn extra_gazetteer_rows_change_the_fingerprint() {
        let dir = tempfile::tempdir().unwrap();
        let empty = Extractor::load(Some(dir.path())).unwrap();
        assert_eq!(empty.fingerprint(), Extractor::builtin().fingerprint());

        // An unrelated file is not gazetteer data.
        std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
        let unrelated = Extractor::load(Some(dir.path())).unwrap();
        assert_eq!(unrelated.fingerprint(), empty.fingerprint());

        std::fs::write(dir.path().join("titles.tsv"), "").unwrap();
        let with_file = Extractor::load(Some(dir.path())).unwrap();
        assert_ne!(with_file.fingerprint(), empty.fingerprint());

        let builtin_titles = DATA_FILES[2].1;
        let row = builtin_titles
            .lines()
            .find(|l| !l.is_empty() && !l.starts_with('#'))
            .unwrap();
        std::fs::write(dir.path().join("titles.tsv"), format!("{row}\n")).unwrap();
        let with_row = Extractor::load(Some(dir.path())).unwrap();
        assert_ne!(with_row.fingerprint(), with_file.fingerprint());
        assert_eq!(
            with_row.fingerprint(),
            Extractor::load(Some(dir.path())).unwrap().fingerprint()
        );
    }

    #[test]
    fn every_built_in_data_file_is_hashed() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".tsv"))
            .collect();
        on_disk.sort();
        let mut hashed: Vec<&str> = DATA_FILES.iter().map(|(name, _)| *name).collect();
        hashed.sort();
        assert_eq!(
            on_disk, hashed,
            "add the new data file to DATA_FILES in db/version.rs"
        );
    }
}
