//! `/engagements/{id}`: the permalink of one engagement, with every source.
//! An id that a rebuild replaced answers with a 301 to the new one.

use askama::Template;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::db::{documents, engagements};
use crate::web::view::{
    document_href, engagement_description, engagement_href, engagement_title, long_date, safe_url,
    Row,
};
use crate::web::{moved_permanently, path_segment, AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/engagements/{id}", get(engagement))
}

/// One source of the engagement, as the page lists it.
struct SourceView {
    document_name: String,
    document_title: String,
    document_href: String,
    published: Option<String>,
    /// The item's or the document's original address, when it is a web one.
    url: Option<String>,
    excerpt: String,
    start: usize,
    end: usize,
}

#[derive(Template)]
#[template(path = "engagement.html")]
struct EngagementPage {
    title: String,
    heading: String,
    description: String,
    row: Row,
    status: &'static str,
    sources: Vec<SourceView>,
    json_href: String,
}

async fn engagement(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Response, AppError> {
    let id = path_segment(path)?;
    let Some(engagement) = engagements::get(&state.db, &id).await? else {
        if let Some(new_id) = engagements::redirect_for(&state.db, &id).await? {
            return Ok(moved_permanently(engagement_href(&new_id), &uri));
        }
        return Err(AppError::not_found(format!(
            "There is no engagement `{id}`."
        )));
    };
    let mut names: Vec<String> = engagement
        .sources
        .iter()
        .map(|s| s.document.clone())
        .collect();
    names.dedup();
    let documents = documents::summaries(&state.db, &names).await?;
    let sources = engagement
        .sources
        .iter()
        .map(|source| {
            let document = documents.iter().find(|d| d.name == source.document);
            SourceView {
                document_name: source.document.clone(),
                document_title: document
                    .and_then(|d| d.title.clone())
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| source.document.clone()),
                document_href: document_href(&source.document),
                published: document.and_then(|d| d.published).map(long_date),
                url: safe_url(
                    source
                        .url
                        .as_deref()
                        .or(document.and_then(|d| d.source_url.as_deref())),
                ),
                excerpt: source.excerpt.clone(),
                start: source.start,
                end: source.end,
            }
        })
        .collect();
    let heading = engagement_title(&engagement);
    let page = EngagementPage {
        title: format!("{heading} — Readout"),
        description: engagement_description(&engagement),
        row: Row::new(&engagement),
        status: engagement.status.as_str(),
        sources,
        json_href: format!("/api{}", engagement_href(&engagement.id)),
        heading,
    };
    Ok(Html(page.render()?).into_response())
}
