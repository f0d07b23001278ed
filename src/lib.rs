//! Readout turns diplomatic fact sheets, readouts and news reports into a
//! database of engagements (who met, called or visited whom, when, in what
//! form, and on whose word) and serves it as a browsable web app.
//!
//! Data flows one way: [`ingest`] (text → mentions) → [`resolve`] (canonical
//! actors, merged engagements) → [`db`] (SQLite) → [`web`] and [`export`].

pub mod cli;
pub mod db;
pub mod export;
pub mod gazetteer;
pub mod ingest;
pub mod limits;
pub mod model;
pub mod query;
pub mod resolve;
pub mod samples;
pub mod web;
