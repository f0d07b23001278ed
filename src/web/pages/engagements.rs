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
use axum::http::HeaderMap;
use chrono::Utc;

use crate::model::{Side, Status};
use crate::web::export::base_url;
use crate::web::pages::documents::passage_id;
use crate::web::view::{
    document_href, engagement_description, engagement_href, engagement_title, long_date, safe_url,
    ActorLink, Row,
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
    /// The passage in the document as imported.
    passage_href: String,
    /// 1-based, to say which sources name a participant.
    number: usize,
}

/// A participant and which sources' excerpts name them.
struct ParticipantView {
    link: ActorLink,
    named_in: String,
    /// No excerpt names them: they come from context, not a quotation.
    unnamed: bool,
}

/// The words an excerpt would use to name `link`: a person's last name,
/// an organisation's acronym or name.
fn naming_words(link: &ActorLink, short: Option<&str>) -> Vec<String> {
    let mut words = Vec::new();
    let base = link.name.split(" (").next().unwrap_or(&link.name);
    if let Some(last) = base.split_whitespace().last() {
        words.push(last.to_lowercase());
    }
    words.push(base.to_lowercase());
    if let Some(short) = short {
        words.push(short.to_lowercase());
    }
    words
}

fn participants(
    links: &[ActorLink],
    excerpts: &[String],
    shorts: &[Option<String>],
) -> Vec<ParticipantView> {
    links
        .iter()
        .enumerate()
        .map(|(index, link)| {
            let words = naming_words(link, shorts.get(index).and_then(|s| s.as_deref()));
            let named: Vec<String> = excerpts
                .iter()
                .enumerate()
                .filter(|(_, e)| {
                    let e = deunicode::deunicode(e).to_lowercase();
                    words.iter().any(|w| e.contains(&deunicode::deunicode(w)))
                })
                .map(|(i, _)| (i + 1).to_string())
                .collect();
            ParticipantView {
                link: link.clone(),
                unnamed: named.is_empty(),
                named_in: match named.len() {
                    0 => String::new(),
                    1 => format!("named in source {}", named[0]),
                    _ => format!("named in sources {}", named.join(", ")),
                },
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "engagement.html")]
struct EngagementPage {
    title: String,
    heading: String,
    description: String,
    row: Row,
    status: &'static str,
    /// "planned — no report that it was held" once its day has passed.
    stale_plan: bool,
    us: Vec<ParticipantView>,
    counterparts: Vec<ParticipantView>,
    sources: Vec<SourceView>,
    json_href: String,
    canonical: String,
    citation: String,
}

async fn engagement(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
    headers: HeaderMap,
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
                passage_href: format!(
                    "{}#{}",
                    document_href(&source.document),
                    passage_id(source.start, source.end)
                ),
                number: 0,
            }
        })
        .collect::<Vec<_>>();
    let mut sources = sources;
    for (index, source) in sources.iter_mut().enumerate() {
        source.number = index + 1;
    }
    let excerpts: Vec<String> = engagement
        .sources
        .iter()
        .map(|s| s.excerpt.clone())
        .collect();
    let row = Row::new(&engagement);
    let shorts = |side: Side| -> Vec<Option<String>> {
        engagement
            .participants
            .iter()
            .filter(|p| p.side == side)
            .map(|p| p.actor.short_name.clone())
            .collect()
    };
    let us = participants(&row.us, &excerpts, &shorts(Side::Us));
    let counterparts = participants(&row.counterparts, &excerpts, &shorts(Side::Counterpart));
    let canonical = format!("{}{}", base_url(&headers), row.href);
    let today = Utc::now().date_naive();
    let stale_plan = engagement.status == Status::Planned
        && engagement
            .end_date
            .or(engagement.date)
            .is_some_and(|d| d < today);
    let heading = engagement_title(&engagement);
    let citation = format!(
        "“{heading}.” Readout, engagement {}, from {}. {canonical} (accessed {}).",
        engagement.id,
        row.sources_label(),
        long_date(today)
    );
    let page = EngagementPage {
        title: format!("{heading} — Readout"),
        description: engagement_description(&engagement),
        status: engagement.status.as_str(),
        stale_plan,
        us,
        counterparts,
        sources,
        json_href: format!("/api{}", engagement_href(&engagement.id)),
        canonical,
        citation,
        row,
        heading,
    };
    Ok(Html(page.render()?).into_response())
}
