//! `/export?format=csv|json|ics|atom&…filters`: every engagement of the
//! current view (not one page), streamed a page of the timeline at a time
//! so a million rows never sit in memory, with a file name built from the
//! filter (`readout-country-ukraine-kind-call.csv`).

use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::db::engagements;
use crate::export::{Exporter, FeedInfo, Format};
use crate::model::slugify;
use crate::query::{parse_params, EngagementFilter, PageRequest, ParamError, MAX_LIMIT};
use crate::web::view::href;
use crate::web::{check_search, query_map, AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/export", get(export))
}

/// A writer the stream drains after every page.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Shared {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `http://host` of the request, for the absolute links of ICS and Atom.
/// The Host header is only ever printed escaped.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("127.0.0.1:3000");
    format!("http://{host}")
}

/// `readout-country-ukraine-kind-call`: the filter as a file name.
pub fn file_stem(filter: &EngagementFilter) -> String {
    let mut stem = "readout".to_string();
    for (name, value) in filter.to_pairs() {
        let part = slugify(&format!("{name}-{value}"));
        if stem.len() + part.len() > 100 {
            break;
        }
        stem.push('-');
        stem.push_str(&part);
    }
    stem
}

enum Step {
    Start,
    Page(PageRequest),
    Done,
}

async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, AppError> {
    let raw = query_map(query)?;
    let (given, _) = parse_params(&raw, &["format"])?;
    check_search(&given)?;
    let format = match raw
        .iter()
        .find(|(k, _)| k == "format")
        .map(|(_, v)| v.trim())
    {
        None | Some("") => Format::Csv,
        Some(code) => Format::parse(code).ok_or_else(|| {
            ParamError::new(
                "format",
                format!("“{code}” is not a format; use csv, json, ics or atom"),
            )
        })?,
    };
    let (filter, _) = given.resolve(&state.gazetteer);
    let mut self_pairs = given.to_pairs();
    self_pairs.push(("format", format.extension().to_string()));
    let info = FeedInfo {
        base: base_url(&headers),
        title: if given.is_empty() {
            "Readout: all engagements".to_string()
        } else {
            let parts: Vec<String> = given
                .to_pairs()
                .into_iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect();
            format!("Readout: {}", parts.join(", "))
        },
        self_href: href("/export", &self_pairs),
    };
    let buffer = Shared::default();
    let exporter = Exporter::with_info(format, buffer.clone(), &info).map_err(internal)?;
    let exporter = Arc::new(Mutex::new(Some(exporter)));
    let db = state.db.clone();
    let stream = futures_util::stream::unfold(Step::Start, move |step| {
        let (db, filter, buffer, exporter) =
            (db.clone(), filter.clone(), buffer.clone(), exporter.clone());
        async move {
            let page = match step {
                Step::Done => return None,
                Step::Start => {
                    let head = buffer.take();
                    let first = PageRequest {
                        limit: MAX_LIMIT,
                        ..PageRequest::default()
                    };
                    return Some((Ok::<_, std::io::Error>(head), Step::Page(first)));
                }
                Step::Page(page) => page,
            };
            let batch = match engagements::list(&db, &filter, &page).await {
                Ok(batch) => batch,
                Err(error) => {
                    tracing::error!(%error, "export stopped");
                    return Some((Err(std::io::Error::other("export failed")), Step::Done));
                }
            };
            let mut guard = exporter.lock().unwrap_or_else(|e| e.into_inner());
            let written = match (&batch.next, guard.as_mut()) {
                (_, None) => Ok(()),
                (Some(_), Some(w)) => w.write(&batch.engagements),
                (None, Some(_)) => {
                    let mut w = guard.take().expect("checked above");
                    w.write(&batch.engagements)
                        .and_then(|()| w.finish().map(|_| ()))
                }
            };
            drop(guard);
            if let Err(error) = written {
                tracing::error!(%error, "export stopped");
                return Some((Err(std::io::Error::other("export failed")), Step::Done));
            }
            let next = match batch.next {
                Some(cursor) => Step::Page(PageRequest {
                    cursor: Some(cursor),
                    ..page
                }),
                None => Step::Done,
            };
            Some((Ok(buffer.take()), next))
        }
    });
    let disposition = format!(
        "attachment; filename=\"{}.{}\"",
        file_stem(&given),
        format.extension()
    );
    let mut response = (StatusCode::OK, Body::from_stream(stream)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    if let Ok(value) = HeaderValue::try_from(disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

fn internal(error: crate::export::ExportError) -> AppError {
    AppError::Export(error.to_string())
}
