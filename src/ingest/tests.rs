//! Extraction on text written for these tests (none of it from the sample
//! corpus): every construction the genre uses, one test each.

use chrono::NaiveDate;

use super::parse;
use crate::gazetteer::Gazetteer;
use crate::model::{DatePrecision, Kind, Mention, Shape, Side, Status};

fn gazetteer() -> &'static Gazetteer {
    static G: std::sync::OnceLock<Gazetteer> = std::sync::OnceLock::new();
    G.get_or_init(Gazetteer::builtin)
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

/// Mentions of a document published on `published` (ISO) with `body`.
fn read(published: &str, body: &str) -> Vec<Mention> {
    let text = format!(" date {published} \n{body}");
    parse("test.txt", &text, gazetteer()).unwrap().mentions
}

fn names(m: &Mention, side: Side) -> Vec<String> {
    m.people
        .iter()
        .filter(|p| p.side == side)
        .map(|p| p.name.clone())
        .collect()
}

fn orgs(m: &Mention) -> Vec<String> {
    m.organizations
        .iter()
        .map(|o| o.short_name.clone().unwrap_or_else(|| o.name.clone()))
        .collect()
}

#[test]
fn a_dated_entry_gives_date_kind_people_and_country() {
    let m = read(
        "2019-03-20",
        "March 4: Secretary Rivera’s call with Estonian Foreign Minister Kask",
    );
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].date, day(2019, 3, 4));
    assert_eq!(m[0].kind, Kind::Call);
    assert_eq!(m[0].status, Status::Held);
    assert_eq!(names(&m[0], Side::Us), ["Rivera"]);
    assert_eq!(names(&m[0], Side::Counterpart), ["Kask"]);
    assert_eq!(m[0].countries, ["Estonia"]);
}

#[test]
fn a_fact_sheet_in_january_lists_last_years_november() {
    let m = read("2020-01-08", "- November 29: Deputy Secretary Okafor’s meeting with Chilean Foreign Minister Rojas\n- January 3: Secretary Rivera’s call with Peruvian Prime Minister Soto\n");
    assert_eq!(m[0].date, day(2019, 11, 29));
    assert_eq!(m[1].date, day(2020, 1, 3));
}

#[test]
fn day_first_dates_and_run_on_entries_split() {
    let text = " date 2020-12-20 \nOverview of engagements below. 6 December: call by Secretary Rivera with Greek Prime Minister Nikolaidis 7 December: meeting of Secretary Rivera with Danish Foreign Minister Holm December 8: call from Secretary Rivera with Irish Foreign Minister Byrne";
    let doc = parse("runon.txt", text, gazetteer()).unwrap();
    assert_eq!(doc.shape, Shape::RunOn);
    let dates: Vec<_> = doc.mentions.iter().map(|m| m.date).collect();
    assert_eq!(
        dates,
        [day(2020, 12, 6), day(2020, 12, 7), day(2020, 12, 8)]
    );
    assert_eq!(doc.mentions[1].kind, Kind::Meeting);
    assert_eq!(doc.mentions[2].countries, ["Ireland"]);
}

#[test]
fn spans_keep_their_end_date_across_months() {
    let m = read(
        "2019-12-10",
        "- November 30 – December 1: Secretary Rivera attends the OSCE Ministerial meeting\n- November 11-14: Vice President Alvarez traveled to Ghana to meet with President Mensah\n",
    );
    assert_eq!(
        (m[0].date, m[0].end_date),
        (day(2019, 11, 30), day(2019, 12, 1))
    );
    assert_eq!(orgs(&m[0]), ["OSCE"]);
    assert_eq!(
        (m[1].date, m[1].end_date),
        (day(2019, 11, 11), day(2019, 11, 14))
    );
    assert_eq!(m[1].kind, Kind::Visit);
    assert_eq!(m[1].countries, ["Ghana"]);
}

#[test]
fn relative_days_in_news_resolve_against_publication() {
    // Published on a Friday.
    let m = read(
        "2021-05-07",
        "Foreign Secretary Ashdown spoke with Kenyan President Otieno on Wednesday about trade. The two leaders met yesterday in Nairobi, officials said.",
    );
    assert_eq!(m[0].date, day(2021, 5, 5));
    assert_eq!(m[0].kind, Kind::Call);
}

#[test]
fn a_call_scheduled_for_a_weekday_in_the_past_tense_is_that_past_day() {
    let m = read(
        "2021-05-07",
        "Chilean President Rojas requested a call with Secretary Rivera, which was scheduled for Thursday.",
    );
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].date, day(2021, 5, 6));
    assert_eq!(names(&m[0], Side::Counterpart), ["Rojas"]);
}

#[test]
fn announced_engagements_are_planned() {
    let m = read(
        "2021-05-07",
        "Officials confirmed that talks between the United States and Chile will take place on May 12. Upcoming consultations\n\n- May 14: Deputy Secretary Okafor will meet with NATO Secretary General Lindqvist\n",
    );
    assert_eq!(m.len(), 2);
    assert!(m.iter().all(|m| m.status == Status::Planned));
    assert_eq!(m[0].date, day(2021, 5, 12));
    assert_eq!(m[0].countries, ["Chile"]);
    assert_eq!(orgs(&m[1]), ["NATO"]);
}

#[test]
fn a_list_of_dates_pairs_with_a_list_of_bodies() {
    let m = read(
        "2021-05-07",
        "He will also discuss the NATO-Russia and OSCE meetings set for May 12 and 13.",
    );
    let found: Vec<_> = m.iter().map(|m| (m.date, orgs(m))).collect();
    assert_eq!(
        found,
        [
            (day(2021, 5, 12), vec!["NRC".to_string()]),
            (day(2021, 5, 13), vec!["OSCE".to_string()])
        ]
    );
}

#[test]
fn titles_in_every_order_give_name_and_country() {
    let m = read(
        "2020-02-10",
        "- February 3: President Alvarez’s call with Prime Minister Haruto Mizuki of Japan, then-Chancellor Weber of Germany and President of Finland Lahtinen\n",
    );
    let people = names(&m[0], Side::Counterpart);
    assert_eq!(people, ["Haruto Mizuki", "Weber", "Lahtinen"]);
    assert_eq!(m[0].countries, ["Japan", "Germany", "Finland"]);
}

#[test]
fn ranks_honorifics_and_long_offices_are_not_names() {
    let m = read(
        "2020-02-10",
        "- February 4: Chairman of the Joint Chiefs of Staff Okoro’s call with Commander-in-Chief of the Estonian Defence Forces Lt. Gen. Tamm\n- February 5: Chairman of the Joint Chiefs of Staff Okoro’s call with UK Chief of the Defence Staff Adm. Sir Ashcombe\n",
    );
    assert_eq!(names(&m[0], Side::Counterpart), ["Tamm"]);
    assert_eq!(m[0].countries, ["Estonia"]);
    assert_eq!(names(&m[1], Side::Counterpart), ["Ashcombe"]);
    assert_eq!(m[1].countries, ["United Kingdom"]);
}

#[test]
fn multi_word_surnames_keep_their_particles() {
    let m = read(
        "2020-02-10",
        "- February 6: Under Secretary Okafor’s call with Dutch Director General for Political Affairs van den Berg\n- February 7: President Alvarez’s meeting with European Commission President de la Cruz\n",
    );
    assert_eq!(names(&m[0], Side::Counterpart), ["van den Berg"]);
    assert_eq!(m[0].countries, ["Netherlands"]);
    assert_eq!(names(&m[1], Side::Counterpart), ["de la Cruz"]);
    assert_eq!(orgs(&m[1]), ["European Commission"]);
}

#[test]
fn groups_of_countries_and_bodies_take_part() {
    let m = read(
        "2020-02-10",
        "- February 6: Secretary Rivera’s call with French, German, and UK Foreign Ministers\n- February 7: National Security Advisor Brandt’s call with Nordic counterparts\n- February 8: President Alvarez’s call with B9 leaders\n",
    );
    assert_eq!(m[0].countries, ["France", "Germany", "United Kingdom"]);
    assert_eq!(orgs(&m[1]), ["Nordic countries"]);
    assert_eq!(orgs(&m[2]), ["B9"]);
}

#[test]
fn one_entry_can_hold_several_engagements() {
    let m = read(
        "2020-03-10",
        "- March 2: Secretary Rivera’s meeting with Lithuanian President Kairys; Lithuanian Foreign Minister Vaitkus; Lithuanian Prime Minister Zukas\n- March 3: Secretary of Defense Okoro’s meeting with Polish Minister of National Defense Nowak; Deputy National Security Advisor Brandt also met with Minister Nowak\n- March 4: Deputy Secretary Okafor call with Ambassadors of European Allies following President Alvarez’s call with President Volkov\n",
    );
    let summary: Vec<(Vec<String>, Vec<String>)> = m
        .iter()
        .map(|m| (names(m, Side::Us), names(m, Side::Counterpart)))
        .collect();
    let owned = |a: &[&str], b: &[&str]| {
        (
            a.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
            b.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        )
    };
    assert_eq!(
        summary,
        [
            owned(&["Rivera"], &["Kairys"]),
            owned(&["Rivera"], &["Vaitkus"]),
            owned(&["Rivera"], &["Zukas"]),
            owned(&["Okoro"], &["Nowak"]),
            owned(&["Brandt"], &["Nowak"]),
            owned(&["Okafor"], &[]),
            owned(&["Alvarez"], &["Volkov"]),
        ]
    );
}

#[test]
fn a_trip_with_meetings_on_the_way_is_one_visit() {
    let m = read(
        "2020-03-10",
        "- March 2-4: Vice President Alvarez traveled to Ghana to meet with President Mensah; she also engaged with other leaders, including Nigerian President Adeyemi\n",
    );
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].kind, Kind::Visit);
    assert_eq!(names(&m[0], Side::Counterpart), ["Mensah", "Adeyemi"]);
    assert_eq!(m[0].countries, ["Ghana", "Nigeria"]);
}

#[test]
fn aggregates_are_not_engagements() {
    let m = read(
        "2020-03-10",
        "President Alvarez has spoken with 12 African leaders. Secretary Rivera spoke twice with Foreign Minister Kask. National Security Advisor Brandt is in regular contact with his Estonian counterpart. Secretary Rivera has held dozens of calls with foreign ministers.",
    );
    assert!(m.is_empty(), "{m:#?}");
}

#[test]
fn video_calls_and_visits_are_told_from_meetings() {
    let m = read(
        "2020-03-10",
        "- March 2: Secretary Rivera’s virtual meeting with the Quint\n- March 3: Assistant Secretary Lund travels to Moldova\n- March 5: Secretary Rivera spoke by phone with Canadian Foreign Minister Tremblay\n",
    );
    let kinds: Vec<Kind> = m.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, [Kind::VideoCall, Kind::Visit, Kind::Call]);
    assert_eq!(m[1].countries, ["Moldova"]);
}

#[test]
fn an_undated_list_of_readouts_stays_undated() {
    let text = "With Chile: President Alvarez spoke with President Rojas of Chile. They discussed trade.\nWith Japan: National Security Advisor Brandt spoke by phone with Japanese National Security Advisor Sato.\n";
    let doc = parse("list.txt", text, gazetteer()).unwrap();
    assert_eq!(doc.shape, Shape::Headerless);
    assert_eq!(doc.mentions.len(), 2);
    for m in &doc.mentions {
        assert_eq!(m.date, None);
        assert_eq!(m.precision, DatePrecision::Unknown);
        assert_eq!(m.kind, Kind::Call);
    }
    assert_eq!(doc.mentions[0].countries, ["Chile"]);
    assert_eq!(doc.mentions[1].countries, ["Japan"]);
}

#[test]
fn a_readout_is_dated_by_its_today_and_undated_without_one() {
    // CONVENTIONS: a readout that names no day is dated by its publication
    // only when it says "today"; otherwise its date is unknown.
    let text = "---\ntitle: Readout of the Secretary's Call with the Foreign Minister of Chile\ndate: '2022-04-05'\nsource_url: https://example.org/readout\n---\nSecretary Rivera spoke with Foreign Minister Rojas of Chile about regional security.\n";
    let doc = parse("readout.md", text, gazetteer()).unwrap();
    assert_eq!(doc.shape, Shape::FrontMatter);
    assert_eq!(doc.mentions.len(), 1);
    assert_eq!(doc.mentions[0].date, None);
    assert_eq!(
        doc.mentions[0].url.as_deref(),
        Some("https://example.org/readout")
    );
    let today = text.replace("spoke with", "spoke today with");
    let doc = parse("readout.md", &today, gazetteer()).unwrap();
    assert_eq!(doc.mentions[0].date, day(2022, 4, 5));
}

#[test]
fn a_bullets_own_link_is_its_source() {
    let text = "---\ndate: '2022-04-05'\nsource_url: https://example.org/sheet\n---\n-   [April 1: Secretary Rivera’s call with Chilean\n    Foreign Minister Rojas](https://example.org/call-rojas)\n-   April 2: Secretary Rivera’s call with Peruvian Foreign Minister Soto\n";
    let doc = parse("sheet.md", text, gazetteer()).unwrap();
    assert_eq!(
        doc.mentions[0].url.as_deref(),
        Some("https://example.org/call-rojas")
    );
    assert_eq!(
        doc.mentions[1].url.as_deref(),
        Some("https://example.org/sheet")
    );
    // The excerpt reads as text; the span points at the source bytes.
    assert_eq!(
        doc.mentions[0].excerpt,
        "April 1: Secretary Rivera’s call with Chilean Foreign Minister Rojas"
    );
    assert!(text[doc.mentions[0].start..].starts_with("April 1"));
}

#[test]
fn statements_that_report_no_engagement_yield_nothing() {
    let m = read(
        "2021-06-01",
        "The President called on Congress to pass the bill. We will meet the challenge of climate change together. The Secretary spoke about the importance of vaccines at a press briefing. Travel restrictions will be lifted next month.",
    );
    assert!(m.is_empty(), "{m:#?}");
}

#[test]
fn a_speaker_is_not_a_participant() {
    let m = read(
        "2021-06-01",
        "Talks between the United States and Chile will take place on June 10, Spokesperson Ortega said.",
    );
    assert_eq!(m.len(), 1);
    assert!(m[0].people.is_empty());
    assert_eq!(m[0].countries, ["Chile"]);
}

#[test]
fn a_second_official_also_meeting_the_same_minister_is_a_second_engagement() {
    let m = read(
        "2020-03-10",
        "- March 2: Deputy Secretary Okafor’s meeting with Swedish Minister for Foreign Affairs Berg, Deputy National Security Advisor Brandt also met with Minister Berg\n",
    );
    assert_eq!(m.len(), 2, "{m:#?}");
    assert_eq!(names(&m[1], Side::Us), ["Brandt"]);
    assert_eq!(names(&m[1], Side::Counterpart), ["Berg"]);
}

#[test]
fn news_reports_with_foreign_leaders_only_and_vague_times() {
    let m = read(
        "2023-03-17",
        "Indian Foreign Minister Priya Rao met her Chilean counterpart Diego Fuentes in Delhi on Thursday. Prime Minister Haruto Mizuki arrived in Seoul on Wednesday for a two-day visit. Mizuki will travel to Canberra next week.",
    );
    assert_eq!(m.len(), 3, "{m:#?}");
    assert_eq!(m[0].date, day(2023, 3, 16));
    assert!(names(&m[0], Side::Us).is_empty());
    assert_eq!(
        names(&m[0], Side::Counterpart),
        ["Priya Rao", "Diego Fuentes"]
    );
    assert_eq!(m[1].kind, Kind::Visit);
    assert_eq!(m[1].date, day(2023, 3, 15));
    assert_eq!(m[1].countries, ["South Korea"]);
    assert_eq!(m[2].status, Status::Planned);
    assert_eq!(m[2].date, None);
}

#[test]
fn explain_names_the_rule_that_dropped_an_engagement_word() {
    let text = " date 2023-03-02 \nSecretary Dana Rivera met with 14 African leaders in Addis Ababa today.\n\n\
                The ministers will continue to consult closely with Foreign Minister Ana Ferreira of Brazil.\n\n\
                Secretary Dana Rivera has spoken with Foreign Minister Ana Ferreira of Brazil.\n";
    let trace = super::explain("test.txt", text, gazetteer()).unwrap();
    assert!(trace.contains("rejected: aggregate"), "{trace}");
    assert!(trace.contains("rejected: policy"), "{trace}");
    assert!(trace.contains("rejected: indefinite past"), "{trace}");
}

#[test]
fn a_possessive_inside_a_country_name_is_part_of_it() {
    let text = " date 2023-03-02 \nSecretary Dana Rivera met with envoys of the People's Republic of China today.\n";
    let trace = super::explain("test.txt", text, gazetteer()).unwrap();
    assert!(trace.contains("countries [\"China\"]"), "{trace}");
    assert!(!trace.contains("Taiwan"), "{trace}");
}
