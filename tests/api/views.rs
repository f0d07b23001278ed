//! Issue 9's remaining views, through the real server: exports and link
//! previews on actor, document and filtered pages; the actor page's
//! histogram and contact history; weekly bars; the table view, facet
//! pages and name suggestions; and the materialised actor counts.

use reqwest::StatusCode;

use crate::helpers::TestApp;

/// The `content` of `<meta property="{property}">`, as the page escapes it.
fn meta<'a>(body: &'a str, property: &str) -> Option<&'a str> {
    let marker = format!("<meta property=\"{property}\" content=\"");
    let start = body.find(&marker)? + marker.len();
    body[start..].split('"').next()
}

/// The `href`s of the page's export links.
fn export_hrefs(body: &str) -> Vec<String> {
    let Some(exports) = body.split("<p class=\"exports\">").nth(1) else {
        return Vec::new();
    };
    let exports = exports.split("</p>").next().unwrap_or_default();
    exports
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|h| h.starts_with("/export?"))
        .map(|h| h.replace("&#38;", "&"))
        .collect()
}

#[tokio::test]
async fn an_actor_page_exports_exactly_their_engagements_under_their_name() {
    let app = TestApp::seeded().await;
    let (status, body) = app.page("/actors/antony-blinken").await;
    assert_eq!(status, StatusCode::OK);
    let hrefs = export_hrefs(&body);
    assert_eq!(
        hrefs,
        vec![
            "/export?official=antony-blinken&format=csv",
            "/export?official=antony-blinken&format=json",
            "/export?official=antony-blinken&format=ics",
            "/export?official=antony-blinken&format=atom",
        ],
        "{body}"
    );
    assert!(body.contains("rel=\"alternate\" type=\"application/atom+xml\""));

    let response = app.get(&hrefs[0]).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"readout-official-antony-blinken.csv\""
    );
    let csv = response.text().await.unwrap();
    let mut exported: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    exported.sort_unstable();
    // The page's own rows: every engagement Blinken is in, no other.
    let mut listed: Vec<&str> = crate::helpers::WORLD
        .iter()
        .copied()
        .filter(|id| body.contains(&format!("href=\"/engagements/{id}\"")))
        .collect();
    listed.sort_unstable();
    assert_eq!(exported, listed);
    assert_eq!(exported.len(), 5);

    let json: serde_json::Value = app.get(&hrefs[1]).await.json().await.unwrap();
    assert_eq!(json["engagements"].as_array().unwrap().len(), 5);
    let ics = app.get(&hrefs[2]).await.text().await.unwrap();
    assert_eq!(
        ics.matches("BEGIN:VEVENT").count(),
        4,
        "dated ones only: {ics}"
    );
    let atom = app.get(&hrefs[3]).await.text().await.unwrap();
    assert_eq!(atom.matches("<entry>").count(), 5);

    // A country's page exports the country's engagements.
    let (_, body) = app.page("/actors/poland").await;
    let hrefs = export_hrefs(&body);
    assert_eq!(hrefs[0], "/export?country=poland&format=csv");
    let csv = app.get(&hrefs[0]).await.text().await.unwrap();
    assert!(csv.contains("2021-12-29-blinken-poland-call"), "{csv}");
}

#[tokio::test]
async fn actor_document_and_filtered_pages_describe_themselves_to_link_previews() {
    let app = TestApp::seeded().await;
    let base = format!("http://{}", app.addr);

    let (_, body) = app.page("/actors/antony-blinken").await;
    assert_eq!(
        meta(&body, "og:url"),
        Some(format!("{base}/actors/antony-blinken").as_str())
    );
    assert_eq!(meta(&body, "og:title"), Some("Antony Blinken — Readout"));
    let description = meta(&body, "og:description").unwrap();
    assert!(
        description.starts_with(
            "Antony Blinken, Secretary of State (United States): 5 engagements from \
             November 2021 to January 2022, most often with Dmytro Kuleba (2)"
        ),
        "{description}"
    );
    assert!(body.contains(&format!(
        "<link rel=\"canonical\" href=\"{base}/actors/antony-blinken\">"
    )));

    let (_, body) = app.page("/documents/001_readout.txt").await;
    assert_eq!(
        meta(&body, "og:url"),
        Some(format!("{base}/documents/001_readout.txt").as_str())
    );
    assert_eq!(
        meta(&body, "og:description"),
        Some(
            "Source document 001_readout.txt, published 10 December 2021, as imported into \
             Readout: 4 engagements found in it."
        )
    );

    let (_, body) = app.page("/?kind=call&country=UK&limit=20").await;
    assert_eq!(
        meta(&body, "og:url"),
        Some(format!("{base}/?country=UK&#38;kind=call&#38;limit=20").as_str())
    );
    let (_, body) = app.page("/?kind=call").await;
    assert_eq!(
        meta(&body, "og:description"),
        Some("3 engagements in December 2021, kind call")
    );
    let (_, body) = app.page("/?official=antony-blinken").await;
    assert_eq!(
        meta(&body, "og:description"),
        Some("5 engagements from November 2021 to January 2022, U.S. official antony-blinken")
    );
    // The Host header is printed escaped, and only when it looks like a host.
    let response = app
        .client
        .get(app.url("/actors/antony-blinken"))
        .header("host", "evil.example\"><script>")
        .send()
        .await
        .unwrap();
    let body = response.text().await.unwrap();
    assert!(!body.contains("<script>"), "{body}");
}

/// The `href`s of the histogram's bars.
fn bar_hrefs(body: &str) -> Vec<String> {
    body.split("<a href=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once("\" class=\"bar\""))
        .map(|(href, _)| href.replace("&#38;", "&"))
        .collect()
}

/// The seeded world plus a meeting of Blinken and Kuleba in March 2021, so
/// their December meeting ends a nine-month gap.
async fn with_an_early_meeting() -> TestApp {
    let app = TestApp::seeded().await;
    crate::helpers::insert_engagement(
        &app.db,
        &crate::helpers::EngagementSeed {
            id: "2021-03-15-blinken-kuleba-meeting",
            date: Some("2021-03-15"),
            end_date: None,
            kind: "meeting",
            status: "held",
            participants: &[
                ("antony-blinken", "us", Some("Secretary of State")),
                ("dmytro-kuleba", "counterpart", Some("Foreign Minister")),
            ],
            sources: &[("001_readout.txt", "Blinken met Kuleba in Brussels.")],
        },
    )
    .await;
    app
}

#[tokio::test]
async fn an_actor_page_shows_activity_first_and_last_contacts_and_gaps() {
    let app = with_an_early_meeting().await;
    let (status, body) = app.page("/actors/antony-blinken").await;
    assert_eq!(status, StatusCode::OK);
    // Eleven months: monthly bars, each narrowing the timeline of Blinken.
    assert!(body.contains("histogram-month"), "{body}");
    let bars = bar_hrefs(&body);
    assert_eq!(bars.len(), 11, "{bars:?}");
    assert_eq!(
        bars[0],
        "/?from=2021-03-01&to=2021-03-31&official=antony-blinken"
    );
    assert!(body.contains("<title>December 2021: 2 engagements</title>"));
    let (_, month) = app.page(&bars[9]).await;
    assert!(month.contains("/engagements/2021-12-07-blinken-kuleba-meeting"));
    assert!(!month.contains("/engagements/2021-11-09-blinken-macron-visit"));
    // Counts on the month headers.
    assert!(
        body.contains("December 2021 <span class=\"month-count\">· 2</span>"),
        "{body}"
    );
    // Kuleba: first and last contact, and the gap the December meeting ends.
    assert!(
        body.contains(
            "<span class=\"contact-span\" title=\"First contact 15 March 2021, last 7 December \
             2021\">15 Mar 2021 – 7 Dec 2021</span>"
        ),
        "{body}"
    );
    assert_eq!(
        body.matches("<p class=\"gap\">First meeting with Dmytro Kuleba since March 2021</p>")
            .count(),
        1,
        "{body}"
    );
    // Only a gap of the same kind counts: the undated call ends none, and
    // Macron's visit had no earlier visit.
    assert_eq!(body.matches("class=\"gap\"").count(), 1);

    // From the other side: Kuleba's page flags the same meeting with Blinken.
    let (_, body) = app.page("/actors/dmytro-kuleba").await;
    assert!(
        body.contains("First meeting with Antony Blinken since March 2021"),
        "{body}"
    );
}

#[tokio::test]
async fn a_short_range_is_drawn_by_week_and_a_bar_narrows_to_its_week() {
    let app = TestApp::seeded().await;
    // Three months of engagements: weekly bars, Monday to Sunday.
    let (_, body) = app.page("/?official=antony-blinken").await;
    assert!(body.contains("histogram-week"), "{body}");
    let bars = bar_hrefs(&body);
    // Monday 8 November 2021 to Monday 17 January 2022: eleven weeks.
    assert_eq!(bars.len(), 11, "{bars:?}");
    assert_eq!(
        bars[0],
        "/?from=2021-11-08&to=2021-11-14&official=antony-blinken"
    );
    assert!(body.contains("<title>Week of 6 December 2021: 1 engagement</title>"));
    assert!(body.contains("<title>Week of 17 January 2022: 1 engagement (1 planned)</title>"));
    let (_, week) = app.page(&bars[4]).await;
    assert!(
        week.contains("/engagements/2021-12-07-blinken-kuleba-meeting"),
        "{week}"
    );
    assert!(!week.contains("/engagements/2021-12-29-blinken-poland-call"));
    // The bar's week keeps the order and page size of the view.
    let (_, body) = app.page("/?order=oldest&limit=3").await;
    assert!(
        bar_hrefs(&body)
            .iter()
            .all(|h| h.ends_with("&limit=3&order=oldest")),
        "{body}"
    );
    // The actor page too, when its range is short.
    let (_, body) = app.page("/actors/antony-blinken").await;
    assert!(body.contains("histogram-week"), "{body}");
    // Eleven months are drawn by month.
    let app = with_an_early_meeting().await;
    let (_, body) = app.page("/?official=antony-blinken").await;
    assert!(body.contains("histogram-month"), "{body}");
}

#[tokio::test]
async fn the_table_view_lists_the_same_rows_one_line_each_and_links_keep_it() {
    let app = TestApp::seeded().await;
    let (status, body) = app.page("/?view=table&kind=call").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("<table class=\"compact\">"), "{body}");
    assert_eq!(body.matches("<tr class=\"engagement-row").count(), 3);
    assert!(!body.contains("<li class=\"engagement"));
    for id in [
        "2021-12-29-blinken-poland-call",
        "2021-12-09-biden-zelenskyy-call",
        "undated-blinken-kuleba-call",
    ] {
        assert!(
            body.contains(&format!("href=\"/engagements/{id}\"")),
            "{id}"
        );
    }
    assert!(body.contains("<th scope=\"colgroup\" colspan=\"5\">December 2021"));
    // Names narrow the filter and keep the view; so do the facets and the
    // chips; the list view is one click away.
    assert!(
        body.contains("href=\"/?counterpart=volodymyr-zelenskyy&#38;kind=call&#38;view=table\"")
    );
    assert!(
        body.contains("href=\"/?view=table\" aria-label=\"Remove kind call\""),
        "{body}"
    );
    assert!(body.contains("<a href=\"/?kind=call\">list</a>"), "{body}");
    let (_, list) = app.page("/?kind=call").await;
    assert!(list.contains("<a href=\"/?kind=call&#38;view=table\">table</a>"));
    // Paging keeps the view.
    let (_, body) = app.page("/?view=table&limit=2").await;
    let next = body
        .split("rel=\"next\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .replace("&#38;", "&");
    assert!(next.contains("view=table"), "{next}");
    let (_, body) = app.page(&next).await;
    assert_eq!(body.matches("<tr class=\"engagement-row").count(), 2);
    // A bad view names itself; the API and the actor pages take none.
    for path in [
        "/?view=grid",
        "/api/engagements?view=table",
        "/actors/joe-biden?view=table",
    ] {
        let (status, body) = app.page(path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(body.contains("view"), "{path}: {body}");
    }
}

#[tokio::test]
async fn show_all_lists_every_value_of_a_facet_for_the_view() {
    let app = TestApp::spawn().await;
    // Twelve countries' ministers, so the sidebar's top ten leaves two out.
    crate::helpers::insert_actor(
        &app.db,
        "antony-blinken",
        "Antony Blinken",
        "person",
        Some("United States"),
        None,
        None,
    )
    .await;
    crate::helpers::insert_document(&app.db, "d.txt", None, None, None, "x").await;
    for i in 0..12 {
        let slug = format!("minister-{i:02}");
        let country = format!("Country {i:02} with a long name that does not fit");
        crate::helpers::insert_actor(
            &app.db,
            &slug,
            &format!("Minister {i:02}"),
            "person",
            Some(&country),
            None,
            None,
        )
        .await;
        for j in 0..=i {
            let id = format!("2021-01-{:02}-call-{i}-{j}", j + 1);
            crate::helpers::insert_engagement(
                &app.db,
                &crate::helpers::EngagementSeed {
                    id: &id,
                    date: Some(&id[..10]),
                    end_date: None,
                    kind: if j % 2 == 0 { "call" } else { "meeting" },
                    status: "held",
                    participants: &[("antony-blinken", "us", None), (&slug, "counterpart", None)],
                    sources: &[("d.txt", "Blinken spoke with the minister.")],
                },
            )
            .await;
        }
    }
    let (_, body) = app.page("/").await;
    assert!(
        body.contains("<a href=\"/facets/country\">Show all countries</a>"),
        "{body}"
    );
    assert!(body.contains("<a href=\"/facets/counterpart\">Show all counterparts</a>"));
    let sidebar = body.split("<aside class=\"facets\"").nth(1).unwrap();
    assert!(
        !sidebar.contains("Country 00 with"),
        "the top ten leave out the rarest"
    );
    // Full names on hover.
    assert!(body.contains("title=\"Country 11 with a long name that does not fit\""));

    let (status, body) = app.page("/facets/country").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body.matches("class=\"exclude\"").count(), 12, "{body}");
    assert!(body.contains(
        "<a href=\"/?country=Country%2000%20with%20a%20long%20name%20that%20does%20not%20fit\""
    ));
    // For a filtered view, the counts are the view's.
    let (_, body) = app.page("/facets/country?kind=meeting").await;
    assert_eq!(body.matches("class=\"exclude\"").count(), 11, "{body}");
    assert!(body.contains("href=\"/?kind=meeting\">← Back to the timeline</a>"));
    assert!(body.contains(
        "<a class=\"exclude\" href=\"/?not_country=Country%2011%20with%20a%20long%20name%20that%20does%20not%20fit&#38;kind=meeting\""
    ));
    let (status, _) = app.page("/facets/kindness").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app.page("/facets/country?contry=x").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("contry"));
}

#[tokio::test]
async fn the_form_suggests_the_names_the_database_knows() {
    let app = TestApp::seeded().await;
    let (_, body) = app.page("/").await;
    assert!(body.contains("name=\"counterpart\" value=\"\" placeholder=\"person, country or organisation\" list=\"names-counterpart\""));
    assert!(body.contains("list=\"names-official\"") && body.contains("list=\"names-country\""));
    let datalist = |id: &str| {
        body.split(&format!("<datalist id=\"{id}\">"))
            .nth(1)
            .and_then(|rest| rest.split("</datalist>").next())
            .unwrap_or_default()
            .to_string()
    };
    assert!(datalist("names-counterpart").contains("<option value=\"Dmytro Kuleba\">"));
    assert!(datalist("names-official").starts_with("<option value=\"Antony Blinken\">"));
    assert!(datalist("names-country").contains("<option value=\"Ukraine\">"));
    assert!(!datalist("names-official").contains("Kuleba"));
}

#[tokio::test]
async fn the_actor_index_reads_stored_counts_and_falls_back_while_they_are_stale() {
    let app = TestApp::seeded().await;
    // The seed wrote participants, which leaves the counts empty (stale):
    // the index counts live.
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM actor_counts")
        .fetch_one(&app.db.reader)
        .await
        .unwrap();
    assert_eq!(stored, 0);
    let (_, live) = app.page("/actors").await;
    let mut conn = app.db.writer.acquire().await.unwrap();
    readout::db::actors::refresh_counts_if_stale(&mut conn)
        .await
        .unwrap();
    drop(conn);
    let (_, fresh) = app.page("/actors").await;
    assert_eq!(fresh, live, "stored counts must read the same as live ones");
    for path in [
        "/actors?side=us",
        "/actors?kind=country",
        "/actors?side=counterpart&kind=person",
    ] {
        let (_, body) = app.page(path).await;
        assert!(body.contains("<tbody>"), "{path}");
    }
    let (_, body) = app.page("/actors?side=us").await;
    assert!(
        body.contains("title=\"Their engagements in the timeline\">5</a>"),
        "{body}"
    );
    // Stored means stored: a row changed behind the table's back is what
    // the page shows, which proves the page reads it.
    sqlx::query("UPDATE actor_counts SET n = 99 WHERE side = 'us' AND actor_id = (SELECT id FROM actors WHERE slug = 'antony-blinken')")
        .execute(&app.db.writer)
        .await
        .unwrap();
    let (_, body) = app.page("/actors?side=us").await;
    assert!(body.contains(">99</a>"), "{body}");
    // Any write to the participants empties it again.
    sqlx::query("DELETE FROM participants WHERE engagement_id = 'undated-blinken-kuleba-call'")
        .execute(&app.db.writer)
        .await
        .unwrap();
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM actor_counts")
        .fetch_one(&app.db.reader)
        .await
        .unwrap();
    assert_eq!(stored, 0);
    let (_, body) = app.page("/actors?side=us").await;
    assert!(
        body.contains("title=\"Their engagements in the timeline\">4</a>"),
        "{body}"
    );
}
