//! The only module with SQL in it. One writer connection apart from a small
//! read pool, SQLite in WAL mode, migrations applied on open.

pub mod actors;
pub mod documents;
pub mod engagements;
pub mod import;
pub mod rebuild;
pub mod version;

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

/// Page cache per reader, in KiB (SQLite reads a negative `cache_size` as
/// KiB). Memory is taken as pages are read, so a small database costs
/// little; a large one keeps its hot indexes in memory.
const READER_CACHE_KIB: i64 = 64 * 1024;
/// Memory-mapped reads up to this many bytes of the file: pages are read
/// straight from the OS cache instead of being copied into each reader's.
const READER_MMAP_BYTES: i64 = 256 * 1024 * 1024;

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
        let reader_options = options
            .read_only(true)
            .pragma("cache_size", (-READER_CACHE_KIB).to_string())
            .pragma("mmap_size", READER_MMAP_BYTES.to_string())
            // Sorts and DISTINCTs of large result sets stay off the disk.
            .pragma("temp_store", "memory");
        let reader = SqlitePoolOptions::new()
            .max_connections(READERS)
            .connect_with(reader_options)
            .await?;
        Ok(Db { writer, reader })
    }

    /// Lets SQLite refresh the query planner's statistics where tables have
    /// grown or shrunk a lot since they were last analysed (or never were).
    /// Cheap when nothing changed much; `analysis_limit` bounds the work
    /// when something did. `0x10002` looks at every table, not only those
    /// this connection queried (the writer never runs the read queries).
    /// Open readers keep the statistics they loaded until the pool
    /// replaces them (sqlx recycles connections within half an hour), except
    /// for the first analysis, whose new table every connection notices.
    #[tracing::instrument(skip_all)]
    pub async fn optimize(&self) -> Result<(), DbError> {
        sqlx::raw_sql("PRAGMA analysis_limit = 400; PRAGMA optimize = 0x10002;")
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}

impl Db {
    /// Copies the write-ahead log back into the database file and empties
    /// it. SQLite checkpoints by itself only while no reader holds an old
    /// snapshot, so a long import can leave a log as large as the database
    /// beside it; after a big write this gives the space back. Readers that
    /// are mid-query make it stop early, which is harmless: the log is
    /// reused from its start once they finish.
    #[tracing::instrument(skip_all)]
    pub async fn checkpoint(&self) -> Result<(), DbError> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.writer)
            .await?;
        Ok(())
    }
}

/// Follows a chain of renames from `start` through a redirect table:
/// `lookup` is a fixed query taking the old key and returning the new one.
/// A cycle or a very long chain stops where it is.
pub(crate) async fn follow_redirects(
    db: &Db,
    lookup: &'static str,
    start: &str,
) -> Result<Option<String>, DbError> {
    let mut seen = vec![start.to_string()];
    let mut target: Option<String> = None;
    for _ in 0..8 {
        let current = target.as_deref().unwrap_or(start);
        let next: Option<String> = sqlx::query_scalar(lookup)
            .bind(current)
            .fetch_optional(&db.reader)
            .await?;
        match next {
            Some(next) if !seen.contains(&next) => {
                seen.push(next.clone());
                target = Some(next);
            }
            _ => break,
        }
    }
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn readers_get_a_large_cache_and_memory_maps_the_writer_does_not_need() {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("pragmas.db")).await.unwrap();
        let pragma = |pool: SqlitePool, name: &'static str| async move {
            sqlx::query_scalar::<_, i64>(&format!("PRAGMA {name}"))
                .fetch_one(&pool)
                .await
                .unwrap()
        };
        assert_eq!(
            pragma(db.reader.clone(), "cache_size").await,
            -READER_CACHE_KIB
        );
        assert_eq!(
            pragma(db.reader.clone(), "mmap_size").await,
            READER_MMAP_BYTES
        );
        // 2 = MEMORY.
        assert_eq!(pragma(db.reader.clone(), "temp_store").await, 2);
        assert_ne!(
            pragma(db.writer.clone(), "cache_size").await,
            -READER_CACHE_KIB
        );
        db.optimize().await.unwrap();
        db.checkpoint().await.unwrap();
    }
}
