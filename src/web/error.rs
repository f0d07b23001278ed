//! The one error type of the web layer. Pages answer it with an error page
//! in the site layout, `/api` routes (through [`ApiError`]) with
//! `{"error": …}`. Internal errors are logged and never described to the
//! client.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Json;

use crate::db::DbError;
use crate::query::ParamError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A query parameter that cannot be understood: 400 naming it.
    #[error(transparent)]
    BadParam(#[from] ParamError),
    /// An unknown id, slug or route: 404 with this message.
    #[error("{0}")]
    NotFound(String),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("rendering a page: {0}")]
    Render(#[from] askama::Error),
    #[error("starting an export: {0}")]
    Export(String),
    /// Too many requests at once: 503, try again.
    #[error("Readout is answering too many requests at once; try again in a moment.")]
    Overloaded,
}

impl AppError {
    pub fn not_found(message: impl Into<String>) -> Self {
        AppError::NotFound(message.into())
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadParam(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Db(_) | AppError::Render(_) | AppError::Export(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    /// What the client may read: the error itself for its own mistakes, a
    /// generic sentence for ours.
    pub fn public_message(&self) -> String {
        match self {
            AppError::BadParam(_) | AppError::NotFound(_) | AppError::Overloaded => {
                self.to_string()
            }
            AppError::Db(_) | AppError::Render(_) | AppError::Export(_) => {
                "Something went wrong on our side; it has been logged.".to_string()
            }
        }
    }

    fn log(&self) {
        if self.status().is_server_error() && !matches!(self, AppError::Overloaded) {
            tracing::error!(error = %self, "request failed");
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    title: String,
    heading: &'static str,
    message: String,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        self.log();
        let status = self.status();
        let heading = match status {
            StatusCode::BAD_REQUEST => "That filter is not right",
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::SERVICE_UNAVAILABLE => "Busy",
            _ => "Server error",
        };
        let page = ErrorPage {
            title: format!("{heading} — Readout"),
            heading,
            message: self.public_message(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(error) => {
                tracing::error!(%error, "rendering the error page");
                (status, heading).into_response()
            }
        }
    }
}

/// [`AppError`] answered as JSON, for `/api` routes.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.0.log();
        let body = serde_json::json!({ "error": self.0.public_message() });
        (self.0.status(), Json(body)).into_response()
    }
}
