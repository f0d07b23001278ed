//! Read queries for source documents: one document as imported with the
//! engagements found in it, and the list of documents.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

use super::engagements::{self, parse_code, parse_date};
use super::{Db, DbError};
use crate::model::{Engagement, Shape};

/// A document page lists at most this many of its engagements.
pub const MAX_ENGAGEMENTS: u32 = 1_000;

/// A document as imported. Its permanent address is its file `name`
/// (unique, and unlike the row id it survives a re-import).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Document {
    pub name: String,
    pub content_hash: String,
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub source_url: Option<String>,
    pub shape: Shape,
    /// RFC 3339.
    pub imported_at: String,
    pub body: String,
}

/// A document page: the document and the engagements found in it, newest
/// first; `more` when there were over [`MAX_ENGAGEMENTS`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentDetail {
    pub document: Document,
    pub engagements: Vec<Engagement>,
    pub more: bool,
}

/// A document without its body, with how many engagements it reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentSummary {
    pub name: String,
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub source_url: Option<String>,
    pub shape: Shape,
    pub imported_at: String,
    pub engagements: u64,
}

/// One page of documents by name, and the name the next page starts after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentPage {
    pub documents: Vec<DocumentSummary>,
    pub next_after: Option<String>,
}

const SUMMARY_COLUMNS: &str = "d.name, d.title, d.published, d.source_url, d.shape, \
     d.imported_at, (SELECT COUNT(DISTINCT v.engagement_id) FROM evidence v \
     WHERE v.document_id = d.id)";

/// The document imported under `name`, with its engagements.
#[tracing::instrument(skip_all)]
pub async fn get(db: &Db, name: &str) -> Result<Option<DocumentDetail>, DbError> {
    let row = sqlx::query(
        "SELECT d.id, d.name, d.content_hash, d.title, d.published, d.source_url, d.shape, \
                d.imported_at, d.body \
         FROM documents d WHERE d.name = ?",
    )
    .bind(name)
    .fetch_optional(&db.reader)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let id: i64 = row.try_get(0)?;
    let document = Document {
        name: row.try_get(1)?,
        content_hash: row.try_get(2)?,
        title: row.try_get(3)?,
        published: parse_date(row.try_get(4)?)?,
        source_url: row.try_get(5)?,
        shape: parse_code(row.try_get(6)?, Shape::parse, "shape")?,
        imported_at: row.try_get(7)?,
        body: row.try_get(8)?,
    };
    let mut ids: Vec<String> = sqlx::query_scalar(
        "SELECT e.id FROM engagements e \
         WHERE e.id IN (SELECT v.engagement_id FROM evidence v WHERE v.document_id = ?) \
         ORDER BY e.sort_date DESC, e.id DESC LIMIT ?",
    )
    .bind(id)
    .bind(i64::from(MAX_ENGAGEMENTS) + 1)
    .fetch_all(&db.reader)
    .await?;
    let more = ids.len() > MAX_ENGAGEMENTS as usize;
    ids.truncate(MAX_ENGAGEMENTS as usize);
    let engagements = engagements::load(db, &ids).await?;
    Ok(Some(DocumentDetail {
        document,
        engagements,
        more,
    }))
}

/// Up to `limit` documents by name, after `after` (keyset, like the
/// timeline, so a long list pages cheaply).
#[tracing::instrument(skip_all)]
pub async fn list(db: &Db, after: Option<&str>, limit: u32) -> Result<DocumentPage, DbError> {
    let limit = limit.max(1);
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM documents d WHERE d.name > ? ORDER BY d.name LIMIT ?"
    ))
    .bind(after.unwrap_or(""))
    .bind(i64::from(limit) + 1)
    .fetch_all(&db.reader)
    .await?;
    let mut documents = rows
        .iter()
        .map(summary_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let next_after = if documents.len() > limit as usize {
        documents.truncate(limit as usize);
        documents.last().map(|d| d.name.clone())
    } else {
        None
    };
    Ok(DocumentPage {
        documents,
        next_after,
    })
}

/// Summaries of the documents with these names, in the order given
/// (unknown names are skipped): the sources of an engagement page.
#[tracing::instrument(skip_all)]
pub async fn summaries(db: &Db, names: &[String]) -> Result<Vec<DocumentSummary>, DbError> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let names_json = serde_json::to_string(names).expect("strings serialise");
    let rows = sqlx::query(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM documents d \
         WHERE d.name IN (SELECT value FROM json_each(?))"
    ))
    .bind(names_json)
    .fetch_all(&db.reader)
    .await?;
    let mut found = rows
        .iter()
        .map(summary_from_row)
        .collect::<Result<Vec<_>, _>>()?;
    found.sort_by_key(|d| names.iter().position(|n| n == &d.name));
    Ok(found)
}

fn summary_from_row(row: &SqliteRow) -> Result<DocumentSummary, DbError> {
    Ok(DocumentSummary {
        name: row.try_get(0)?,
        title: row.try_get(1)?,
        published: parse_date(row.try_get(2)?)?,
        source_url: row.try_get(3)?,
        shape: parse_code(row.try_get(4)?, Shape::parse, "shape")?,
        imported_at: row.try_get(5)?,
        engagements: row.try_get::<i64, _>(6)?.max(0) as u64,
    })
}
