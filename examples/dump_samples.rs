//! Development aid: parses and resolves a folder (default: the bundled
//! samples) and prints the scorer's JSON export shape, without a database.
//! `cargo run --example dump_samples -- [DIR] > out.json`

use readout::gazetteer::Gazetteer;

fn main() {
    let gazetteer = Gazetteer::load(
        std::env::var("READOUT_DATA")
            .ok()
            .as_deref()
            .map(std::path::Path::new),
    )
    .expect("data");
    if let (Some(cmd), Some(file)) = (std::env::args().nth(1), std::env::args().nth(2)) {
        if cmd == "explain" {
            let text = std::fs::read_to_string(&file).unwrap();
            print!(
                "{}",
                readout::ingest::explain(&file, &text, &gazetteer).unwrap()
            );
            return;
        }
    }
    let dir = std::env::args().nth(1);
    let docs: Vec<(String, String)> = match dir {
        Some(dir) => {
            let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .map(|p| {
                    (
                        p.file_name().unwrap().to_string_lossy().into_owned(),
                        std::fs::read_to_string(&p).unwrap(),
                    )
                })
                .collect();
            v.sort();
            v
        }
        None => readout::samples::documents()
            .into_iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect(),
    };
    let mut mentions = Vec::new();
    for (name, text) in &docs {
        match readout::ingest::parse(name, text, &gazetteer) {
            Ok(doc) => mentions.extend(doc.mentions.into_iter().map(|m| (name.clone(), m))),
            Err(e) => eprintln!("{name}: {e}"),
        }
    }
    let engagements = readout::resolve::resolve(&mentions, &gazetteer);
    let out: Vec<serde_json::Value> = engagements
        .iter()
        .map(|e| {
            serde_json::json!({
                "id": e.id, "date": e.date, "end_date": e.end_date, "date_precision": e.precision,
                "kind": e.kind, "status": e.status,
                "participants": e.participants.iter().map(|p| serde_json::json!({"name": p.actor.name, "title": p.title, "country": p.actor.country, "side": p.side})).collect::<Vec<_>>(),
                "organizations": e.organizations.iter().map(|o| serde_json::json!({"name": o.name, "short_name": o.short_name})).collect::<Vec<_>>(),
                "countries": e.countries,
                "sources": e.sources.iter().map(|s| serde_json::json!({"document": s.document, "url": s.url, "excerpt": s.excerpt})).collect::<Vec<_>>(),
            })
        })
        .collect();
    println!(
        "{}",
        serde_json::to_string_pretty(&serde_json::json!({ "engagements": out })).unwrap()
    );
}

/// `cargo run --example dump_samples explain FILE`
#[allow(dead_code)]
fn unused() {}
