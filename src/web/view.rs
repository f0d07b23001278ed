//! What the templates display, computed once in Rust: labels, dates and
//! every link (with its query string already encoded), so templates only
//! print escaped strings and never assemble URLs.

use chrono::{Datelike, NaiveDate};

use crate::db::engagements::{FacetCount, Facets, FACET_CAP};
use crate::model::{Actor, DatePrecision, Engagement, Kind, Side, Status};
use crate::query::{Cursor, EngagementFilter, PageRequest, DEFAULT_LIMIT};

/// Percent-encodes everything but RFC 3986 unreserved characters, so the
/// result is safe in a path segment or a query value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// `path` with `pairs` as its query string.
pub fn href<K: AsRef<str>, V: AsRef<str>>(path: &str, pairs: &[(K, V)]) -> String {
    let mut out = path.to_string();
    for (index, (key, value)) in pairs.iter().enumerate() {
        out.push(if index == 0 { '?' } else { '&' });
        out.push_str(&encode(key.as_ref()));
        out.push('=');
        out.push_str(&encode(value.as_ref()));
    }
    out
}

pub fn engagement_href(id: &str) -> String {
    format!("/engagements/{}", encode(id))
}

pub fn actor_href(slug: &str) -> String {
    format!("/actors/{}", encode(slug))
}

pub fn document_href(name: &str) -> String {
    format!("/documents/{}", encode(name))
}

/// A link to the timeline filtered on one parameter.
pub fn filter_href(param: &str, value: &str) -> String {
    href("/", &[(param, value)])
}

/// `url` if it is an http(s) address, the only kind worth linking to (a
/// `javascript:` URL in a document must never become a link).
pub fn safe_url(url: Option<&str>) -> Option<String> {
    let url = url?.trim();
    let lower = url.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| url.to_string())
}

/// "9 December 2021".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The date of an engagement as precisely as the sources give it:
/// "9 December 2021", "9–13 November 2021", "December 2021", "undated".
pub fn date_label(engagement: &Engagement) -> String {
    let Some(date) = engagement.date else {
        return "undated".to_string();
    };
    match engagement.precision {
        DatePrecision::Year => return date.format("%Y").to_string(),
        DatePrecision::Month => return date.format("%B %Y").to_string(),
        DatePrecision::Day | DatePrecision::Unknown => {}
    }
    match engagement.end_date.filter(|end| *end > date) {
        None => long_date(date),
        Some(end) if end.year() == date.year() && end.month() == date.month() => {
            format!("{}–{}", date.day(), long_date(end))
        }
        Some(end) if end.year() == date.year() => {
            format!("{} – {}", date.format("%-d %B"), long_date(end))
        }
        Some(end) => format!("{} – {}", long_date(date), long_date(end)),
    }
}

/// The month heading a row sits under.
fn group_label(engagement: &Engagement) -> String {
    match (engagement.date, engagement.precision) {
        (None, _) => "Undated".to_string(),
        (Some(date), DatePrecision::Year) => date.format("%Y").to_string(),
        (Some(date), _) => date.format("%B %Y").to_string(),
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// An actor named in a row: a link that filters the timeline on them and
/// one to their page.
#[derive(Clone, Debug)]
pub struct ActorLink {
    pub name: String,
    pub title: Option<String>,
    pub country: Option<CountryLink>,
    pub filter_href: String,
    pub actor_href: String,
}

#[derive(Clone, Debug)]
pub struct CountryLink {
    pub name: String,
    pub filter_href: String,
}

impl CountryLink {
    fn new(name: &str) -> Self {
        CountryLink {
            name: name.to_string(),
            filter_href: filter_href("country", name),
        }
    }
}

impl ActorLink {
    fn new(actor: &Actor, param: &str, title: Option<&str>, with_country: bool) -> Self {
        let name = match &actor.short_name {
            Some(short) if !short.is_empty() && short != &actor.name => {
                format!("{} ({short})", actor.name)
            }
            _ => actor.name.clone(),
        };
        ActorLink {
            name,
            title: title
                .or(actor.title.as_deref())
                .filter(|t| !t.is_empty())
                .map(str::to_string),
            country: actor
                .country
                .as_deref()
                .filter(|_| with_country)
                .map(CountryLink::new),
            filter_href: filter_href(param, &actor.slug),
            actor_href: actor_href(&actor.slug),
        }
    }
}

/// One engagement as a timeline row (and the head of its permalink page).
#[derive(Clone, Debug)]
pub struct Row {
    pub id: String,
    pub href: String,
    pub date_label: String,
    /// ISO date for `<time datetime>`, when dated.
    pub datetime: Option<String>,
    pub kind: String,
    pub kind_code: &'static str,
    pub planned: bool,
    pub us: Vec<ActorLink>,
    pub counterparts: Vec<ActorLink>,
    pub organizations: Vec<ActorLink>,
    /// Countries taking part that no counterpart already stands for.
    pub countries: Vec<CountryLink>,
    /// How many documents report it.
    pub sources: usize,
}

impl Row {
    pub fn new(engagement: &Engagement) -> Self {
        let mut us = Vec::new();
        let mut counterparts = Vec::new();
        for participant in &engagement.participants {
            match participant.side {
                Side::Us => us.push(ActorLink::new(
                    &participant.actor,
                    "official",
                    participant.title.as_deref(),
                    false,
                )),
                Side::Counterpart => counterparts.push(ActorLink::new(
                    &participant.actor,
                    "counterpart",
                    participant.title.as_deref(),
                    true,
                )),
            }
        }
        let countries = engagement
            .countries
            .iter()
            .filter(|country| {
                !counterparts
                    .iter()
                    .any(|c| c.country.as_ref().is_some_and(|c| &c.name == *country))
            })
            .map(|country| CountryLink::new(country))
            .collect();
        let mut documents: Vec<&str> = engagement
            .sources
            .iter()
            .map(|s| s.document.as_str())
            .collect();
        documents.sort_unstable();
        documents.dedup();
        Row {
            id: engagement.id.clone(),
            href: engagement_href(&engagement.id),
            date_label: date_label(engagement),
            datetime: engagement.date.map(|d| d.to_string()),
            kind: engagement.kind.label().to_string(),
            kind_code: engagement.kind.as_str(),
            planned: engagement.status == Status::Planned,
            us,
            counterparts,
            organizations: engagement
                .organizations
                .iter()
                .map(|org| ActorLink::new(org, "counterpart", None, false))
                .collect(),
            countries,
            sources: documents.len(),
        }
    }

    pub fn sources_label(&self) -> String {
        match self.sources {
            1 => "1 source".to_string(),
            n => format!("{n} sources"),
        }
    }
}

/// Consecutive rows under one month heading.
#[derive(Clone, Debug)]
pub struct MonthGroup {
    pub label: String,
    pub rows: Vec<Row>,
}

/// The timeline partial's data: rows grouped by month, and the next page.
#[derive(Clone, Debug)]
pub struct TimelineView {
    pub groups: Vec<MonthGroup>,
    pub next_href: Option<String>,
    pub empty_message: String,
}

impl TimelineView {
    /// Groups `engagements` (already newest first, undated last) by month.
    /// `next_href` is the link to the following page, if any.
    pub fn new(engagements: &[Engagement], next_href: Option<String>) -> Self {
        let mut groups: Vec<MonthGroup> = Vec::new();
        for engagement in engagements {
            let label = group_label(engagement);
            let row = Row::new(engagement);
            match groups.last_mut() {
                Some(group) if group.label == label => group.rows.push(row),
                _ => groups.push(MonthGroup {
                    label,
                    rows: vec![row],
                }),
            }
        }
        TimelineView {
            groups,
            next_href,
            empty_message: "No engagements match.".to_string(),
        }
    }
}

/// Query-string pairs for a page of `filter`: the filter, a non-default
/// limit, and the cursor.
pub fn page_pairs(
    filter: &EngagementFilter,
    limit: u32,
    cursor: Option<&Cursor>,
) -> Vec<(&'static str, String)> {
    let mut pairs = filter.to_pairs();
    if limit != DEFAULT_LIMIT {
        pairs.push(("limit", limit.to_string()));
    }
    if let Some(cursor) = cursor {
        pairs.push(("cursor", cursor.encode()));
    }
    pairs
}

/// One facet value as a link that adds (or, when already chosen, removes)
/// its filter.
#[derive(Clone, Debug)]
pub struct FacetItem {
    pub label: String,
    pub count: String,
    pub href: String,
    pub active: bool,
}

#[derive(Clone, Debug)]
pub struct FacetGroup {
    pub title: &'static str,
    pub items: Vec<FacetItem>,
}

/// The facet sidebar: a heading total and the groups.
#[derive(Clone, Debug)]
pub struct FacetsView {
    pub total: String,
    /// Counts cover only the newest matches.
    pub note: Option<String>,
    pub groups: Vec<FacetGroup>,
}

/// "1,234".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, ch) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

impl FacetsView {
    pub fn new(facets: &Facets, filter: &EngagementFilter, page: &PageRequest) -> Self {
        let group = |title: &'static str, param: &'static str, counts: &[FacetCount]| {
            let items = counts
                .iter()
                .map(|count| {
                    let active = param_value(filter, param).as_deref() == Some(&count.value);
                    let value = (!active).then(|| count.value.clone());
                    let next = with_param(filter, param, value);
                    FacetItem {
                        label: count.label.clone(),
                        count: thousands(count.count),
                        href: href("/", &page_pairs(&next, page.limit, None)),
                        active,
                    }
                })
                .collect();
            FacetGroup { title, items }
        };
        let total = if facets.capped {
            format!("{}+ engagements", thousands(facets.total))
        } else if facets.total == 1 {
            "1 engagement".to_string()
        } else {
            format!("{} engagements", thousands(facets.total))
        };
        FacetsView {
            total,
            note: facets
                .capped
                .then(|| format!("Counts cover the newest {} matches.", thousands(FACET_CAP))),
            groups: [
                group("Kind", "kind", &facets.kinds),
                group("Status", "status", &facets.statuses),
                group("Countries", "country", &facets.countries),
                group("Counterparts", "counterpart", &facets.counterparts),
                group("U.S. officials", "official", &facets.officials),
            ]
            .into_iter()
            .filter(|g| !g.items.is_empty())
            .collect(),
        }
    }
}

/// The filter's value for a facet parameter, as a link carries it.
fn param_value(filter: &EngagementFilter, param: &str) -> Option<String> {
    match param {
        "kind" => filter.kind.map(|k| k.as_str().to_string()),
        "status" => filter.status.map(|s| s.as_str().to_string()),
        "country" => filter.country.clone(),
        "counterpart" => filter.counterpart.clone(),
        "official" => filter.official.clone(),
        _ => None,
    }
}

/// `filter` with a facet parameter set (or cleared).
fn with_param(filter: &EngagementFilter, param: &str, value: Option<String>) -> EngagementFilter {
    let mut next = filter.clone();
    match param {
        "kind" => next.kind = value.as_deref().and_then(Kind::parse),
        "status" => next.status = value.as_deref().and_then(Status::parse),
        "country" => next.country = value,
        "counterpart" => next.counterpart = value,
        "official" => next.official = value,
        _ => {}
    }
    next
}

/// A chosen filter, shown above the timeline with a link that drops it.
#[derive(Clone, Debug)]
pub struct ActiveFilter {
    pub label: &'static str,
    pub value: String,
    pub remove_href: String,
}

pub fn active_filters(filter: &EngagementFilter, page: &PageRequest) -> Vec<ActiveFilter> {
    let pairs = filter.to_pairs();
    pairs
        .iter()
        .map(|(name, value)| {
            let rest: Vec<(&str, String)> = pairs
                .iter()
                .filter(|(other, _)| other != name)
                .cloned()
                .collect();
            let mut rest = rest;
            if page.limit != DEFAULT_LIMIT {
                rest.push(("limit", page.limit.to_string()));
            }
            ActiveFilter {
                label: match *name {
                    "from" => "from",
                    "to" => "to",
                    "counterpart" => "counterpart",
                    "official" => "U.S. official",
                    "country" => "country",
                    "kind" => "kind",
                    "status" => "status",
                    _ => "text",
                },
                value: value.clone(),
                remove_href: href("/", &rest),
            }
        })
        .collect()
}

/// The filter form's current values (empty strings for unset fields).
#[derive(Clone, Debug, Default)]
pub struct FormView {
    pub from: String,
    pub to: String,
    pub counterpart: String,
    pub official: String,
    pub country: String,
    pub kind: String,
    pub status: String,
    pub q: String,
    /// Kept in a hidden field when not the default.
    pub limit: Option<u32>,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub statuses: Vec<&'static str>,
}

impl FormView {
    pub fn new(filter: &EngagementFilter, page: &PageRequest) -> Self {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        FormView {
            from: filter.from.map(|d| d.to_string()).unwrap_or_default(),
            to: filter.to.map(|d| d.to_string()).unwrap_or_default(),
            counterpart: text(&filter.counterpart),
            official: text(&filter.official),
            country: text(&filter.country),
            kind: filter
                .kind
                .map(|k| k.as_str().to_string())
                .unwrap_or_default(),
            status: filter
                .status
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            q: text(&filter.q),
            limit: (page.limit != DEFAULT_LIMIT).then_some(page.limit),
            kinds: Kind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
            statuses: Status::ALL.iter().map(|s| s.as_str()).collect(),
        }
    }
}

/// "Call: Joe Biden – Volodymyr Zelenskyy, 9 December 2021": a title that
/// reads well in a browser tab and a chat preview.
pub fn engagement_title(engagement: &Engagement) -> String {
    let names = |side: Side| {
        engagement
            .participants
            .iter()
            .filter(|p| p.side == side)
            .map(|p| p.actor.name.clone())
            .collect::<Vec<_>>()
    };
    let us = names(Side::Us);
    let mut them = names(Side::Counterpart);
    if them.is_empty() {
        them = engagement
            .organizations
            .iter()
            .map(|o| o.short_name.clone().unwrap_or_else(|| o.name.clone()))
            .collect();
    }
    if them.is_empty() {
        them = engagement.countries.clone();
    }
    let kind = match engagement.status {
        Status::Planned => format!("Planned {}", engagement.kind.label()),
        Status::Held => capitalize(engagement.kind.label()),
    };
    let who = [us.join(", "), them.join(", ")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" – ");
    let mut title = kind;
    if !who.is_empty() {
        title.push_str(": ");
        title.push_str(&who);
    }
    title.push_str(", ");
    title.push_str(&date_label(engagement));
    title
}

/// One or two sentences for `<meta name="description">` and OpenGraph.
pub fn engagement_description(engagement: &Engagement) -> String {
    let describe = |side: Side| {
        engagement
            .participants
            .iter()
            .filter(|p| p.side == side)
            .map(|p| {
                let mut text = String::new();
                if let Some(title) = p.title.as_ref().or(p.actor.title.as_ref()) {
                    text.push_str(title);
                    text.push(' ');
                }
                text.push_str(&p.actor.name);
                if side == Side::Counterpart {
                    if let Some(country) = &p.actor.country {
                        text.push_str(&format!(" ({country})"));
                    }
                }
                text
            })
            .collect::<Vec<_>>()
    };
    let us = describe(Side::Us);
    let mut them = describe(Side::Counterpart);
    them.extend(engagement.organizations.iter().map(|o| o.name.clone()));
    if them.is_empty() {
        them = engagement.countries.clone();
    }
    let mut text = capitalize(engagement.kind.label());
    if engagement.status == Status::Planned {
        text = format!("Planned {}", engagement.kind.label());
    }
    if !us.is_empty() {
        text.push_str(&format!(" by {}", us.join(", ")));
    }
    if !them.is_empty() {
        text.push_str(&format!(" with {}", them.join(", ")));
    }
    match engagement.date {
        Some(_) => text.push_str(&format!(", {}.", date_label(engagement))),
        None => text.push_str(", date not given."),
    }
    let documents = Row::new(engagement).sources_label();
    text.push_str(&format!(" Reported in {documents}."));
    if text.chars().count() > 300 {
        text = text.chars().take(297).collect::<String>() + "…";
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ActorKind, Participant};

    fn person(name: &str, country: &str, side: Side, title: &str) -> Participant {
        Participant {
            actor: Actor {
                slug: crate::model::slugify(name),
                name: name.into(),
                kind: ActorKind::Person,
                country: Some(country.into()),
                short_name: None,
                title: None,
            },
            side,
            title: Some(title.into()),
        }
    }

    fn call() -> Engagement {
        Engagement {
            id: "2021-12-09-biden-zelenskyy-call".into(),
            date: NaiveDate::from_ymd_opt(2021, 12, 9),
            end_date: None,
            precision: DatePrecision::Day,
            kind: Kind::Call,
            status: Status::Held,
            participants: vec![
                person("Joe Biden", "United States", Side::Us, "President"),
                person(
                    "Volodymyr Zelenskyy",
                    "Ukraine",
                    Side::Counterpart,
                    "President",
                ),
            ],
            organizations: vec![],
            countries: vec!["Ukraine".into()],
            sources: vec![],
        }
    }

    #[test]
    fn a_title_names_kind_people_and_day() {
        assert_eq!(
            engagement_title(&call()),
            "Call: Joe Biden – Volodymyr Zelenskyy, 9 December 2021"
        );
        let description = engagement_description(&call());
        assert!(description.starts_with(
            "Call by President Joe Biden with President Volodymyr Zelenskyy (Ukraine), 9 December 2021."
        ));
    }

    #[test]
    fn spans_name_the_month_once_when_they_share_it() {
        let mut e = call();
        e.end_date = NaiveDate::from_ymd_opt(2021, 12, 13);
        assert_eq!(date_label(&e), "9–13 December 2021");
        e.end_date = NaiveDate::from_ymd_opt(2022, 1, 2);
        assert_eq!(date_label(&e), "9 December 2021 – 2 January 2022");
        e.end_date = None;
        e.precision = DatePrecision::Month;
        assert_eq!(date_label(&e), "December 2021");
        e.date = None;
        assert_eq!(date_label(&e), "undated");
    }

    #[test]
    fn links_encode_every_reserved_character() {
        assert_eq!(
            href("/", &[("q", "a b&c=d/é"), ("kind", "call")]),
            "/?q=a%20b%26c%3Dd%2F%C3%A9&kind=call"
        );
    }

    #[test]
    fn only_web_addresses_become_links() {
        assert_eq!(
            safe_url(Some("https://example.org/a")).as_deref(),
            Some("https://example.org/a")
        );
        assert_eq!(safe_url(Some("javascript:alert(1)")), None);
        assert_eq!(safe_url(None), None);
    }

    #[test]
    fn big_counts_get_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn a_facet_link_adds_its_filter_and_an_active_one_removes_it() {
        let filter = EngagementFilter {
            kind: Some(Kind::Call),
            ..Default::default()
        };
        let facets = Facets {
            total: 3,
            kinds: vec![FacetCount {
                value: "call".into(),
                label: "call".into(),
                count: 3,
            }],
            countries: vec![FacetCount {
                value: "Ukraine".into(),
                label: "Ukraine".into(),
                count: 2,
            }],
            ..Default::default()
        };
        let view = FacetsView::new(&facets, &filter, &PageRequest::default());
        assert_eq!(view.groups[0].items[0].href, "/");
        assert!(view.groups[0].items[0].active);
        assert_eq!(view.groups[1].items[0].href, "/?country=Ukraine&kind=call");
    }
}
