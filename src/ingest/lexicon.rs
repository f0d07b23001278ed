//! The English words the extraction rules read, in one place: a rule names
//! its list here instead of spelling words inline, so a word that should
//! count is added once and every rule that reads it agrees.

/// Lines that give a headerless release's publication date
/// ("Published on March 3, 2024", "Posted: 3 March 2024").
pub const PUBLISHED_LINE: &[&str] = &["published", "posted", "released", "updated", "date:"];

/// "on the margins of", "on the sidelines of", "in the margins of": the
/// engagement took place at the gathering that follows.
pub const VENUE_MARGINS: &[&str] = &["margins", "margin", "sidelines", "sideline"];

/// Words after a body's name that make it a gathering ("the G7 Summit").
pub const SUMMIT_WORDS: &[&str] = &[
    "summit",
    "leaders",
    "ministerial",
    "meeting",
    "meetings",
    "conference",
    "session",
];

/// Words that keep "spoke with" a telephone call even at a summit.
pub const PHONE_WORDS: &[&str] = &[
    "phone",
    "telephone",
    "call",
    "phoned",
    "telephoned",
    "virtual",
    "video",
    "virtually",
];

/// Title words that name an in-person meeting ("Readout of the President's
/// Meeting with …").
pub const MEETING_TITLE: &[&str] = &[
    "meeting with",
    "meets with",
    "meeting between",
    "bilateral meeting",
    "audience with",
];

/// Objects of "meet" that make it "satisfy", not "see" ("meet security
/// challenges", "meets the needs of").
pub const MET_NON_PERSON: &[&str] = &[
    "challenges",
    "challenge",
    "needs",
    "need",
    "demands",
    "demand",
    "goals",
    "goal",
    "targets",
    "target",
    "requirements",
    "commitments",
    "obligations",
    "expectations",
    "threats",
    "standards",
    "criteria",
    "deadline",
    "deadlines",
];

/// Title openings that name the document's speaker, whose "I" the body is.
pub const AUTHORED_TITLE: &[&str] = &[
    "statement by ",
    "statement of ",
    "statement from ",
    "remarks by ",
    "remarks of ",
    "op-ed by ",
    "letter from ",
    "message from ",
];

/// Capitalised words of a minister's portfolio, read as part of the office
/// after "for", "of" or "and" ("Minister for Maritime Affairs and
/// Investment"), never as a name.
pub const PORTFOLIO_WORDS: &[&str] = &[
    "Affairs",
    "Foreign",
    "Trade",
    "Investment",
    "Investments",
    "Defence",
    "Defense",
    "Finance",
    "Economy",
    "Economic",
    "Development",
    "Cooperation",
    "International",
    "Maritime",
    "European",
    "Security",
    "Energy",
    "Health",
    "Justice",
    "Interior",
    "Home",
    "Planning",
    "Industry",
    "Commerce",
    "Agriculture",
    "Environment",
    "Climate",
    "Digital",
    "Transport",
    "Infrastructure",
    "Education",
    "Culture",
    "Labour",
    "Labor",
    "Social",
    "Public",
    "National",
    "Relations",
    "Integration",
    "Communications",
    "Technology",
    "Science",
    "Tourism",
    "Resources",
    "Mines",
    "Mining",
    "Petroleum",
    "Oil",
    "Gas",
    "Water",
    "Fisheries",
    "Emigrants",
    "Expatriates",
    "Overseas",
    "Veterans",
    "Budget",
    "Policy",
    "Coordination",
    "Reconstruction",
    "Humanitarian",
    "Legal",
    "Strategic",
    "Regional",
    "Commonwealth",
    "Pacific",
    "Asian",
    "African",
    "Arab",
    "Gulf",
    "Nordic",
    "Baltic",
    "Communities",
    "Diaspora",
    "Immigration",
    "Migration",
    "Refugees",
    "Food",
    "Natural",
    "Housing",
    "Urban",
    "Rural",
    "Women",
    "Youth",
    "Sport",
    "Sports",
    "Information",
    "Innovation",
    "Research",
    "Enterprise",
    "Employment",
    "Welfare",
    "Solidarity",
    "Territorial",
    "Administration",
    "Affair",
];

/// Words that say the unnamed other side of an engagement is foreign
/// ("briefed ambassadors and representatives", "a call with Allies").
pub const FOREIGN_GROUPS: &[&str] = &[
    "ambassadors",
    "ambassador",
    "diplomats",
    "diplomatic",
    "foreign",
    "counterparts",
    "counterpart",
    "allies",
    "allied",
    "delegations",
    "delegation",
    "countries",
];

/// Verbs that, followed by "to", make the engagement word after them a
/// statement of policy rather than an event ("will continue to consult
/// closely", "committed to meet regularly", "pledged to deepen dialogue").
pub const POLICY_TO_VERBS: &[&str] = &[
    "continue",
    "continues",
    "continued",
    "continuing",
    "commit",
    "commits",
    "committed",
    "pledge",
    "pledges",
    "pledged",
    "resolve",
    "resolved",
    "strive",
    "seek",
    "seeks",
    "aim",
    "aims",
    "agreed",
];

/// Verbs whose object makes an engagement noun a policy aim ("deepen our
/// consultations", "expand engagement with", "strengthen dialogue").
pub const POLICY_OBJECT_VERBS: &[&str] = &[
    "deepen",
    "deepening",
    "expand",
    "expanding",
    "strengthen",
    "strengthening",
    "enhance",
    "enhancing",
    "intensify",
    "broaden",
    "increase",
    "promote",
    "foster",
    "ramp",
];

/// Engagement words that name one gathering of many ("a summit with 14
/// countries"): counts of who attended do not make them aggregates.
pub const GATHERING_WORDS: &[&str] = &[
    "summit",
    "ministerial",
    "conference",
    "roundtable",
    "convened",
    "convenes",
    "hosted",
    "hosting",
    "hosts",
];

/// Nouns after "trilateral" that make it no sitting ("the trilateral
/// agreement signed by A, B and C", "trilateral cooperation").
pub const NON_EVENT_NOUNS: &[&str] = &[
    "agreement",
    "agreements",
    "memorandum",
    "cooperation",
    "partnership",
    "relationship",
    "relations",
    "ties",
    "framework",
    "mechanism",
    "pact",
    "statement",
    "declaration",
    "security",
    "exercise",
    "exercises",
];

/// Who a possessive name is the principal of ("Rivera's envoy", "the
/// President's national security adviser"): the name describes someone else
/// and takes no part itself.
pub const ROLE_OF_ANOTHER: &[&str] = &[
    "envoy",
    "emissary",
    "representative",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "adviser",
    "advisor",
    "aide",
    "counselor",
    "deputy",
    "lawyer",
    "administration",
    "government",
    "regime",
    "cabinet",
    "son",
    "daughter",
    "wife",
    "husband",
];

/// Adjectives between a possessive name and the role it owns ("Rivera's
/// special envoy", "the President's top national security adviser").
pub const ROLE_ADJECTIVES: &[&str] = &[
    "special",
    "personal",
    "chief",
    "top",
    "senior",
    "former",
    "new",
    "national",
    "security",
    "economic",
    "climate",
    "presidential",
];
