//! Summits as venues: "met … on the margins of the G7 Summit" reports two
//! engagements, the bilateral meeting and the U.S. official's attendance of
//! the summit (CONVENTIONS: a summit attended during a trip is a meeting of
//! its own), and it says the bilateral met in person.

use super::entities::{Entity, EntityKind};
use super::lexicon;
use super::tokens::Token;
use crate::model::OrgRef;

/// The bodies whose summit or meeting the item names as the venue of its
/// engagement: an organisation right after "on the margins of (the)", "on
/// the sidelines of (the)", or "at the" when a summit word follows it.
pub fn summits(tokens: &[Token], entities: &[Entity]) -> Vec<OrgRef> {
    let mut found: Vec<OrgRef> = Vec::new();
    for e in entities {
        let EntityKind::Org(org) = &e.kind else {
            continue;
        };
        let before = |k: usize| -> String {
            e.first
                .checked_sub(k)
                .and_then(|i| tokens.get(i))
                .map(|t| t.lower())
                .unwrap_or_default()
        };
        // "of the G7", "of G7".
        let skip = usize::from(before(1) == "the");
        let margins =
            before(1 + skip) == "of" && lexicon::VENUE_MARGINS.contains(&before(2 + skip).as_str());
        let summit_follows = tokens
            .get(e.last + 1)
            .is_some_and(|t| lexicon::SUMMIT_WORDS.contains(&t.lower().as_str()));
        let at_summit = matches!(before(1 + skip).as_str(), "at" | "during") && summit_follows;
        if (margins || at_summit) && !found.contains(org) {
            found.push(org.clone());
        }
    }
    found
}
