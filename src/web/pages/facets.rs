//! `/facets/{param}?…filters`: every country, counterpart or U.S. official
//! of the current view with its count (the timeline's sidebar lists the
//! top ten), each a link that narrows the timeline or leaves the value out.

use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;

use crate::db::engagements;
use crate::query::parse_params;
use crate::web::view::{href, view_pairs, FacetGroup, FacetsView};
use crate::web::{check_search, path_segment, query_map, AppError, AppState};

/// How many values the page lists at most.
pub const FACET_PAGE_TOP: u32 = 500;

pub fn router() -> Router<AppState> {
    Router::new().route("/facets/{param}", get(facet))
}

#[derive(Template)]
#[template(path = "facet.html")]
struct FacetPage {
    title: String,
    heading: String,
    group: FacetGroup,
    total: String,
    note: Option<String>,
    back_href: String,
    limit: u32,
}

async fn facet(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    let param = path_segment(path)?;
    let Some(title) = (match param.as_str() {
        "country" => Some("Countries"),
        "counterpart" => Some("Counterparts"),
        "official" => Some("U.S. officials"),
        _ => None,
    }) else {
        return Err(AppError::not_found(format!(
            "There is no facet `{param}`; there are country, counterpart and official."
        )));
    };
    let (given, page) = parse_params(&query_map(query)?, &["view"])?;
    check_search(&given)?;
    let (filter, _) = given.resolve(&state.gazetteer);
    let facets = engagements::facets_top(&state.db, &filter, FACET_PAGE_TOP).await?;
    let view = FacetsView::new(&facets, &given, &page);
    let group = view
        .groups
        .into_iter()
        .find(|g| g.param == param)
        .unwrap_or(FacetGroup {
            title,
            param: "",
            items: Vec::new(),
            all: None,
        });
    let mut back = given.to_pairs();
    back.extend(view_pairs(&page));
    let heading = if given.is_empty() {
        format!("{title} of all engagements")
    } else {
        format!("{title} of the filtered engagements")
    };
    Ok(Html(
        FacetPage {
            title: format!("{heading} — Readout"),
            heading,
            group,
            total: view.total,
            note: view.note,
            back_href: href("/", &back),
            limit: FACET_PAGE_TOP,
        }
        .render()?,
    ))
}
