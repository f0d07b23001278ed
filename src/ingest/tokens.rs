//! Words, numbers and punctuation with their byte spans. Possessives are
//! split off the word ("Blinken’s" → "Blinken" + possessive) so names read
//! the same however they are inflected; abbreviations keep their period.

/// One token of an item's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The word with curly apostrophes straightened and a possessive removed.
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub kind: TokenKind,
    /// Written with `'s`/`’s`/`s’` after it.
    pub possessive: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

impl Token {
    pub fn is_word(&self) -> bool {
        self.kind == TokenKind::Word
    }

    /// Starts with a capital letter (or is an all-caps acronym like "B9").
    pub fn is_capitalized(&self) -> bool {
        self.kind == TokenKind::Word && self.text.chars().next().is_some_and(char::is_uppercase)
    }

    pub fn lower(&self) -> String {
        self.text.to_lowercase()
    }

    pub fn is(&self, word: &str) -> bool {
        self.text.eq_ignore_ascii_case(word)
    }

    pub fn is_punct(&self, ch: char) -> bool {
        self.kind == TokenKind::Punct && self.text.starts_with(ch)
    }
}

/// Words that keep a trailing period: titles, ranks, months, initials.
const KEEPS_PERIOD: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "lt", "adm", "col", "maj", "capt", "sgt", "st", "jr", "sr",
    "gov", "sen", "rep", "amb", "prof", "brig", "cmdr", "vice", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "no", "hon", "rt",
];

/// Tokenizes `text[start..end]`; spans are offsets into `text`.
pub fn tokenize(text: &str, start: usize, end: usize) -> Vec<Token> {
    let slice = &text[start..end];
    let chars: Vec<(usize, char)> = slice.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    let byte = |k: usize| chars.get(k).map_or(slice.len(), |&(b, _)| b);
    while i < chars.len() {
        let (_, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let begin = i;
            let mut j = i + 1;
            while j < chars.len() {
                let (_, d) = chars[j];
                let next_alnum = chars.get(j + 1).is_some_and(|&(_, n)| n.is_alphanumeric());
                if d.is_alphanumeric() || (matches!(d, '-' | '\'' | '’' | '.' | '‑') && next_alnum)
                {
                    j += 1;
                } else {
                    break;
                }
            }
            let mut word: String = slice[byte(begin)..byte(j)].replace('’', "'");
            let mut possessive = false;
            if let Some(stem) = word.strip_suffix("'s").or_else(|| word.strip_suffix("'S")) {
                if !stem.is_empty() {
                    word = stem.to_string();
                    possessive = true;
                }
            }
            let mut token_end = j;
            // "Haines’ meetings": an apostrophe after a final s.
            if !possessive
                && word.ends_with('s')
                && chars.get(j).is_some_and(|&(_, d)| d == '\'' || d == '’')
                && !chars.get(j + 1).is_some_and(|&(_, n)| n.is_alphanumeric())
            {
                possessive = true;
                token_end = j + 1;
            }
            // Abbreviations and initials keep their period ("Lt.", "R.", "U.S.").
            if !possessive && chars.get(j).is_some_and(|&(_, d)| d == '.') {
                let lower = word.to_lowercase();
                let initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
                if initial || word.contains('.') || KEEPS_PERIOD.contains(&lower.as_str()) {
                    word.push('.');
                    token_end = j + 1;
                }
            }
            let kind = if word.chars().all(|d| d.is_ascii_digit() || d == ',') {
                TokenKind::Number
            } else {
                TokenKind::Word
            };
            tokens.push(Token {
                text: word,
                start: start + byte(begin),
                end: start + byte(token_end),
                kind,
                possessive,
            });
            i = token_end;
            continue;
        }
        tokens.push(Token {
            text: if c == '’' {
                "'".into()
            } else {
                c.to_string()
            },
            start: start + byte(i),
            end: start + byte(i + 1),
            kind: TokenKind::Punct,
            possessive: false,
        });
        i += 1;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text, 0, text.len())
            .into_iter()
            .map(|t| {
                if t.possessive {
                    format!("{}+s", t.text)
                } else {
                    t.text
                }
            })
            .collect()
    }

    #[test]
    fn possessives_split_off_in_every_spelling() {
        assert_eq!(
            words("Minister Ames’s call"),
            ["Minister", "Ames+s", "call"]
        );
        assert_eq!(
            words("Director Jones’ meetings"),
            ["Director", "Jones+s", "meetings"]
        );
        assert_eq!(words("Ruiz's trip"), ["Ruiz+s", "trip"]);
    }

    #[test]
    fn abbreviations_keep_their_period_and_sentences_lose_theirs() {
        assert_eq!(
            words("Lt. Gen. R. Smith of the U.S. met Mr. Lee."),
            ["Lt.", "Gen.", "R.", "Smith", "of", "the", "U.S.", "met", "Mr.", "Lee", "."]
        );
    }

    #[test]
    fn hyphens_and_digits_stay_inside_words() {
        assert_eq!(
            words("then-Chancellor met the NATO-Ukraine Commission, G7 and 16 others; COVID-19"),
            [
                "then-Chancellor",
                "met",
                "the",
                "NATO-Ukraine",
                "Commission",
                ",",
                "G7",
                "and",
                "16",
                "others",
                ";",
                "COVID-19"
            ]
        );
        let t = tokenize("a 16 b", 0, 6);
        assert_eq!(t[1].kind, TokenKind::Number);
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "xx Añez’s call";
        let t = tokenize(text, 3, text.len());
        assert_eq!(&text[t[0].start..t[0].end], "Añez’s");
        assert_eq!(t[0].text, "Añez");
    }
}
