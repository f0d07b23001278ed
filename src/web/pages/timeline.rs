//! `/`: the timeline with its filter form and facet counts.

use std::collections::HashMap;

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;

use crate::db::engagements;
use crate::query::parse_params;
use crate::web::view::{
    active_filters, href, page_pairs, ActiveFilter, FacetsView, FormView, TimelineView,
};
use crate::web::{check_search, query_map, AppError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(timeline))
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelinePage {
    title: String,
    form: FormView,
    active: Vec<ActiveFilter>,
    facets: FacetsView,
    timeline: TimelineView,
    /// Set on later pages: back to the newest rows of the same filter.
    first_page_href: Option<String>,
    json_href: String,
}

async fn timeline(
    State(state): State<AppState>,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    let (filter, page) = parse_params(&query_map(query)?)?;
    check_search(&filter)?;
    let (list, facets) = tokio::try_join!(
        engagements::list(&state.db, &filter, &page),
        engagements::facets(&state.db, &filter),
    )?;
    let next_href = list
        .next
        .as_ref()
        .map(|cursor| href("/", &page_pairs(&filter, page.limit, Some(cursor))));
    let mut timeline = TimelineView::new(&list.engagements, next_href);
    if filter.is_empty() && page.cursor.is_none() {
        timeline.empty_message =
            "No engagements yet. Import documents with `readout import PATH…`.".to_string();
    }
    let title = if filter.is_empty() {
        "Readout — diplomatic engagements".to_string()
    } else {
        let described: Vec<String> = filter
            .to_pairs()
            .into_iter()
            .map(|(name, value)| format!("{name} {value}"))
            .collect();
        format!("Engagements, {} — Readout", described.join(", "))
    };
    let page_view = TimelinePage {
        title,
        form: FormView::new(&filter, &page),
        active: active_filters(&filter, &page),
        facets: FacetsView::new(&facets, &filter, &page),
        timeline,
        first_page_href: page
            .cursor
            .is_some()
            .then(|| href("/", &page_pairs(&filter, page.limit, None))),
        json_href: href(
            "/api/engagements",
            &page_pairs(&filter, page.limit, page.cursor.as_ref()),
        ),
    };
    Ok(Html(page_view.render()?))
}
