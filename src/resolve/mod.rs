//! Mentions → engagements: canonical actors (one per real person, country or
//! organisation however written) and one engagement per real-world event,
//! merged across every document that reports it. Pure and deterministic: the
//! same mentions in any order give the same engagements and ids.

mod actors;
mod merge;

use crate::gazetteer::Gazetteer;
use crate::model::{Engagement, Mention};

/// Resolves every mention of a corpus, each paired with its document's file
/// name, into merged engagements sorted by date then id.
pub fn resolve(mentions: &[(String, Mention)], gazetteer: &Gazetteer) -> Vec<Engagement> {
    // Documents in name order, mentions in reading order: the same corpus
    // imported in any order reads the same.
    let mut ordered: Vec<&(String, Mention)> = mentions.iter().collect();
    ordered.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.start.cmp(&b.1.start)));
    let directory = actors::Directory::build(&ordered, gazetteer);
    let resolved: Vec<merge::Resolved> = ordered
        .iter()
        .map(|(doc, m)| directory.resolve_mention(doc, m))
        .collect();
    merge::engagements(resolved)
}

#[cfg(test)]
mod tests;
