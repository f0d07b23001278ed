//! Splits cleaned text into items, the units engagements are read from: a
//! dated entry ("November 29: …", also when many are glued into one run-on
//! paragraph), a bullet, or a sentence of prose. Headings open sections
//! ("Upcoming consultations") and "With Japan:" labels name a counterpart.

use std::sync::LazyLock;

use regex::Regex;

/// One unit of text to read engagements from. Spans are byte offsets into
/// the cleaned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub start: usize,
    pub end: usize,
    /// Span of a leading date marker ("November 30 – December 1"), colon excluded.
    pub date_marker: Option<(usize, usize)>,
    /// A leading "With Japan:" label's subject ("Japan").
    pub label: Option<String>,
    /// The heading the item stands under.
    pub section: Option<String>,
    /// Which paragraph or bullet the item came from, for pronoun context.
    pub block: usize,
}

static MONTH: &str = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)";

/// A date that opens an entry and is followed by a colon.
static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    let day = r"\d{1,2}(?:st|nd|rd|th)?";
    let dash = r"\s*[-–—]\s*";
    let month_first = format!(r"{MONTH}\s+{day}(?:{dash}(?:{MONTH}\s+)?{day})?");
    let day_first = format!(r"{day}(?:{dash}{day})?\s+{MONTH}(?:{dash}{day}\s+{MONTH})?");
    Regex::new(&format!(
        r"(?:^|[\s;,.(])((?:{month_first}|{day_first})(?:,?\s+\d{{4}})?)\s*:"
    ))
    .expect("valid marker pattern")
});

static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:With|On|In) ((?:the )?[A-Z][\w.’'\- ]{1,40}?):\s")
        .expect("valid label pattern")
});

static BULLET: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*(?:[-•▪◦]|\d{1,2}[.)])\s+").expect("valid bullet pattern"));

/// Words that end a sentence with a period without ending the sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "adm", "col", "maj", "capt", "sgt", "st", "jr", "sr",
    "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "gov", "sen", "rep", "amb", "prof", "vs", "etc", "brig", "cmdr", "lt. gen", "u.s", "u.k",
    "u.n", "e.u", "h.e", "a.m", "p.m",
];

#[derive(Debug, Clone, Copy)]
struct Block {
    start: usize,
    end: usize,
    bullet: bool,
}

/// Splits `text` into items.
pub fn split(text: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut section: Option<String> = None;
    for (index, block) in blocks(text).into_iter().enumerate() {
        let body = &text[block.start..block.end];
        let markers: Vec<(usize, usize, usize)> = MARKER
            .captures_iter(body)
            .map(|c| {
                let date = c.get(1).expect("group 1");
                let colon = c.get(0).expect("group 0").end();
                (
                    block.start + date.start(),
                    block.start + date.end(),
                    block.start + colon,
                )
            })
            .collect();
        if !block.bullet && markers.is_empty() && is_heading(body) {
            section = Some(fold(body));
            continue;
        }
        let ctx = |start, end, date_marker, label: Option<String>| Item {
            start,
            end,
            date_marker,
            label,
            section: section.clone(),
            block: index,
        };
        if let Some(&(first, _, _)) = markers.first() {
            // Text before the first dated entry is prose of its own.
            for (s, e) in sentences(text, block.start, first) {
                items.push(ctx(s, e, None, None));
            }
            for (k, &(date_start, date_end, colon)) in markers.iter().enumerate() {
                let end = markers.get(k + 1).map_or(block.end, |next| next.0);
                let end = trim_glue(text, colon, end);
                items.push(ctx(date_start, end, Some((date_start, date_end)), None));
            }
            continue;
        }
        let (label, body_start) = match LABEL.captures(body) {
            Some(c) => (
                Some(c[1].trim_start_matches("the ").to_string()),
                block.start + c.get(0).expect("group 0").end(),
            ),
            None => (None, block.start),
        };
        for (s, e) in sentences(text, body_start, block.end) {
            items.push(ctx(s, e, None, label.clone()));
        }
    }
    items
}

/// Paragraphs and bullets with their continuation lines.
fn blocks(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut current: Option<Block> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let content = line.trim_end();
        if content.trim().is_empty() {
            blocks.extend(current.take());
            continue;
        }
        // A wrapped paragraph's line that starts "14. They …" continues the
        // paragraph ("… on February\n14."): as in CommonMark, only a "1."
        // starts a numbered list inside a paragraph.
        let continues_paragraph = |m: &regex::Match| {
            let marker = m.as_str().trim();
            current.is_some_and(|b| !b.bullet)
                && marker.starts_with(|c: char| c.is_ascii_digit())
                && !marker.starts_with("1.")
                && !marker.starts_with("1)")
        };
        if let Some(m) = BULLET.find(content).filter(|m| !continues_paragraph(m)) {
            blocks.extend(current.take());
            current = Some(Block {
                start: line_start + m.end(),
                end: line_start + content.len(),
                bullet: true,
            });
            continue;
        }
        let lead = content.len() - content.trim_start().len();
        // A line that ends a sentence, or a "With Japan:" label, ends the
        // paragraph in text that is not wrapped.
        if LABEL.is_match(content.trim_start()) {
            blocks.extend(current.take());
        }
        let ends_sentence = content.ends_with(['.', '!', '?', '"', '”', ':']);
        match &mut current {
            Some(block) => block.end = line_start + content.len(),
            None => {
                current = Some(Block {
                    start: line_start + lead,
                    end: line_start + content.len(),
                    bullet: false,
                })
            }
        }
        if ends_sentence && current.is_some_and(|b| !b.bullet) {
            blocks.extend(current.take());
        }
    }
    blocks.extend(current);
    blocks
}

/// A short line with no sentence punctuation: a section title.
fn is_heading(body: &str) -> bool {
    let body = body.trim();
    let words = body.split_whitespace().count();
    (1..=14).contains(&words)
        && !body.ends_with(['.', '!', '?', ':', ';', ',', '”', '"'])
        && body.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Drops separators that glue one run-on entry to the next ("… and 17 December:").
fn trim_glue(text: &str, start: usize, mut end: usize) -> usize {
    loop {
        let slice = text[start..end].trim_end();
        let trimmed = slice
            .strip_suffix(" and")
            .or_else(|| slice.strip_suffix(';'))
            .or_else(|| slice.strip_suffix(','));
        match trimmed {
            Some(t) => end = start + t.len(),
            None => return start + slice.len(),
        }
    }
}

/// Sentence spans in `text[start..end]`.
fn sentences(text: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut sentence_start = start;
    let bytes = text.as_bytes();
    let mut i = start;
    while i < end {
        let c = bytes[i];
        if matches!(c, b'.' | b'!' | b'?') && ends_sentence(text, sentence_start, i, end) {
            push_trimmed(text, &mut spans, sentence_start, i + 1);
            sentence_start = i + 1;
        }
        i += 1;
    }
    push_trimmed(text, &mut spans, sentence_start, end);
    spans
}

fn ends_sentence(text: &str, sentence_start: usize, dot: usize, end: usize) -> bool {
    let after = &text[dot + 1..end];
    let next = after.trim_start_matches([' ', '\n', '\t', '”', '"', '’', ')']);
    if next.len() == after.len() && !after.is_empty() {
        return false; // no space after: "U.S.", "3.5"
    }
    if !next
        .chars()
        .next()
        .is_none_or(|c| c.is_uppercase() || c == '“' || c == '"')
    {
        return false;
    }
    if text.as_bytes()[dot] != b'.' {
        return true;
    }
    let word: String = text[sentence_start..dot]
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("")
        .to_lowercase();
    let is_initial = word.chars().count() == 1 && word.chars().all(|c| c.is_alphabetic());
    !(is_initial || ABBREVIATIONS.contains(&word.as_str()))
}

fn push_trimmed(text: &str, spans: &mut Vec<(usize, usize)>, start: usize, end: usize) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trimmed = slice.trim();
    if trimmed.chars().any(|c| c.is_alphanumeric()) {
        spans.push((start + lead, start + lead + trimmed.len()));
    }
}

/// White space folded to single spaces.
pub fn fold(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        split(text)
            .iter()
            .map(|i| fold(&text[i.start..i.end]))
            .collect()
    }

    #[test]
    fn run_on_entries_split_at_each_date_in_either_order() {
        let text = "Intro line here. March 3: A met B March 4: C called D 5 April: E visited F and 6 April: G";
        assert_eq!(
            texts(text),
            [
                "Intro line here.",
                "March 3: A met B",
                "March 4: C called D",
                "5 April: E visited F",
                "6 April: G"
            ]
        );
        let items = split(text);
        let (s, e) = items[3].date_marker.unwrap();
        assert_eq!(&text[s..e], "5 April");
    }

    #[test]
    fn bullets_with_continuation_lines_are_one_item() {
        let text =
            "Heading of a section\n\n-   June 2: one call\n    continued\n-   June 3: another\n";
        let items = split(text);
        assert_eq!(items.len(), 2);
        assert_eq!(
            fold(&text[items[0].start..items[0].end]),
            "June 2: one call continued"
        );
        assert_eq!(items[0].section.as_deref(), Some("Heading of a section"));
    }

    #[test]
    fn a_wrapped_line_that_starts_with_a_day_number_continues_its_paragraph() {
        let text =
            "The minister spoke with her counterpart on February\n14. They discussed trade.\n";
        let items = split(text);
        assert_eq!(
            fold(&text[items[0].start..items[0].end]),
            "The minister spoke with her counterpart on February 14."
        );
        let list = "Steps:\n\n1. first step\n2. second step\n";
        assert_eq!(split(list).len(), 3);
    }

    #[test]
    fn spans_across_months_are_one_marker() {
        let text = "- May 30 – June 1: a ministerial";
        let item = &split(text)[0];
        let (s, e) = item.date_marker.unwrap();
        assert_eq!(&text[s..e], "May 30 – June 1");
    }

    #[test]
    fn prose_splits_into_sentences_but_not_at_abbreviations() {
        assert_eq!(
            texts("Gen. Smith met Mr. Jones in the U.S. capital. They talked. Then left."),
            [
                "Gen. Smith met Mr. Jones in the U.S. capital.",
                "They talked.",
                "Then left."
            ]
        );
    }

    #[test]
    fn a_with_label_names_the_counterpart() {
        let items = split("With Peru: The minister spoke with her counterpart. They agreed.");
        assert_eq!(items.len(), 2);
        assert!(items.iter().all(|i| i.label.as_deref() == Some("Peru")));
    }
}
