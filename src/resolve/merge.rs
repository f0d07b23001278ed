//! One engagement per real-world event. Mentions merge when they fall on the
//! same days, are of the same kind and share a counterpart — a person, a body
//! or a country — and, where both name U.S. officials, share one of those
//! too (so two officials' separate meetings with one minister stay apart,
//! while every report of a multilateral meeting joins). Ids are readable
//! and derived from the content.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use crate::model::{
    slugify, Actor, ActorKind, DatePrecision, Engagement, Kind, Mention, MergeBucket, Participant,
    Side, Source, Status,
};

/// A mention whose actors are canonical.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub document: String,
    pub mention: Mention,
    pub participants: Vec<Participant>,
    pub organizations: Vec<Actor>,
    pub countries: Vec<String>,
}

/// The sets a mention is compared by, computed once per mention.
#[derive(Debug, Default)]
struct Keys {
    us: HashSet<String>,
    counterparts: HashSet<String>,
    people: HashSet<String>,
    orgs: Vec<(String, String, Option<String>)>,
    countries: HashSet<String>,
}

impl Keys {
    fn of(r: &Resolved) -> Keys {
        let slugs = |side: Side| -> HashSet<String> {
            r.participants
                .iter()
                .filter(|p| p.side == side)
                .map(|p| p.actor.slug.clone())
                .collect()
        };
        Keys {
            us: slugs(Side::Us),
            counterparts: slugs(Side::Counterpart),
            people: r
                .participants
                .iter()
                .map(|p| p.actor.slug.clone())
                .collect(),
            orgs: r
                .organizations
                .iter()
                .map(|o| {
                    (
                        o.slug.clone(),
                        o.name.to_lowercase(),
                        o.short_name.as_ref().map(|s| s.to_lowercase()),
                    )
                })
                .collect(),
            countries: r.countries.iter().cloned().collect(),
        }
    }

    /// Whether the two share a body, a body counting as shared with its own
    /// organs ("OSCE Permanent Council" and "OSCE").
    fn shares_org(&self, other: &Keys) -> bool {
        self.orgs.iter().any(|a| {
            other
                .orgs
                .iter()
                .any(|b| a.0 == b.0 || organ_of(&a.1, b) || organ_of(&b.1, a))
        })
    }
}

/// "osce permanent council" is an organ of the OSCE.
fn organ_of(name: &str, parent: &(String, String, Option<String>)) -> bool {
    std::iter::once(parent.1.as_str())
        .chain(parent.2.as_deref())
        .any(|p| name.len() > p.len() && name.starts_with(p) && name.as_bytes()[p.len()] == b' ')
}

/// How strongly two mentions tie: a shared person beats a shared body beats
/// a shared country. Stronger ties merge first.
fn strength(a: &Keys, b: &Keys) -> u8 {
    if !a.counterparts.is_disjoint(&b.counterparts) {
        3
    } else if a.shares_org(b) {
        2
    } else {
        1
    }
}

/// Whether two mentions can be of one event by their dates: the same days,
/// or one of them gives no day (a month only, or nothing: an undated
/// readout, "later this month") and so joins the dated report of the same
/// people in its month.
fn days_agree(a: &Mention, b: &Mention) -> bool {
    let day = |m: &Mention| m.precision == DatePrecision::Day && m.date.is_some();
    match (day(a), day(b)) {
        (true, true) => spans_agree((a.date, a.end_date), (b.date, b.end_date)),
        _ => true,
    }
}

type Days = (Option<NaiveDate>, Option<NaiveDate>);

/// The same days, or a day inside the other's span ("arrives in Paris
/// November 10" of a "November 10-11" trip): the same stay.
fn spans_agree(a: Days, b: Days) -> bool {
    let within = |d: Days, span: Days| match (d, span) {
        ((Some(day), None), (Some(first), Some(last))) => first <= day && day <= last,
        _ => false,
    };
    a == b || within(a, b) || within(b, a)
}

/// Two entries of one dated list are two engagements, however alike.
fn conflict(a: &Resolved, b: &Resolved) -> bool {
    a.document == b.document
        && a.mention.listed
        && b.mention.listed
        && a.mention.start != b.mention.start
}

/// Whether two mentions (of the same days and kind) report the same engagement.
fn same_event(a: &Resolved, b: &Resolved, ka: &Keys, kb: &Keys) -> bool {
    if conflict(a, b) {
        return false;
    }
    let us_agree = ka.us.is_empty() || kb.us.is_empty() || !ka.us.is_disjoint(&kb.us);
    // A body's summit and a bilateral meeting on its margins are two
    // events, though the summit's report names the bilateral's guest.
    let bilateral = |k: &Keys| k.orgs.is_empty() && !k.counterparts.is_empty();
    if (ka.orgs.is_empty() != kb.orgs.is_empty()) && (bilateral(ka) || bilateral(kb)) {
        return false;
    }
    if ka.shares_org(kb) {
        return true;
    }
    if !us_agree {
        return false;
    }
    // One document's visits by the same officials on agreeing days are the
    // legs of one trip (CONVENTIONS: one visit per trip, every country).
    if a.mention.kind == Kind::Visit
        && a.document == b.document
        && !ka.us.is_empty()
        && !ka.us.is_disjoint(&kb.us)
    {
        return true;
    }
    if !ka.counterparts.is_disjoint(&kb.counterparts) {
        // Sharing one person is not enough: "A met B" and "B met C" the same
        // day are two meetings. One report's people must be among the other's.
        return ka.people.is_subset(&kb.people) || kb.people.is_subset(&ka.people);
    }
    if (ka.counterparts.is_empty() || kb.counterparts.is_empty())
        && !ka.countries.is_disjoint(&kb.countries)
    {
        return true;
    }
    // Both name only U.S. officials ("X's call with ambassadors"): the same
    // officials on the same day with nobody named on the other side.
    ka.counterparts.is_empty()
        && kb.counterparts.is_empty()
        && ka.orgs.is_empty()
        && kb.orgs.is_empty()
        && ka.countries.is_empty()
        && kb.countries.is_empty()
        && !ka.us.is_empty()
        && ka.us == kb.us
}

/// Merges resolved mentions into engagements with permanent ids.
pub fn engagements(resolved: Vec<Resolved>) -> Vec<Engagement> {
    // Only mentions of one merge bucket (`Mention::merge_bucket`, the unit
    // of incremental import) and of one kind can merge; within it, only
    // mentions whose days agree (`days_agree`).
    type Bucket = (MergeBucket, Kind);
    let mut buckets: BTreeMap<Bucket, Vec<usize>> = BTreeMap::new();
    for (i, r) in resolved.iter().enumerate() {
        let m = &r.mention;
        buckets
            .entry((m.merge_bucket(), m.kind))
            .or_default()
            .push(i);
    }
    let keys: Vec<Keys> = resolved.iter().map(Keys::of).collect();
    // Candidate pairs, strongest ties first; clusters join only while no two
    // of their members conflict.
    let mut pairs: Vec<(u8, usize, usize)> = Vec::new();
    for members in buckets.values() {
        for (x, &i) in members.iter().enumerate() {
            for &j in &members[x + 1..] {
                if days_agree(&resolved[i].mention, &resolved[j].mention)
                    && same_event(&resolved[i], &resolved[j], &keys[i], &keys[j])
                {
                    pairs.push((strength(&keys[i], &keys[j]), i, j));
                }
            }
        }
    }
    pairs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut cluster_of: Vec<usize> = (0..resolved.len()).collect();
    let mut clusters: BTreeMap<usize, Vec<usize>> =
        (0..resolved.len()).map(|i| (i, vec![i])).collect();
    // Each cluster's dated-list entries, by document: two clusters clash when
    // they hold different entries of one list.
    let mut listed: Vec<HashMap<String, HashSet<usize>>> = resolved
        .iter()
        .map(|r| {
            let mut map = HashMap::new();
            if r.mention.listed {
                map.insert(r.document.clone(), HashSet::from([r.mention.start]));
            }
            map
        })
        .collect();
    // Each cluster's days, where a member gives them: an undated report
    // must not bridge two reports of different days.
    let mut days: Vec<Option<Days>> = resolved
        .iter()
        .map(|r| {
            let m = &r.mention;
            (m.precision == DatePrecision::Day && m.date.is_some()).then_some((m.date, m.end_date))
        })
        .collect();
    for (_, i, j) in pairs {
        let (ci, cj) = (cluster_of[i], cluster_of[j]);
        if ci == cj {
            continue;
        }
        let clash = listed[ci].iter().any(|(doc, starts)| {
            listed[cj]
                .get(doc)
                .is_some_and(|other| starts.union(other).nth(1).is_some())
        }) || matches!((days[ci], days[cj]), (Some(a), Some(b)) if !spans_agree(a, b));
        if clash {
            continue;
        }
        let (keep, gone) = (ci.min(cj), ci.max(cj));
        let moved = clusters.remove(&gone).unwrap_or_default();
        for &m in &moved {
            cluster_of[m] = keep;
        }
        clusters.entry(keep).or_default().extend(moved);
        days[keep] = match (days[keep], days[gone]) {
            // The span, where one member gives it, stands for the cluster.
            (Some(a), Some(b)) if b.1.is_some() && a.1.is_none() => Some(b),
            (a, b) => a.or(b),
        };
        let gone_listed = std::mem::take(&mut listed[gone]);
        for (doc, starts) in gone_listed {
            listed[keep].entry(doc).or_default().extend(starts);
        }
    }
    let groups: Vec<Vec<usize>> = clusters
        .into_values()
        .map(|mut members| {
            members.sort_unstable();
            members
        })
        .collect();

    let mut out: Vec<Engagement> = groups
        .into_iter()
        .map(|members| build(members.iter().map(|&i| &resolved[i]).collect()))
        .collect();
    assign_ids(&mut out);
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    out
}

fn build(members: Vec<&Resolved>) -> Engagement {
    let first = &members[0].mention;
    let mut participants: Vec<Participant> = Vec::new();
    let mut organizations: Vec<Actor> = Vec::new();
    let mut countries: Vec<String> = Vec::new();
    let mut sources = Vec::new();
    for r in &members {
        for p in &r.participants {
            match participants
                .iter_mut()
                .find(|q| q.actor.slug == p.actor.slug)
            {
                // The fullest office any source writes ("Secretary of State"
                // over "Secretary"), the same whatever the sources' order.
                Some(q) => {
                    let longer = |a: &Option<String>, b: &Option<String>| {
                        let (la, lb) = (a.as_deref().unwrap_or(""), b.as_deref().unwrap_or(""));
                        la.len() > lb.len() || (la.len() == lb.len() && la < lb)
                    };
                    if longer(&p.title, &q.title) {
                        q.title = p.title.clone();
                    }
                }
                None => participants.push(p.clone()),
            }
        }
        for o in &r.organizations {
            if !organizations.iter().any(|q| q.slug == o.slug) {
                organizations.push(o.clone());
            }
        }
        for c in &r.countries {
            if !countries.contains(c) {
                countries.push(c.clone());
            }
        }
        sources.push(Source {
            document: r.document.clone(),
            url: r.mention.url.clone(),
            excerpt: r.mention.excerpt.clone(),
            start: r.mention.start,
            end: r.mention.end,
        });
    }
    // U.S. side first, each side in the order the sources name them.
    participants.sort_by_key(|p| p.side != Side::Us);
    let status = if members.iter().any(|r| r.mention.status == Status::Held) {
        Status::Held
    } else {
        Status::Planned
    };
    let precision = members
        .iter()
        .map(|r| r.mention.precision)
        .min_by_key(|p| match p {
            DatePrecision::Day => 0,
            DatePrecision::Month => 1,
            DatePrecision::Year => 2,
            DatePrecision::Unknown => 3,
        })
        .unwrap_or(DatePrecision::Unknown);
    // The date of the most precise source: a readout's day over a fact
    // sheet's month.
    let dated = members
        .iter()
        .map(|r| &r.mention)
        .filter(|m| m.precision == precision)
        .max_by_key(|m| (m.end_date.is_some(), std::cmp::Reverse(m.date)))
        .unwrap_or(first);
    Engagement {
        id: String::new(),
        date: dated.date,
        end_date: dated.end_date,
        precision,
        kind: first.kind,
        status,
        participants,
        organizations,
        countries,
        sources,
    }
}

/// The readable part of a person's name for an id: the last name with its
/// particles ("von-der-leyen", "zelenskyy").
fn surname_slug(actor: &Actor) -> String {
    if actor.kind != ActorKind::Person {
        return slugify(actor.short_name.as_deref().unwrap_or(&actor.name));
    }
    let words: Vec<&str> = actor.name.split_whitespace().collect();
    let mut start = words.len().saturating_sub(1);
    while start > 0
        && words[start - 1]
            .chars()
            .next()
            .is_some_and(|c| c.is_lowercase())
    {
        start -= 1;
    }
    let mut last: Vec<&str> = words[start..].to_vec();
    if last.len() == 1
        && matches!(
            last[0].trim_end_matches('.').to_lowercase().as_str(),
            "jr" | "sr" | "ii" | "iii"
        )
        && start > 0
    {
        last = vec![words[start - 1]];
    }
    slugify(&last.join(" "))
}

/// `2021-12-09-biden-zelenskyy-call`: date, first U.S. participant, first
/// counterpart (or body, or country), kind. Clashes get `-2`, `-3` in the
/// order of their first source.
fn assign_ids(engagements: &mut [Engagement]) {
    let base = |e: &Engagement| {
        let mut parts = vec![e.date.map_or("undated".to_string(), |d| d.to_string())];
        if let Some(us) = e.participants.iter().find(|p| p.side == Side::Us) {
            parts.push(surname_slug(&us.actor));
        }
        let other = e
            .participants
            .iter()
            .find(|p| p.side == Side::Counterpart)
            .map(|p| surname_slug(&p.actor))
            .or_else(|| e.organizations.first().map(surname_slug))
            .or_else(|| e.countries.first().map(|c| slugify(c)));
        parts.extend(other);
        parts.push(slugify(kind_word(e.kind)));
        parts.join("-")
    };
    let mut order: Vec<usize> = (0..engagements.len()).collect();
    order.sort_by(|&a, &b| {
        let key = |e: &Engagement| {
            e.sources
                .iter()
                .map(|s| (s.document.clone(), s.start))
                .min()
        };
        key(&engagements[a]).cmp(&key(&engagements[b]))
    });
    let mut used: BTreeMap<String, usize> = BTreeMap::new();
    for i in order {
        let id = base(&engagements[i]);
        let n = used.entry(id.clone()).or_default();
        *n += 1;
        engagements[i].id = if *n == 1 { id } else { format!("{id}-{n}") };
    }
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Call => "call",
        Kind::VideoCall => "video-call",
        Kind::Meeting => "meeting",
        Kind::Visit => "visit",
    }
}
