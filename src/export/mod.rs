//! JSON and CSV export.
