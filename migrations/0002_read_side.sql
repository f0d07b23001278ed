-- What the read side (timeline, facets, search) needs to stay fast on a
-- million engagements. Everything here is either maintained by triggers or
-- refreshed by `db::engagements::refresh_facet_counts`, so the importer only
-- has to call that once at the end of a rebuild.

-- Facet counts of the unfiltered timeline, so the front page never counts
-- the whole table per request. `facet` is total | kind | status | country |
-- counterpart; `value` is what the filter link carries (a code, a country
-- name or an actor slug; '' for the total) and `label` what the page shows.
CREATE TABLE facet_counts (
    facet  TEXT NOT NULL,
    value  TEXT NOT NULL,
    label  TEXT NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (facet, value)
) WITHOUT ROWID;

-- Any change to what the counts summarise empties the table, so the page
-- falls back to counting (capped) instead of showing stale numbers until
-- the next refresh. The WHEN clause keeps bulk writes cheap: once emptied,
-- later rows skip the DELETE.
CREATE TRIGGER facet_counts_stale_on_engagement_insert AFTER INSERT ON engagements
    WHEN EXISTS (SELECT 1 FROM facet_counts) BEGIN DELETE FROM facet_counts; END;
CREATE TRIGGER facet_counts_stale_on_engagement_update AFTER UPDATE ON engagements
    WHEN EXISTS (SELECT 1 FROM facet_counts) BEGIN DELETE FROM facet_counts; END;
CREATE TRIGGER facet_counts_stale_on_engagement_delete AFTER DELETE ON engagements
    WHEN EXISTS (SELECT 1 FROM facet_counts) BEGIN DELETE FROM facet_counts; END;
CREATE TRIGGER facet_counts_stale_on_participant_insert AFTER INSERT ON participants
    WHEN EXISTS (SELECT 1 FROM facet_counts) BEGIN DELETE FROM facet_counts; END;
CREATE TRIGGER facet_counts_stale_on_participant_update AFTER UPDATE ON participants
    WHEN EXISTS (SELECT 1 FROM facet_counts) BEGIN DELETE FROM facet_counts; END;
CREATE TRIGGER facet_counts_stale_on_participant_delete AFTER DELETE ON participants
    WHEN EXISTS (SELECT 1 FROM facet_counts) BEGIN DELETE FROM facet_counts; END;
CREATE TRIGGER facet_counts_stale_on_actor_update AFTER UPDATE ON actors
    WHEN EXISTS (SELECT 1 FROM facet_counts) BEGIN DELETE FROM facet_counts; END;

-- Trigram index of the excerpts, for the `q` filter: a quoted phrase of
-- three or more characters MATCHes exactly the rows whose excerpt contains
-- it (case-insensitively), so it can narrow the candidates for a rare
-- search while the timeline checks each row with LIKE. It indexes mentions
-- (whose INTEGER PRIMARY KEY survives VACUUM, unlike evidence's implicit
-- rowid; evidence.excerpt is the mention's excerpt) and is joined to
-- evidence through `evidence_mention`. Contentless: the text already lives
-- in `mentions.payload`.
CREATE VIRTUAL TABLE mention_trigram USING fts5(
    excerpt,
    content = '',
    tokenize = 'trigram'
);
INSERT INTO mention_trigram (rowid, excerpt)
    SELECT id, json_extract(payload, '$.excerpt') FROM mentions;

CREATE TRIGGER mention_trigram_on_insert AFTER INSERT ON mentions BEGIN
    INSERT INTO mention_trigram (rowid, excerpt)
        VALUES (new.id, json_extract(new.payload, '$.excerpt'));
END;
CREATE TRIGGER mention_trigram_on_delete AFTER DELETE ON mentions BEGIN
    INSERT INTO mention_trigram (mention_trigram, rowid, excerpt)
        VALUES ('delete', old.id, json_extract(old.payload, '$.excerpt'));
END;
CREATE TRIGGER mention_trigram_on_update AFTER UPDATE OF id, payload ON mentions BEGIN
    INSERT INTO mention_trigram (mention_trigram, rowid, excerpt)
        VALUES ('delete', old.id, json_extract(old.payload, '$.excerpt'));
    INSERT INTO mention_trigram (rowid, excerpt)
        VALUES (new.id, json_extract(new.payload, '$.excerpt'));
END;

-- The counterpart / official / country filters start from a set of actors
-- and need their engagements on one side.
CREATE INDEX participants_actor_side ON participants(actor_id, side, engagement_id);
-- The country filter matches people by their country.
CREATE INDEX actors_country ON actors(country COLLATE NOCASE);
