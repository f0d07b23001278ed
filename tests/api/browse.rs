//! The analyst's browser (issue 9): filters that understand names, strict
//! parameters, date ranges by month, alternatives and exclusions, the
//! undated notice, suggestions for empty results, paging, order, evidence
//! in rows and exports of the current view.

use reqwest::StatusCode;

use crate::helpers::TestApp;

/// The seeded engagements on the page, in page order.
fn rows(body: &str) -> Vec<&str> {
    let mut found: Vec<(usize, &str)> = crate::helpers::WORLD
        .iter()
        .filter_map(|id| {
            body.find(&format!("href=\"/engagements/{id}\""))
                .map(|at| (at, *id))
        })
        .collect();
    found.sort();
    found.into_iter().map(|(_, id)| id).collect()
}

#[tokio::test]
async fn names_resolve_through_the_gazetteer_and_the_chip_says_how() {
    let app = TestApp::seeded().await;
    let (status, body) = app.page("/?counterpart=Zelenskiy").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rows(&body), vec!["2021-12-09-biden-zelenskyy-call"]);
    assert!(
        body.contains(
            "<strong>Zelenskiy</strong> → <strong class=\"meant\">Volodymyr Zelenskyy</strong>"
        ),
        "{body}"
    );
    let (_, body) = app.page("/?country=Ukrainian").await;
    assert!(
        rows(&body).contains(&"2021-12-09-biden-zelenskyy-call"),
        "{body}"
    );
    assert!(body.contains("→ <strong class=\"meant\">Ukraine</strong>"));
    let (_, json) = app.json("/api/engagements?official=Tony%20Blinken").await;
    assert_eq!(json["engagements"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn unknown_parameters_and_formats_are_400s_naming_them() {
    let app = TestApp::seeded().await;
    for (path, param) in [
        ("/?contry=Ukraine", "contry"),
        ("/?sort=oldest", "sort"),
        ("/api/engagements?format=csv", "format"),
        ("/export?format=xls", "format"),
        ("/actors/antony-blinken?kind=call", "kind"),
        ("/?from=2021&from=2022", "from"),
    ] {
        let (status, body) = app.page(path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}");
        assert!(body.contains(param), "{path}: {body}");
    }
}

#[tokio::test]
async fn a_month_is_a_date_range_and_the_undated_rows_it_hides_are_counted() {
    let app = TestApp::seeded().await;
    let (status, body) = app.page("/?from=2021-12&to=2021-12").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        rows(&body),
        vec![
            "2021-12-29-blinken-poland-call",
            "2021-12-09-biden-zelenskyy-call",
            "2021-12-07-blinken-kuleba-meeting"
        ]
    );
    assert!(
        body.contains("2 undated engagements are left out by the date range."),
        "{body}"
    );
    let (_, body) = app.page("/?from=2021").await;
    assert!(body.contains("left out by the date range"));
}

#[tokio::test]
async fn repeated_values_are_alternatives_and_not_excludes() {
    let app = TestApp::seeded().await;
    let (_, body) = app.page("/?kind=call&kind=video_call").await;
    assert_eq!(
        rows(&body),
        vec![
            "2021-12-29-blinken-poland-call",
            "2021-12-09-biden-zelenskyy-call",
            "undated-blinken-kuleba-call",
            "undated-biden-macron-video-call"
        ]
    );
    let (_, body) = app.page("/?not_kind=call&not_official=joe-biden").await;
    assert_eq!(
        rows(&body),
        vec![
            "2022-01-20-blinken-nato-meeting",
            "2021-12-07-blinken-kuleba-meeting",
            "2021-11-09-blinken-macron-visit"
        ]
    );
    assert!(body.contains("not kind: <strong>call</strong>"), "{body}");
}

#[tokio::test]
async fn a_quoted_phrase_matches_and_is_marked_in_the_row() {
    let app = TestApp::seeded().await;
    let (_, body) = app.page("/?q=%22phone%20call%22").await;
    assert_eq!(rows(&body), vec!["2021-12-09-biden-zelenskyy-call"]);
    assert!(body.contains("<mark>phone call</mark>"), "{body}");
    let (_, body) = app.page("/?q=%22call%20phone%22").await;
    assert!(rows(&body).is_empty());
}

#[tokio::test]
async fn an_empty_result_suggests_what_to_loosen_and_the_other_side() {
    let app = TestApp::seeded().await;
    let (_, body) = app.page("/?counterpart=antony-blinken").await;
    assert!(
        body.contains("antony-blinken as a U.S. official</a> — 5"),
        "{body}"
    );
    let (_, body) = app.page("/?official=joe-biden&kind=visit").await;
    assert!(body.contains("without kind: visit</a> — 2"), "{body}");
}

#[tokio::test]
async fn pages_say_where_they_are_and_link_both_ways_in_either_order() {
    let app = TestApp::seeded().await;
    let (_, body) = app.page("/?limit=2").await;
    assert!(body.contains("Showing 1–2 of 7"), "{body}");
    let next = body
        .split("rel=\"next\" href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a next link")
        .replace("&#38;", "&");
    let (_, body) = app.page(&next).await;
    assert!(body.contains("Showing 3–4 of 7"), "{body}");
    assert!(body.contains("rel=\"prev\""));
    let (_, body) = app.page("/?order=oldest&official=antony-blinken").await;
    let found = rows(&body);
    assert_eq!(found.first(), Some(&"undated-blinken-kuleba-call"));
    assert_eq!(found.last(), Some(&"2022-01-20-blinken-nato-meeting"));
}

#[tokio::test]
async fn exports_carry_exactly_the_view_with_a_file_name_from_the_filter() {
    let app = TestApp::seeded().await;
    let response = app.get("/export?format=csv&official=antony-blinken").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["content-disposition"],
        "attachment; filename=\"readout-official-antony-blinken.csv\""
    );
    let csv = response.text().await.unwrap();
    assert_eq!(csv.lines().count(), 1 + 5, "{csv}");
    let response = app.get("/export?format=json&kind=call").await;
    let json: serde_json::Value = response.json().await.unwrap();
    assert_eq!(json["engagements"].as_array().unwrap().len(), 3);
    let response = app.get("/export?format=ics&official=joe-biden").await;
    assert_eq!(
        response.headers()["content-type"],
        "text/calendar; charset=utf-8"
    );
    let ics = response.text().await.unwrap();
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1, "{ics}");
    let atom = app.get("/export?format=atom").await.text().await.unwrap();
    assert_eq!(atom.matches("<entry>").count(), 7);
    assert!(!atom.contains("<script>"));
    let (_, body) = app.page("/?kind=call").await;
    assert!(
        body.contains("href=\"/export?kind=call&#38;format=csv\""),
        "{body}"
    );
}

#[tokio::test]
async fn a_permalink_shows_which_sources_name_whom_and_links_each_passage() {
    let app = TestApp::seeded().await;
    let (_, body) = app
        .page("/engagements/2021-12-09-biden-zelenskyy-call")
        .await;
    assert!(body.contains("named in sources 1, 2"), "{body}");
    assert!(
        body.contains("href=\"/documents/001_readout.txt#x-0-"),
        "{body}"
    );
    let canonical = format!(
        "<link rel=\"canonical\" href=\"http://{}/engagements/2021-12-09-biden-zelenskyy-call\">",
        app.addr
    );
    assert!(body.contains(&canonical), "{body}");
    assert!(body.contains("og:url"));
    assert!(body.contains("class=\"citation\""));
    // Kuleba's meeting names Blinken by his last name only.
    let (_, body) = app
        .page("/engagements/2021-12-07-blinken-kuleba-meeting")
        .await;
    assert!(!body.contains("not named in any excerpt"), "{body}");
}

#[tokio::test]
async fn the_actor_index_lists_who_takes_part_by_kind_and_side() {
    let app = TestApp::seeded().await;
    let (status, body) = app.page("/actors").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("href=\"/actors/antony-blinken\">Antony Blinken</a>"),
        "{body}"
    );
    let (_, body) = app.page("/actors?side=us").await;
    assert!(
        body.contains("Antony Blinken") && !body.contains("Dmytro Kuleba"),
        "{body}"
    );
    let (_, body) = app.page("/actors?kind=country").await;
    assert!(
        body.contains("Poland") && !body.contains("Antony Blinken"),
        "{body}"
    );
    let (status, body) = app.page("/actors?kind=robot").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("kind"));
}
