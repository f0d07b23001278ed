//! Pure text → mentions: detects a document's shape, reads its header, splits
//! it into items and finds every engagement each item reports. Never touches
//! the database or the file system.

pub mod dates;
mod entities;
mod frames;
mod header;
mod items;
mod kinds;
pub(crate) mod lexicon;
mod markup;
mod tokens;
mod venues;

use std::fmt::Write as _;

use crate::gazetteer::Gazetteer;
use crate::model::{DatePrecision, Kind, Mention, ParsedDocument, PersonRef, Shape, Side};
use entities::{EntityKind, Person};
use header::HeaderKind;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IngestError {
    #[error("the document is empty")]
    Empty,
    #[error("line {line}: front matter: {reason}")]
    FrontMatter { line: usize, reason: String },
    #[error("the document has a header but no text after it")]
    NoBody,
    #[error("{items} items (bullets, dated entries, sentences), over the limit of {limit} per document (--max-items)")]
    TooManyItems { items: usize, limit: usize },
}

/// Parses one document's text into its shape, header facts and mentions.
pub fn parse(name: &str, text: &str, gazetteer: &Gazetteer) -> Result<ParsedDocument, IngestError> {
    run(name, text, gazetteer, None, usize::MAX)
}

/// [`parse`], refusing a document of more than `max_items` items before
/// the work that grows with them (see `crate::limits`).
pub fn parse_bounded(
    name: &str,
    text: &str,
    gazetteer: &Gazetteer,
    max_items: usize,
) -> Result<ParsedDocument, IngestError> {
    run(name, text, gazetteer, None, max_items)
}

/// Parses a document and tells, item by item, what was read and found:
/// the text, the actors, the engagement words and the engagements.
pub fn explain(name: &str, text: &str, gazetteer: &Gazetteer) -> Result<String, IngestError> {
    let mut trace = String::new();
    run(name, text, gazetteer, Some(&mut trace), usize::MAX)?;
    Ok(trace)
}

fn run(
    name: &str,
    text: &str,
    gazetteer: &Gazetteer,
    mut trace: Option<&mut String>,
    max_items: usize,
) -> Result<ParsedDocument, IngestError> {
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    let mut header = header::read(text)?;
    let clean = markup::clean(text, header.body_start);
    if clean.text.trim().is_empty() {
        return Err(IngestError::NoBody);
    }
    let items = items::split(&clean.text);
    if items.len() > max_items {
        return Err(IngestError::TooManyItems {
            items: items.len(),
            limit: max_items,
        });
    }
    if header.meta.published.is_none() {
        header.meta.published = dateline(&clean.text, &items);
    }
    let shape = shape_of(header.kind, &items);
    let published = header.meta.published;
    if let Some(t) = trace.as_deref_mut() {
        let _ = writeln!(
            t,
            "{name}: shape {shape}, published {}, title {:?}, {} items",
            published.map_or("unknown".into(), |d| d.to_string()),
            header.meta.title.as_deref().unwrap_or(""),
            items.len()
        );
    }

    let mut mentions: Vec<Mention> = Vec::new();
    // Summits attended, known from the bilateral meetings held at them:
    // undated (the bilateral's day need not be the summit's), kept apart
    // from the undated-mention rules below.
    let mut venue_mentions: Vec<Mention> = Vec::new();
    let author = author_of(header.meta.title.as_deref(), gazetteer, published);
    let title_says_meeting = header.meta.title.as_deref().is_some_and(|t| {
        let t = t.to_lowercase();
        lexicon::MEETING_TITLE.iter().any(|w| t.contains(w))
    });
    let mut previous_subjects: Vec<Person> = Vec::new();
    let mut memory = entities::Memory::new();
    let mut recent_people: Vec<(Person, Side)> = Vec::new();
    for (number, item) in items.iter().enumerate() {
        // Pronouns reach back across paragraphs too: news paragraphs are short.
        let item_text = &clean.text[item.start..item.end];
        // A question reports nothing ("Will you meet him today?").
        if item_text
            .trim_end_matches(['"', '”', '’', ')'])
            .ends_with('?')
        {
            continue;
        }
        let tokens = tokens::tokenize(&clean.text, item.start, item.end);
        let marker = item.date_marker.and_then(|(s, e)| {
            dates::find_dates(&clean.text[s..e], published)
                .into_iter()
                .next()
        });
        let hint = marker.as_ref().and_then(|m| m.date).or(published);
        let found = entities::find(&tokens, gazetteer, hint, &memory);
        entities::remember(&mut memory, &found);
        let keywords = kinds::find(&tokens);
        let label = item.label.as_deref();
        let planned_section = item.section.as_deref().is_some_and(|s| {
            let s = s.to_lowercase();
            [
                "upcoming",
                "planned",
                "scheduled",
                "future",
                "forthcoming",
                "next week",
            ]
            .iter()
            .any(|w| s.contains(w))
        });
        let ctx = frames::Context {
            published,
            marker: marker.as_ref(),
            text: item_text,
            offset: item.start,
            planned_section,
            // A "With Japan:" label, else a section headed by a country ("Panama").
            label_country: label
                .or(item.section.as_deref())
                .and_then(|l| gazetteer.country(l))
                .map(|c| c.name.clone()),
            label_org: label.and_then(|l| gazetteer.organization(l)).map(|o| {
                crate::model::OrgRef {
                    name: o.name.clone(),
                    short_name: o.short_name.clone(),
                }
            }),
            previous_subjects: &previous_subjects,
            recent_people: &recent_people,
        };
        let frames::Assembled { frames, rejected } =
            frames::assemble(&tokens, &found, &keywords, &ctx);
        let summits = venues::summits(&tokens, &found);
        if let Some(t) = trace.as_deref_mut() {
            if !found.is_empty() || !keywords.is_empty() {
                let _ = writeln!(t, "\n#{number} {}", items::fold(item_text));
                for e in &found {
                    let _ = writeln!(t, "    actor   {}", describe_entity(&e.kind));
                }
                for k in &keywords {
                    let _ = writeln!(
                        t,
                        "    word    {:?} {}{}",
                        tokens[k.token].text,
                        k.kind,
                        if k.weak { " (weak)" } else { "" }
                    );
                }
                for reason in &rejected {
                    let _ = writeln!(t, "    => rejected: {}", reason.describe());
                }
                if frames.is_empty() && rejected.is_empty() {
                    let _ = writeln!(
                        t,
                        "    => no engagement: {}",
                        silent_reason(&found, &keywords)
                    );
                }
            }
        }
        for frame in &frames {
            // More about the engagement just reported: add to it.
            if frame.continuation && frame.date.is_none() {
                if let Some(previous) = mentions.last_mut() {
                    if previous.kind == frame.kind || frame.kind == crate::model::Kind::Meeting {
                        extend_mention(previous, frame);
                        if let Some(t) = trace.as_deref_mut() {
                            let _ = writeln!(t, "    => adds to the engagement before");
                        }
                        continue;
                    }
                }
            }
            let mut mention = to_mention(frame, item, item_text, &tokens, &clean, &header.meta);
            // "Today I met with …" in the President's own statement.
            if let Some(author) = &author {
                let first_person = tokens.iter().any(|t| t.text == "I" || t.text == "I’ve");
                if first_person && !mention.people.iter().any(|p| p.side == Side::Us) {
                    mention.people.insert(0, author.clone());
                }
            }
            let by_phone = tokens
                .iter()
                .any(|t| lexicon::PHONE_WORDS.contains(&t.lower().as_str()));
            // "spoke with X on the margins of the summit", or under a title
            // that calls it a meeting: they met in person.
            if mention.kind == Kind::Call
                && !by_phone
                && (!summits.is_empty() || title_says_meeting)
            {
                mention.kind = Kind::Meeting;
            }
            if let Some(t) = trace.as_deref_mut() {
                let _ = writeln!(t, "    => {}", describe_mention(&mention));
            }
            for org in &summits {
                let attends = mention.people.iter().any(|p| p.side == Side::Us)
                    && mention.kind == Kind::Meeting
                    && !mention.organizations.contains(org);
                if attends {
                    let summit = summit_mention(&mention, org);
                    if let Some(t) = trace.as_deref_mut() {
                        let _ = writeln!(t, "    => at the venue: {}", describe_mention(&summit));
                    }
                    venue_mentions.push(summit);
                }
            }
            mentions.push(mention);
        }
        update_recent(&mut recent_people, &found, frames.last());
        if let Some(last) = frames.last() {
            let subjects: Vec<Person> = last
                .people
                .iter()
                .filter(|(_, side)| *side == Side::Us)
                .map(|(p, _)| p.clone())
                .collect();
            if !subjects.is_empty() {
                previous_subjects = subjects;
            }
        }
    }

    let before = mentions.len();
    settle_undated(&mut mentions, published, header.meta.title.as_deref());
    mentions.extend(venue_mentions);
    if let Some(t) = trace {
        let _ = writeln!(
            t,
            "\n{} engagements ({} undated mentions of a dated document dropped or dated)",
            mentions.len(),
            before - mentions.len()
        );
    }
    Ok(ParsedDocument {
        shape,
        meta: header.meta,
        mentions,
    })
}

/// Why an item with actors or engagement words made no engagement and no
/// rule rejected one: what it lacks.
fn silent_reason(found: &[entities::Entity], keywords: &[kinds::Keyword]) -> &'static str {
    if keywords.is_empty() {
        "no engagement word"
    } else if found.is_empty() {
        "no actor"
    } else {
        "engagement word with no participant beside it"
    }
}

/// The two people most recently named: the last engagement's people when
/// it had two or more, else the last two people the text named.
fn update_recent(
    recent: &mut Vec<(Person, Side)>,
    found: &[entities::Entity],
    frame: Option<&frames::Frame>,
) {
    if let Some(frame) = frame.filter(|f| f.people.len() >= 2) {
        *recent = frame.people.clone();
        return;
    }
    for e in found {
        if let EntityKind::Person(p) = &e.kind {
            recent.retain(|(q, _)| q.name != p.name);
            recent.push((p.clone(), frames::side_of(p)));
        }
    }
    let excess = recent.len().saturating_sub(2);
    recent.drain(..excess);
}

/// Adds a continuation's people, bodies and countries to a mention.
fn extend_mention(mention: &mut Mention, frame: &frames::Frame) {
    for (p, side) in &frame.people {
        let key = crate::gazetteer::name_key(&p.name);
        if mention
            .people
            .iter()
            .any(|q| crate::gazetteer::name_key(&q.name) == key)
        {
            continue;
        }
        mention.people.push(PersonRef {
            name: p.name.clone(),
            title: p.title.clone(),
            country: if *side == Side::Us {
                Some("United States".into())
            } else {
                p.country.clone()
            },
            side: *side,
        });
    }
    for org in &frame.organizations {
        if !mention.organizations.iter().any(|o| o.name == org.name) {
            mention.organizations.push(org.clone());
        }
    }
    for country in &frame.countries {
        if !mention.countries.contains(country) {
            mention.countries.push(country.clone());
        }
    }
}

fn shape_of(header: HeaderKind, items: &[items::Item]) -> Shape {
    let mut per_block: std::collections::HashMap<usize, usize> = Default::default();
    for item in items.iter().filter(|i| i.date_marker.is_some()) {
        *per_block.entry(item.block).or_default() += 1;
    }
    let run_on = per_block.values().any(|&n| n >= 3);
    match header {
        HeaderKind::FrontMatter => Shape::FrontMatter,
        _ if run_on => Shape::RunOn,
        HeaderKind::DateLine => Shape::DateLine,
        HeaderKind::None => Shape::Headerless,
    }
}

fn to_mention(
    frame: &frames::Frame,
    item: &items::Item,
    item_text: &str,
    tokens: &[tokens::Token],
    clean: &markup::Clean,
    meta: &crate::model::DocumentMeta,
) -> Mention {
    let doc_url = meta.source_url.as_deref();
    let byte_range = |first: usize, last: usize| {
        let s = tokens.get(first).map_or(item.start, |t| t.start);
        let e = tokens.get(last).map_or(item.end, |t| t.end);
        (s, e)
    };
    let (fs, fe) = byte_range(frame.first_token, frame.last_token);
    let in_item: Vec<&markup::Link> = clean
        .links
        .iter()
        .filter(|l| l.start < item.end && l.end > item.start)
        .collect();
    // The link under the frame's last words (its counterpart), else any link
    // of the frame, else the item's first, else the document's own URL.
    let url = in_item
        .iter()
        .filter(|l| l.start < fe && l.end >= fe.saturating_sub(1))
        .chain(in_item.iter().filter(|l| l.start < fe && l.end > fs))
        .chain(in_item.iter())
        .map(|l| l.url.clone())
        .next()
        .or_else(|| doc_url.map(str::to_string));
    Mention {
        date: frame.date,
        end_date: frame.end_date,
        precision: if frame.date.is_some() {
            frame.precision
        } else {
            DatePrecision::Unknown
        },
        kind: frame.kind,
        status: frame.status,
        people: frame
            .people
            .iter()
            .map(|(p, side)| PersonRef {
                name: p.name.clone(),
                title: p.title.clone(),
                country: if *side == Side::Us {
                    Some("United States".into())
                } else {
                    p.country.clone()
                },
                side: *side,
            })
            .collect(),
        organizations: frame.organizations.clone(),
        countries: frame.countries.clone(),
        excerpt: items::fold(item_text),
        start: clean.original(item.start),
        end: clean.original(item.end),
        url,
        listed: item.date_marker.is_some(),
        published: meta.published,
    }
}

/// The U.S. official who speaks in the first person in a document whose
/// title says it is theirs: "Statement by President X on …", "Remarks by
/// the Vice President …".
fn author_of(
    title: Option<&str>,
    gazetteer: &Gazetteer,
    published: Option<chrono::NaiveDate>,
) -> Option<PersonRef> {
    let title = title?;
    let lower = title.to_lowercase();
    let cut = lexicon::AUTHORED_TITLE
        .iter()
        .find_map(|w| lower.starts_with(w).then_some(w.len()))?;
    let rest = &title[cut..];
    let tokens = tokens::tokenize(rest, 0, rest.len());
    // "Statement of the President on …": the office's holder that day.
    let office = rest
        .trim_start()
        .strip_prefix("the ")
        .unwrap_or(rest.trim_start());
    for title in ["Vice President", "President"] {
        // The bare office: "the President on …", not "President Joe Biden".
        let bare = office.strip_prefix(title).is_some_and(|after| {
            !after.starts_with(char::is_alphabetic)
                && after
                    .split_whitespace()
                    .next()
                    .is_none_or(|w| w.starts_with(char::is_lowercase))
        });
        if bare {
            let holder = gazetteer.office_holder(title, "United States", published?)?;
            return Some(PersonRef {
                name: holder.name.clone(),
                title: Some(title.to_string()),
                country: Some("United States".into()),
                side: Side::Us,
            });
        }
    }
    let found = entities::find(&tokens, gazetteer, published, &entities::Memory::new());
    found.into_iter().find_map(|e| match e.kind {
        EntityKind::Person(p) if p.side == Some(Side::Us) && e.first <= 2 => Some(PersonRef {
            name: p.name,
            title: p.title,
            country: Some("United States".into()),
            side: Side::Us,
        }),
        _ => None,
    })
}

/// The summit a U.S. official attended, as the bilateral `held_at` it
/// reports: the same officials, the body, no day of its own.
fn summit_mention(held_at: &Mention, org: &crate::model::OrgRef) -> Mention {
    Mention {
        date: None,
        end_date: None,
        precision: DatePrecision::Unknown,
        kind: Kind::Meeting,
        people: held_at
            .people
            .iter()
            .filter(|p| p.side == Side::Us)
            .cloned()
            .collect(),
        organizations: vec![org.clone()],
        countries: Vec::new(),
        listed: false,
        ..held_at.clone()
    }
}

/// In a dated document, an undated mention either repeats a dated one (a
/// summary line: dropped), is a readout's own event (dated the day of
/// publication), or names no day a reader could give it (dropped).
fn settle_undated(
    mentions: &mut Vec<Mention>,
    published: Option<chrono::NaiveDate>,
    title: Option<&str>,
) {
    if published.is_none() {
        return;
    }
    let readout = title.is_some_and(|t| {
        let t = t.to_lowercase();
        [
            "readout",
            "call with",
            "meeting with",
            "meets with",
            "spoke with",
            "visit to",
            "trip to",
        ]
        .iter()
        .any(|w| t.contains(w))
    });
    let keys = |m: &Mention| -> Vec<String> {
        m.people
            .iter()
            .filter(|p| p.side == Side::Counterpart)
            .map(|p| crate::gazetteer::name_key(p.name.split(' ').next_back().unwrap_or("")))
            .chain(m.organizations.iter().map(|o| o.name.to_lowercase()))
            .collect()
    };
    // A summary line repeats a dated entry: same kind, a shared counterpart,
    // and no country the entry does not have.
    let dated: Vec<(Vec<String>, &Mention)> = mentions
        .iter()
        .filter(|m| m.date.is_some())
        .map(|m| (keys(m), m))
        .collect();
    let repeats = |m: &Mention| {
        let mine = keys(m);
        !mine.is_empty()
            && dated.iter().any(|(keys, d)| {
                d.kind == m.kind
                    && mine.iter().any(|k| keys.contains(k))
                    && m.countries.iter().all(|c| d.countries.contains(c))
            })
    };
    let repeated: Vec<bool> = mentions
        .iter()
        .map(|m| m.date.is_none() && repeats(m))
        .collect();
    let mut kept = Vec::with_capacity(mentions.len());
    for (m, repeated) in mentions.drain(..).zip(repeated) {
        if m.date.is_some() {
            kept.push(m);
            continue;
        }
        if repeated {
            continue;
        }
        if is_vague_time(&m.excerpt) {
            // "next week", "in the coming days": an event, but no day to give.
            kept.push(m);
        } else if readout {
            // A readout's own event with no "today" gives no day
            // (CONVENTIONS: "welcomed X to the White House" is undated).
            kept.push(m);
        }
    }
    *mentions = kept;
}

/// The publication day a headerless news release gives in its first lines:
/// a dateline ("WASHINGTON, Nov. 17, 2015 — …") or a "Published on
/// March 3, 2024" line. Only a full date with its year counts.
fn dateline(text: &str, items: &[items::Item]) -> Option<chrono::NaiveDate> {
    items.iter().take(4).find_map(|item| {
        let item_text = &text[item.start..item.end];
        let head = match item_text.find(['—', '–']).or_else(|| item_text.find(" - ")) {
            Some(dash) if dash <= 120 => &item_text[..dash],
            _ => {
                let lower = item_text.to_lowercase();
                if !lexicon::PUBLISHED_LINE.iter().any(|w| lower.starts_with(w)) {
                    return None;
                }
                // At most 80 bytes, cut on a character boundary (found by tests/api/fuzz.rs).
                let mut cut = item_text.len().min(80);
                while !item_text.is_char_boundary(cut) {
                    cut -= 1;
                }
                &item_text[..cut]
            }
        };
        dates::find_dates(head, None).into_iter().find_map(|d| {
            let explicit = !d.relative && d.precision == dates::Precision::Day;
            let year_written = head[d.start..d.end]
                .chars()
                .filter(char::is_ascii_digit)
                .count()
                >= 4;
            (explicit && year_written).then_some(d.date).flatten()
        })
    })
}

/// Time words that place an engagement without naming its day.
fn is_vague_time(text: &str) -> bool {
    let text = text.to_lowercase();
    [
        "next week",
        "last week",
        "this week",
        "coming days",
        "coming weeks",
        "later this month",
        "earlier this month",
        "later this year",
        "next month",
        "last month",
    ]
    .iter()
    .any(|w| text.contains(w))
}

fn describe_entity(kind: &EntityKind) -> String {
    match kind {
        EntityKind::Person(p) => format!(
            "person {:?} title {:?} country {:?} org {:?} side {:?}",
            p.name,
            p.title.as_deref().unwrap_or(""),
            p.country.as_deref().unwrap_or(""),
            p.org.as_ref().map_or("", |o| o.name.as_str()),
            p.side
        ),
        EntityKind::Org(o) => format!("organisation {:?}", o.name),
        EntityKind::Countries(c) => format!("countries {c:?}"),
        EntityKind::City(c) => format!("city in {c}"),
        EntityKind::Pronoun => "pronoun".into(),
        EntityKind::Group => "group of the people just named".into(),
    }
}

fn describe_mention(m: &Mention) -> String {
    let date = match (m.date, m.end_date) {
        (Some(d), Some(e)) => format!("{d}..{e}"),
        (Some(d), None) => d.to_string(),
        _ => "undated".into(),
    };
    let people: Vec<String> = m
        .people
        .iter()
        .map(|p| {
            format!(
                "{}{} ({})",
                if p.side == Side::Us { "US " } else { "" },
                p.name,
                p.country.as_deref().unwrap_or("?")
            )
        })
        .collect();
    let orgs: Vec<&str> = m.organizations.iter().map(|o| o.name.as_str()).collect();
    format!(
        "{date} {} {} | people: {} | organisations: {} | countries: {} | url: {}",
        m.kind,
        m.status,
        people.join(", "),
        orgs.join(", "),
        m.countries.join(", "),
        m.url.as_deref().unwrap_or("-")
    )
}

#[cfg(test)]
mod cases;
#[cfg(test)]
mod tests;
