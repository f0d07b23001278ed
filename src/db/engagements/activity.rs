//! What the histogram and the actor page need beyond the facets: engagements
//! per week, and, between the view's engagements and a set of other actors,
//! each one's first and last contact and each row's previous contact of the
//! same kind ("first call since March 2021").
//!
//! Like the facets, it reads only the view's newest [`FACET_CAP`] matches
//! (one capped walk, shared by every part of the answer), so its cost does
//! not grow with the table; `capped` says when older rows were left out.

use serde::Serialize;
use sqlx::Row;

use super::{parse_date, Db, DbError, Plan, Sql, FACET_CAP, UNDATED};
use crate::query::EngagementFilter;
use chrono::NaiveDate;

/// One other actor's contacts with the view.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub slug: String,
    pub first: Option<NaiveDate>,
    pub last: Option<NaiveDate>,
    /// Dated engagements shared.
    pub count: u64,
}

/// The dated contact before one row's, of the same kind, with one actor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Previous {
    pub engagement: String,
    pub slug: String,
    pub date: NaiveDate,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Activity {
    /// More than [`FACET_CAP`] rows match: the rest covers the newest.
    pub capped: bool,
    /// (Monday, status, count), oldest first; undated rows left out.
    pub weeks: Vec<(NaiveDate, String, u64)>,
    pub contacts: Vec<Contact>,
    pub previous: Vec<Previous>,
}

/// Weekly counts of `filter`'s view; for each actor slug in `others`, their
/// first and last dated contact in it; and for each engagement in `rows`,
/// the previous engagement of the same kind with each of `others` in it.
#[tracing::instrument(skip_all)]
pub async fn activity(
    db: &Db,
    filter: &EngagementFilter,
    others: &[String],
    rows: &[String],
) -> Result<Activity, DbError> {
    let plan = Plan::new(db, filter, FACET_CAP as u32 + 1).await?;
    if plan.empty {
        return Ok(Activity::default());
    }
    let others = serde_json::to_string(others).expect("strings serialise");
    let rows = serde_json::to_string(rows).expect("strings serialise");
    let mut sql = Sql::default();
    super::push_newest_window(&mut sql, &plan);
    // The other actors' rows of each engagement: a primary-key seek per
    // engagement and actor, never a walk of anyone's participants.
    sql.push(
        ", pairs AS MATERIALIZED (SELECT m.id AS id, m.sort_date AS d, m.kind AS kind, \
             p.actor_id AS aid FROM m CROSS JOIN participants p ON p.engagement_id = m.id \
             WHERE m.sort_date > ",
    )
    .text(UNDATED)
    .push(
        " AND p.actor_id IN (SELECT a.id FROM actors a \
             WHERE a.slug IN (SELECT value FROM json_each(",
    )
    .text(others)
    .push(
        ")))) \
         SELECT 'total', '', NULL, NULL, COUNT(*) FROM m0 \
         UNION ALL \
         SELECT 'week', status, date(sort_date, '-6 days', 'weekday 1'), NULL, COUNT(*) \
         FROM m WHERE sort_date > ",
    )
    .text(UNDATED)
    .push(
        " GROUP BY date(sort_date, '-6 days', 'weekday 1'), status \
         UNION ALL \
         SELECT 'contact', a.slug, MIN(x.d), MAX(x.d), COUNT(*) FROM pairs x \
         CROSS JOIN actors a ON a.id = x.aid GROUP BY x.aid \
         UNION ALL \
         SELECT 'previous', a.slug, x.before, x.id, 0 FROM ( \
             SELECT id, aid, LAG(d) OVER (PARTITION BY aid, kind ORDER BY d, id) AS before \
             FROM pairs) x CROSS JOIN actors a ON a.id = x.aid \
         WHERE x.before IS NOT NULL AND x.id IN (SELECT value FROM json_each(",
    )
    .text(rows)
    .push("))");
    let mut activity = Activity::default();
    for row in sql.query().fetch_all(&db.reader).await? {
        let part: String = row.try_get(0)?;
        let count = row.try_get::<i64, _>(4)?.max(0) as u64;
        match part.as_str() {
            "total" => activity.capped = count > FACET_CAP,
            "week" => {
                if let Some(monday) = parse_date(row.try_get(2)?)? {
                    activity.weeks.push((monday, row.try_get(1)?, count));
                }
            }
            "contact" => activity.contacts.push(Contact {
                slug: row.try_get(1)?,
                first: parse_date(row.try_get(2)?)?,
                last: parse_date(row.try_get(3)?)?,
                count,
            }),
            "previous" => {
                if let Some(date) = parse_date(row.try_get(2)?)? {
                    activity.previous.push(Previous {
                        engagement: row.try_get(3)?,
                        slug: row.try_get(1)?,
                        date,
                    });
                }
            }
            _ => {}
        }
    }
    activity.weeks.sort();
    Ok(activity)
}
