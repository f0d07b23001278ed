//! `/`: the timeline with its filter form and facet counts.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Html;
use axum::routing::get;
use axum::Router;

use crate::db::engagements::{self, EngagementPage, Facets};
use crate::query::{parse_params, EngagementFilter, PageRequest, View};
use crate::web::export::base_url;
use crate::web::view::{
    absolute, active_filters, export_links, href, month_span, page_pairs, param_label, thousands,
    view_pairs, wants_weeks, ActiveFilter, ExportLink, FacetsView, FormView, Histogram,
    TimelineView,
};
use crate::web::{check_search, query_map, AppError, AppState};

/// Counting beyond this for a notice or a suggestion is never worth it.
const NOTICE_CAP: u32 = 10_000;

/// How many names of each kind the form suggests.
const NAME_SUGGESTIONS: u32 = 50;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(timeline))
}

/// "without kind: visit — 8": a way out of an empty result.
pub struct Suggestion {
    pub text: String,
    pub count: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelinePage {
    title: String,
    description: String,
    form: FormView,
    active: Vec<ActiveFilter>,
    facets: FacetsView,
    histogram: Option<Histogram>,
    timeline: TimelineView,
    /// "Showing 51–100 of 126".
    showing: String,
    previous_href: Option<String>,
    /// "12 undated engagements are left out by the dates" and the link.
    undated: Option<(String, String)>,
    suggestions: Vec<Suggestion>,
    oldest_href: String,
    newest_href: String,
    oldest: bool,
    exports: Vec<ExportLink>,
    exports_label: &'static str,
    json_href: String,
    /// The absolute address of this view (filter, order, limit; no cursor).
    canonical: String,
    /// The compact table instead of the list.
    table: bool,
    list_href: String,
    table_href: String,
}

async fn timeline(
    State(state): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    let (given, page) = parse_params(&query_map(query)?, &["view"])?;
    check_search(&given)?;
    let (filter, resolved) = given.resolve(&state.gazetteer);
    let dated = given.from.is_some() || given.to.is_some();
    let everything = EngagementFilter::default();
    let (list, facets, names, undated) = tokio::try_join!(
        engagements::list(&state.db, &filter, &page),
        engagements::facets(&state.db, &filter),
        // The whole database's most frequent names, for the form's
        // suggestions (stored counts: no counting per request).
        engagements::facets_top(&state.db, &everything, NAME_SUGGESTIONS),
        async {
            if dated {
                engagements::undated_count(&state.db, &filter, NOTICE_CAP).await
            } else {
                Ok(0)
            }
        }
    )?;
    let histogram = if wants_weeks(&facets) {
        let activity = engagements::activity(&state.db, &filter, &[], &[]).await?;
        Histogram::weekly(&activity.weeks, activity.capped, &given, &page)
    } else {
        Histogram::new(&facets, &given, &page)
    };
    let link = |cursor| href("/", &page_pairs(&given, &page, cursor));
    let next_href = list.next.as_ref().map(|c| link(Some(c)));
    let mut timeline = TimelineView::new(&list.engagements, next_href);
    timeline.narrow(&given, &page);
    timeline.mark(filter.q.as_deref());
    timeline.count_months(&facets);
    if given.is_empty() && page.cursor.is_none() {
        timeline.empty_message =
            "No engagements yet. Import documents with `readout import PATH…`.".to_string();
    }
    let suggestions = if list.engagements.is_empty() && !given.is_empty() {
        suggestions(&state, &given, &page).await?
    } else {
        Vec::new()
    };
    let description = describe(&given, &facets, true);
    let title = if given.is_empty() {
        "Readout — diplomatic engagements".to_string()
    } else {
        format!("{} — Readout", describe(&given, &facets, false))
    };
    let order_link = |order| {
        let mut p = page.clone();
        p.order = order;
        href("/", &page_pairs(&given, &p, None))
    };
    let view_link = |view| {
        let mut p = page.clone();
        p.view = view;
        href("/", &page_pairs(&given, &p, p.cursor.as_ref()))
    };
    let mut canonical_pairs = given.to_pairs();
    canonical_pairs.extend(view_pairs(&page));
    let page_view = TimelinePage {
        title,
        description,
        form: FormView::new(&given, &page).with_suggestions(&names),
        table: page.view == View::Table,
        list_href: view_link(View::List),
        table_href: view_link(View::Table),
        active: active_filters(&given, &page, &resolved),
        histogram,
        facets: FacetsView::new(&facets, &given, &page),
        showing: showing(&list, &facets),
        previous_href: list.previous.as_ref().map(|c| link(c.as_ref())),
        undated: (undated > 0).then(|| {
            let n = thousands(undated);
            let text = if undated == 1 {
                "1 undated engagement is left out by the date range.".to_string()
            } else {
                format!("{n} undated engagements are left out by the date range.")
            };
            let without_dates = given.undated_part();
            (text, href("/", &without_dates.to_pairs()))
        }),
        suggestions,
        oldest_href: order_link(crate::query::Order::Oldest),
        newest_href: order_link(crate::query::Order::Newest),
        oldest: page.order == crate::query::Order::Oldest,
        exports: export_links(&given),
        exports_label: "Download this view",
        canonical: absolute(&base_url(&headers), &href("/", &canonical_pairs)),
        json_href: href(
            "/api/engagements",
            &page_pairs(
                &given,
                &PageRequest {
                    view: View::List,
                    ..page.clone()
                },
                page.cursor.as_ref(),
            ),
        ),
        timeline,
    };
    Ok(Html(page_view.render()?))
}

/// "Showing 51–100 of 126" (of "10,000+" when the count is capped).
fn showing(list: &EngagementPage, facets: &Facets) -> String {
    if list.engagements.is_empty() {
        return "No engagements match.".to_string();
    }
    let first = list.offset + 1;
    let last = list.offset + list.engagements.len() as u64;
    let total = if facets.capped {
        format!("{}+", thousands(facets.total))
    } else {
        thousands(facets.total.max(last))
    };
    format!(
        "Showing {}–{} of {total}",
        thousands(first),
        thousands(last)
    )
}

/// "126 engagements, country United Kingdom, kind call": the filter in words,
/// for the title and (`with_span`, adding "from March 2021 to May 2022")
/// link previews.
fn describe(filter: &EngagementFilter, facets: &Facets, with_span: bool) -> String {
    let count = if facets.capped {
        format!("{}+ engagements", thousands(facets.total))
    } else if facets.total == 1 {
        "1 engagement".to_string()
    } else {
        format!("{} engagements", thousands(facets.total))
    };
    let parts: Vec<String> = filter
        .to_pairs()
        .into_iter()
        .map(|(name, value)| format!("{} {value}", param_label(name)))
        .collect();
    let span = match month_span(facets).filter(|_| with_span && !facets.capped) {
        Some((first, last)) if first == last => format!(" in {first}"),
        Some((first, last)) => format!(" from {first} to {last}"),
        None => String::new(),
    };
    if parts.is_empty() {
        format!("{count}{span}")
    } else {
        format!("{count}{span}, {}", parts.join(", "))
    }
}

/// For an empty result: what each filter alone costs ("without kind:
/// visit — 8"), and a name given on the wrong side ("Blinken is a U.S.
/// official: 38").
async fn suggestions(
    state: &AppState,
    given: &EngagementFilter,
    page: &PageRequest,
) -> Result<Vec<Suggestion>, AppError> {
    let pairs = given.to_pairs();
    let mut out = Vec::new();
    let try_filter = |text: String, pairs: Vec<(&'static str, String)>| (text, pairs);
    let mut candidates = Vec::new();
    if pairs.len() > 1 {
        for index in 0..pairs.len() {
            let rest: Vec<_> = pairs
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != index)
                .map(|(_, p)| p.clone())
                .collect();
            let (name, value) = &pairs[index];
            candidates.push(try_filter(
                format!("without {}: {value}", param_label(name)),
                rest,
            ));
        }
    }
    for (from, to, label) in [
        ("counterpart", "official", "a U.S. official"),
        ("official", "counterpart", "a counterpart"),
    ] {
        for (name, value) in &pairs {
            if *name == from {
                let swapped: Vec<_> = pairs
                    .iter()
                    .map(|(n, v)| {
                        if n == name && v == value {
                            (to, v.clone())
                        } else {
                            (*n, v.clone())
                        }
                    })
                    .collect();
                candidates.push(try_filter(format!("{value} as {label}"), swapped));
            }
        }
    }
    for (text, pairs) in candidates.into_iter().take(8) {
        let raw: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let Ok((filter, _)) = parse_params(&raw, &[]) else {
            continue;
        };
        let (filter, _) = filter.resolve(&state.gazetteer);
        let n = engagements::count(&state.db, &filter, NOTICE_CAP).await?;
        if n > 0 {
            let mut link_pairs = pairs.clone();
            link_pairs.extend(crate::web::view::view_pairs(page));
            out.push(Suggestion {
                text,
                count: thousands(n),
                href: href("/", &link_pairs),
            });
        }
    }
    Ok(out)
}
