//! Storing documents: one file's bytes become a `documents` row and its
//! `mentions`, in one transaction, so a failure never leaves half a document
//! behind. The derived tables (actors, engagements …) are left to
//! [`super::rebuild`], which the caller runs once per batch, not per file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{SecondsFormat, Utc};
use sha2::{Digest, Sha256};
use sqlx::Row;

use super::rebuild::{self, RebuildStats};
use super::{Db, DbError};
use crate::gazetteer::Gazetteer;
use crate::ingest::{self, IngestError};
use crate::model::{ParsedDocument, Shape};

/// What importing one document did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportOutcome {
    /// A document of this name was not stored before.
    Imported { shape: Shape, mentions: usize },
    /// A document of this name with other content was replaced.
    Replaced { shape: Shape, mentions: usize },
    /// The same name with the same content is already stored: nothing written.
    Unchanged { shape: Shape, mentions: usize },
}

impl ImportOutcome {
    pub fn shape(&self) -> Shape {
        match *self {
            ImportOutcome::Imported { shape, .. }
            | ImportOutcome::Replaced { shape, .. }
            | ImportOutcome::Unchanged { shape, .. } => shape,
        }
    }

    pub fn mentions(&self) -> usize {
        match *self {
            ImportOutcome::Imported { mentions, .. }
            | ImportOutcome::Replaced { mentions, .. }
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
    #[error("not UTF-8 text (invalid byte at offset {0})")]
    NotUtf8(usize),
    #[error("{0}")]
    Parse(IngestError),
    /// Documents are keyed by file name, so a second file of the same name
    /// in one batch would silently replace the first.
    #[error("{} has the same file name and was imported instead", .0.display())]
    SameName(PathBuf),
    #[error(transparent)]
    Db(#[from] DbError),
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

/// Imports one document's bytes under `name` (its file name). Re-importing
/// the same content changes nothing; new content replaces what the document
/// contributed before. Run [`rebuild::rebuild`] after a batch of these.
#[tracing::instrument(skip_all, fields(name = %name))]
pub async fn import_document(
    db: &Db,
    name: &str,
    bytes: &[u8],
    gazetteer: &Gazetteer,
) -> Result<ImportOutcome, ImportError> {
    let fail = |reason: ImportFailure| ImportError {
        name: name.to_string(),
        reason,
    };
    let text =
        std::str::from_utf8(bytes).map_err(|e| fail(ImportFailure::NotUtf8(e.valid_up_to())))?;
    let hash = content_hash(bytes);
    if let Some(stored) = stored_document(db, name)
        .await
        .map_err(|e| fail(e.into()))?
    {
        if stored.hash == hash {
            return Ok(ImportOutcome::Unchanged {
                shape: stored.shape,
                mentions: stored.mentions,
            });
        }
    }
    let parsed = ingest::parse(name, text, gazetteer).map_err(|e| fail(ImportFailure::Parse(e)))?;
    store_parsed(db, name, &hash, text, &parsed)
        .await
        .map_err(|e| fail(e.into()))
}

struct StoredDocument {
    hash: String,
    shape: Shape,
    mentions: usize,
}

#[tracing::instrument(skip_all)]
async fn stored_document(db: &Db, name: &str) -> Result<Option<StoredDocument>, DbError> {
    let row = sqlx::query(
        "SELECT content_hash, shape, \
                (SELECT COUNT(*) FROM mentions WHERE mentions.document_id = documents.id) AS mentions \
         FROM documents WHERE name = ?",
    )
    .bind(name)
    .fetch_optional(&db.reader)
    .await?;
    Ok(row.map(|row| StoredDocument {
        hash: row.get("content_hash"),
        // A shape code this build does not know can only come from another
        // version; treating it as headerless just shows in the report.
        shape: Shape::parse(row.get::<&str, _>("shape")).unwrap_or(Shape::Headerless),
        mentions: row.get::<i64, _>("mentions") as usize,
    }))
}

/// Stores a parsed document and its mentions in one transaction, replacing
/// any document of the same name. Public so tests can store hand-made
/// mentions without the extractor.
///
/// Mentions are rewritten in place by ordinal rather than deleted and
/// re-inserted: a corrected document keeps its mention row ids, so the
/// rebuild can still tell which new engagement an old one became (and
/// redirect its permalink), and unchanged excerpts keep their search index.
#[tracing::instrument(skip_all, fields(name = %name))]
pub async fn store_parsed(
    db: &Db,
    name: &str,
    hash: &str,
    body: &str,
    parsed: &ParsedDocument,
) -> Result<ImportOutcome, DbError> {
    // IMMEDIATE takes the write lock up front, so another process writing
    // between our read and our write cannot make the commit fail.
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let existed: Option<i64> = sqlx::query_scalar("SELECT id FROM documents WHERE name = ?")
        .bind(name)
        .fetch_optional(&mut *tx)
        .await?;
    let imported_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let document_id: i64 = sqlx::query_scalar(
        "INSERT INTO documents \
             (name, content_hash, title, published, source_url, shape, imported_at, body) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (name) DO UPDATE SET \
             content_hash = excluded.content_hash, title = excluded.title, \
             published = excluded.published, source_url = excluded.source_url, \
             shape = excluded.shape, imported_at = excluded.imported_at, body = excluded.body \
         RETURNING id",
    )
    .bind(name)
    .bind(hash)
    .bind(&parsed.meta.title)
    .bind(parsed.meta.published.map(|d| d.to_string()))
    .bind(&parsed.meta.source_url)
    .bind(parsed.shape.as_str())
    .bind(&imported_at)
    .bind(body)
    .fetch_one(&mut *tx)
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
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("DELETE FROM mentions WHERE document_id = ? AND ordinal >= ?")
        .bind(document_id)
        .bind(parsed.mentions.len() as i64)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;

    let (shape, mentions) = (parsed.shape, parsed.mentions.len());
    Ok(if existed.is_some() {
        ImportOutcome::Replaced { shape, mentions }
    } else {
        ImportOutcome::Imported { shape, mentions }
    })
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
    /// New and replaced documents.
    pub imported: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub rebuild: RebuildStats,
}

impl ImportSummary {
    pub fn all_imported(&self) -> bool {
        self.failed == 0
    }
}

/// Imports files and folders (recursively, `*.txt` and `*.md`, in file-name
/// order), each document in its own transaction, then rebuilds the derived
/// tables once. A file that cannot be read, decoded or parsed is reported
/// and the others still import. `on_result` sees every file, in order, once
/// the rebuild has counted its engagements. Only a failing rebuild is an
/// error of the whole call.
#[tracing::instrument(skip_all)]
pub async fn import_paths(
    db: &Db,
    paths: &[PathBuf],
    gazetteer: &Gazetteer,
    mut on_result: impl FnMut(&DocumentReport),
) -> Result<ImportSummary, DbError> {
    let mut reports = Vec::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for found in document_files(paths) {
        let (path, name, result) = match found {
            Err((path, source)) => {
                let name = file_name(&path);
                let reason = ImportFailure::Read {
                    path: path.clone(),
                    source,
                };
                (path, name.clone(), Err(ImportError { name, reason }))
            }
            Ok(path) => {
                let name = file_name(&path);
                let result = match seen.get(&name) {
                    Some(first) if same_file(first, &path) => continue,
                    Some(first) => Err(ImportError {
                        name: name.clone(),
                        reason: ImportFailure::SameName(first.clone()),
                    }),
                    None => {
                        seen.insert(name.clone(), path.clone());
                        import_file(db, &path, &name, gazetteer).await
                    }
                };
                (path, name, result)
            }
        };
        if let Err(err) = &result {
            tracing::debug!(%err, "import failed");
        }
        reports.push((path, name, result));
    }

    let stats = rebuild::rebuild(db, gazetteer).await?;
    let mut summary = ImportSummary {
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

async fn import_file(
    db: &Db,
    path: &Path,
    name: &str,
    gazetteer: &Gazetteer,
) -> Result<ImportOutcome, ImportError> {
    let bytes = tokio::fs::read(path).await.map_err(|source| ImportError {
        name: name.to_string(),
        reason: ImportFailure::Read {
            path: path.to_path_buf(),
            source,
        },
    })?;
    import_document(db, name, &bytes, gazetteer).await
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
            reason: ImportFailure::NotUtf8(3),
        };
        assert_eq!(
            err.to_string(),
            "bad.txt: not UTF-8 text (invalid byte at offset 3)"
        );
    }
}
