//! Knowledge that is data, not code: countries and demonyms, titles and
//! offices, organisations, given-name aliases and a dictionary of officials.
//! The built-in files under `data/` are embedded; a user can add rows of their
//! own by pointing `--data DIR` (or `READOUT_DATA`) at a folder holding files
//! of the same names, without recompiling. Added rows come after the built-in
//! ones, so they extend the built-in knowledge and win where names collide.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::NaiveDate;

/// Each data file: its name and its embedded built-in text.
const FILES: [(&str, &str); 6] = [
    ("countries.tsv", include_str!("../data/countries.tsv")),
    (
        "organizations.tsv",
        include_str!("../data/organizations.tsv"),
    ),
    ("titles.tsv", include_str!("../data/titles.tsv")),
    ("actors.tsv", include_str!("../data/actors.tsv")),
    ("given_names.tsv", include_str!("../data/given_names.tsv")),
    ("cities.tsv", include_str!("../data/cities.tsv")),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Country {
    pub name: String,
    pub aliases: Vec<String>,
    pub demonyms: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organization {
    pub name: String,
    pub short_name: Option<String>,
    pub aliases: Vec<String>,
    /// Words used for the members ("Nordic counterparts", "B9 leaders").
    pub adjectives: Vec<String>,
    /// The United States belongs to it: its meetings are U.S. engagements.
    pub us_member: bool,
}

/// Which side an office written without a country belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleSide {
    Us,
    Foreign,
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TitleKind {
    Office,
    Rank,
    Honorific,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Title {
    pub title: String,
    pub side: TitleSide,
    pub kind: TitleKind,
}

/// An official of the actor dictionary, in one office for one term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownActor {
    pub name: String,
    pub aliases: Vec<String>,
    pub country: Option<String>,
    pub title: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl KnownActor {
    /// Whether the term covers `date` (an unknown date is covered by any term).
    pub fn in_office(&self, date: Option<NaiveDate>) -> bool {
        let Some(date) = date else { return true };
        self.from.is_none_or(|from| from <= date) && self.to.is_none_or(|to| date <= to)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{file}:{line}: {reason}")]
    BadRow {
        file: String,
        line: usize,
        reason: String,
    },
    #[error("cannot read {file}: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
}

/// A phrase index that matches short all-capital abbreviations ("US", "UK")
/// exactly and everything else without regard to case, so the pronoun "us"
/// never reads as a country.
#[derive(Debug, Clone, Default)]
struct PhraseIndex {
    exact: HashMap<String, usize>,
    folded: HashMap<String, usize>,
    longest: usize,
    /// Lower-cased first words of every phrase, so scanners skip most words cheaply.
    first_words: HashSet<String>,
}

impl PhraseIndex {
    fn insert(&mut self, phrase: &str, value: usize) {
        let phrase = normalize_phrase(phrase);
        if phrase.is_empty() {
            return;
        }
        self.longest = self.longest.max(phrase.split(' ').count());
        if let Some(first) = phrase.split(' ').next() {
            self.first_words.insert(first.to_lowercase());
        }
        if is_abbreviation(&phrase) {
            self.exact.insert(phrase, value);
        } else {
            self.folded.insert(phrase.to_lowercase(), value);
            self.exact.insert(phrase, value);
        }
    }

    fn get(&self, phrase: &str) -> Option<usize> {
        // Scanners pass single-spaced words; only others need folding.
        let needs_folding =
            phrase.contains(['’', '‘']) || phrase.contains("  ") || phrase.starts_with(' ');
        let phrase = if needs_folding {
            std::borrow::Cow::Owned(normalize_phrase(phrase))
        } else {
            std::borrow::Cow::Borrowed(phrase)
        };
        let phrase = phrase.as_ref();
        if let Some(&v) = self.exact.get(phrase) {
            return Some(v);
        }
        if is_abbreviation(phrase) {
            return None;
        }
        self.folded.get(&phrase.to_lowercase()).copied()
    }
}

/// Curly apostrophes and runs of white space folded, so lookups see one spelling.
fn normalize_phrase(phrase: &str) -> String {
    phrase
        .replace(['’', '‘'], "'")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// "US", "U.S.", "ROK", "B9": short, and no lower-case letter.
fn is_abbreviation(phrase: &str) -> bool {
    phrase.chars().count() <= 5
        && !phrase.chars().any(|c| c.is_lowercase())
        && phrase.chars().any(|c| c.is_uppercase())
}

/// Lower-case ASCII key of a person's name for comparing spellings:
/// accents, punctuation and doubled letters folded ("Zelenskyy" = "Zelensky").
pub fn name_key(name: &str) -> String {
    let ascii = deunicode::deunicode(name).to_lowercase();
    let words: Vec<String> = ascii
        .split([' ', '-'])
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .map(|w| {
            // Doubled letters vary in transliteration ("Zelenskyy",
            // "Mohammed"); in short words they tell words apart ("Well").
            if w.len() < 6 {
                return w;
            }
            let mut folded = String::with_capacity(w.len());
            for ch in w.chars() {
                if !folded.ends_with(ch) {
                    folded.push(ch);
                }
            }
            folded
        })
        .collect();
    words.join(" ")
}

/// Everything the extractor knows about the world. Cheap to share behind an `Arc`.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    countries: Vec<Country>,
    country_names: PhraseIndex,
    demonyms: PhraseIndex,
    organizations: Vec<Organization>,
    org_names: PhraseIndex,
    org_adjectives: PhraseIndex,
    titles: Vec<Title>,
    title_index: PhraseIndex,
    /// City → index of its country.
    cities: PhraseIndex,
    title_words: HashSet<String>,
    actors: Vec<KnownActor>,
    /// Last name word key → actor indexes.
    actors_by_last: HashMap<String, Vec<usize>>,
    given_names: HashMap<String, String>,
    /// Lower-cased word prefixes of every phrase of every index, so a
    /// scanner stops extending a phrase as soon as nothing can match.
    prefixes: HashSet<String>,
}

impl Gazetteer {
    /// The embedded data files only.
    pub fn builtin() -> Gazetteer {
        let mut gazetteer = Gazetteer::default();
        for (file, text) in FILES {
            gazetteer
                .add_file(file, text)
                .expect("the built-in data files are valid");
        }
        gazetteer
    }

    /// The embedded data plus the rows of any same-named files in `extra`.
    pub fn load(extra: Option<&Path>) -> Result<Gazetteer, GazetteerError> {
        let mut gazetteer = Gazetteer::builtin();
        if let Some(dir) = extra {
            for (file, _) in FILES {
                let path = dir.join(file);
                if !path.exists() {
                    continue;
                }
                let text = std::fs::read_to_string(&path).map_err(|source| GazetteerError::Io {
                    file: path.display().to_string(),
                    source,
                })?;
                gazetteer.add_file(&path.display().to_string(), &text)?;
            }
        }
        Ok(gazetteer)
    }

    /// Adds the rows of one data file, recognised by its file name.
    pub fn add_file(&mut self, file: &str, text: &str) -> Result<(), GazetteerError> {
        let kind = Path::new(file)
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or(file)
            .to_string();
        for (index, line) in text.lines().enumerate() {
            let line_no = index + 1;
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let bad = |reason: String| GazetteerError::BadRow {
                file: file.to_string(),
                line: line_no,
                reason,
            };
            let cell = |i: usize| cells.get(i).copied().unwrap_or("");
            if cell(0).is_empty() {
                return Err(bad("the first column is empty".into()));
            }
            match kind.as_str() {
                "countries.tsv" => self.add_country(Country {
                    name: cell(0).to_string(),
                    aliases: list(cell(1)),
                    demonyms: list(cell(2)),
                }),
                "organizations.tsv" => self.add_organization(Organization {
                    name: cell(0).to_string(),
                    short_name: non_empty(cell(1)),
                    aliases: list(cell(2)),
                    adjectives: list(cell(3)),
                    us_member: cell(4) == "yes",
                }),
                "titles.tsv" => {
                    let side = match cell(1) {
                        "us" => TitleSide::Us,
                        "foreign" => TitleSide::Foreign,
                        "any" | "" => TitleSide::Any,
                        other => {
                            return Err(bad(format!("side `{other}` is not us, foreign or any")))
                        }
                    };
                    let kind = match cell(2) {
                        "office" | "" => TitleKind::Office,
                        "rank" => TitleKind::Rank,
                        "honorific" => TitleKind::Honorific,
                        other => {
                            return Err(bad(format!(
                                "kind `{other}` is not office, rank or honorific"
                            )))
                        }
                    };
                    self.add_title(Title {
                        title: cell(0).to_string(),
                        side,
                        kind,
                    });
                }
                "actors.tsv" => {
                    let date = |i: usize| -> Result<Option<NaiveDate>, GazetteerError> {
                        let text = cell(i);
                        if text.is_empty() {
                            return Ok(None);
                        }
                        NaiveDate::parse_from_str(text, "%Y-%m-%d")
                            .map(Some)
                            .map_err(|_| bad(format!("`{text}` is not a date like 2021-01-20")))
                    };
                    let actor = KnownActor {
                        name: cell(0).to_string(),
                        aliases: list(cell(1)),
                        country: non_empty(cell(2)),
                        title: non_empty(cell(3)),
                        from: date(4)?,
                        to: date(5)?,
                    };
                    self.add_actor(actor);
                }
                "given_names.tsv" => {
                    let canonical = name_key(cell(0));
                    for variant in list(cell(1)) {
                        self.given_names
                            .insert(name_key(&variant), canonical.clone());
                    }
                    self.given_names.insert(canonical.clone(), canonical);
                }
                "cities.tsv" => {
                    let country = cell(2);
                    let Some(index) = self.country_names.get(country) else {
                        return Err(bad(format!("country `{country}` is not in countries.tsv")));
                    };
                    for name in std::iter::once(cell(0).to_string()).chain(list(cell(1))) {
                        self.add_prefixes(&name);
                        self.cities.insert(&name, index);
                    }
                }
                _ => return Err(bad(format!("unknown data file `{kind}`"))),
            }
        }
        Ok(())
    }

    fn add_prefixes(&mut self, phrase: &str) {
        let phrase = normalize_phrase(phrase).to_lowercase();
        let mut end = 0;
        for word in phrase.split(' ') {
            end += word.len();
            self.prefixes.insert(phrase[..end].to_string());
            end += 1;
        }
    }

    /// Whether some phrase of the gazetteer starts with these lower-cased words.
    pub fn is_phrase_prefix(&self, lower: &str) -> bool {
        self.prefixes.contains(lower)
    }

    fn add_country(&mut self, country: Country) {
        let index = self.countries.len();
        for phrase in std::iter::once(&country.name)
            .chain(&country.aliases)
            .chain(&country.demonyms)
        {
            self.add_prefixes(phrase);
        }
        self.country_names.insert(&country.name, index);
        for alias in &country.aliases {
            self.country_names.insert(alias, index);
        }
        for demonym in &country.demonyms {
            self.demonyms.insert(demonym, index);
        }
        self.countries.push(country);
    }

    fn add_organization(&mut self, org: Organization) {
        let index = self.organizations.len();
        for phrase in std::iter::once(&org.name)
            .chain(&org.short_name)
            .chain(&org.aliases)
            .chain(&org.adjectives)
        {
            self.add_prefixes(phrase);
        }
        self.org_names.insert(&org.name, index);
        if let Some(short) = &org.short_name {
            self.org_names.insert(short, index);
        }
        for alias in &org.aliases {
            self.org_names.insert(alias, index);
        }
        for adjective in &org.adjectives {
            self.org_adjectives.insert(adjective, index);
        }
        self.organizations.push(org);
    }

    fn add_title(&mut self, title: Title) {
        if title.kind == TitleKind::Office {
            for word in title.title.split_whitespace() {
                let word = word
                    .trim_matches(|c: char| !c.is_alphanumeric())
                    .to_lowercase();
                if !matches!(
                    word.as_str(),
                    "" | "of" | "the" | "for" | "and" | "on" | "to"
                ) {
                    self.title_words.insert(word);
                }
            }
        }
        let index = self.titles.len();
        self.add_prefixes(&title.title.clone());
        self.title_index.insert(&title.title, index);
        self.titles.push(title);
    }

    fn add_actor(&mut self, actor: KnownActor) {
        let index = self.actors.len();
        let mut lasts: Vec<String> = std::iter::once(&actor.name)
            .chain(&actor.aliases)
            .filter_map(|n| last_name_word(n))
            .collect();
        lasts.sort();
        lasts.dedup();
        for last in lasts {
            self.actors_by_last.entry(last).or_default().push(index);
        }
        self.actors.push(actor);
    }

    /// The country named `phrase` ("Japan", "the United Kingdom", "ROK").
    pub fn country(&self, phrase: &str) -> Option<&Country> {
        let phrase = phrase.strip_prefix("the ").unwrap_or(phrase);
        self.country_names.get(phrase).map(|i| &self.countries[i])
    }

    /// The country of a city ("Seoul", "Geneva").
    pub fn city(&self, phrase: &str) -> Option<&Country> {
        self.cities.get(phrase).map(|i| &self.countries[i])
    }

    /// The country of a demonym or adjective ("Latvian", "UK", "Dutch").
    pub fn country_by_demonym(&self, word: &str) -> Option<&Country> {
        self.demonyms.get(word).map(|i| &self.countries[i])
    }

    /// The organisation named `phrase` by name, acronym or alias.
    pub fn organization(&self, phrase: &str) -> Option<&Organization> {
        let phrase = phrase.strip_prefix("the ").unwrap_or(phrase);
        self.org_names.get(phrase).map(|i| &self.organizations[i])
    }

    /// The group whose members an adjective names ("Nordic", "B9").
    pub fn organization_by_adjective(&self, word: &str) -> Option<&Organization> {
        self.org_adjectives
            .get(word)
            .map(|i| &self.organizations[i])
    }

    pub fn title(&self, phrase: &str) -> Option<&Title> {
        self.title_index.get(phrase).map(|i| &self.titles[i])
    }

    /// Whether a word is part of some office's name ("Minister", "Security").
    pub fn is_title_word(&self, word: &str) -> bool {
        let word = word.trim_end_matches(['\'', '’']).to_lowercase();
        self.title_words.contains(&word)
            || word
                .strip_suffix('s')
                .is_some_and(|singular| self.title_words.contains(singular))
    }

    /// Whether some country, demonym, organisation or title begins with this word.
    pub fn may_start_phrase(&self, word: &str) -> bool {
        let word = word.to_lowercase();
        [
            &self.country_names,
            &self.demonyms,
            &self.org_names,
            &self.org_adjectives,
            &self.title_index,
            &self.cities,
        ]
        .iter()
        .any(|index| index.first_words.contains(&word))
    }

    /// Whether `word` is a given name of the aliases file.
    pub fn is_given_name(&self, word: &str) -> bool {
        self.given_names.contains_key(&name_key(word))
    }

    /// The longest phrase, in words, of any index: how far a scanner must look ahead.
    pub fn longest_phrase(&self) -> usize {
        [
            self.country_names.longest,
            self.demonyms.longest,
            self.org_names.longest,
            self.org_adjectives.longest,
            self.title_index.longest,
            self.cities.longest,
        ]
        .into_iter()
        .max()
        .unwrap_or(1)
    }

    /// Dictionary officials whose name (or an alias) ends with the words of
    /// `name`, compared by [`name_key`]; given names must agree where both
    /// are written, up to [`Gazetteer::same_given_name`].
    /// Who held a one-person office ("President") of `country` on `date`:
    /// "the President" in a document of that day names them.
    pub fn office_holder(
        &self,
        title: &str,
        country: &str,
        date: NaiveDate,
    ) -> Option<&KnownActor> {
        self.actors.iter().find(|a| {
            a.country.as_deref() == Some(country)
                && a.title
                    .as_deref()
                    .is_some_and(|t| t.eq_ignore_ascii_case(title))
                && a.in_office(Some(date))
        })
    }

    pub fn known_actors(&self, name: &str) -> Vec<&KnownActor> {
        let Some(last) = last_name_word(name) else {
            return Vec::new();
        };
        let wanted = name_key(name);
        let Some(candidates) = self.actors_by_last.get(&last) else {
            return Vec::new();
        };
        candidates
            .iter()
            .map(|&i| &self.actors[i])
            .filter(|actor| {
                // A full name must fit the official's full name: the alias
                // "Abbott" does not make "Greg Abbott" the dictionary's Tony.
                let full = name_key(&actor.name);
                let given_fits = !wanted.contains(' ')
                    || !full.contains(' ')
                    || self.same_person_name(&wanted, &full)
                    || actor
                        .aliases
                        .iter()
                        .map(|a| name_key(a))
                        .any(|a| a.contains(' ') && self.same_person_name(&wanted, &a));
                given_fits
                    && std::iter::once(&actor.name)
                        .chain(&actor.aliases)
                        .any(|written| self.same_person_name(&wanted, &name_key(written)))
            })
            .collect()
    }

    /// Whether two name keys can name the same person: one's words end the
    /// other's ("blinken" ~ "antony blinken"), or both have given names that
    /// are the same up to nicknames ("tony blinken" ~ "antony blinken").
    pub fn same_person_name(&self, a: &str, b: &str) -> bool {
        if a == b {
            return true;
        }
        let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
        if long.ends_with(&format!(" {short}")) || long.starts_with(&format!("{short} ")) {
            return true;
        }
        let (a_words, b_words): (Vec<&str>, Vec<&str>) =
            (a.split(' ').collect(), b.split(' ').collect());
        if a_words.len() < 2 || b_words.len() < 2 || a_words.last() != b_words.last() {
            return false;
        }
        self.same_given_name(a_words[0], b_words[0])
    }

    /// "tony" ~ "antony" through the given-name aliases; initials match any
    /// name with that letter.
    pub fn same_given_name(&self, a: &str, b: &str) -> bool {
        let canon = |n: &str| {
            self.given_names
                .get(n)
                .cloned()
                .unwrap_or_else(|| n.to_string())
        };
        if a.len() == 1 || b.len() == 1 {
            return a.chars().next() == b.chars().next();
        }
        a == b || canon(a) == canon(b)
    }

    pub fn countries(&self) -> &[Country] {
        &self.countries
    }
}

/// The last word of a name as a [`name_key`], generational suffixes dropped.
fn last_name_word(name: &str) -> Option<String> {
    let key = name_key(name);
    key.split(' ')
        .rev()
        .find(|w| !is_generational(w))
        .map(str::to_string)
}

/// "Jr", "Sr" and regnal numbers ("II", "XIV") that follow a name.
pub fn is_generational(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_lowercase();
    matches!(w.as_str(), "jr" | "sr")
        || (!w.is_empty() && w.len() <= 5 && w.chars().all(|c| matches!(c, 'i' | 'v' | 'x')))
}

fn list(cell: &str) -> Vec<String> {
    cell.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn non_empty(cell: &str) -> Option<String> {
    (!cell.is_empty()).then(|| cell.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn small() -> Gazetteer {
        let mut g = Gazetteer::default();
        g.add_file(
            "countries.tsv",
            "# name\taliases\tdemonyms\nUnited Kingdom\tUK|Britain\tBritish|UK\nMoldova\tRepublic of Moldova\tMoldovan\nUnited States\tUS|U.S.\tAmerican|U.S.\n",
        )
        .unwrap();
        g.add_file(
            "titles.tsv",
            "Foreign Minister\tforeign\toffice\nSecretary of State\tus\toffice\nGen.\tany\trank\n",
        )
        .unwrap();
        g.add_file("given_names.tsv", "Robert\tBob|Rob\n").unwrap();
        g.add_file(
            "actors.tsv",
            "Robert Example\tBob Example\tMoldova\tForeign Minister\t2019-01-01\t2020-12-31\n",
        )
        .unwrap();
        g
    }

    #[test]
    fn abbreviations_match_only_in_capitals() {
        let g = small();
        assert_eq!(g.country("UK").unwrap().name, "United Kingdom");
        assert!(g.country("us").is_none());
        assert_eq!(g.country("US").unwrap().name, "United States");
        assert_eq!(
            g.country("the republic of moldova").unwrap().name,
            "Moldova"
        );
        assert_eq!(
            g.country_by_demonym("British").unwrap().name,
            "United Kingdom"
        );
    }

    #[test]
    fn titles_know_their_side_and_their_words() {
        let g = small();
        assert_eq!(
            g.title("foreign minister").unwrap().side,
            TitleSide::Foreign
        );
        assert_eq!(g.title("Gen.").unwrap().kind, TitleKind::Rank);
        assert!(g.is_title_word("Minister"));
        assert!(!g.is_title_word("of"));
    }

    #[test]
    fn a_surname_or_a_nickname_finds_the_dictionary_official() {
        let g = small();
        assert_eq!(g.known_actors("Example").len(), 1);
        assert_eq!(g.known_actors("Rob Example").len(), 1);
        assert!(g.known_actors("Alice Example").is_empty());
        let actor = g.known_actors("Example")[0];
        assert!(actor.in_office(NaiveDate::from_ymd_opt(2020, 5, 1)));
        assert!(!actor.in_office(NaiveDate::from_ymd_opt(2021, 5, 1)));
    }

    #[test]
    fn name_keys_fold_accents_and_doubled_letters() {
        assert_eq!(name_key("Zelenskyy"), name_key("Zelensky"));
        assert_eq!(name_key("Błaszczak"), "blaszczak");
        assert_eq!(name_key("López  Obrador"), "lopez obrador");
    }

    #[test]
    fn a_bad_row_names_its_file_and_line() {
        let mut g = Gazetteer::default();
        let err = g
            .add_file("titles.tsv", "# header\nChancellor\tsomewhere\toffice\n")
            .unwrap_err();
        assert!(err.to_string().starts_with("titles.tsv:2:"), "{err}");
    }

    #[test]
    fn the_built_in_data_loads() {
        let g = Gazetteer::builtin();
        assert!(g.countries().len() > 150);
        assert!(g.country("United States").is_some());
    }
}
