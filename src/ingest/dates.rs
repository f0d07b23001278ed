//! Finds date expressions in English text and resolves them to calendar days.
//!
//! The scanner is pure: it looks at a string and an optional reference date
//! (the document's publication date) and returns byte spans with the days they
//! name. It knows these shapes:
//!
//! * explicit days, month first or day first, with or without a year and a
//!   leading weekday: `November 10`, `Nov. 10th, 2021`, `Wednesday, 10 November`,
//!   `the 10th of November`, ISO `2022-01-07`;
//! * spans: `November 9-13`, `November 30 – December 1`, `9 to 13 November`,
//!   `between 9 and 13 November`;
//! * lists, one expression per listed day: `Jan. 12 and 13`, `on 5 and 6 December`;
//! * months: `March 2021` anywhere, a bare `March` only after a temporal word
//!   (`in March`, `mid-March`, `by the end of March`, `last March`);
//! * relative days: `today`, `this morning`, `yesterday`, `tomorrow`, weekdays
//!   (`Wednesday evening`, `next Tuesday`, `Tuesday last week`).
//!
//! Every rule is general: a number counts as a day only next to a month name,
//! month and weekday names must be capitalised (so the verbs "may" and
//! "march" never match), bare years and numeric slash dates are never read,
//! and a missing year is the one that puts the day nearest the reference.
//!
//! Candidates from all shapes are collected first; where they overlap the
//! longest wins, so `10 November 2021` is one day rather than a day and a month.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};
use regex::{Captures, Match, Regex};

/// How much of a calendar date an expression pins down.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Precision {
    Day,
    Month,
    Year,
}

/// A date expression found in text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateExpr {
    /// Byte span of the expression in the scanned text.
    pub start: usize,
    pub end: usize,
    /// First day. None when the expression could not be resolved to a day
    /// (e.g. a weekday or month-day without any reference date).
    pub date: Option<NaiveDate>,
    /// Last day of a span ("November 9-13", "November 30 – December 1"), else None.
    pub end_date: Option<NaiveDate>,
    /// Day unless only a month ("in March 2021" → Month) or year is given.
    pub precision: Precision,
    /// How it was written: explicit calendar date, or relative to the reference date.
    pub relative: bool,
    /// True when the text itself reads as future ("next week", "next Tuesday", "tomorrow").
    pub future: bool,
}

/// Which way to resolve an ambiguous relative day name ("on Wednesday").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
    Unknown,
}

// ---------------------------------------------------------------------------
// Pattern fragments. Templates below name them as @M@, @D@ … and `pattern`
// splices them in, which keeps the templates readable and free of `format!`
// brace escaping. All templates are compiled case-insensitive and verbose
// (`(?ix)`), so whitespace in them is layout and `#` starts a comment; the
// fragments therefore contain no literal spaces.
// ---------------------------------------------------------------------------

/// A month name, full or abbreviated ("Sept.", "Nov"). Full names are listed
/// first so that "June" is not read as "Jun" + "e"; only abbreviations may
/// carry a period, so the full stop after "in May." stays out of the span.
const MONTH: &str = r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)\b|(?:jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\b\.?)";
/// A full month name, for the bare-month shape ("in March").
const FULL_MONTH: &str =
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december)\b";
/// A day number with an optional ordinal suffix: "9", "09", "1st", "23rd".
const DAY: &str = r"\b\d{1,2}(?:st|nd|rd|th)?\b";
/// A four-digit year (range-checked in code).
const YEAR: &str = r"\b\d{4}\b";
/// A full weekday name; abbreviations ("Wed", "Sun") are too often words.
const WEEKDAY: &str = r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b";
/// What joins the two ends of a span: any hyphen or dash (spaced or not), or
/// "to" / "through" / "until".
const SEP: &str = r"(?:\s*[\-\x{2010}-\x{2015}\x{2212}]\s*|\s+(?:to|through|thru|until|till)\s+)";

fn pattern(template: &str) -> Regex {
    let source = template
        .replace("@SEP@", SEP)
        .replace("@FM@", FULL_MONTH)
        .replace("@M@", MONTH)
        .replace("@D@", DAY)
        .replace("@Y@", YEAR)
        .replace("@W@", WEEKDAY);
    Regex::new(&source).expect("date pattern compiles")
}

/// Month-first days: "November 10", "Wednesday, Nov. 10th, 2021", and the
/// span ("November 9-13", "November 30 – December 1, 2021") or list
/// ("Jan. 12, 13 and 14") that may follow the first day.
static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?ix)
        (?: (?P<wd>@W@) ,?\s+ (?:the\s+)? )?              # Wednesday,
        (?P<m1>@M@) \s+ (?P<d1>@D@)                        # November 10
        (?: ,?\s+ (?P<y1>@Y@) )?                           # , 2021
        (?:
            (?P<sep>@SEP@) (?: (?P<m2>@M@) \s+ )? (?P<d2>@D@) (?: ,?\s+ (?P<y2>@Y@) )?
          | (?P<list> (?: \s*,\s* (?:@M@\s+)? @D@ )* \s*,?\s+ (?:and|or|&) \s+ (?:@M@\s+)? @D@ )
            (?: ,?\s+ (?P<y3>@Y@) )?
        )?",
    )
});

/// Day-first days: "10 November", "Wednesday the 10th of November 2021",
/// spans ("9-13 November", "30 November – 1 December") and lists
/// ("5 and 6 December", "29, 30 November and 1 December").
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?ix)
        (?: (?P<wd>@W@) ,?\s+ (?:the\s+)? )?              # Wednesday
        (?P<d1>@D@)                                        # 10
        (?: \s+ (?:of\s+)? (?P<m1>@M@) (?: ,?\s+ (?P<y1>@Y@) )? )?   # (of) November 2021
        (?:
            (?P<sep>@SEP@) (?:the\s+)? (?P<d2>@D@) \s+ (?:of\s+)? (?P<m2>@M@) (?: ,?\s+ (?P<y2>@Y@) )?
          | (?P<list> (?: \s*,\s* @D@ (?:\s+(?:of\s+)?@M@)? )* \s*,?\s+ (?:and|or|&) \s+ (?:the\s+)?
                      @D@ \s+ (?:of\s+)? @M@ )
            (?: ,?\s+ (?P<y3>@Y@) )?
        )?",
    )
});

/// One listed day after the first, month first ("13", "December 1").
static LIST_ITEM_MONTH_FIRST: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?ix) (?: (?P<m>@M@) \s+ )? (?P<d>@D@)"));

/// One listed day, day first ("5", "6 December", "6th of December").
static LIST_ITEM_DAY_FIRST: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?ix) (?P<d>@D@) (?: \s+ (?:of\s+)? (?P<m>@M@) )?"));

/// ISO dates: "2022-01-07" (boundaries are checked in code so that a
/// following "T10:00" is allowed).
static ISO: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})").expect("iso pattern"));

/// A month with a year: "March 2021", "the December 2021 European Council".
static MONTH_YEAR: LazyLock<Regex> =
    LazyLock::new(|| pattern(r"(?ix) (?P<m>@M@) ,?\s+ (?P<y>@Y@)"));

/// A bare full month name after a word that makes it a time: "in March",
/// "mid-March", "by the end of March", "last March".
static MONTH_ONLY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?ix)
        \b (?P<pre> in|during|since|until|till|by|from|through|throughout|early|late|mid
                  |last|next|this|(?:end|beginning|start|middle)\s+of )
        (?:\s+|-) (?P<m>@FM@)",
    )
});

/// Days named relative to the reference: today, yesterday, tomorrow and kin.
static RELATIVE_DAY: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?ix) \b
        (?:
            (?P<minus2> the\s+day\s+before\s+yesterday )
          | (?P<plus2> the\s+day\s+after\s+tomorrow )
          | (?P<minus1> yesterday (?:\s+(?:morning|afternoon|evening|night))? | last\s+night )
          | (?P<plus1> tomorrow (?:\s+(?:morning|afternoon|evening|night))? )
          | (?P<later> later\s+ (?: today | tonight | this\s+(?:morning|afternoon|evening) ) )
          | (?P<today> (?:earlier\s+)? (?: today | tonight | this\s+(?:morning|afternoon|evening) ) )
        ) \b",
    )
});

/// A weekday with its optional direction and time of day: "Wednesday",
/// "Monday evening", "next Tuesday", "this coming Friday", "Tuesday last week".
static WEEKDAY_EXPR: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?ix)
        (?: \b (?P<mod> this\s+coming|this\s+past|next|last|coming|this ) \s+ )?
        (?P<wd>@W@)
        (?: \s+ (?P<tod>morning|afternoon|evening|night) \b )?
        (?: \s+ (?:of\s+)? (?P<wk>last|next|this) \s+ week \b )?",
    )
});

static ANY_WEEKDAY: LazyLock<Regex> = LazyLock::new(|| pattern(r"(?i)@W@"));
static FORWARD_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:next|coming)\b").expect("forward"));
static BACKWARD_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:last|past)\b").expect("backward"));

/// A number right after the day that makes it a quantity instead:
/// "10%", "10 per cent", "10.5", "10:30", "1,000", "10-year", "10 million".
static QUANTITY_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:\s*%|\s*(?i:per\s?cent|percent)\b|[.:]\d|,\d{3}\b|-[a-z]|\s+(?i:million|billion|trillion|thousand|hundred|dozen)\b)",
    )
    .expect("quantity pattern")
});

/// The lowercase word that follows a number.
static WORD_AFTER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s+([a-z]+)\b").expect("word after"));

/// A day number just before a month ("9 November 10 …"): the month belongs
/// to the day-first reading, not to a month-first one.
static DAY_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?$").expect("day before")
});

/// A preposition that can introduce a month on its own ("in May 5 countries
/// …"): after one of these, a number followed by a word is a count.
static COUNTING_PREPOSITION_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:in|during|since|until|till|by|over|from|through)\s+$")
        .expect("preposition before")
});

static BETWEEN_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\bbetween\s+$").expect("between"));

/// Lowercase words ending in "s" that are not plural nouns.
const NOT_PLURAL: &[&str] = &[
    "was",
    "has",
    "this",
    "his",
    "its",
    "thus",
    "plus",
    "across",
    "unless",
    "whereas",
    "always",
    "besides",
    "towards",
    "afterwards",
    "perhaps",
    "does",
    "sometimes",
    "nevertheless",
    "regardless",
    "less",
    "yes",
    "respectively",
    "as",
    "is",
    "us",
];

/// Lowercase words that may follow a day without making it a count.
const AFTER_DAY_WORDS: &[&str] = &[
    "and",
    "or",
    "to",
    "until",
    "till",
    "through",
    "at",
    "in",
    "on",
    "with",
    "when",
    "where",
    "while",
    "the",
    "a",
    "an",
    "after",
    "before",
    "during",
    "for",
    "from",
    "of",
    "that",
    "which",
    "was",
    "were",
    "is",
    "are",
    "will",
    "would",
    "has",
    "had",
    "have",
    "as",
    "but",
    "by",
    "said",
    "last",
    "this",
    "next",
    "then",
    "amid",
    "following",
    "under",
    "between",
    "into",
    "inclusive",
    "onwards",
    "onward",
    "respectively",
    "only",
    "already",
    "just",
    "also",
    "so",
    "if",
    "since",
];

/// Capitalised words that turn a weekday into a named day ("Good Friday").
const NAMED_DAY_WORDS: &[&str] = &[
    "Ash", "Black", "Good", "Holy", "Maundy", "Super", "Cyber", "Palm", "Easter", "Whit", "Shrove",
    "Bloody", "Giving",
];

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/// Finds every date expression in `text`, resolving missing years and
/// relative expressions against `reference` (the document's publication date).
///
/// Expressions come back in text order and never overlap; a list yields one
/// expression per listed day.
pub fn find_dates(text: &str, reference: Option<NaiveDate>) -> Vec<DateExpr> {
    let mut candidates = Vec::new();
    scan(&MONTH_FIRST, text, &mut candidates, |c| {
        month_first(text, c, reference)
    });
    scan(&DAY_FIRST, text, &mut candidates, |c| {
        day_first(text, c, reference)
    });
    scan(&ISO, text, &mut candidates, |c| iso(text, c));
    scan(&MONTH_YEAR, text, &mut candidates, |c| month_year(text, c));
    scan(&MONTH_ONLY, text, &mut candidates, |c| {
        month_only(c, reference)
    });
    scan(&RELATIVE_DAY, text, &mut candidates, |c| {
        relative_day(text, c, reference)
    });
    scan(&WEEKDAY_EXPR, text, &mut candidates, |c| {
        weekday_expr(text, c, reference)
    });
    select(text, candidates)
}

/// Resolves a weekday name relative to `reference` given the tense of the
/// clause it stands in.
///
/// * `Past`: the most recent such day on or before the reference (a Friday
///   article's "on Thursday" is the day before, its "on Friday" is the day itself);
/// * `Future`: the next such day on or after the reference;
/// * `Unknown`: whichever of the two is nearer (they cannot tie: 7 is odd).
pub fn resolve_weekday(weekday: Weekday, reference: NaiveDate, tense: Tense) -> NaiveDate {
    let back = days_back(reference.weekday(), weekday);
    let forward = (7 - back) % 7;
    let past = reference - TimeDelta::days(back);
    let future = reference + TimeDelta::days(forward);
    match tense {
        Tense::Past => past,
        Tense::Future => future,
        Tense::Unknown if back <= forward => past,
        Tense::Unknown => future,
    }
}

/// Picks the year for a month and day written without one, relative to the
/// reference date: the year that puts the date nearest the reference
/// (a fact sheet published 10 January 2022 listing "November 29" means 2021;
/// a news item of 29 December 2021 saying "on January 10" means 2022).
/// Exact ties go to the past. None when no nearby year has such a day.
pub fn infer_year(month: u32, day: u32, reference: NaiveDate) -> Option<NaiveDate> {
    nearest_day(month, day, reference, None)
}

/// The weekday named in a span ("Wednesday evening" → Wednesday), if any.
pub fn weekday_in(span: &str) -> Option<Weekday> {
    ANY_WEEKDAY.find(span).and_then(|m| weekday_of(m.as_str()))
}

/// The direction a span states by itself: `Future` for "next Tuesday",
/// "this coming Friday", "Tuesday next week"; `Past` for "last Tuesday",
/// "Tuesday last week"; None otherwise. A caller re-resolving a weekday with
/// the clause tense should do so only when this is None.
pub fn weekday_direction(span: &str) -> Option<Tense> {
    if FORWARD_WORD.is_match(span) {
        Some(Tense::Future)
    } else if BACKWARD_WORD.is_match(span) {
        Some(Tense::Past)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------
// Candidates and their selection
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A calendar day written out (month and day, or ISO).
    ExplicitDay,
    /// A weekday with no direction word: may merely restate an adjacent date.
    PlainWeekday,
    Other,
}

#[derive(Debug)]
struct Candidate {
    start: usize,
    end: usize,
    kind: Kind,
    exprs: Vec<DateExpr>,
}

/// Runs one pattern over the whole text. A rejected match is retried one
/// character later, so a date inside a rejected longer reading is still found.
fn scan(
    re: &Regex,
    text: &str,
    out: &mut Vec<Candidate>,
    mut handle: impl FnMut(&Captures) -> Option<Candidate>,
) {
    let mut pos = 0;
    while pos <= text.len() {
        let Some(caps) = re.captures_at(text, pos) else {
            break;
        };
        let whole = caps.get(0).expect("group 0");
        let next = whole.start()
            + text[whole.start()..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
        match handle(&caps) {
            Some(candidate) => {
                pos = candidate.end.max(next);
                out.push(candidate);
            }
            None => pos = next,
        }
    }
}

/// Keeps the longest candidates that do not overlap, then drops a bare
/// weekday that only restates the explicit date next to it
/// ("November 10 (Wednesday)").
fn select(text: &str, mut candidates: Vec<Candidate>) -> Vec<DateExpr> {
    // Stable sort: on equal length and start, the earlier pattern wins.
    candidates.sort_by(|a, b| {
        (b.end - b.start)
            .cmp(&(a.end - a.start))
            .then(a.start.cmp(&b.start))
    });
    let mut chosen: Vec<Candidate> = Vec::new();
    for c in candidates {
        if chosen.iter().all(|k| c.end <= k.start || c.start >= k.end) {
            chosen.push(c);
        }
    }
    chosen.sort_by_key(|c| c.start);

    let only_punctuation = |a: usize, b: usize| {
        text[a..b]
            .chars()
            .all(|c| c.is_whitespace() || ",([".contains(c))
    };
    let mut keep = vec![true; chosen.len()];
    for i in 0..chosen.len() {
        if chosen[i].kind != Kind::PlainWeekday {
            continue;
        }
        let next = chosen.get(i + 1);
        let prev = i.checked_sub(1).map(|j| &chosen[j]);
        let restates_next = next.is_some_and(|n| {
            n.kind == Kind::ExplicitDay && only_punctuation(chosen[i].end, n.start)
        });
        let restates_prev = prev.is_some_and(|p| {
            p.kind == Kind::ExplicitDay && only_punctuation(p.end, chosen[i].start)
        });
        keep[i] = !(restates_next || restates_prev);
    }
    chosen
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .flat_map(|(c, _)| c.exprs)
        .collect()
}

// ---------------------------------------------------------------------------
// Explicit days
// ---------------------------------------------------------------------------

/// One day of an explicit expression: its span and month/day.
#[derive(Debug, Clone, Copy)]
struct Item {
    start: usize,
    end: usize,
    month: u32,
    day: u32,
}

/// A plain explicit day expression.
fn day_expr(
    start: usize,
    end: usize,
    date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
) -> DateExpr {
    DateExpr {
        start,
        end,
        date,
        end_date,
        precision: Precision::Day,
        relative: false,
        future: false,
    }
}

/// Candidate for a resolved span (one expression from first to last day).
fn span_candidate(start: usize, end: usize, dates: &[Option<NaiveDate>]) -> Candidate {
    Candidate {
        start,
        end,
        kind: Kind::ExplicitDay,
        exprs: vec![day_expr(start, end, dates[0], dates[1])],
    }
}

/// Candidate for a list: one expression per item, or a single span when the
/// two items follow "between" ("between 9 and 13 November").
fn list_candidate(text: &str, items: &[Item], dates: &[Option<NaiveDate>]) -> Candidate {
    let (start, end) = (items[0].start, items[items.len() - 1].end);
    if items.len() == 2 && BETWEEN_BEFORE.is_match(&text[..start]) {
        return span_candidate(start, end, dates);
    }
    Candidate {
        start,
        end,
        kind: Kind::ExplicitDay,
        exprs: items
            .iter()
            .zip(dates)
            .map(|(i, d)| day_expr(i.start, i.end, *d, None))
            .collect(),
    }
}

/// "November 10", "Nov. 9-13, 2021", "Jan. 12, 13 and 14".
fn month_first(text: &str, caps: &Captures, reference: Option<NaiveDate>) -> Option<Candidate> {
    let m1 = caps.name("m1")?;
    let d1 = caps.name("d1")?;
    // "9 November 10 …" is a day-first date followed by a number.
    if DAY_BEFORE.is_match(&text[..m1.start()]) {
        return None;
    }
    let month = month_of(m1.as_str())?;
    let day = day_of(d1.as_str(), month)?;
    let (start, weekday) = weekday_prefix(caps, m1.start());
    let y1 = caps.name("y1");
    let year1 = y1.and_then(|y| year_of(text, y));

    // A span or list only makes sense if everything before it was read as written.
    if y1.is_none() || year1.is_some() {
        let head = Item {
            start,
            end: y1.map_or(d1.end(), |y| y.end()),
            month,
            day,
        };
        if let Some(c) = month_first_span(text, caps, head, year1, weekday, reference) {
            return Some(c);
        }
        if let Some(c) = month_first_list(text, caps, head, year1, weekday, reference) {
            return Some(c);
        }
    }

    let end = match year1 {
        Some(_) => y1?.end(),
        None => {
            // "in May 5 countries …" counts countries, "May 5 percent" is a share.
            let counted = COUNTING_PREPOSITION_BEFORE.is_match(&text[..m1.start()])
                && word_after(text, d1.end()).is_some_and(|w| !AFTER_DAY_WORDS.contains(&w));
            if counted || QUANTITY_AFTER.is_match(&text[d1.end()..]) {
                return None;
            }
            d1.end()
        }
    };
    let dates = resolve_items(&[(month, day)], year1, None, reference, weekday)?;
    Some(Candidate {
        start,
        end,
        kind: Kind::ExplicitDay,
        exprs: vec![day_expr(start, end, dates[0], None)],
    })
}

/// The span tail of a month-first match: "-13", " – December 1, 2021".
fn month_first_span(
    text: &str,
    caps: &Captures,
    head: Item,
    year1: Option<i32>,
    weekday: Option<Weekday>,
    reference: Option<NaiveDate>,
) -> Option<Candidate> {
    caps.name("sep")?;
    let d2 = caps.name("d2")?;
    let month2 = match caps.name("m2") {
        Some(m) => month_of(m.as_str())?,
        None => head.month,
    };
    let day2 = day_of(d2.as_str(), month2)?;
    let (year2, end) = trailing_year_at(text, caps.name("y2"), d2.end())?;
    let dates = resolve_items(
        &[(head.month, head.day), (month2, day2)],
        year1,
        year2,
        reference,
        weekday,
    )?;
    Some(span_candidate(head.start, end, &dates))
}

/// The list tail of a month-first match: ", 13 and 14, 2022".
fn month_first_list(
    text: &str,
    caps: &Captures,
    head: Item,
    year1: Option<i32>,
    weekday: Option<Weekday>,
    reference: Option<NaiveDate>,
) -> Option<Candidate> {
    let list = caps.name("list")?;
    let mut items = vec![head];
    let mut month = head.month;
    for c in LIST_ITEM_MONTH_FIRST.captures_iter(list.as_str()) {
        let d = c.name("d")?;
        if let Some(m) = c.name("m") {
            month = month_of(m.as_str())?;
        }
        let first = c.get(0)?;
        items.push(Item {
            start: list.start() + first.start(),
            end: list.start() + d.end(),
            month,
            day: day_of(d.as_str(), month)?,
        });
    }
    let last_day = items.last()?.end;
    let (year3, end) = trailing_year_at(text, caps.name("y3"), last_day)?;
    items.last_mut()?.end = end;
    let md: Vec<(u32, u32)> = items.iter().map(|i| (i.month, i.day)).collect();
    let dates = resolve_items(&md, year1, year3, reference, weekday)?;
    Some(list_candidate(text, &items, &dates))
}

/// "10 November", "9-13 November", "30 November – 1 December", "5 and 6 December".
fn day_first(text: &str, caps: &Captures, reference: Option<NaiveDate>) -> Option<Candidate> {
    let d1 = caps.name("d1")?;
    if attached_before(text, d1.start()) {
        return None;
    }
    let (start, weekday) = weekday_prefix(caps, d1.start());
    let m1 = caps.name("m1");
    let month1 = match m1 {
        Some(m) => Some(month_of(m.as_str())?),
        None => None,
    };
    let y1 = caps.name("y1");
    let year1 = y1.and_then(|y| year_of(text, y));

    if y1.is_none() || year1.is_some() {
        if let Some(c) = day_first_span(text, caps, start, month1, year1, weekday, reference) {
            return Some(c);
        }
        if let Some(c) = day_first_list(text, caps, start, month1, year1, weekday, reference) {
            return Some(c);
        }
    }

    // A single day needs its own month.
    let (m1, month) = (m1?, month1?);
    let day = day_of(d1.as_str(), month)?;
    let end = match year1 {
        Some(_) => y1?.end(),
        None => m1.end(),
    };
    let dates = resolve_items(&[(month, day)], year1, None, reference, weekday)?;
    Some(Candidate {
        start,
        end,
        kind: Kind::ExplicitDay,
        exprs: vec![day_expr(start, end, dates[0], None)],
    })
}

/// The span tail of a day-first match: "-13 November", " – 1 December 2021".
fn day_first_span(
    text: &str,
    caps: &Captures,
    start: usize,
    month1: Option<u32>,
    year1: Option<i32>,
    weekday: Option<Weekday>,
    reference: Option<NaiveDate>,
) -> Option<Candidate> {
    caps.name("sep")?;
    let d1 = caps.name("d1")?;
    let (d2, m2) = (caps.name("d2")?, caps.name("m2")?);
    let month2 = month_of(m2.as_str())?;
    let month1 = month1.unwrap_or(month2);
    let (day1, day2) = (day_of(d1.as_str(), month1)?, day_of(d2.as_str(), month2)?);
    let (year2, end) = trailing_year_at(text, caps.name("y2"), m2.end())?;
    let dates = resolve_items(
        &[(month1, day1), (month2, day2)],
        year1,
        year2,
        reference,
        weekday,
    )?;
    Some(span_candidate(start, end, &dates))
}

/// The list form of a day-first match: "5 and 6 December", "29, 30 November
/// and 1 December 2021". A bare day takes the month of the next day that has one.
fn day_first_list(
    text: &str,
    caps: &Captures,
    start: usize,
    month1: Option<u32>,
    year1: Option<i32>,
    weekday: Option<Weekday>,
    reference: Option<NaiveDate>,
) -> Option<Candidate> {
    let list = caps.name("list")?;
    let d1 = caps.name("d1")?;
    let head_end = caps.name("y1").or(caps.name("m1")).unwrap_or(d1).end();
    // (start, end, month if written, day text)
    let mut raw = vec![(start, head_end, month1, d1.as_str())];
    for c in LIST_ITEM_DAY_FIRST.captures_iter(list.as_str()) {
        let d = c.name("d")?;
        let month = match c.name("m") {
            Some(m) => Some(month_of(m.as_str())?),
            None => None,
        };
        let whole = c.get(0)?;
        raw.push((
            list.start() + whole.start(),
            list.start() + whole.end(),
            month,
            d.as_str(),
        ));
    }
    let mut items = Vec::with_capacity(raw.len());
    let mut month = raw.last()?.2?;
    for &(s, e, m, d) in raw.iter().rev() {
        month = m.unwrap_or(month);
        items.push(Item {
            start: s,
            end: e,
            month,
            day: day_of(d, month)?,
        });
    }
    items.reverse();
    let last_end = items.last()?.end;
    let (year3, end) = trailing_year_at(text, caps.name("y3"), last_end)?;
    items.last_mut()?.end = end;
    let md: Vec<(u32, u32)> = items.iter().map(|i| (i.month, i.day)).collect();
    let dates = resolve_items(&md, year1, year3, reference, weekday)?;
    Some(list_candidate(text, &items, &dates))
}

/// The year closing a span or list and where the expression ends. Without a
/// year the last bare day must not read as a count ("January 12 and 13
/// countries") or a quantity; None rejects the tail.
fn trailing_year_at(
    text: &str,
    year: Option<Match>,
    last_end: usize,
) -> Option<(Option<i32>, usize)> {
    match year {
        Some(y) => Some((Some(year_of(text, y)?), y.end())),
        None if counted_after(text, last_end) => None,
        None => Some((None, last_end)),
    }
}

/// A plural noun or a quantity right after a bare number.
fn counted_after(text: &str, end: usize) -> bool {
    QUANTITY_AFTER.is_match(&text[end..])
        || word_after(text, end)
            .is_some_and(|w| w.len() >= 3 && w.ends_with('s') && !NOT_PLURAL.contains(&w))
}

/// "2022-01-07", also as the date part of "2022-01-07T10:00".
fn iso(text: &str, caps: &Captures) -> Option<Candidate> {
    let whole = caps.get(0)?;
    let rest = &text[whole.end()..];
    let mut chars = rest.chars();
    let ok_after = match chars.next() {
        None => true,
        Some('T') => chars.next().is_some_and(|c| c.is_ascii_digit()),
        Some(c) => !(c.is_alphanumeric() || c == '-' || c == '/'),
    };
    if !ok_after || attached_before(text, whole.start()) {
        return None;
    }
    let year: i32 = caps[1].parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, caps[2].parse().ok()?, caps[3].parse().ok()?)?;
    Some(Candidate {
        start: whole.start(),
        end: whole.end(),
        kind: Kind::ExplicitDay,
        exprs: vec![day_expr(whole.start(), whole.end(), Some(date), None)],
    })
}

// ---------------------------------------------------------------------------
// Months
// ---------------------------------------------------------------------------

fn month_expr(
    start: usize,
    end: usize,
    date: Option<NaiveDate>,
    relative: bool,
    future: bool,
) -> Candidate {
    Candidate {
        start,
        end,
        kind: Kind::Other,
        exprs: vec![DateExpr {
            start,
            end,
            date,
            end_date: None,
            precision: Precision::Month,
            relative,
            future,
        }],
    }
}

/// "March 2021".
fn month_year(text: &str, caps: &Captures) -> Option<Candidate> {
    let m = caps.name("m")?;
    let month = month_of(m.as_str())?;
    let y = caps.name("y")?;
    let date = NaiveDate::from_ymd_opt(year_of(text, y)?, month, 1)?;
    Some(month_expr(m.start(), y.end(), Some(date), false, false))
}

/// "in March", "mid-March", "last March", "next March".
fn month_only(caps: &Captures, reference: Option<NaiveDate>) -> Option<Candidate> {
    let m = caps.name("m")?;
    let month = month_of(m.as_str())?;
    let pre = caps.name("pre")?;
    let first_in = |year: i32| NaiveDate::from_ymd_opt(year, month, 1);
    match pre.as_str().to_ascii_lowercase().as_str() {
        "last" => {
            let date = reference.and_then(|r| {
                first_in(if month < r.month() {
                    r.year()
                } else {
                    r.year() - 1
                })
            });
            Some(month_expr(pre.start(), m.end(), date, true, false))
        }
        "next" => {
            let date = reference.and_then(|r| {
                first_in(if month > r.month() {
                    r.year()
                } else {
                    r.year() + 1
                })
            });
            Some(month_expr(pre.start(), m.end(), date, true, true))
        }
        "this" => Some(month_expr(
            pre.start(),
            m.end(),
            reference.and_then(|r| nearest_month(month, r)),
            true,
            false,
        )),
        _ => Some(month_expr(
            m.start(),
            m.end(),
            reference.and_then(|r| nearest_month(month, r)),
            false,
            false,
        )),
    }
}

// ---------------------------------------------------------------------------
// Relative days and weekdays
// ---------------------------------------------------------------------------

/// "today", "this morning", "yesterday", "tomorrow evening", …
fn relative_day(text: &str, caps: &Captures, reference: Option<NaiveDate>) -> Option<Candidate> {
    let whole = caps.get(0)?;
    // Capitalised mid-sentence after a name or "the", it is a title:
    // "USA Today", "the Today programme".
    if capitalised(whole.as_str()) && !sentence_start(text, whole.start()) {
        let prev = previous_word(text, whole.start());
        if prev.eq_ignore_ascii_case("the") || capitalised(prev) {
            return None;
        }
    }
    let (offset, future) = if caps.name("minus2").is_some() {
        (-2, false)
    } else if caps.name("plus2").is_some() {
        (2, true)
    } else if caps.name("minus1").is_some() {
        (-1, false)
    } else if caps.name("plus1").is_some() {
        (1, true)
    } else if caps.name("later").is_some() {
        (0, true)
    } else {
        (0, false)
    };
    Some(Candidate {
        start: whole.start(),
        end: whole.end(),
        kind: Kind::Other,
        exprs: vec![DateExpr {
            start: whole.start(),
            end: whole.end(),
            date: reference.map(|r| r + TimeDelta::days(offset)),
            end_date: None,
            precision: Precision::Day,
            relative: true,
            future,
        }],
    })
}

/// "Wednesday", "Monday evening", "next Tuesday", "Tuesday last week".
fn weekday_expr(text: &str, caps: &Captures, reference: Option<NaiveDate>) -> Option<Candidate> {
    let wd = caps.name("wd")?;
    let weekday = weekday_of(wd.as_str())?;
    if !capitalised(wd.as_str()) {
        return None;
    }
    let modifier = caps.name("mod").map(|m| m.as_str().to_ascii_lowercase());
    let week = caps.name("wk").map(|m| m.as_str().to_ascii_lowercase());
    if modifier.is_none() && NAMED_DAY_WORDS.contains(&previous_word(text, wd.start())) {
        return None;
    }
    let offset = i64::from(weekday.num_days_from_monday());
    let monday = |r: NaiveDate| r - TimeDelta::days(i64::from(r.weekday().num_days_from_monday()));
    let strictly_after = |r: NaiveDate| {
        let ahead = (7 - days_back(r.weekday(), weekday)) % 7;
        r + TimeDelta::days(if ahead == 0 { 7 } else { ahead })
    };
    let strictly_before = |r: NaiveDate| {
        let back = days_back(r.weekday(), weekday);
        r - TimeDelta::days(if back == 0 { 7 } else { back })
    };
    let modifier_word = modifier
        .as_deref()
        .map(|m| m.split_whitespace().last().unwrap_or(m));
    let (date, future) = match (week.as_deref(), modifier_word) {
        (Some("last"), _) => (
            reference.map(|r| monday(r) + TimeDelta::days(offset - 7)),
            false,
        ),
        (Some("next"), _) => (
            reference.map(|r| monday(r) + TimeDelta::days(offset + 7)),
            true,
        ),
        (Some(_), _) => (
            reference.map(|r| monday(r) + TimeDelta::days(offset)),
            false,
        ),
        (None, Some("next" | "coming")) => (reference.map(strictly_after), true),
        (None, Some("last" | "past")) => (reference.map(strictly_before), false),
        (None, _) => (
            reference.map(|r| resolve_weekday(weekday, r, Tense::Unknown)),
            false,
        ),
    };
    let whole = caps.get(0)?;
    let kind = if modifier.is_none() && week.is_none() {
        Kind::PlainWeekday
    } else {
        Kind::Other
    };
    Some(Candidate {
        start: whole.start(),
        end: whole.end(),
        kind,
        exprs: vec![DateExpr {
            start: whole.start(),
            end: whole.end(),
            date,
            end_date: None,
            precision: Precision::Day,
            relative: true,
            future,
        }],
    })
}

// ---------------------------------------------------------------------------
// Calendar arithmetic
// ---------------------------------------------------------------------------

/// Days from the last `target` on or before a day that falls on `from` (0..=6).
fn days_back(from: Weekday, target: Weekday) -> i64 {
    i64::from((from.num_days_from_monday() + 7 - target.num_days_from_monday()) % 7)
}

/// Most days a month can have (February counted as in a leap year).
fn max_days(month: u32) -> u32 {
    match month {
        2 => 29,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The (month, day) nearest the reference, preferring a year in which it
/// falls on `weekday` when one was written ("Wednesday, November 10").
/// February 29 looks further afield for a leap year.
fn nearest_day(
    month: u32,
    day: u32,
    reference: NaiveDate,
    weekday: Option<Weekday>,
) -> Option<NaiveDate> {
    let y = reference.year();
    let nearest = |dates: Vec<NaiveDate>| {
        dates
            .into_iter()
            .min_by_key(|d| ((*d - reference).num_days().abs(), *d > reference))
    };
    let near: Vec<NaiveDate> = (y - 1..=y + 1)
        .filter_map(|yy| NaiveDate::from_ymd_opt(yy, month, day))
        .collect();
    if near.is_empty() {
        return nearest(
            (y - 4..=y + 4)
                .filter_map(|yy| NaiveDate::from_ymd_opt(yy, month, day))
                .collect(),
        );
    }
    let matching: Vec<NaiveDate> = near
        .iter()
        .copied()
        .filter(|d| weekday.is_some_and(|w| d.weekday() == w))
        .collect();
    nearest(if matching.is_empty() { near } else { matching })
}

/// First day of the `month` nearest the reference (0 when inside it; ties → past).
fn nearest_month(month: u32, reference: NaiveDate) -> Option<NaiveDate> {
    let y = reference.year();
    (y - 1..=y + 1)
        .filter_map(|yy| {
            let first = NaiveDate::from_ymd_opt(yy, month, 1)?;
            let next = if month == 12 {
                NaiveDate::from_ymd_opt(yy + 1, 1, 1)?
            } else {
                NaiveDate::from_ymd_opt(yy, month + 1, 1)?
            };
            let last = next.pred_opt()?;
            let distance = if reference < first {
                (first - reference).num_days()
            } else if reference > last {
                (reference - last).num_days()
            } else {
                0
            };
            Some((distance, first > reference, first))
        })
        .min()
        .map(|(_, _, first)| first)
}

/// Which year each day of a chronological sequence falls in, relative to the
/// first: the sequence must move forward and may wrap past New Year once
/// ("December 30 – January 2" → [0, 1]).
fn year_offsets(md: &[(u32, u32)]) -> Option<Vec<i32>> {
    let mut offset = 0;
    let mut out = vec![0];
    for pair in md.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if b.0 < a.0 {
            offset += 1;
        } else if b <= a {
            return None;
        }
        out.push(offset);
    }
    (offset <= 1).then_some(out)
}

/// Resolves a chronological sequence of (month, day) pairs to dates. A
/// written first or last year anchors the sequence; otherwise the first day
/// takes the year nearest the reference. Without either, every date is None
/// (but the days must still exist in some year). None when the sequence is
/// impossible (out of order, February 30, …).
fn resolve_items(
    md: &[(u32, u32)],
    first_year: Option<i32>,
    last_year: Option<i32>,
    reference: Option<NaiveDate>,
    weekday: Option<Weekday>,
) -> Option<Vec<Option<NaiveDate>>> {
    if md
        .iter()
        .any(|&(m, d)| !(1..=12).contains(&m) || d == 0 || d > max_days(m))
    {
        return None;
    }
    // Both ends carry a year: take them as written.
    if let ([a, b], Some(fy), Some(ly)) = (md, first_year, last_year) {
        let start = NaiveDate::from_ymd_opt(fy, a.0, a.1)?;
        let end = NaiveDate::from_ymd_opt(ly, b.0, b.1)?;
        return (start < end).then(|| vec![Some(start), Some(end)]);
    }
    let offsets = year_offsets(md)?;
    let base = match (first_year, last_year, reference) {
        (Some(y), _, _) => y,
        (None, Some(y), _) => y - offsets.last()?,
        (None, None, Some(r)) => nearest_day(md[0].0, md[0].1, r, weekday)?.year(),
        (None, None, None) => return Some(vec![None; md.len()]),
    };
    md.iter()
        .zip(&offsets)
        .map(|(&(m, d), off)| NaiveDate::from_ymd_opt(base + off, m, d).map(Some))
        .collect()
}

// ---------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------

fn capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Month number of a capitalised month name or abbreviation.
fn month_of(name: &str) -> Option<u32> {
    if !capitalised(name) {
        return None;
    }
    let key: String = name
        .chars()
        .take(3)
        .collect::<String>()
        .to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months.iter().position(|m| *m == key).map(|i| i as u32 + 1)
}

/// Day number (ordinal suffix allowed) if the month can have it.
fn day_of(text: &str, month: u32) -> Option<u32> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    let day: u32 = digits.parse().ok()?;
    (1..=max_days(month)).contains(&day).then_some(day)
}

/// A plausible written year, not the start of a larger number ("2021.5").
fn year_of(text: &str, m: Match) -> Option<i32> {
    let year: i32 = m.as_str().parse().ok()?;
    ((1000..=2999).contains(&year) && !QUANTITY_AFTER.is_match(&text[m.end()..])).then_some(year)
}

fn weekday_of(name: &str) -> Option<Weekday> {
    match name.get(..3)?.to_ascii_lowercase().as_str() {
        "mon" => Some(Weekday::Mon),
        "tue" => Some(Weekday::Tue),
        "wed" => Some(Weekday::Wed),
        "thu" => Some(Weekday::Thu),
        "fri" => Some(Weekday::Fri),
        "sat" => Some(Weekday::Sat),
        "sun" => Some(Weekday::Sun),
        _ => None,
    }
}

/// The capitalised weekday that opens an explicit date, if any, and where
/// the expression then starts.
fn weekday_prefix(caps: &Captures, default_start: usize) -> (usize, Option<Weekday>) {
    match caps.name("wd") {
        Some(w) if capitalised(w.as_str()) => (w.start(), weekday_of(w.as_str())),
        _ => (default_start, None),
    }
}

/// The number at `start` is glued to what precedes it: "COVID-19", "3.5", "1/2".
fn attached_before(text: &str, start: usize) -> bool {
    let mut before = text[..start].chars().rev();
    match (before.next(), before.next()) {
        (Some(c), _) if c.is_alphanumeric() || "$£€#".contains(c) => true,
        (Some(c), Some(d)) => "-/.,:\u{2010}\u{2011}".contains(c) && d.is_alphanumeric(),
        _ => false,
    }
}

/// The lowercase word right after `end`, if one follows after whitespace.
fn word_after(text: &str, end: usize) -> Option<&str> {
    WORD_AFTER
        .captures(&text[end..])
        .and_then(|c| c.get(1))
        .map(|m| m.as_str())
}

/// The word just before `start` (letters only; empty if none).
fn previous_word(text: &str, start: usize) -> &str {
    let before = text[..start].trim_end();
    let from = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic())
        .last()
        .map_or(before.len(), |(i, _)| i);
    &before[from..]
}

/// `start` opens a sentence, line or quotation.
fn sentence_start(text: &str, start: usize) -> bool {
    let before = &text[..start];
    let trimmed = before.trim_end();
    if before[trimmed.len()..].contains('\n') {
        return true;
    }
    trimmed
        .chars()
        .last()
        .is_none_or(|c| ".!?:;\"“”‘'([—–-".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// (span text, date, end_date) for every expression.
    fn found(
        text: &str,
        reference: Option<NaiveDate>,
    ) -> Vec<(&str, Option<NaiveDate>, Option<NaiveDate>)> {
        find_dates(text, reference)
            .into_iter()
            .map(|e| (&text[e.start..e.end], e.date, e.end_date))
            .collect()
    }

    fn spans(text: &str) -> Vec<&str> {
        find_dates(text, Some(day(2021, 11, 15)))
            .into_iter()
            .map(|e| &text[e.start..e.end])
            .collect()
    }

    fn only(text: &str, reference: Option<NaiveDate>) -> DateExpr {
        let all = find_dates(text, reference);
        assert_eq!(all.len(), 1, "expected one date in {text:?}, got {all:?}");
        all.into_iter().next().unwrap()
    }

    // --- explicit days -----------------------------------------------------

    #[test]
    fn month_first_days_in_every_spelling_resolve_to_the_same_day() {
        let reference = Some(day(2021, 11, 20));
        for text in [
            "The ministers met on November 10 in Geneva.",
            "The ministers met on Nov. 10 in Geneva.",
            "The ministers met on Nov 10 in Geneva.",
            "The ministers met on November 10th in Geneva.",
            "The ministers met on 10 November in Geneva.",
            "The ministers met on the 10th of November in Geneva.",
            "The ministers met on NOVEMBER 10 in Geneva.",
        ] {
            let e = only(text, reference);
            assert_eq!(e.date, Some(day(2021, 11, 10)), "{text}");
            assert_eq!(e.precision, Precision::Day);
            assert!(!e.relative && !e.future);
            assert_eq!(e.end_date, None);
        }
    }

    #[test]
    fn the_span_covers_exactly_the_written_date() {
        let text = "They spoke on 10th of November, then parted.";
        assert_eq!(spans(text), ["10th of November"]);
        let text = "They spoke on Nov. 10, then parted.";
        assert_eq!(spans(text), ["Nov. 10"]);
    }

    #[test]
    fn september_abbreviations_are_read() {
        assert_eq!(
            only("Talks resumed Sept. 3.", Some(day(2021, 9, 10))).date,
            Some(day(2021, 9, 3))
        );
        assert_eq!(
            only("Talks resumed Sep 3.", Some(day(2021, 9, 10))).date,
            Some(day(2021, 9, 3))
        );
    }

    #[test]
    fn a_written_year_wins_over_the_reference() {
        let reference = Some(day(2024, 5, 1));
        for (text, expected) in [
            (
                "The call took place on January 7, 2022, by video.",
                "January 7, 2022",
            ),
            (
                "The call took place on 7 January 2022 by video.",
                "7 January 2022",
            ),
            (
                "The call took place on January 7 2022 by video.",
                "January 7 2022",
            ),
            ("The call took place on 2022-01-07 by video.", "2022-01-07"),
        ] {
            let e = only(text, reference);
            assert_eq!(&text[e.start..e.end], expected);
            assert_eq!(e.date, Some(day(2022, 1, 7)), "{text}");
        }
    }

    #[test]
    fn an_iso_timestamp_still_yields_its_day() {
        let text = "Posted 2022-01-07T10:30:00Z";
        let e = only(text, None);
        assert_eq!(&text[e.start..e.end], "2022-01-07");
        assert_eq!(e.date, Some(day(2022, 1, 7)));
    }

    #[test]
    fn numeric_slash_dates_are_left_alone() {
        assert!(find_dates("Signed 12/09/2021 in Rome.", Some(day(2021, 12, 20))).is_empty());
    }

    #[test]
    fn a_leading_weekday_joins_the_date_and_picks_the_year() {
        // November 10 was a Wednesday in 2021; the reference is mid-2022, nearer November 2022.
        let text = "The envoy arrived on Wednesday, November 10, and left on Friday.";
        let all = find_dates(text, Some(day(2022, 6, 1)));
        assert_eq!(&text[all[0].start..all[0].end], "Wednesday, November 10");
        assert_eq!(all[0].date, Some(day(2021, 11, 10)));
        assert_eq!(&text[all[1].start..all[1].end], "Friday");
    }

    #[test]
    fn a_weekday_in_brackets_after_a_date_is_not_a_second_date() {
        let text = "They meet on 10 November (Wednesday) in Oslo.";
        assert_eq!(spans(text), ["10 November"]);
    }

    #[test]
    fn a_day_without_any_reference_has_no_date_but_is_still_found() {
        let e = only("They met on March 3.", None);
        assert_eq!(e.date, None);
        assert_eq!(e.precision, Precision::Day);
    }

    #[test]
    fn an_impossible_day_is_not_a_date() {
        assert!(find_dates("on February 30 the talks ended", Some(day(2021, 3, 1))).is_empty());
        assert!(find_dates("on 31 April the talks ended", Some(day(2021, 5, 1))).is_empty());
        assert!(find_dates("on February 29, 2021", None).is_empty());
    }

    // --- year inference ------------------------------------------------------

    #[test]
    fn a_january_fact_sheet_listing_november_days_means_last_year() {
        assert_eq!(
            infer_year(11, 29, day(2022, 1, 10)),
            Some(day(2021, 11, 29))
        );
        let e = only(
            "The President hosted a summit on December 9.",
            Some(day(2022, 1, 10)),
        );
        assert_eq!(e.date, Some(day(2021, 12, 9)));
    }

    #[test]
    fn a_late_december_item_mentioning_january_means_next_year() {
        assert_eq!(infer_year(1, 10, day(2021, 12, 29)), Some(day(2022, 1, 10)));
        let e = only(
            "Leaders will meet on 10 January in Brussels.",
            Some(day(2021, 12, 29)),
        );
        assert_eq!(e.date, Some(day(2022, 1, 10)));
    }

    #[test]
    fn the_same_month_stays_in_the_reference_year() {
        assert_eq!(infer_year(6, 1, day(2023, 6, 30)), Some(day(2023, 6, 1)));
        assert_eq!(infer_year(6, 30, day(2023, 6, 1)), Some(day(2023, 6, 30)));
    }

    #[test]
    fn february_29_looks_for_the_nearest_leap_year() {
        assert_eq!(infer_year(2, 29, day(2023, 3, 1)), Some(day(2024, 2, 29)));
        assert_eq!(infer_year(2, 30, day(2023, 3, 1)), None);
        assert_eq!(infer_year(13, 1, day(2023, 3, 1)), None);
    }

    // --- spans -----------------------------------------------------------------

    #[test]
    fn a_span_within_a_month_sets_both_ends() {
        let reference = Some(day(2021, 11, 20));
        for (text, expected) in [
            (
                "The conference ran November 9-13 in Glasgow.",
                "November 9-13",
            ),
            (
                "The conference ran November 9–13 in Glasgow.",
                "November 9–13",
            ),
            (
                "The conference ran 9-13 November in Glasgow.",
                "9-13 November",
            ),
            (
                "The conference ran from November 9 to 13 in Glasgow.",
                "November 9 to 13",
            ),
            (
                "The conference ran from 9 to 13 November in Glasgow.",
                "9 to 13 November",
            ),
            (
                "The conference ran between 9 and 13 November in Glasgow.",
                "9 and 13 November",
            ),
            (
                "The conference ran between November 9 and 13 in Glasgow.",
                "November 9 and 13",
            ),
        ] {
            let e = only(text, reference);
            assert_eq!(&text[e.start..e.end], expected, "{text}");
            assert_eq!(e.date, Some(day(2021, 11, 9)), "{text}");
            assert_eq!(e.end_date, Some(day(2021, 11, 13)), "{text}");
            assert_eq!(e.precision, Precision::Day);
        }
    }

    #[test]
    fn a_short_span_of_two_days_is_a_span() {
        let e = only("Talks on December 1-2 were frank.", Some(day(2021, 12, 10)));
        assert_eq!(
            (e.date, e.end_date),
            (Some(day(2021, 12, 1)), Some(day(2021, 12, 2)))
        );
    }

    #[test]
    fn a_span_across_months_sets_both_months() {
        let reference = Some(day(2021, 12, 5));
        for (text, expected) in [
            (
                "The visit lasted November 30 – December 1.",
                "November 30 – December 1",
            ),
            (
                "The visit lasted November 30-December 1.",
                "November 30-December 1",
            ),
            (
                "The visit lasted 30 November – 1 December.",
                "30 November – 1 December",
            ),
            (
                "The visit lasted from 30 November to 1 December 2021.",
                "30 November to 1 December 2021",
            ),
        ] {
            let e = only(text, reference);
            assert_eq!(&text[e.start..e.end], expected, "{text}");
            assert_eq!(e.date, Some(day(2021, 11, 30)), "{text}");
            assert_eq!(e.end_date, Some(day(2021, 12, 1)), "{text}");
        }
    }

    #[test]
    fn a_span_across_the_new_year_keeps_both_years() {
        let text = "The delegation toured the region December 30 – January 2.";
        let e = only(text, Some(day(2022, 1, 10)));
        assert_eq!(
            (e.date, e.end_date),
            (Some(day(2021, 12, 30)), Some(day(2022, 1, 2)))
        );
        let e = only(text, Some(day(2021, 12, 20)));
        assert_eq!(
            (e.date, e.end_date),
            (Some(day(2021, 12, 30)), Some(day(2022, 1, 2)))
        );
    }

    #[test]
    fn a_year_written_at_the_end_of_a_span_covers_its_start() {
        let e = only("Held Dec. 30, 2021 – Jan. 2, 2022 in Doha.", None);
        assert_eq!(
            (e.date, e.end_date),
            (Some(day(2021, 12, 30)), Some(day(2022, 1, 2)))
        );
        let e = only("Held December 30 – January 2, 2022 in Doha.", None);
        assert_eq!(
            (e.date, e.end_date),
            (Some(day(2021, 12, 30)), Some(day(2022, 1, 2)))
        );
        let e = only("Held November 9-13, 2020 in Doha.", Some(day(2024, 1, 1)));
        assert_eq!(
            (e.date, e.end_date),
            (Some(day(2020, 11, 9)), Some(day(2020, 11, 13)))
        );
    }

    #[test]
    fn a_backwards_span_falls_back_to_its_first_day() {
        let text = "on November 13-9 nothing";
        let all = find_dates(text, Some(day(2021, 11, 20)));
        assert_eq!(all.len(), 1);
        assert_eq!(&text[all[0].start..all[0].end], "November 13");
        assert_eq!(all[0].end_date, None);
    }

    // --- lists -------------------------------------------------------------------

    #[test]
    fn a_listed_second_day_gets_its_own_expression() {
        let text = "The working groups met Jan. 12 and 13 in Vienna.";
        assert_eq!(
            found(text, Some(day(2022, 1, 20))),
            [
                ("Jan. 12", Some(day(2022, 1, 12)), None),
                ("13", Some(day(2022, 1, 13)), None)
            ]
        );
    }

    #[test]
    fn a_list_of_three_days_gives_three_expressions() {
        let text = "Consultations were held January 12, 13 and 14, 2022.";
        assert_eq!(
            found(text, None),
            [
                ("January 12", Some(day(2022, 1, 12)), None),
                ("13", Some(day(2022, 1, 13)), None),
                ("14, 2022", Some(day(2022, 1, 14)), None),
            ]
        );
    }

    #[test]
    fn a_day_first_list_takes_the_month_from_its_last_day() {
        let text = "The ministers talked on 5 and 6 December by phone.";
        assert_eq!(
            found(text, Some(day(2021, 12, 10))),
            [
                ("5", Some(day(2021, 12, 5)), None),
                ("6 December", Some(day(2021, 12, 6)), None)
            ]
        );
        let text = "Sessions on 29, 30 November and 1 December.";
        assert_eq!(
            found(text, Some(day(2021, 12, 10))),
            [
                ("29", Some(day(2021, 11, 29)), None),
                ("30 November", Some(day(2021, 11, 30)), None),
                ("1 December", Some(day(2021, 12, 1)), None),
            ]
        );
    }

    #[test]
    fn a_list_across_the_new_year_keeps_both_years() {
        let text = "Calls on December 31 and January 1 went well.";
        assert_eq!(
            found(text, Some(day(2022, 1, 5))),
            [
                ("December 31", Some(day(2021, 12, 31)), None),
                ("January 1", Some(day(2022, 1, 1)), None)
            ]
        );
    }

    #[test]
    fn a_count_after_a_listed_day_ends_the_list() {
        let text = "On January 12 and 13 countries signed the accord.";
        assert_eq!(spans(text), ["January 12"]);
        let text = "From November 9 to 12 leaders attended.";
        assert_eq!(spans(text), ["November 9"]);
    }

    // --- months --------------------------------------------------------------------

    #[test]
    fn a_month_with_a_year_has_month_precision() {
        let text = "The talks began in March 2021 and stalled.";
        let e = only(text, None);
        assert_eq!(&text[e.start..e.end], "March 2021");
        assert_eq!(
            (e.date, e.precision),
            (Some(day(2021, 3, 1)), Precision::Month)
        );
        let text = "Preparations for the December 2021 European Council continued.";
        let e = only(text, None);
        assert_eq!(&text[e.start..e.end], "December 2021");
        assert_eq!(
            (e.date, e.precision),
            (Some(day(2021, 12, 1)), Precision::Month)
        );
    }

    #[test]
    fn a_bare_month_after_a_temporal_word_takes_the_nearest_year() {
        let reference = Some(day(2022, 1, 10));
        for (text, expected, date) in [
            ("Both sides met in December.", "December", day(2021, 12, 1)),
            (
                "A visit is planned for mid-March.",
                "March",
                day(2022, 3, 1),
            ),
            (
                "A visit is planned for early March.",
                "March",
                day(2022, 3, 1),
            ),
            (
                "The deal is due by the end of June.",
                "June",
                day(2022, 6, 1),
            ),
        ] {
            let e = only(text, reference);
            assert_eq!(&text[e.start..e.end], expected, "{text}");
            assert_eq!(
                (e.date, e.precision),
                (Some(date), Precision::Month),
                "{text}"
            );
            assert!(!e.relative);
        }
    }

    #[test]
    fn last_and_next_month_names_move_away_from_the_reference() {
        let reference = Some(day(2022, 3, 15));
        let e = only("They first met last March.", reference);
        assert_eq!(
            (e.date, e.relative, e.future),
            (Some(day(2021, 3, 1)), true, false)
        );
        let e = only("They meet again next March.", reference);
        assert_eq!(
            (e.date, e.relative, e.future),
            (Some(day(2023, 3, 1)), true, true)
        );
        let e = only("They meet again next April.", reference);
        assert_eq!(e.date, Some(day(2022, 4, 1)));
    }

    #[test]
    fn a_bare_month_name_without_a_temporal_word_is_not_a_date() {
        assert!(spans("March was cold and the envoy left.").is_empty());
        assert!(spans("The envoy met May on Monday")
            .iter()
            .all(|s| *s == "Monday"));
    }

    // --- relative days -------------------------------------------------------------

    #[test]
    fn relative_days_count_from_the_reference() {
        let reference = day(2021, 11, 17);
        for (text, expected, date, future) in [
            ("The leaders spoke today.", "today", reference, false),
            ("They will speak tonight.", "tonight", reference, false),
            ("He landed this morning.", "this morning", reference, false),
            (
                "He departs this afternoon.",
                "this afternoon",
                reference,
                false,
            ),
            (
                "A dinner is set for this evening.",
                "this evening",
                reference,
                false,
            ),
            (
                "They spoke yesterday.",
                "yesterday",
                day(2021, 11, 16),
                false,
            ),
            (
                "They spoke yesterday evening.",
                "yesterday evening",
                day(2021, 11, 16),
                false,
            ),
            (
                "They will speak tomorrow.",
                "tomorrow",
                day(2021, 11, 18),
                true,
            ),
            ("He speaks later today.", "later today", reference, true),
            (
                "They met the day before yesterday.",
                "the day before yesterday",
                day(2021, 11, 15),
                false,
            ),
        ] {
            let e = only(text, Some(reference));
            assert_eq!(&text[e.start..e.end], expected, "{text}");
            assert_eq!(e.date, Some(date), "{text}");
            assert_eq!(e.future, future, "{text}");
            assert!(e.relative && e.precision == Precision::Day, "{text}");
        }
    }

    #[test]
    fn relative_days_without_a_reference_have_no_date() {
        let e = only("They spoke yesterday.", None);
        assert_eq!(e.date, None);
        assert!(e.relative);
    }

    #[test]
    fn a_capitalised_today_after_a_name_is_a_title() {
        assert!(spans("He told USA Today about the call.").is_empty());
        assert_eq!(spans("Today, the two leaders spoke."), ["Today"]);
    }

    #[test]
    fn vague_weeks_are_not_dates() {
        assert!(spans("They will meet next week and spoke last week.").is_empty());
        assert!(spans("Earlier this week the envoy left.").is_empty());
    }

    // --- weekdays --------------------------------------------------------------------

    #[test]
    fn a_past_weekday_is_the_latest_on_or_before_the_reference() {
        let friday = day(2021, 11, 19);
        assert_eq!(
            resolve_weekday(Weekday::Thu, friday, Tense::Past),
            day(2021, 11, 18)
        );
        assert_eq!(resolve_weekday(Weekday::Fri, friday, Tense::Past), friday);
        assert_eq!(
            resolve_weekday(Weekday::Sat, friday, Tense::Past),
            day(2021, 11, 13)
        );
    }

    #[test]
    fn a_future_weekday_is_the_first_on_or_after_the_reference() {
        let friday = day(2021, 11, 19);
        assert_eq!(
            resolve_weekday(Weekday::Mon, friday, Tense::Future),
            day(2021, 11, 22)
        );
        assert_eq!(resolve_weekday(Weekday::Fri, friday, Tense::Future), friday);
        assert_eq!(
            resolve_weekday(Weekday::Thu, friday, Tense::Future),
            day(2021, 11, 25)
        );
    }

    #[test]
    fn an_unknown_tense_weekday_is_the_nearer_one() {
        let friday = day(2021, 11, 19);
        assert_eq!(
            resolve_weekday(Weekday::Wed, friday, Tense::Unknown),
            day(2021, 11, 17)
        );
        assert_eq!(
            resolve_weekday(Weekday::Mon, friday, Tense::Unknown),
            day(2021, 11, 22)
        );
        assert_eq!(
            resolve_weekday(Weekday::Fri, friday, Tense::Unknown),
            friday
        );
    }

    #[test]
    fn a_weekday_in_text_resolves_to_the_nearer_day_and_is_relative() {
        let friday = Some(day(2021, 11, 19));
        let text = "The two presidents spoke on Wednesday evening about trade.";
        let e = only(text, friday);
        assert_eq!(&text[e.start..e.end], "Wednesday evening");
        assert_eq!(e.date, Some(day(2021, 11, 17)));
        assert!(e.relative && !e.future);
        assert_eq!(weekday_in(&text[e.start..e.end]), Some(Weekday::Wed));
        assert_eq!(weekday_direction(&text[e.start..e.end]), None);
        let e = only("Monday evening talks are planned.", friday);
        assert_eq!(e.date, Some(day(2021, 11, 22)));
    }

    #[test]
    fn next_and_last_weekdays_carry_their_direction() {
        let friday = Some(day(2021, 11, 19));
        let e = only("They meet next Tuesday.", friday);
        assert_eq!((e.date, e.future), (Some(day(2021, 11, 23)), true));
        assert_eq!(weekday_direction("next Tuesday"), Some(Tense::Future));
        let e = only("They meet next Friday.", friday);
        assert_eq!(e.date, Some(day(2021, 11, 26)));
        let e = only("They meet this coming Wednesday.", friday);
        assert_eq!((e.date, e.future), (Some(day(2021, 11, 24)), true));
        let e = only("They met last Thursday.", friday);
        assert_eq!((e.date, e.future), (Some(day(2021, 11, 18)), false));
        let e = only("They met last Friday.", friday);
        assert_eq!(e.date, Some(day(2021, 11, 12)));
        assert_eq!(weekday_direction("last Friday"), Some(Tense::Past));
    }

    #[test]
    fn a_weekday_of_last_or_next_week_lands_in_that_week() {
        let friday = Some(day(2021, 11, 19));
        let text = "They spoke on Tuesday last week.";
        let e = only(text, friday);
        assert_eq!(&text[e.start..e.end], "Tuesday last week");
        assert_eq!(e.date, Some(day(2021, 11, 9)));
        let e = only("They will speak on Monday next week.", friday);
        assert_eq!((e.date, e.future), (Some(day(2021, 11, 22)), true));
    }

    #[test]
    fn a_weekday_without_a_reference_has_no_date() {
        let e = only("They spoke on Thursday.", None);
        assert_eq!(e.date, None);
        assert!(e.relative);
    }

    #[test]
    fn named_days_and_lowercase_weekdays_are_not_weekdays() {
        assert!(spans("Markets fell on Black Friday and Good Friday.").is_empty());
        assert!(spans("a monday-style meeting").is_empty());
    }

    #[test]
    fn weekday_in_reads_the_weekday_of_a_span() {
        assert_eq!(weekday_in("on Monday evening"), Some(Weekday::Mon));
        assert_eq!(weekday_in("SUNDAY"), Some(Weekday::Sun));
        assert_eq!(weekday_in("November 10"), None);
    }

    // --- must not match ----------------------------------------------------------------

    #[test]
    fn numbers_without_a_month_are_never_dates() {
        for text in [
            "They met 5 times this year.",
            "COVID-19 dominated the agenda.",
            "Under Article 5 the allies consult.",
            "The G7 and B9 leaders spoke.",
            "Ahead of the 2020 election the envoy left.",
            "In 2021 relations improved.",
            "the 16 European leaders agreed",
        ] {
            assert!(
                find_dates(text, Some(day(2021, 11, 15))).is_empty(),
                "{text}"
            );
        }
    }

    #[test]
    fn may_and_march_as_verbs_are_not_months() {
        for text in [
            "We may meet again soon.",
            "Protesters march 5 miles to the embassy.",
            "Leaders may 10 times a year confer.",
        ] {
            assert!(
                find_dates(text, Some(day(2021, 11, 15))).is_empty(),
                "{text}"
            );
        }
    }

    #[test]
    fn a_count_after_in_month_is_not_a_day() {
        let text = "In May 5 countries joined the pact.";
        let e = only(text, Some(day(2021, 11, 15)));
        assert_eq!(&text[e.start..e.end], "May");
        assert_eq!(e.precision, Precision::Month);
    }

    #[test]
    fn quantities_after_a_month_name_are_not_days() {
        assert!(spans("Prices in May rose 10 percent; March 5% higher")
            .iter()
            .all(|s| *s == "May"));
        assert!(spans("Since March 1,500 troops arrived")
            .iter()
            .all(|s| *s == "March"));
    }

    #[test]
    fn a_date_after_a_number_glued_to_a_word_is_not_read() {
        assert!(spans("the COVID-19 December wave").is_empty());
    }

    #[test]
    fn between_two_full_dates_is_a_span_but_two_full_dates_with_and_are_two_days() {
        let reference = Some(day(2021, 12, 10));
        let text = "Inspections ran between 30 November and 2 December.";
        assert_eq!(
            found(text, reference),
            [(
                "30 November and 2 December",
                Some(day(2021, 11, 30)),
                Some(day(2021, 12, 2))
            )]
        );
        let text = "Inspections ran on 5 December 2021 and 6 January 2022.";
        assert_eq!(
            found(text, reference),
            [
                ("5 December 2021", Some(day(2021, 12, 5)), None),
                ("6 January 2022", Some(day(2022, 1, 6)), None),
            ]
        );
    }

    #[test]
    fn byte_spans_stay_exact_after_multibyte_text() {
        let text = "Le ministre français — à Genève — a reçu son homologue le 9\u{2009}–\u{2009}13 novembre; on 9\u{2009}–\u{2009}13 November.";
        let all = find_dates(text, Some(day(2021, 11, 20)));
        assert_eq!(all.len(), 1, "{all:?}");
        assert_eq!(
            &text[all[0].start..all[0].end],
            "9\u{2009}–\u{2009}13 November"
        );
        assert_eq!(all[0].end_date, Some(day(2021, 11, 13)));
    }

    #[test]
    fn a_weekday_and_ordinal_day_first_date_is_one_expression() {
        let text = "Signed on Wednesday the 10th of November 2021 in Lima.";
        let e = only(text, None);
        assert_eq!(&text[e.start..e.end], "Wednesday the 10th of November 2021");
        assert_eq!(e.date, Some(day(2021, 11, 10)));
    }

    #[test]
    fn this_past_weekday_is_strictly_before_the_reference() {
        let friday = Some(day(2021, 11, 19));
        let e = only("They met this past Friday.", friday);
        assert_eq!((e.date, e.future), (Some(day(2021, 11, 12)), false));
    }

    #[test]
    fn two_weekdays_joined_by_and_are_two_expressions() {
        let text = "Talks continue on Tuesday and Wednesday.";
        let all = find_dates(text, Some(day(2021, 11, 19)));
        let got: Vec<_> = all
            .iter()
            .map(|e| (&text[e.start..e.end], e.date))
            .collect();
        assert_eq!(
            got,
            [
                ("Tuesday", Some(day(2021, 11, 16))),
                ("Wednesday", Some(day(2021, 11, 17)))
            ]
        );
    }

    #[test]
    fn a_plain_weekday_is_found_next_to_an_unrelated_number() {
        let text = "On Monday 30 diplomats were expelled.";
        assert_eq!(spans(text), ["Monday"]);
    }

    #[test]
    fn several_dates_come_back_in_text_order() {
        let text =
            "After talks on 3 March 2022, the sides met again on April 7 and spoke yesterday.";
        assert_eq!(
            found(text, Some(day(2022, 4, 20))),
            [
                ("3 March 2022", Some(day(2022, 3, 3)), None),
                ("April 7", Some(day(2022, 4, 7)), None),
                ("yesterday", Some(day(2022, 4, 19)), None),
            ]
        );
    }
}
