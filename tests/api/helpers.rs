//! Test scaffolding for the web tests: a real server on port 0 over a real
//! SQLite file in a temp directory, and seeding by plain INSERTs into the
//! schema (the importer is not needed to test reading).
#![allow(dead_code)]

use std::net::SocketAddr;

use readout::db::Db;
use readout::web::{serve_on, AppState};
use reqwest::StatusCode;
use serde_json::Value;
use tempfile::TempDir;

/// A running server and a client that does not follow redirects (so tests
/// can see the 301s).
pub struct TestApp {
    pub addr: SocketAddr,
    pub client: reqwest::Client,
    pub db: Db,
    _dir: TempDir,
}

impl TestApp {
    /// A server over an empty, migrated database.
    pub async fn spawn() -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = Db::open(&dir.path().join("readout.db"))
            .await
            .expect("open database");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind port 0");
        let addr = listener.local_addr().expect("local addr");
        let state = AppState::new(db.clone());
        tokio::spawn(async move {
            serve_on(state, listener).await.expect("server runs");
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        TestApp {
            addr,
            client,
            db,
            _dir: dir,
        }
    }

    /// A server over the small world of [`seed_world`].
    pub async fn seeded() -> TestApp {
        let app = TestApp::spawn().await;
        seed_world(&app.db).await;
        app
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Status and body of a page.
    pub async fn page(&self, path: &str) -> (StatusCode, String) {
        let response = self.get(path).await;
        let status = response.status();
        (status, response.text().await.expect("body"))
    }

    /// Status and parsed body of a JSON answer.
    pub async fn json(&self, path: &str) -> (StatusCode, Value) {
        let response = self.get(path).await;
        let status = response.status();
        let body = response.text().await.expect("body");
        let value = serde_json::from_str(&body)
            .unwrap_or_else(|e| panic!("GET {path}: not JSON ({e}): {body}"));
        (status, value)
    }

    /// The ids `/api/engagements?{query}` returns, walking every page.
    pub async fn ids(&self, query: &str) -> Vec<String> {
        let mut ids = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let mut path = format!("/api/engagements?{query}");
            if let Some(cursor) = &cursor {
                path.push_str(&format!("&cursor={cursor}"));
            }
            let (status, body) = self.json(&path).await;
            assert_eq!(status, StatusCode::OK, "{path}: {body}");
            ids.extend(
                body["engagements"]
                    .as_array()
                    .expect("engagements array")
                    .iter()
                    .map(|e| e["id"].as_str().expect("id").to_string()),
            );
            match body["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_string()),
                None => return ids,
            }
        }
    }
}

pub async fn insert_document(
    db: &Db,
    name: &str,
    title: Option<&str>,
    published: Option<&str>,
    source_url: Option<&str>,
    body: &str,
) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO documents (name, content_hash, title, published, source_url, shape, \
         imported_at, body) VALUES (?, ?, ?, ?, ?, 'date_line', '2024-01-01T00:00:00Z', ?) \
         RETURNING id",
    )
    .bind(name)
    .bind(format!("hash-of-{name}"))
    .bind(title)
    .bind(published)
    .bind(source_url)
    .bind(body)
    .fetch_one(&db.writer)
    .await
    .expect("insert document")
}

pub async fn insert_actor(
    db: &Db,
    slug: &str,
    name: &str,
    kind: &str,
    country: Option<&str>,
    short_name: Option<&str>,
    title: Option<&str>,
) -> i64 {
    sqlx::query_scalar(
        "INSERT INTO actors (slug, name, kind, country, short_name, title) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(slug)
    .bind(name)
    .bind(kind)
    .bind(country)
    .bind(short_name)
    .bind(title)
    .fetch_one(&db.writer)
    .await
    .expect("insert actor")
}

/// One engagement to seed: participants are actor slugs (already inserted)
/// with the side and the title as the sources write it; sources are
/// document names (already inserted) with the excerpt.
pub struct EngagementSeed<'a> {
    pub id: &'a str,
    pub date: Option<&'a str>,
    pub end_date: Option<&'a str>,
    pub kind: &'a str,
    pub status: &'a str,
    pub participants: &'a [(&'a str, &'a str, Option<&'a str>)],
    pub sources: &'a [(&'a str, &'a str)],
}

pub async fn insert_engagement(db: &Db, seed: &EngagementSeed<'_>) {
    let mut tx = db.writer.begin().await.expect("begin");
    sqlx::query(
        "INSERT INTO engagements (id, date, end_date, date_precision, kind, status, sort_date, \
         source_count, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(seed.id)
    .bind(seed.date)
    .bind(seed.end_date)
    .bind(if seed.date.is_some() {
        "day"
    } else {
        "unknown"
    })
    .bind(seed.kind)
    .bind(seed.status)
    .bind(seed.date.unwrap_or("0000-00-00"))
    .bind(seed.sources.len() as i64)
    .bind(format!("fp-{}", seed.id))
    .execute(&mut *tx)
    .await
    .expect("insert engagement");
    for (position, (slug, side, title)) in seed.participants.iter().enumerate() {
        sqlx::query(
            "INSERT INTO participants (engagement_id, actor_id, side, title, position) \
             VALUES (?, (SELECT id FROM actors WHERE slug = ?), ?, ?, ?)",
        )
        .bind(seed.id)
        .bind(slug)
        .bind(side)
        .bind(title)
        .bind(position as i64)
        .execute(&mut *tx)
        .await
        .unwrap_or_else(|e| panic!("insert participant {slug}: {e}"));
    }
    for (document, excerpt) in seed.sources {
        let document_id: i64 = sqlx::query_scalar("SELECT id FROM documents WHERE name = ?")
            .bind(document)
            .fetch_one(&mut *tx)
            .await
            .unwrap_or_else(|e| panic!("document {document}: {e}"));
        let payload = serde_json::json!({ "excerpt": excerpt }).to_string();
        let mention_id: i64 = sqlx::query_scalar(
            "INSERT INTO mentions (document_id, ordinal, date, payload) VALUES (?, \
             (SELECT COUNT(*) FROM mentions WHERE document_id = ?), ?, ?) RETURNING id",
        )
        .bind(document_id)
        .bind(document_id)
        .bind(seed.date)
        .bind(&payload)
        .fetch_one(&mut *tx)
        .await
        .expect("insert mention");
        sqlx::query(
            "INSERT INTO evidence (engagement_id, mention_id, document_id, excerpt, \
             start_offset, end_offset, url) VALUES (?, ?, ?, ?, 0, ?, NULL)",
        )
        .bind(seed.id)
        .bind(mention_id)
        .bind(document_id)
        .bind(excerpt)
        .bind(excerpt.len() as i64)
        .execute(&mut *tx)
        .await
        .expect("insert evidence");
    }
    tx.commit().await.expect("commit");
}

pub async fn insert_engagement_redirect(db: &Db, old_id: &str, new_id: &str) {
    sqlx::query("INSERT INTO engagement_redirects (old_id, new_id) VALUES (?, ?)")
        .bind(old_id)
        .bind(new_id)
        .execute(&db.writer)
        .await
        .expect("insert redirect");
}

pub async fn insert_actor_redirect(db: &Db, old_slug: &str, new_slug: &str) {
    sqlx::query("INSERT INTO actor_redirects (old_slug, new_slug) VALUES (?, ?)")
        .bind(old_slug)
        .bind(new_slug)
        .execute(&db.writer)
        .await
        .expect("insert redirect");
}

/// The ids of [`seed_world`], newest first, undated last (by id descending).
pub const WORLD: &[&str] = &[
    "2022-01-20-blinken-nato-meeting",
    "2021-12-29-blinken-poland-call",
    "2021-12-09-biden-zelenskyy-call",
    "2021-12-07-blinken-kuleba-meeting",
    "2021-11-09-blinken-macron-visit",
    "undated-blinken-kuleba-call",
    "undated-biden-macron-video-call",
];

/// A small world: two U.S. officials, three foreign leaders, an
/// organisation and two countries; seven engagements over three months plus
/// two undated, from two documents; one renamed engagement and one renamed
/// actor; and an excerpt with markup in it.
pub async fn seed_world(db: &Db) {
    let us = Some("United States");
    insert_actor(
        db,
        "joe-biden",
        "Joe Biden",
        "person",
        us,
        None,
        Some("President"),
    )
    .await;
    insert_actor(
        db,
        "antony-blinken",
        "Antony Blinken",
        "person",
        us,
        None,
        Some("Secretary of State"),
    )
    .await;
    insert_actor(
        db,
        "volodymyr-zelenskyy",
        "Volodymyr Zelenskyy",
        "person",
        Some("Ukraine"),
        None,
        Some("President"),
    )
    .await;
    insert_actor(
        db,
        "dmytro-kuleba",
        "Dmytro Kuleba",
        "person",
        Some("Ukraine"),
        None,
        Some("Foreign Minister"),
    )
    .await;
    insert_actor(
        db,
        "emmanuel-macron",
        "Emmanuel Macron",
        "person",
        Some("France"),
        None,
        Some("President"),
    )
    .await;
    insert_actor(
        db,
        "nato",
        "North Atlantic Treaty Organization",
        "organization",
        None,
        Some("NATO"),
        None,
    )
    .await;
    insert_actor(db, "poland", "Poland", "country", None, None, None).await;

    insert_document(
        db,
        "001_readout.txt",
        Some("Readout of calls"),
        Some("2021-12-10"),
        Some("https://example.org/readout"),
        "President Biden spoke with President Zelenskyy of Ukraine.",
    )
    .await;
    insert_document(
        db,
        "002_news.txt",
        Some("Diplomacy <b>weekly</b>"),
        Some("2022-01-05"),
        Some("javascript:alert(1)"),
        "News body with <script>alert('body')</script> in it.",
    )
    .await;

    let biden = ("joe-biden", "us", Some("President"));
    let blinken = ("antony-blinken", "us", Some("Secretary of State"));
    let zelenskyy = ("volodymyr-zelenskyy", "counterpart", Some("President"));
    let kuleba = ("dmytro-kuleba", "counterpart", Some("Foreign Minister"));
    let macron = ("emmanuel-macron", "counterpart", Some("President"));
    let seeds = [
        EngagementSeed {
            id: "2021-12-09-biden-zelenskyy-call",
            date: Some("2021-12-09"),
            end_date: None,
            kind: "call",
            status: "held",
            participants: &[biden, zelenskyy],
            sources: &[
                (
                    "001_readout.txt",
                    "President Biden spoke with President Zelenskyy of Ukraine about sanctions.",
                ),
                (
                    "002_news.txt",
                    "Biden and Zelenskyy held a phone call on Thursday.",
                ),
            ],
        },
        EngagementSeed {
            id: "2021-12-07-blinken-kuleba-meeting",
            date: Some("2021-12-07"),
            end_date: None,
            kind: "meeting",
            status: "held",
            participants: &[blinken, kuleba],
            sources: &[(
                "001_readout.txt",
                "Secretary Blinken met Foreign Minister Kuleba in Stockholm.",
            )],
        },
        EngagementSeed {
            id: "2021-11-09-blinken-macron-visit",
            date: Some("2021-11-09"),
            end_date: Some("2021-11-13"),
            kind: "visit",
            status: "held",
            participants: &[blinken, macron],
            sources: &[(
                "002_news.txt",
                "Secretary Blinken traveled to France to meet President Macron.",
            )],
        },
        EngagementSeed {
            id: "2022-01-20-blinken-nato-meeting",
            date: Some("2022-01-20"),
            end_date: None,
            kind: "meeting",
            status: "planned",
            participants: &[blinken, ("nato", "counterpart", None)],
            sources: &[(
                "002_news.txt",
                "Secretary Blinken will meet NATO Allies in Brussels.",
            )],
        },
        EngagementSeed {
            id: "2021-12-29-blinken-poland-call",
            date: Some("2021-12-29"),
            end_date: None,
            kind: "call",
            status: "held",
            participants: &[blinken, ("poland", "counterpart", None)],
            sources: &[(
                "001_readout.txt",
                "Blinken called Warsaw <script>alert(\"excerpt\")</script> about 100% of it.",
            )],
        },
        EngagementSeed {
            id: "undated-biden-macron-video-call",
            date: None,
            end_date: None,
            kind: "video_call",
            status: "held",
            participants: &[biden, macron],
            sources: &[(
                "002_news.txt",
                "Biden and Macron held a video call at some point.",
            )],
        },
        EngagementSeed {
            id: "undated-blinken-kuleba-call",
            date: None,
            end_date: None,
            kind: "call",
            status: "held",
            participants: &[blinken, kuleba],
            sources: &[("001_readout.txt", "Blinken also called Kuleba.")],
        },
    ];
    for seed in &seeds {
        insert_engagement(db, seed).await;
    }
    insert_engagement_redirect(
        db,
        "2021-12-09-biden-zelensky-call",
        "2021-12-09-biden-zelenskyy-call",
    )
    .await;
    insert_actor_redirect(db, "volodymyr-zelensky", "volodymyr-zelenskyy").await;
}
