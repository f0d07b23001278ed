//! The domain vocabulary shared by every layer: what a document is, what one
//! document says about an engagement (a [`Mention`]), and the resolved
//! [`Engagement`] that merges every mention of the same real-world event.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Declares a closed set of lowercase string codes with `as_str`, `parse`
/// and `ALL`, so the database, the URL filters and the export share one spelling.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $code)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// The variant spelled `code`, or `None`.
            pub fn parse(code: &str) -> Option<Self> {
                match code {
                    $($code => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

code_enum! {
    /// How the participants met (CAMEO 04 "Consult").
    Kind { Call => "call", VideoCall => "video_call", Meeting => "meeting", Visit => "visit" }
}

code_enum! {
    /// Whether the engagement happened or is announced.
    Status { Held => "held", Planned => "planned" }
}

code_enum! {
    /// Which side of the table a participant sits on.
    Side { Us => "us", Counterpart => "counterpart" }
}

code_enum! {
    ActorKind { Person => "person", Organization => "organization", Country => "country" }
}

code_enum! {
    /// How much of `date` the sources actually give.
    DatePrecision { Day => "day", Month => "month", Year => "year", Unknown => "unknown" }
}

code_enum! {
    /// The layout of a source document, detected from its first lines.
    Shape {
        FrontMatter => "front_matter",
        DateLine => "date_line",
        Headerless => "headerless",
        RunOn => "run_on",
    }
}

impl Kind {
    /// Human label for pages ("video call").
    pub fn label(self) -> &'static str {
        match self {
            Kind::Call => "call",
            Kind::VideoCall => "video call",
            Kind::Meeting => "meeting",
            Kind::Visit => "visit",
        }
    }
}

/// What a document's header says about it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub source_url: Option<String>,
}

/// A person as one document writes them, already classified by side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    /// The name as written, honorifics and titles stripped ("Blinken", "Yoshihide Suga").
    pub name: String,
    /// The office as written ("Foreign Minister"), if any.
    pub title: Option<String>,
    /// Short English country name ("Ukraine"); "United States" for U.S. officials.
    pub country: Option<String>,
    pub side: Side,
}

/// An organisation or group taking part ("NATO", "B9", "European Commission").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrgRef {
    /// Canonical full name from the gazetteer, or the name as written.
    pub name: String,
    pub short_name: Option<String>,
}

/// One engagement as one document reports it: the output of `ingest`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub precision: DatePrecision,
    pub kind: Kind,
    pub status: Status,
    pub people: Vec<PersonRef>,
    pub organizations: Vec<OrgRef>,
    /// Countries taking part as such, where no person stands for them
    /// ("French, German and UK Foreign Ministers", "travels to Ukraine").
    pub countries: Vec<String>,
    /// The text that reports it, and its byte span in the document.
    pub excerpt: String,
    pub start: usize,
    pub end: usize,
    /// The item's own link, else the document's source URL.
    pub url: Option<String>,
    /// Reported as an entry of a dated list ("November 29: …"): each entry
    /// of one list is its own engagement.
    #[serde(default)]
    pub listed: bool,
    /// The publication date of the reporting document, when its header
    /// gives one: the anchor of an undated mention's merge bucket.
    #[serde(default)]
    pub published: Option<NaiveDate>,
}

/// The unit of merging: mentions merge into one engagement only when they
/// fall in the same bucket, so an import only has to re-resolve the buckets
/// its documents' mentions fall in. A bucket is a calendar month — of the
/// mention's own date (a day or only a month), else of its document's
/// publication date (an undated readout merges with the dated reports of
/// the same month) — or `None` for mentions with no date at all.
pub type MergeBucket = Option<(i32, u32)>;

impl Mention {
    pub fn merge_bucket(&self) -> MergeBucket {
        use chrono::Datelike;
        self.date.or(self.published).map(|d| (d.year(), d.month()))
    }
}

/// A document after parsing: header facts plus every mention found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedDocument {
    pub shape: Shape,
    pub meta: DocumentMeta,
    pub mentions: Vec<Mention>,
}

/// A canonical actor: one page per real person, country or organisation.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Actor {
    pub slug: String,
    pub name: String,
    pub kind: ActorKind,
    /// For people, their country; for organisations, none.
    pub country: Option<String>,
    /// Acronym of an organisation ("NATO").
    pub short_name: Option<String>,
    /// Best-known office ("Secretary of State").
    pub title: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    pub actor: Actor,
    pub side: Side,
    /// The office as the sources write it.
    pub title: Option<String>,
}

/// One document's report of an engagement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// File name of the imported document.
    pub document: String,
    pub url: Option<String>,
    pub excerpt: String,
    pub start: usize,
    pub end: usize,
}

/// A real-world engagement, merged across every document that reports it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Engagement {
    /// Permanent, readable, content-derived id (`2021-12-09-biden-zelenskyy-call`).
    pub id: String,
    pub date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub precision: DatePrecision,
    pub kind: Kind,
    pub status: Status,
    /// People, U.S. side first.
    pub participants: Vec<Participant>,
    pub organizations: Vec<Actor>,
    /// Countries of the counterparts, and countries taking part as such.
    pub countries: Vec<String>,
    pub sources: Vec<Source>,
}

/// Lowercase ASCII slug of any text: "José López Obrador" -> "jose-lopez-obrador".
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for ch in ascii.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for kind in Kind::ALL {
            assert_eq!(Kind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(Kind::parse("lunch"), None);
        assert_eq!(
            serde_json::to_string(&Kind::VideoCall).unwrap(),
            "\"video_call\""
        );
    }

    #[test]
    fn slugs_fold_accents_and_punctuation() {
        assert_eq!(
            slugify("Andrés Manuel López Obrador"),
            "andres-manuel-lopez-obrador"
        );
        assert_eq!(slugify("  NATO-Russia Council! "), "nato-russia-council");
        assert_eq!(slugify("Błaszczak"), "blaszczak");
    }
}
