//! `/`: the timeline with its filter form and facet counts.

use askama::Template;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use axum::Router;

use crate::db::engagements::{self, EngagementPage, Facets};
use crate::query::{parse_params, EngagementFilter, PageRequest};
use crate::web::view::{
    active_filters, href, page_pairs, param_label, thousands, ActiveFilter, FacetsView, FormView,
    Histogram, TimelineView,
};
use crate::web::{check_search, query_map, AppError, AppState};

/// Counting beyond this for a notice or a suggestion is never worth it.
const NOTICE_CAP: u32 = 10_000;

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
    exports: Vec<(&'static str, String)>,
    json_href: String,
}

async fn timeline(
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Html<String>, AppError> {
    let (given, page) = parse_params(&query_map(query)?, &[])?;
    check_search(&given)?;
    let (filter, resolved) = given.resolve(&state.gazetteer);
    let dated = given.from.is_some() || given.to.is_some();
    let (list, facets, undated) = tokio::try_join!(
        engagements::list(&state.db, &filter, &page),
        engagements::facets(&state.db, &filter),
        async {
            if dated {
                engagements::undated_count(&state.db, &filter, NOTICE_CAP).await
            } else {
                Ok(0)
            }
        }
    )?;
    let link = |cursor| href("/", &page_pairs(&given, page.limit, page.order, cursor));
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
    let description = describe(&given, &facets);
    let title = if given.is_empty() {
        "Readout — diplomatic engagements".to_string()
    } else {
        format!("{description} — Readout")
    };
    let order_link = |order| {
        let mut p = page.clone();
        p.order = order;
        p.cursor = None;
        href("/", &page_pairs(&given, p.limit, p.order, None))
    };
    let export_pairs = given.to_pairs();
    let page_view = TimelinePage {
        title,
        description,
        form: FormView::new(&given, &page),
        active: active_filters(&given, &page, &resolved),
        histogram: Histogram::new(&facets, &given, &page),
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
        exports: ["csv", "json", "ics", "atom"]
            .into_iter()
            .map(|format| {
                let mut pairs = export_pairs.clone();
                pairs.push(("format", format.to_string()));
                (format, href("/export", &pairs))
            })
            .collect(),
        json_href: href(
            "/api/engagements",
            &page_pairs(&given, page.limit, page.order, page.cursor.as_ref()),
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
/// for the title and link previews.
fn describe(filter: &EngagementFilter, facets: &Facets) -> String {
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
    if parts.is_empty() {
        count
    } else {
        format!("{count}, {}", parts.join(", "))
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
