//! What every handler shares.

use std::path::PathBuf;
use std::sync::Arc;

use crate::db::Db;
use crate::gazetteer::Gazetteer;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    /// Where `/static` is served from first. Files missing there come from
    /// the copy embedded in the binary, so the site is styled from any
    /// working directory while a developer's edits still show at once.
    pub static_dir: PathBuf,
    /// What filters read names through (`UK` → United Kingdom): the same
    /// data the extractor uses.
    pub gazetteer: Arc<Gazetteer>,
}

impl AppState {
    pub fn new(db: Db) -> Self {
        AppState {
            db,
            static_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/static")),
            gazetteer: Arc::new(Gazetteer::builtin()),
        }
    }

    /// With the gazetteer the server's extractor loaded (built-in plus `--data`).
    pub fn with_gazetteer(mut self, gazetteer: Arc<Gazetteer>) -> Self {
        self.gazetteer = gazetteer;
        self
    }
}
