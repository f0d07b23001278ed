//! The mark that the derived tables lag behind the stored mentions: an
//! import of unchanged files does no resolve, and an import killed between
//! storing its documents and resolving them is finished by the next import
//! or start-up. Plus `readout rebuild`, which re-reads everything.

use std::process::Command;

use readout::db::import::{import_document, import_paths};
use readout::db::rebuild::prepare_to_serve;
use readout::db::version::Extractor;
use readout::db::Db;
use readout::samples;

async fn pending(db: &Db) -> bool {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pending_rebuild)")
        .fetch_one(&db.reader)
        .await
        .unwrap()
}

async fn engagements(db: &Db) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM engagements")
        .fetch_one(&db.reader)
        .await
        .unwrap()
}

/// Stores the samples without resolving them, as an import killed after
/// committing its documents leaves the database.
async fn interrupted_import() -> (tempfile::TempDir, Db, Vec<std::path::PathBuf>) {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("readout.db")).await.unwrap();
    let extractor = Extractor::builtin();
    let mut paths = Vec::new();
    for (name, text) in samples::documents() {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        paths.push(path);
        import_document(&db, name, text.as_bytes(), &extractor)
            .await
            .unwrap();
    }
    assert!(pending(&db).await);
    assert_eq!(engagements(&db).await, 0);
    (dir, db, paths)
}

#[tokio::test]
async fn an_import_of_unchanged_files_finishes_what_an_interrupted_one_stored() {
    let (_dir, db, paths) = interrupted_import().await;
    let extractor = Extractor::builtin();
    let summary = import_paths(&db, &paths, &extractor, |_| {}, |_| {})
        .await
        .unwrap();
    assert_eq!(summary.unchanged, paths.len());
    assert!(summary.rebuild.engagements > 0);
    assert_eq!(summary.rebuild.engagements as i64, engagements(&db).await);
    assert!(!pending(&db).await);

    // Nothing left to do: the counts are read, nothing is rewritten.
    let again = import_paths(&db, &paths, &extractor, |_| {}, |_| {})
        .await
        .unwrap();
    assert_eq!(again.rebuild.engagements, summary.rebuild.engagements);
    assert!(!again.rebuild.changed());
}

#[tokio::test]
async fn the_next_start_finishes_an_interrupted_import() {
    let (_dir, db, _paths) = interrupted_import().await;
    let prepared = prepare_to_serve(&db, &Extractor::builtin()).await.unwrap();
    let stats = prepared
        .rebuild
        .expect("the start-up resolves the pending mentions");
    assert!(stats.engagements > 0);
    assert_eq!(stats.engagements as i64, engagements(&db).await);
    assert!(!pending(&db).await);
    let next = prepare_to_serve(&db, &Extractor::builtin()).await.unwrap();
    assert!(next.rebuild.is_none());
}

#[test]
fn readout_rebuild_rereads_every_document_and_gives_what_the_import_gave() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("readout.db");
    let docs = dir.path().join("docs");
    std::fs::create_dir(&docs).unwrap();
    for (name, text) in samples::documents() {
        std::fs::write(docs.join(name), text).unwrap();
    }
    let run = |args: &[&std::ffi::OsStr]| {
        let output = Command::new(env!("CARGO_BIN_EXE_readout"))
            .args(args)
            .env_remove("READOUT_DATA")
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stdout).unwrap()
    };
    let imported = run(&[
        "import".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        docs.as_os_str(),
    ]);
    let summary = imported.lines().last().unwrap();
    let count = summary.rsplit("; ").next().unwrap();
    let rebuilt = run(&["rebuild".as_ref(), "--db".as_ref(), db.as_os_str()]);
    assert_eq!(
        rebuilt.trim(),
        format!(
            "re-read {} documents, failed 0; {count}",
            samples::documents().len()
        )
    );
}
