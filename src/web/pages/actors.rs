//! `/actors/{slug}`: who an actor is, their engagements in the timeline
//! form, and who they meet most. An old slug answers with a 301.

use askama::Template;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::db::{actors, engagements};
use crate::model::{ActorKind, Side};
use crate::query::ParamError;
use crate::query::{parse_page_only, EngagementFilter, PageRequest};
use crate::web::export::base_url;
use crate::web::view::{
    absolute, actor_href, export_links, filter_href, href, long_date, month_span, page_pairs,
    short_date, thousands, wants_weeks, ExportLink, Histogram, TimelineView,
};
use crate::web::{moved_permanently, path_segment, query_map, AppError, AppState};

/// How many counterparts the page lists.
const TOP_COUNTERPARTS: u32 = 15;

/// A row says "first call with … since …" when the previous contact of
/// its kind with that counterpart is more than this many months earlier.
pub const GAP_MONTHS: u32 = 6;

/// How many actors the index lists.
const INDEX_SIZE: u32 = 500;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/actors", get(index))
        .route("/actors/{slug}", get(actor))
}

struct IndexRow {
    name: String,
    href: String,
    kind: &'static str,
    detail: String,
    count: String,
    timeline_href: String,
}

#[derive(Template)]
#[template(path = "actors.html")]
struct IndexPage {
    title: String,
    rows: Vec<IndexRow>,
    /// (label, href, current) for the kind and side choices.
    kinds: Vec<(&'static str, String, bool)>,
    sides: Vec<(&'static str, String, bool)>,
    limit: u32,
}

fn kind_label(kind: ActorKind) -> &'static str {
    match kind {
        ActorKind::Person => "person",
        ActorKind::Organization => "organisation",
        ActorKind::Country => "country",
    }
}

/// `/actors?kind=person|organization|country&side=us|counterpart`.
async fn index(
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    let raw = query_map(query)?;
    let mut kind = None;
    let mut side = None;
    for (name, value) in &raw {
        let value = value.trim();
        match name.as_str() {
            _ if value.is_empty() => {}
            "kind" => {
                kind = Some(ActorKind::parse(value).ok_or_else(|| {
                    ParamError::new("kind", "use person, organization or country")
                })?)
            }
            "side" => {
                side = Some(
                    Side::parse(value)
                        .ok_or_else(|| ParamError::new("side", "use us or counterpart"))?,
                )
            }
            other => {
                let shown: String = other.chars().take(40).collect();
                return Err(ParamError::new(
                    shown.clone(),
                    format!("“{shown}” is not a parameter of this page; it takes kind, side"),
                )
                .into());
            }
        }
    }
    let entries = actors::index(&state.db, kind, side, INDEX_SIZE).await?;
    let link = |k: Option<ActorKind>, s: Option<Side>| {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if let Some(k) = k {
            pairs.push(("kind", k.as_str()));
        }
        if let Some(s) = s {
            pairs.push(("side", s.as_str()));
        }
        href("/actors", &pairs)
    };
    let rows = entries
        .iter()
        .map(|e| {
            let a = &e.actor;
            let param = match (a.kind, side) {
                (ActorKind::Country, _) => "country",
                (_, Some(Side::Us)) => "official",
                _ => "counterpart",
            };
            let value = if a.kind == ActorKind::Country {
                a.name.clone()
            } else {
                a.slug.clone()
            };
            IndexRow {
                name: a.name.clone(),
                href: actor_href(&a.slug),
                kind: kind_label(a.kind),
                detail: [a.title.clone(), a.country.clone(), a.short_name.clone()]
                    .into_iter()
                    .flatten()
                    .filter(|t| t != &a.name)
                    .collect::<Vec<_>>()
                    .join(" · "),
                count: thousands(e.engagements),
                timeline_href: filter_href(param, &value),
            }
        })
        .collect();
    let page = IndexPage {
        title: "Actors — Readout".to_string(),
        rows,
        kinds: std::iter::once((None, "all"))
            .chain(ActorKind::ALL.iter().map(|k| (Some(*k), kind_label(*k))))
            .map(|(k, label)| (label, link(k, side), k == kind))
            .collect(),
        sides: [
            (None, "both sides"),
            (Some(Side::Us), "U.S."),
            (Some(Side::Counterpart), "foreign"),
        ]
        .into_iter()
        .map(|(s, label)| (label, link(kind, s), s == side))
        .collect(),
        limit: INDEX_SIZE,
    };
    Ok(Html(page.render()?))
}

struct CounterpartView {
    name: String,
    count: String,
    actor_href: String,
    /// The timeline of the engagements the two share.
    shared_href: String,
    /// "9 Mar 2021 – 2 Dec 2022": first and last dated contact.
    span: Option<String>,
    /// The same as a sentence, for the `title`.
    span_title: String,
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
    /// Contact dates cover only the newest matches.
    contacts_note: Option<String>,
    histogram: Option<Histogram>,
    timeline_href: String,
    timeline: TimelineView,
    json_href: String,
    exports: Vec<ExportLink>,
    exports_label: &'static str,
    description: String,
    canonical: String,
}

async fn actor(
    State(state): State<AppState>,
    path: Result<Path<String>, PathRejection>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
    uri: Uri,
    headers: HeaderMap,
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
    let other_side = if profile.filter.official.any.is_empty() {
        Side::Us
    } else {
        Side::Counterpart
    };
    // Whom the contact history is about: the listed counterparts and
    // everyone on the other side of this page's rows.
    let mut others: Vec<String> = profile
        .counterparts
        .iter()
        .map(|c| c.value.clone())
        .collect();
    let mut names: Vec<(String, String)> = Vec::new();
    for e in &list.engagements {
        let people = e
            .participants
            .iter()
            .filter(|p| p.side == other_side)
            .map(|p| &p.actor);
        let orgs = e
            .organizations
            .iter()
            .filter(|_| other_side == Side::Counterpart);
        for a in people.chain(orgs) {
            if a.slug != actor.slug && !others.contains(&a.slug) {
                others.push(a.slug.clone());
            }
            names.push((a.slug.clone(), a.name.clone()));
        }
    }
    let ids: Vec<String> = list.engagements.iter().map(|e| e.id.clone()).collect();
    let activity = engagements::activity(&state.db, &profile.filter, &others, &ids).await?;
    let path = actor_href(&actor.slug);
    let paging = EngagementFilter::default();
    let next_href = list
        .next
        .as_ref()
        .map(|cursor| href(&path, &page_pairs(&paging, &page, Some(cursor))));
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
            let contact = activity.contacts.iter().find(|k| k.slug == c.value);
            let (span, span_title) = match contact.and_then(|k| Some((k.first?, k.last?))) {
                Some((first, last)) if first == last => (
                    Some(short_date(first)),
                    format!("One dated contact, on {}", long_date(first)),
                ),
                Some((first, last)) => (
                    Some(format!("{} – {}", short_date(first), short_date(last))),
                    format!(
                        "First contact {}, last {}",
                        long_date(first),
                        long_date(last)
                    ),
                ),
                None => (None, "No dated contact".to_string()),
            };
            CounterpartView {
                name: c.label.clone(),
                count: thousands(c.count),
                actor_href: actor_href(&c.value),
                shared_href: href("/", &shared),
                span,
                span_title,
            }
        })
        .collect();
    let histogram = if wants_weeks(&profile.facets) {
        Histogram::weekly(
            &activity.weeks,
            activity.capped,
            &profile.filter,
            &PageRequest::default(),
        )
    } else {
        Histogram::new(&profile.facets, &profile.filter, &PageRequest::default())
    };
    let total = if profile.facets.capped {
        format!("{}+", thousands(profile.facets.total))
    } else {
        thousands(profile.facets.total)
    };
    let description = actor_description(actor, &total, &profile);
    let mut timeline = TimelineView::new(&list.engagements, next_href);
    timeline.count_months(&profile.facets);
    timeline.flag_gaps(&activity.previous, &names, GAP_MONTHS);
    let page_view = ActorPage {
        title: format!("{} — Readout", actor.name),
        exports: export_links(&profile.filter),
        exports_label: "Download their engagements",
        description,
        canonical: absolute(&base_url(&headers), &path),
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
        timeline,
        histogram,
        contacts_note: activity.capped.then(|| {
            format!(
                "First and last contacts among the newest {} engagements.",
                thousands(engagements::FACET_CAP)
            )
        }),
        json_href: format!("/api{path}"),
    };
    Ok(Html(page_view.render()?).into_response())
}

/// "Antony Blinken, Secretary of State (United States): 38 engagements from
/// March 2021 to December 2022, most often with Dmytro Kuleba (6), …": the
/// page in a sentence, for link previews.
fn actor_description(
    actor: &crate::model::Actor,
    total: &str,
    profile: &actors::Profile,
) -> String {
    let mut text = actor.name.clone();
    if let Some(office) = actor.title.as_deref().filter(|t| !t.is_empty()) {
        text.push_str(&format!(", {office}"));
    }
    if let Some(country) = actor.country.as_deref().filter(|c| *c != actor.name) {
        text.push_str(&format!(" ({country})"));
    }
    let noun = if total == "1" {
        "engagement"
    } else {
        "engagements"
    };
    text.push_str(&format!(": {total} {noun}"));
    match month_span(&profile.facets).filter(|_| !profile.facets.capped) {
        Some((first, last)) if first == last => text.push_str(&format!(" in {first}")),
        Some((first, last)) => text.push_str(&format!(" from {first} to {last}")),
        None => {}
    }
    let top: Vec<String> = profile
        .counterparts
        .iter()
        .take(3)
        .map(|c| format!("{} ({})", c.label, thousands(c.count)))
        .collect();
    if !top.is_empty() {
        text.push_str(&format!(", most often with {}", top.join(", ")));
    }
    text.push('.');
    text
}
