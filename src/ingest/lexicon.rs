//! The English words the extraction rules read, in one place: a rule names
//! its list here instead of spelling words inline, so a word that should
//! count is added once and every rule that reads it agrees.

/// Lines that give a headerless release's publication date
/// ("Published on March 3, 2024", "Posted: 3 March 2024").
pub const PUBLISHED_LINE: &[&str] = &["published", "posted", "released", "updated", "date:"];
