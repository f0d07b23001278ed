//! Mentions → engagements: canonical actors (one per real person, country or
//! organisation however written) and one engagement per real-world event,
//! merged across every document that reports it. Pure and deterministic: the
//! same mentions in any order give the same engagements and ids.

use crate::gazetteer::Gazetteer;
use crate::model::{Engagement, Mention};

/// Resolves every mention of a corpus, each paired with its document's file
/// name, into merged engagements sorted by date then id.
pub fn resolve(mentions: &[(String, Mention)], gazetteer: &Gazetteer) -> Vec<Engagement> {
    let _ = (mentions, gazetteer);
    Vec::new()
}
