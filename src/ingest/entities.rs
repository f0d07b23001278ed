//! Finds the actors an item names: people with their titles and countries
//! ("Ukrainian Foreign Minister Kuleba", "Prime Minister Suga of Japan",
//! "Commander-in-Chief of the Armed Forces Lt. Gen. Smith"), organisations
//! ("NATO", "the B9"), groups of countries ("French, German, and UK Foreign
//! Ministers") and pronouns. All knowledge comes from the gazetteer; the
//! rules here are about how English writes titles and names.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::tokens::{Token, TokenKind};
use crate::gazetteer::{name_key, Gazetteer, TitleKind, TitleSide};
use crate::model::{OrgRef, Side};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    /// The name as written, titles, ranks and honorifics stripped.
    pub name: String,
    pub title: Option<String>,
    pub country: Option<String>,
    /// The organisation the person speaks for ("NATO Secretary General").
    pub org: Option<OrgRef>,
    /// The side the title or country says, when it says one.
    pub side: Option<Side>,
    pub possessive: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntityKind {
    Person(Person),
    Org(OrgRef),
    /// Countries named as such ("Russia") or as a group ("French and German
    /// counterparts").
    Countries(Vec<String>),
    /// A city, standing for its country as a place ("arrived in Seoul").
    City(String),
    /// he, she: the subject of the previous clause.
    Pronoun,
    /// they, the two leaders, both ministers: the people just named.
    Group,
}

/// An actor mention with its token range (`first..=last`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    pub kind: EntityKind,
    pub first: usize,
    pub last: usize,
}

/// Plural nouns that make a group of the countries or body before them.
const GROUP_NOUNS: &[&str] = &[
    "counterparts",
    "leaders",
    "ministers",
    "allies",
    "partners",
    "officials",
    "countries",
    "states",
    "members",
    "governments",
    "ambassadors",
    "delegations",
    "nations",
    "heads",
    "chiefs",
    "representatives",
    "envoys",
    "leadership",
    "member",
];

/// Lower-case name particles ("von der Leyen", "van der Plas", "bin Salman").
const PARTICLES: &[&str] = &[
    "von", "der", "van", "den", "de", "di", "da", "del", "della", "la", "le", "bin", "al", "du",
    "dos", "das", "y", "el", "ibn", "ter", "zu",
];

/// Capitalised words that are never part of a name: they start sentences or
/// name the engagement itself.
const NOT_NAME: &[&str] = &[
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "this",
    "that",
    "these",
    "those",
    "and",
    "but",
    "or",
    "as",
    "after",
    "before",
    "during",
    "following",
    "with",
    "by",
    "for",
    "from",
    "to",
    "of",
    "meeting",
    "meetings",
    "call",
    "calls",
    "appeal",
    "bilateral",
    "virtual",
    "video",
    "talks",
    "summit",
    "visit",
    "trip",
    "today",
    "yesterday",
    "tomorrow",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "readout",
    "statement",
    "fact",
    "sheet",
    "both",
    "their",
    "his",
    "her",
    "our",
    "we",
    "they",
    "he",
    "she",
    "it",
    "its",
    "there",
    "here",
    "when",
    "while",
    "also",
    "then",
    "senior",
    "administration",
    "government",
    "department",
    "ministry",
    "office",
    "white",
    "house",
    "spokesperson",
    "according",
    "additionally",
    "furthermore",
    "however",
    "in addition",
    "highlights",
    "engagements",
    "engagement",
    "consultations",
    "commitments",
    "upcoming",
    "mr.",
    "ms.",
    "mrs.",
    "dr.",
    "sir",
    "all",
    "other",
    "each",
    "every",
    "his",
    "president",
    "minister",
    "ministerial",
    "conference",
    "council",
    "commission",
    "committee",
    "forum",
    "dialogue",
    "session",
    "format",
    "group",
    "delegation",
    "allies",
    "partners",
    "counterparts",
    "leaders",
];

/// Common nouns that garbled text capitalises where a name should be.
const COMMON_NOUNS: &[&str] = &[
    "year", "week", "month", "day", "time", "people", "state", "states", "world", "nation",
    "security", "defense", "defence", "affairs", "staff", "general", "chief", "head", "office",
];

/// Head nouns that make a capitalised phrase a body ("Strategic Partnership
/// Commission") when the gazetteer does not know it.
const BODY_HEADS: &[&str] = &[
    "commission",
    "council",
    "committee",
    "forum",
    "assembly",
    "conference",
    "initiative",
];

/// Finds the entities among `tokens`.
/// People a document has already named, by the folded last word of their
/// name: a later bare "Mizuki" is the "Prime Minister Haruto Mizuki" of
/// three sentences before.
pub type Memory = HashMap<String, Person>;

/// The memory key of an office ("title:high representative").
fn title_key(title: &str) -> String {
    format!("title:{}", title.to_lowercase())
}

/// Remembers the people among `entities` for the rest of the document.
/// A word of an office's portfolio ("Maritime", "Investment").
fn is_portfolio(word: &str) -> bool {
    super::lexicon::PORTFOLIO_WORDS.contains(&word)
}

pub fn remember(memory: &mut Memory, entities: &[Entity]) {
    for e in entities {
        if let EntityKind::Person(p) = &e.kind {
            if p.country.is_some() || p.org.is_some() || p.title.is_some() {
                if let Some(last) = name_key(&p.name).split(' ').next_back() {
                    if last.len() > 2 {
                        memory.entry(last.to_string()).or_insert_with(|| p.clone());
                    }
                }
                // "the High Representative" later means this person too.
                if let Some(title) = &p.title {
                    memory.entry(title_key(title)).or_insert_with(|| p.clone());
                }
            }
        }
    }
}

pub fn find(
    tokens: &[Token],
    gazetteer: &Gazetteer,
    date: Option<NaiveDate>,
    memory: &Memory,
) -> Vec<Entity> {
    let scanner = Scanner {
        tokens,
        gazetteer,
        date,
        memory,
    };
    let mut entities = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let token = &tokens[i];
        // "He Lifeng": a capitalised "He" inside a sentence is a name.
        let name_not_pronoun = token.text == "He"
            && i > 0
            && tokens[i - 1].is_word()
            && tokens.get(i + 1).is_some_and(|t| t.is_capitalized());
        if token.is_word() && matches!(token.lower().as_str(), "he" | "she") && !name_not_pronoun {
            entities.push(Entity {
                kind: EntityKind::Pronoun,
                first: i,
                last: i,
            });
            i += 1;
            continue;
        }
        if let Some(n) = group_reference(tokens, i) {
            entities.push(Entity {
                kind: EntityKind::Group,
                first: i,
                last: i + n - 1,
            });
            i += n;
            continue;
        }
        if !scanner.may_start(i) {
            i += 1;
            continue;
        }
        match scanner.phrase(i) {
            Some((entity, next)) => {
                entities.push(entity);
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    entities
}

/// "they", "the two leaders", "both presidents" at `i`: how many tokens.
fn group_reference(tokens: &[Token], i: usize) -> Option<usize> {
    let lower = |k: usize| tokens.get(i + k).map(Token::lower).unwrap_or_default();
    let people = |w: &str| {
        matches!(
            w,
            "leaders"
                | "presidents"
                | "ministers"
                | "men"
                | "women"
                | "sides"
                | "counterparts"
                | "officials"
                | "heads"
                | "delegations"
                | "secretaries"
                | "chancellors"
        )
    };
    match lower(0).as_str() {
        "they" => Some(1),
        "both" if people(&lower(1)) => Some(2),
        "the" if lower(1) == "two" && people(&lower(2)) => Some(3),
        "the" if lower(1) == "two" && people(&lower(3)) => Some(4),
        // "after the two held talks"
        "the"
            if lower(1) == "two"
                && tokens
                    .get(i + 2)
                    .is_some_and(|t| t.is_word() && !t.is_capitalized()) =>
        {
            Some(2)
        }
        _ => None,
    }
}

struct Scanner<'a> {
    tokens: &'a [Token],
    gazetteer: &'a Gazetteer,
    date: Option<NaiveDate>,
    memory: &'a Memory,
}

/// What a phrase collected, left to right.
#[derive(Default)]
struct Parts {
    countries: Vec<String>,
    org: Option<OrgRef>,
    /// Indexes of the tokens that form the title and the name, in order.
    words: Vec<usize>,
    /// Where a title phrase of the gazetteer covers several words.
    title_spans: Vec<(usize, usize, TitleSide)>,
    after_name_country: Option<String>,
    after_name_org: Option<OrgRef>,
    former: bool,
    /// A rank or honorific was written ("Gen.", "Dr.", "Sir"): a name follows.
    courtesy: bool,
}

impl<'a> Scanner<'a> {
    fn word(&self, i: usize) -> Option<&'a Token> {
        self.tokens.get(i).filter(|t| t.is_word())
    }

    fn may_start(&self, i: usize) -> bool {
        let token = &self.tokens[i];
        token.is_word()
            && (token.is_capitalized()
                || self.gazetteer.may_start_phrase(&token.text)
                || token.lower().starts_with("then-")
                || matches!(token.lower().as_str(), "then" | "former"))
    }

    /// The longest gazetteer phrase starting at `i`, by a lookup function.
    fn longest<T>(&self, i: usize, lookup: impl Fn(&str) -> Option<T>) -> Option<(usize, T)> {
        let max = self.gazetteer.longest_phrase();
        let mut phrase = String::new();
        let mut lower = String::new();
        let mut best = None;
        for k in 0..max {
            let Some(token) = self.word(i + k) else { break };
            let text = if k == 0 {
                token.text.strip_prefix("then-").unwrap_or(&token.text)
            } else {
                &token.text
            };
            if k > 0 {
                phrase.push(' ');
                lower.push(' ');
            }
            phrase.push_str(text);
            lower.extend(text.chars().flat_map(char::to_lowercase));
            // "People's Republic of China": a possessive inside a name.
            let inner_possessive =
                token.possessive && self.gazetteer.is_phrase_prefix(&format!("{lower}'s"));
            if inner_possessive {
                phrase.push_str("'s");
                lower.push_str("'s");
            }
            // Nothing in the gazetteer starts this way: stop early.
            if !self.gazetteer.is_phrase_prefix(&lower) {
                break;
            }
            if let Some(found) = lookup(&phrase) {
                best = Some((k + 1, found));
            }
            // A possessive ends any phrase: "Ukraine's Minister".
            if token.possessive && !inner_possessive {
                break;
            }
        }
        best
    }

    fn org_at(&self, i: usize) -> Option<(usize, OrgRef)> {
        self.longest(i, |p| {
            self.gazetteer.organization(p).map(|o| OrgRef {
                name: o.name.clone(),
                short_name: o.short_name.clone(),
            })
        })
    }

    fn country_at(&self, i: usize) -> Option<(usize, String)> {
        let name = self.longest(i, |p| self.gazetteer.country(p).map(|c| c.name.clone()));
        let demonym = self.longest(i, |p| {
            self.gazetteer.country_by_demonym(p).map(|c| c.name.clone())
        });
        match (name, demonym) {
            (Some(a), Some(b)) => Some(if b.0 > a.0 { b } else { a }),
            (a, b) => a.or(b),
        }
    }

    fn title_at(&self, i: usize) -> Option<(usize, TitleKind, TitleSide)> {
        self.longest(i, |p| self.gazetteer.title(p).map(|t| (t.kind, t.side)))
            .map(|(n, (kind, side))| (n, kind, side))
    }

    fn org_adjective_at(&self, i: usize) -> Option<(usize, OrgRef)> {
        self.longest(i, |p| {
            self.gazetteer.organization_by_adjective(p).map(|o| OrgRef {
                name: o.name.clone(),
                short_name: o.short_name.clone(),
            })
        })
    }

    fn is_group_noun(&self, i: usize) -> bool {
        self.word(i)
            .is_some_and(|t| GROUP_NOUNS.contains(&t.lower().as_str()))
    }

    /// "of [the] Germany" / "of the North Atlantic Treaty Organization (NATO)"
    /// at `i`: what it names and where it ends.
    fn of_phrase(&self, i: usize) -> Option<(usize, Option<String>, Option<OrgRef>)> {
        if !self.word(i)?.is("of") {
            return None;
        }
        let mut j = i + 1;
        if self.word(j).is_some_and(|t| t.is("the")) {
            j += 1;
        }
        if let Some((n, org)) = self.org_at(j) {
            let mut end = j + n;
            end = self.skip_acronym(end);
            // "of the Ukrainian Armed Forces": a demonym inside is the country.
            return Some((end, None, Some(org)));
        }
        if let Some((n, country)) = self.country_at(j) {
            return Some((j + n, Some(country), None));
        }
        None
    }

    /// Skips "(NATO)" after a full name.
    fn skip_acronym(&self, i: usize) -> usize {
        let t = self.tokens;
        if t.get(i).is_some_and(|t| t.is_punct('('))
            && t.get(i + 1).is_some_and(|t| t.is_word())
            && t.get(i + 2).is_some_and(|t| t.is_punct(')'))
        {
            i + 3
        } else {
            i
        }
    }

    /// A capitalised phrase ending in a body's head noun that the gazetteer
    /// does not know: "Strategic Partnership Commission".
    fn unknown_body_at(&self, start: usize) -> Option<(Entity, usize)> {
        let mut j = start;
        let mut last_head = None;
        while let Some(t) = self.word(j) {
            let lower = t.lower();
            if t.is_capitalized() {
                if BODY_HEADS.contains(&lower.as_str()) {
                    last_head = Some(j);
                }
                j += 1;
                if t.possessive {
                    break;
                }
            } else if matches!(lower.as_str(), "of" | "for" | "and" | "on") && j > start {
                j += 1;
            } else {
                break;
            }
        }
        let head = last_head?;
        if head == start
            || !self.tokens[start].is_capitalized()
            || NOT_NAME.contains(&self.tokens[start].lower().as_str())
        {
            return None;
        }
        let name = self.tokens[start..=head]
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        Some((
            Entity {
                kind: EntityKind::Org(OrgRef {
                    name,
                    short_name: None,
                }),
                first: start,
                last: head,
            },
            head + 1,
        ))
    }

    /// "in Seoul", "to Canberra": a city stands for its country as a place.
    fn city_at(&self, start: usize) -> Option<(Entity, usize)> {
        let after_place_word = start > 0
            && matches!(
                self.tokens[start - 1].lower().as_str(),
                "in" | "to"
                    | "at"
                    | "from"
                    | "for"
                    | "into"
                    | "toward"
                    | "towards"
                    | "via"
                    | "visit"
                    | "visits"
                    | "visited"
                    | "visiting"
                    | "toured"
                    | "tours"
            );
        if !after_place_word {
            return None;
        }
        let (n, country) =
            self.longest(start, |p| self.gazetteer.city(p).map(|c| c.name.clone()))?;
        // "the Paris Agreement", "Minsk Group": a city inside a name.
        if self.word(start + n).is_some_and(|t| t.is_capitalized()) {
            return None;
        }
        Some((
            Entity {
                kind: EntityKind::City(country),
                first: start,
                last: start + n - 1,
            },
            start + n,
        ))
    }

    fn phrase(&self, start: usize) -> Option<(Entity, usize)> {
        if self.org_at(start).is_none() && self.country_at(start).is_none() {
            if let Some(found) = self.city_at(start) {
                return Some(found);
            }
        }
        if self.org_at(start).is_none()
            && self.country_at(start).is_none()
            && self.title_at(start).is_none()
        {
            if let Some(found) = self.unknown_body_at(start) {
                return Some(found);
            }
        }
        if let Some((n, org)) = self.org_adjective_at(start) {
            if self.is_group_noun(start + n) {
                let entity = Entity {
                    kind: EntityKind::Org(org),
                    first: start,
                    last: start + n,
                };
                return Some((entity, start + n + 1));
            }
        }
        let mut parts = Parts::default();
        let mut j = start;
        let mut name_started = false;
        while j < self.tokens.len() {
            // A quoted nickname inside a name: Benjamin “Benny” Gantz.
            if !parts.words.is_empty() && !name_started && self.nickname_at(j) {
                j += 3;
                continue;
            }
            // "High Representative …/Vice-President of the Commission": one office.
            if self.tokens[j].is_punct('/')
                && !parts.words.is_empty()
                && !name_started
                && self.word(j + 1).is_some_and(|t| t.is_capitalized())
            {
                j += 1;
                continue;
            }
            let Some(token) = self.word(j) else { break };
            let lower = token.lower();
            if lower == "the" || lower == "then" || lower == "former" {
                parts.former |= lower != "the";
                if self
                    .word(j + 1)
                    .is_some_and(|t| t.is_capitalized() || t.lower().starts_with("then-"))
                {
                    j += 1;
                    continue;
                }
                break;
            }
            if lower.starts_with("then-") {
                parts.former = true;
            }
            if name_started {
                // After a name only "of Japan" or ", Jr." may follow.
                if let Some((end, country, org)) = self.of_phrase(j) {
                    parts.after_name_country = country;
                    parts.after_name_org = org;
                    j = end;
                }
                if self.tokens.get(j).is_some_and(|t| t.is_punct(','))
                    && self
                        .word(j + 1)
                        .is_some_and(|t| matches!(t.lower().as_str(), "jr." | "sr." | "jr" | "sr"))
                {
                    j += 2;
                }
                // An appositive office: "Anna Berg, Swedish State Secretary for …".
                if parts.countries.is_empty()
                    && parts.after_name_country.is_none()
                    && self.tokens.get(j).is_some_and(|t| t.is_punct(','))
                {
                    if let Some((n, country)) = self.country_at(j + 1) {
                        let office_follows = self.word(j + 1 + n).is_some_and(|t| {
                            self.gazetteer.is_title_word(&t.text)
                                || self.title_at(j + 1 + n).is_some()
                        });
                        if office_follows {
                            parts.after_name_country = Some(country);
                        }
                    }
                }
                break;
            }
            if lower == "of" || lower == "for" || lower == "and" || lower == "in" {
                if parts.words.is_empty() && parts.org.is_none() && parts.countries.is_empty() {
                    break;
                }
                if lower == "of" {
                    if let Some((end, country, org)) = self.of_phrase(j) {
                        if let Some(country) = country {
                            parts.countries.push(country);
                        }
                        if org.is_some() {
                            parts.org = org;
                        }
                        j = end;
                        continue;
                    }
                }
                // Connectors stay inside a title ("Minister for Foreign and
                // European Affairs") only between title words.
                let next_is_title = self.word(j + 1).is_some_and(|t| {
                    self.gazetteer.is_title_word(&t.text)
                        || is_portfolio(&t.text)
                        || t.is("the")
                        || self.title_at(j + 1).is_some()
                        || (lower == "and"
                            && t.is_capitalized()
                            && self.country_at(j + 1).is_none())
                });
                if next_is_title && !parts.words.is_empty() {
                    parts.words.push(j);
                    j += 1;
                    continue;
                }
                break;
            }
            // The portfolio of an office, after its connector: "Minister for
            // Maritime Affairs and Investment", "Minister of Foreign Affairs
            // and International Cooperation".
            let after_connector = j > 0
                && parts.words.last() == Some(&(j - 1))
                && matches!(
                    self.tokens[j - 1].lower().as_str(),
                    "of" | "for" | "and" | "the"
                );
            if after_connector && self.word(j).is_some_and(|t| is_portfolio(&t.text)) {
                parts.words.push(j);
                j += 1;
                continue;
            }
            let org = self.org_at(j);
            let country = self.country_at(j);
            let title = self.title_at(j);
            let org_len = org.as_ref().map_or(0, |o| o.0);
            let country_len = country.as_ref().map_or(0, |c| c.0);
            let title_len = title.as_ref().map_or(0, |t| t.0);
            if org_len > 0
                && org_len >= country_len
                && org_len >= title_len
                && parts.words.is_empty()
            {
                let (n, org) = org.expect("matched");
                parts.org = Some(org);
                j = self.skip_acronym(j + n);
                continue;
            }
            if country_len > 0 && country_len >= title_len && parts.words.is_empty() {
                let (n, country) = country.expect("matched");
                parts.countries.push(country);
                j += n;
                continue;
            }
            if let Some((n, kind, side)) = title {
                if kind == TitleKind::Office {
                    parts.title_spans.push((j, j + n, side));
                    parts.words.extend(j..j + n);
                } else {
                    parts.courtesy = true;
                }
                j += n;
                continue;
            }
            if token.possessive && parts.words.is_empty() && !token.is_capitalized() {
                break;
            }
            let is_name_word = token.is_capitalized() && !NOT_NAME.contains(&lower.as_str());
            let is_particle = self.particle_run(j);
            // "his Indian counterpart Priya Rao": a counterpart is an office.
            if lower == "counterpart" && !parts.countries.is_empty() && parts.words.is_empty() {
                parts
                    .title_spans
                    .push((j, j + 1, crate::gazetteer::TitleSide::Foreign));
                parts.words.push(j);
                j += 1;
                continue;
            }
            if self.gazetteer.is_title_word(&token.text) && token.is_capitalized() {
                parts.words.push(j);
                j += 1;
                continue;
            }
            if is_name_word
                || (is_particle
                    && (!parts.words.is_empty()
                        || parts.org.is_some()
                        || !parts.countries.is_empty()))
            {
                parts.words.push(j);
                j += 1;
                if token.possessive {
                    break;
                }
                // A name runs to the end of the capitalised words; then only
                // "of …" or ", Jr." may follow.
                let next_continues = self.word(j).is_some_and(|t| {
                    (t.is_capitalized() && !NOT_NAME.contains(&t.lower().as_str()))
                        || self.particle_run(j)
                }) || self.nickname_at(j);
                if !next_continues {
                    name_started = true;
                }
                continue;
            }
            break;
        }
        // "the Minister of Foreign Affairs of Rwanda, Richard Sezibera,": an
        // office, a comma, then the name.
        let last_is_office = parts.words.last().is_some_and(|&w| {
            parts
                .title_spans
                .iter()
                .any(|&(s, e, _)| (s..e).contains(&w))
                || self.gazetteer.is_title_word(&self.tokens[w].text)
        });
        if last_is_office && !name_started && self.tokens.get(j).is_some_and(|t| t.is_punct(',')) {
            let mut k = j + 1;
            let mut names = Vec::new();
            while let Some(t) = self.word(k) {
                let usable = (t.is_capitalized()
                    && !NOT_NAME.contains(&t.lower().as_str())
                    && !self.gazetteer.is_title_word(&t.text)
                    && self.country_at(k).is_none()
                    && self.org_at(k).is_none())
                    || (!names.is_empty() && self.particle_run(k));
                if !usable {
                    break;
                }
                names.push(k);
                k += 1;
                if t.possessive {
                    break;
                }
            }
            if !names.is_empty() {
                parts.words.extend(names);
                j = k;
            }
        }
        self.build(start, j, parts)
    }

    /// Turns what a phrase collected into an entity.
    fn build(&self, start: usize, end: usize, mut parts: Parts) -> Option<(Entity, usize)> {
        // The name is the run of trailing words that no title claims.
        let mut split = parts.words.len();
        while split > 0 {
            let idx = parts.words[split - 1];
            let token = &self.tokens[idx];
            let in_title = parts
                .title_spans
                .iter()
                .any(|&(s, e, _)| (s..e).contains(&idx));
            let lower = token.lower();
            let particle = PARTICLES.contains(&lower.as_str());
            if in_title
                || matches!(lower.as_str(), "of" | "for" | "and" | "the" | "in")
                || (self.gazetteer.is_title_word(&token.text) && !particle)
                || !(token.is_capitalized() || particle)
            {
                break;
            }
            split -= 1;
        }
        // Leading particles belong to the name only after a title ("von der Leyen").
        let name_words: Vec<usize> = parts.words[split..].to_vec();
        let title_words: Vec<usize> = parts.words[..split].to_vec();
        let last = end.saturating_sub(1).max(start);
        let entity = |kind| {
            Some((
                Entity {
                    kind,
                    first: start,
                    last,
                },
                end,
            ))
        };

        let name = name_words
            .iter()
            .map(|&i| self.tokens[i].text.as_str())
            .filter(|w| w.chars().count() > 1 || w.ends_with('.'))
            .collect::<Vec<_>>()
            .join(" ");
        let real_name = name_words.iter().any(|&i| {
            let t = &self.tokens[i];
            t.text.chars().filter(|c| c.is_alphabetic()).count() > 1
        }) && !COMMON_NOUNS.contains(&name.to_lowercase().as_str());
        let title = (!title_words.is_empty()).then(|| {
            title_words
                .iter()
                .map(|&i| {
                    self.tokens[i]
                        .text
                        .strip_prefix("then-")
                        .unwrap_or(&self.tokens[i].text)
                })
                .collect::<Vec<_>>()
                .join(" ")
        });

        if real_name {
            let possessive = name_words
                .last()
                .is_some_and(|&i| self.tokens[i].possessive);
            let mut country = parts
                .after_name_country
                .take()
                .or_else(|| parts.countries.first().cloned());
            let org = parts.after_name_org.take().or(parts.org.take());
            let mut name = name;
            let mut side = title_side(self.gazetteer, title.as_deref(), &title_words, &parts);
            let mut org = org;
            if title.is_some() {
                // "Chair of the NATO Military Committee": the body inside an office.
                if org.is_none() {
                    org = self.org_within(&title_words);
                }
                if country.is_none() {
                    country = self.country_within(&title_words);
                }
            }
            // An office: one the gazetteer knows, a rank or honorific, or
            // office words after a country or body ("Polish National
            // Security Bureau Chief").
            // "Well, …", "So: …": a capitalised word opening a sentence
            // before a comma is a discourse word, not a bare name.
            let opens_sentence = start == 0
                || self.tokens[start - 1].kind != TokenKind::Word
                    && !self.tokens[start - 1].is_punct(',');
            if name_words.len() == 1
                && title_words.is_empty()
                && opens_sentence
                && name.chars().count() <= 5
                && !self.memory.contains_key(&name_key(&name))
                && self
                    .tokens
                    .get(end)
                    .is_some_and(|t| t.is_punct(',') || t.is_punct(':'))
                && !self.tokens[name_words[0]].possessive
            {
                return None;
            }
            let titled = !parts.title_spans.is_empty()
                || parts.courtesy
                || (!title_words.is_empty() && (country.is_some() || org.is_some()));
            let given_name = name_words.len() >= 2
                && self
                    .gazetteer
                    .is_given_name(&self.tokens[name_words[0]].text);
            if !titled && !given_name {
                // A name with no office ("Russia's Putin") counts only when
                // the document named them before or the dictionary knows it
                // — in that order: "Sharif" after "Gen. Raheel Sharif" is the
                // general, not the dictionary's prime minister of that name.
                let last = name_key(&name);
                let last = last.split(' ').next_back().unwrap_or("").to_string();
                let earlier = self
                    .memory
                    .get(&last)
                    .filter(|e| name_words.len() == 1 || name_key(&e.name) == name_key(&name));
                if let Some(earlier) = earlier {
                    country = country.or(earlier.country.clone());
                    side = side.or(earlier.side);
                    return entity(EntityKind::Person(Person {
                        name: earlier.name.clone(),
                        title: earlier.title.clone(),
                        country,
                        org: org.or(earlier.org.clone()),
                        side,
                        possessive: name_words
                            .last()
                            .is_some_and(|&i| self.tokens[i].possessive),
                    }));
                }
                let known = self.known(&name, side)?;
                name = known.0;
                country = country.or(known.1);
            } else if let Some((known, known_country)) = self.known(&name, side) {
                // Garbled possessives ("Blinkens") read as the known name.
                name = known;
                if country.is_none() {
                    // An official of an international body is nobody's U.S. side.
                    if known_country.is_none() && side.is_none() {
                        side = Some(Side::Counterpart);
                    }
                    country = known_country;
                }
            }
            if country.as_deref() == Some("United States") {
                side = Some(Side::Us);
            } else if country.is_some() || org.is_some() {
                side = side.or(Some(Side::Counterpart));
                if side == Some(Side::Us) && country.is_some() {
                    side = Some(Side::Counterpart);
                }
            }
            return entity(EntityKind::Person(Person {
                name,
                title,
                country,
                org,
                side,
                possessive,
            }));
        }

        // "the High Representative": the person the document gave that office.
        if let Some(t) = &title {
            let singular = !t.ends_with('s');
            if singular && parts.org.is_none() && !self.is_group_noun(end) {
                let wanted = title_key(t);
                let earlier = self.memory.get(&wanted).or_else(|| {
                    // "the High Representative" for "High Representative of the Union …".
                    let inner = format!(" {} ", &wanted["title:".len()..]);
                    let found: Vec<&Person> = self
                        .memory
                        .iter()
                        .filter(|(k, _)| {
                            k.starts_with("title:")
                                && format!(" {} ", &k["title:".len()..]).contains(&inner)
                        })
                        .map(|(_, p)| p)
                        .collect();
                    // An office joined with "and" may be two people's.
                    let single: Vec<&Person> = found
                        .iter()
                        .copied()
                        .filter(|p| !p.title.as_deref().unwrap_or("").contains(" and "))
                        .collect();
                    match (found.len(), single.len()) {
                        (1, _) => Some(found[0]),
                        (_, 1) => Some(single[0]),
                        _ => None,
                    }
                });
                if let Some(earlier) = earlier {
                    let fits = parts
                        .countries
                        .first()
                        .is_none_or(|c| earlier.country.as_ref() == Some(c));
                    if fits {
                        return entity(EntityKind::Person(earlier.clone()));
                    }
                }
            }
        }
        // No name: a group ("B9 Foreign Ministers", "Nordic counterparts",
        // "French, German, and UK counterparts"), a body, or a country.
        let plural_title = title_words
            .last()
            .is_some_and(|&i| self.tokens[i].text.ends_with('s'));
        let group_noun_after = self.is_group_noun(end);
        let group = plural_title || group_noun_after;
        let consumed = if group_noun_after { end + 1 } else { end };
        let group_entity = |kind| {
            Some((
                Entity {
                    kind,
                    first: start,
                    last: consumed.saturating_sub(1).max(start),
                },
                consumed,
            ))
        };
        if let Some(org) = parts.org.take() {
            return group_entity(EntityKind::Org(org));
        }
        if let Some((n, org)) = self.org_adjective_at(start) {
            if self.is_group_noun(start + n)
                || (group && title_words.len() + parts.countries.len() >= n)
            {
                return group_entity(EntityKind::Org(org));
            }
        }
        if !parts.countries.is_empty() {
            if group || !parts.title_spans.is_empty() {
                // "French, German and UK counterparts", "the Canadian Minister
                // of National Defense": the country takes part.
                return group_entity(EntityKind::Countries(parts.countries));
            }
            if title_words.is_empty() {
                // A country named as such ("with Russia"), or a demonym list
                // that a plural noun closes ("French, German and UK Ministers").
                if let Some((countries, next)) = self.demonym_list(start) {
                    return Some((
                        Entity {
                            kind: EntityKind::Countries(countries),
                            first: start,
                            last: next - 1,
                        },
                        next,
                    ));
                }
                // "People's Republic of China": a possessive inside the
                // name is written back, as `longest` reads it.
                let last = end.saturating_sub(1);
                let written = self.tokens[start..end]
                    .iter()
                    .enumerate()
                    .map(|(k, t)| {
                        if t.possessive && start + k < last {
                            format!("{}'s", t.text)
                        } else {
                            t.text.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(" ");
                let written_as_name = self.gazetteer.country(&written).is_some()
                    || self.gazetteer.country(&self.tokens[start].text).is_some();
                if written_as_name && !self.tokens[end.saturating_sub(1)].possessive {
                    return entity(EntityKind::Countries(parts.countries));
                }
            }
        }
        None
    }

    /// `“Benny”` between two capitalised words.
    fn nickname_at(&self, j: usize) -> bool {
        let t = self.tokens;
        let quote = |k: usize, open: bool| {
            t.get(k)
                .is_some_and(|x| x.is_punct(if open { '“' } else { '”' }) || x.is_punct('"'))
        };
        quote(j, true)
            && t.get(j + 1).is_some_and(|x| x.is_capitalized())
            && quote(j + 2, false)
            && t.get(j + 3).is_some_and(|x| x.is_capitalized())
    }

    /// Particles ("van", "van den", "de la") that lead into a capitalised name word.
    fn particle_run(&self, mut j: usize) -> bool {
        let mut seen = false;
        while let Some(t) = self.word(j) {
            if PARTICLES.contains(&t.lower().as_str()) {
                seen = true;
                j += 1;
            } else {
                return seen && t.is_capitalized();
            }
        }
        false
    }

    /// The first organisation named inside an office's words.
    fn org_within(&self, words: &[usize]) -> Option<OrgRef> {
        words.iter().find_map(|&i| {
            self.org_at(i)
                .filter(|(n, _)| words.contains(&(i + n - 1)))
                .map(|(_, org)| org)
        })
    }

    /// A country named inside an office after "of" ("Commander-in-Chief of
    /// the Ukrainian Armed Forces").
    fn country_within(&self, words: &[usize]) -> Option<String> {
        words.iter().find_map(|&i| {
            let after_of = i >= 1
                && (self.tokens[i - 1].is("of")
                    || (i >= 2 && self.tokens[i - 1].is("the") && self.tokens[i - 2].is("of")));
            if !after_of {
                return None;
            }
            self.country_at(i).map(|(_, c)| c)
        })
    }

    /// "French, German, and UK Foreign Ministers": demonyms joined by commas
    /// and "and", closed by a plural title or group noun.
    fn demonym_list(&self, start: usize) -> Option<(Vec<String>, usize)> {
        let mut countries = Vec::new();
        let mut j = start;
        loop {
            let (n, country) = self.country_at(j)?;
            countries.push(country);
            j += n;
            let mut k = j;
            while self
                .tokens
                .get(k)
                .is_some_and(|t| t.is_punct(',') || t.is("and"))
            {
                k += 1;
            }
            if k == j || self.country_at(k).is_none() {
                break;
            }
            j = k;
        }
        if countries.len() < 2 {
            return None;
        }
        // Plural title words or a group noun close the list.
        let mut k = j;
        while let Some(t) = self.word(k) {
            if self.is_group_noun(k)
                || (self.gazetteer.is_title_word(&t.text) && t.text.ends_with('s'))
            {
                return Some((countries, k + 1));
            }
            if self.gazetteer.is_title_word(&t.text) {
                k += 1;
                continue;
            }
            break;
        }
        None
    }

    /// The dictionary's canonical name and country for a bare name, also
    /// reading a garbled possessive ("Bidens") as the name.
    fn known(&self, name: &str, side: Option<Side>) -> Option<(String, Option<String>)> {
        let lookup = |n: &str| {
            let mut actors = self.gazetteer.known_actors(n);
            // A short single word ("Xi", "Li") must be written exactly as
            // the dictionary writes it; folded it matches ordinary words.
            if !n.contains(' ') && n.chars().count() <= 3 {
                actors.retain(|a| {
                    std::iter::once(&a.name)
                        .chain(&a.aliases)
                        .any(|w| w == n || w.split(' ').next_back() == Some(n))
                });
            }
            // An office the title places abroad is nobody of the U.S., and back.
            match side {
                Some(Side::Us) => actors.retain(|a| a.country.as_deref() == Some("United States")),
                Some(Side::Counterpart) => {
                    actors.retain(|a| a.country.as_deref() != Some("United States"))
                }
                None => {}
            }
            let in_office: Vec<_> = actors.iter().filter(|a| a.in_office(self.date)).collect();
            let pick = in_office.first().copied().or(actors.first())?;
            // Keep the words as written; the resolver canonicalises.
            Some((n.to_string(), pick.country.clone()))
        };
        if let Some(found) = lookup(name) {
            return Some(found);
        }
        // "Blinkens", "Sident Bidens": a garbled possessive, but never a
        // real full name that happens to end in s ("Diego Fuentes").
        let words: Vec<&str> = name.split(' ').collect();
        if words.len() > 1 && self.gazetteer.is_given_name(words[0]) {
            return None;
        }
        let last = words.last()?;
        if let Some(stem) = last.strip_suffix('s') {
            if stem.chars().count() > 2 {
                if let Some(found) = lookup(stem) {
                    return Some(found);
                }
            }
        }
        None
    }
}

/// The side an office says: the longest gazetteer title inside it decides.
fn title_side(
    gazetteer: &Gazetteer,
    title: Option<&str>,
    _words: &[usize],
    parts: &Parts,
) -> Option<Side> {
    let title = title?;
    if let Some(t) = gazetteer.title(title) {
        return side_of(t.side);
    }
    let mut best: Option<(usize, usize, TitleSide)> = None;
    for &(s, e, side) in &parts.title_spans {
        if best.is_none_or(|(bs, be, _)| e - s > be - bs) {
            best = Some((s, e, side));
        }
    }
    best.and_then(|(_, _, side)| side_of(side))
}

fn side_of(side: TitleSide) -> Option<Side> {
    match side {
        TitleSide::Us => Some(Side::Us),
        TitleSide::Foreign => Some(Side::Counterpart),
        TitleSide::Any => None,
    }
}
