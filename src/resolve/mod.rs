//! Mentions → engagements: canonical actors (one per real person, country or
//! organisation however written) and one engagement per real-world event,
//! merged across every document that reports it. Pure and deterministic: the
//! same mentions in any order give the same engagements and ids.

mod actors;
mod merge;

use crate::gazetteer::{Gazetteer, TitleSide};
use crate::model::{Engagement, Mention, Side};

/// Resolves every mention of a corpus, each paired with its document's file
/// name, into merged engagements sorted by date then id.
pub fn resolve(mentions: &[(String, Mention)], gazetteer: &Gazetteer) -> Vec<Engagement> {
    resolve_with_dropped(mentions, gazetteer).0
}

/// Why a merged engagement is not diplomacy under CONVENTIONS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dropped {
    /// Nobody on the other side is known to be foreign: a domestic
    /// convening (legislators, advocates, a U.S. council).
    Domestic,
    /// No U.S. official, U.S. body or mention of the United States:
    /// foreign parties' own business.
    ForeignOnly,
}

impl Dropped {
    pub fn describe(self) -> &'static str {
        match self {
            Dropped::Domestic => "domestic: nobody on the other side is known to be foreign",
            Dropped::ForeignOnly => "foreign only: the United States takes no part",
        }
    }
}

/// [`resolve`], also returning the engagements it dropped and why (for
/// `import --explain`).
pub fn resolve_with_dropped(
    mentions: &[(String, Mention)],
    gazetteer: &Gazetteer,
) -> (Vec<Engagement>, Vec<(Engagement, Dropped)>) {
    // Documents in name order, mentions in reading order: the same corpus
    // imported in any order reads the same.
    let mut ordered: Vec<&(String, Mention)> = mentions.iter().collect();
    ordered.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.start.cmp(&b.1.start)));
    let directory = actors::Directory::build(&ordered, gazetteer);
    let resolved: Vec<merge::Resolved> = ordered
        .iter()
        .map(|(doc, m)| directory.resolve_mention(doc, m))
        .collect();
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    for e in merge::engagements(resolved) {
        if !has_foreign_party(&e, gazetteer) {
            dropped.push((e, Dropped::Domestic));
        } else if !has_us_party(&e, gazetteer) {
            dropped.push((e, Dropped::ForeignOnly));
        } else {
            kept.push(e);
        }
    }
    (kept, dropped)
}

/// Whether the United States takes part (CONVENTIONS): a U.S. official, a
/// body it belongs to, or a source that names the United States itself
/// ("talks between the United States and Russia", "the U.S.-GCC Summit").
/// "Prime Minister A called President B" alone is foreign business.
fn has_us_party(e: &Engagement, gazetteer: &Gazetteer) -> bool {
    e.participants.iter().any(|p| p.side == Side::Us)
        || e.organizations.iter().any(|o| {
            gazetteer
                .organization(&o.name)
                .is_some_and(|org| org.us_member)
        })
        || e.sources
            .iter()
            .any(|s| names_the_united_states(&s.excerpt))
}

fn names_the_united_states(text: &str) -> bool {
    ["United States", "U.S.", "US-", "U.S", "American", "America"]
        .iter()
        .any(|w| text.contains(w))
}

/// Whether anyone on the other side is known to be foreign: a country, a
/// body the gazetteer knows, a counterpart with a country or a foreign
/// office. Meetings with people nobody can place ("met with Dr. Jones") or
/// with bodies it does not know (the Domestic Policy Council, a House
/// committee) are domestic business; an engagement that names no
/// counterpart at all counts only when its source says the other side is
/// foreign ("briefed ambassadors of partner countries").
fn has_foreign_party(e: &Engagement, gazetteer: &Gazetteer) -> bool {
    let counterparts: Vec<_> = e
        .participants
        .iter()
        .filter(|p| p.side == Side::Counterpart)
        .collect();
    let foreign_group = || {
        e.sources.iter().any(|s| {
            let text = s.excerpt.to_lowercase();
            text.split(|c: char| !c.is_alphanumeric())
                .any(|w| crate::ingest::lexicon::FOREIGN_GROUPS.contains(&w))
        })
    };
    e.organizations
        .iter()
        .any(|o| gazetteer.organization(&o.name).is_some())
        || !e.countries.is_empty()
        || counterparts.iter().any(|p| {
            p.actor.country.is_some()
                || p.title
                    .as_deref()
                    .and_then(|t| gazetteer.title(t))
                    .is_some_and(|t| t.side == TitleSide::Foreign)
        })
        || (counterparts.is_empty() && foreign_group())
}

#[cfg(test)]
mod tests;
