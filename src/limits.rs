//! What a file must be to be read as a document, and the bounds on the work
//! one document may cost. Importing is linear in a document's size only up
//! to a point: every item becomes mentions, rows and index entries, so a
//! scraper's 17 MB page of 200,000 bullets would take minutes and gigabytes.
//! Such a file is refused up front, with the file's name, the limit and the
//! flag that raises it, instead of stalling the whole import.

/// Bounds on one document. The defaults sit far above any real document
/// seen (the 3,364 White House statements of 2021–22: at most 191 kB,
/// 1,315 items, lines of 3.7 kB) and far below what makes an import crawl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest file, in bytes (`--max-bytes`).
    pub max_bytes: usize,
    /// Longest line, in bytes (`--max-line-bytes`).
    pub max_line_bytes: usize,
    /// Most items (bullets, dated entries, sentences) in one document
    /// (`--max-items`).
    pub max_items: usize,
}

pub const DEFAULT_MAX_BYTES: usize = 4 * 1024 * 1024;
pub const DEFAULT_MAX_LINE_BYTES: usize = 256 * 1024;
pub const DEFAULT_MAX_ITEMS: usize = 10_000;

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: DEFAULT_MAX_BYTES,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            max_items: DEFAULT_MAX_ITEMS,
        }
    }
}

/// Why a file's bytes were refused before parsing.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Refused {
    #[error("{size} bytes, over the limit of {limit} bytes per document (--max-bytes)")]
    TooLarge { size: usize, limit: usize },
    #[error("line {line} is {length} bytes long, over the limit of {limit} (--max-line-bytes)")]
    LineTooLong {
        line: usize,
        length: usize,
        limit: usize,
    },
    #[error("binary data, not text (a NUL byte at offset {offset})")]
    Binary { offset: usize },
}

/// A file's bytes as document text, within `limits`: UTF-8 (a leading
/// byte-order mark dropped), with any byte that is not valid UTF-8 read as
/// Windows-1252 — the encoding of the curly quotes that word processors and
/// old web pages write — so a stray `0x93` costs a character, not the file.
/// Binary files (a NUL byte) are refused: no text has one.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<String, Refused> {
    if bytes.len() > limits.max_bytes {
        return Err(Refused::TooLarge {
            size: bytes.len(),
            limit: limits.max_bytes,
        });
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Refused::Binary { offset });
    }
    if let Some((line, length)) = bytes
        .split(|&b| b == b'\n')
        .map(<[u8]>::len)
        .enumerate()
        .find(|&(_, length)| length > limits.max_line_bytes)
    {
        return Err(Refused::LineTooLong {
            line: line + 1,
            length,
            limit: limits.max_line_bytes,
        });
    }
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let mut text = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        text.extend(chunk.invalid().iter().map(|&b| windows_1252(b)));
    }
    Ok(text)
}

/// One byte as Windows-1252: ASCII and Latin-1 as themselves, 0x80–0x9F
/// as the typographic characters Windows puts there.
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_quotes_become_curly_quotes() {
        let text = decode(b"Blinken \x93met\x94 Kuleba \x96 twice", &Limits::default());
        assert_eq!(text.unwrap(), "Blinken “met” Kuleba – twice");
    }

    #[test]
    fn valid_utf8_is_kept_and_a_bom_dropped() {
        let text = decode("\u{feff}Çavuşoğlu’s call".as_bytes(), &Limits::default());
        assert_eq!(text.unwrap(), "Çavuşoğlu’s call");
    }

    #[test]
    fn a_nul_byte_means_binary() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(
            decode(png, &Limits::default()),
            Err(Refused::Binary { offset: 8 })
        );
    }

    #[test]
    fn each_limit_names_its_flag() {
        let limits = Limits {
            max_bytes: 10,
            max_line_bytes: 3,
            max_items: 1,
        };
        let large = decode(b"0123456789ab", &limits).unwrap_err();
        assert!(
            large.to_string().contains("12 bytes") && large.to_string().contains("--max-bytes")
        );
        let long = decode(b"ab\nabcd\n", &limits).unwrap_err();
        assert_eq!(
            long,
            Refused::LineTooLong {
                line: 2,
                length: 4,
                limit: 3
            }
        );
        assert!(long.to_string().contains("--max-line-bytes"));
    }
}
