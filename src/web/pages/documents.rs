//! `/documents` and `/documents/{name}`: the imported documents, each as
//! imported with the engagements found in it. A document's address is its
//! file name, which stays the same when it is re-imported.

use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::Html;
use axum::routing::get;
use axum::Router;

use crate::db::documents;
use crate::query::ParamError;
use crate::web::export::base_url;
use crate::web::view::{
    absolute, document_href, href, long_date, safe_url, thousands, TimelineView,
};
use crate::web::{path_segment, query_map, AppError, AppState};

/// Documents per page of the list.
const PAGE_SIZE: u32 = 100;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/documents", get(list))
        .route("/documents/{name}", get(document))
}

struct DocumentRow {
    href: String,
    name: String,
    title: Option<String>,
    published: Option<String>,
    shape: &'static str,
    engagements: String,
}

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    title: String,
    documents: Vec<DocumentRow>,
    next_href: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    let params = query_map(query)?;
    if let Some((unknown, _)) = params.iter().find(|(k, _)| k != "after") {
        let shown: String = unknown.chars().take(40).collect();
        return Err(ParamError::new(
            shown.clone(),
            format!("“{shown}” is not a parameter of this page; it takes after"),
        )
        .into());
    }
    let after = params
        .iter()
        .find(|(k, _)| k == "after")
        .map(|(_, v)| v.as_str())
        .filter(|a| !a.is_empty());
    if after.is_some_and(|a| a.len() > 1_000) {
        return Err(ParamError::new("after", "is longer than any document name").into());
    }
    let page = documents::list(&state.db, after, PAGE_SIZE).await?;
    let rows = page
        .documents
        .iter()
        .map(|d| DocumentRow {
            href: document_href(&d.name),
            name: d.name.clone(),
            title: d.title.clone().filter(|t| !t.is_empty()),
            published: d.published.map(long_date),
            shape: d.shape.as_str(),
            engagements: thousands(d.engagements),
        })
        .collect();
    let page_view = DocumentsPage {
        title: "Documents — Readout".to_string(),
        documents: rows,
        next_href: page
            .next_after
            .map(|after| href("/documents", &[("after", after)])),
    };
    Ok(Html(page_view.render()?))
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    title: String,
    heading: String,
    name: String,
    published: Option<String>,
    source_url: Option<String>,
    /// A source URL that is not a web address, shown as text only.
    source_text: Option<String>,
    shape: &'static str,
    imported_at: String,
    content_hash: String,
    count: String,
    more: bool,
    timeline: TimelineView,
    body: Vec<BodyPiece>,
    description: String,
    canonical: String,
}

/// A stretch of the document text; a reported passage is marked and
/// anchored so a permalink's "show in document" lands on it.
struct BodyPiece {
    text: String,
    mark: Option<String>,
    /// Anchors of passages that start here inside an already marked one.
    anchors: Vec<String>,
}

/// The anchor of the passage at bytes `start..end`: `x-8801-9020`.
pub fn passage_id(start: usize, end: usize) -> String {
    format!("x-{start}-{end}")
}

/// `body` cut at the passages `spans` (byte offsets; ones that do not fall
/// on character boundaries inside the text are ignored), overlapping
/// passages anchored where they start.
fn passages(body: &str, mut spans: Vec<(usize, usize)>) -> Vec<BodyPiece> {
    spans.retain(|&(s, e)| {
        s < e && e <= body.len() && body.is_char_boundary(s) && body.is_char_boundary(e)
    });
    spans.sort_unstable();
    spans.dedup();
    let mut pieces = Vec::new();
    let mut at = 0;
    let mut pending: Vec<String> = Vec::new();
    let mut index = 0;
    while index < spans.len() {
        let (start, end) = spans[index];
        if start < at {
            // Inside the passage just marked: an anchor at its start.
            pending.push(passage_id(start, end));
            index += 1;
            continue;
        }
        if start > at {
            pieces.push(BodyPiece {
                text: body[at..start].to_string(),
                mark: None,
                anchors: std::mem::take(&mut pending),
            });
        }
        pieces.push(BodyPiece {
            text: body[start..end].to_string(),
            mark: Some(passage_id(start, end)),
            anchors: std::mem::take(&mut pending),
        });
        at = end;
        index += 1;
    }
    pieces.push(BodyPiece {
        text: body[at..].to_string(),
        mark: None,
        anchors: pending,
    });
    pieces
}

async fn document(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Html<String>, AppError> {
    let name = path_segment(path)?;
    let Some(detail) = documents::get(&state.db, &name).await? else {
        return Err(AppError::not_found(format!(
            "There is no document `{name}`."
        )));
    };
    let document = detail.document;
    let source_url = safe_url(document.source_url.as_deref());
    let heading = document
        .title
        .clone()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| document.name.clone());
    let spans: Vec<(usize, usize)> = detail
        .engagements
        .iter()
        .flat_map(|e| &e.sources)
        .filter(|s| s.document == document.name)
        .map(|s| (s.start, s.end))
        .collect();
    let mut timeline = TimelineView::new(&detail.engagements, None);
    timeline.empty_message = "No engagements were found in this document.".to_string();
    let count = thousands(detail.engagements.len() as u64);
    let published = document.published.map(long_date);
    let description = format!(
        "Source document {}{}, as imported into Readout: {count}{} engagement{} found in it.",
        document.name,
        published
            .as_ref()
            .map(|p| format!(", published {p}"))
            .unwrap_or_default(),
        if detail.more { "+" } else { "" },
        if count == "1" && !detail.more {
            ""
        } else {
            "s"
        },
    );
    let page_view = DocumentPage {
        title: format!("{heading} — Readout"),
        description,
        canonical: absolute(&base_url(&headers), &document_href(&document.name)),
        heading,
        name: document.name.clone(),
        published,
        source_text: document.source_url.clone().filter(|_| source_url.is_none()),
        source_url,
        shape: document.shape.as_str(),
        imported_at: document.imported_at.clone(),
        content_hash: document.content_hash.clone(),
        count,
        more: detail.more,
        timeline,
        body: passages(&document.body, spans),
    };
    Ok(Html(page_view.render()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passages_are_marked_and_overlaps_anchored() {
        let body = "One two three four five.";
        let pieces = passages(body, vec![(4, 13), (8, 18), (30, 40), (0, 1)]);
        let text: String = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(text, body);
        let marks: Vec<&str> = pieces.iter().filter_map(|p| p.mark.as_deref()).collect();
        assert_eq!(marks, vec!["x-0-1", "x-4-13"]);
        assert!(pieces
            .iter()
            .any(|p| p.anchors == vec!["x-8-18".to_string()]));
    }
}
