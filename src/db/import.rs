//! Storing documents: one file's bytes become a `documents` row and its
//! `mentions`, atomically (a transaction, or a savepoint inside a batch's
//! transaction), so a failure never leaves half a document behind. Each row
//! records the extractor that parsed it; documents another extractor wrote
//! are re-parsed from their stored body ([`reparse_stale`]). The derived
//! tables (actors, engagements …) are left to [`super::rebuild`], which the
//! caller runs once per batch, not per file.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use sqlx::{Connection, Row, SqliteConnection};
use tokio::task::JoinHandle;

use super::rebuild::{self, RebuildStats};
use super::version::Extractor;
use super::{Db, DbError};
use crate::ingest::{self, IngestError};
use crate::limits::{self, Refused};
use crate::model::{ParsedDocument, Shape};

/// What importing one document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A document of this name was not stored before.
    Imported { shape: Shape, mentions: usize },
    /// A document of this name with other content was replaced.
    Replaced { shape: Shape, mentions: usize },
    /// The same content, stored by another extractor (an older version, or
    /// other gazetteer rows): parsed again and its mentions rewritten.
    Reparsed { shape: Shape, mentions: usize },
    /// The same name with the same content is already stored: nothing written.
    Unchanged { shape: Shape, mentions: usize },
}

impl ImportOutcome {
    pub fn shape(&self) -> Shape {
        match *self {
            ImportOutcome::Imported { shape, .. }
            | ImportOutcome::Replaced { shape, .. }
            | ImportOutcome::Reparsed { shape, .. }
            | ImportOutcome::Unchanged { shape, .. } => shape,
        }
    }

    pub fn mentions(&self) -> usize {
        match *self {
            ImportOutcome::Imported { mentions, .. }
            | ImportOutcome::Replaced { mentions, .. }
            | ImportOutcome::Reparsed { mentions, .. }
            | ImportOutcome::Unchanged { mentions, .. } => mentions,
        }
    }

    pub fn is_unchanged(&self) -> bool {
        matches!(self, ImportOutcome::Unchanged { .. })
    }
}

/// A document that could not be imported: its name and why.
#[derive(Debug, thiserror::Error)]
#[error("{name}: {reason}")]
pub struct ImportError {
    pub name: String,
    pub reason: ImportFailure,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportFailure {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Not text, or beyond the bounds on one document's work.
    #[error("refused: {0}")]
    Refused(Refused),
    #[error("{0}")]
    Parse(IngestError),
    /// Documents are keyed by file name, so a second file of the same name
    /// in one batch would silently replace the first.
    #[error("{} has the same file name and was imported instead", .0.display())]
    SameName(PathBuf),
    #[error(transparent)]
    Db(#[from] DbError),
    /// The extractor panicked on this document: a bug, reported for this
    /// one document so the others still import.
    #[error("the extractor failed on this document (a bug, please report it): {0}")]
    Crashed(String),
    /// The document was written, but the batch transaction it was written
    /// in failed to commit, so nothing of the batch was stored.
    #[error("not stored: the transaction it was written in failed: {0}")]
    BatchRolledBack(String),
}

impl From<sqlx::Error> for ImportFailure {
    fn from(err: sqlx::Error) -> Self {
        ImportFailure::Db(DbError::Sqlx(err))
    }
}

/// Lower-case hex SHA-256 of a document's bytes.
pub fn content_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Imports one document's bytes under `name` (its file name), in its own
/// transaction. Re-importing the same content changes nothing unless
/// another extractor parsed it (then it is re-parsed); new content replaces
/// what the document contributed before. Run [`rebuild::rebuild`] after a
/// batch of these.
#[tracing::instrument(skip_all, fields(name = %name))]
pub async fn import_document(
    db: &Db,
    name: &str,
    bytes: &[u8],
    extractor: &Extractor,
) -> Result<ImportOutcome, ImportError> {
    let fail = |reason: ImportFailure| ImportError {
        name: name.to_string(),
        reason,
    };
    let (hash, body, parsed) = match prepare(db, name, bytes.to_vec(), extractor).await? {
        Prepared::Unchanged(outcome) => return Ok(outcome),
        Prepared::Parsed { hash, body, parsed } => (hash, body, parsed),
    };
    let doc = ToStore {
        name,
        hash: &hash,
        body: &body,
        parsed: &parsed,
        only_over: None,
    };
    let mut tx = db
        .writer
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(|e| fail(e.into()))?;
    let outcome = write_parsed(&mut tx, &doc, extractor.fingerprint())
        .await
        .map_err(|e| fail(e.into()))?;
    tx.commit().await.map_err(|e| fail(e.into()))?;
    // Without a guard the write cannot be skipped.
    Ok(outcome.expect("an unguarded write always stores"))
}

/// What to do with one file's bytes.
enum Prepared {
    /// Stored already, with the same content and extractor.
    Unchanged(ImportOutcome),
    /// Parsed, to be written.
    Parsed {
        hash: String,
        body: String,
        parsed: ParsedDocument,
    },
}

/// Decodes, compares with what is stored and, unless unchanged, parses.
async fn prepare(
    db: &Db,
    name: &str,
    bytes: Vec<u8>,
    extractor: &Extractor,
) -> Result<Prepared, ImportError> {
    let fail = |reason: ImportFailure| ImportError {
        name: name.to_string(),
        reason,
    };
    let hash = content_hash(&bytes);
    let body =
        limits::decode(&bytes, extractor.limits()).map_err(|e| fail(ImportFailure::Refused(e)))?;
    if let Some(stored) = stored_document(db, name)
        .await
        .map_err(|e| fail(e.into()))?
    {
        if stored.hash == hash && stored.extractor.as_deref() == Some(extractor.fingerprint()) {
            return Ok(Prepared::Unchanged(ImportOutcome::Unchanged {
                shape: stored.shape,
                mentions: stored.mentions,
            }));
        }
    }
    let (body, parsed) = parse(name, body, extractor).await;
    let parsed = parsed.map_err(fail)?;
    Ok(Prepared::Parsed { hash, body, parsed })
}

/// Parses on the blocking pool, so parsing runs on every core while the
/// importer writes, and the async threads stay free. Hands the body back.
async fn parse(
    name: &str,
    body: String,
    extractor: &Extractor,
) -> (String, Result<ParsedDocument, ImportFailure>) {
    let (name, extractor) = (name.to_string(), extractor.clone());
    let task = tokio::task::spawn_blocking(move || {
        let parsed = ingest::parse_bounded(
            &name,
            &body,
            extractor.gazetteer(),
            extractor.limits().max_items,
        );
        (body, parsed)
    });
    match task.await {
        Ok((body, parsed)) => (body, parsed.map_err(ImportFailure::Parse)),
        // The body went down with the task; only its report is left.
        Err(err) => (
            String::new(),
            Err(ImportFailure::Crashed(crash_message(err))),
        ),
    }
}

/// What a parsing task that panicked (an extractor bug) said.
fn crash_message(err: tokio::task::JoinError) -> String {
    match err.try_into_panic() {
        Ok(panic) => panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic".to_string()),
        Err(err) => err.to_string(),
    }
}

struct StoredDocument {
    hash: String,
    extractor: Option<String>,
    shape: Shape,
    mentions: usize,
}

#[tracing::instrument(skip_all)]
async fn stored_document(db: &Db, name: &str) -> Result<Option<StoredDocument>, DbError> {
    let row = sqlx::query(
        "SELECT content_hash, extractor, shape, \
                (SELECT COUNT(*) FROM mentions WHERE mentions.document_id = documents.id) AS mentions \
         FROM documents WHERE name = ?",
    )
    .bind(name)
    .fetch_optional(&db.reader)
    .await?;
    Ok(row.map(|row| StoredDocument {
        hash: row.get("content_hash"),
        extractor: row.get("extractor"),
        // A shape code this build does not know can only come from another
        // version; treating it as headerless just shows in the report.
        shape: Shape::parse(row.get::<&str, _>("shape")).unwrap_or(Shape::Headerless),
        mentions: row.get::<i64, _>("mentions") as usize,
    }))
}

/// A parsed document, ready to write.
struct ToStore<'a> {
    name: &'a str,
    hash: &'a str,
    body: &'a str,
    parsed: &'a ParsedDocument,
    /// Write only while the stored document still has this content hash:
    /// a re-parse of a stored body must not undo an import of new bytes
    /// that another process committed in the meantime.
    only_over: Option<&'a str>,
}

/// Stores a parsed document and its mentions in one transaction, replacing
/// any document of the same name, and records `extractor` as what parsed
/// it. Public so tests can store hand-made mentions without the extractor.
#[tracing::instrument(skip_all, fields(name = %name))]
pub async fn store_parsed(
    db: &Db,
    name: &str,
    hash: &str,
    body: &str,
    parsed: &ParsedDocument,
    extractor: &str,
) -> Result<ImportOutcome, DbError> {
    // IMMEDIATE takes the write lock up front, so another process writing
    // between our read and our write cannot make the commit fail.
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let doc = ToStore {
        name,
        hash,
        body,
        parsed,
        only_over: None,
    };
    let outcome = write_parsed(&mut tx, &doc, extractor).await?;
    tx.commit().await?;
    Ok(outcome.expect("an unguarded write always stores"))
}

/// Writes one document on a connection inside a transaction (or savepoint)
/// the caller owns. `None` when the guard in `only_over` skipped it.
///
/// Mentions are rewritten in place by ordinal rather than deleted and
/// re-inserted: a corrected document keeps its mention row ids, so the
/// rebuild can still tell which new engagement an old one became (and
/// redirect its permalink), and unchanged excerpts keep their search index.
async fn write_parsed(
    conn: &mut SqliteConnection,
    doc: &ToStore<'_>,
    extractor: &str,
) -> Result<Option<ImportOutcome>, sqlx::Error> {
    let (name, parsed) = (doc.name, doc.parsed);
    let existing: Option<String> =
        sqlx::query_scalar("SELECT content_hash FROM documents WHERE name = ?")
            .bind(name)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(expected) = doc.only_over {
        if existing.as_deref() != Some(expected) {
            return Ok(None);
        }
    }
    let imported_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    // `imported_at` says when these bytes arrived: a re-parse keeps it.
    let document_id: i64 = sqlx::query_scalar(
        "INSERT INTO documents \
             (name, content_hash, title, published, source_url, shape, imported_at, body, \
              extractor) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (name) DO UPDATE SET \
             imported_at = CASE WHEN documents.content_hash = excluded.content_hash \
                 THEN documents.imported_at ELSE excluded.imported_at END, \
             content_hash = excluded.content_hash, title = excluded.title, \
             published = excluded.published, source_url = excluded.source_url, \
             shape = excluded.shape, body = excluded.body, extractor = excluded.extractor \
         RETURNING id",
    )
    .bind(name)
    .bind(doc.hash)
    .bind(&parsed.meta.title)
    .bind(parsed.meta.published.map(|d| d.to_string()))
    .bind(&parsed.meta.source_url)
    .bind(parsed.shape.as_str())
    .bind(&imported_at)
    .bind(doc.body)
    .bind(extractor)
    .fetch_one(&mut *conn)
    .await?;

    for (ordinal, mention) in parsed.mentions.iter().enumerate() {
        // Only plain strings, numbers and unit enums: serialising cannot fail.
        let payload = serde_json::to_string(mention).expect("a Mention always serialises");
        // The WHERE keeps an unchanged mention untouched (no search-index churn).
        sqlx::query(
            "INSERT INTO mentions (document_id, ordinal, date, payload) VALUES (?, ?, ?, ?) \
             ON CONFLICT (document_id, ordinal) DO UPDATE SET \
                 date = excluded.date, payload = excluded.payload \
             WHERE mentions.payload IS NOT excluded.payload OR mentions.date IS NOT excluded.date",
        )
        .bind(document_id)
        .bind(ordinal as i64)
        .bind(mention.date.map(|d| d.to_string()))
        .bind(&payload)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("DELETE FROM mentions WHERE document_id = ? AND ordinal >= ?")
        .bind(document_id)
        .bind(parsed.mentions.len() as i64)
        .execute(&mut *conn)
        .await?;
    // In this document's transaction: committed mentions always leave the
    // mark that the derived tables must catch up (see `rebuild`).
    sqlx::query("INSERT OR IGNORE INTO pending_rebuild (id) VALUES (1)")
        .execute(&mut *conn)
        .await?;

    let (shape, mentions) = (parsed.shape, parsed.mentions.len());
    Ok(Some(match existing {
        None => ImportOutcome::Imported { shape, mentions },
        Some(stored) if stored == doc.hash => ImportOutcome::Reparsed { shape, mentions },
        Some(_) => ImportOutcome::Replaced { shape, mentions },
    }))
}

type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;

/// Documents per batch transaction, and how long one may stay open: big
/// enough that a large import does not commit (and flush the search index)
/// per file, small enough that another writer never waits long and a
/// failed commit loses little.
const BATCH_DOCUMENTS: usize = 200;
const BATCH_TIME: Duration = Duration::from_millis(500);

/// Whose failure a write in a batch was.
enum Failed {
    /// Rolled back to the document's savepoint: the batch goes on.
    Document(sqlx::Error),
    /// The transaction is in doubt: the batch must be rolled back.
    Batch(sqlx::Error),
}

async fn write_in_savepoint(
    tx: &mut Tx,
    doc: &ToStore<'_>,
    extractor: &str,
) -> Result<Option<ImportOutcome>, Failed> {
    let mut savepoint = Connection::begin(&mut **tx).await.map_err(Failed::Batch)?;
    match write_parsed(&mut savepoint, doc, extractor).await {
        Ok(outcome) => {
            savepoint.commit().await.map_err(Failed::Batch)?;
            Ok(outcome)
        }
        Err(error) => match savepoint.rollback().await {
            Ok(()) => Err(Failed::Document(error)),
            Err(_) => Err(Failed::Batch(error)),
        },
    }
}

/// Writes documents a batch at a time: one transaction per batch, and a
/// savepoint per document inside it, so a document that fails to write
/// leaves nothing of itself behind while the rest of the batch stands.
/// A document counts as stored only once its batch has committed: when a
/// batch's transaction fails, the documents it held are rolled back with
/// it and listed by [`Batch::take_lost`].
struct Batch<'a> {
    db: &'a Db,
    tx: Option<Tx>,
    opened: Instant,
    /// The caller's keys of the documents written in the open transaction.
    members: Vec<usize>,
    /// Keys of documents a failed transaction took with it, and why.
    lost: Vec<(usize, String)>,
}

impl<'a> Batch<'a> {
    fn new(db: &'a Db) -> Batch<'a> {
        Batch {
            db,
            tx: None,
            opened: Instant::now(),
            members: Vec::new(),
            lost: Vec::new(),
        }
    }

    /// Writes `doc` (known to the caller as `key`) in its own savepoint.
    /// `None` when its guard skipped it.
    async fn write(
        &mut self,
        key: usize,
        doc: &ToStore<'_>,
        extractor: &str,
    ) -> Result<Option<ImportOutcome>, sqlx::Error> {
        let tx = match &mut self.tx {
            Some(tx) => tx,
            None => {
                // IMMEDIATE: the write lock up front (see `store_parsed`).
                let tx = self.db.writer.begin_with("BEGIN IMMEDIATE").await?;
                self.opened = Instant::now();
                self.tx.insert(tx)
            }
        };
        match write_in_savepoint(tx, doc, extractor).await {
            Ok(outcome) => {
                if outcome.is_some() {
                    self.members.push(key);
                }
                Ok(outcome)
            }
            Err(Failed::Document(error)) => Err(error),
            Err(Failed::Batch(error)) => Err(self.abort(error).await),
        }
    }

    /// Commits once the batch is big or old enough.
    async fn commit_if_due(&mut self) {
        if self.members.len() >= BATCH_DOCUMENTS || self.opened.elapsed() >= BATCH_TIME {
            self.commit().await;
        }
    }

    async fn commit(&mut self) {
        let Some(tx) = self.tx.take() else {
            return;
        };
        match tx.commit().await {
            Ok(()) => self.members.clear(),
            Err(error) => self.lose(&error),
        }
    }

    /// Rolls the whole batch back after an error that leaves its
    /// transaction in doubt, and hands the error back.
    async fn abort(&mut self, error: sqlx::Error) -> sqlx::Error {
        if let Some(tx) = self.tx.take() {
            if let Err(err) = tx.rollback().await {
                tracing::warn!(%err, "rolling back a failed import batch");
            }
        }
        self.lose(&error);
        error
    }

    fn lose(&mut self, error: &sqlx::Error) {
        tracing::warn!(%error, documents = self.members.len(), "an import batch was rolled back");
        let reason = error.to_string();
        self.lost
            .extend(self.members.drain(..).map(|key| (key, reason.clone())));
    }

    /// The documents that failed transactions took with them since the
    /// last call: stored at first, then rolled back.
    fn take_lost(&mut self) -> Vec<(usize, String)> {
        std::mem::take(&mut self.lost)
    }
}

/// One file's line in an import report.
#[derive(Debug)]
pub struct DocumentReport {
    pub path: PathBuf,
    /// The file name, which is the document's name in the database.
    pub name: String,
    pub result: Result<ImportedDocument, ImportError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportedDocument {
    pub outcome: ImportOutcome,
    /// Engagements this document is evidence for, after the rebuild.
    pub engagements: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// New, replaced and re-parsed documents.
    pub imported: usize,
    pub unchanged: usize,
    pub failed: usize,
    /// Stored documents outside this import, re-parsed because another
    /// extractor wrote them.
    pub reparsed: Reparsed,
    pub rebuild: RebuildStats,
}

impl ImportSummary {
    pub fn all_imported(&self) -> bool {
        self.failed == 0
    }
}

/// The stages of an import, for a progress display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading, parsing and storing the files named.
    Files,
    /// Re-parsing stored documents that another extractor wrote.
    Reparse,
    /// Resolving every mention into engagements (not counted in steps).
    Rebuild,
}

/// How far an import has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress<'a> {
    /// A stage begins, with this many steps.
    Stage(Stage, usize),
    /// One more step of the current stage is done: this document.
    Step(&'a str),
}

/// Imports files and folders (recursively, `*.txt` and `*.md`, in file-name
/// order), each document atomically, re-parses stored documents that
/// another extractor wrote, then rebuilds the derived tables once. A file
/// that cannot be read, decoded, parsed or stored is reported and the
/// others still import. `on_progress` hears of each stage and document as
/// it goes; `on_result` sees every file, in order, once the rebuild has
/// counted its engagements. Only a failing rebuild (or a database that
/// cannot be read) is an error of the whole call.
#[tracing::instrument(skip_all)]
pub async fn import_paths(
    db: &Db,
    paths: &[PathBuf],
    extractor: &Extractor,
    mut on_progress: impl FnMut(Progress<'_>),
    mut on_result: impl FnMut(&DocumentReport),
) -> Result<ImportSummary, DbError> {
    let files = document_files(paths);
    on_progress(Progress::Stage(Stage::Files, files.len()));
    let mut files = files.into_iter();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    // Files read and parsed ahead, in order, while earlier ones are written.
    let mut ahead: VecDeque<(PathBuf, String, Ahead)> = VecDeque::new();
    let mut reports: Vec<(PathBuf, String, Result<ImportOutcome, ImportError>)> = Vec::new();
    let mut batch = Batch::new(db);
    let depth = parse_ahead();
    loop {
        while ahead.len() < depth {
            let Some(found) = files.next() else { break };
            let (path, name, next) = match found {
                Err((path, source)) => {
                    let name = file_name(&path);
                    let reason = ImportFailure::Read {
                        path: path.clone(),
                        source,
                    };
                    let error = ImportError {
                        name: name.clone(),
                        reason,
                    };
                    (path, name, Ahead::Done(Err(error)))
                }
                Ok(path) => {
                    let name = file_name(&path);
                    let next = match seen.get(&name) {
                        Some(first) if same_file(first, &path) => {
                            on_progress(Progress::Step(&name));
                            continue;
                        }
                        Some(first) => Ahead::Done(Err(ImportError {
                            name: name.clone(),
                            reason: ImportFailure::SameName(first.clone()),
                        })),
                        None => {
                            seen.insert(name.clone(), path.clone());
                            Ahead::Prepare(tokio::spawn(read_and_prepare(
                                db.clone(),
                                path.clone(),
                                name.clone(),
                                extractor.clone(),
                            )))
                        }
                    };
                    (path, name, next)
                }
            };
            ahead.push_back((path, name, next));
        }
        let Some((path, name, next)) = ahead.pop_front() else {
            break;
        };
        let result = match next {
            Ahead::Done(result) => result,
            Ahead::Prepare(task) => {
                store_prepared(&mut batch, reports.len(), &name, task, extractor).await
            }
        };
        on_progress(Progress::Step(&name));
        reports.push((path, name, result));
        batch.commit_if_due().await;
        lose(&mut reports, batch.take_lost());
    }
    batch.commit().await;
    lose(&mut reports, batch.take_lost());
    for (_, _, result) in &reports {
        if let Err(err) = result {
            tracing::debug!(%err, "import failed");
        }
    }

    let reparsed = reparse_stale(db, extractor, &mut on_progress).await?;
    on_progress(Progress::Stage(Stage::Rebuild, 0));
    let stats = rebuild::rebuild_if_pending(db, extractor.gazetteer()).await?;
    let mut summary = ImportSummary {
        reparsed,
        rebuild: stats,
        ..ImportSummary::default()
    };
    for (path, name, result) in reports {
        let result = match result {
            Ok(outcome) => {
                if outcome.is_unchanged() {
                    summary.unchanged += 1;
                } else {
                    summary.imported += 1;
                }
                let engagements = engagements_of(db, &name).await?;
                Ok(ImportedDocument {
                    outcome,
                    engagements,
                })
            }
            Err(err) => {
                summary.failed += 1;
                Err(err)
            }
        };
        on_result(&DocumentReport { path, name, result });
    }
    Ok(summary)
}

/// How many documents are read and parsed ahead of the one being written:
/// enough to keep every core parsing.
fn parse_ahead() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()) * 2
}

/// A file on its way to being stored.
enum Ahead {
    /// Its outcome is known without reading it.
    Done(Result<ImportOutcome, ImportError>),
    /// Being read, compared and parsed.
    Prepare(JoinHandle<Result<Prepared, ImportError>>),
}

async fn read_and_prepare(
    db: Db,
    path: PathBuf,
    name: String,
    extractor: Extractor,
) -> Result<Prepared, ImportError> {
    let bytes = tokio::fs::read(&path).await.map_err(|source| ImportError {
        name: name.clone(),
        reason: ImportFailure::Read { path, source },
    })?;
    prepare(&db, &name, bytes, &extractor).await
}

/// Waits for a file's preparation and writes it in `batch` as `key`.
async fn store_prepared(
    batch: &mut Batch<'_>,
    key: usize,
    name: &str,
    task: JoinHandle<Result<Prepared, ImportError>>,
    extractor: &Extractor,
) -> Result<ImportOutcome, ImportError> {
    let fail = |reason: ImportFailure| ImportError {
        name: name.to_string(),
        reason,
    };
    let prepared = task
        .await
        .map_err(|err| fail(ImportFailure::Crashed(crash_message(err))))??;
    let (hash, body, parsed) = match prepared {
        Prepared::Unchanged(outcome) => return Ok(outcome),
        Prepared::Parsed { hash, body, parsed } => (hash, body, parsed),
    };
    let doc = ToStore {
        name,
        hash: &hash,
        body: &body,
        parsed: &parsed,
        only_over: None,
    };
    match batch.write(key, &doc, extractor.fingerprint()).await {
        Ok(outcome) => Ok(outcome.expect("an unguarded write always stores")),
        Err(error) => Err(fail(error.into())),
    }
}

/// Marks the documents a failed batch took with it as failed.
fn lose(
    reports: &mut [(PathBuf, String, Result<ImportOutcome, ImportError>)],
    lost: Vec<(usize, String)>,
) {
    for (key, reason) in lost {
        let (_, name, result) = &mut reports[key];
        *result = Err(ImportError {
            name: name.clone(),
            reason: ImportFailure::BatchRolledBack(reason),
        });
    }
}

/// What [`reparse_stale`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reparsed {
    /// Documents re-parsed and stored with the current extractor.
    pub documents: usize,
    /// Documents the current extractor cannot parse (or store): they keep
    /// their old mentions and are tried again next time.
    pub failed: usize,
}

/// A stored document re-parsed: its content hash (the write's guard), its
/// body and what the current extractor makes of it.
struct Reread {
    hash: String,
    body: String,
    parsed: Result<ParsedDocument, ImportFailure>,
}

/// A stored document being read and re-parsed (`None`: it is gone).
type Rereading = JoinHandle<Result<Option<Reread>, DbError>>;

/// Re-parses, from their stored bodies, the documents that another
/// extractor wrote (an older Readout, or other gazetteer rows), so they
/// yield what this one would. Each document is written atomically; a
/// document that no longer parses keeps what it had. Run
/// [`rebuild::rebuild`] afterwards when any was re-parsed.
#[tracing::instrument(skip_all)]
pub async fn reparse_stale(
    db: &Db,
    extractor: &Extractor,
    on_progress: impl FnMut(Progress<'_>),
) -> Result<Reparsed, DbError> {
    // Names first, bodies a few at a time: a large stale corpus is never
    // in memory at once. Three ranges of `documents_extractor` (below,
    // above, unset) rather than `IS NOT ?`, which SQLite can only answer
    // by reading every row, bodies and all.
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM documents \
         WHERE extractor < ?1 OR extractor > ?1 OR extractor IS NULL ORDER BY name",
    )
    .bind(extractor.fingerprint())
    .fetch_all(&db.reader)
    .await?;
    reparse(db, extractor, names, on_progress).await
}

/// Re-parses every stored document from its body, whichever extractor
/// read it (`readout rebuild`). Run [`rebuild::rebuild`] afterwards.
#[tracing::instrument(skip_all)]
pub async fn reparse_all(
    db: &Db,
    extractor: &Extractor,
    on_progress: impl FnMut(Progress<'_>),
) -> Result<Reparsed, DbError> {
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM documents ORDER BY name")
        .fetch_all(&db.reader)
        .await?;
    reparse(db, extractor, names, on_progress).await
}

/// Re-parses the stored documents `names`, each written atomically; one
/// that no longer parses keeps what it had.
async fn reparse(
    db: &Db,
    extractor: &Extractor,
    names: Vec<String>,
    mut on_progress: impl FnMut(Progress<'_>),
) -> Result<Reparsed, DbError> {
    let fingerprint = extractor.fingerprint();
    let mut done = Reparsed::default();
    if names.is_empty() {
        return Ok(done);
    }
    tracing::info!(documents = names.len(), "re-parsing stored documents");
    on_progress(Progress::Stage(Stage::Reparse, names.len()));
    let mut pending = names.iter().enumerate();
    let mut ahead: VecDeque<(usize, &str, Rereading)> = VecDeque::new();
    let mut batch = Batch::new(db);
    let mut lost = 0;
    let depth = parse_ahead();
    loop {
        while ahead.len() < depth {
            let Some((key, name)) = pending.next() else {
                break;
            };
            let task = tokio::spawn(reread(db.clone(), name.clone(), extractor.clone()));
            ahead.push_back((key, name, task));
        }
        let Some((key, name, task)) = ahead.pop_front() else {
            break;
        };
        let reread = match task.await {
            Ok(reread) => reread?,
            Err(err) => Some(Reread {
                hash: String::new(),
                body: String::new(),
                parsed: Err(ImportFailure::Crashed(crash_message(err))),
            }),
        };
        // None: gone since the list was read, nothing to refresh.
        if let Some(Reread { hash, body, parsed }) = reread {
            match parsed {
                Ok(parsed) => {
                    let doc = ToStore {
                        name,
                        hash: &hash,
                        body: &body,
                        parsed: &parsed,
                        only_over: Some(&hash),
                    };
                    match batch.write(key, &doc, fingerprint).await {
                        Ok(Some(_)) => done.documents += 1,
                        // New bytes were imported meanwhile, by a current
                        // extractor: nothing stale is left.
                        Ok(None) => {}
                        Err(err) => {
                            tracing::warn!(document = %name, %err, "cannot store a re-parsed document");
                            done.failed += 1;
                        }
                    }
                }
                Err(err) => {
                    tracing::warn!(
                        document = %name, %err,
                        "this version cannot parse a stored document; it keeps its old mentions"
                    );
                    done.failed += 1;
                }
            }
        }
        on_progress(Progress::Step(name));
        batch.commit_if_due().await;
        lost += batch.take_lost().len();
    }
    batch.commit().await;
    lost += batch.take_lost().len();
    done.documents -= lost;
    done.failed += lost;
    tracing::info!(
        documents = done.documents,
        failed = done.failed,
        "re-parsed stored documents"
    );
    Ok(done)
}

/// Reads a stored document's body and parses it again.
async fn reread(db: Db, name: String, extractor: Extractor) -> Result<Option<Reread>, DbError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT content_hash, body FROM documents WHERE name = ?")
            .bind(&name)
            .fetch_optional(&db.reader)
            .await?;
    let Some((hash, body)) = row else {
        return Ok(None);
    };
    let (body, parsed) = parse(&name, body, &extractor).await;
    Ok(Some(Reread { hash, body, parsed }))
}

/// How many engagements cite the document `name`.
#[tracing::instrument(skip_all)]
pub async fn engagements_of(db: &Db, name: &str) -> Result<usize, DbError> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(DISTINCT evidence.engagement_id) FROM evidence \
         JOIN documents ON documents.id = evidence.document_id \
         WHERE documents.name = ?",
    )
    .bind(name)
    .fetch_one(&db.reader)
    .await?;
    Ok(count as usize)
}

/// Whether the documents table is empty (cheap: stops at the first row).
#[tracing::instrument(skip_all)]
pub async fn has_documents(db: &Db) -> Result<bool, DbError> {
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM documents)")
        .fetch_one(&db.reader)
        .await?;
    Ok(any)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Whether a file found inside a folder is a document to import.
fn is_document(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("md"))
}

/// The files to import, in order: each argument in turn, folders walked
/// recursively in file-name order. A file named explicitly is taken
/// whatever its extension (the user asked for it); one that cannot be
/// reached comes back as an error to report.
pub fn document_files(paths: &[PathBuf]) -> Vec<Result<PathBuf, (PathBuf, std::io::Error)>> {
    let mut files = Vec::new();
    for path in paths {
        match std::fs::metadata(path) {
            Err(err) => files.push(Err((path.clone(), err))),
            Ok(meta) if !meta.is_dir() => files.push(Ok(path.clone())),
            Ok(_) => {
                for entry in walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .sort_by_file_name()
                {
                    match entry {
                        Ok(entry) => {
                            if entry.file_type().is_file() && is_document(entry.path()) {
                                files.push(Ok(entry.into_path()));
                            }
                        }
                        Err(err) => {
                            let at = err.path().unwrap_or(path).to_path_buf();
                            files.push(Err((at, err.into())));
                        }
                    }
                }
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_hash_is_hex_sha256() {
        assert_eq!(
            content_hash(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn folders_yield_text_and_markdown_files_in_name_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        for name in ["b.txt", "a.md", "notes.pdf", "sub/c.TXT"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let found: Vec<String> = document_files(&[dir.path().to_path_buf()])
            .into_iter()
            .map(|f| file_name(&f.unwrap()))
            .collect();
        assert_eq!(found, ["a.md", "b.txt", "c.TXT"]);
    }

    #[test]
    fn a_file_named_explicitly_is_taken_whatever_its_extension() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("readout.html");
        std::fs::write(&path, "x").unwrap();
        let found = document_files(std::slice::from_ref(&path));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].as_ref().unwrap(), &path);
    }

    #[test]
    fn a_missing_path_is_reported_not_skipped() {
        let found = document_files(&[PathBuf::from("/no/such/readout/folder")]);
        assert_eq!(found.len(), 1);
        assert!(found[0].is_err());
    }

    #[test]
    fn an_import_error_names_the_file_and_the_reason() {
        let err = ImportError {
            name: "bad.txt".into(),
            reason: ImportFailure::Refused(Refused::Binary { offset: 3 }),
        };
        assert_eq!(
            err.to_string(),
            "bad.txt: refused: binary data, not text (a NUL byte at offset 3)"
        );
    }
}
