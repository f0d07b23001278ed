//! Mentions → derived tables. Actors, engagements, participants and evidence
//! are recomputed from every stored mention by [`resolve::resolve`] and
//! brought in line in one transaction, writing only what changed, so readers
//! never see half a rebuild and an unchanged corpus costs no writes.
//!
//! Engagement ids and actor slugs are permanent links: when one disappears,
//! a redirect to whatever took over most of its evidence (or of its
//! engagements, for an actor) keeps old URLs working.

use std::collections::{BTreeMap, HashMap, HashSet};

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::import::{self, ImportError, ImportOutcome, Reparsed};
use super::version::Extractor;
use super::{Db, DbError};
use crate::gazetteer::{name_key, Gazetteer};
use crate::model::{slugify, Actor, ActorKind, Engagement, Mention, Side, Source};
use crate::{resolve, samples};

type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;

/// What a rebuild found and changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RebuildStats {
    pub mentions: usize,
    /// Engagements in the database afterwards.
    pub engagements: usize,
    pub inserted: usize,
    pub updated: usize,
    pub deleted: usize,
    /// Actors in the database afterwards.
    pub actors: usize,
    pub engagement_redirects: usize,
    pub actor_redirects: usize,
}

impl RebuildStats {
    pub fn changed(&self) -> bool {
        self.inserted + self.updated + self.deleted > 0
    }
}

/// Resolves every stored mention and brings the derived tables in line.
#[tracing::instrument(skip_all)]
pub async fn rebuild(db: &Db, gazetteer: &Gazetteer) -> Result<RebuildStats, DbError> {
    // IMMEDIATE: the snapshot we resolve must be the one we write over, and
    // taking the write lock first means no other writer can slip in between.
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let loaded = load_mentions(&mut tx).await?;
    let engagements = resolve::resolve(&loaded.mentions, gazetteer);
    let stats = sync(&mut tx, &engagements, &loaded, gazetteer).await?;
    refresh_facets_if_stale(&mut tx).await?;
    sqlx::query("DELETE FROM pending_rebuild")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    if stats.changed() {
        // Statistics only help, so a failure here must not fail the rebuild.
        if let Err(err) = db.optimize().await {
            tracing::warn!(%err, "cannot refresh the query planner's statistics");
        }
        // Likewise: a log left full costs disk space, not correctness.
        if let Err(err) = db.checkpoint().await {
            tracing::warn!(%err, "cannot checkpoint the write-ahead log");
        }
    }
    tracing::info!(
        mentions = stats.mentions,
        engagements = stats.engagements,
        inserted = stats.inserted,
        updated = stats.updated,
        deleted = stats.deleted,
        "rebuilt engagements"
    );
    Ok(stats)
}

/// Rebuilds when a write since the last rebuild left the mark of
/// migration 0005 (or an import was killed before its rebuild); otherwise
/// the derived tables are current and only their sizes are counted, so an
/// import of unchanged files costs no resolve.
#[tracing::instrument(skip_all)]
pub async fn rebuild_if_pending(db: &Db, gazetteer: &Gazetteer) -> Result<RebuildStats, DbError> {
    if is_pending(db).await? {
        return rebuild(db, gazetteer).await;
    }
    let (mentions, engagements, actors): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM mentions), (SELECT COUNT(*) FROM engagements), \
                (SELECT COUNT(*) FROM actors)",
    )
    .fetch_one(&db.reader)
    .await?;
    Ok(RebuildStats {
        mentions: mentions as usize,
        engagements: engagements as usize,
        actors: actors as usize,
        ..RebuildStats::default()
    })
}

/// Whether a write left the derived tables behind the mentions.
async fn is_pending(db: &Db) -> Result<bool, DbError> {
    let pending = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pending_rebuild)")
        .fetch_one(&db.writer)
        .await?;
    Ok(pending)
}

/// Brings the derived tables in line with `engagements` as given, instead
/// of resolving the stored mentions: for tests of the storage rules that
/// must not depend on extraction quality. Sources must point at stored
/// mentions (document name and byte span).
#[tracing::instrument(skip_all)]
pub async fn store_engagements(
    db: &Db,
    engagements: &[Engagement],
    gazetteer: &Gazetteer,
) -> Result<RebuildStats, DbError> {
    let mut tx = db.writer.begin_with("BEGIN IMMEDIATE").await?;
    let loaded = load_mentions(&mut tx).await?;
    let stats = sync(&mut tx, engagements, &loaded, gazetteer).await?;
    refresh_facets_if_stale(&mut tx).await?;
    tx.commit().await?;
    Ok(stats)
}

/// What [`prepare_to_serve`] did to the database.
#[derive(Debug, Default)]
pub struct Prepared {
    /// The bundled samples, when the database was empty.
    pub samples: Vec<SampleResult>,
    /// Stored documents re-parsed because another extractor wrote them.
    pub reparsed: Reparsed,
    /// The rebuild after a re-parse (the samples' is not reported).
    pub rebuild: Option<RebuildStats>,
}

/// Gets the database ready to serve: the samples into an empty one, or
/// else a re-parse of the documents another extractor wrote (an upgrade of
/// Readout, other gazetteer rows) and one rebuild if there were any, so a
/// restart is all it takes to see what the new version extracts.
#[tracing::instrument(skip_all)]
pub async fn prepare_to_serve(db: &Db, extractor: &Extractor) -> Result<Prepared, DbError> {
    let samples = import_samples_if_empty(db, extractor).await?;
    if !samples.is_empty() {
        return Ok(Prepared {
            samples,
            ..Prepared::default()
        });
    }
    let reparsed = import::reparse_stale(db, extractor, |_| {}).await?;
    // Also after an import that was killed before its rebuild.
    let rebuild = if is_pending(db).await? {
        Some(rebuild(db, extractor.gazetteer()).await?)
    } else {
        None
    };
    Ok(Prepared {
        reparsed,
        rebuild,
        ..Prepared::default()
    })
}

/// Imports the bundled sample corpus when the database holds no document
/// yet, then rebuilds. Returns the per-document reports (empty when the
/// database already had documents). A sample that fails to import is
/// reported, not fatal: the others are still worth serving.
#[tracing::instrument(skip_all)]
pub async fn import_samples_if_empty(
    db: &Db,
    extractor: &Extractor,
) -> Result<Vec<SampleResult>, DbError> {
    if import::has_documents(db).await? {
        return Ok(Vec::new());
    }
    let mut results = Vec::new();
    for (name, text) in samples::documents() {
        let result = import::import_document(db, name, text.as_bytes(), extractor).await;
        if let Err(err) = &result {
            tracing::warn!(%err, "a sample document did not import");
        }
        results.push((name.to_string(), result));
    }
    rebuild(db, extractor.gazetteer()).await?;
    Ok(results)
}

/// Recounts the front page's facets when a write has emptied them (the
/// triggers of migration 0002 do that on any change), so an unchanged
/// rebuild costs no recount.
async fn refresh_facets_if_stale(tx: &mut Tx) -> Result<(), DbError> {
    let fresh: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM facet_counts)")
        .fetch_one(&mut **tx)
        .await?;
    if !fresh {
        super::engagements::refresh_facet_counts(tx).await?;
    }
    super::actors::refresh_counts_if_stale(tx).await?;
    Ok(())
}

/// A bundled sample's name and what importing it did.
pub type SampleResult = (String, Result<ImportOutcome, ImportError>);

/// Every stored mention with its document's name (what resolve reads), and
/// in parallel the rows they came from (what evidence points at).
struct Loaded {
    mentions: Vec<(String, Mention)>,
    rows: Vec<MentionRow>,
}

/// The stored row behind each loaded mention, parallel to the mentions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct MentionRow {
    id: i64,
    document_id: i64,
}

#[tracing::instrument(skip_all)]
async fn load_mentions(tx: &mut Tx) -> Result<Loaded, DbError> {
    let rows = sqlx::query(
        "SELECT mentions.id, mentions.document_id, documents.name, mentions.payload \
         FROM mentions JOIN documents ON documents.id = mentions.document_id \
         ORDER BY documents.name, mentions.ordinal",
    )
    .fetch_all(&mut **tx)
    .await?;
    let mut mentions = Vec::with_capacity(rows.len());
    let mut stored = Vec::with_capacity(rows.len());
    for row in rows {
        let name: String = row.get("name");
        let payload: &str = row.get("payload");
        match serde_json::from_str::<Mention>(payload) {
            Ok(mention) => {
                mentions.push((name, mention));
                stored.push(MentionRow {
                    id: row.get("id"),
                    document_id: row.get("document_id"),
                });
            }
            // Only a payload written by another version of the model can
            // fail; re-importing that document rewrites it.
            Err(err) => tracing::warn!(document = %name, %err, "skipping an unreadable mention"),
        }
    }
    Ok(Loaded {
        mentions,
        rows: stored,
    })
}

/// One engagement as it should be stored.
#[derive(Debug)]
struct Planned<'a> {
    engagement: &'a Engagement,
    sort_date: String,
    fingerprint: String,
    participants: Vec<PlannedParticipant<'a>>,
    evidence: Vec<PlannedEvidence<'a>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PlannedParticipant<'a> {
    slug: String,
    side: Side,
    title: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct PlannedEvidence<'a> {
    mention: MentionRow,
    source: &'a Source,
}

/// Everything the tables should hold: the engagements (ids unique) and
/// the actors they reference, by slug.
#[derive(Debug)]
struct Plan<'a> {
    engagements: Vec<Planned<'a>>,
    actors: BTreeMap<String, Actor>,
}

/// Works out the rows for `engagements` without touching the database.
fn plan<'a>(
    engagements: &'a [Engagement],
    mentions: &[(String, Mention)],
    rows: &[MentionRow],
) -> Plan<'a> {
    let mut by_span: HashMap<(&str, usize, usize), Vec<usize>> = HashMap::new();
    for (i, (document, mention)) in mentions.iter().enumerate() {
        by_span
            .entry((document.as_str(), mention.start, mention.end))
            .or_default()
            .push(i);
    }

    let mut actors: BTreeMap<String, Actor> = BTreeMap::new();
    let mut planned = Vec::with_capacity(engagements.len());
    let mut ids = HashSet::new();
    for engagement in engagements {
        if !ids.insert(engagement.id.as_str()) {
            // Resolve promises unique ids; storing a second row under the
            // same id would fail the whole rebuild, so keep the first.
            tracing::error!(id = %engagement.id, "resolve produced a duplicate engagement id");
            continue;
        }

        let mut participants: Vec<PlannedParticipant> = Vec::new();
        let mut take = |actor: Actor, side: Side, title: Option<&'a str>| {
            if actor.slug.is_empty() {
                tracing::warn!(name = %actor.name, "skipping an actor without a slug");
                return;
            }
            if participants.iter().any(|p| p.slug == actor.slug) {
                return;
            }
            participants.push(PlannedParticipant {
                slug: actor.slug.clone(),
                side,
                title,
            });
            // The first engagement (resolve's date order) to name an actor
            // decides its details, so the choice is stable.
            actors.entry(actor.slug.clone()).or_insert(actor);
        };
        for p in &engagement.participants {
            take(p.actor.clone(), p.side, p.title.as_deref());
        }
        for org in &engagement.organizations {
            take(org.clone(), Side::Counterpart, None);
        }
        for country in &engagement.countries {
            take(country_actor(country), Side::Counterpart, None);
        }

        let mut evidence: Vec<PlannedEvidence> = Vec::new();
        for source in &engagement.sources {
            let candidates = by_span
                .get(&(source.document.as_str(), source.start, source.end))
                .map(Vec::as_slice)
                .unwrap_or_default();
            let unused = |i: &&usize| evidence.iter().all(|e| e.mention != rows[**i]);
            // Two mentions can share a span (one sentence, two events):
            // prefer the one that reports this engagement's kind and date.
            let chosen = candidates
                .iter()
                .filter(unused)
                .find(|&&i| {
                    let m = &mentions[i].1;
                    m.kind == engagement.kind && m.date == engagement.date
                })
                .or_else(|| candidates.iter().find(unused));
            match chosen {
                Some(&i) => evidence.push(PlannedEvidence {
                    mention: rows[i],
                    source,
                }),
                None => tracing::warn!(
                    id = %engagement.id,
                    document = %source.document,
                    start = source.start,
                    "a source matches no stored mention"
                ),
            }
        }

        planned.push(Planned {
            engagement,
            sort_date: engagement
                .date
                .map(|d| d.to_string())
                .unwrap_or_else(|| "0000-00-00".to_string()),
            fingerprint: fingerprint(engagement, &evidence),
            participants,
            evidence,
        });
    }
    Plan {
        engagements: planned,
        actors,
    }
}

/// The actor row for a country taking part.
fn country_actor(name: &str) -> Actor {
    Actor {
        slug: slugify(name),
        name: name.to_string(),
        kind: ActorKind::Country,
        // So a country filter that matches actors by their country finds
        // the country itself as well as its people.
        country: Some(name.to_string()),
        short_name: None,
        title: None,
    }
}

/// A stable hash of everything stored for an engagement. The mention row
/// ids are included because evidence rows point at them: the same content
/// backed by re-created mention rows must still be rewritten.
fn fingerprint(engagement: &Engagement, evidence: &[PlannedEvidence]) -> String {
    let mut hasher = Sha256::new();
    // Serialising plain data with derived Serialize cannot fail, and its
    // field order is the struct's, so the bytes are stable.
    hasher.update(serde_json::to_vec(engagement).expect("an Engagement always serialises"));
    for e in evidence {
        hasher.update(e.mention.id.to_le_bytes());
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The new engagement that now holds most of a vanished one's evidence
/// (ties go to the smallest id, so the choice is stable).
fn successor<'a>(old_mentions: &[i64], holders: &HashMap<i64, Vec<&'a str>>) -> Option<&'a str> {
    let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
    for mention in old_mentions {
        for id in holders.get(mention).into_iter().flatten() {
            *votes.entry(id).or_default() += 1;
        }
    }
    best(votes)
}

/// The key with the most votes, the smallest key among equals.
fn best(votes: BTreeMap<&str, usize>) -> Option<&str> {
    let mut winner: Option<(&str, usize)> = None;
    for (key, count) in votes {
        if winner.is_none_or(|(_, most)| count > most) {
            winner = Some((key, count));
        }
    }
    winner.map(|(key, _)| key)
}

/// The actor that took over a vanished one: among the participants of the
/// engagements it took part in (followed to their successors), the one of
/// the same kind (and for a person, the same side and a compatible name,
/// "Blinken" ~ "Antony Blinken") that appears most often.
fn actor_successor<'a>(
    old: &Actor,
    old_participations: &[(String, Side)],
    engagement_now: impl Fn(&str) -> Option<&'a Planned<'a>>,
    actors: &BTreeMap<String, Actor>,
    gazetteer: &Gazetteer,
) -> Option<String> {
    let old_key = name_key(&old.name);
    let mut votes: BTreeMap<&str, usize> = BTreeMap::new();
    for (engagement_id, side) in old_participations {
        let Some(now) = engagement_now(engagement_id) else {
            continue;
        };
        for p in &now.participants {
            let Some(candidate) = actors.get(&p.slug) else {
                continue;
            };
            let fits = candidate.kind == old.kind
                && match old.kind {
                    ActorKind::Person => {
                        p.side == *side
                            && gazetteer.same_person_name(&old_key, &name_key(&candidate.name))
                    }
                    ActorKind::Organization | ActorKind::Country => true,
                };
            if fits {
                *votes.entry(p.slug.as_str()).or_default() += 1;
            }
        }
    }
    best(votes).map(str::to_string)
}

/// Writes the difference between the tables and `engagements`.
async fn sync(
    tx: &mut Tx,
    engagements: &[Engagement],
    loaded: &Loaded,
    gazetteer: &Gazetteer,
) -> Result<RebuildStats, DbError> {
    let plan = plan(engagements, &loaded.mentions, &loaded.rows);
    let mut stats = RebuildStats {
        mentions: loaded.mentions.len(),
        engagements: plan.engagements.len(),
        actors: plan.actors.len(),
        ..RebuildStats::default()
    };

    let existing_engagements: HashMap<String, String> =
        sqlx::query("SELECT id, fingerprint FROM engagements")
            .fetch_all(&mut **tx)
            .await?
            .into_iter()
            .map(|row| (row.get("id"), row.get("fingerprint")))
            .collect();
    let mut existing_actors: HashMap<String, (i64, Option<Actor>)> = HashMap::new();
    for row in sqlx::query("SELECT id, slug, name, kind, country, short_name, title FROM actors")
        .fetch_all(&mut **tx)
        .await?
    {
        let slug: String = row.get("slug");
        // An unknown kind (another version's row) reads as None: it
        // differs from any planned actor, so it gets rewritten.
        let actor = ActorKind::parse(row.get::<&str, _>("kind")).map(|kind| Actor {
            slug: slug.clone(),
            name: row.get("name"),
            kind,
            country: row.get("country"),
            short_name: row.get("short_name"),
            title: row.get("title"),
        });
        existing_actors.insert(slug, (row.get("id"), actor));
    }

    let planned_by_id: HashMap<&str, &Planned> = plan
        .engagements
        .iter()
        .map(|p| (p.engagement.id.as_str(), p))
        .collect();

    // What vanishing rows held must be read before they are rewritten.
    let mut vanished_engagements: Vec<(&str, Vec<i64>)> = Vec::new();
    let mut gone: Vec<&str> = existing_engagements
        .keys()
        .map(String::as_str)
        .filter(|id| !planned_by_id.contains_key(id))
        .collect();
    gone.sort_unstable();
    for id in gone {
        let held: Vec<i64> =
            sqlx::query_scalar("SELECT mention_id FROM evidence WHERE engagement_id = ?")
                .bind(id)
                .fetch_all(&mut **tx)
                .await?;
        vanished_engagements.push((id, held));
    }
    let mut vanished_actors: Vec<VanishedActor> = Vec::new();
    let mut gone_actors: Vec<&String> = existing_actors
        .keys()
        .filter(|slug| !plan.actors.contains_key(*slug))
        .collect();
    gone_actors.sort_unstable();
    for slug in gone_actors {
        let (actor_id, actor) = &existing_actors[slug];
        let took_part: Vec<(String, Side)> =
            sqlx::query("SELECT engagement_id, side FROM participants WHERE actor_id = ?")
                .bind(actor_id)
                .fetch_all(&mut **tx)
                .await?
                .into_iter()
                .filter_map(|row| {
                    let side = Side::parse(row.get::<&str, _>("side"))?;
                    Some((row.get("engagement_id"), side))
                })
                .collect();
        vanished_actors.push(VanishedActor {
            id: *actor_id,
            actor: actor.clone(),
            took_part,
        });
    }

    // Actors first: participants point at them.
    let mut actor_ids: HashMap<&str, i64> = HashMap::new();
    let mut new_slugs: Vec<&str> = Vec::new();
    for (slug, actor) in &plan.actors {
        match existing_actors.get(slug) {
            Some((id, current)) => {
                if current.as_ref() != Some(actor) {
                    sqlx::query(
                        "UPDATE actors SET name = ?, kind = ?, country = ?, short_name = ?, title = ? \
                         WHERE id = ?",
                    )
                    .bind(&actor.name)
                    .bind(actor.kind.as_str())
                    .bind(&actor.country)
                    .bind(&actor.short_name)
                    .bind(&actor.title)
                    .bind(id)
                    .execute(&mut **tx)
                    .await?;
                }
                actor_ids.insert(slug, *id);
            }
            None => {
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO actors (slug, name, kind, country, short_name, title) \
                     VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(slug)
                .bind(&actor.name)
                .bind(actor.kind.as_str())
                .bind(&actor.country)
                .bind(&actor.short_name)
                .bind(&actor.title)
                .fetch_one(&mut **tx)
                .await?;
                actor_ids.insert(slug, id);
                new_slugs.push(slug);
            }
        }
    }

    let mut new_ids: Vec<&str> = Vec::new();
    for planned in &plan.engagements {
        let e = planned.engagement;
        match existing_engagements.get(&e.id) {
            Some(fingerprint) if *fingerprint == planned.fingerprint => continue,
            Some(_) => {
                sqlx::query(
                    "UPDATE engagements SET date = ?, end_date = ?, date_precision = ?, kind = ?, \
                         status = ?, sort_date = ?, source_count = ?, fingerprint = ? \
                     WHERE id = ?",
                )
                .bind(e.date.map(|d| d.to_string()))
                .bind(e.end_date.map(|d| d.to_string()))
                .bind(e.precision.as_str())
                .bind(e.kind.as_str())
                .bind(e.status.as_str())
                .bind(&planned.sort_date)
                .bind(planned.evidence.len() as i64)
                .bind(&planned.fingerprint)
                .bind(&e.id)
                .execute(&mut **tx)
                .await?;
                for table in [
                    "DELETE FROM participants WHERE engagement_id = ?",
                    "DELETE FROM evidence WHERE engagement_id = ?",
                ] {
                    sqlx::query(table).bind(&e.id).execute(&mut **tx).await?;
                }
                stats.updated += 1;
            }
            None => {
                sqlx::query(
                    "INSERT INTO engagements (id, date, end_date, date_precision, kind, status, \
                         sort_date, source_count, fingerprint) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                )
                .bind(&e.id)
                .bind(e.date.map(|d| d.to_string()))
                .bind(e.end_date.map(|d| d.to_string()))
                .bind(e.precision.as_str())
                .bind(e.kind.as_str())
                .bind(e.status.as_str())
                .bind(&planned.sort_date)
                .bind(planned.evidence.len() as i64)
                .bind(&planned.fingerprint)
                .execute(&mut **tx)
                .await?;
                new_ids.push(&e.id);
                stats.inserted += 1;
            }
        }
        for (position, p) in planned.participants.iter().enumerate() {
            sqlx::query(
                "INSERT INTO participants (engagement_id, actor_id, side, title, position) \
                 VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&e.id)
            .bind(actor_ids[p.slug.as_str()])
            .bind(p.side.as_str())
            .bind(p.title)
            .bind(position as i64)
            .execute(&mut **tx)
            .await?;
        }
        for ev in &planned.evidence {
            sqlx::query(
                "INSERT INTO evidence (engagement_id, mention_id, document_id, excerpt, \
                     start_offset, end_offset, url) \
                 VALUES (?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&e.id)
            .bind(ev.mention.id)
            .bind(ev.mention.document_id)
            .bind(&ev.source.excerpt)
            .bind(ev.source.start as i64)
            .bind(ev.source.end as i64)
            .bind(&ev.source.url)
            .execute(&mut **tx)
            .await?;
        }
    }

    // Engagement redirects: each vanished id points at its successor, and
    // redirects that pointed at it follow, so no chain is ever walked.
    let mut holders: HashMap<i64, Vec<&str>> = HashMap::new();
    for planned in &plan.engagements {
        for ev in &planned.evidence {
            holders
                .entry(ev.mention.id)
                .or_default()
                .push(&planned.engagement.id);
        }
    }
    let mut successors: HashMap<&str, &str> = HashMap::new();
    for (old, held) in &vanished_engagements {
        sqlx::query("DELETE FROM engagements WHERE id = ?")
            .bind(old)
            .execute(&mut **tx)
            .await?;
        stats.deleted += 1;
        let Some(new) = successor(held, &holders) else {
            continue;
        };
        successors.insert(old, new);
        sqlx::query(
            "INSERT INTO engagement_redirects (old_id, new_id) VALUES (?, ?) \
             ON CONFLICT (old_id) DO UPDATE SET new_id = excluded.new_id",
        )
        .bind(old)
        .bind(new)
        .execute(&mut **tx)
        .await?;
        sqlx::query("UPDATE engagement_redirects SET new_id = ? WHERE new_id = ?")
            .bind(new)
            .bind(old)
            .execute(&mut **tx)
            .await?;
        stats.engagement_redirects += 1;
    }
    // An id that exists again is served, not redirected.
    for id in &new_ids {
        sqlx::query("DELETE FROM engagement_redirects WHERE old_id = ?")
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }

    // Actor redirects, the same way, through the engagements' successors.
    let engagement_now = |id: &str| {
        let id = successors.get(id).copied().unwrap_or(id);
        planned_by_id.get(id).copied()
    };
    for vanished in &vanished_actors {
        sqlx::query("DELETE FROM actors WHERE id = ?")
            .bind(vanished.id)
            .execute(&mut **tx)
            .await?;
        // A row this version cannot read matches nothing: no redirect.
        let Some(old) = &vanished.actor else {
            continue;
        };
        let Some(new) = actor_successor(
            old,
            &vanished.took_part,
            engagement_now,
            &plan.actors,
            gazetteer,
        ) else {
            continue;
        };
        sqlx::query(
            "INSERT INTO actor_redirects (old_slug, new_slug) VALUES (?, ?) \
             ON CONFLICT (old_slug) DO UPDATE SET new_slug = excluded.new_slug",
        )
        .bind(&old.slug)
        .bind(&new)
        .execute(&mut **tx)
        .await?;
        sqlx::query("UPDATE actor_redirects SET new_slug = ? WHERE new_slug = ?")
            .bind(&new)
            .bind(&old.slug)
            .execute(&mut **tx)
            .await?;
        stats.actor_redirects += 1;
    }
    for slug in &new_slugs {
        sqlx::query("DELETE FROM actor_redirects WHERE old_slug = ?")
            .bind(slug)
            .execute(&mut **tx)
            .await?;
    }
    Ok(stats)
}

/// An actor no engagement references any more, and what it took part in
/// (engagement id, side) before this rebuild.
struct VanishedActor {
    id: i64,
    /// None for a row of another version this one cannot read.
    actor: Option<Actor>,
    took_part: Vec<(String, Side)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DatePrecision, Kind, Participant, Status};
    use chrono::NaiveDate;

    fn person(name: &str, side: Side, country: &str) -> Participant {
        Participant {
            actor: Actor {
                slug: slugify(name),
                name: name.into(),
                kind: ActorKind::Person,
                country: Some(country.into()),
                short_name: None,
                title: None,
            },
            side,
            title: None,
        }
    }

    fn mention(start: usize, kind: Kind) -> Mention {
        Mention {
            date: NaiveDate::from_ymd_opt(2021, 12, 9),
            end_date: None,
            precision: DatePrecision::Day,
            kind,
            status: Status::Held,
            people: Vec::new(),
            organizations: Vec::new(),
            countries: Vec::new(),
            excerpt: "text".into(),
            start,
            end: start + 4,
            url: None,
            listed: false,
            published: None,
        }
    }

    fn engagement(id: &str, kind: Kind, sources: &[(&str, usize)]) -> Engagement {
        Engagement {
            id: id.into(),
            date: NaiveDate::from_ymd_opt(2021, 12, 9),
            end_date: None,
            precision: DatePrecision::Day,
            kind,
            status: Status::Held,
            participants: vec![
                person("Joe Biden", Side::Us, "United States"),
                person("Volodymyr Zelenskyy", Side::Counterpart, "Ukraine"),
            ],
            organizations: Vec::new(),
            countries: vec!["Ukraine".into()],
            sources: sources
                .iter()
                .map(|(document, start)| Source {
                    document: document.to_string(),
                    url: None,
                    excerpt: "text".into(),
                    start: *start,
                    end: start + 4,
                })
                .collect(),
        }
    }

    fn rows(n: usize) -> Vec<MentionRow> {
        (0..n)
            .map(|i| MentionRow {
                id: 100 + i as i64,
                document_id: 1,
            })
            .collect()
    }

    #[test]
    fn participants_are_people_then_organisations_then_countries() {
        let mut e = engagement("e", Kind::Call, &[]);
        e.organizations.push(Actor {
            slug: "nato".into(),
            name: "North Atlantic Treaty Organization".into(),
            kind: ActorKind::Organization,
            country: None,
            short_name: Some("NATO".into()),
            title: None,
        });
        let engagements = [e];
        let plan = plan(&engagements, &[], &[]);
        let slugs: Vec<&str> = plan.engagements[0]
            .participants
            .iter()
            .map(|p| p.slug.as_str())
            .collect();
        assert_eq!(
            slugs,
            ["joe-biden", "volodymyr-zelenskyy", "nato", "ukraine"]
        );
        assert_eq!(plan.actors["ukraine"].kind, ActorKind::Country);
        assert_eq!(plan.actors.len(), 4);
    }

    #[test]
    fn each_source_is_traced_back_to_its_mention() {
        let mentions = vec![
            ("a.txt".to_string(), mention(0, Kind::Call)),
            ("b.txt".to_string(), mention(10, Kind::Call)),
        ];
        let engagements = [engagement("e", Kind::Call, &[("b.txt", 10), ("a.txt", 0)])];
        let plan = plan(&engagements, &mentions, &rows(2));
        let ids: Vec<i64> = plan.engagements[0]
            .evidence
            .iter()
            .map(|e| e.mention.id)
            .collect();
        assert_eq!(ids, [101, 100]);
    }

    #[test]
    fn two_mentions_of_one_span_go_to_the_engagements_of_their_kind() {
        let mentions = vec![
            ("a.txt".to_string(), mention(0, Kind::Meeting)),
            ("a.txt".to_string(), mention(0, Kind::Call)),
        ];
        let engagements = [
            engagement("call", Kind::Call, &[("a.txt", 0)]),
            engagement("meeting", Kind::Meeting, &[("a.txt", 0)]),
        ];
        let plan = plan(&engagements, &mentions, &rows(2));
        assert_eq!(plan.engagements[0].evidence[0].mention.id, 101);
        assert_eq!(plan.engagements[1].evidence[0].mention.id, 100);
    }

    #[test]
    fn a_source_with_no_stored_mention_is_left_out() {
        let engagements = [engagement("e", Kind::Call, &[("missing.txt", 0)])];
        let plan = plan(&engagements, &[], &[]);
        assert!(plan.engagements[0].evidence.is_empty());
    }

    #[test]
    fn a_duplicate_id_keeps_the_first_engagement() {
        let engagements = [
            engagement("e", Kind::Call, &[]),
            engagement("e", Kind::Meeting, &[]),
        ];
        let plan = plan(&engagements, &[], &[]);
        assert_eq!(plan.engagements.len(), 1);
        assert_eq!(plan.engagements[0].engagement.kind, Kind::Call);
    }

    #[test]
    fn the_fingerprint_changes_with_a_participant_and_only_then() {
        let a = engagement("e", Kind::Call, &[]);
        let mut b = a.clone();
        assert_eq!(fingerprint(&a, &[]), fingerprint(&b, &[]));
        b.participants
            .push(person("Andrzej Duda", Side::Counterpart, "Poland"));
        assert_ne!(fingerprint(&a, &[]), fingerprint(&b, &[]));
    }

    #[test]
    fn the_successor_holds_most_of_the_old_evidence_ties_to_the_smallest_id() {
        let holders: HashMap<i64, Vec<&str>> = HashMap::from([
            (1, vec!["b"]),
            (2, vec!["b"]),
            (3, vec!["a"]),
            (4, vec!["c"]),
        ]);
        assert_eq!(successor(&[1, 2, 3], &holders), Some("b"));
        assert_eq!(successor(&[3, 4], &holders), Some("a"));
        assert_eq!(successor(&[9], &holders), None);
    }

    #[test]
    fn a_surname_actor_is_succeeded_by_the_full_name_on_the_same_side() {
        let gazetteer = Gazetteer::default();
        let engagements = [engagement("e", Kind::Call, &[])];
        let plan = plan(&engagements, &[], &[]);
        let old = Actor {
            slug: "zelenskyy".into(),
            name: "Zelenskyy".into(),
            kind: ActorKind::Person,
            country: Some("Ukraine".into()),
            short_name: None,
            title: None,
        };
        let now = |id: &str| plan.engagements.iter().find(|p| p.engagement.id == id);
        let took_part = [("e".to_string(), Side::Counterpart)];
        assert_eq!(
            actor_successor(&old, &took_part, now, &plan.actors, &gazetteer).as_deref(),
            Some("volodymyr-zelenskyy")
        );
        let wrong_side = [("e".to_string(), Side::Us)];
        assert_eq!(
            actor_successor(&old, &wrong_side, now, &plan.actors, &gazetteer),
            None
        );
    }
}
