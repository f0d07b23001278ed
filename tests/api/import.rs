//! Importing documents and rebuilding the derived tables, against a real
//! SQLite file. The redirect tests store hand-made mentions and engagements,
//! so they check the storage rules whatever the extractor finds.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use readout::db::import::{
    self, content_hash, import_document, import_paths, store_parsed, ImportFailure, ImportOutcome,
};
use readout::db::rebuild::{import_samples_if_empty, prepare_to_serve, rebuild, store_engagements};
use readout::db::version::Extractor;
use readout::db::Db;
use readout::gazetteer::Gazetteer;
use readout::limits::Refused;
use readout::model::{
    slugify, Actor, ActorKind, DatePrecision, DocumentMeta, Engagement, Kind, Mention,
    ParsedDocument, Participant, Shape, Side, Source, Status,
};
use readout::samples;
use tempfile::TempDir;

async fn temp_db() -> (TempDir, Db) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("readout.db")).await.unwrap();
    (dir, db)
}

/// Every row of every table the importer writes, as text, in a stable order.
async fn contents(db: &Db) -> BTreeMap<&'static str, Vec<String>> {
    let tables = [
        (
            "documents",
            "SELECT json_array(id, name, content_hash, title, published, source_url, shape, \
                 imported_at, body, extractor) FROM documents ORDER BY id",
        ),
        (
            "mentions",
            "SELECT json_array(id, document_id, ordinal, date, payload) FROM mentions ORDER BY id",
        ),
        (
            "actors",
            "SELECT json_array(id, slug, name, kind, country, short_name, title) FROM actors \
             ORDER BY id",
        ),
        (
            "engagements",
            "SELECT json_array(id, date, end_date, date_precision, kind, status, sort_date, \
                 source_count, fingerprint) FROM engagements ORDER BY id",
        ),
        (
            "participants",
            "SELECT json_array(engagement_id, actor_id, side, title, position) FROM participants \
             ORDER BY engagement_id, position",
        ),
        (
            "evidence",
            "SELECT json_array(engagement_id, mention_id, document_id, excerpt, start_offset, \
                 end_offset, url) FROM evidence ORDER BY engagement_id, mention_id",
        ),
        (
            "engagement_redirects",
            "SELECT json_array(old_id, new_id) FROM engagement_redirects ORDER BY old_id",
        ),
        (
            "actor_redirects",
            "SELECT json_array(old_slug, new_slug) FROM actor_redirects ORDER BY old_slug",
        ),
    ];
    let mut out = BTreeMap::new();
    for (table, sql) in tables {
        let rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(&db.reader).await.unwrap();
        out.insert(table, rows);
    }
    out
}

async fn engagement_ids(db: &Db) -> Vec<String> {
    sqlx::query_scalar("SELECT id FROM engagements ORDER BY id")
        .fetch_all(&db.reader)
        .await
        .unwrap()
}

async fn redirects(db: &Db, table: &str) -> Vec<(String, String)> {
    let sql = match table {
        "engagement_redirects" => "SELECT old_id, new_id FROM engagement_redirects ORDER BY old_id",
        _ => "SELECT old_slug, new_slug FROM actor_redirects ORDER BY old_slug",
    };
    sqlx::query_as(sql).fetch_all(&db.reader).await.unwrap()
}

fn write_samples(dir: &Path) -> Vec<PathBuf> {
    samples::documents()
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(name);
            std::fs::write(&path, text).unwrap();
            path
        })
        .collect()
}

const DAY: Option<NaiveDate> = NaiveDate::from_ymd_opt(2021, 12, 9);

fn mention(start: usize, excerpt: &str) -> Mention {
    Mention {
        date: DAY,
        end_date: None,
        precision: DatePrecision::Day,
        kind: Kind::Call,
        status: Status::Held,
        people: Vec::new(),
        organizations: Vec::new(),
        countries: vec!["Ukraine".into()],
        excerpt: excerpt.into(),
        start,
        end: start + excerpt.len(),
        url: None,
        listed: false,
        published: None,
    }
}

fn parsed(mentions: Vec<Mention>) -> ParsedDocument {
    ParsedDocument {
        shape: Shape::DateLine,
        meta: DocumentMeta::default(),
        mentions,
    }
}

/// Stores a document whose body is its mentions' excerpts, one per line.
async fn store(db: &Db, name: &str, excerpts: &[&str]) {
    let mut body = String::new();
    let mut mentions = Vec::new();
    for excerpt in excerpts {
        mentions.push(mention(body.len(), excerpt));
        body.push_str(excerpt);
        body.push('\n');
    }
    store_parsed(
        db,
        name,
        &content_hash(body.as_bytes()),
        &body,
        &parsed(mentions),
        Extractor::builtin().fingerprint(),
    )
    .await
    .unwrap();
}

fn person(name: &str, side: Side) -> Participant {
    Participant {
        actor: Actor {
            slug: slugify(name),
            name: name.into(),
            kind: ActorKind::Person,
            country: Some(
                if side == Side::Us {
                    "United States"
                } else {
                    "Ukraine"
                }
                .into(),
            ),
            short_name: None,
            title: None,
        },
        side,
        title: None,
    }
}

/// The Dec 9 call, with the named people, reported by `sources` (document
/// name and the excerpt's line in it, as [`store`] laid it out).
fn call(id: &str, people: &[(&str, Side)], sources: &[(&str, usize, &str)]) -> Engagement {
    Engagement {
        id: id.into(),
        date: DAY,
        end_date: None,
        precision: DatePrecision::Day,
        kind: Kind::Call,
        status: Status::Held,
        participants: people.iter().map(|(n, s)| person(n, *s)).collect(),
        organizations: Vec::new(),
        countries: vec!["Ukraine".into()],
        sources: sources
            .iter()
            .map(|(document, start, excerpt)| Source {
                document: document.to_string(),
                url: None,
                excerpt: excerpt.to_string(),
                start: *start,
                end: start + excerpt.len(),
            })
            .collect(),
    }
}

const A: &str = "President Biden spoke with President Zelenskyy.";
const B: &str = "Biden, Zelenskyy and Foreign Minister Kuleba spoke by phone.";

#[tokio::test]
async fn importing_the_same_files_twice_changes_nothing() {
    let (dir, db) = temp_db().await;
    let extractor = Extractor::builtin();
    let paths = write_samples(dir.path());

    let first = import_paths(&db, &paths, &extractor, |_| {}, |_| {})
        .await
        .unwrap();
    assert_eq!((first.imported, first.unchanged, first.failed), (5, 0, 0));
    let before = contents(&db).await;

    let mut outcomes = Vec::new();
    let second = import_paths(
        &db,
        &paths,
        &extractor,
        |_| {},
        |report| outcomes.push(report.result.as_ref().unwrap().outcome),
    )
    .await
    .unwrap();
    assert_eq!(
        (second.imported, second.unchanged, second.failed),
        (0, 5, 0)
    );
    assert!(outcomes.iter().all(ImportOutcome::is_unchanged));
    assert!(!second.rebuild.changed());
    assert_eq!(contents(&db).await, before);
}

#[tokio::test]
async fn a_changed_file_replaces_its_mentions() {
    let (_dir, db) = temp_db().await;
    let extractor = Extractor::builtin();
    store(&db, "a.txt", &[A, B, "A third line."]).await;
    let document_id: i64 = sqlx::query_scalar("SELECT id FROM documents WHERE name = 'a.txt'")
        .fetch_one(&db.reader)
        .await
        .unwrap();

    store(&db, "a.txt", &[B, A]).await;
    let payloads: Vec<String> =
        sqlx::query_scalar("SELECT payload FROM mentions WHERE document_id = ? ORDER BY ordinal")
            .bind(document_id)
            .fetch_all(&db.reader)
            .await
            .unwrap();
    let excerpts: Vec<String> = payloads
        .iter()
        .map(|p| serde_json::from_str::<Mention>(p).unwrap().excerpt)
        .collect();
    assert_eq!(excerpts, [B, A]);

    // Through the importer too: new bytes replace the document in place,
    // keeping its id (its URL), and whatever it said before.
    let outcome = import_document(&db, "a.txt", b"Nothing happened today.", &extractor)
        .await
        .unwrap();
    assert!(
        matches!(outcome, ImportOutcome::Replaced { .. }),
        "{outcome:?}"
    );
    let (id, body): (i64, String) =
        sqlx::query_as("SELECT id, body FROM documents WHERE name = 'a.txt'")
            .fetch_one(&db.reader)
            .await
            .unwrap();
    assert_eq!(
        (id, body.as_str()),
        (document_id, "Nothing happened today.")
    );
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM mentions WHERE document_id = ?")
        .bind(document_id)
        .fetch_one(&db.reader)
        .await
        .unwrap();
    assert_eq!(left as usize, outcome.mentions());
}

#[tokio::test]
async fn unreadable_files_fail_by_name_while_the_others_import() {
    let (dir, db) = temp_db().await;
    let extractor = Extractor::builtin();
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    std::fs::write(docs.join("good.txt"), samples::documents()[1].1).unwrap();
    std::fs::write(docs.join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0").unwrap();
    std::fs::write(docs.join("empty.md"), "  \n").unwrap();

    let mut reports = Vec::new();
    let summary = import_paths(
        &db,
        &[docs],
        &extractor,
        |_| {},
        |report| {
            reports.push((
                report.name.clone(),
                report.result.as_ref().err().map(|e| e.to_string()),
            ))
        },
    )
    .await
    .unwrap();

    assert_eq!((summary.imported, summary.failed), (1, 2));
    assert!(!summary.all_imported());
    assert_eq!(reports.len(), 3);
    let error = |name: &str| {
        reports
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, e)| e.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        error("image.txt"),
        "image.txt: refused: binary data, not text (a NUL byte at offset 8)"
    );
    assert!(
        error("empty.md").starts_with("empty.md: "),
        "{}",
        error("empty.md")
    );
    assert_eq!(error("good.txt"), "");
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM documents")
        .fetch_all(&db.reader)
        .await
        .unwrap();
    assert_eq!(names, ["good.txt"]);
}

#[tokio::test]
async fn two_files_of_the_same_name_do_not_overwrite_each_other() {
    let (dir, db) = temp_db().await;
    for sub in ["one", "two"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(
            dir.path().join(sub).join("same.txt"),
            format!("From {sub}."),
        )
        .unwrap();
    }
    let mut failures = Vec::new();
    let summary = import_paths(
        &db,
        &[dir.path().to_path_buf()],
        &Extractor::builtin(),
        |_| {},
        |r| {
            if let Err(err) = &r.result {
                failures.push(err.to_string());
            }
        },
    )
    .await
    .unwrap();
    assert_eq!((summary.imported, summary.failed), (1, 1));
    assert!(failures[0].starts_with("same.txt: "), "{}", failures[0]);
    assert!(failures[0].contains("one/same.txt"), "{}", failures[0]);
}

#[tokio::test]
async fn a_failed_import_leaves_no_trace() {
    let (_dir, db) = temp_db().await;
    let err = import_document(&db, "bad.txt", b"\x89PNG\0", &Extractor::builtin())
        .await
        .unwrap_err();
    assert!(matches!(
        err.reason,
        ImportFailure::Refused(Refused::Binary { offset: 4 })
    ));
    assert!(!import::has_documents(&db).await.unwrap());
}

#[tokio::test]
async fn a_participant_added_by_a_second_document_redirects_the_old_id() {
    let (_dir, db) = temp_db().await;
    let gazetteer = Gazetteer::builtin();
    let two = [
        ("Joe Biden", Side::Us),
        ("Volodymyr Zelenskyy", Side::Counterpart),
    ];
    let three = [
        ("Joe Biden", Side::Us),
        ("Volodymyr Zelenskyy", Side::Counterpart),
        ("Dmytro Kuleba", Side::Counterpart),
    ];
    let old_id = "2021-12-09-biden-zelenskyy-call";
    let new_id = "2021-12-09-biden-kuleba-zelenskyy-call";

    store(&db, "a.txt", &[A]).await;
    store_engagements(&db, &[call(old_id, &two, &[("a.txt", 0, A)])], &gazetteer)
        .await
        .unwrap();
    assert_eq!(engagement_ids(&db).await, [old_id]);

    store(&db, "b.txt", &[B]).await;
    let merged = call(new_id, &three, &[("a.txt", 0, A), ("b.txt", 0, B)]);
    let stats = store_engagements(&db, &[merged], &gazetteer).await.unwrap();
    assert_eq!(
        (stats.inserted, stats.deleted, stats.engagement_redirects),
        (1, 1, 1)
    );
    assert_eq!(engagement_ids(&db).await, [new_id]);
    assert_eq!(
        redirects(&db, "engagement_redirects").await,
        [(old_id.to_string(), new_id.to_string())]
    );
    let evidence: i64 = sqlx::query_scalar("SELECT source_count FROM engagements WHERE id = ?")
        .bind(new_id)
        .fetch_one(&db.reader)
        .await
        .unwrap();
    assert_eq!(evidence, 2);
}

#[tokio::test]
async fn redirect_chains_collapse_and_an_id_that_returns_is_served_again() {
    let (_dir, db) = temp_db().await;
    let gazetteer = Gazetteer::builtin();
    store(&db, "a.txt", &[A]).await;
    let src = [("a.txt", 0, A)];
    let biden = ("Joe Biden", Side::Us);
    let (x, y, z) = (
        "2021-12-09-x-call",
        "2021-12-09-y-call",
        "2021-12-09-z-call",
    );

    for id in [x, y, z] {
        store_engagements(&db, &[call(id, &[biden], &src)], &gazetteer)
            .await
            .unwrap();
    }
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    // x → y then y → z reads as x → z: no chain to walk.
    assert_eq!(
        redirects(&db, "engagement_redirects").await,
        pairs(&[(x, z), (y, z)])
    );

    store_engagements(&db, &[call(x, &[biden], &src)], &gazetteer)
        .await
        .unwrap();
    assert_eq!(engagement_ids(&db).await, [x]);
    assert_eq!(
        redirects(&db, "engagement_redirects").await,
        pairs(&[(y, x), (z, x)])
    );
}

#[tokio::test]
async fn a_surname_actor_redirects_to_the_full_name_that_replaces_it() {
    let (_dir, db) = temp_db().await;
    let gazetteer = Gazetteer::builtin();
    store(&db, "a.txt", &[A]).await;
    let src = [("a.txt", 0, A)];
    let id = "2021-12-09-biden-zelenskyy-call";
    store_engagements(
        &db,
        &[call(
            id,
            &[("Biden", Side::Us), ("Zelenskyy", Side::Counterpart)],
            &src,
        )],
        &gazetteer,
    )
    .await
    .unwrap();
    store_engagements(
        &db,
        &[call(
            id,
            &[
                ("Joe Biden", Side::Us),
                ("Volodymyr Zelenskyy", Side::Counterpart),
            ],
            &src,
        )],
        &gazetteer,
    )
    .await
    .unwrap();
    assert_eq!(
        redirects(&db, "actor_redirects").await,
        [
            ("biden".to_string(), "joe-biden".to_string()),
            ("zelenskyy".to_string(), "volodymyr-zelenskyy".to_string())
        ]
    );
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM actors ORDER BY slug")
        .fetch_all(&db.reader)
        .await
        .unwrap();
    assert_eq!(slugs, ["joe-biden", "ukraine", "volodymyr-zelenskyy"]);
}

#[tokio::test]
async fn storing_the_same_engagements_again_writes_nothing() {
    let (_dir, db) = temp_db().await;
    let gazetteer = Gazetteer::builtin();
    store(&db, "a.txt", &[A]).await;
    let engagement = call(
        "2021-12-09-biden-zelenskyy-call",
        &[
            ("Joe Biden", Side::Us),
            ("Volodymyr Zelenskyy", Side::Counterpart),
        ],
        &[("a.txt", 0, A)],
    );
    store_engagements(&db, std::slice::from_ref(&engagement), &gazetteer)
        .await
        .unwrap();
    let before = contents(&db).await;
    let stats = store_engagements(&db, &[engagement], &gazetteer)
        .await
        .unwrap();
    assert!(!stats.changed(), "{stats:?}");
    assert_eq!(contents(&db).await, before);
}

/// What a reader sees of the derived tables, without row ids that depend
/// on insertion order.
async fn derived_view(db: &Db) -> Vec<String> {
    let sql = "SELECT json_array('engagement', id, date, end_date, date_precision, kind, status, \
                   source_count) FROM engagements \
               UNION ALL SELECT json_array('participant', p.engagement_id, a.slug, a.name, \
                   a.kind, p.side, p.title, p.position) \
                   FROM participants p JOIN actors a ON a.id = p.actor_id \
               UNION ALL SELECT json_array('evidence', e.engagement_id, d.name, e.start_offset, \
                   e.end_offset) FROM evidence e JOIN documents d ON d.id = e.document_id";
    let mut rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(&db.reader).await.unwrap();
    rows.sort();
    rows
}

#[tokio::test]
async fn ids_are_the_same_whatever_the_import_order() {
    let extractor = Extractor::builtin();
    let docs = samples::documents();
    let mut views = Vec::new();
    for order in [docs.clone(), docs.iter().rev().cloned().collect()] {
        let (_dir, db) = temp_db().await;
        // A rebuild after every document, as separate imports would do.
        for (name, text) in order {
            import_document(&db, name, text.as_bytes(), &extractor)
                .await
                .unwrap();
            rebuild(&db, extractor.gazetteer()).await.unwrap();
        }
        views.push(derived_view(&db).await);
    }
    assert_eq!(views[0], views[1]);
}

#[tokio::test]
async fn the_samples_are_imported_only_into_an_empty_database() {
    let (_dir, db) = temp_db().await;
    let extractor = Extractor::builtin();
    let first = import_samples_if_empty(&db, &extractor).await.unwrap();
    assert_eq!(first.len(), samples::documents().len());
    assert!(first.iter().all(|(_, result)| result.is_ok()));
    assert!(import_samples_if_empty(&db, &extractor)
        .await
        .unwrap()
        .is_empty());
}

/// Pretends another extractor wrote every stored document, and garbles
/// what it extracted, so a re-parse has something to put right.
async fn age_documents(db: &Db) {
    for sql in [
        "UPDATE documents SET extractor = 'old'",
        "UPDATE mentions SET payload = json_set(payload, '$.excerpt', 'stale')",
    ] {
        sqlx::query(sql).execute(&db.writer).await.unwrap();
    }
}

async fn extractors(db: &Db) -> Vec<Option<String>> {
    sqlx::query_scalar("SELECT extractor FROM documents ORDER BY name")
        .fetch_all(&db.reader)
        .await
        .unwrap()
}

#[tokio::test]
async fn documents_of_another_extractor_are_reparsed_by_the_next_import() {
    let (dir, db) = temp_db().await;
    let extractor = Extractor::builtin();
    let paths = write_samples(dir.path());
    import_paths(&db, &paths, &extractor, |_| {}, |_| {})
        .await
        .unwrap();
    let before = contents(&db).await;
    age_documents(&db).await;

    // Import only the first file: it is re-parsed from its bytes, the
    // others from their stored bodies.
    let mut outcomes = Vec::new();
    let mut stages = Vec::new();
    let summary = import_paths(
        &db,
        &paths[..1],
        &extractor,
        |progress| {
            if let import::Progress::Stage(stage, steps) = progress {
                stages.push((stage, steps));
            }
        },
        |report| outcomes.push(report.result.as_ref().unwrap().outcome),
    )
    .await
    .unwrap();
    assert!(
        matches!(outcomes[..], [ImportOutcome::Reparsed { .. }]),
        "{outcomes:?}"
    );
    assert_eq!((summary.imported, summary.unchanged), (1, 0));
    assert_eq!(summary.reparsed.documents, paths.len() - 1);
    assert_eq!(
        stages,
        [
            (import::Stage::Files, 1),
            (import::Stage::Reparse, paths.len() - 1),
            (import::Stage::Rebuild, 0),
        ]
    );
    // Mentions rewritten in place, engagement ids and everything else as
    // the first import left them (imported_at included: same bytes).
    assert_eq!(contents(&db).await, before);
    let current = Some(extractor.fingerprint().to_string());
    assert!(extractors(&db).await.iter().all(|e| *e == current));

    // Now current: a further import finds nothing to do.
    let again = import_paths(&db, &paths, &extractor, |_| {}, |_| {})
        .await
        .unwrap();
    assert_eq!((again.imported, again.unchanged), (0, paths.len()));
    assert_eq!(again.reparsed, Default::default());
}

#[tokio::test]
async fn serving_refreshes_documents_of_another_extractor_and_keeps_their_ids() {
    let (_dir, db) = temp_db().await;
    let extractor = Extractor::builtin();
    let first = prepare_to_serve(&db, &extractor).await.unwrap();
    assert_eq!(first.samples.len(), samples::documents().len());
    let before = contents(&db).await;
    let ids = engagement_ids(&db).await;
    assert!(!ids.is_empty());

    // Nothing stale: no re-parse and no rebuild.
    let unchanged = prepare_to_serve(&db, &extractor).await.unwrap();
    assert_eq!(unchanged.reparsed.documents, 0);
    assert!(unchanged.rebuild.is_none());

    // A document from before migration 0003 has no extractor at all.
    age_documents(&db).await;
    sqlx::query("UPDATE documents SET extractor = NULL WHERE name = ?")
        .bind(samples::documents()[0].0)
        .execute(&db.writer)
        .await
        .unwrap();
    let stale: Vec<String> =
        sqlx::query_scalar("SELECT json_extract(payload, '$.excerpt') FROM mentions GROUP BY 1")
            .fetch_all(&db.reader)
            .await
            .unwrap();
    assert_eq!(stale, ["stale"]);

    let refreshed = prepare_to_serve(&db, &extractor).await.unwrap();
    assert!(refreshed.samples.is_empty());
    assert_eq!(refreshed.reparsed.documents, samples::documents().len());
    assert_eq!(refreshed.reparsed.failed, 0);
    assert!(refreshed.rebuild.is_some());
    assert_eq!(engagement_ids(&db).await, ids);
    assert_eq!(contents(&db).await, before);
}

#[tokio::test]
async fn other_gazetteer_data_counts_as_another_extractor() {
    let (_dir, db) = temp_db().await;
    let (name, text) = samples::documents()[1];
    let builtin = Extractor::builtin();
    import_document(&db, name, text.as_bytes(), &builtin)
        .await
        .unwrap();
    let data = tempfile::tempdir().unwrap();
    std::fs::write(
        data.path().join("titles.tsv"),
        "Chief Archivist\tus\toffice\n",
    )
    .unwrap();
    let extended = Extractor::load(Some(data.path())).unwrap();
    assert_ne!(extended.fingerprint(), builtin.fingerprint());

    let outcome = import_document(&db, name, text.as_bytes(), &extended)
        .await
        .unwrap();
    assert!(
        matches!(outcome, ImportOutcome::Reparsed { .. }),
        "{outcome:?}"
    );
    assert_eq!(
        extractors(&db).await,
        [Some(extended.fingerprint().to_string())]
    );
    let outcome = import_document(&db, name, text.as_bytes(), &extended)
        .await
        .unwrap();
    assert!(outcome.is_unchanged(), "{outcome:?}");
}

#[tokio::test]
async fn a_document_that_fails_to_store_leaves_nothing_while_its_batch_stands() {
    let (dir, db) = temp_db().await;
    let docs = samples::documents();
    let folder = dir.path().join("docs");
    std::fs::create_dir(&folder).unwrap();
    // Three documents with mentions, the middle one poisoned: its row is
    // written, then its first mention fails, inside the same batch.
    for name in ["a.txt", "poison.txt", "z.txt"] {
        std::fs::write(folder.join(name), docs[1].1).unwrap();
    }
    sqlx::query(
        "CREATE TRIGGER poison BEFORE INSERT ON mentions \
         WHEN (SELECT name FROM documents WHERE id = NEW.document_id) = 'poison.txt' \
         BEGIN SELECT RAISE(ABORT, 'poisoned'); END",
    )
    .execute(&db.writer)
    .await
    .unwrap();

    let mut failures = Vec::new();
    let summary = import_paths(
        &db,
        &[folder],
        &Extractor::builtin(),
        |_| {},
        |report| {
            if let Err(err) = &report.result {
                failures.push(err.to_string());
            }
        },
    )
    .await
    .unwrap();
    assert_eq!((summary.imported, summary.failed), (2, 1));
    assert_eq!(failures.len(), 1);
    assert!(failures[0].starts_with("poison.txt: "), "{}", failures[0]);
    assert!(failures[0].contains("poisoned"), "{}", failures[0]);
    let names: Vec<String> = sqlx::query_scalar("SELECT name FROM documents ORDER BY name")
        .fetch_all(&db.reader)
        .await
        .unwrap();
    assert_eq!(names, ["a.txt", "z.txt"]);
    let orphans: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM mentions WHERE document_id NOT IN (SELECT id FROM documents)",
    )
    .fetch_one(&db.reader)
    .await
    .unwrap();
    assert_eq!(orphans, 0);
}
