//! Reading while writing: the real server under 64 concurrent connections
//! while another process imports 2,000 documents into its database. Every
//! response must succeed within a second, and none may come from half an
//! import: the rebuild that makes engagements of the new documents is one
//! transaction, so every count the server gives is that of the database
//! before the import or after it, never one in between, and a response's
//! facet counts add up to its own total.
//!
//! CI runs it for 10 s (and until the import ends) on the debug build,
//! each connection sending at most one request a second (`READOUT_LOAD_PACE_MS`,
//! default 1000 in debug builds): a debug server on two shared cores serves
//! some 120 requests a second, so 64 connections sending flat out would
//! queue past a second by arithmetic, not by any fault of the server. A
//! release build sends flat out (pace 0). The 30 s benchmark of the README:
//! `READOUT_LOAD_SECS=30 cargo test --release --test api reading_while -- --nocapture`.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::crash::{serve_until_ready, write_documents};

const CONNECTIONS: usize = 64;
const SLOW: Duration = Duration::from_secs(1);

#[derive(Default)]
struct Tally {
    requests: usize,
    errors: Vec<String>,
    slow: Vec<(String, Duration)>,
    slowest: Duration,
    /// Every total the unfiltered facets reported.
    totals: BTreeSet<u64>,
}

/// The total of a `facets=true` response, after checking that its kind and
/// status counts add up to it (each comes from one snapshot).
fn checked_total(body: &Value) -> Result<u64, String> {
    let facets = &body["facets"];
    let total = facets["total"].as_u64().ok_or("no facets.total")?;
    for group in ["kinds", "statuses"] {
        let sum: u64 = facets[group]
            .as_array()
            .ok_or("no facet group")?
            .iter()
            .filter_map(|f| f["count"].as_u64())
            .sum();
        if sum != total {
            return Err(format!("{group} add up to {sum}, total is {total}"));
        }
    }
    Ok(total)
}

async fn count(client: &reqwest::Client, base: &str) -> u64 {
    let body: Value = client
        .get(format!("{base}/api/engagements?facets=true&limit=1"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    checked_total(&body).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reading_while_an_import_writes_never_fails_stalls_or_shows_half_an_import() {
    let seconds: u64 = std::env::var("READOUT_LOAD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    let pace = Duration::from_millis(
        std::env::var("READOUT_LOAD_PACE_MS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(if cfg!(debug_assertions) { 1000 } else { 0 }),
    );
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    write_documents(&docs, 2_000);
    let db = dir.path().join("readout.db");
    let db_arg = db.to_str().unwrap().to_string();
    // The server imports the samples into the empty database first.
    let (_server, base) = serve_until_ready(&["serve", "--db", &db_arg, "--addr", "127.0.0.1:0"]);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONNECTIONS)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let before = count(&client, &base).await;
    let an_id = {
        let body: Value = client
            .get(format!("{base}/api/engagements?limit=1"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["engagements"][0]["id"].as_str().unwrap().to_string()
    };
    let paths: Arc<Vec<String>> = Arc::new(vec![
        "/api/engagements?facets=true&limit=20".into(),
        "/".into(),
        "/api/engagements?kind=call&facets=true".into(),
        format!("/engagements/{an_id}"),
        "/?q=phone".into(),
        "/documents".into(),
        "/api/engagements?limit=100".into(),
    ]);

    let tally = Arc::new(Mutex::new(Tally::default()));
    let importing = Arc::new(AtomicBool::new(true));
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let guard = started + Duration::from_secs(240);
    let mut clients = Vec::new();
    for n in 0..CONNECTIONS {
        let (client, base, paths, tally, importing) = (
            client.clone(),
            base.clone(),
            paths.clone(),
            tally.clone(),
            importing.clone(),
        );
        clients.push(tokio::spawn(async move {
            let mut i = n;
            // Staggered, so paced connections do not send in step.
            tokio::time::sleep(pace.mul_f64(n as f64 / CONNECTIONS as f64)).await;
            // Bounded: the set duration, and on until the import ends.
            while (Instant::now() < until || importing.load(Ordering::Relaxed))
                && Instant::now() < guard
            {
                let path = &paths[i % paths.len()];
                i += 1;
                let sent = Instant::now();
                let result = async {
                    let response = client.get(format!("{base}{path}")).send().await?;
                    let status = response.status();
                    let body = response.bytes().await?;
                    Ok::<_, reqwest::Error>((status, body))
                }
                .await;
                let took = sent.elapsed();
                {
                    let mut tally = tally.lock().unwrap();
                    tally.requests += 1;
                    tally.slowest = tally.slowest.max(took);
                    if took > SLOW {
                        tally.slow.push((path.clone(), took));
                    }
                    match result {
                        Err(err) => tally.errors.push(format!("{path}: {err}")),
                        Ok((status, _)) if !status.is_success() => {
                            tally.errors.push(format!("{path}: {status}"))
                        }
                        Ok((_, body)) if path.starts_with("/api/engagements?facets") => {
                            match serde_json::from_slice::<Value>(&body)
                                .map_err(|e| e.to_string())
                                .and_then(|v| checked_total(&v))
                            {
                                Ok(total) => {
                                    tally.totals.insert(total);
                                }
                                Err(err) => tally.errors.push(format!("{path}: {err}")),
                            }
                        }
                        Ok(_) => {}
                    }
                }
                tokio::time::sleep(pace.saturating_sub(took)).await;
            }
        }));
    }

    // The import, in another process, once the load is on.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let import = {
        let (docs, db_arg) = (docs.to_str().unwrap().to_string(), db_arg.clone());
        tokio::task::spawn_blocking(move || {
            crate::hostile_folder::run_readout(
                &["import", "--db", &db_arg, &docs],
                Duration::from_secs(200),
            )
        })
    };
    let (output, import_took) = import.await.unwrap();
    importing.store(false, Ordering::Relaxed);
    for task in clients {
        task.await.unwrap();
    }
    let elapsed = started.elapsed();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
    let after = count(&client, &base).await;

    let tally = tally.lock().unwrap();
    eprintln!(
        "{CONNECTIONS} connections (pace {pace:?}) for {elapsed:?} (import of 2,000 documents: {import_took:?}): \
         {} requests, {:.0}/s, {} errors, {} above {SLOW:?}, slowest {:?}; totals seen {:?} \
         (before {before}, after {after})",
        tally.requests,
        tally.requests as f64 / elapsed.as_secs_f64(),
        tally.errors.len(),
        tally.slow.len(),
        tally.slowest,
        tally.totals,
    );
    assert!(
        tally.errors.is_empty(),
        "errors: {:?}",
        &tally.errors[..tally.errors.len().min(20)]
    );
    assert!(
        tally.slow.is_empty(),
        "slow: {:?}",
        &tally.slow[..tally.slow.len().min(20)]
    );
    // One call a document, on its own day (one of them the day of a sample's
    // call, which it joins).
    assert!(after >= before + 1_990, "before {before}, after {after}");
    let allowed = BTreeSet::from([before, after]);
    assert!(
        tally.totals.is_subset(&allowed),
        "counts from half an import: {:?} (before {before}, after {after})",
        tally.totals
    );
}
