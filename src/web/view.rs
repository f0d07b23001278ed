//! What the templates display, computed once in Rust: labels, dates and
//! every link (with its query string already encoded), so templates only
//! print escaped strings and never assemble URLs.

use chrono::{Datelike, NaiveDate};

use crate::db::engagements::{FacetCount, Facets, FACET_CAP};
use crate::model::{Actor, DatePrecision, Engagement, Kind, Side, Status};
use crate::query::{
    fold_quotes, search_terms, Cursor, EngagementFilter, Order, PageRequest, Resolution,
    SearchTerm, Values, View, DEFAULT_LIMIT,
};

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

/// `base` (`http://host:port`) and a site path: the absolute address
/// `canonical` and `og:url` need.
pub fn absolute(base: &str, path: &str) -> String {
    format!("{base}{path}")
}

/// One "download" link of a view: CSV, JSON, iCalendar or Atom of every
/// engagement the filter matches (`/export`, streamed, file named after
/// the filter).
#[derive(Clone, Debug)]
pub struct ExportLink {
    pub format: &'static str,
    pub label: &'static str,
    pub href: String,
}

/// The export links of `filter`, in the order pages list them.
pub fn export_links(filter: &EngagementFilter) -> Vec<ExportLink> {
    [
        ("csv", "CSV"),
        ("json", "JSON"),
        ("ics", "calendar (.ics)"),
        ("atom", "Atom feed"),
    ]
    .into_iter()
    .map(|(format, label)| {
        let mut pairs = filter.to_pairs();
        pairs.push(("format", format.to_string()));
        ExportLink {
            format,
            label,
            href: href("/export", &pairs),
        }
    })
    .collect()
}

/// The first and last month the view's engagements fall in ("March
/// 2021", "December 2022"), from the histogram counts.
pub fn month_span(facets: &Facets) -> Option<(String, String)> {
    let label = |value: &str| {
        let month = value.split('|').next()?;
        NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
            .ok()
            .map(|d| d.format("%B %Y").to_string())
    };
    let first = label(&facets.months.first()?.value)?;
    let last = label(&facets.months.last()?.value)?;
    Some((first, last))
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

/// "9 Dec 2021", where space is short.
pub fn short_date(date: NaiveDate) -> String {
    date.format("%-d %b %Y").to_string()
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
    /// The filter parameter and value the name link sets.
    pub param: &'static str,
    pub value: String,
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

    fn narrow(&mut self, filter: &EngagementFilter, page: &PageRequest) {
        self.filter_href = narrowed_href(filter, page, "country", &self.name);
    }
}

impl ActorLink {
    fn narrow(&mut self, filter: &EngagementFilter, page: &PageRequest) {
        self.filter_href = narrowed_href(filter, page, self.param, &self.value);
        if let Some(country) = &mut self.country {
            country.narrow(filter, page);
        }
    }
}

/// The current view narrowed to one more value.
fn narrowed_href(
    filter: &EngagementFilter,
    page: &PageRequest,
    param: &str,
    value: &str,
) -> String {
    let mut pairs = with_change(filter, param, value, Change::Only).to_pairs();
    pairs.extend(view_pairs(page));
    href("/", &pairs)
}

/// A piece of an excerpt, marked when it matched the search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub marked: bool,
}

/// Longest excerpt a timeline row shows.
const ROW_EXCERPT_CHARS: usize = 220;

/// `text` cut into pieces with every occurrence of a search term marked,
/// compared without case and with ’ and ' the same. Clipped to about
/// `max` characters around the first mark.
pub fn marked(text: &str, terms: &[SearchTerm], max: usize) -> Vec<Piece> {
    let fold = |c: char| c.to_lowercase().next().unwrap_or(c);
    let chars: Vec<(usize, char)> = text
        .char_indices()
        .map(|(i, c)| {
            (
                i,
                fold(fold_quotes(&c.to_string()).chars().next().unwrap_or(c)),
            )
        })
        .collect();
    let mut marks = vec![false; chars.len()];
    for term in terms {
        let needle: Vec<char> = term.text.chars().map(fold).collect();
        if needle.is_empty() || needle.len() > chars.len() {
            continue;
        }
        for start in 0..=chars.len() - needle.len() {
            if chars[start..start + needle.len()]
                .iter()
                .map(|(_, c)| *c)
                .eq(needle.iter().copied())
            {
                marks[start..start + needle.len()].fill(true);
            }
        }
    }
    let first_mark = marks.iter().position(|m| *m).unwrap_or(0);
    let (from, ellipsis_before) = if chars.len() > max && first_mark > max / 3 {
        (first_mark - max / 3, true)
    } else {
        (0, false)
    };
    let to = (from + max).min(chars.len());
    let mut pieces: Vec<Piece> = Vec::new();
    if ellipsis_before {
        pieces.push(Piece {
            text: "…".to_string(),
            marked: false,
        });
    }
    for index in from..to {
        let (byte, _) = chars[index];
        let end = chars.get(index + 1).map_or(text.len(), |(b, _)| *b);
        let piece = &text[byte..end];
        match pieces.last_mut() {
            Some(last) if last.marked == marks[index] => last.text.push_str(piece),
            _ => pieces.push(Piece {
                text: piece.to_string(),
                marked: marks[index],
            }),
        }
    }
    if to < chars.len() {
        pieces.push(Piece {
            text: "…".to_string(),
            marked: false,
        });
    }
    pieces
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
            param: if param == "official" {
                "official"
            } else {
                "counterpart"
            },
            value: actor.slug.clone(),
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
    /// The first excerpt (or, with a search, the first that matches), in
    /// pieces with the matched words marked.
    pub excerpt: Vec<Piece>,
    /// Every source's excerpt, to pick the one a search matched.
    excerpts: Vec<String>,
    /// Contact gaps this row ends: "First call with Dmytro Kuleba since
    /// March 2021" (actor pages).
    pub gaps: Vec<String>,
    date: Option<NaiveDate>,
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
            excerpt: engagement
                .sources
                .first()
                .map(|s| marked(&s.excerpt, &[], ROW_EXCERPT_CHARS))
                .unwrap_or_default(),
            excerpts: engagement
                .sources
                .iter()
                .map(|s| s.excerpt.clone())
                .collect(),
            gaps: Vec::new(),
            date: engagement.date,
        }
    }

    /// Shows the first excerpt that matches every search term, marked.
    fn mark(&mut self, terms: &[SearchTerm]) {
        let matches = |excerpt: &str| {
            let folded = fold_quotes(excerpt).to_lowercase();
            terms
                .iter()
                .all(|t| folded.contains(&t.text.to_lowercase()))
        };
        if let Some(excerpt) = self
            .excerpts
            .iter()
            .find(|e| matches(e))
            .or(self.excerpts.first())
        {
            self.excerpt = marked(excerpt, terms, ROW_EXCERPT_CHARS);
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
    /// "2021-12", to find the month's count.
    pub month: Option<String>,
    /// How many engagements of the view fall in the month, when known.
    pub count: Option<String>,
    pub rows: Vec<Row>,
}

/// The timeline partial's data: rows grouped by month, and the next page.
#[derive(Clone, Debug)]
pub struct TimelineView {
    pub groups: Vec<MonthGroup>,
    pub next_href: Option<String>,
    pub empty_message: String,
    /// The page draws its own pager (with a previous link).
    pub in_page_pager: bool,
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
                    month: engagement
                        .date
                        .filter(|_| engagement.precision != DatePrecision::Year)
                        .map(|d| d.format("%Y-%m").to_string()),
                    count: None,
                    rows: vec![row],
                }),
            }
        }
        TimelineView {
            groups,
            next_href,
            empty_message: "No engagements match.".to_string(),
            in_page_pager: false,
        }
    }

    /// Names in rows narrow the current view instead of replacing it.
    pub fn narrow(&mut self, filter: &EngagementFilter, page: &PageRequest) {
        self.in_page_pager = true;
        for row in self.groups.iter_mut().flat_map(|g| g.rows.iter_mut()) {
            for link in row
                .us
                .iter_mut()
                .chain(row.counterparts.iter_mut())
                .chain(row.organizations.iter_mut())
            {
                link.narrow(filter, page);
            }
            for country in &mut row.countries {
                country.narrow(filter, page);
            }
        }
    }

    /// Notes on each row whose previous contact of the same kind with one
    /// of its participants (`previous`, from the activity query) lies more
    /// than `months` months before it. `names` gives the actors' names by
    /// slug.
    pub fn flag_gaps(
        &mut self,
        previous: &[crate::db::engagements::Previous],
        names: &[(String, String)],
        months: u32,
    ) {
        for row in self.groups.iter_mut().flat_map(|g| g.rows.iter_mut()) {
            let Some(date) = row.date else { continue };
            let Some(limit) = date.checked_sub_months(chrono::Months::new(months)) else {
                continue;
            };
            for p in previous.iter().filter(|p| p.engagement == row.id) {
                if p.date >= limit {
                    continue;
                }
                let name = names
                    .iter()
                    .find(|(slug, _)| *slug == p.slug)
                    .map_or(p.slug.as_str(), |(_, name)| name.as_str());
                let note = format!(
                    "First {} with {name} since {}",
                    row.kind,
                    p.date.format("%B %Y")
                );
                if !row.gaps.contains(&note) {
                    row.gaps.push(note);
                }
            }
        }
    }

    /// Marks the search terms of `q` in each row's excerpt.
    pub fn mark(&mut self, q: Option<&str>) {
        let Some(q) = q else { return };
        let terms = search_terms(q);
        for row in self.groups.iter_mut().flat_map(|g| g.rows.iter_mut()) {
            row.mark(&terms);
        }
    }

    /// Puts each month's count of the view beside its heading.
    pub fn count_months(&mut self, facets: &Facets) {
        if facets.capped {
            return;
        }
        for group in &mut self.groups {
            let Some(month) = &group.month else { continue };
            let n: u64 = facets
                .months
                .iter()
                .filter(|m| m.value.split('|').next() == Some(month.as_str()))
                .map(|m| m.count)
                .sum();
            if n > 0 {
                group.count = Some(thousands(n));
            }
        }
    }
}

/// One bar of the activity histogram.
#[derive(Clone, Debug)]
pub struct Bar {
    pub x: u32,
    /// Heights and tops in the 0–100 viewBox.
    pub held_y: u32,
    pub held_height: u32,
    pub planned_y: u32,
    pub planned_height: u32,
    pub label: String,
    pub href: String,
}

/// Engagements per month (or, for a short range, per week) of the current
/// view, as SVG bars that narrow the date range to their month or week.
#[derive(Clone, Debug)]
pub struct Histogram {
    pub bars: Vec<Bar>,
    pub width: u32,
    /// "month" or "week".
    pub unit: &'static str,
    pub first: String,
    pub last: String,
    pub note: Option<String>,
}

/// A view whose engagements span at most this many months is drawn by week.
pub const WEEKLY_MONTHS: usize = 6;

/// Whether the view's dated engagements fall within [`WEEKLY_MONTHS`]
/// calendar months, so weekly bars say more than monthly ones.
pub fn wants_weeks(facets: &Facets) -> bool {
    let month = |value: &str| value.split('|').next().map(str::to_string);
    let months: Vec<String> = facets
        .months
        .iter()
        .filter_map(|m| month(&m.value))
        .collect();
    let parse = |m: &String| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok();
    match (
        months.first().and_then(parse),
        months.last().and_then(parse),
    ) {
        (Some(first), Some(last)) => {
            let span =
                (last.year() - first.year()) * 12 + last.month() as i32 - first.month() as i32 + 1;
            span <= WEEKLY_MONTHS as i32
        }
        _ => false,
    }
}

/// (first day, held, planned) of one bar.
type Bucket = (NaiveDate, u64, u64);

impl Histogram {
    /// Monthly bars from the facet counts.
    pub fn new(facets: &Facets, filter: &EngagementFilter, page: &PageRequest) -> Option<Self> {
        let mut months: Vec<Bucket> = Vec::new();
        for m in &facets.months {
            let (month, status) = m.value.split_once('|')?;
            let start = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()?;
            add_to(&mut months, start, status, m.count);
        }
        Self::build(months, Unit::Month, facets.capped, filter, page)
    }

    /// Weekly bars from [`crate::db::engagements::activity`]'s counts.
    pub fn weekly(
        weeks: &[(NaiveDate, String, u64)],
        capped: bool,
        filter: &EngagementFilter,
        page: &PageRequest,
    ) -> Option<Self> {
        let mut buckets: Vec<Bucket> = Vec::new();
        for (monday, status, count) in weeks {
            add_to(&mut buckets, *monday, status, *count);
        }
        Self::build(buckets, Unit::Week, capped, filter, page)
    }

    fn build(
        buckets: Vec<Bucket>,
        unit: Unit,
        capped: bool,
        filter: &EngagementFilter,
        page: &PageRequest,
    ) -> Option<Self> {
        let (first, last) = (buckets.first()?.0, buckets.last()?.0);
        // Every month or week from the first to the last, empty ones
        // included, so gaps show as gaps.
        let mut all: Vec<Bucket> = Vec::new();
        let mut at = first;
        while at <= last && all.len() < 1200 {
            let (held, planned) = buckets
                .iter()
                .find(|(start, _, _)| *start == at)
                .map_or((0, 0), |(_, h, p)| (*h, *p));
            all.push((at, held, planned));
            at = unit.next(at)?;
        }
        let max = all.iter().map(|(_, h, p)| h + p).max().unwrap_or(0).max(1);
        let scale = |n: u64| ((n * 96).div_ceil(max)) as u32;
        let bars = all
            .iter()
            .enumerate()
            .map(|(index, (start, held, planned))| {
                let mut next = filter.clone();
                next.from = Some(*start);
                next.to = unit.next(*start).and_then(|d| d.pred_opt());
                let mut pairs = next.to_pairs();
                pairs.extend(view_pairs(page));
                let held_height = scale(*held);
                let planned_height = scale(*planned);
                let mut label = format!("{}: {}", unit.label(*start), plural(held + planned));
                if *planned > 0 {
                    label.push_str(&format!(" ({planned} planned)"));
                }
                Bar {
                    x: index as u32 * 10,
                    held_y: 100 - held_height,
                    held_height,
                    planned_y: 100 - held_height - planned_height,
                    planned_height,
                    label,
                    href: href("/", &pairs),
                }
            })
            .collect();
        Some(Histogram {
            width: all.len() as u32 * 10,
            bars,
            unit: unit.name(),
            first: unit.label(all.first()?.0),
            last: unit.label(all.last()?.0),
            note: capped
                .then(|| format!("Bars count the newest {} matches.", thousands(FACET_CAP))),
        })
    }
}

/// Adds `count` engagements of `status` to the bucket starting at `start`
/// (the input comes sorted by start).
fn add_to(buckets: &mut Vec<Bucket>, start: NaiveDate, status: &str, count: u64) {
    if buckets.last().is_none_or(|(last, _, _)| *last != start) {
        buckets.push((start, 0, 0));
    }
    if let Some(entry) = buckets.last_mut() {
        if status == "planned" {
            entry.2 += count;
        } else {
            entry.1 += count;
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Month,
    Week,
}

impl Unit {
    fn next(self, start: NaiveDate) -> Option<NaiveDate> {
        match self {
            Unit::Month => start.checked_add_months(chrono::Months::new(1)),
            Unit::Week => start.checked_add_days(chrono::Days::new(7)),
        }
    }

    fn label(self, start: NaiveDate) -> String {
        match self {
            Unit::Month => start.format("%B %Y").to_string(),
            Unit::Week => format!("Week of {}", long_date(start)),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Unit::Month => "month",
            Unit::Week => "week",
        }
    }
}

fn plural(n: u64) -> String {
    if n == 1 {
        "1 engagement".to_string()
    } else {
        format!("{} engagements", thousands(n))
    }
}

/// Query-string pairs for a page of `filter`: the filter, a non-default
/// limit, order and view, and the cursor.
pub fn page_pairs(
    filter: &EngagementFilter,
    page: &PageRequest,
    cursor: Option<&Cursor>,
) -> Vec<(&'static str, String)> {
    let mut pairs = filter.to_pairs();
    pairs.extend(view_pairs(page));
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
    /// The same view without the engagements that have this value.
    pub exclude_href: String,
    pub active: bool,
}

#[derive(Clone, Debug)]
pub struct FacetGroup {
    pub title: &'static str,
    pub param: &'static str,
    pub items: Vec<FacetItem>,
    /// `/facets/{param}?…` and its text ("Show all countries"): every
    /// value, when the list may be cut short.
    pub all: Option<(String, String)>,
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
        let link = |next: EngagementFilter| {
            let mut pairs = next.to_pairs();
            pairs.extend(view_pairs(page));
            href("/", &pairs)
        };
        let group = |title: &'static str, param: &'static str, counts: &[FacetCount]| {
            let (any, _) = param_values(filter, param);
            let items: Vec<FacetItem> = counts
                .iter()
                .map(|count| {
                    let active = any.contains(&count.value);
                    let change = if active { Change::Remove } else { Change::Only };
                    FacetItem {
                        label: count.label.clone(),
                        count: thousands(count.count),
                        href: link(with_change(filter, param, &count.value, change)),
                        exclude_href: link(with_change(
                            filter,
                            param,
                            &count.value,
                            Change::Exclude,
                        )),
                        active,
                    }
                })
                .collect();
            let cut_short = items.len() >= crate::db::engagements::FACET_TOP as usize
                && matches!(param, "country" | "counterpart" | "official");
            let all = cut_short.then(|| {
                let mut pairs = filter.to_pairs();
                pairs.extend(view_pairs(page));
                let noun = if param == "official" {
                    "U.S. officials".to_string()
                } else {
                    title.to_lowercase()
                };
                (
                    href(&format!("/facets/{param}"), &pairs),
                    format!("Show all {noun}"),
                )
            });
            FacetGroup {
                title,
                param,
                items,
                all,
            }
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

/// The filter's chosen values for a facet parameter, as links carry them.
fn param_values(filter: &EngagementFilter, param: &str) -> (Vec<String>, Vec<String>) {
    let codes = |any: &[&str], not: &[&str]| {
        (
            any.iter().map(|c| c.to_string()).collect(),
            not.iter().map(|c| c.to_string()).collect(),
        )
    };
    match param {
        "kind" => codes(
            &filter
                .kind
                .any
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>(),
            &filter
                .kind
                .not
                .iter()
                .map(|k| k.as_str())
                .collect::<Vec<_>>(),
        ),
        "status" => codes(
            &filter
                .status
                .any
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
            &filter
                .status
                .not
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>(),
        ),
        "country" => (filter.country.any.clone(), filter.country.not.clone()),
        "counterpart" => (
            filter.counterpart.any.clone(),
            filter.counterpart.not.clone(),
        ),
        "official" => (filter.official.any.clone(), filter.official.not.clone()),
        _ => (Vec::new(), Vec::new()),
    }
}

/// How a facet link changes the filter.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Narrow to this value (replacing other chosen values of the parameter).
    Only,
    /// Leave this value out.
    Exclude,
    /// Drop this value from the chosen ones.
    Remove,
}

/// `filter` with one value of a facet parameter changed.
fn with_change(
    filter: &EngagementFilter,
    param: &str,
    value: &str,
    change: Change,
) -> EngagementFilter {
    fn apply<T: PartialEq + Clone>(values: &mut Values<T>, value: Option<T>, change: Change) {
        let Some(value) = value else { return };
        values.any.retain(|v| v != &value);
        values.not.retain(|v| v != &value);
        match change {
            Change::Only => values.any = vec![value],
            Change::Exclude => values.not.push(value),
            Change::Remove => {}
        }
    }
    let mut next = filter.clone();
    let text = Some(value.to_string());
    match param {
        "kind" => apply(&mut next.kind, Kind::parse(value), change),
        "status" => apply(&mut next.status, Status::parse(value), change),
        "country" => apply(&mut next.country, text, change),
        "counterpart" => apply(&mut next.counterpart, text, change),
        "official" => apply(&mut next.official, text, change),
        _ => {}
    }
    next
}

/// A chosen filter, shown above the timeline with a link that drops it.
#[derive(Clone, Debug)]
pub struct ActiveFilter {
    pub label: String,
    pub value: String,
    /// What the gazetteer read the value as ("United Kingdom" for "UK").
    pub meant: Option<String>,
    pub remove_href: String,
}

/// The chip label of a parameter.
pub fn param_label(name: &str) -> String {
    let (negated, base) = match name.strip_prefix("not_") {
        Some(base) => (true, base),
        None => (false, name),
    };
    let label = match base {
        "official" => "U.S. official",
        "q" => "text",
        other => other,
    };
    if negated {
        format!("not {label}")
    } else {
        label.to_string()
    }
}

/// The value as a reader would say it: kinds by their label.
fn value_label(name: &str, value: &str) -> String {
    match name.trim_start_matches("not_") {
        "kind" => Kind::parse(value).map_or(value.to_string(), |k| k.label().to_string()),
        _ => value.to_string(),
    }
}

pub fn active_filters(
    filter: &EngagementFilter,
    page: &PageRequest,
    resolved: &[Resolution],
) -> Vec<ActiveFilter> {
    let pairs = filter.to_pairs();
    pairs
        .iter()
        .enumerate()
        .map(|(index, (name, value))| {
            let mut rest: Vec<(&str, String)> = pairs
                .iter()
                .enumerate()
                .filter(|(other, _)| *other != index)
                .map(|(_, pair)| pair.clone())
                .collect();
            rest.extend(view_pairs(page));
            let base = name.trim_start_matches("not_");
            ActiveFilter {
                label: param_label(name),
                value: value_label(name, value),
                meant: resolved
                    .iter()
                    .find(|r| r.param == base && &r.given == value)
                    .map(|r| r.meant.clone()),
                remove_href: href("/", &rest),
            }
        })
        .collect()
}

/// The non-filter parameters a link keeps: a non-default limit and order.
pub fn view_pairs(page: &PageRequest) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    if page.limit != DEFAULT_LIMIT {
        pairs.push(("limit", page.limit.to_string()));
    }
    if page.order != Order::Newest {
        pairs.push(("order", page.order.as_str().to_string()));
    }
    if page.view != View::List {
        pairs.push(("view", page.view.as_str().to_string()));
    }
    pairs
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
    /// Chosen values the visible fields cannot show (second values,
    /// exclusions, a non-default limit or order), kept in hidden fields.
    pub hidden: Vec<(&'static str, String)>,
    pub kinds: Vec<(&'static str, &'static str)>,
    pub statuses: Vec<&'static str>,
    /// Whether any filter is set (the form starts folded when none is).
    pub active: bool,
    /// Names for the `<datalist>`s of the country, counterpart and
    /// official fields, most frequent first.
    pub countries: Vec<String>,
    pub counterparts: Vec<String>,
    pub officials: Vec<String>,
}

impl FormView {
    pub fn new(filter: &EngagementFilter, page: &PageRequest) -> Self {
        let mut hidden = Vec::new();
        let mut first = |name: &'static str, values: (Vec<String>, Vec<String>)| {
            let mut any = values.0.into_iter();
            let shown = any.next().unwrap_or_default();
            hidden.extend(any.map(|v| (name, v)));
            let not_name = match name {
                "kind" => "not_kind",
                "status" => "not_status",
                "country" => "not_country",
                "counterpart" => "not_counterpart",
                _ => "not_official",
            };
            hidden.extend(values.1.into_iter().map(|v| (not_name, v)));
            shown
        };
        let counterpart = first("counterpart", param_values(filter, "counterpart"));
        let official = first("official", param_values(filter, "official"));
        let country = first("country", param_values(filter, "country"));
        let kind = first("kind", param_values(filter, "kind"));
        let status = first("status", param_values(filter, "status"));
        hidden.extend(view_pairs(page));
        FormView {
            from: filter.from.map(|d| d.to_string()).unwrap_or_default(),
            to: filter.to.map(|d| d.to_string()).unwrap_or_default(),
            counterpart,
            official,
            country,
            kind,
            status,
            q: filter.q.clone().unwrap_or_default(),
            hidden,
            kinds: Kind::ALL.iter().map(|k| (k.as_str(), k.label())).collect(),
            statuses: Status::ALL.iter().map(|s| s.as_str()).collect(),
            active: !filter.is_empty(),
            countries: Vec::new(),
            counterparts: Vec::new(),
            officials: Vec::new(),
        }
    }

    /// Suggests the names in `facets` (the whole database's, ideally).
    pub fn with_suggestions(mut self, facets: &Facets) -> Self {
        let labels = |counts: &[FacetCount]| counts.iter().map(|c| c.label.clone()).collect();
        self.countries = labels(&facets.countries);
        self.counterparts = labels(&facets.counterparts);
        self.officials = labels(&facets.officials);
        self
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
            kind: Values::one(Kind::Call),
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
        assert_eq!(
            view.groups[1].items[0].exclude_href,
            "/?not_country=Ukraine&kind=call"
        );
    }
}
