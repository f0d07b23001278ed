//! Assembles the engagements one item reports from its entities and
//! engagement words. An item usually holds one engagement ("X's call with
//! Y"); it holds several when a new subject takes a new verb ("…; Z also met
//! with Y"), when a list goes on after a semicolon ("meeting with A; B; C"),
//! when another engagement is embedded ("following X's call with W"), or in
//! prose when each engagement carries its own date.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use super::dates::{self, DateExpr, Tense};
use super::entities::{Entity, EntityKind, Person};
use super::kinds::{self, Keyword};
use super::lexicon;
use super::tokens::Token;
use crate::model::{DatePrecision, Kind, OrgRef, Side, Status};

/// An engagement as read from one item, before it becomes a `Mention`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    pub kind: Kind,
    pub status: Status,
    pub date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub precision: DatePrecision,
    pub people: Vec<(Person, Side)>,
    pub organizations: Vec<OrgRef>,
    pub countries: Vec<String>,
    /// Where the frame's visit words take the U.S. party ("in Tokyo", "to
    /// Japan"), kept apart so that a meeting held during a trip can also
    /// report the trip.
    pub destinations: Vec<String>,
    /// Token range the frame covers, to pick the link it stands under.
    pub first_token: usize,
    pub last_token: usize,
    /// Whether the date came from the text rather than the item's marker.
    pub explicit_date: bool,
    /// "The meeting was co-chaired by …", "X also took part": more about
    /// the engagement just reported, not a new one.
    pub continuation: bool,
}

/// What the item's surroundings say.
pub struct Context<'a> {
    pub published: Option<NaiveDate>,
    /// Dates of the item's leading marker ("November 9-13:"), if any.
    pub marker: Option<&'a DateExpr>,
    /// The item's own text (for dates) and its offset in the cleaned text.
    pub text: &'a str,
    pub offset: usize,
    pub planned_section: bool,
    /// "With Japan:" — the label's country or organisation.
    pub label_country: Option<String>,
    pub label_org: Option<OrgRef>,
    /// The U.S. subjects of the previous engagement in the same block, for "he" and "she".
    pub previous_subjects: &'a [Person],
    /// The people most recently named, for "they" and "the two leaders".
    pub recent_people: &'a [(Person, Side)],
}

/// Why an engagement word made no engagement: `--explain` prints it, so a
/// misread sentence shows which rule dropped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejected {
    /// A weak word ("engaged", "briefed", "dialogue") outside a dated entry.
    WeakWord,
    /// A frequency qualifies the word ("regular visits", "spoke often").
    Frequent,
    /// A statement of policy, not an event ("will continue to consult",
    /// "deepen our consultations").
    PolicySentence,
    /// Only "virtual" or "video": a manner with no engagement word.
    VideoOnly,
    /// Counts engagements or participants ("spoke twice", "met 16 leaders").
    Aggregate,
    /// "has spoken with", "have met" with no date: no single event.
    IndefinitePast,
    /// "hosted", "welcomed" with no guest named after the word.
    NoGuest,
    /// Nobody on the other side: no counterpart, body or country.
    NoCounterpart,
}

impl Rejected {
    pub fn describe(self) -> &'static str {
        match self {
            Rejected::WeakWord => "weak word: counts only in a dated entry",
            Rejected::Frequent => "frequent: no single event (\"regular visits\")",
            Rejected::PolicySentence => "policy: an aim, not an event (\"continue to consult\")",
            Rejected::VideoOnly => "video-only: a manner word with no engagement word",
            Rejected::Aggregate => "aggregate: counts engagements or participants",
            Rejected::IndefinitePast => "indefinite past: \"has met\" with no date",
            Rejected::NoGuest => "no guest: hosting with nobody hosted",
            Rejected::NoCounterpart => "no counterpart: nobody on the other side",
        }
    }
}

/// What one item's engagement words gave: the engagements, and the
/// reasons the others were dropped.
#[derive(Debug, Default)]
pub struct Assembled {
    pub frames: Vec<Frame>,
    pub rejected: Vec<Rejected>,
}

/// How many tokens a date may stand from its engagement word in prose.
const MAX_DATE_DISTANCE: usize = 14;

/// How far before its publication an announced engagement's yearless date
/// may lie and still be this year's (a list of the week's plans published a
/// day late); further back it is next year's.
const FUTURE_SLACK_DAYS: i64 = 60;

/// Words allowed between a subject and its verb ("X also met", "X will meet").
const GLUE: &[&str] = &[
    "also",
    "will",
    "has",
    "have",
    "had",
    "would",
    "then",
    "to",
    "jointly",
    "separately",
    "later",
    "both",
    "recently",
    "briefly",
    "again",
    "upcoming",
    "planned",
    "first",
    "second",
    "bilateral",
    "virtual",
    "virtually",
    "formally",
    "held",
    "a",
    "an",
    "the",
    "is",
    "was",
    "be",
    "had",
    "hold",
    "holds",
    "phone",
    "telephone",
    "video",
    "secure",
    "introductory",
    "courtesy",
    "separate",
];

/// Verbs that make the person before them a speaker, not a participant.
const SPEECH: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "stressed",
    "noted",
    "explained",
    "announced",
    "confirmed",
    "warned",
    "emphasized",
    "underscored",
    "tweeted",
    "wrote",
];

/// Nouns after a name that make it stand for an institution ("the Biden administration").
const INSTITUTION: &[&str] = &[
    "administration",
    "government",
    "team",
    "campaign",
    "era",
    "doctrine",
];

/// Prepositions that govern the role of the entity after them.
const PREPOSITIONS: &[&str] = &[
    "with",
    "between",
    "to",
    "in",
    "on",
    "about",
    "regarding",
    "at",
    "including",
    "by",
    "from",
    "of",
    "for",
    "over",
    "against",
    "into",
    "among",
    "amongst",
    "concerning",
    "toward",
    "towards",
];

struct Draft {
    keywords: Vec<Keyword>,
    entities: Vec<usize>,
    first_token: usize,
    last_token: usize,
    inherited: Vec<Person>,
    dates: Vec<usize>,
}

/// The engagements of one item.
pub fn assemble(
    tokens: &[Token],
    entities: &[Entity],
    keywords: &[Keyword],
    ctx: &Context,
) -> Assembled {
    // Weak words count only in dated entries; a word a frequency qualifies
    // ("regular visits", "spoke twice") reports no single event.
    let mut assembled = Assembled::default();
    let mut kept: Vec<Keyword> = Vec::new();
    for k in keywords {
        if is_policy(tokens, k.token) {
            assembled.rejected.push(Rejected::PolicySentence);
        } else if k.weak && ctx.marker.is_none() {
            assembled.rejected.push(Rejected::WeakWord);
        } else if ctx.marker.is_none() && is_frequent(tokens, k.token) {
            assembled.rejected.push(Rejected::Frequent);
        } else {
            kept.push(*k);
        }
    }
    let keywords = kept;
    if keywords.iter().all(|k| k.video) {
        if !keywords.is_empty() {
            assembled.rejected.push(Rejected::VideoOnly);
        }
        return assembled;
    }
    let usable: Vec<bool> = entities
        .iter()
        .map(|e| !is_speaker(tokens, e) && !is_institution(tokens, e))
        .collect();
    let dates = if ctx.marker.is_some() {
        Vec::new()
    } else {
        dates::find_dates(ctx.text, ctx.published)
    };
    let date_tokens: Vec<usize> = dates
        .iter()
        .map(|d| token_at(tokens, ctx.offset + d.start))
        .collect();

    let drafts = draft_frames(tokens, entities, &usable, &keywords, &date_tokens);
    for draft in assign_dates(drafts, tokens, &keywords, &date_tokens, &dates, entities) {
        match finish(tokens, entities, &draft, &dates, ctx) {
            Ok(frame) => {
                for frame in split_trip(tokens, &draft, frame) {
                    assembled
                        .frames
                        .extend(split_plural(tokens, entities, &draft, frame));
                }
            }
            Err(reason) => assembled.rejected.push(reason),
        }
    }
    assembled
}

/// "Esper met with A and B in Tokyo as the fourth stop of his visit": a
/// meeting held during a trip, and the trip itself, are two engagements.
fn split_trip(tokens: &[Token], draft: &Draft, frame: Frame) -> Vec<Frame> {
    // A reported sitting, not its purpose: "traveled to France to meet
    // Macron" stays one visit with its host.
    let met = draft.keywords.iter().any(|k| {
        matches!(tokens[k.token].lower().as_str(), "met" | "meets")
            && !(k.token >= 1 && tokens[k.token - 1].is("to"))
    });
    let has_counterpart_person = frame
        .people
        .iter()
        .any(|(_, side)| *side == Side::Counterpart);
    let has_us = frame.people.iter().any(|(_, side)| *side == Side::Us);
    if frame.kind != Kind::Visit
        || !met
        || !has_counterpart_person
        || !has_us
        || frame.destinations.is_empty()
    {
        return vec![frame];
    }
    let trip = Frame {
        kind: Kind::Visit,
        people: frame
            .people
            .iter()
            .filter(|(_, side)| *side == Side::Us)
            .cloned()
            .collect(),
        organizations: Vec::new(),
        countries: frame.destinations.clone(),
        ..frame.clone()
    };
    vec![
        Frame {
            kind: Kind::Meeting,
            ..frame
        },
        trip,
    ]
}

/// "Kerry's meetings with A and B", "separate calls with A and with B":
/// one engagement per counterpart.
fn split_plural(tokens: &[Token], entities: &[Entity], draft: &Draft, frame: Frame) -> Vec<Frame> {
    let plural = draft.keywords.iter().any(|k| {
        let word = tokens[k.token].lower();
        let separate = (1..=3).any(|d| k.token >= d && tokens[k.token - d].is("separate"));
        matches!(word.as_str(), "meetings" | "calls") || separate
    });
    let counterparts: Vec<&Entity> = draft
        .entities
        .iter()
        .map(|&e| &entities[e])
        .filter(|e| matches!(&e.kind, EntityKind::Person(p) if p.side != Some(Side::Us)))
        .collect();
    if !plural || counterparts.len() < 2 {
        return vec![frame];
    }
    let us: Vec<(Person, Side)> = frame
        .people
        .iter()
        .filter(|(_, side)| *side == Side::Us)
        .cloned()
        .collect();
    counterparts
        .into_iter()
        .filter_map(|e| match &e.kind {
            EntityKind::Person(p) => Some((e, p)),
            _ => None,
        })
        .map(|(e, p)| {
            let mut one = frame.clone();
            one.people = us.clone();
            one.people.push((p.clone(), Side::Counterpart));
            one.countries = p.country.iter().cloned().collect();
            one.organizations = p.org.iter().cloned().collect();
            one.last_token = e.last;
            one
        })
        .collect()
}

/// "visits Honiara", "toured Japan": a place right after a visit verb.
fn after_visit_verb(tokens: &[Token], e: &Entity) -> bool {
    e.first > 0
        && matches!(
            tokens[e.first - 1].lower().as_str(),
            "visit" | "visits" | "visited" | "visiting" | "tour" | "tours" | "toured" | "touring"
        )
}

/// A person's side: as their office or country says, else U.S. only when
/// their country is.
pub(super) fn side_of(p: &Person) -> Side {
    p.side
        .unwrap_or(if p.country.as_deref() == Some("United States") {
            Side::Us
        } else {
            Side::Counterpart
        })
}

/// The last person named before `e` in the same sentence, with their side.
fn earlier_person(tokens: &[Token], entities: &[Entity], e: &Entity) -> Option<(Person, Side)> {
    entities
        .iter()
        .rev()
        .filter(|o| o.last < e.first && !owns_a_role(tokens, o))
        .find_map(|o| match &o.kind {
            EntityKind::Person(p) => Some((p.clone(), side_of(p))),
            _ => None,
        })
}

/// "The meeting …", "This call …" opening the sentence, or only "took part":
/// the sentence goes on about the engagement before it.
fn is_continuation(tokens: &[Token], draft: &Draft) -> bool {
    let Some(first) = draft.keywords.first() else {
        return false;
    };
    let definite = first.token <= 2
        && tokens
            .first()
            .is_some_and(|t| matches!(t.lower().as_str(), "the" | "this" | "that"))
        && matches!(
            tokens[first.token].lower().as_str(),
            "meeting"
                | "call"
                | "talks"
                | "visit"
                | "summit"
                | "ministerial"
                | "trip"
                | "videoconference"
        );
    let took_part = draft.keywords.iter().all(|k| {
        tokens[k.token].is("took") || tokens[k.token].is("takes") || tokens[k.token].is("take")
    }) && !tokens[first.token..].iter().any(|t| t.is("in"));
    definite || took_part
}

/// The coordinated part of the sentence each token is in: a new part starts
/// at "and"/"but"/";" followed by "to", a preposition or an engagement word.
fn segments(tokens: &[Token], keywords: &[Keyword]) -> Vec<usize> {
    let mut out = Vec::with_capacity(tokens.len() + 1);
    let mut segment = 0;
    for (i, t) in tokens.iter().enumerate() {
        let joins = t.is("and") || t.is("but") || t.is_punct(';');
        let next_opens = tokens.get(i + 1).is_some_and(|n| {
            matches!(
                n.lower().as_str(),
                "to" | "on" | "in" | "at" | "with" | "then" | "later" | "also"
            )
        }) || keywords.iter().any(|k| k.token == i + 1);
        if joins && next_opens {
            segment += 1;
        }
        out.push(segment);
    }
    out.push(segment);
    out
}

/// Whether a frequency word stands next to the engagement word ("spoke
/// twice", "regular calls", "all my bilateral meetings").
fn is_frequent(tokens: &[Token], keyword: usize) -> bool {
    (keyword.saturating_sub(3)..(keyword + 4).min(tokens.len()))
        .any(|i| kinds::is_aggregate_marker(&tokens[i].lower()))
}

/// "continue to consult", "committed to meeting", "deepen our dialogue":
/// the engagement word is the aim of a policy verb a few words before it.
fn is_policy(tokens: &[Token], keyword: usize) -> bool {
    use super::lexicon::{POLICY_OBJECT_VERBS, POLICY_TO_VERBS};
    let before = |k: usize| keyword.checked_sub(k).map(|i| tokens[i].lower());
    let to_verb = (2..=4).any(|k| {
        before(k).is_some_and(|w| POLICY_TO_VERBS.contains(&w.as_str()))
            && (1..k).any(|j| before(j).as_deref() == Some("to"))
    });
    let object_verb = (1..=3).any(|k| {
        before(k).is_some_and(|w| POLICY_OBJECT_VERBS.contains(&w.as_str()))
            && (1..k).all(|j| {
                before(j).is_some_and(|w| {
                    matches!(
                        w.as_str(),
                        "our"
                            | "their"
                            | "its"
                            | "the"
                            | "up"
                            | "bilateral"
                            | "high-level"
                            | "close"
                            | "closer"
                            | "regular"
                    )
                })
            })
    });
    to_verb || object_verb
}

/// Index of the token that starts at or after `offset`.
fn token_at(tokens: &[Token], offset: usize) -> usize {
    tokens
        .iter()
        .position(|t| t.start >= offset)
        .unwrap_or(tokens.len())
}

fn is_speaker(tokens: &[Token], e: &Entity) -> bool {
    let after = |k: usize| {
        tokens
            .get(e.last + k)
            .map(|t| t.lower())
            .unwrap_or_default()
    };
    let before = |k: usize| {
        e.first
            .checked_sub(k)
            .and_then(|i| tokens.get(i))
            .map(|t| t.lower())
            .unwrap_or_default()
    };
    SPEECH.contains(&after(1).as_str())
        || (after(1) == "," && SPEECH.contains(&after(2).as_str()))
        || (before(2) == "according" && before(1) == "to")
        || SPEECH.contains(&before(1).as_str())
}

fn is_institution(tokens: &[Token], e: &Entity) -> bool {
    matches!(e.kind, EntityKind::Person(_))
        && tokens
            .get(e.last + 1)
            .is_some_and(|t| INSTITUTION.contains(&t.lower().as_str()))
}

/// Groups entities and keywords into draft frames.
fn draft_frames(
    tokens: &[Token],
    entities: &[Entity],
    usable: &[bool],
    keywords: &[Keyword],
    date_tokens: &[usize],
) -> Vec<Draft> {
    #[derive(Clone, Copy)]
    enum Event {
        Entity(usize),
        Keyword(usize),
        Separator,
    }
    let mut events: Vec<(usize, Event)> = Vec::new();
    for (i, e) in entities.iter().enumerate() {
        if usable[i] {
            events.push((e.first, Event::Entity(i)));
        }
    }
    // Two engagement words in a row ("virtual meeting", "phone call") are one.
    let mut last_kw_token = None;
    for (i, k) in keywords.iter().enumerate() {
        if last_kw_token.is_some_and(|t: usize| k.token == t + 1) {
            last_kw_token = Some(k.token);
            events.push((k.token, Event::Keyword(i)));
            continue;
        }
        last_kw_token = Some(k.token);
        events.push((k.token, Event::Keyword(i)));
    }
    for (i, t) in tokens.iter().enumerate() {
        if t.is_punct(';') {
            events.push((i, Event::Separator));
        }
    }
    events.sort_by_key(|(pos, e)| (*pos, matches!(e, Event::Keyword(_)) as u8));

    let mut drafts: Vec<Draft> = Vec::new();
    let mut pending: Vec<usize> = Vec::new();
    let mut after_separator = false;
    let mut last_keyword_token: Option<usize> = None;
    for (index, &(pos, event)) in events.iter().enumerate() {
        match event {
            Event::Separator => {
                after_separator = true;
                pending.clear();
            }
            Event::Entity(e) => {
                let entity = &entities[e];
                let keyword_follows = events[index + 1..]
                    .iter()
                    .take_while(|(_, ev)| !matches!(ev, Event::Separator))
                    .any(|(_, ev)| matches!(ev, Event::Keyword(_)));
                let is_person = matches!(entity.kind, EntityKind::Person(_));
                match drafts.last_mut() {
                    Some(current) if after_separator && !keyword_follows && is_person => {
                        // "meeting with A; B; C": the list goes on as separate engagements.
                        let subjects = current_us(current, entities);
                        let keywords = current.keywords.clone();
                        drafts.push(Draft {
                            keywords,
                            entities: vec![e],
                            first_token: entity.first,
                            last_token: entity.last,
                            inherited: subjects,
                            dates: Vec::new(),
                        });
                    }
                    Some(current)
                        if !after_separator
                            && !keyword_follows_directly(tokens, entity, keywords) =>
                    {
                        current.entities.push(e);
                        current.last_token = current.last_token.max(entity.last);
                    }
                    _ => pending.push(e),
                }
                after_separator = false;
            }
            Event::Keyword(k) => {
                let keyword = keywords[k];
                // "travel to X to attend Y": a purpose clause goes on with the same engagement.
                let purpose = keyword.token > 0 && tokens[keyword.token - 1].is("to");
                let continues =
                    last_keyword_token.is_some_and(|t| keyword.token <= t + 2) || purpose;
                last_keyword_token = Some(keyword.token);
                let subject = subject_of(tokens, entities, &pending, keyword.token).or_else(|| {
                    drafts
                        .last()
                        .and_then(|d| subject_of(tokens, entities, &d.entities, keyword.token))
                });
                let dated_since = drafts.last().is_some_and(|d| {
                    let since = d.keywords.last().map_or(d.first_token, |k| k.token);
                    date_tokens.iter().any(|&t| t > since && t < keyword.token)
                        && date_tokens
                            .iter()
                            .any(|&t| t >= d.first_token && t <= since + 8)
                });
                // "… following a call between A and B": an embedded engagement.
                let embedded = (1..=3).any(|k| {
                    keyword.token >= k
                        && matches!(
                            tokens[keyword.token - k].lower().as_str(),
                            "following" | "after" | "before" | "ahead" | "prior"
                        )
                });
                let new_frame = match (drafts.last(), subject) {
                    (None, _) => true,
                    (Some(_), _) if embedded => true,
                    (Some(_), _) if continues => false,
                    (Some(d), Some(s)) => match &entities[s].kind {
                        EntityKind::Pronoun | EntityKind::Group => {
                            d.keywords.iter().all(|k| k.kind != Kind::Visit)
                                && has_counterpart(d, entities)
                        }
                        EntityKind::Person(_) => {
                            let before_own_keyword = d.entities.contains(&s)
                                && d.keywords
                                    .first()
                                    .is_some_and(|k| entities[s].first < k.token);
                            !before_own_keyword
                        }
                        _ => dated_since,
                    },
                    (Some(_), None) => (!pending.is_empty() && after_separator) || dated_since,
                };
                if new_frame {
                    let mut members: Vec<usize> = match subject {
                        Some(s) => subject_list(tokens, entities, &pending, s),
                        None => pending.clone(),
                    };
                    if let (Some(s), Some(d)) = (subject, drafts.last_mut()) {
                        // The subject was read as the previous frame's object.
                        if d.entities.contains(&s) {
                            d.entities.retain(|&x| x != s);
                            if !members.contains(&s) {
                                members.push(s);
                            }
                        }
                    }
                    let names_someone = members
                        .iter()
                        .any(|&m| matches!(entities[m].kind, EntityKind::Person(_)));
                    let inherited = match subject.map(|s| &entities[s].kind) {
                        Some(EntityKind::Pronoun) => drafts
                            .last()
                            .map(|d| current_us(d, entities))
                            .unwrap_or_default(),
                        // "to see A on Tuesday and to meet B on Wednesday":
                        // the same subject goes on.
                        None if dated_since && !embedded && !names_someone => drafts
                            .last()
                            .map(|d| current_us(d, entities))
                            .unwrap_or_default(),
                        _ => Vec::new(),
                    };
                    let first = members
                        .iter()
                        .map(|&m| entities[m].first)
                        .min()
                        .unwrap_or(keyword.token)
                        .min(keyword.token);
                    drafts.push(Draft {
                        keywords: vec![keyword],
                        entities: members,
                        first_token: first,
                        last_token: keyword.token,
                        inherited,
                        dates: Vec::new(),
                    });
                } else if let Some(d) = drafts.last_mut() {
                    d.keywords.push(keyword);
                    d.entities.extend(pending.iter().copied());
                    d.last_token = d.last_token.max(keyword.token);
                }
                pending.clear();
                after_separator = false;
            }
        }
        let _ = pos;
    }
    drafts
}

/// Whether the entity is the subject of a keyword right after it ("B also met").
fn keyword_follows_directly(tokens: &[Token], entity: &Entity, keywords: &[Keyword]) -> bool {
    if !matches!(entity.kind, EntityKind::Person(_)) {
        return false;
    }
    keywords.iter().any(|k| {
        k.token > entity.last
            && tokens[entity.last + 1..k.token]
                .iter()
                .all(|t| GLUE.contains(&t.lower().as_str()))
            && (entity.last + 1..k.token).any(|i| tokens[i].is("also"))
    })
}

/// The person or pronoun right before a keyword, with only glue between.
fn subject_of(
    tokens: &[Token],
    entities: &[Entity],
    candidates: &[usize],
    keyword: usize,
) -> Option<usize> {
    candidates.iter().rev().copied().find(|&c| {
        let e = &entities[c];
        matches!(
            e.kind,
            EntityKind::Person(_) | EntityKind::Pronoun | EntityKind::Group
        ) && e.last < keyword
            && tokens[e.last + 1..keyword]
                .iter()
                .all(|t| GLUE.contains(&t.lower().as_str()))
    })
}

/// The subject with the people listed before it ("A, B, and C virtual meeting").
fn subject_list(
    tokens: &[Token],
    entities: &[Entity],
    pending: &[usize],
    subject: usize,
) -> Vec<usize> {
    let mut members = vec![subject];
    let mut boundary = entities[subject].first;
    for &p in pending.iter().rev() {
        let e = &entities[p];
        if p == subject || e.last >= boundary {
            continue;
        }
        let between = &tokens[e.last + 1..boundary];
        if !between.is_empty() && between.iter().all(|t| t.is_punct(',') || t.is("and")) {
            members.insert(0, p);
            boundary = e.first;
        } else {
            break;
        }
    }
    members
}

fn current_us(draft: &Draft, entities: &[Entity]) -> Vec<Person> {
    let mut people: Vec<Person> = draft
        .entities
        .iter()
        .filter_map(|&e| match &entities[e].kind {
            EntityKind::Person(p)
                if p.side == Some(Side::Us)
                    || (p.side.is_none()
                        && draft
                            .keywords
                            .first()
                            .is_some_and(|k| entities[e].last < k.token)) =>
            {
                Some(p.clone())
            }
            _ => None,
        })
        .collect();
    people.extend(draft.inherited.iter().cloned());
    people
}

fn has_counterpart(draft: &Draft, entities: &[Entity]) -> bool {
    draft.entities.iter().any(|&e| match &entities[e].kind {
        EntityKind::Person(p) => p.side == Some(Side::Counterpart),
        EntityKind::Org(_) | EntityKind::Countries(_) => true,
        EntityKind::Pronoun | EntityKind::Group | EntityKind::City(_) => false,
    })
}

/// Gives each date expression to the nearest frame, then splits a frame
/// that lists as many dates as bodies ("the A and B meetings set for 12
/// and 13 May") into one frame per pair.
fn assign_dates(
    mut drafts: Vec<Draft>,
    tokens: &[Token],
    keywords: &[Keyword],
    date_tokens: &[usize],
    dates: &[DateExpr],
    entities: &[Entity],
) -> Vec<Draft> {
    if drafts.is_empty() {
        return drafts;
    }
    let segments = segments(tokens, keywords);
    for (d, &t) in date_tokens.iter().enumerate() {
        if dates[d].date.is_none() {
            continue;
        }
        // "Gates said today that he accepted an invitation to visit":
        // the day of the saying, not of the engagement.
        if t > 0 && SPEECH.contains(&tokens[t - 1].lower().as_str()) {
            continue;
        }
        let anchor_of = |draft: &Draft| {
            draft
                .keywords
                .first()
                .map_or(draft.first_token, |k| k.token)
        };
        // A date stays in its own coordinated part of the sentence ("see A
        // on Tuesday | and to meet B on Wednesday") when that part has an
        // engagement word; otherwise it goes to the nearest word.
        // Only frames that name someone can use a date.
        let viable = |d: &Draft| !d.entities.is_empty() || !d.inherited.is_empty();
        if !drafts.iter().any(viable) {
            continue;
        }
        // The distance counts from the end of the frame's list of people
        // ("met with A, B, C and D in Tokyo today"), not from the verb.
        let reach_of = |draft: &Draft| {
            let anchor = anchor_of(draft);
            draft
                .entities
                .iter()
                .map(|&e| entities[e].last)
                .filter(|&last| last < t)
                .max()
                .map_or(anchor, |last| last.max(anchor))
        };
        // A date within reach after a frame's word is that frame's
        // ("welcomed X to the Pentagon today | to continue talks begun when
        // …"); a date before a word frames it only when no earlier word
        // reaches it.
        let follows =
            |draft: &Draft| t >= anchor_of(draft) && t - reach_of(draft) <= MAX_DATE_DISTANCE;
        let same_segment = drafts
            .iter()
            .filter(|d| viable(d))
            .any(|d| segments[anchor_of(d)] == segments[t]);
        let nearest = drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| viable(d))
            .filter(|(_, d)| !same_segment || segments[anchor_of(d)] == segments[t])
            .min_by_key(|(_, draft)| (!follows(draft), anchor_of(draft).abs_diff(t)))
            .map(|(i, _)| i)
            .expect("non-empty");
        // A date far from every engagement word dates something else
        // ("… to prepare elections on 24 December").
        // Only dates after the word are limited: a date before it ("agreed
        // on Thursday … in talks") frames the whole sentence.
        let reach = reach_of(&drafts[nearest]);
        if t > reach && t - reach > MAX_DATE_DISTANCE {
            continue;
        }
        drafts[nearest].dates.push(d);
    }
    let mut out = Vec::new();
    for draft in drafts {
        let bodies: Vec<usize> = draft
            .entities
            .iter()
            .copied()
            .filter(|&e| {
                matches!(
                    entities[e].kind,
                    EntityKind::Org(_) | EntityKind::Countries(_)
                )
            })
            .collect();
        let people = draft
            .entities
            .iter()
            .filter(|&&e| matches!(&entities[e].kind, EntityKind::Person(p) if p.side != Some(Side::Us)))
            .count();
        if draft.dates.len() >= 2 && draft.dates.len() == bodies.len() && people == 0 {
            for (k, &date) in draft.dates.iter().enumerate() {
                let keep: Vec<usize> = draft
                    .entities
                    .iter()
                    .copied()
                    .filter(|e| !bodies.contains(e) || *e == bodies[k])
                    .collect();
                out.push(Draft {
                    keywords: draft.keywords.clone(),
                    entities: keep,
                    first_token: draft.first_token,
                    last_token: draft.last_token,
                    inherited: draft.inherited.clone(),
                    dates: vec![date],
                });
            }
        } else {
            out.push(draft);
        }
    }
    out
}

/// A person talked about, not talked with: "about President X", "on the
/// passing of Queen Y", "the release of Z".
fn is_topic(tokens: &[Token], entities: &[Entity], e: &Entity) -> bool {
    if owns_a_role(tokens, e) {
        return true;
    }
    match governing_preposition(tokens, entities, e).as_deref() {
        Some("about" | "regarding" | "concerning" | "on" | "against" | "for") => true,
        Some("of") => {
            let of = (0..e.first).rev().find(|&i| tokens[i].is("of"));
            of.and_then(|i| i.checked_sub(1)).is_some_and(|i| {
                matches!(
                    tokens[i].lower().as_str(),
                    "passing"
                        | "death"
                        | "memory"
                        | "funeral"
                        | "legacy"
                        | "release"
                        | "detention"
                        | "killing"
                        | "murder"
                        | "arrest"
                        | "case"
                        | "assassination"
                        | "life"
                        | "honor"
                        | "honour"
                        | "election"
                        | "inauguration"
                        | "resignation"
                        | "behalf"
                )
            })
        }
        _ => false,
    }
}

/// "Baker, Rivera's special envoy, met …": a possessive name before an
/// office describes the person who holds it.
fn owns_a_role(tokens: &[Token], e: &Entity) -> bool {
    if !tokens[e.last].possessive {
        return false;
    }
    tokens
        .iter()
        .skip(e.last + 1)
        .take(4)
        .map(Token::lower)
        .find(|w| !lexicon::ROLE_ADJECTIVES.contains(&w.as_str()))
        .is_some_and(|w| lexicon::ROLE_OF_ANOTHER.contains(&w.as_str()))
}

/// The role a preposition gives the entity after it.
fn governing_preposition(tokens: &[Token], entities: &[Entity], e: &Entity) -> Option<String> {
    let mut i = e.first;
    while i > 0 {
        i -= 1;
        let t = &tokens[i];
        let lower = t.lower();
        let inside_other = entities.iter().any(|o| o.first <= i && i <= o.last);
        if !inside_other && PREPOSITIONS.contains(&lower.as_str()) {
            return Some(lower);
        }
        if inside_other
            || t.is_punct(',')
            || matches!(
                lower.as_str(),
                "and" | "the" | "a" | "an" | "other" | "its" | "their" | "his" | "her"
            )
        {
            continue;
        }
        return None;
    }
    None
}

fn finish(
    tokens: &[Token],
    entities: &[Entity],
    draft: &Draft,
    dates: &[DateExpr],
    ctx: &Context,
) -> Result<Frame, Rejected> {
    let clause_start = draft.first_token;
    let clause_end = draft.last_token.max(
        draft
            .entities
            .iter()
            .map(|&e| entities[e].last)
            .max()
            .unwrap_or(0),
    );
    let clause: Vec<String> = tokens[clause_start..=clause_end.min(tokens.len().saturating_sub(1))]
        .iter()
        .map(Token::lower)
        .collect();
    let future = clause.iter().any(|w| kinds::is_future_marker(w))
        || clause
            .windows(2)
            .any(|w| matches!(w[0].as_str(), "is" | "are") && w[1] == "to")
        || clause
            .windows(3)
            .any(|w| w[0] == "to" && w[1] == "be" && w[2] == "held")
        // "looks forward to traveling", "accepted an invitation to visit".
        || clause.windows(2).any(|w| {
            (matches!(w[0].as_str(), "look" | "looks" | "looked" | "looking") && w[1] == "forward")
        })
        // An invitation accepted or extended is a plan; "visited … at the
        // invitation of" reports the visit.
        || clause.iter().enumerate().any(|(i, w)| {
            matches!(w.as_str(), "invitation" | "invitations")
                && !(i >= 2 && clause[i - 1] == "the" && clause[i - 2] == "at")
        });
    let first_keyword = draft.keywords.first().ok_or(Rejected::NoCounterpart)?.token;

    // Dates: the item's marker, else the frame's own date expression.
    let (date, end_date, precision, explicit) = match ctx.marker {
        Some(m) => (m.date, m.end_date, precision_of(m), false),
        None => match pick_date(draft, dates, tokens, ctx, first_keyword) {
            Some((d, end, p)) => (Some(d), end, p, true),
            None => (None, None, DatePrecision::Unknown, false),
        },
    };

    // An aggregate ("spoke twice", "met with 16 leaders") is no single event.
    // Numbers inside dates ("on May 12 at a meeting") count nothing.
    let in_date = |i: usize| {
        let at = tokens[i].start;
        dates
            .iter()
            .any(|d| ctx.offset + d.start <= at && at < ctx.offset + d.end)
    };
    let gathering = draft
        .keywords
        .iter()
        .any(|k| super::lexicon::GATHERING_WORDS.contains(&tokens[k.token].lower().as_str()));
    // The count may follow the clause's last word ("met with 16 leaders").
    let last = (clause_end + 3).min(tokens.len().saturating_sub(1));
    let counted = (clause_start..last).any(|i| {
        // A number, then at most one adjective, then what it counts.
        let counted_noun = (1..=2).any(|k| {
            tokens.get(i + k).is_some_and(|t| {
                let w = t.lower();
                // "a summit with 14 countries": who sat at one gathering.
                kinds::is_counted_noun(&w) && !(gathering && kinds::is_participant_noun(&w))
            })
        });
        let in_group = entities
            .iter()
            .any(|e| matches!(e.kind, EntityKind::Group) && e.first <= i && i <= e.last);
        kinds::is_count_word(&tokens[i].lower()) && !in_date(i) && !in_group && counted_noun
    });
    let aggregate = counted;
    if aggregate && ctx.marker.is_none() {
        return Err(Rejected::Aggregate);
    }
    // "has spoken with", "have met": indefinite past, no single event unless dated.
    let perfect = draft.keywords.iter().any(|k| {
        k.token >= 1 && matches!(tokens[k.token - 1].lower().as_str(), "has" | "have")
            || k.token >= 2 && matches!(tokens[k.token - 2].lower().as_str(), "has" | "have")
    });
    if perfect && date.is_none() {
        return Err(Rejected::IndefinitePast);
    }

    let mut people: Vec<(Person, Side)> = Vec::new();
    let mut organizations: Vec<OrgRef> = Vec::new();
    let mut countries: Vec<String> = Vec::new();
    let mut locations: Vec<String> = Vec::new();
    let mut venues: Vec<OrgRef> = Vec::new();
    let is_visit = draft.keywords.iter().any(|k| k.kind == Kind::Visit);
    let mut destinations: Vec<String> = Vec::new();
    for person in &draft.inherited {
        people.push((person.clone(), Side::Us));
    }
    for &e in &draft.entities {
        let entity = &entities[e];
        let before_keyword = entity.last < first_keyword;
        match &entity.kind {
            EntityKind::Person(_) if is_topic(tokens, entities, entity) => {}
            EntityKind::Person(p) => {
                let side = p.side.unwrap_or(if before_keyword {
                    Side::Us
                } else {
                    Side::Counterpart
                });
                let mut p = p.clone();
                if side == Side::Counterpart && p.country.is_none() && p.org.is_none() {
                    p.country = ctx.label_country.clone();
                }
                if side == Side::Counterpart {
                    if let Some(org) = &p.org {
                        organizations.push(org.clone());
                    }
                }
                people.push((p, side));
            }
            EntityKind::Pronoun if earlier_person(tokens, entities, entity).is_some() => {
                // "Mattis traveled to Tokyo, where he met …": the person named
                // earlier in the same sentence.
                let (p, side) = earlier_person(tokens, entities, entity).expect("checked");
                people.push((p, side));
            }
            EntityKind::Pronoun => {
                for subject in ctx.previous_subjects {
                    if !draft.inherited.contains(subject) {
                        people.push((subject.clone(), Side::Us));
                    }
                }
            }
            EntityKind::Group => {
                // The people named just before in this sentence, else the
                // last ones named before it.
                let earlier: Vec<(Person, Side)> = entities
                    .iter()
                    .filter(|o| o.last < entity.first)
                    .filter_map(|o| match &o.kind {
                        EntityKind::Person(p) => Some((p.clone(), side_of(p))),
                        _ => None,
                    })
                    .collect();
                if earlier.len() >= 2 {
                    people.extend(earlier[earlier.len() - 2..].iter().cloned());
                } else {
                    people.extend(ctx.recent_people.iter().cloned());
                }
            }
            EntityKind::Org(org) => {
                let prep = governing_preposition(tokens, entities, entity);
                let sidelines = (1..=4).any(|k| {
                    entity.first >= k
                        && matches!(
                            tokens[entity.first - k].lower().as_str(),
                            "margins" | "margin" | "sidelines" | "sideline"
                        )
                });
                match prep.as_deref() {
                    Some("on" | "about" | "regarding" | "concerning" | "over" | "against") => {}
                    // "at the G7 summit": where a bilateral meeting took place.
                    Some("at" | "during") => venues.push(org.clone()),
                    _ if sidelines => venues.push(org.clone()),
                    _ => organizations.push(org.clone()),
                }
            }
            EntityKind::City(country) => {
                // A city says where a visit went, not who took part.
                let prep = governing_preposition(tokens, entities, entity);
                if is_visit
                    && (matches!(prep.as_deref(), Some("to" | "in" | "into"))
                        || after_visit_verb(tokens, entity))
                {
                    destinations.push(country.clone());
                    countries.push(country.clone());
                }
            }
            EntityKind::Countries(list) => {
                let prep = governing_preposition(tokens, entities, entity);
                match prep.as_deref() {
                    Some("to" | "in") if is_visit => {
                        destinations.extend(list.iter().cloned());
                        countries.extend(list.iter().cloned());
                    }
                    Some("in") => locations.extend(list.iter().cloned()),
                    None if is_visit && after_visit_verb(tokens, entity) => {
                        destinations.extend(list.iter().cloned());
                        countries.extend(list.iter().cloned());
                    }
                    Some("with" | "between" | "including" | "among" | "amongst") | None => {
                        countries.extend(list.iter().cloned())
                    }
                    _ => {}
                }
            }
        }
    }
    if let Some(org) = &ctx.label_org {
        organizations.push(org.clone());
    }
    dedupe_people(&mut people);
    // "a visit to Washington" still makes the frame a visit; only foreign
    // places are destinations of a U.S. trip.
    let destination = !destinations.is_empty();
    destinations.retain(|c| c != "United States");
    dedupe(&mut destinations);
    // "met with Prime Minister Morita in Tokyo": a host nobody places
    // elsewhere belongs to the one country the trip went to.
    if let [only] = destinations.as_slice() {
        for (p, side) in people.iter_mut() {
            if *side == Side::Counterpart && p.country.is_none() && p.org.is_none() {
                p.country = Some(only.clone());
            }
        }
    }
    let counterpart_people: Vec<&Person> = people
        .iter()
        .filter(|(_, s)| *s == Side::Counterpart)
        .map(|(p, _)| p)
        .collect();
    for p in &counterpart_people {
        if let Some(c) = &p.country {
            countries.push(c.clone());
        }
    }
    if counterpart_people.is_empty() {
        // A multilateral meeting: its venue and host country take part.
        countries.extend(locations);
        organizations.extend(venues);
    }
    countries.retain(|c| c != "United States");
    dedupe(&mut countries);
    dedupe_orgs(&mut organizations);

    // "hosted X": a guest must follow the word.
    if draft.keywords.iter().all(|k| k.hosting) {
        let host_word = first_keyword;
        let guest = draft.entities.iter().any(|&e| {
            entities[e].first > host_word
                && matches!(&entities[e].kind, EntityKind::Person(p) if p.side != Some(Side::Us))
        });
        if !guest {
            return Err(Rejected::NoGuest);
        }
    }
    let has_us = people.iter().any(|(_, s)| *s == Side::Us);
    let has_counterpart =
        !counterpart_people.is_empty() || !organizations.is_empty() || !countries.is_empty();
    // "X call with the ambassadors …": an object nobody names still makes it an engagement.
    let with_object = tokens[first_keyword..tokens.len().min(clause_end + 3)]
        .iter()
        .any(|t| t.is("with"));
    if !(has_counterpart || ctx.marker.is_some() && has_us && with_object) {
        return Err(Rejected::NoCounterpart);
    }

    let kind = if is_visit && (destination || counterpart_people.is_empty()) {
        Kind::Visit
    } else if draft.keywords.iter().any(|k| k.video) {
        Kind::VideoCall
    } else if draft.keywords.iter().any(|k| k.kind == Kind::Call) {
        Kind::Call
    } else {
        Kind::Meeting
    };
    let planned = future
        || ctx.planned_section
        || matches!((date, ctx.published), (Some(d), Some(p)) if d > p);
    // A month or day written without its year takes the nearest past one
    // (a January fact sheet's "November 29"), but an announced engagement
    // lies ahead: "traveling to Canada in March" in January is this March.
    let (date, end_date) = match (date, ctx.published) {
        (Some(d), Some(p))
            if future
                && (p - d).num_days() > FUTURE_SLACK_DAYS
                && !year_written(ctx.text, dates, draft) =>
        {
            let ahead = |d: NaiveDate| d.checked_add_months(chrono::Months::new(12));
            (ahead(d), end_date.and_then(ahead))
        }
        _ => (date, end_date),
    };
    Ok(Frame {
        kind,
        status: if planned {
            Status::Planned
        } else {
            Status::Held
        },
        date,
        end_date,
        precision,
        people,
        organizations,
        countries,
        destinations,
        first_token: draft.first_token,
        last_token: clause_end,
        explicit_date: explicit,
        continuation: is_continuation(tokens, draft),
    })
}

/// Whether a date expression of the frame writes its year ("March 2024").
fn year_written(text: &str, dates: &[DateExpr], draft: &Draft) -> bool {
    draft.dates.iter().filter_map(|&d| dates.get(d)).any(|e| {
        text.get(e.start..e.end).is_some_and(|span| {
            span.split(|c: char| !c.is_ascii_digit())
                .any(|run| run.len() == 4)
        })
    })
}

fn precision_of(d: &DateExpr) -> DatePrecision {
    match (d.date, d.precision) {
        (None, _) => DatePrecision::Unknown,
        (Some(_), dates::Precision::Day) => DatePrecision::Day,
        (Some(_), dates::Precision::Month) => DatePrecision::Month,
        (Some(_), dates::Precision::Year) => DatePrecision::Year,
    }
}

/// The frame's own date: the first after its keyword, else the last before;
/// a weekday read in the tense of the clause.
fn pick_date(
    draft: &Draft,
    dates: &[DateExpr],
    tokens: &[Token],
    ctx: &Context,
    keyword: usize,
) -> Option<(NaiveDate, Option<NaiveDate>, DatePrecision)> {
    let tokens_of = |d: &DateExpr| token_at(tokens, ctx.offset + d.start);
    let chosen = draft
        .dates
        .iter()
        .map(|&i| &dates[i])
        .filter(|d| d.date.is_some())
        .find(|d| tokens_of(d) > keyword)
        .or_else(|| {
            draft
                .dates
                .iter()
                .map(|&i| &dates[i])
                .rfind(|d| d.date.is_some())
        })?;
    let mut date = chosen.date?;
    let mut end_date = chosen.end_date;
    // The tense of everything up to the frame's end says which way a year goes.
    let window = &tokens[..tokens.len().min(draft.last_token + 6)];
    let future_clause = window.iter().any(|t| kinds::is_future_marker(&t.lower()));
    let span = &ctx.text[chosen.start..chosen.end];
    let year_written = span
        .split(|c: char| !c.is_ascii_digit())
        .any(|n| n.len() == 4);
    if let (Some(reference), false, false) = (ctx.published, chosen.relative, year_written) {
        // A day without a year: in the past unless the clause announces it.
        let shift = |d: NaiveDate, years: i32| d.with_year(d.year() + years);
        if !future_clause && date > reference {
            if let Some(earlier) = shift(date, -1) {
                end_date = end_date.and_then(|e| shift(e, -1));
                date = earlier;
            }
        } else if future_clause
            && date < reference
            && reference.signed_duration_since(date).num_days() > 31
        {
            if let Some(later) = shift(date, 1) {
                end_date = end_date.and_then(|e| shift(e, 1));
                date = later;
            }
        }
    }
    if chosen.relative && dates::weekday_direction(&ctx.text[chosen.start..chosen.end]).is_none() {
        if let (Some(weekday), Some(reference)) = (
            dates::weekday_in(&ctx.text[chosen.start..chosen.end]),
            ctx.published,
        ) {
            let future = future_clause
                && !window
                    .iter()
                    .any(|t| matches!(t.lower().as_str(), "was" | "were" | "had"));
            let tense = if future { Tense::Future } else { Tense::Past };
            date = dates::resolve_weekday(weekday, reference, tense);
        }
    }
    Some((date, end_date, precision_of(chosen)))
}

fn dedupe(list: &mut Vec<String>) {
    let mut seen = HashSet::new();
    list.retain(|c| seen.insert(c.clone()));
}

fn dedupe_orgs(list: &mut Vec<OrgRef>) {
    let mut seen = HashSet::new();
    list.retain(|o| seen.insert(o.name.to_lowercase()));
}

fn dedupe_people(list: &mut Vec<(Person, Side)>) {
    let mut seen = HashSet::new();
    list.retain(|(p, _)| seen.insert(crate::gazetteer::name_key(&p.name)));
}
