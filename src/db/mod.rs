//! The only module with SQL in it. One writer connection apart from a small
//! read pool, SQLite in WAL mode, migrations applied on open.

pub mod actors;
pub mod documents;
pub mod engagements;
pub mod import;
pub mod rebuild;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Handles to one SQLite file: a single writer (SQLite allows one at a time
/// anyway, so queuing here beats `SQLITE_BUSY`) and a pool of readers.
#[derive(Clone, Debug)]
pub struct Db {
    pub writer: SqlitePool,
    pub reader: SqlitePool,
}

const READERS: u32 = 4;

impl Db {
    /// Opens (creating if needed) the database at `path` and applies migrations.
    pub async fn open(path: &Path) -> Result<Db, DbError> {
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await?;
        sqlx::migrate!("./migrations").run(&writer).await?;
        let reader = SqlitePoolOptions::new()
            .max_connections(READERS)
            .connect_with(options.read_only(true))
            .await?;
        Ok(Db { writer, reader })
    }
}
