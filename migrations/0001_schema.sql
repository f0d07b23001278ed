-- Readout's schema. Documents and the mentions parsed from them are the
-- record of what was imported; actors, engagements, participants and
-- evidence are derived from the mentions by `resolve` and rebuilt after
-- every import, so they can always be recomputed. Redirect tables keep
-- permanent links working when a rebuild changes an id or a slug.

CREATE TABLE documents (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,      -- file name as imported
    content_hash  TEXT NOT NULL,             -- sha256 of the bytes
    title         TEXT,
    published     TEXT,                      -- ISO date
    source_url    TEXT,
    shape         TEXT NOT NULL,             -- model::Shape code
    imported_at   TEXT NOT NULL,             -- RFC 3339
    body          TEXT NOT NULL
);

-- One engagement as one document reports it (JSON of model::Mention).
CREATE TABLE mentions (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal      INTEGER NOT NULL,
    date         TEXT,
    payload      TEXT NOT NULL,
    UNIQUE (document_id, ordinal)
);

CREATE TABLE actors (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,               -- person | organization | country
    country     TEXT,
    short_name  TEXT,
    title       TEXT
);
CREATE INDEX actors_kind_name ON actors(kind, name);

CREATE TABLE engagements (
    id              TEXT PRIMARY KEY,        -- permanent, content-derived
    date            TEXT,                    -- ISO day, NULL when undated
    end_date        TEXT,
    date_precision  TEXT NOT NULL,
    kind            TEXT NOT NULL,
    status          TEXT NOT NULL,
    -- Timeline order key: the date, or '0000-00-00' so undated rows sort
    -- last in a newest-first keyset walk.
    sort_date       TEXT NOT NULL,
    source_count    INTEGER NOT NULL,
    fingerprint     TEXT NOT NULL            -- hash of the content, to skip unchanged rows on rebuild
);
CREATE INDEX engagements_timeline ON engagements(sort_date DESC, id DESC);
CREATE INDEX engagements_kind ON engagements(kind, sort_date DESC, id DESC);
CREATE INDEX engagements_status ON engagements(status, sort_date DESC, id DESC);

-- Every actor taking part: people (either side), organisations and
-- countries (counterpart side). `position` keeps the sources' order.
CREATE TABLE participants (
    engagement_id  TEXT NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
    actor_id       INTEGER NOT NULL REFERENCES actors(id) ON DELETE CASCADE,
    side           TEXT NOT NULL,            -- us | counterpart
    title          TEXT,
    position       INTEGER NOT NULL,
    PRIMARY KEY (engagement_id, actor_id)
) WITHOUT ROWID;
CREATE INDEX participants_actor ON participants(actor_id, engagement_id);

CREATE TABLE evidence (
    engagement_id  TEXT NOT NULL REFERENCES engagements(id) ON DELETE CASCADE,
    mention_id     INTEGER NOT NULL REFERENCES mentions(id) ON DELETE CASCADE,
    document_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    excerpt        TEXT NOT NULL,
    start_offset   INTEGER NOT NULL,
    end_offset     INTEGER NOT NULL,
    url            TEXT,
    PRIMARY KEY (engagement_id, mention_id)
);
CREATE INDEX evidence_document ON evidence(document_id);
CREATE INDEX evidence_mention ON evidence(mention_id);

CREATE TABLE engagement_redirects (
    old_id  TEXT PRIMARY KEY,
    new_id  TEXT NOT NULL
);

CREATE TABLE actor_redirects (
    old_slug  TEXT PRIMARY KEY,
    new_slug  TEXT NOT NULL
);
