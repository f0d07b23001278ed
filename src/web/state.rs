//! What every handler shares.

use std::path::PathBuf;

use crate::db::Db;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    /// Where `/static` is served from first. Files missing there come from
    /// the copy embedded in the binary, so the site is styled from any
    /// working directory while a developer's edits still show at once.
    pub static_dir: PathBuf,
}

impl AppState {
    pub fn new(db: Db) -> Self {
        AppState {
            db,
            static_dir: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/static")),
        }
    }
}
