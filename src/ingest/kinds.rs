//! The words that say an engagement happened and how: called, spoke with,
//! met, talks, virtual meeting, traveled to. Also the words that say it is
//! announced rather than held, and the words that make a sentence an
//! aggregate ("spoke twice", "dozens of calls") rather than one event.

use super::tokens::Token;
use crate::model::Kind;

/// An engagement word at a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Keyword {
    pub kind: Kind,
    pub token: usize,
    /// Only a hint: counts in a dated entry, not in prose ("appeal" for a
    /// call in machine-translated text, "engaged with").
    pub weak: bool,
    /// "virtual", "video": turns a meeting or call into a video call.
    pub video: bool,
    /// "hosted", "received", "welcomed": an engagement only with a person as guest.
    pub hosting: bool,
}

/// Finds the engagement words among `tokens`.
pub fn find(tokens: &[Token]) -> Vec<Keyword> {
    let mut found = Vec::new();
    for (i, token) in tokens.iter().enumerate() {
        if !token.is_word() {
            continue;
        }
        let lower = token.lower();
        let next = |k: usize| tokens.get(i + k).map(|t| t.lower()).unwrap_or_default();
        let prev = if i > 0 {
            tokens[i - 1].lower()
        } else {
            String::new()
        };
        let near =
            |words: &[&str], span: usize| (1..=span).any(|k| words.contains(&next(k).as_str()));
        if prev == "press" || prev == "news" || prev == "media" {
            continue;
        }
        // "Strategic Stability Dialogue", "NATO Ministerial": a capitalised
        // word inside a proper name is part of the name, not the engagement.
        if matches!(lower.as_str(), "dialogue" | "ministerial" | "summit")
            && token.is_capitalized()
            && i > 0
            && tokens[i - 1].is_capitalized()
            && !tokens[i - 1].possessive
        {
            continue;
        }
        let hosting = matches!(
            lower.as_str(),
            "hosted"
                | "hosts"
                | "host"
                | "hosting"
                | "received"
                | "receives"
                | "receive"
                | "welcomed"
                | "welcomes"
                | "welcome"
                | "welcoming"
        );
        let keyword = |kind, weak| {
            Some(Keyword {
                kind,
                token: i,
                weak,
                video: false,
                hosting,
            })
        };
        let hit = match lower.as_str() {
            "phone" | "telephone" | "phoned" | "telephoned" | "pre-call" => {
                keyword(Kind::Call, false)
            }
            "call" | "calls" => {
                // "called on Russia to", "calls for restraint": urging, not
                // phoning; "what Washington calls provocations": naming.
                let naming = (1..=2).any(|k| i >= k && tokens[i - k].is("what"));
                if naming || matches!(next(1).as_str(), "for" | "on" | "upon") {
                    None
                } else {
                    keyword(Kind::Call, false)
                }
            }
            "called" | "calling" => {
                // "called President X", "called with": a phone call; "what it
                // called a satellite", "called for restraint": not.
                let object = tokens.get(i + 1);
                let phoned = object.is_some_and(|t| {
                    t.is_capitalized()
                        || matches!(t.lower().as_str(), "with" | "by" | "his" | "her" | "their")
                });
                let naming = i > 0
                    && matches!(
                        prev.as_str(),
                        "it" | "what" | "so" | "is" | "was" | "be" | "been" | "were" | "are"
                    );
                if phoned && !naming {
                    keyword(Kind::Call, false)
                } else {
                    None
                }
            }
            "spoke" | "speak" | "speaks" | "spoken" | "speaking" | "talked" => {
                // "spoke with", "spoke by phone", or "A and B spoke today".
                let after_name = i > 0 && tokens[i - 1].is_capitalized();
                if near(&["with", "to", "by"], 2) || after_name {
                    keyword(Kind::Call, false)
                } else {
                    None
                }
            }
            "spokewith" => keyword(Kind::Call, false),
            "appeal" | "appeals" if near(&["of", "by", "from", "with"], 1) => {
                keyword(Kind::Call, true)
            }
            // "to meet security challenges", "meets the needs of": not a meeting.
            "meet" | "meets" | "met" | "meeting"
                if (1..=3).any(|k| super::lexicon::MET_NON_PERSON.contains(&next(k).as_str())) =>
            {
                None
            }
            // "will participate on June 14 in the NATO Summit": attendance of a
            // named gathering is a meeting however weak "participate" is alone.
            "participate" | "participates" | "participated" | "attend" | "attends" | "attended"
            | "joins" | "joined"
                if (1..=8).any(|k| super::lexicon::SUMMIT_WORDS.contains(&next(k).as_str())) =>
            {
                keyword(Kind::Meeting, false)
            }
            // "the trilateral agreement", "trilateral cooperation": an
            // adjective of something that is not a sitting.
            "trilateral" if super::lexicon::NON_EVENT_NOUNS.contains(&next(1).as_str()) => None,
            "meet" | "meets" | "met" | "meeting" | "meetings" | "talks" | "summit"
            | "ministerial" | "hosted" | "hosts" | "received" | "receives" | "welcomed"
            | "welcomes" | "convened" | "convenes" | "roundtable" | "trilateral" | "audience"
            | "bilaterally" | "consultations" | "hosting" | "host" => keyword(Kind::Meeting, false),
            // "will receive X at the Pentagon", "will welcome the leaders":
            // hosting in the future tense.
            "receive" | "welcome" if i > 0 && is_future_marker(&prev) => {
                keyword(Kind::Meeting, false)
            }
            // A bare "conversation" is a call (CONVENTIONS), "a virtual
            // conversation" a video call by its "virtual".
            "conversation" | "conversations" => keyword(Kind::Call, false),
            "engagement" if near(&["with"], 1) => keyword(Kind::Meeting, false),
            "discussion" | "discussions" if near(&["with"], 1) => keyword(Kind::Meeting, true),
            "consult" | "consults" | "consulted" | "dialogue" => keyword(Kind::Meeting, true),
            "attend" | "attends" | "attended" => keyword(Kind::Meeting, false),
            "brief" | "briefs" | "briefed" | "addresses" | "addressed" | "participate"
            | "participates" | "participated" | "joins" | "joined" | "engaged" | "engages" => {
                keyword(Kind::Meeting, true)
            }
            "lead" | "leads" | "led" if near(&["delegation"], 3) => keyword(Kind::Meeting, false),
            "arrived" | "arrives" | "arrive" | "landed" | "lands" if near(&["in"], 1) => {
                keyword(Kind::Visit, false)
            }
            "sat" | "sits" if near(&["down"], 1) => keyword(Kind::Meeting, false),
            "took" | "take" | "takes" | "taking" if next(1) == "part" => {
                keyword(Kind::Meeting, false)
            }
            // "to see Prime Minister X": a meeting only with a person named next.
            "see" | "sees" | "saw" if tokens.get(i + 1).is_some_and(Token::is_capitalized) => {
                Some(Keyword {
                    kind: Kind::Meeting,
                    token: i,
                    weak: false,
                    video: false,
                    hosting: true,
                })
            }
            "visit" | "visits" | "visited" | "visiting" | "trip" | "tour" | "toured" => {
                keyword(Kind::Visit, false)
            }
            "travel" | "travels" | "traveled" | "travelled" | "traveling" | "travelling" => {
                if near(&["to"], 1) {
                    keyword(Kind::Visit, false)
                } else {
                    None
                }
            }
            "virtual" | "virtually" | "video" | "videoconference" | "video-conference"
            | "videoconferencing" | "teleconference" | "videocall" => Some(Keyword {
                kind: Kind::VideoCall,
                token: i,
                weak: false,
                video: true,
                hosting: false,
            }),
            _ => None,
        };
        found.extend(hit);
    }
    found
}

/// Words that announce an engagement as future.
pub fn is_future_marker(word: &str) -> bool {
    matches!(
        word,
        "will"
            | "would"
            | "due"
            | "upcoming"
            | "scheduled"
            | "plans"
            | "planned"
            | "plan"
            | "expected"
            | "hope"
            | "hopes"
            | "intends"
            | "set"
            | "next"
            | "tomorrow"
            | "shall"
            | "forthcoming"
            | "later"
    )
}

/// Words that make a sentence count engagements rather than report one.
pub fn is_aggregate_marker(word: &str) -> bool {
    matches!(
        word,
        "twice"
            | "times"
            | "dozens"
            | "dozen"
            | "numerous"
            | "several"
            | "regular"
            | "regularly"
            | "frequently"
            | "frequent"
            | "constant"
            | "multiple"
            | "series"
            | "various"
            | "many"
            | "repeatedly"
            | "routinely"
            | "extensively"
            | "all"
            | "weekly"
            | "monthly"
    )
}

/// Nouns a number before makes a count of engagements or of participants
/// ("16 leaders", "two dozen calls", "four times").
pub fn is_counted_noun(word: &str) -> bool {
    is_participant_noun(word)
        || matches!(
            word,
            "calls"
                | "meetings"
                | "talks"
                | "times"
                | "conversations"
                | "occasions"
                | "visits"
                | "trips"
                | "dozen"
                | "of"
                | "engagements"
                | "contacts"
                | "rounds"
                | "sessions"
        )
}

/// Counted nouns that count people or countries, not engagements: at one
/// gathering they are its participants ("a summit with 14 countries").
pub fn is_participant_noun(word: &str) -> bool {
    matches!(
        word,
        "leaders"
            | "counterparts"
            | "ministers"
            | "officials"
            | "heads"
            | "presidents"
            | "allies"
            | "partners"
            | "countries"
            | "nations"
            | "governments"
            | "ambassadors"
    )
}

/// Number words that count ("eight of his counterparts").
pub fn is_count_word(word: &str) -> bool {
    matches!(
        word,
        "two"
            | "three"
            | "four"
            | "five"
            | "six"
            | "seven"
            | "eight"
            | "nine"
            | "ten"
            | "eleven"
            | "twelve"
            | "fifteen"
            | "twenty"
            | "dozens"
            | "hundreds"
    ) || word.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::tokens::tokenize;

    fn kinds(text: &str) -> Vec<(Kind, bool)> {
        find(&tokenize(text, 0, text.len()))
            .into_iter()
            .map(|k| (k.kind, k.weak))
            .collect()
    }

    #[test]
    fn calls_are_found_in_their_forms() {
        assert!(kinds("She spoke by phone with him")
            .iter()
            .all(|k| *k == (Kind::Call, false)));
        assert_eq!(kinds("the minister's call with"), [(Kind::Call, false)]);
        assert!(kinds("he called for restraint and spoke about trade").is_empty());
        assert!(kinds("a press call").is_empty());
    }

    #[test]
    fn meetings_visits_and_video_are_told_apart() {
        assert_eq!(kinds("met with"), [(Kind::Meeting, false)]);
        assert_eq!(kinds("traveled to Chile"), [(Kind::Visit, false)]);
        assert_eq!(
            kinds("a virtual meeting"),
            [(Kind::VideoCall, false), (Kind::Meeting, false)]
        );
        assert!(kinds("travel restrictions").is_empty());
    }
}
