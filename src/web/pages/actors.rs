//! `/actors/{slug}`: who an actor is, their engagements in the timeline
//! form, and who they meet most. An old slug answers with a 301.

use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::db::{actors, engagements};
use crate::model::ActorKind;
use crate::query::{parse_page_only, EngagementFilter};
use crate::web::view::{actor_href, filter_href, href, page_pairs, thousands, TimelineView};
use crate::web::{moved_permanently, path_segment, query_map, AppError, AppState};

/// How many counterparts the page lists.
const TOP_COUNTERPARTS: u32 = 15;

pub fn router() -> Router<AppState> {
    Router::new().route("/actors/{slug}", get(actor))
}

struct CounterpartView {
    name: String,
    count: String,
    actor_href: String,
    /// The timeline of the engagements the two share.
    shared_href: String,
}

#[derive(Template)]
#[template(path = "actor.html")]
struct ActorPage {
    title: String,
    name: String,
    kind: &'static str,
    short_name: Option<String>,
    office: Option<String>,
    country: Option<(String, String)>,
    total: String,
    counterparts_heading: &'static str,
    counterparts: Vec<CounterpartView>,
    timeline_href: String,
    timeline: TimelineView,
    json_href: String,
}

async fn actor(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    uri: Uri,
) -> Result<Response, AppError> {
    let slug = path_segment(path)?;
    // Only paging applies here; the actor is the filter.
    let page = parse_page_only(&query_map(query)?, &[])?;
    let Some(profile) = actors::profile(&state.db, &slug, TOP_COUNTERPARTS).await? else {
        if let Some(new_slug) = actors::redirect_for(&state.db, &slug).await? {
            return Ok(moved_permanently(actor_href(&new_slug), &uri));
        }
        return Err(AppError::not_found(format!("There is no actor `{slug}`.")));
    };
    let list = engagements::list(&state.db, &profile.filter, &page).await?;
    let actor = &profile.actor;
    let path = actor_href(&actor.slug);
    let paging = EngagementFilter::default();
    let next_href = list.next.as_ref().map(|cursor| {
        href(
            &path,
            &page_pairs(&paging, page.limit, page.order, Some(cursor)),
        )
    });
    let (other_param, counterparts_heading) = if !profile.filter.official.any.is_empty() {
        ("counterpart", "Most frequent counterparts")
    } else {
        ("official", "Most frequent U.S. officials")
    };
    let counterparts = profile
        .counterparts
        .iter()
        .map(|c| {
            let mut shared = profile.filter.to_pairs();
            shared.push((other_param, c.value.clone()));
            CounterpartView {
                name: c.label.clone(),
                count: thousands(c.count),
                actor_href: actor_href(&c.value),
                shared_href: href("/", &shared),
            }
        })
        .collect();
    let total = if profile.facets.capped {
        format!("{}+", thousands(profile.facets.total))
    } else {
        thousands(profile.facets.total)
    };
    let page_view = ActorPage {
        title: format!("{} — Readout", actor.name),
        name: actor.name.clone(),
        kind: match actor.kind {
            ActorKind::Person => "person",
            ActorKind::Organization => "organisation",
            ActorKind::Country => "country",
        },
        short_name: actor.short_name.clone().filter(|s| s != &actor.name),
        office: actor.title.clone(),
        country: actor
            .country
            .clone()
            .map(|c| (filter_href("country", &c), c)),
        total,
        counterparts_heading,
        counterparts,
        timeline_href: href("/", &profile.filter.to_pairs()),
        timeline: TimelineView::new(&list.engagements, next_href),
        json_href: format!("/api{path}"),
    };
    Ok(Html(page_view.render()?).into_response())
}
