//! HTTP: pages and JSON API.
