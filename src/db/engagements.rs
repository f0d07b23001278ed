//! Read queries for the timeline: one page of engagements for a filter
//! (keyset-paginated, newest first, undated last), one engagement by id,
//! id redirects, and facet counts.
//!
//! Built to stay fast on a million engagements. A filter on an actor,
//! a country or excerpt text can be common (a Secretary of State is in a
//! third of the rows) or rare (a minister met once). For a common one the
//! cheapest plan walks the timeline index newest first and checks each row
//! until the page is full; for a rare one that walk would read the whole
//! table, and the cheap plan starts from the few candidate rows instead and
//! sorts them. [`Plan`] picks between them from a capped count of the
//! candidates; both plans apply the same per-row checks, so they always
//! return the same rows.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Row, Sqlite, SqliteConnection};

use super::{Db, DbError};
use crate::model::{
    Actor, ActorKind, DatePrecision, Engagement, Kind, Participant, Side, Source, Status,
};
use crate::query::{search_terms, Cursor, EngagementFilter, Order, PageRequest, Values};

// Weekly counts and contact history (issue 9), in their own file so they
// share the plans without crowding this one.
mod activity;
pub use activity::{activity, Activity, Contact, Previous};

/// Facet counts of a filtered view cover at most this many matching rows
/// (the newest), so counting never reads more than that per request.
pub const FACET_CAP: u64 = 10_000;
/// How many countries / counterparts / officials a facet lists by default.
pub const FACET_TOP: u32 = 10;
/// How many of each top list `refresh_facet_counts` stores.
const STORED_TOP: u32 = 50;
/// Candidate sets are counted up to this many rows; a bigger one is never
/// worth starting from.
const COUNT_CAP: i64 = 50_000;
/// Rough cost of starting from one candidate (lookup and sort), in the
/// unit of `Member::check_cost`.
const DRIVE_COST: f64 = 6.0;
/// `sort_date` of undated engagements (see the schema).
const UNDATED: &str = "0000-00-00";

/// One page of the timeline, and where the next one starts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EngagementPage {
    pub engagements: Vec<Engagement>,
    pub next: Option<Cursor>,
    /// Where the page before starts: `Some(None)` is the first page; `None`
    /// when this is the first page.
    pub previous: Option<Option<Cursor>>,
    /// How many rows of the view come before this page.
    pub offset: u64,
}

/// Counts for the filter form: how the current view splits by kind, status,
/// country and actor.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// Matching engagements; [`FACET_CAP`] when `capped`.
    pub total: u64,
    /// More than [`FACET_CAP`] engagements match: `total` is a floor and the
    /// counts cover the newest [`FACET_CAP`].
    pub capped: bool,
    pub kinds: Vec<FacetCount>,
    pub statuses: Vec<FacetCount>,
    /// Counterpart countries (by name, as the `country` filter takes them).
    pub countries: Vec<FacetCount>,
    /// Foreign people and organisations (by slug).
    pub counterparts: Vec<FacetCount>,
    /// U.S. participants (by slug).
    pub officials: Vec<FacetCount>,
    /// Engagements per month and status: value `YYYY-MM|status`, for the
    /// activity histogram. Undated rows are left out.
    pub months: Vec<FacetCount>,
}

/// One facet value: what a filter link carries, what the page shows, and
/// how many engagements have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    pub value: String,
    pub label: String,
    pub count: u64,
}

/// One page of engagements matching `filter`, in the page's order.
#[tracing::instrument(skip_all)]
pub async fn list(
    db: &Db,
    filter: &EngagementFilter,
    page: &PageRequest,
) -> Result<EngagementPage, DbError> {
    let limit = page.limit.max(1) as usize;
    let plan = Plan::new(db, filter, page.limit + 1).await?;
    let start = page.cursor.as_ref().map_or(0, |c| c.offset);
    let at = page.cursor.as_ref().map(|c| Position {
        cursor: c,
        order: page.order,
        inclusive: false,
    });
    let mut keys = plan.keys(db, at, page.order, page.limit + 1).await?;
    let next = if keys.len() > limit {
        keys.truncate(limit);
        keys.last().map(|(id, sort_date)| Cursor {
            sort_date: sort_date.clone(),
            id: id.clone(),
            offset: start + limit as u64,
        })
    } else {
        None
    };
    let previous = match &page.cursor {
        None => None,
        Some(cursor) => Some(plan.previous(db, cursor, page).await?),
    };
    let ids: Vec<String> = keys.into_iter().map(|(id, _)| id).collect();
    let engagements = load(db, &ids).await?;
    Ok(EngagementPage {
        engagements,
        next,
        previous,
        offset: start,
    })
}

/// How many engagements match `filter`, counting up to `cap`.
#[tracing::instrument(skip_all)]
pub async fn count(db: &Db, filter: &EngagementFilter, cap: u32) -> Result<u64, DbError> {
    let plan = Plan::new(db, filter, cap).await?;
    plan.count(db, cap).await
}

/// How many undated engagements would match `filter` without its date
/// bounds (a date bound leaves them out), counting up to `cap`.
#[tracing::instrument(skip_all)]
pub async fn undated_count(db: &Db, filter: &EngagementFilter, cap: u32) -> Result<u64, DbError> {
    let mut plan = Plan::new(db, &filter.undated_part(), cap).await?;
    plan.only_undated = true;
    // The undated rows sit together at one end of the timeline index, so
    // walking it is always cheap.
    plan.driver = None;
    plan.count(db, cap).await
}

/// The engagement with this id, fully populated.
#[tracing::instrument(skip_all)]
pub async fn get(db: &Db, id: &str) -> Result<Option<Engagement>, DbError> {
    Ok(load(db, &[id.to_string()]).await?.into_iter().next())
}

/// Where an old engagement id now lives, following chains of renames
/// (a cycle or a very long chain stops where it is).
#[tracing::instrument(skip_all)]
pub async fn redirect_for(db: &Db, id: &str) -> Result<Option<String>, DbError> {
    super::follow_redirects(
        db,
        "SELECT new_id FROM engagement_redirects WHERE old_id = ?",
        id,
    )
    .await
}

/// Facet counts for `filter`, with the default top-list length.
pub async fn facets(db: &Db, filter: &EngagementFilter) -> Result<Facets, DbError> {
    facets_top(db, filter, FACET_TOP).await
}

/// `WITH m0 AS (…), m AS (…)`: the view's matches, `m0` up to one past
/// [`FACET_CAP`] (so a count can tell it was cut) and `m` the newest
/// [`FACET_CAP`] of them, with their id, sort date, kind and status.
fn push_newest_window(sql: &mut Sql, plan: &Plan) {
    sql.push("WITH m0 AS MATERIALIZED (");
    plan.push_select(
        sql,
        "e.id AS id, e.sort_date AS sort_date, e.kind AS kind, e.status AS status",
        None,
        Order::Newest,
    );
    sql.push(" LIMIT ").int(FACET_CAP as i64 + 1);
    sql.push(
        "), m AS MATERIALIZED (SELECT id, sort_date, kind, status FROM m0 \
         ORDER BY sort_date DESC, id DESC LIMIT ",
    )
    .int(FACET_CAP as i64)
    .push(")");
}

/// Facet counts for `filter`, listing `top` countries, counterparts and
/// officials. The unfiltered view reads `facet_counts` (exact); any other
/// view counts over its newest [`FACET_CAP`] matches.
#[tracing::instrument(skip_all)]
pub async fn facets_top(db: &Db, filter: &EngagementFilter, top: u32) -> Result<Facets, DbError> {
    if filter.is_empty() && top <= STORED_TOP {
        if let Some(facets) = stored_facets(db, top).await? {
            return Ok(facets);
        }
    }
    let plan = Plan::new(db, filter, FACET_CAP as u32 + 1).await?;
    if plan.empty {
        return Ok(Facets::default());
    }
    let mut sql = Sql::default();
    push_newest_window(&mut sql, &plan);
    sql.push(", ");
    push_facet_groups(&mut sql, "(SELECT COUNT(*) FROM m0)", top);
    let rows = sql.query().fetch_all(&db.reader).await?;
    let mut facets = facets_from_rows(&rows)?;
    if facets.total > FACET_CAP {
        facets.total = FACET_CAP;
        facets.capped = true;
    }
    Ok(facets)
}

/// Recounts `facet_counts` for the unfiltered timeline. Call it at the end
/// of every rebuild (inside its transaction is fine): any write to
/// engagements, participants or actors empties the table (migration 0002),
/// and until the next refresh the front page falls back to capped counts.
#[tracing::instrument(skip_all)]
pub async fn refresh_facet_counts(conn: &mut SqliteConnection) -> Result<(), DbError> {
    sqlx::query("DELETE FROM facet_counts")
        .execute(&mut *conn)
        .await?;
    let mut sql = Sql::default();
    sql.push(
        "INSERT INTO facet_counts (facet, value, label, count) \
         WITH m AS (SELECT id, kind, status, sort_date FROM engagements), ",
    );
    push_facet_groups(&mut sql, "(SELECT COUNT(*) FROM engagements)", STORED_TOP);
    sql.query().execute(&mut *conn).await?;
    Ok(())
}

/// Appends CTE `j` and the UNION ALL of per-facet counts over the rows of
/// CTE `m` (id, kind, status, sort_date), which the caller has opened a WITH clause
/// for. Columns: facet, value, label, n. Each engagement's participants
/// are read once, into `j`, and every group counts from there; CROSS JOIN
/// keeps SQLite from starting at the (much larger) participants table.
fn push_facet_groups(sql: &mut Sql, total: &str, top: u32) {
    sql.push(
        "j AS MATERIALIZED (SELECT p.engagement_id AS eid, p.side AS side, a.id AS aid, \
             a.slug AS slug, a.name AS name, a.kind AS akind, a.country AS country \
             FROM m CROSS JOIN participants p ON p.engagement_id = m.id \
             CROSS JOIN actors a ON a.id = p.actor_id) \
         SELECT 'total', '', '', ",
    )
    .push(total)
    .push(
        " UNION ALL \
         SELECT 'kind', kind, kind, COUNT(*) FROM m GROUP BY kind \
         UNION ALL \
         SELECT 'status', status, status, COUNT(*) FROM m GROUP BY status \
         UNION ALL \
         SELECT 'month', substr(sort_date, 1, 7) || '|' || status, '', COUNT(*) FROM m \
         WHERE sort_date > '0000-00-00' GROUP BY substr(sort_date, 1, 7), status \
         UNION ALL \
         SELECT * FROM (SELECT 'country', c.country, c.country, COUNT(*) AS n FROM ( \
             SELECT eid, name AS country FROM j WHERE akind = 'country' \
             UNION \
             SELECT eid, country FROM j \
             WHERE akind = 'person' AND side = 'counterpart' AND country IS NOT NULL \
         ) c GROUP BY c.country ORDER BY n DESC, c.country LIMIT ",
    )
    .int(top.into())
    .push(
        ") UNION ALL \
         SELECT * FROM (SELECT 'counterpart', slug, name, COUNT(*) AS n FROM j \
         WHERE side = 'counterpart' AND akind <> 'country' \
         GROUP BY aid ORDER BY n DESC, name LIMIT ",
    )
    .int(top.into())
    .push(
        ") UNION ALL \
         SELECT * FROM (SELECT 'official', slug, name, COUNT(*) AS n FROM j \
         WHERE side = 'us' AND akind <> 'country' \
         GROUP BY aid ORDER BY n DESC, name LIMIT ",
    )
    .int(top.into())
    .push(")");
}

#[tracing::instrument(skip_all)]
async fn stored_facets(db: &Db, top: u32) -> Result<Option<Facets>, DbError> {
    let rows = sqlx::query(
        "SELECT facet, value, label, n FROM ( \
             SELECT facet, value, label, count AS n, \
                    row_number() OVER (PARTITION BY facet ORDER BY count DESC, label) AS rank \
             FROM facet_counts) \
         WHERE rank <= ? OR facet = 'month'",
    )
    .bind(i64::from(top))
    .fetch_all(&db.reader)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    facets_from_rows(&rows).map(Some)
}

fn facets_from_rows(rows: &[SqliteRow]) -> Result<Facets, DbError> {
    let mut facets = Facets::default();
    for row in rows {
        let facet: String = row.try_get(0)?;
        let count = FacetCount {
            value: row.try_get(1)?,
            label: row.try_get(2)?,
            count: row.try_get::<i64, _>(3)?.max(0) as u64,
        };
        match facet.as_str() {
            "total" => facets.total = count.count,
            "kind" => facets.kinds.push(count),
            "status" => facets.statuses.push(count),
            "country" => facets.countries.push(count),
            "counterpart" => facets.counterparts.push(count),
            "official" => facets.officials.push(count),
            "month" => facets.months.push(count),
            _ => {}
        }
    }
    for list in [
        &mut facets.kinds,
        &mut facets.statuses,
        &mut facets.countries,
        &mut facets.counterparts,
        &mut facets.officials,
    ] {
        list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    }
    facets.months.sort_by(|a, b| a.value.cmp(&b.value));
    for kind in &mut facets.kinds {
        if let Some(k) = Kind::parse(&kind.value) {
            kind.label = k.label().to_string();
        }
    }
    Ok(facets)
}

// ---------------------------------------------------------------------------
// Loading full engagements for a set of ids.

/// The engagements with these ids, in the order given (unknown ids are
/// skipped), each with its participants, organisations, countries and
/// sources. Three queries whatever the number of ids.
#[tracing::instrument(skip_all)]
pub(crate) async fn load(db: &Db, ids: &[String]) -> Result<Vec<Engagement>, DbError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    // The ids travel as one JSON array, so the statement is the same for any
    // page size and needs no placeholder per id.
    let ids_json = serde_json::to_string(ids).expect("strings serialise");

    let rows = sqlx::query(
        "SELECT e.id, e.date, e.end_date, e.date_precision, e.kind, e.status \
         FROM engagements e WHERE e.id IN (SELECT value FROM json_each(?))",
    )
    .bind(&ids_json)
    .fetch_all(&db.reader)
    .await?;
    let mut by_id: HashMap<String, Engagement> = HashMap::with_capacity(rows.len());
    for row in &rows {
        let id: String = row.try_get(0)?;
        let engagement = Engagement {
            id: id.clone(),
            date: parse_date(row.try_get(1)?)?,
            end_date: parse_date(row.try_get(2)?)?,
            precision: parse_code(row.try_get(3)?, DatePrecision::parse, "date_precision")?,
            kind: parse_code(row.try_get(4)?, Kind::parse, "kind")?,
            status: parse_code(row.try_get(5)?, Status::parse, "status")?,
            participants: Vec::new(),
            organizations: Vec::new(),
            countries: Vec::new(),
            sources: Vec::new(),
        };
        by_id.insert(id, engagement);
    }

    let rows = sqlx::query(
        "SELECT p.engagement_id, p.side, p.title, \
                a.slug, a.name, a.kind, a.country, a.short_name, a.title \
         FROM participants p JOIN actors a ON a.id = p.actor_id \
         WHERE p.engagement_id IN (SELECT value FROM json_each(?)) \
         ORDER BY p.engagement_id, p.position, a.name",
    )
    .bind(&ids_json)
    .fetch_all(&db.reader)
    .await?;
    for row in &rows {
        let id: String = row.try_get(0)?;
        let Some(engagement) = by_id.get_mut(&id) else {
            continue;
        };
        let side = parse_code(row.try_get(1)?, Side::parse, "side")?;
        let title: Option<String> = row.try_get(2)?;
        let actor = actor_from_row(row, 3)?;
        match actor.kind {
            ActorKind::Person => {
                if side == Side::Counterpart {
                    if let Some(country) = &actor.country {
                        push_unique(&mut engagement.countries, country);
                    }
                }
                engagement
                    .participants
                    .push(Participant { actor, side, title });
            }
            ActorKind::Organization => engagement.organizations.push(actor),
            ActorKind::Country => push_unique(&mut engagement.countries, &actor.name),
        }
    }

    let rows = sqlx::query(
        "SELECT v.engagement_id, d.name, COALESCE(v.url, d.source_url), v.excerpt, \
                v.start_offset, v.end_offset \
         FROM evidence v JOIN documents d ON d.id = v.document_id \
         WHERE v.engagement_id IN (SELECT value FROM json_each(?)) \
         ORDER BY v.engagement_id, d.published, d.name, v.start_offset",
    )
    .bind(&ids_json)
    .fetch_all(&db.reader)
    .await?;
    for row in &rows {
        let id: String = row.try_get(0)?;
        let Some(engagement) = by_id.get_mut(&id) else {
            continue;
        };
        engagement.sources.push(Source {
            document: row.try_get(1)?,
            url: row.try_get(2)?,
            excerpt: row.try_get(3)?,
            start: row.try_get::<i64, _>(4)?.max(0) as usize,
            end: row.try_get::<i64, _>(5)?.max(0) as usize,
        });
    }

    Ok(ids
        .iter()
        .filter_map(|id| by_id.remove(id))
        .map(|mut engagement| {
            // U.S. side first, each side in the sources' order (stable sort).
            engagement.participants.sort_by_key(|p| p.side != Side::Us);
            engagement
        })
        .collect())
}

fn push_unique(list: &mut Vec<String>, value: &str) {
    if !list.iter().any(|v| v == value) {
        list.push(value.to_string());
    }
}

/// Reads an actor from six columns starting at `at`: slug, name, kind,
/// country, short_name, title.
pub(crate) fn actor_from_row(row: &SqliteRow, at: usize) -> Result<Actor, DbError> {
    Ok(Actor {
        slug: row.try_get(at)?,
        name: row.try_get(at + 1)?,
        kind: parse_code(row.try_get(at + 2)?, ActorKind::parse, "actor kind")?,
        country: row.try_get(at + 3)?,
        short_name: row.try_get(at + 4)?,
        title: row.try_get(at + 5)?,
    })
}

/// A stored code that should always parse; a bad one is a corrupt row.
pub(crate) fn parse_code<T>(
    code: String,
    parse: fn(&str) -> Option<T>,
    what: &str,
) -> Result<T, DbError> {
    parse(&code).ok_or_else(|| corrupt(format!("unknown {what} `{code}`")))
}

/// An ISO date as stored; a month or a year alone reads as its first day.
pub(crate) fn parse_date(text: Option<String>) -> Result<Option<NaiveDate>, DbError> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    let padded = match text.len() {
        4 => format!("{text}-01-01"),
        7 => format!("{text}-01"),
        _ => text.clone(),
    };
    NaiveDate::parse_from_str(&padded, "%Y-%m-%d")
        .map(Some)
        .map_err(|_| corrupt(format!("bad date `{text}`")))
}

fn corrupt(message: String) -> DbError {
    DbError::Sqlx(sqlx::Error::Decode(message.into()))
}

// ---------------------------------------------------------------------------
// Turning a filter into SQL.

/// A statement under construction: text with `?` placeholders and the
/// values they bind, appended in step so they cannot drift apart. Only
/// fixed fragments are ever pushed as text; every value is bound.
#[derive(Default, Debug)]
struct Sql {
    text: String,
    args: Vec<Arg>,
}

#[derive(Clone, Debug)]
enum Arg {
    Text(String),
    Int(i64),
}

impl Sql {
    fn push(&mut self, fragment: &str) -> &mut Self {
        self.text.push_str(fragment);
        self
    }

    fn text(&mut self, value: impl Into<String>) -> &mut Self {
        self.text.push('?');
        self.args.push(Arg::Text(value.into()));
        self
    }

    fn int(&mut self, value: i64) -> &mut Self {
        self.text.push('?');
        self.args.push(Arg::Int(value));
        self
    }

    fn query(&self) -> sqlx::query::Query<'_, Sqlite, SqliteArguments<'_>> {
        let mut query = sqlx::query(&self.text);
        for arg in &self.args {
            query = match arg {
                Arg::Text(value) => query.bind(value.clone()),
                Arg::Int(value) => query.bind(*value),
            };
        }
        query
    }
}

/// How a counterpart or official filter value picks actors: an existing
/// slug picks that actor only; anything else is text in the name.
#[derive(Clone, Debug)]
enum ActorMatch {
    Slug(String),
    /// LIKE patterns for the name and, folded to a slug, for the slug, so
    /// "cavusoglu" finds "Mevlüt Çavuşoğlu".
    Name {
        name: String,
        slug: Option<String>,
    },
}

impl ActorMatch {
    /// Appends a condition on actor alias `a`.
    fn push_condition(&self, sql: &mut Sql) {
        match self {
            ActorMatch::Slug(slug) => {
                sql.push("a.slug = ").text(slug.as_str());
            }
            ActorMatch::Name { name, slug } => {
                sql.push("(a.name LIKE ")
                    .text(name.as_str())
                    .push(" ESCAPE '\\'");
                if let Some(slug) = slug {
                    sql.push(" OR a.slug LIKE ")
                        .text(slug.as_str())
                        .push(" ESCAPE '\\'");
                }
                sql.push(")");
            }
        }
    }
}

/// A condition that needs other tables: which actors or text an
/// engagement must (or, `negate`d, must not) have.
#[derive(Clone, Debug)]
enum Member {
    /// An actor matching any of `actors` on one side.
    Actor {
        side: Side,
        actors: Vec<ActorMatch>,
        negate: bool,
    },
    /// A country (any of `names`) taking part, or a counterpart person from it.
    Country { names: Vec<String>, negate: bool },
    /// Every term (a LIKE pattern) in one excerpt; `trigram` is the MATCH
    /// expression for the parts long enough for the trigram index.
    Text {
        patterns: Vec<String>,
        trigram: Option<String>,
    },
}

impl Member {
    fn negated(&self) -> bool {
        matches!(
            self,
            Member::Actor { negate: true, .. } | Member::Country { negate: true, .. }
        )
    }

    /// Appends ` AND [NOT] EXISTS (…)` checking engagement `e` row by row.
    /// Both plans apply it, which is what makes them agree.
    fn push_check(&self, sql: &mut Sql) {
        sql.push(if self.negated() {
            " AND NOT EXISTS ("
        } else {
            " AND EXISTS ("
        });
        match self {
            Member::Actor { side, actors, .. } => {
                sql.push(
                    "SELECT 1 FROM participants p JOIN actors a ON a.id = p.actor_id \
                     WHERE p.engagement_id = e.id AND p.side = ",
                )
                .text(side.as_str())
                .push(" AND ");
                push_any(sql, actors);
            }
            Member::Country { names, .. } => {
                sql.push(
                    "SELECT 1 FROM participants p JOIN actors a ON a.id = p.actor_id \
                     WHERE p.engagement_id = e.id AND ((a.kind = 'country' AND ",
                );
                push_names(sql, "a.name", names);
                sql.push(") OR (a.kind = 'person' AND p.side = 'counterpart' AND ");
                push_names(sql, "a.country", names);
                sql.push("))");
            }
            Member::Text { patterns, .. } => {
                sql.push("SELECT 1 FROM evidence v WHERE v.engagement_id = e.id");
                for pattern in patterns {
                    sql.push(" AND v.excerpt LIKE ")
                        .text(pattern.as_str())
                        .push(" ESCAPE '\\'");
                }
            }
        }
        sql.push(")");
    }

    /// Rough cost of [`Member::push_check`] per row, in microseconds.
    fn check_cost(&self) -> f64 {
        match self {
            Member::Actor { actors, .. } => actors
                .iter()
                .map(|a| match a {
                    ActorMatch::Slug(_) => 2.0,
                    ActorMatch::Name { .. } => 8.0,
                })
                .sum(),
            Member::Country { names, .. } => 8.0 * names.len() as f64,
            Member::Text { .. } => 6.0,
        }
    }

    /// Appends `SELECT COUNT(*)` of the candidates, stopping at `cap`, or
    /// returns false when there are no cheap candidates (an exclusion has
    /// none). Text counts its index hits directly: going through evidence
    /// would gather them all before the LIMIT applies.
    fn push_count(&self, sql: &mut Sql, cap: i64) -> bool {
        if self.negated() {
            return false;
        }
        sql.push("SELECT COUNT(*) FROM (");
        match self {
            Member::Text {
                trigram: Some(trigram),
                ..
            } => {
                sql.push("SELECT rowid FROM mention_trigram WHERE mention_trigram MATCH ")
                    .text(trigram.as_str());
            }
            Member::Text { trigram: None, .. } => return false,
            Member::Actor { .. } | Member::Country { .. } => {
                self.push_candidates(sql, false);
            }
        }
        sql.push(" LIMIT ").int(cap).push(")");
        true
    }

    /// Appends a query for a superset of the matching engagement ids
    /// (column `eid`), or returns false when there is no cheap one.
    fn push_candidates(&self, sql: &mut Sql, distinct: bool) -> bool {
        let select = if distinct {
            "SELECT DISTINCT "
        } else {
            "SELECT "
        };
        match self {
            Member::Actor { side, actors, .. } => {
                sql.push(select)
                    .push("p.engagement_id AS eid FROM participants p WHERE p.side = ")
                    .text(side.as_str())
                    .push(" AND p.actor_id IN (SELECT a.id FROM actors a WHERE ");
                push_any(sql, actors);
                sql.push(")");
            }
            Member::Country { names, .. } => {
                sql.push(select).push(
                    "p.engagement_id AS eid FROM participants p WHERE p.actor_id IN \
                     (SELECT a.id FROM actors a WHERE (a.kind = 'country' AND ",
                );
                push_names(sql, "a.name", names);
                sql.push(") OR (a.kind = 'person' AND ");
                push_names(sql, "a.country", names);
                sql.push("))");
            }
            Member::Text { trigram, .. } => {
                let Some(trigram) = trigram else {
                    return false;
                };
                sql.push(select)
                    .push(
                        "v.engagement_id AS eid FROM evidence v WHERE v.mention_id IN \
                         (SELECT rowid FROM mention_trigram WHERE mention_trigram MATCH ",
                    )
                    .text(trigram.as_str())
                    .push(")");
            }
        }
        true
    }
}

/// `(c1 OR c2 …)` over actor alias `a`.
fn push_any(sql: &mut Sql, actors: &[ActorMatch]) {
    sql.push("(");
    for (index, actor) in actors.iter().enumerate() {
        if index > 0 {
            sql.push(" OR ");
        }
        actor.push_condition(sql);
    }
    sql.push(")");
}

/// `(column = ? COLLATE NOCASE OR …)`: an OR of equalities, which SQLite
/// answers from the column's NOCASE index one value at a time.
fn push_names(sql: &mut Sql, column: &str, names: &[String]) {
    sql.push("(");
    for (index, name) in names.iter().enumerate() {
        if index > 0 {
            sql.push(" OR ");
        }
        sql.push(column)
            .push(" = ")
            .text(name.as_str())
            .push(" COLLATE NOCASE");
    }
    sql.push(")");
}

/// Where a key query starts: after (or, `inclusive`, at) `cursor`, walking
/// in `order`.
#[derive(Clone, Copy)]
struct Position<'a> {
    cursor: &'a Cursor,
    order: Order,
    inclusive: bool,
}

/// A filter ready to run: plain column conditions, the membership checks,
/// and which membership (if any) drives the query.
#[derive(Debug)]
struct Plan {
    filter: EngagementFilter,
    members: Vec<Member>,
    /// Index into `members` of the candidate set to start from; `None`
    /// walks the timeline index.
    driver: Option<usize>,
    /// Some condition can match nothing: skip the query.
    empty: bool,
    /// Only undated rows (for "N undated engagements hidden").
    only_undated: bool,
}

impl Plan {
    /// Resolves `filter` and picks the cheaper plan for fetching `want` rows.
    async fn new(db: &Db, filter: &EngagementFilter, want: u32) -> Result<Plan, DbError> {
        let mut members = Vec::new();
        for (side, values) in [
            (Side::Counterpart, &filter.counterpart),
            (Side::Us, &filter.official),
        ] {
            for (list, negate) in [(&values.any, false), (&values.not, true)] {
                if list.is_empty() {
                    continue;
                }
                let mut actors = Vec::with_capacity(list.len());
                for value in list {
                    actors.push(actor_match(db, value).await?);
                }
                members.push(Member::Actor {
                    side,
                    actors,
                    negate,
                });
            }
        }
        for (list, negate) in [(&filter.country.any, false), (&filter.country.not, true)] {
            if list.is_empty() {
                continue;
            }
            let mut names = Vec::with_capacity(list.len());
            for value in list {
                names.push(country_name(db, value).await?);
            }
            members.push(Member::Country { names, negate });
        }
        if let Some(q) = &filter.q {
            members.extend(text_member(q));
        }
        let mut plan = Plan {
            filter: filter.clone(),
            members,
            driver: None,
            empty: false,
            only_undated: false,
        };
        plan.choose_driver(db, want).await?;
        Ok(plan)
    }

    /// Picks the cheaper plan from capped candidate counts. Walking the
    /// timeline index reads about `want / selectivity` rows, each paying
    /// every membership check; starting from the smallest candidate set
    /// pays one lookup per candidate plus a sort. The per-row costs are
    /// rough microsecond figures measured on a million engagements.
    async fn choose_driver(&mut self, db: &Db, want: u32) -> Result<(), DbError> {
        if self.members.is_empty() {
            return Ok(());
        }
        let total: Option<i64> = sqlx::query_scalar("SELECT MAX(rowid) FROM engagements")
            .fetch_one(&db.reader)
            .await?;
        let total = total.unwrap_or(0).max(1) as f64;
        // Without statistics, guess how much the plain columns narrow.
        let mut selectivity = 1.0;
        if !self.filter.kind.any.is_empty() {
            selectivity *= (0.3 * self.filter.kind.any.len() as f64).min(1.0);
        }
        if !self.filter.status.any.is_empty() {
            selectivity *= 0.5;
        }
        if self.filter.from.is_some() || self.filter.to.is_some() {
            selectivity *= 0.5;
        }
        let mut check_cost = 0.0;
        let mut best: Option<(usize, i64)> = None;
        for (index, member) in self.members.iter().enumerate() {
            check_cost += member.check_cost();
            let mut sql = Sql::default();
            if !member.push_count(&mut sql, COUNT_CAP) {
                continue;
            }
            let count: i64 = sql.query().fetch_one(&db.reader).await?.try_get(0)?;
            if count == 0 {
                // A superset of the matches is empty: nothing matches.
                self.empty = true;
                return Ok(());
            }
            selectivity *= (count as f64 / total).min(1.0);
            if count < COUNT_CAP && best.is_none_or(|(_, b)| count < b) {
                best = Some((index, count));
            }
        }
        let scan_cost = f64::from(want) / selectivity.max(1e-9) * (1.0 + check_cost);
        self.driver = best
            .filter(|(_, count)| (*count as f64) * DRIVE_COST < scan_cost)
            .map(|(index, _)| index);
        Ok(())
    }

    /// Appends `SELECT <columns> FROM … WHERE … ORDER BY …` (no LIMIT) for
    /// the rows from `at`, in `order`.
    fn push_select(&self, sql: &mut Sql, columns: &str, at: Option<Position>, order: Order) {
        sql.push("SELECT ").push(columns);
        match self.driver.map(|index| &self.members[index]) {
            Some(driver) => {
                // CROSS JOIN keeps SQLite from reordering: candidates first,
                // then each engagement by primary key.
                sql.push(" FROM (");
                driver.push_candidates(sql, true);
                sql.push(") AS m CROSS JOIN engagements e ON e.id = m.eid WHERE 1 = 1");
            }
            None => {
                sql.push(" FROM engagements e WHERE 1 = 1");
            }
        }
        let filter = &self.filter;
        if let Some(from) = filter.from {
            sql.push(" AND e.sort_date >= ").text(from.to_string());
        }
        if let Some(to) = filter.to {
            // Undated rows sort as '0000-00-00': a date bound excludes them.
            sql.push(" AND e.sort_date <= ")
                .text(to.to_string())
                .push(" AND e.sort_date > ")
                .text(UNDATED);
        }
        if self.only_undated {
            sql.push(" AND e.sort_date = ").text(UNDATED);
        }
        push_codes(sql, "e.kind", &filter.kind, |k| k.as_str());
        push_codes(sql, "e.status", &filter.status, |s| s.as_str());
        if let Some(at) = at {
            let op = match (at.order, at.inclusive) {
                (Order::Newest, false) => " < (",
                (Order::Newest, true) => " <= (",
                (Order::Oldest, false) => " > (",
                (Order::Oldest, true) => " >= (",
            };
            sql.push(" AND (e.sort_date, e.id)")
                .push(op)
                .text(at.cursor.sort_date.as_str())
                .push(", ")
                .text(at.cursor.id.as_str())
                .push(")");
        }
        for member in &self.members {
            member.push_check(sql);
        }
        sql.push(match order {
            Order::Newest => " ORDER BY e.sort_date DESC, e.id DESC",
            Order::Oldest => " ORDER BY e.sort_date ASC, e.id ASC",
        });
    }

    /// `(id, sort_date)` of up to `limit` matching rows from `at`.
    async fn keys(
        &self,
        db: &Db,
        at: Option<Position<'_>>,
        order: Order,
        limit: u32,
    ) -> Result<Vec<(String, String)>, DbError> {
        if self.empty {
            return Ok(Vec::new());
        }
        let mut sql = Sql::default();
        self.push_select(&mut sql, "e.id, e.sort_date", at, order);
        sql.push(" LIMIT ").int(limit.into());
        let rows = sql.query().fetch_all(&db.reader).await?;
        rows.iter()
            .map(|row| Ok((row.try_get(0)?, row.try_get(1)?)))
            .collect()
    }

    /// The cursor of the page before the one that starts after `cursor`:
    /// walk back from `cursor` (inclusive) one page and one row; the extra
    /// row, if any, is where that page starts after. `None` is the first page.
    async fn previous(
        &self,
        db: &Db,
        cursor: &Cursor,
        page: &PageRequest,
    ) -> Result<Option<Cursor>, DbError> {
        let back = match page.order {
            Order::Newest => Order::Oldest,
            Order::Oldest => Order::Newest,
        };
        let at = Position {
            cursor,
            order: back,
            inclusive: true,
        };
        let keys = self.keys(db, Some(at), back, page.limit + 1).await?;
        if keys.len() <= page.limit as usize {
            return Ok(None);
        }
        let (id, sort_date) = keys[page.limit as usize].clone();
        Ok(Some(Cursor {
            sort_date,
            id,
            offset: cursor.offset.saturating_sub(u64::from(page.limit)).max(1),
        }))
    }

    /// Matching rows, counted up to `cap`.
    async fn count(&self, db: &Db, cap: u32) -> Result<u64, DbError> {
        if self.empty {
            return Ok(0);
        }
        let mut sql = Sql::default();
        sql.push("SELECT COUNT(*) FROM (");
        self.push_select(&mut sql, "e.id", None, Order::Newest);
        sql.push(" LIMIT ").int(cap.into()).push(")");
        let n: i64 = sql.query().fetch_one(&db.reader).await?.try_get(0)?;
        Ok(n.max(0) as u64)
    }
}

/// ` AND column IN (…) AND column NOT IN (…)` for the chosen codes.
fn push_codes<T: PartialEq + Copy>(
    sql: &mut Sql,
    column: &str,
    values: &Values<T>,
    code: fn(T) -> &'static str,
) {
    for (list, op) in [(&values.any, " IN ("), (&values.not, " NOT IN (")] {
        if list.is_empty() {
            continue;
        }
        sql.push(" AND ").push(column).push(op);
        for (index, value) in list.iter().enumerate() {
            if index > 0 {
                sql.push(", ");
            }
            sql.text(code(*value));
        }
        sql.push(")");
    }
}

/// An existing slug picks that actor; anything else is matched as text.
async fn actor_match(db: &Db, value: &str) -> Result<ActorMatch, DbError> {
    let known: Option<i64> = sqlx::query_scalar("SELECT 1 FROM actors WHERE slug = ?")
        .bind(value)
        .fetch_optional(&db.reader)
        .await?;
    if known.is_some() {
        return Ok(ActorMatch::Slug(value.to_string()));
    }
    let slug = crate::model::slugify(value);
    Ok(ActorMatch::Name {
        name: contains_pattern(value),
        slug: (!slug.is_empty()).then(|| contains_pattern(&slug)),
    })
}

/// The country name a `country` value stands for: a country actor's slug
/// gives its name; anything else is taken as a name.
async fn country_name(db: &Db, value: &str) -> Result<String, DbError> {
    let name: Option<String> =
        sqlx::query_scalar("SELECT name FROM actors WHERE kind = 'country' AND slug = ?")
            .bind(value)
            .fetch_optional(&db.reader)
            .await?;
    Ok(name.unwrap_or_else(|| value.to_string()))
}

/// The `q` condition: every word and "quoted phrase" must occur in one
/// excerpt. An apostrophe matches any one character, so `Biden's` finds
/// `Biden’s`. `None` when `q` has no terms.
fn text_member(q: &str) -> Option<Member> {
    let terms = search_terms(q);
    if terms.is_empty() {
        return None;
    }
    let patterns = terms
        .iter()
        .map(|t| contains_pattern(&t.text).replace('\'', "_"))
        .collect();
    // The trigram index only knows strings of three characters or more and
    // is exact about apostrophes; the parts between them are left to it,
    // shorter ones to the row check.
    let phrases: Vec<String> = terms
        .iter()
        .flat_map(|t| t.text.split('\'').map(str::to_string).collect::<Vec<_>>())
        .filter(|part| part.trim().chars().count() >= 3)
        .map(|part| format!("\"{}\"", part.replace('"', "\"\"")))
        .collect();
    Some(Member::Text {
        patterns,
        trigram: (!phrases.is_empty()).then(|| phrases.join(" ")),
    })
}

/// A LIKE pattern (with `\` as escape) matching text that contains `value`.
fn contains_pattern(value: &str) -> String {
    let mut pattern = String::with_capacity(value.len() + 2);
    pattern.push('%');
    for ch in value.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn search_words_become_quoted_trigram_phrases() {
        let Some(Member::Text { patterns, trigram }) =
            text_member("  Xi say \"hi there\" Biden’s ")
        else {
            panic!("expected a text member");
        };
        assert_eq!(patterns, vec!["%Xi%", "%say%", "%hi there%", "%Biden_s%"]);
        assert_eq!(trigram.as_deref(), Some("\"say\" \"hi there\" \"Biden\""));
        let Some(Member::Text { trigram, .. }) = text_member("EU") else {
            panic!("expected a text member");
        };
        assert_eq!(trigram, None);
        assert!(text_member("   ").is_none());
    }

    /// `n` engagements: all with official `common`, one in 500 with
    /// counterpart `rare` (country Rareland), excerpts "common text tokenNNNNN".
    async fn seeded(n: i64) -> (tempfile::TempDir, Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = Db::open(&dir.path().join("plans.db")).await.unwrap();
        for sql in [
            "INSERT INTO actors (slug, name, kind, country) VALUES \
             ('common', 'Common Official', 'person', 'United States'), \
             ('rare', 'Rare Person', 'person', 'Rareland'), \
             ('usual', 'Usual Person', 'person', 'Usualia')",
            "INSERT INTO documents (name, content_hash, shape, imported_at, body) \
             VALUES ('d.txt', 'h', 'run_on', '2024-01-01T00:00:00Z', '')",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) \
             INSERT INTO engagements (id, date, date_precision, kind, status, sort_date, \
                 source_count, fingerprint) \
             SELECT printf('e%05d', i), NULL, 'day', \
                 CASE i % 2 WHEN 0 THEN 'call' ELSE 'visit' END, 'held', \
                 CASE WHEN i % 40 = 0 THEN '0000-00-00' \
                      ELSE date('2000-01-01', '+' || (i % 300) || ' days') END, 1, '' FROM n",
            "INSERT INTO participants (engagement_id, actor_id, side, position) \
             SELECT e.id, (SELECT a.id FROM actors a WHERE a.slug = 'common'), 'us', 0 \
             FROM engagements e",
            "INSERT INTO participants (engagement_id, actor_id, side, position) \
             SELECT e.id, (SELECT a.id FROM actors a WHERE a.slug = \
                 CASE WHEN CAST(substr(e.id, 2) AS INTEGER) % 500 = 7 THEN 'rare' ELSE 'usual' END), \
                 'counterpart', 1 FROM engagements e",
            "INSERT INTO mentions (id, document_id, ordinal, payload) \
             SELECT CAST(substr(id, 2) AS INTEGER), 1, CAST(substr(id, 2) AS INTEGER), \
                 json_object('excerpt', 'common text token' || id) FROM engagements",
            "INSERT INTO evidence (engagement_id, mention_id, document_id, excerpt, \
                 start_offset, end_offset) \
             SELECT id, CAST(substr(id, 2) AS INTEGER), 1, 'common text token' || id, 0, 1 \
             FROM engagements",
        ] {
            sqlx::query(sql).bind(n).execute(&db.writer).await.unwrap();
        }
        (dir, db)
    }

    async fn walk(db: &Db, plan: &Plan, limit: u32) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        let mut cursor: Option<Cursor> = None;
        loop {
            let at = cursor.as_ref().map(|cursor| Position {
                cursor,
                order: Order::Newest,
                inclusive: false,
            });
            let keys = plan.keys(db, at, Order::Newest, limit).await.unwrap();
            let Some((id, sort_date)) = keys.last().cloned() else {
                return ids;
            };
            ids.extend(keys.into_iter().map(|(id, _)| id));
            cursor = Some(Cursor {
                sort_date,
                id,
                offset: 0,
            });
        }
    }

    #[tokio::test]
    async fn walking_the_timeline_and_starting_from_candidates_find_the_same_rows() {
        let (_dir, db) = seeded(1_500).await;
        let filters = [
            EngagementFilter {
                official: Values::one("common".into()),
                ..Default::default()
            },
            EngagementFilter {
                counterpart: Values::one("rare".into()),
                ..Default::default()
            },
            EngagementFilter {
                counterpart: Values::one("PERSON".into()),
                kind: Values::one(Kind::Call),
                ..Default::default()
            },
            EngagementFilter {
                country: Values::one("rareland".into()),
                official: Values::one("Official".into()),
                ..Default::default()
            },
            EngagementFilter {
                q: Some("text tokene003".into()),
                to: NaiveDate::from_ymd_opt(2000, 6, 1),
                ..Default::default()
            },
            EngagementFilter {
                q: Some("tokene01".into()),
                ..Default::default()
            },
        ];
        for filter in &filters {
            let mut plan = Plan::new(&db, filter, 8).await.unwrap();
            plan.driver = None;
            let scanned = walk(&db, &plan, 7).await;
            assert!(!scanned.is_empty(), "{filter:?}");
            let mut sorted = scanned.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), scanned.len(), "a row came twice: {filter:?}");
            for index in 0..plan.members.len() {
                let mut count = Sql::default();
                if !plan.members[index].push_count(&mut count, COUNT_CAP) {
                    continue;
                }
                plan.driver = Some(index);
                assert_eq!(
                    walk(&db, &plan, 7).await,
                    scanned,
                    "{filter:?} from {index}"
                );
            }
        }
    }

    #[tokio::test]
    async fn a_rare_filter_starts_from_its_candidates_and_a_common_one_walks() {
        let (_dir, db) = seeded(1_500).await;
        let rare = EngagementFilter {
            counterpart: Values::one("rare".into()),
            ..Default::default()
        };
        assert_eq!(Plan::new(&db, &rare, 51).await.unwrap().driver, Some(0));
        let common = EngagementFilter {
            official: Values::one("common".into()),
            ..Default::default()
        };
        assert_eq!(Plan::new(&db, &common, 51).await.unwrap().driver, None);
        let nobody = EngagementFilter {
            official: Values::one("nobody".into()),
            ..Default::default()
        };
        assert!(Plan::new(&db, &nobody, 51).await.unwrap().empty);
    }

    #[test]
    fn stored_dates_of_any_precision_parse() {
        let day = NaiveDate::from_ymd_opt(2021, 12, 9);
        assert_eq!(parse_date(Some("2021-12-09".into())).unwrap(), day);
        assert_eq!(
            parse_date(Some("2023-09".into())).unwrap(),
            NaiveDate::from_ymd_opt(2023, 9, 1)
        );
        assert_eq!(parse_date(None).unwrap(), None);
        assert!(parse_date(Some("soon".into())).is_err());
    }
}
