//! HTTP: server-rendered pages (askama) and their JSON mirrors under
//! `/api`. Each page module owns its routes; [`app`] merges them and adds
//! the layers every response gets.

mod api;
mod error;
pub mod export;
mod pages;
mod state;
pub mod view;

use std::future::Future;
use std::net::SocketAddr;

use axum::error_handling::HandleErrorLayer;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query};
use axum::handler::HandlerWithoutStateExt;
use axum::http::{header, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{BoxError, Router};
use include_dir::{include_dir, Dir};
use std::time::Duration;
use tokio::net::TcpListener;
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::{ApiError, AppError};
pub use state::AppState;

use crate::query::{EngagementFilter, ParamError};

/// The stylesheet and icons, embedded so a binary run from anywhere is
/// styled (see [`AppState::static_dir`]).
static STATIC: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// Only this origin's files: no inline script or style (not even a
/// `style=` attribute), no frames, no plugins, forms post only here.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'; object-src 'none'";

/// How much one request may ask of the server. Readout reads nothing from
/// request bodies, so a small body limit costs nothing; the time limit
/// bounds any one query; past the concurrency limit a request is answered
/// 503 at once instead of queueing (a flood degrades, memory does not grow).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub body_bytes: usize,
    pub header_bytes: usize,
    pub timeout: Duration,
    pub concurrent: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 16 * 1024,
            header_bytes: 16 * 1024,
            timeout: Duration::from_secs(30),
            concurrent: 64,
        }
    }
}

/// The whole site as a router, without a socket (tests can `oneshot` it).
pub fn app(state: AppState) -> Router {
    app_with(state, Limits::default())
}

/// [`app`] with other limits (tests use tiny ones).
pub fn app_with(state: AppState, limits: Limits) -> Router {
    let static_files = ServeDir::new(&state.static_dir).fallback(embedded_static.into_service());
    let header_bytes = limits.header_bytes;
    Router::new()
        .merge(pages::timeline::router())
        .merge(pages::actors::router())
        .merge(pages::engagements::router())
        .merge(pages::documents::router())
        .merge(pages::facets::router())
        .merge(api::router())
        .merge(export::router())
        .nest_service("/static", static_files)
        .fallback(not_found)
        .with_state(state)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(axum::middleware::from_fn(move |request, next| {
            limit_headers(request, next, header_bytes)
        }))
        .layer(RequestBodyLimitLayer::new(limits.body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            limits.timeout,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(|_: BoxError| async { overloaded() }))
                .load_shed()
                .concurrency_limit(limits.concurrent),
        )
        .layer(TraceLayer::new_for_http())
}

/// 503 for a request past the concurrency limit.
fn overloaded() -> Response {
    let mut response = AppError::Overloaded.into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

/// 431 when the request's headers together exceed `limit` bytes. (An
/// address longer than 64 kB never gets here: hyper answers it 414.)
async fn limit_headers(
    request: axum::extract::Request,
    next: axum::middleware::Next,
    limit: usize,
) -> Response {
    let size: usize = request
        .headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum();
    if size > limit {
        return (
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "The request's headers and address are too large.",
        )
            .into_response();
    }
    next.run(request).await
}

/// Serves the site on `addr` until Ctrl-C (or SIGTERM).
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    serve_on(state, listener).await
}

/// Serves the site on an already bound listener (tests bind port 0) until
/// Ctrl-C (or SIGTERM).
pub async fn serve_on(state: AppState, listener: TcpListener) -> std::io::Result<()> {
    serve_until(state, listener, shutdown_signal()).await
}

/// Serves the site until `shutdown` completes, then finishes the requests
/// in flight.
pub async fn serve_until(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let addr = listener.local_addr()?;
    if !addr.ip().is_loopback() {
        // Readout has no accounts: anyone who can reach the port reads everything.
        tracing::warn!(
            "listening on {addr}, which is reachable from other machines; Readout has no \
             authentication, so bind 127.0.0.1 unless that is what you want"
        );
    }
    tracing::info!("Readout is running: open http://{addr}");
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

/// Unknown routes: a 404 page, or JSON under `/api`.
async fn not_found(uri: Uri) -> Response {
    let error = AppError::not_found(format!("There is no page at {}.", uri.path()));
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        ApiError(error).into_response()
    } else {
        error.into_response()
    }
}

/// `/static` files that are not on disk, from the embedded copy.
async fn embedded_static(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    let Some(file) = STATIC.get_file(path) else {
        return AppError::not_found(format!("There is no file at /static/{path}.")).into_response();
    };
    let content_type = match path.rsplit_once('.').map(|(_, ext)| ext) {
        Some("css") => "text/css; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        file.contents(),
    )
        .into_response()
}

/// The query string as a map. Handlers parse it themselves (with
/// [`crate::query::parse_params`]) so a bad value is a 400 naming the
/// parameter, never axum's own rejection text.
fn query_map(
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Vec<(String, String)>, AppError> {
    query
        .map(|Query(pairs)| pairs)
        .map_err(|rejection| AppError::BadParam(ParamError::new("query", rejection.body_text())))
}

/// Text search needs a word of three characters or more: the index finds
/// substrings of that length, and a one- or two-letter substring matches
/// nearly every excerpt anyway ("eu" is in "Europe" and "neutral"), so
/// such a search would read the whole table to say little.
fn check_search(filter: &EngagementFilter) -> Result<(), ParamError> {
    let long_enough = |q: &str| {
        crate::query::search_terms(q)
            .iter()
            .flat_map(|t| t.text.split('\'').map(str::to_string).collect::<Vec<_>>())
            .any(|part| part.trim().chars().count() >= 3)
    };
    match &filter.q {
        Some(q) if !long_enough(q) => Err(ParamError::new(
            "q",
            "search for at least one word of three characters or more",
        )),
        _ => Ok(()),
    }
}

/// A path segment (id, slug, file name); one that does not even decode
/// cannot name anything, so it is a 404.
fn path_segment(path: Result<Path<String>, PathRejection>) -> Result<String, AppError> {
    path.map(|Path(segment)| segment)
        .map_err(|_| AppError::not_found("No such page."))
}

/// A 301 to `location`, keeping the request's query string.
fn moved_permanently(location: String, uri: &Uri) -> Response {
    let location = match uri.query() {
        Some(query) if !query.is_empty() => format!("{location}?{query}"),
        _ => location,
    };
    match HeaderValue::try_from(location) {
        Ok(value) => (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, value)]).into_response(),
        Err(_) => AppError::not_found("No such page.").into_response(),
    }
}
