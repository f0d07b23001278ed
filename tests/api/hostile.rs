//! Hostile requests (issue 8): a table of malformed, oversized and
//! injection-shaped query strings and paths, each answered with a 2xx, 3xx
//! or 4xx within a few seconds (a 400 naming its parameter), never a 5xx;
//! header, time and concurrency limits; hostile text escaped everywhere.

use std::time::Duration;

use base64::Engine;
use readout::web::{app_with, AppState, Limits};
use reqwest::StatusCode;

use crate::helpers::TestApp;

fn cursor(text: &str) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

#[tokio::test]
async fn hostile_requests_never_fail_the_server_or_hang() {
    let app = TestApp::seeded().await;
    let huge = "x".repeat(60_000);
    let long_name = "a".repeat(5_000);
    let many_kinds = "kind=call&".repeat(60);
    let cases: Vec<(String, Option<&str>)> = vec![
        ("/?from=%ff%fe".into(), Some("from")),
        ("/?q=%00".into(), Some("q")),
        ("/?q=%00abc%00".into(), Some("q")),
        ("/?counterpart=%00".into(), Some("counterpart")),
        (format!("/?q={huge}"), Some("q")),
        (format!("/?country={huge}"), Some("country")),
        (
            format!("/api/engagements?official={huge}"),
            Some("official"),
        ),
        ("/?kind=call&kind=call&kind=visit".into(), None),
        (format!("/?{many_kinds}kind=visit"), None),
        ("/?limit=-1".into(), Some("limit")),
        ("/?limit=99999999999999999999".into(), Some("limit")),
        ("/?limit=1e3".into(), Some("limit")),
        ("/?limit=1&limit=2".into(), Some("limit")),
        ("/?cursor=AAAA".into(), Some("cursor")),
        (format!("/?cursor={}", cursor("9999-99-99|0|x")), None),
        (
            format!("/?cursor={}", cursor("2021-12-09|99999999999999|x")),
            Some("cursor"),
        ),
        (
            format!("/?cursor={}", cursor("2021-12-09|5|' OR 1=1 --")),
            None,
        ),
        (format!("/?cursor={}", "A".repeat(10_000)), Some("cursor")),
        ("/?q=%22".into(), Some("q")),
        ("/?q=*".into(), Some("q")),
        ("/?q=***".into(), None),
        ("/?q=NEAR(".into(), None),
        ("/?q=NEAR(abc%20def)".into(), None),
        ("/?q=abc%20OR%20def".into(), None),
        ("/?q=abc%20AND".into(), None),
        ("/?q=%22abc".into(), None),
        ("/?q=%27%20OR%201%3D1%20--".into(), None),
        ("/?q=abc%25".into(), None),
        ("/?q=abc_%5C".into(), None),
        ("/?q=%E2%80%9Cphone%20call%E2%80%9D".into(), None),
        ("/?counterpart=%27%20OR%20%271%27%3D%271".into(), None),
        (
            "/?country=%27%3B%20DROP%20TABLE%20engagements%3B--".into(),
            None,
        ),
        ("/?official=%25".into(), None),
        ("/?from=0000-01-01".into(), Some("from")),
        ("/?from=9999-12-31".into(), None),
        ("/?from=2021-02-30".into(), Some("from")),
        ("/?to=-2021".into(), Some("to")),
        ("/?order=%00".into(), Some("order")),
        ("/?not_kind=x".into(), Some("not_kind")),
        ("/?not_q=x".into(), Some("not_q")),
        ("/?facets=true".into(), Some("facets")),
        ("/?=x".into(), None),
        ("/?&&&".into(), None),
        ("/?kind".into(), None),
        ("/?%ff=1".into(), None),
        ("/api/engagements?facets=maybe".into(), Some("facets")),
        ("/api/engagements?limit=0".into(), Some("limit")),
        ("/api/engagements?q=NEAR(%22".into(), None),
        ("/documents/%2e%2e%2fCargo.toml".into(), None),
        ("/documents/..%2f..%2fetc%2fpasswd".into(), None),
        ("/documents/%00".into(), None),
        (format!("/documents/{long_name}"), None),
        ("/documents?after=%00".into(), None),
        ("/documents?before=x".into(), Some("before")),
        ("/static/..%2fCargo.toml".into(), None),
        ("/static/%2e%2e/Cargo.toml".into(), None),
        ("/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd".into(), None),
        ("/static/style.css%00".into(), None),
        ("/engagements/%ff".into(), None),
        ("/engagements/..%2f".into(), None),
        ("/actors/%00".into(), None),
        ("/actors/antony-blinken?limit=-5".into(), Some("limit")),
        ("/api/actors/%2e%2e".into(), None),
        ("/export?format=%00".into(), Some("format")),
        ("/export?format=csv&q=NEAR(".into(), None),
        ("/export?format=json&cursor=abc".into(), Some("cursor")),
        ("/export?format=ics&format=csv".into(), None),
        ("/?q=ab".into(), Some("q")),
        ("/%ff%fe".into(), None),
        ("/api/%00".into(), None),
    ];
    assert!(cases.len() >= 50, "{} cases", cases.len());
    for (path, param) in &cases {
        let shown: String = path.chars().take(80).collect();
        let response = tokio::time::timeout(Duration::from_secs(10), app.get(path))
            .await
            .unwrap_or_else(|_| panic!("{shown} hung"));
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        assert!(
            !status.is_server_error(),
            "{shown} answered {status}: {body}"
        );
        assert!(
            !body.contains("[package]") && !body.contains("root:x:"),
            "{shown} served a file outside static/"
        );
        if let Some(param) = param {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{shown}: {body}");
            assert!(
                body.contains(param),
                "{shown}: the 400 does not name {param}: {body}"
            );
        }
    }
}

#[tokio::test]
async fn a_100_kb_address_is_refused_with_a_4xx() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::seeded().await;
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let request = format!(
        "GET /?q={} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        "x".repeat(100_000)
    );
    // The server may answer and close before reading it all.
    let _ = stream.write_all(request.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    let status: u16 = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    assert!(
        (400..500).contains(&status),
        "{}",
        &answer[..answer.len().min(200)]
    );
}

#[tokio::test]
async fn hostile_text_stays_text_in_every_format() {
    let app = TestApp::seeded().await;
    // The seeded world has `<script>` in an excerpt, a title and a body,
    // and a `javascript:` source URL.
    for path in ["/", "/documents/002_news.txt", "/?q=Warsaw", "/documents"] {
        let (_, body) = app.page(path).await;
        assert!(!body.contains("<script>"), "{path}");
        assert!(!body.contains("href=\"javascript:"), "{path}");
    }
    for format in ["csv", "json", "ics", "atom"] {
        let text = app
            .get(&format!("/export?format={format}&q=Warsaw"))
            .await
            .text()
            .await
            .unwrap();
        assert!(text.contains("blinken-poland-call"), "{format}: {text}");
        if format == "atom" {
            assert!(!text.contains("<script>"), "{format}: {text}");
        }
    }
    let response = app.get("/").await;
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(csp.contains("script-src 'self'") && csp.contains("style-src 'self'"));
    assert!(!csp.contains("unsafe-inline"));
    let body = response.text().await.unwrap();
    assert!(!body.contains("<script") && !body.contains("<style") && !body.contains(" style="));
}

/// A server over the seeded world with these limits.
async fn limited(limits: Limits) -> (TestApp, std::net::SocketAddr) {
    let app = TestApp::seeded().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = app_with(AppState::new(app.db.clone()), limits);
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (app, addr)
}

#[tokio::test]
async fn oversized_headers_are_refused_and_slow_requests_time_out() {
    let (app, addr) = limited(Limits {
        header_bytes: 4_096,
        ..Limits::default()
    })
    .await;
    let response = app
        .client
        .get(format!("http://{addr}/"))
        .header("x-junk", "y".repeat(8_000))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    );

    let (app, addr) = limited(Limits {
        timeout: Duration::from_nanos(1),
        ..Limits::default()
    })
    .await;
    let response = app
        .client
        .get(format!("http://{addr}/"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn a_flood_past_the_concurrency_limit_gets_503s_not_a_queue() {
    let (app, addr) = limited(Limits {
        concurrent: 1,
        ..Limits::default()
    })
    .await;
    let requests = (0..64).map(|_| {
        let client = app.client.clone();
        async move {
            client
                .get(format!("http://{addr}/?q=common"))
                .send()
                .await
                .map(|r| r.status())
        }
    });
    let statuses: Vec<StatusCode> = futures_util::future::join_all(requests)
        .await
        .into_iter()
        .map(|r| r.expect("answered"))
        .collect();
    assert!(statuses
        .iter()
        .all(|s| *s == StatusCode::OK || *s == StatusCode::SERVICE_UNAVAILABLE));
    assert!(
        statuses.contains(&StatusCode::SERVICE_UNAVAILABLE),
        "{statuses:?}"
    );
    assert!(statuses.contains(&StatusCode::OK), "{statuses:?}");
}
