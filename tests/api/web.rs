//! The web site and its JSON API, against a real server on port 0 over a
//! real SQLite file seeded by plain INSERTs (see `helpers`).

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{TestApp, WORLD};
use readout::db::engagements::{self, FACET_CAP};
use readout::query::{EngagementFilter, PageRequest, Values};

fn assert_in_layout(body: &str) {
    assert!(body.contains("<!doctype html>"), "not a page: {body}");
    assert!(
        body.contains("class=\"site-header\""),
        "no site header: {body}"
    );
    assert!(body.contains("/static/style.css"), "no stylesheet: {body}");
}

fn positions(body: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            body.find(n)
                .unwrap_or_else(|| panic!("`{n}` is not on the page"))
        })
        .collect()
}

#[tokio::test]
async fn the_timeline_lists_every_engagement_newest_first_with_undated_last() {
    let app = TestApp::seeded().await;
    let (status, body) = app.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert_in_layout(&body);
    let hrefs: Vec<String> = WORLD
        .iter()
        .map(|id| format!("href=\"/engagements/{id}\""))
        .collect();
    let hrefs: Vec<&str> = hrefs.iter().map(String::as_str).collect();
    let found = positions(&body, &hrefs);
    assert!(found.windows(2).all(|w| w[0] < w[1]), "order: {found:?}");
    assert_eq!(app.ids("").await, WORLD);
}

#[tokio::test]
async fn timeline_rows_are_grouped_by_month_with_undated_last() {
    let app = TestApp::seeded().await;
    let (_, body) = app.page("/").await;
    let found = positions(
        &body,
        &[
            "\"month-label\">January 2022 ",
            "\"month-label\">December 2021 ",
            "\"month-label\">November 2021 ",
            "\"month-label\">Undated</h2>",
        ],
    );
    assert!(found.windows(2).all(|w| w[0] < w[1]), "order: {found:?}");
    assert_eq!(body.matches("\"month-label\">December 2021 ").count(), 1);
}

#[tokio::test]
async fn a_timeline_row_shows_date_kind_people_titles_countries_and_sources() {
    let app = TestApp::seeded().await;
    let (_, body) = app.page("/").await;
    assert!(body.contains("<time datetime=\"2021-12-09\">9 December 2021</time>"));
    assert!(body.contains("9–13 November 2021"));
    assert!(body.contains("<span class=\"undated\">undated</span>"));
    assert!(body.contains("video call"));
    assert!(body.contains("href=\"/?official=joe-biden\">Joe Biden</a>"));
    assert!(body.contains("href=\"/?counterpart=volodymyr-zelenskyy\">Volodymyr Zelenskyy</a>"));
    assert!(body.contains("href=\"/actors/volodymyr-zelenskyy\""));
    assert!(body.contains("<span class=\"office\">President</span>"));
    assert!(body.contains("href=\"/?country=Ukraine\">Ukraine</a>"));
    assert!(body.contains("North Atlantic Treaty Organization (NATO)"));
    assert!(body.contains("href=\"/?country=Poland\">Poland</a>"));
    assert!(body.contains("2 sources · details"));
    assert!(body.contains("<span class=\"planned\">planned</span>"));
}

#[tokio::test]
async fn each_filter_narrows_the_timeline() {
    let app = TestApp::seeded().await;
    let cases: &[(&str, &[&str])] = &[
        (
            "from=2021-12-01",
            &[
                "2022-01-20-blinken-nato-meeting",
                "2021-12-29-blinken-poland-call",
                "2021-12-09-biden-zelenskyy-call",
                "2021-12-07-blinken-kuleba-meeting",
            ],
        ),
        (
            "to=2021-12-08",
            &[
                "2021-12-07-blinken-kuleba-meeting",
                "2021-11-09-blinken-macron-visit",
            ],
        ),
        (
            "from=2021-12-08&to=2021-12-31",
            &[
                "2021-12-29-blinken-poland-call",
                "2021-12-09-biden-zelenskyy-call",
            ],
        ),
        (
            "counterpart=dmytro-kuleba",
            &[
                "2021-12-07-blinken-kuleba-meeting",
                "undated-blinken-kuleba-call",
            ],
        ),
        (
            "counterpart=KULEBA",
            &[
                "2021-12-07-blinken-kuleba-meeting",
                "undated-blinken-kuleba-call",
            ],
        ),
        ("counterpart=nato", &["2022-01-20-blinken-nato-meeting"]),
        ("counterpart=Poland", &["2021-12-29-blinken-poland-call"]),
        // A U.S. official is never a counterpart.
        ("counterpart=joe-biden", &[]),
        ("counterpart=nobody-at-all", &[]),
        (
            "official=joe-biden",
            &[
                "2021-12-09-biden-zelenskyy-call",
                "undated-biden-macron-video-call",
            ],
        ),
        (
            "official=Biden",
            &[
                "2021-12-09-biden-zelenskyy-call",
                "undated-biden-macron-video-call",
            ],
        ),
        // By a person's country, by name in any case...
        (
            "country=ukraine",
            &[
                "2021-12-09-biden-zelenskyy-call",
                "2021-12-07-blinken-kuleba-meeting",
                "undated-blinken-kuleba-call",
            ],
        ),
        // ...and by a country actor's slug.
        ("country=poland", &["2021-12-29-blinken-poland-call"]),
        (
            "country=France",
            &[
                "2021-11-09-blinken-macron-visit",
                "undated-biden-macron-video-call",
            ],
        ),
        (
            "kind=call",
            &[
                "2021-12-29-blinken-poland-call",
                "2021-12-09-biden-zelenskyy-call",
                "undated-blinken-kuleba-call",
            ],
        ),
        ("kind=video_call", &["undated-biden-macron-video-call"]),
        ("status=planned", &["2022-01-20-blinken-nato-meeting"]),
        ("q=stockholm", &["2021-12-07-blinken-kuleba-meeting"]),
        ("q=phone+Thursday", &["2021-12-09-biden-zelenskyy-call"]),
        // Words must share an excerpt.
        ("q=sanctions+Thursday", &[]),
        // Short words are searched beside a long one, and LIKE wildcards
        // are literal.
        ("q=100%25+of", &["2021-12-29-blinken-poland-call"]),
        ("q=50%25+of", &[]),
        ("q=a_b+called", &[]),
        (
            "official=antony-blinken&kind=meeting&status=held",
            &["2021-12-07-blinken-kuleba-meeting"],
        ),
    ];
    for (query, expected) in cases {
        assert_eq!(&app.ids(query).await, expected, "?{query}");
    }
    // The page narrows the same way.
    let (status, body) = app.page("/?counterpart=dmytro-kuleba").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("/engagements/2021-12-07-blinken-kuleba-meeting"));
    assert!(!body.contains("/engagements/2021-12-09-biden-zelenskyy-call"));
    assert!(
        body.contains("value=\"dmytro-kuleba\""),
        "form keeps the value"
    );
}

#[tokio::test]
async fn empty_form_fields_are_ignored() {
    let app = TestApp::seeded().await;
    let all = app
        .ids("from=&to=&counterpart=&official=&country=&kind=&status=&q=")
        .await;
    assert_eq!(all, WORLD);
}

#[tokio::test]
async fn pagination_walks_every_row_exactly_once() {
    let app = TestApp::seeded().await;
    for limit in 1..=4 {
        assert_eq!(
            app.ids(&format!("limit={limit}")).await,
            WORLD,
            "limit={limit}"
        );
    }
    assert_eq!(
        app.ids("limit=1&official=antony-blinken").await,
        [
            "2022-01-20-blinken-nato-meeting",
            "2021-12-29-blinken-poland-call",
            "2021-12-07-blinken-kuleba-meeting",
            "2021-11-09-blinken-macron-visit",
            "undated-blinken-kuleba-call",
        ]
    );
}

#[tokio::test]
async fn the_next_page_link_carries_the_cursor_and_the_filter() {
    let app = TestApp::seeded().await;
    let mut path = "/?official=antony-blinken&limit=2".to_string();
    let mut seen = Vec::new();
    for _ in 0..10 {
        let (status, body) = app.page(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        for id in WORLD {
            if body.contains(&format!("href=\"/engagements/{id}\"")) {
                seen.push(*id);
            }
        }
        let Some(start) = body.find("rel=\"next\" href=\"") else {
            break;
        };
        let rest = &body[start + "rel=\"next\" href=\"".len()..];
        let href = &rest[..rest.find('"').unwrap()];
        let href = href.replace("&#38;", "&");
        assert!(href.contains("official=antony-blinken"), "{href}");
        assert!(href.contains("limit=2"), "{href}");
        assert!(href.contains("cursor="), "{href}");
        path = href;
    }
    assert_eq!(
        seen,
        [
            "2022-01-20-blinken-nato-meeting",
            "2021-12-29-blinken-poland-call",
            "2021-12-07-blinken-kuleba-meeting",
            "2021-11-09-blinken-macron-visit",
            "undated-blinken-kuleba-call",
        ]
    );
}

#[tokio::test]
async fn bad_parameters_are_400s_that_name_the_parameter() {
    let app = TestApp::seeded().await;
    for (query, param) in [
        ("from=yesterday", "from"),
        ("to=2021-02-30", "to"),
        ("kind=lunch", "kind"),
        ("status=maybe", "status"),
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=%ff%fe", "cursor"),
        ("from=2022-01-02&to=2022-01-01", "to"),
        ("q=EU", "q"),
    ] {
        let (status, body) = app.page(&format!("/?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "/?{query}");
        assert_in_layout(&body);
        assert!(
            body.contains(&format!("<code>{param}</code>")) || body.contains(&format!("`{param}`")),
            "/?{query}: {body}"
        );

        let (status, json) = app.json(&format!("/api/engagements?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "api ?{query}");
        let message = json["error"].as_str().expect("error message");
        assert!(message.contains(&format!("`{param}`")), "{message}");
    }
    let (status, json) = app.json("/api/engagements?facets=perhaps").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(json["error"].as_str().unwrap().contains("`facets`"));
    let (status, _) = app.page("/actors/joe-biden?limit=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn odd_input_never_yields_a_server_error() {
    let app = TestApp::seeded().await;
    for path in [
        "/?q=%22%22%22",
        "/?q=%27%3B%20DROP%20TABLE%20engagements%3B--",
        "/?q=*%20OR%20NEAR(a)",
        "/?q=%E2%80%94%E2%80%94",
        "/?counterpart=%25&official=_&country=%5C",
        "/?q=%00",
        "/engagements/%ff",
        "/engagements/..%2F..%2Fetc%2Fpasswd",
        "/actors/%00",
        "/documents/%2e%2e",
        "/api/engagements/%ff",
        "/?kind=call&kind=visit",
        "/static/..%2FCargo.toml",
    ] {
        let status = app.get(path).await.status();
        assert!(!status.is_server_error(), "{path}: {status}");
    }
    assert_eq!(
        app.ids("q=%27%3B%20DROP%20TABLE%20engagements%3B--")
            .await
            .len(),
        0
    );
    assert_eq!(app.ids("").await, WORLD, "nothing was dropped");
}

#[tokio::test]
async fn an_unknown_id_is_a_404_page_in_the_layout() {
    let app = TestApp::seeded().await;
    for path in [
        "/engagements/1999-01-01-nobody-call",
        "/actors/nobody",
        "/documents/nothing.txt",
        "/no/such/page",
    ] {
        let (status, body) = app.page(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_in_layout(&body);
        assert!(body.contains("Not found"), "{path}");
    }
    for path in [
        "/api/engagements/1999-01-01-nobody-call",
        "/api/actors/nobody",
        "/api/no-such-thing",
    ] {
        let (status, json) = app.json(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(json["error"].is_string(), "{path}: {json}");
    }
}

#[tokio::test]
async fn an_old_engagement_id_redirects_permanently_to_the_new_one() {
    let app = TestApp::seeded().await;
    let response = app.get("/engagements/2021-12-09-biden-zelensky-call").await;
    assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        response.headers()["location"],
        "/engagements/2021-12-09-biden-zelenskyy-call"
    );
    let response = app
        .get("/api/engagements/2021-12-09-biden-zelensky-call")
        .await;
    assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        response.headers()["location"],
        "/api/engagements/2021-12-09-biden-zelenskyy-call"
    );
}

#[tokio::test]
async fn an_old_actor_slug_redirects_permanently_to_the_new_one() {
    let app = TestApp::seeded().await;
    let response = app.get("/actors/volodymyr-zelensky?limit=5").await;
    assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        response.headers()["location"],
        "/actors/volodymyr-zelenskyy?limit=5"
    );
    let response = app.get("/api/actors/volodymyr-zelensky").await;
    assert_eq!(response.status(), StatusCode::MOVED_PERMANENTLY);
}

#[tokio::test]
async fn the_permalink_shows_every_source_with_its_excerpt_and_links() {
    let app = TestApp::seeded().await;
    let (status, body) = app
        .page("/engagements/2021-12-09-biden-zelenskyy-call")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_in_layout(&body);
    let title = "Call: Joe Biden – Volodymyr Zelenskyy, 9 December 2021";
    assert!(
        body.contains(&format!("<title>{title} — Readout</title>")),
        "{body}"
    );
    assert!(body.contains(&format!("<meta property=\"og:title\" content=\"{title}\">")));
    assert!(body.contains(
        "<meta name=\"description\" content=\"Call by President Joe Biden with President Volodymyr Zelenskyy (Ukraine), 9 December 2021. Reported in 2 sources.\">"
    ), "{body}");
    assert!(body.contains("og:description"));
    assert!(body.contains("about sanctions."));
    assert!(body.contains("held a phone call on Thursday."));
    assert!(body.contains("href=\"/documents/001_readout.txt\">Readout of calls</a>"));
    assert!(body.contains("href=\"/documents/002_news.txt\""));
    assert!(body.contains(
        "href=\"https://example.org/readout\" rel=\"noopener noreferrer nofollow\">original</a>"
    ));
    assert!(
        !body.contains("href=\"javascript:"),
        "a javascript: URL became a link"
    );
    assert!(body.contains("published 10 December 2021"));

    let (_, planned) = app
        .page("/engagements/2022-01-20-blinken-nato-meeting")
        .await;
    assert!(planned.contains(
        "<title>Planned meeting: Antony Blinken – NATO, 20 January 2022 — Readout</title>"
    ));
    assert!(planned.contains("<span class=\"planned\">planned</span>"));
}

#[tokio::test]
async fn markup_in_excerpts_and_documents_is_escaped() {
    let app = TestApp::seeded().await;
    let (_, body) = app
        .page("/engagements/2021-12-29-blinken-poland-call")
        .await;
    assert!(!body.contains("<script>"), "{body}");
    assert!(
        body.contains("Warsaw &#60;script&#62;alert(&#34;excerpt&#34;)&#60;/script&#62; about"),
        "{body}"
    );

    let (_, body) = app.page("/documents/002_news.txt").await;
    assert!(!body.contains("<script>"), "{body}");
    assert!(!body.contains("<b>weekly</b>"), "{body}");
    assert!(body.contains("&#60;script&#62;"));
    assert!(body.contains("Diplomacy &#60;b&#62;weekly&#60;/b&#62;"));
    // Not a web address: shown as text, never a link.
    assert!(!body.contains("href=\"javascript:"));

    let (_, body) = app.page("/?q=%3Cscript%3E").await;
    assert!(!body.contains("<script>"), "the search box echoes escaped");
    assert!(body.contains("value=\"&#60;script&#62;\""));
}

#[tokio::test]
async fn the_actor_page_shows_who_they_are_their_engagements_and_counterparts() {
    let app = TestApp::seeded().await;
    let (status, body) = app.page("/actors/antony-blinken").await;
    assert_eq!(status, StatusCode::OK);
    assert_in_layout(&body);
    assert!(body.contains("<h1>Antony Blinken"));
    assert!(body.contains("Secretary of State"));
    assert!(body.contains("Most frequent counterparts"));
    // Kuleba twice, with a link to the engagements they share.
    assert!(body.contains("href=\"/actors/dmytro-kuleba\" title=\"Dmytro Kuleba\">Dmytro Kuleba</a> <a class=\"count\" href=\"/?official=antony-blinken&#38;counterpart=dmytro-kuleba\""), "{body}");
    assert!(body.contains(">2</a>"));
    assert!(body.contains("5 engagements"));
    assert!(body.contains("/engagements/2021-11-09-blinken-macron-visit"));
    assert!(!body.contains("/engagements/2021-12-09-biden-zelenskyy-call"));

    // A foreign leader's counterparts are the U.S. officials.
    let (_, body) = app.page("/actors/emmanuel-macron").await;
    assert!(body.contains("Most frequent U.S. officials"));
    assert!(body.contains("href=\"/actors/joe-biden\" title=\"Joe Biden\">Joe Biden</a>"));
    assert!(body.contains("href=\"/?country=France\">France</a>"));

    // A country's page includes its people's engagements.
    let (status, body) = app.page("/actors/poland").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("/engagements/2021-12-29-blinken-poland-call"));

    // Paging on the actor page stays on it.
    let (_, body) = app.page("/actors/antony-blinken?limit=2").await;
    assert!(body.contains("rel=\"next\" href=\"/actors/antony-blinken?limit=2&#38;cursor="));
}

#[tokio::test]
async fn the_document_page_shows_the_text_and_the_engagements_found_in_it() {
    let app = TestApp::seeded().await;
    let (status, body) = app.page("/documents/001_readout.txt").await;
    assert_eq!(status, StatusCode::OK);
    assert_in_layout(&body);
    assert!(body.contains("<h1>Readout of calls</h1>"));
    assert!(
        body.contains("<pre class=\"body\" tabindex=\"0\""),
        "{body}"
    );
    // The reported passages are marked and anchored for the permalinks.
    assert!(body.contains("<mark id=\"x-0-"), "{body}");
    assert!(body.contains("href=\"https://example.org/readout\""));
    assert!(body.contains("10 December 2021"));
    assert!(body.contains("Engagements found in it (4)"));
    assert!(body.contains("/engagements/2021-12-09-biden-zelenskyy-call"));
    assert!(!body.contains("/engagements/2021-11-09-blinken-macron-visit"));

    let (status, body) = app.page("/documents").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("href=\"/documents/001_readout.txt\">Readout of calls</a>"));
    assert!(body.contains("href=\"/documents/002_news.txt\""));
}

#[tokio::test]
async fn facet_counts_describe_the_current_filter_and_link_to_narrow_it() {
    let app = TestApp::seeded().await;
    let (_, body) = app.page("/?official=antony-blinken").await;
    assert!(body.contains("5 engagements"));
    // Adding a facet keeps the current filter.
    assert!(body.contains("href=\"/?official=antony-blinken&#38;kind=meeting\" title=\"meeting\">meeting</a> <span class=\"count\">2</span>"), "{body}");
    assert!(body.contains("href=\"/?official=antony-blinken&#38;country=Ukraine\" title=\"Ukraine\">Ukraine</a> <span class=\"count\">2</span>"), "{body}");

    let (_, json) = app.json("/api/engagements?facets=true").await;
    let facets = &json["facets"];
    assert_eq!(facets["total"], 7);
    assert_eq!(facets["capped"], false);
    let count = |group: &str, value: &str| {
        facets[group]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["value"] == value)
            .map(|f| f["count"].as_u64().unwrap())
    };
    assert_eq!(count("kinds", "call"), Some(3));
    assert_eq!(count("statuses", "planned"), Some(1));
    assert_eq!(count("countries", "Ukraine"), Some(3));
    assert_eq!(count("countries", "Poland"), Some(1));
    assert_eq!(count("counterparts", "dmytro-kuleba"), Some(2));
    assert_eq!(
        count("counterparts", "poland"),
        None,
        "countries are their own facet"
    );
    assert_eq!(count("officials", "antony-blinken"), Some(5));
}

#[tokio::test]
async fn stored_facet_counts_serve_the_front_page_until_the_next_write() {
    let app = TestApp::seeded().await;
    let all = EngagementFilter::default();
    let computed = engagements::facets(&app.db, &all).await.unwrap();

    let mut conn = app.db.writer.acquire().await.unwrap();
    engagements::refresh_facet_counts(&mut conn).await.unwrap();
    drop(conn);
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM facet_counts")
        .fetch_one(&app.db.reader)
        .await
        .unwrap();
    assert!(stored > 0);
    assert_eq!(engagements::facets(&app.db, &all).await.unwrap(), computed);

    // Any write to what they count empties them rather than leave them stale.
    sqlx::query(
        "UPDATE engagements SET status = 'planned' WHERE id = 'undated-blinken-kuleba-call'",
    )
    .execute(&app.db.writer)
    .await
    .unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM facet_counts")
        .fetch_one(&app.db.reader)
        .await
        .unwrap();
    assert_eq!(stored, 0);
    let recounted = engagements::facets(&app.db, &all).await.unwrap();
    let planned = recounted.statuses.iter().find(|s| s.value == "planned");
    assert_eq!(planned.map(|s| s.count), Some(2));
}

#[tokio::test]
async fn the_json_api_mirrors_the_pages() {
    let app = TestApp::seeded().await;
    let (status, json) = app.json("/api/engagements?limit=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["engagements"].as_array().unwrap().len(), 2);
    assert!(json["next_cursor"].is_string());
    assert!(json.get("facets").is_none(), "facets only on request");

    let (status, e) = app
        .json("/api/engagements/2021-12-09-biden-zelenskyy-call")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(e["id"], "2021-12-09-biden-zelenskyy-call");
    assert_eq!(e["date"], "2021-12-09");
    assert_eq!(e["end_date"], Value::Null);
    assert_eq!(e["kind"], "call");
    assert_eq!(e["status"], "held");
    assert_eq!(e["participants"][0]["actor"]["slug"], "joe-biden");
    assert_eq!(e["participants"][0]["side"], "us");
    assert_eq!(e["participants"][0]["title"], "President");
    assert_eq!(e["participants"][1]["actor"]["country"], "Ukraine");
    assert_eq!(e["participants"][1]["side"], "counterpart");
    assert_eq!(e["countries"], serde_json::json!(["Ukraine"]));
    assert_eq!(e["sources"].as_array().unwrap().len(), 2);
    assert_eq!(e["sources"][0]["document"], "001_readout.txt");
    assert_eq!(e["sources"][0]["url"], "https://example.org/readout");
    assert!(e["sources"][0]["excerpt"]
        .as_str()
        .unwrap()
        .contains("sanctions"));

    let (_, nato) = app
        .json("/api/engagements/2022-01-20-blinken-nato-meeting")
        .await;
    assert_eq!(nato["organizations"][0]["short_name"], "NATO");
    assert_eq!(nato["participants"].as_array().unwrap().len(), 1);

    let (status, actor) = app.json("/api/actors/dmytro-kuleba").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(actor["actor"]["name"], "Dmytro Kuleba");
    assert_eq!(actor["actor"]["kind"], "person");
    assert_eq!(actor["total"], 2);
    assert_eq!(actor["counterparts"][0]["slug"], "antony-blinken");
    assert_eq!(actor["counterparts"][0]["count"], 2);
    assert_eq!(actor["engagements"].as_array().unwrap().len(), 2);
    assert_eq!(actor["next_cursor"], Value::Null);

    let (status, document) = app.json("/api/documents/001_readout.txt").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(document["document"]["name"], "001_readout.txt");
    assert_eq!(document["engagements"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::seeded().await;
    for path in [
        "/",
        "/api/engagements",
        "/nope",
        "/static/style.css",
        "/?kind=lunch",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(csp.starts_with("default-src 'self'"), "{path}: {csp}");
        assert!(headers.contains_key("referrer-policy"), "{path}");
    }
}

#[tokio::test]
async fn the_stylesheet_is_served_from_static() {
    let app = TestApp::spawn().await;
    let response = app.get("/static/style.css").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert!(response.text().await.unwrap().contains("--accent"));
    assert_eq!(
        app.get("/static/missing.css").await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn an_empty_database_shows_an_empty_timeline_not_an_error() {
    let app = TestApp::spawn().await;
    let (status, body) = app.page("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("No engagements yet"));
    let (status, body) = app.page("/documents").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("No documents yet"));
    let (_, json) = app.json("/api/engagements?facets=1").await;
    assert_eq!(json["engagements"], serde_json::json!([]));
    assert_eq!(json["facets"]["total"], 0);
}

/// Seeds `n` engagements in one statement each table: every one with the
/// official `common-official` and the word "common" in its excerpt; one in
/// 500 with `rare-person`; every 50th undated.
async fn seed_many(db: &readout::db::Db, n: i64) {
    let statements = [
        "INSERT INTO actors (slug, name, kind, country) VALUES \
         ('common-official', 'Common Official', 'person', 'United States'), \
         ('rare-person', 'Rare Person', 'person', 'Rareland'), \
         ('usual-person', 'Usual Person', 'person', 'Usualia')",
        "INSERT INTO documents (name, content_hash, shape, imported_at, body) \
         VALUES ('bulk.txt', 'h', 'run_on', '2024-01-01T00:00:00Z', 'bulk')",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1) \
         INSERT INTO engagements (id, date, end_date, date_precision, kind, status, sort_date, \
             source_count, fingerprint) \
         SELECT printf('e%05d', i), \
                CASE WHEN i % 50 = 0 THEN NULL ELSE date('2000-01-01', '+' || (i % 700) || ' days') END, \
                NULL, 'day', CASE i % 3 WHEN 0 THEN 'call' WHEN 1 THEN 'meeting' ELSE 'visit' END, \
                'held', \
                CASE WHEN i % 50 = 0 THEN '0000-00-00' ELSE date('2000-01-01', '+' || (i % 700) || ' days') END, \
                1, 'fp' FROM n",
        "INSERT INTO participants (engagement_id, actor_id, side, title, position) \
         SELECT id, (SELECT id FROM actors WHERE slug = 'common-official'), 'us', NULL, 0 \
         FROM engagements",
        "INSERT INTO participants (engagement_id, actor_id, side, title, position) \
         SELECT e.id, (SELECT a.id FROM actors a WHERE a.slug = \
             CASE WHEN CAST(substr(e.id, 2) AS INTEGER) % 500 = 7 THEN 'rare-person' ELSE 'usual-person' END), \
             'counterpart', NULL, 1 FROM engagements e",
        "INSERT INTO mentions (id, document_id, ordinal, date, payload) \
         SELECT CAST(substr(id, 2) AS INTEGER), 1, CAST(substr(id, 2) AS INTEGER), date, \
             json_object('excerpt', 'a common excerpt with token' || id) FROM engagements",
        "INSERT INTO evidence (engagement_id, mention_id, document_id, excerpt, start_offset, \
             end_offset, url) \
         SELECT id, CAST(substr(id, 2) AS INTEGER), 1, \
             'a common excerpt with token' || id, 0, 10, NULL FROM engagements",
    ];
    for sql in statements {
        sqlx::query(sql)
            .bind(n)
            .execute(&db.writer)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

async fn walk(db: &readout::db::Db, filter: &EngagementFilter, limit: u32) -> Vec<String> {
    let mut page = PageRequest {
        limit,
        ..PageRequest::default()
    };
    let mut ids = Vec::new();
    loop {
        let found = engagements::list(db, filter, &page).await.unwrap();
        assert!(found.engagements.len() <= limit as usize);
        ids.extend(found.engagements.into_iter().map(|e| e.id));
        match found.next {
            Some(cursor) => page.cursor = Some(cursor),
            None => return ids,
        }
    }
}

#[tokio::test]
async fn common_and_rare_filters_page_through_the_same_rows_whatever_the_page_size() {
    let app = TestApp::spawn().await;
    let n = 2_000;
    seed_many(&app.db, n).await;
    let everything = walk(&app.db, &EngagementFilter::default(), 500).await;
    assert_eq!(everything.len(), n as usize);
    let mut unique = everything.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), n as usize, "a row came twice");

    // Whatever plan each page size picks, the rows are the same, and the
    // ones expected.
    let cases = [
        EngagementFilter {
            official: Values::one("common-official".into()),
            ..Default::default()
        },
        EngagementFilter {
            q: Some("common excerpt".into()),
            ..Default::default()
        },
        EngagementFilter {
            counterpart: Values::one("rare-person".into()),
            ..Default::default()
        },
        EngagementFilter {
            country: Values::one("rareland".into()),
            ..Default::default()
        },
        EngagementFilter {
            q: Some("tokene0100".into()),
            ..Default::default()
        },
        EngagementFilter {
            official: Values::one("Common".into()),
            q: Some("token".into()),
            kind: Values::one(readout::model::Kind::Call),
            ..Default::default()
        },
    ];
    for filter in &cases {
        let expected: Vec<&String> = everything
            .iter()
            .filter(|id| {
                let i: i64 = id[1..].parse().unwrap();
                if !filter.counterpart.is_empty() || !filter.country.is_empty() {
                    i % 500 == 7
                } else if filter.q.as_deref() == Some("tokene0100") {
                    (1000..1010).contains(&i)
                } else if !filter.kind.is_empty() {
                    i % 3 == 0
                } else {
                    true
                }
            })
            .collect();
        let small = walk(&app.db, filter, 20).await;
        let large = walk(&app.db, filter, 500).await;
        assert_eq!(small, large, "{filter:?}");
        assert_eq!(small.iter().collect::<Vec<_>>(), expected, "{filter:?}");
    }

    // Facets of a view over the cap say so.
    let facets = engagements::facets(&app.db, &EngagementFilter::default())
        .await
        .unwrap();
    assert_eq!(facets.total, n as u64);
    assert!(!facets.capped);
    assert!(FACET_CAP > n as u64);
}
