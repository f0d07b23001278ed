//! Read queries for actor pages: one actor by slug, slug redirects, the
//! timeline filter that lists an actor's engagements, and the actors they
//! most often meet.

use serde::Serialize;

use super::engagements::{self, actor_from_row, FacetCount, Facets};
use super::{Db, DbError};
use crate::model::{Actor, ActorKind};
use crate::query::{EngagementFilter, Values};

/// Everything an actor page shows besides the engagements themselves.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub actor: Actor,
    /// The timeline filter that lists this actor's engagements.
    pub filter: EngagementFilter,
    /// Facet counts of those engagements (capped like any filtered view).
    pub facets: Facets,
    /// The actors on the other side of the table, most frequent first.
    pub counterparts: Vec<FacetCount>,
}

/// The actor with this slug.
#[tracing::instrument(skip_all)]
pub async fn get(db: &Db, slug: &str) -> Result<Option<Actor>, DbError> {
    let row = sqlx::query(
        "SELECT slug, name, kind, country, short_name, title FROM actors WHERE slug = ?",
    )
    .bind(slug)
    .fetch_optional(&db.reader)
    .await?;
    row.map(|row| actor_from_row(&row, 0)).transpose()
}

/// One row of the actor index: who, and in how many engagements.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IndexEntry {
    pub actor: Actor,
    pub engagements: u64,
}

/// The actors taking part in engagements, most frequent first, optionally
/// of one kind and on one side (`us` or `counterpart`), up to `limit`.
/// Reads the counts a rebuild stores (`actor_counts`, migration 0010): a
/// walk of one side's counts, not of the participants. While a write has
/// left them stale it counts live, one pass over the participants index.
#[tracing::instrument(skip_all)]
pub async fn index(
    db: &Db,
    kind: Option<ActorKind>,
    side: Option<crate::model::Side>,
    limit: u32,
) -> Result<Vec<IndexEntry>, DbError> {
    let fresh: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM actor_counts)")
        .fetch_one(&db.reader)
        .await?;
    if !fresh {
        return index_live(db, kind, side, limit).await;
    }
    let rows = sqlx::query(
        "SELECT a.slug, a.name, a.kind, a.country, a.short_name, a.title, c.n \
         FROM actor_counts c CROSS JOIN actors a ON a.id = c.actor_id \
         WHERE c.side = ?1 AND (?2 IS NULL OR a.kind = ?2) \
         ORDER BY c.n DESC, a.name LIMIT ?3",
    )
    .bind(side.map_or("", |s| s.as_str()))
    .bind(kind.map(|k| k.as_str()))
    .bind(i64::from(limit))
    .fetch_all(&db.reader)
    .await?;
    index_entries(&rows)
}

/// [`index`] counted from the participants.
async fn index_live(
    db: &Db,
    kind: Option<ActorKind>,
    side: Option<crate::model::Side>,
    limit: u32,
) -> Result<Vec<IndexEntry>, DbError> {
    let rows = sqlx::query(
        "SELECT a.slug, a.name, a.kind, a.country, a.short_name, a.title, c.n FROM ( \
             SELECT p.actor_id AS aid, COUNT(DISTINCT p.engagement_id) AS n FROM participants p \
             WHERE (?1 IS NULL OR p.side = ?1) GROUP BY p.actor_id) c \
         JOIN actors a ON a.id = c.aid \
         WHERE (?2 IS NULL OR a.kind = ?2) \
         ORDER BY c.n DESC, a.name LIMIT ?3",
    )
    .bind(side.map(|s| s.as_str()))
    .bind(kind.map(|k| k.as_str()))
    .bind(i64::from(limit))
    .fetch_all(&db.reader)
    .await?;
    index_entries(&rows)
}

fn index_entries(rows: &[sqlx::sqlite::SqliteRow]) -> Result<Vec<IndexEntry>, DbError> {
    rows.iter()
        .map(|row| {
            Ok(IndexEntry {
                actor: actor_from_row(row, 0)?,
                engagements: sqlx::Row::try_get::<i64, _>(row, 6)?.max(0) as u64,
            })
        })
        .collect()
}

/// Recounts `actor_counts` when a write has emptied it (see migration
/// 0010). Call it inside the rebuild's transaction, after the writes.
#[tracing::instrument(skip_all)]
pub async fn refresh_counts_if_stale(conn: &mut sqlx::SqliteConnection) -> Result<(), DbError> {
    let fresh: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM actor_counts)")
        .fetch_one(&mut *conn)
        .await?;
    if fresh {
        return Ok(());
    }
    for sql in [
        "INSERT INTO actor_counts (side, actor_id, n) \
         SELECT side, actor_id, COUNT(*) FROM participants GROUP BY side, actor_id",
        "INSERT INTO actor_counts (side, actor_id, n) \
         SELECT '', actor_id, SUM(n) FROM actor_counts GROUP BY actor_id",
    ] {
        sqlx::query(sql).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Where an old actor slug now lives, following chains of renames.
#[tracing::instrument(skip_all)]
pub async fn redirect_for(db: &Db, slug: &str) -> Result<Option<String>, DbError> {
    super::follow_redirects(
        db,
        "SELECT new_slug FROM actor_redirects WHERE old_slug = ?",
        slug,
    )
    .await
}

/// The timeline filter listing `actor`'s engagements: a country's include
/// those of its people; a U.S. participant is an `official`, anyone else a
/// `counterpart`.
#[tracing::instrument(skip_all)]
pub async fn engagement_filter(db: &Db, actor: &Actor) -> Result<EngagementFilter, DbError> {
    let mut filter = EngagementFilter::default();
    if actor.kind == ActorKind::Country {
        filter.country = Values::one(actor.slug.clone());
        return Ok(filter);
    }
    let on_us_side: i64 = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM participants p \
         WHERE p.actor_id = (SELECT id FROM actors WHERE slug = ?) AND p.side = 'us')",
    )
    .bind(&actor.slug)
    .fetch_one(&db.reader)
    .await?;
    if on_us_side != 0 {
        filter.official = Values::one(actor.slug.clone());
    } else {
        filter.counterpart = Values::one(actor.slug.clone());
    }
    Ok(filter)
}

/// The actors `actor` most often meets, with how many engagements they
/// share (over the actor's newest [`engagements::FACET_CAP`]).
pub async fn top_counterparts(
    db: &Db,
    actor: &Actor,
    limit: u32,
) -> Result<Vec<FacetCount>, DbError> {
    let filter = engagement_filter(db, actor).await?;
    let facets = engagements::facets_top(db, &filter, limit + 1).await?;
    Ok(counterparts_from(actor, &filter, &facets, limit))
}

/// An actor page's facts in one call; `None` for an unknown slug.
#[tracing::instrument(skip_all)]
pub async fn profile(db: &Db, slug: &str, limit: u32) -> Result<Option<Profile>, DbError> {
    let Some(actor) = get(db, slug).await? else {
        return Ok(None);
    };
    let filter = engagement_filter(db, &actor).await?;
    let facets = engagements::facets_top(db, &filter, limit + 1).await?;
    let counterparts = counterparts_from(&actor, &filter, &facets, limit);
    Ok(Some(Profile {
        actor,
        filter,
        facets,
        counterparts,
    }))
}

/// A U.S. official's counterparts are the foreign side; everyone else's
/// are the U.S. officials. Never the actor itself.
fn counterparts_from(
    actor: &Actor,
    filter: &EngagementFilter,
    facets: &Facets,
    limit: u32,
) -> Vec<FacetCount> {
    let other_side = if !filter.official.any.is_empty() {
        &facets.counterparts
    } else {
        &facets.officials
    };
    other_side
        .iter()
        .filter(|c| c.value != actor.slug)
        .take(limit as usize)
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(value: &str) -> FacetCount {
        FacetCount {
            value: value.into(),
            label: value.into(),
            count: 1,
        }
    }

    #[test]
    fn an_officials_counterparts_are_the_foreign_side_without_themselves() {
        let actor = Actor {
            slug: "antony-blinken".into(),
            name: "Antony Blinken".into(),
            kind: ActorKind::Person,
            country: Some("United States".into()),
            short_name: None,
            title: None,
        };
        let filter = EngagementFilter {
            official: Values::one(actor.slug.clone()),
            ..Default::default()
        };
        let facets = Facets {
            counterparts: vec![count("dmytro-kuleba"), count("antony-blinken")],
            officials: vec![count("antony-blinken"), count("joe-biden")],
            ..Default::default()
        };
        let found = counterparts_from(&actor, &filter, &facets, 5);
        assert_eq!(found, vec![count("dmytro-kuleba")]);
    }
}
