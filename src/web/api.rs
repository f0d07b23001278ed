//! `/api/…`: JSON mirrors of the pages, with the same filters. Errors are
//! `{"error": "…"}` with the page's status.

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::db::engagements::{self, Facets};
use crate::db::{actors, documents};
use crate::model::{Actor, Engagement};
use crate::query::{parse_page_only, parse_params, ParamError};
use crate::web::view::encode;
use crate::web::{check_search, moved_permanently, path_segment, query_map, ApiError, AppState};

/// How many counterparts `/api/actors/{slug}` lists.
const TOP_COUNTERPARTS: u32 = 25;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/engagements", get(list))
        .route("/api/engagements/{id}", get(engagement))
        .route("/api/actors/{slug}", get(actor))
        .route("/api/documents/{name}", get(document))
}

#[derive(Serialize)]
struct EngagementList {
    engagements: Vec<Engagement>,
    /// Pass back as `cursor` for the next page; null on the last.
    next_cursor: Option<String>,
    /// With `facets=true`.
    #[serde(skip_serializing_if = "Option::is_none")]
    facets: Option<Facets>,
}

/// `facets=true|false` (also 1/0, yes/no); absent is false.
fn wants_facets(params: &[(String, String)]) -> Result<bool, ParamError> {
    match params
        .iter()
        .find(|(k, _)| k == "facets")
        .map(|(_, v)| v.trim())
    {
        None | Some("") | Some("false") | Some("0") | Some("no") => Ok(false),
        Some("true") | Some("1") | Some("yes") => Ok(true),
        Some(other) => Err(ParamError::new(
            "facets",
            format!("“{other}” is not true or false"),
        )),
    }
}

async fn list(
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Json<EngagementList>, ApiError> {
    let params = query_map(query)?;
    let (given, page) = parse_params(&params, &["facets"])?;
    check_search(&given)?;
    let (filter, _) = given.resolve(&state.gazetteer);
    let with_facets = wants_facets(&params)?;
    let (list, facets) = tokio::try_join!(engagements::list(&state.db, &filter, &page), async {
        if with_facets {
            engagements::facets(&state.db, &filter).await.map(Some)
        } else {
            Ok(None)
        }
    })?;
    Ok(Json(EngagementList {
        engagements: list.engagements,
        next_cursor: list.next.map(|c| c.encode()),
        facets,
    }))
}

async fn engagement(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let id = path_segment(path)?;
    match engagements::get(&state.db, &id).await? {
        Some(engagement) => Ok(Json(engagement).into_response()),
        None => match engagements::redirect_for(&state.db, &id).await? {
            Some(new_id) => Ok(moved_permanently(
                format!("/api/engagements/{}", encode(&new_id)),
                &uri,
            )),
            None => Err(
                crate::web::AppError::not_found(format!("There is no engagement `{id}`.")).into(),
            ),
        },
    }
}

#[derive(Serialize)]
struct CounterpartCount {
    slug: String,
    name: String,
    count: u64,
}

#[derive(Serialize)]
struct ActorBody {
    actor: Actor,
    /// Matching engagements (a floor when `capped`).
    total: u64,
    capped: bool,
    counterparts: Vec<CounterpartCount>,
    engagements: Vec<Engagement>,
    next_cursor: Option<String>,
}

async fn actor(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    uri: Uri,
) -> Result<Response, ApiError> {
    let slug = path_segment(path)?;
    let page = parse_page_only(&query_map(query)?, &[])?;
    let Some(profile) = actors::profile(&state.db, &slug, TOP_COUNTERPARTS).await? else {
        if let Some(new_slug) = actors::redirect_for(&state.db, &slug).await? {
            return Ok(moved_permanently(
                format!("/api/actors/{}", encode(&new_slug)),
                &uri,
            ));
        }
        return Err(crate::web::AppError::not_found(format!("There is no actor `{slug}`.")).into());
    };
    let list = engagements::list(&state.db, &profile.filter, &page).await?;
    Ok(Json(ActorBody {
        total: profile.facets.total,
        capped: profile.facets.capped,
        counterparts: profile
            .counterparts
            .into_iter()
            .map(|c| CounterpartCount {
                slug: c.value,
                name: c.label,
                count: c.count,
            })
            .collect(),
        actor: profile.actor,
        engagements: list.engagements,
        next_cursor: list.next.map(|c| c.encode()),
    })
    .into_response())
}

async fn document(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Json<documents::DocumentDetail>, ApiError> {
    let name = path_segment(path)?;
    documents::get(&state.db, &name)
        .await?
        .map(Json)
        .ok_or_else(|| {
            crate::web::AppError::not_found(format!("There is no document `{name}`.")).into()
        })
}
