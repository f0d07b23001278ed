//! One module per page, each with its template struct beside its handler.

pub mod actors;
pub mod documents;
pub mod engagements;
pub mod facets;
pub mod timeline;
