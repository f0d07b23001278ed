//! One actor per real person, organisation or country, however the sources
//! write them: "Blinken", "Antony Blinken", "Tony Blinken" and a garbled
//! "Blinkens" are one person; "Zelensky" and "Zelenskyy" are one; a bare
//! surname joins the full name seen elsewhere in the corpus when the
//! countries agree. The dictionary of officials wins where it knows someone.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::merge::Resolved;
use crate::gazetteer::{name_key, Gazetteer};
use crate::model::{
    slugify, Actor, ActorKind, Kind, Mention, OrgRef, Participant, PersonRef, Side,
};

const US: &str = "United States";

/// Identity of a person across the corpus.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct PersonKey {
    /// Folded last name ("blinken", "leyen").
    last: String,
    /// Their country, where known.
    country: Option<String>,
}

#[derive(Debug, Default)]
struct Cluster {
    /// Every spelling seen, with how often.
    names: BTreeMap<String, usize>,
    titles: BTreeMap<String, usize>,
    countries: BTreeMap<String, usize>,
    known: Option<(String, Option<String>, Option<String>)>,
    /// The first and last day a reference to them was made on.
    seen: Option<(NaiveDate, NaiveDate)>,
}

/// How far apart two reports of a bare surname may be and still join.
const SAME_PERSON_YEARS: i64 = 3;

impl Cluster {
    /// Whether the reference `name`, made on `date`, can be this person.
    fn may_be(&self, name: &str, date: Option<NaiveDate>, gazetteer: &Gazetteer) -> bool {
        let wanted = name_key(name);
        let names_agree = !wanted.contains(' ')
            || self.names.keys().any(|n| {
                let n = name_key(n);
                !n.contains(' ') || gazetteer.same_person_name(&wanted, &n)
            });
        let near = match (date, self.seen) {
            (Some(d), Some((first, last))) => {
                let gap = if d < first {
                    first - d
                } else {
                    d - last.max(d)
                };
                gap.num_days() <= SAME_PERSON_YEARS * 365
            }
            _ => true,
        };
        names_agree && near
    }
}

/// The canonical actors of a corpus and how to find them from a mention.
pub struct Directory {
    people: HashMap<PersonKey, Actor>,
    /// Where each written reference lands.
    assignments: HashMap<(String, Option<String>, Side), PersonKey>,
}

/// The key used to assign a written reference.
fn ref_key(p: &PersonRef) -> (String, Option<String>, Side) {
    (p.name.clone(), p.country.clone(), p.side)
}

fn last_word_key(name: &str) -> String {
    let key = name_key(name);
    key.split(' ')
        .rev()
        .find(|w| !crate::gazetteer::is_generational(w))
        .unwrap_or("")
        .to_string()
}

impl Directory {
    pub fn build(mentions: &[&(String, Mention)], gazetteer: &Gazetteer) -> Directory {
        // Every written reference, with the date it was made on.
        let mut refs: Vec<(&PersonRef, Option<NaiveDate>)> = Vec::new();
        for (_, m) in mentions {
            for p in &m.people {
                refs.push((p, m.date.or(m.published)));
            }
        }
        let mut written_lasts: HashMap<String, usize> = HashMap::new();
        for (p, _) in &refs {
            *written_lasts.entry(last_word_key(&p.name)).or_default() += 1;
        }

        let mut clusters: BTreeMap<PersonKey, Cluster> = BTreeMap::new();
        let mut assignments = HashMap::new();
        // First the references that carry a country, so bare surnames can join them.
        let mut order: Vec<usize> = (0..refs.len()).collect();
        order.sort_by_key(|&i| refs[i].0.country.is_none());
        for i in order {
            let (p, date) = refs[i];
            let known = dictionary(gazetteer, p, date);
            let mut last = match &known {
                Some((name, _, _)) => last_word_key(name),
                None => last_word_key(&p.name),
            };
            // "Blinkens" is a garbled possessive of a name seen elsewhere.
            if known.is_none() && last.ends_with('s') && !clusters.keys().any(|k| k.last == last) {
                let stem = last[..last.len() - 1].to_string();
                if written_lasts.contains_key(&stem) || clusters.keys().any(|k| k.last == stem) {
                    last = stem;
                }
            }
            let country = match &known {
                Some((_, c, _)) => c.clone(),
                None => p.country.clone(),
            };
            let country = country.or_else(|| {
                // A bare surname takes the country of the one person of that
                // name, when the given names agree ("Carmel Martin" is not
                // "Micheál Martin") and the reports are not years apart.
                let same: Vec<&PersonKey> = clusters
                    .iter()
                    .filter(|(k, _)| k.last == last && k.country.is_some())
                    .filter(|(k, _)| (k.country.as_deref() == Some(US)) == (p.side == Side::Us))
                    .filter(|(_, c)| c.may_be(&p.name, date, gazetteer))
                    .map(|(k, _)| k)
                    .collect();
                (same.len() == 1).then(|| same[0].country.clone()).flatten()
            });
            let key = PersonKey { last, country };
            let cluster = clusters.entry(key.clone()).or_default();
            *cluster.names.entry(p.name.clone()).or_default() += 1;
            if let Some(d) = date {
                cluster.seen = Some(cluster.seen.map_or((d, d), |(a, b)| (a.min(d), b.max(d))));
            }
            if let Some(t) = &p.title {
                *cluster.titles.entry(t.clone()).or_default() += 1;
            }
            if let Some(c) = &p.country {
                *cluster.countries.entry(c.clone()).or_default() += 1;
            }
            if known.is_some() {
                cluster.known = known;
            }
            assignments.insert(ref_key(p), key);
        }

        let mut people = HashMap::new();
        let mut slugs: HashMap<String, usize> = HashMap::new();
        let mut built: Vec<(PersonKey, Actor)> = clusters
            .into_iter()
            .map(|(key, cluster)| {
                let (name, country, title) = match &cluster.known {
                    // The dictionary says who; the documents say how the
                    // name is written ("Al Sisi" where it has "el-Sisi").
                    Some((n, c, t)) => {
                        let written = fullest(&cluster.names);
                        let spelled_as_dictionary =
                            cluster.names.keys().any(|w| same_surname_spelling(w, n));
                        let name = if !spelled_as_dictionary
                            && written.contains(' ')
                            && last_word_key(&written) == last_word_key(n)
                        {
                            written
                        } else {
                            n.clone()
                        };
                        (name, c.clone().or(key.country.clone()), t.clone())
                    }
                    None => (
                        fullest(&cluster.names),
                        key.country.clone(),
                        most_common(&cluster.titles),
                    ),
                };
                let title = title.or_else(|| most_common(&cluster.titles));
                (
                    key,
                    Actor {
                        slug: slugify(&name),
                        name,
                        kind: ActorKind::Person,
                        country,
                        short_name: None,
                        title,
                    },
                )
            })
            .collect();
        for (_, actor) in &built {
            *slugs.entry(actor.slug.clone()).or_default() += 1;
        }
        for (key, actor) in built.iter_mut() {
            if slugs[&actor.slug] > 1 {
                let suffix = key
                    .country
                    .as_deref()
                    .map(slugify)
                    .unwrap_or_else(|| "unknown".into());
                actor.slug = format!("{}-{suffix}", actor.slug);
            }
            people.insert(key.clone(), actor.clone());
        }
        Directory {
            people,
            assignments,
        }
    }

    pub fn person(&self, p: &PersonRef) -> Actor {
        self.assignments
            .get(&ref_key(p))
            .and_then(|k| self.people.get(k))
            .cloned()
            .unwrap_or_else(|| Actor {
                slug: slugify(&p.name),
                name: p.name.clone(),
                kind: ActorKind::Person,
                country: p.country.clone(),
                short_name: None,
                title: p.title.clone(),
            })
    }

    /// A mention with its actors made canonical.
    pub fn resolve_mention(&self, document: &str, m: &Mention) -> Resolved {
        let mut participants: Vec<Participant> = Vec::new();
        for p in &m.people {
            let actor = self.person(p);
            let side = match actor.country.as_deref() {
                Some(US) => Side::Us,
                Some(_) => Side::Counterpart,
                None => p.side,
            };
            if participants.iter().any(|q| q.actor.slug == actor.slug) {
                continue;
            }
            participants.push(Participant {
                actor,
                side,
                title: p.title.clone(),
            });
        }
        let organizations = m.organizations.iter().map(organization).collect();
        // Where named counterparts give the countries taking part, the other
        // countries of the sentence are its topics ("discussed North
        // Korea"); a visit keeps the places it went to.
        let placed: Vec<&String> = participants
            .iter()
            .filter(|p| p.side == Side::Counterpart)
            .filter_map(|p| p.actor.country.as_ref())
            .collect();
        let mut countries: Vec<String> = if placed.is_empty() || m.kind == Kind::Visit {
            m.countries.clone()
        } else {
            Vec::new()
        };
        for p in &participants {
            if p.side == Side::Counterpart {
                if let Some(c) = &p.actor.country {
                    if !countries.contains(c) {
                        countries.push(c.clone());
                    }
                }
            }
        }
        countries.retain(|c| c != US);
        Resolved {
            document: document.to_string(),
            mention: m.clone(),
            participants,
            organizations,
            countries,
        }
    }
}

/// Whether `written` spells the surname as the dictionary's `known` does:
/// "Joseph R. Biden Jr." does "Joe Biden", "Abdel Fattah Al Sisi" does not
/// "Abdel Fattah el-Sisi". The surname is all the dictionary writes after
/// the given name.
fn same_surname_spelling(written: &str, known: &str) -> bool {
    let words = |name: &str| -> Vec<String> {
        name_key(name)
            .split(' ')
            .filter(|w| !w.is_empty() && !crate::gazetteer::is_generational(w))
            .map(str::to_string)
            .collect()
    };
    let (written, known) = (words(written), words(known));
    let surname = known.get(1..).unwrap_or_default();
    surname.is_empty() || written.ends_with(surname)
}

/// The dictionary official a reference names, if the dictionary knows one
/// whose country and term fit.
fn dictionary(
    gazetteer: &Gazetteer,
    p: &PersonRef,
    date: Option<NaiveDate>,
) -> Option<(String, Option<String>, Option<String>)> {
    let mut candidates = gazetteer.known_actors(&p.name);
    if candidates.is_empty() {
        if let Some(stem) = p.name.strip_suffix('s') {
            candidates = gazetteer.known_actors(stem);
        }
    }
    candidates.retain(|a| match (&p.country, &a.country) {
        (Some(c), Some(ac)) => c == ac,
        (None, Some(ac)) => (ac == US) == (p.side == Side::Us),
        (_, None) => p.side != Side::Us,
    });
    // Where both say an office, they must share a word of it: "Prime
    // Minister Johnson" is not a Secretary of Homeland Security.
    if let Some(written) = &p.title {
        let words: Vec<String> = written
            .to_lowercase()
            .split_whitespace()
            .filter(|w| w.len() > 3)
            .map(str::to_string)
            .collect();
        let fits = |t: &Option<String>| {
            t.as_ref().is_none_or(|t| {
                let t = t.to_lowercase();
                words.is_empty() || words.iter().any(|w| t.contains(w.as_str()))
            })
        };
        candidates.retain(|a| fits(&a.title));
    }
    let pick = candidates
        .iter()
        .find(|a| a.in_office(date))
        .or(candidates.first())?;
    Some((pick.name.clone(), pick.country.clone(), pick.title.clone()))
}

/// An organisation as an actor, its slug from its acronym where it has one.
pub fn organization(org: &OrgRef) -> Actor {
    Actor {
        slug: slugify(org.short_name.as_deref().unwrap_or(&org.name)),
        name: org.name.clone(),
        kind: ActorKind::Organization,
        country: None,
        short_name: org.short_name.clone(),
        title: None,
    }
}

/// The spelling with the most words, then the longest, then the first in order.
fn fullest(names: &BTreeMap<String, usize>) -> String {
    names
        .keys()
        .max_by(|a, b| {
            let words = |s: &str| s.split_whitespace().count();
            words(a)
                .cmp(&words(b))
                .then(a.len().cmp(&b.len()))
                .then(b.cmp(a))
        })
        .cloned()
        .unwrap_or_default()
}

fn most_common(counts: &BTreeMap<String, usize>) -> Option<String> {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(k, _)| k.clone())
}
