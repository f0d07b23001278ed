//! Resolution on hand-made mentions: merging, actor identity, ids.

use chrono::NaiveDate;

use super::resolve;
use crate::gazetteer::Gazetteer;
use crate::model::{DatePrecision, Kind, Mention, OrgRef, PersonRef, Side, Status};

fn person(name: &str, country: Option<&str>, side: Side) -> PersonRef {
    PersonRef {
        name: name.into(),
        title: None,
        country: country.map(str::to_string),
        side,
    }
}

fn mention(
    day: Option<(i32, u32, u32)>,
    kind: Kind,
    people: Vec<PersonRef>,
    start: usize,
) -> Mention {
    Mention {
        date: day.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
        end_date: None,
        precision: if day.is_some() {
            DatePrecision::Day
        } else {
            DatePrecision::Unknown
        },
        kind,
        status: Status::Held,
        people,
        organizations: Vec::new(),
        countries: Vec::new(),
        excerpt: "text".into(),
        start,
        end: start + 4,
        url: None,
        listed: false,
        published: None,
    }
}

fn us(name: &str) -> PersonRef {
    person(name, Some("United States"), Side::Us)
}

#[test]
fn the_same_call_in_two_documents_is_one_engagement_with_two_sources() {
    let g = Gazetteer::default();
    let a = mention(
        Some((2019, 3, 4)),
        Kind::Call,
        vec![
            us("Rivera"),
            person("Olga Tamm", Some("Estonia"), Side::Counterpart),
        ],
        0,
    );
    let b = mention(
        Some((2019, 3, 4)),
        Kind::Call,
        vec![us("Ana Rivera"), person("Tamm", None, Side::Counterpart)],
        10,
    );
    let out = resolve(&[("a.txt".into(), a), ("b.txt".into(), b)], &g);
    assert_eq!(out.len(), 1);
    let e = &out[0];
    assert_eq!(e.sources.len(), 2);
    assert_eq!(e.id, "2019-03-04-rivera-tamm-call");
    assert_eq!(e.participants[0].actor.name, "Ana Rivera");
    assert_eq!(e.participants[1].actor.name, "Olga Tamm");
    assert_eq!(e.countries, ["Estonia"]);
}

#[test]
fn two_officials_meeting_one_minister_the_same_day_stay_two_engagements() {
    let g = Gazetteer::default();
    let minister = person("Kask", Some("Estonia"), Side::Counterpart);
    let a = mention(
        Some((2019, 3, 4)),
        Kind::Meeting,
        vec![us("Rivera"), minister.clone()],
        0,
    );
    let b = mention(
        Some((2019, 3, 4)),
        Kind::Meeting,
        vec![us("Okafor"), minister],
        50,
    );
    assert_eq!(
        resolve(&[("a.txt".into(), a), ("a.txt".into(), b)], &g).len(),
        2
    );
}

#[test]
fn every_report_of_a_multilateral_meeting_joins_whoever_attends() {
    let g = Gazetteer::builtin();
    let body = OrgRef {
        name: "North Atlantic Council".into(),
        short_name: Some("NAC".into()),
    };
    let mut a = mention(Some((2019, 5, 1)), Kind::Meeting, vec![us("Rivera")], 0);
    a.organizations.push(body.clone());
    a.status = Status::Planned;
    let mut b = mention(Some((2019, 5, 1)), Kind::Meeting, vec![], 5);
    b.organizations.push(body);
    let out = resolve(&[("b.txt".into(), b), ("a.txt".into(), a)], &g);
    assert_eq!(out.len(), 1);
    assert_eq!(
        out[0].status,
        Status::Held,
        "a planned engagement reported as held is held"
    );
}

#[test]
fn ids_do_not_depend_on_import_order() {
    let g = Gazetteer::default();
    let make = |n: usize| {
        (
            format!("doc{n}.txt"),
            mention(
                Some((2020, 1, 1 + n as u32 % 2)),
                Kind::Call,
                vec![
                    us("Rivera"),
                    person("Tamm", Some("Estonia"), Side::Counterpart),
                ],
                n,
            ),
        )
    };
    let forward: Vec<_> = (0..4).map(make).collect();
    let backward: Vec<_> = (0..4).rev().map(make).collect();
    let ids =
        |v: &[(String, Mention)]| resolve(v, &g).into_iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(ids(&forward), ids(&backward));
}

#[test]
fn a_garbled_possessive_joins_the_name() {
    let g = Gazetteer::default();
    let a = mention(
        Some((2019, 3, 4)),
        Kind::Call,
        vec![
            us("Rivera"),
            person("Tamm", Some("Estonia"), Side::Counterpart),
        ],
        0,
    );
    let b = mention(
        Some((2019, 3, 5)),
        Kind::Call,
        vec![
            us("Riveras"),
            person("Tamm", Some("Estonia"), Side::Counterpart),
        ],
        0,
    );
    let out = resolve(&[("a.txt".into(), a), ("b.txt".into(), b)], &g);
    assert_eq!(
        out[0].participants[0].actor.slug,
        out[1].participants[0].actor.slug
    );
}

fn estonian(name: &str) -> PersonRef {
    person(name, Some("Estonia"), Side::Counterpart)
}

fn undated_in(published: (i32, u32, u32), mut m: Mention) -> Mention {
    m.published = NaiveDate::from_ymd_opt(published.0, published.1, published.2);
    m
}

#[test]
fn an_undated_readout_joins_the_dated_report_of_its_month() {
    let g = Gazetteer::default();
    let dated = mention(
        Some((2019, 3, 4)),
        Kind::Meeting,
        vec![us("Rivera"), estonian("Tamm")],
        0,
    );
    let undated = undated_in(
        (2019, 3, 5),
        mention(None, Kind::Meeting, vec![us("Rivera"), estonian("Tamm")], 0),
    );
    let out = resolve(&[("a.txt".into(), dated), ("b.txt".into(), undated)], &g);
    assert_eq!(out.len(), 1);
    assert_eq!(
        out[0].date,
        NaiveDate::from_ymd_opt(2019, 3, 4),
        "the dated source gives the day"
    );
    assert_eq!(out[0].sources.len(), 2);
}

#[test]
fn an_undated_report_never_bridges_two_days() {
    let g = Gazetteer::default();
    let first = mention(
        Some((2019, 3, 4)),
        Kind::Call,
        vec![us("Rivera"), estonian("Tamm")],
        0,
    );
    let second = mention(
        Some((2019, 3, 9)),
        Kind::Call,
        vec![us("Rivera"), estonian("Tamm")],
        0,
    );
    let undated = undated_in(
        (2019, 3, 10),
        mention(None, Kind::Call, vec![us("Rivera"), estonian("Tamm")], 0),
    );
    let out = resolve(
        &[
            ("a.txt".into(), first),
            ("b.txt".into(), second),
            ("c.txt".into(), undated),
        ],
        &g,
    );
    assert_eq!(
        out.len(),
        2,
        "two calls, the undated report joined to one of them"
    );
}

#[test]
fn a_summit_and_a_bilateral_on_its_margins_stay_two_engagements() {
    let g = Gazetteer::default();
    let mut summit = mention(
        Some((2019, 5, 1)),
        Kind::Meeting,
        vec![us("Rivera"), estonian("Tamm")],
        0,
    );
    summit.organizations.push(OrgRef {
        name: "Example Council".into(),
        short_name: None,
    });
    let bilateral = mention(
        Some((2019, 5, 1)),
        Kind::Meeting,
        vec![us("Rivera"), estonian("Tamm")],
        0,
    );
    let out = resolve(&[("a.txt".into(), summit), ("b.txt".into(), bilateral)], &g);
    assert_eq!(out.len(), 2);
}

#[test]
fn a_day_inside_a_trips_span_and_the_legs_of_one_document_are_one_visit() {
    let g = Gazetteer::default();
    let mut trip = mention(Some((2018, 11, 10)), Kind::Visit, vec![us("Rivera")], 0);
    trip.end_date = NaiveDate::from_ymd_opt(2018, 11, 11);
    trip.countries = vec!["France".into()];
    let mut arrival = mention(Some((2018, 11, 10)), Kind::Visit, vec![us("Rivera")], 40);
    arrival.countries = vec!["France".into()];
    let mut leg = mention(Some((2018, 11, 11)), Kind::Visit, vec![us("Rivera")], 80);
    leg.countries = vec!["Belgium".into()];
    let out = resolve(
        &[
            ("a.txt".into(), trip),
            ("a.txt".into(), arrival),
            ("a.txt".into(), leg),
        ],
        &g,
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].end_date, NaiveDate::from_ymd_opt(2018, 11, 11));
    assert_eq!(out[0].countries, ["France", "Belgium"]);
}

#[test]
fn an_engagement_without_the_united_states_is_not_recorded() {
    let g = Gazetteer::builtin();
    let foreign = mention(
        Some((2022, 7, 16)),
        Kind::Call,
        vec![
            estonian("Tamm"),
            person("Berzins", Some("Latvia"), Side::Counterpart),
        ],
        0,
    );
    assert!(resolve(&[("a.txt".into(), foreign.clone())], &g).is_empty());
    let mut named = foreign;
    named.excerpt = "talks between the United States and Estonia".into();
    assert_eq!(resolve(&[("a.txt".into(), named)], &g).len(), 1);
}

#[test]
fn a_meeting_with_no_foreign_party_is_domestic() {
    let g = Gazetteer::builtin();
    let mut council = mention(Some((2022, 5, 21)), Kind::Meeting, vec![us("Rivera")], 0);
    council.organizations.push(OrgRef {
        name: "Gender Policy Council".into(),
        short_name: None,
    });
    council.excerpt = "The Gender Policy Council met with state legislators.".into();
    assert!(resolve(&[("a.txt".into(), council)], &g).is_empty());
    let mut envoys = mention(Some((2022, 5, 21)), Kind::Meeting, vec![us("Rivera")], 0);
    envoys.excerpt = "Rivera briefed ambassadors of partner countries.".into();
    assert_eq!(resolve(&[("a.txt".into(), envoys)], &g).len(), 1);
}

#[test]
fn a_bare_surname_does_not_join_a_namesake_years_away_or_of_another_given_name() {
    let g = Gazetteer::default();
    let early = mention(
        Some((2012, 8, 4)),
        Kind::Meeting,
        vec![us("Rivera"), person("Sharif", None, Side::Counterpart)],
        0,
    );
    let late = mention(
        Some((2015, 11, 17)),
        Kind::Meeting,
        vec![
            us("Rivera"),
            person("Tariq Sharif", Some("Pakistan"), Side::Counterpart),
        ],
        0,
    );
    let other = mention(
        Some((2015, 11, 18)),
        Kind::Meeting,
        vec![us("Rivera"), person("Omar Sharif", None, Side::Counterpart)],
        0,
    );
    let out = resolve(
        &[
            ("a.txt".into(), early),
            ("b.txt".into(), late),
            ("c.txt".into(), other),
        ],
        &g,
    );
    // Joined to the Pakistani general they would take his country and
    // stand as foreign engagements; as other people nobody can place they
    // are domestic business and drop out.
    assert_eq!(out.len(), 1, "{out:#?}");
    assert_eq!(out[0].participants[1].actor.name, "Tariq Sharif");
}
