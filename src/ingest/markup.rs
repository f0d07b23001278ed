//! Strips markdown to plain text (links, emphasis, escapes, HTML comments)
//! while remembering, for every byte kept, where it stood in the original
//! document, so evidence can always point at the source bytes.

/// A link's text span in the cleaned text, and its target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub start: usize,
    pub end: usize,
    pub url: String,
}

/// Plain text with a map back to the original document's byte offsets.
#[derive(Debug, Clone, Default)]
pub struct Clean {
    pub text: String,
    /// `map[i]` is the original offset of cleaned byte `i`; one extra entry
    /// maps the end of the text.
    map: Vec<usize>,
    pub links: Vec<Link>,
}

impl Clean {
    /// The original byte offset of a cleaned offset.
    pub fn original(&self, offset: usize) -> usize {
        self.map[offset.min(self.map.len() - 1)]
    }

    fn push(&mut self, ch: char, original: usize) {
        let mut buf = [0u8; 4];
        for _ in ch.encode_utf8(&mut buf).bytes() {
            self.map.push(original);
        }
        self.text.push(ch);
    }
}

/// Cleans `doc[start..]`. Offsets in the result map into `doc`.
pub fn clean(doc: &str, start: usize) -> Clean {
    let mut out = Clean::default();
    clean_into(&mut out, doc, start, doc.len(), true);
    out.map.push(doc.len());
    out
}

fn clean_into(out: &mut Clean, doc: &str, start: usize, end: usize, links: bool) {
    let mut i = start;
    let at_line_start = |out: &Clean| {
        out.text
            .rsplit('\n')
            .next()
            .is_none_or(|line| line.trim().is_empty())
    };
    while i < end {
        let rest = &doc[i..end];
        let ch = rest.chars().next().expect("in bounds");
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |j| j + 3);
            continue;
        }
        match ch {
            '\\' => {
                // A markdown escape keeps the next character literally.
                if let Some(next) = rest[1..]
                    .chars()
                    .next()
                    .filter(|c| c.is_ascii_punctuation())
                {
                    out.push(next, i + 1);
                    i += 1 + next.len_utf8();
                } else {
                    out.push(' ', i);
                    i += 1;
                }
            }
            '*' => {
                // "* item" at a line start is a bullet; otherwise emphasis.
                if at_line_start(out) && rest[1..].starts_with([' ', '\t']) {
                    out.push('-', i);
                }
                i += 1;
            }
            '[' if links => match link_at(rest) {
                Some((text_len, url, total)) => {
                    let link_start = out.text.len();
                    clean_into(out, doc, i + 1, i + 1 + text_len, false);
                    out.links.push(Link {
                        start: link_start,
                        end: out.text.len(),
                        url,
                    });
                    i += total;
                }
                None => {
                    out.push('[', i);
                    i += 1;
                }
            },
            '\u{a0}' | '\u{2009}' | '\u{202f}' => {
                out.push(' ', i);
                i += ch.len_utf8();
            }
            _ => {
                out.push(ch, i);
                i += ch.len_utf8();
            }
        }
    }
}

/// `[text](url)` at the start of `s`: the text's length, the URL, and the
/// whole construct's length.
fn link_at(s: &str) -> Option<(usize, String, usize)> {
    let mut depth = 0usize;
    let mut close = None;
    for (j, c) in s.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(j);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    let after = &s[close + 1..];
    if !after.starts_with('(') {
        return None;
    }
    let paren = after.find(')')?;
    let url: String = after[1..paren].split_whitespace().collect();
    if url.is_empty() || url.contains('[') {
        return None;
    }
    Some((close - 1, url, close + 1 + paren + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_keep_their_text_and_remember_the_url() {
        let doc = "-   [May 3: a call with\n    someone](https://example.org/x) after";
        let clean = clean(doc, 0);
        assert_eq!(clean.text, "-   May 3: a call with\n    someone after");
        assert_eq!(clean.links.len(), 1);
        let link = &clean.links[0];
        assert_eq!(
            &clean.text[link.start..link.end],
            "May 3: a call with\n    someone"
        );
        assert_eq!(link.url, "https://example.org/x");
        assert_eq!(
            &doc[clean.original(link.start)..clean.original(link.start) + 5],
            "May 3"
        );
    }

    #[test]
    fn emphasis_escapes_and_comments_disappear() {
        let clean = clean("*Quoted* text **bold**\n<!-- -->\n\\### end", 0);
        assert_eq!(clean.text, "Quoted text bold\n\n### end");
    }

    #[test]
    fn offsets_map_back_past_removed_markup() {
        let doc = "**Heading** then word";
        let clean = clean(doc, 0);
        let at = clean.text.find("word").unwrap();
        assert_eq!(&doc[clean.original(at)..], "word");
        assert_eq!(clean.original(clean.text.len()), doc.len());
    }

    #[test]
    fn a_bracket_that_is_not_a_link_stays() {
        assert_eq!(clean("a [note] b", 0).text, "a [note] b");
    }
}
