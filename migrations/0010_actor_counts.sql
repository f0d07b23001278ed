-- How many engagements each actor takes part in, per side ('' for either
-- side), so /actors lists the most frequent without counting every
-- participant row per request. Like facet_counts (0002): any write to what
-- it summarises empties it, `db::actors::refresh_counts` refills it at the
-- end of a rebuild, and while it is empty the index counts live.
CREATE TABLE actor_counts (
    side      TEXT NOT NULL,               -- '' | us | counterpart
    actor_id  INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    PRIMARY KEY (side, actor_id)
) WITHOUT ROWID;
CREATE INDEX actor_counts_rank ON actor_counts(side, n DESC);

CREATE TRIGGER actor_counts_stale_on_participant_insert AFTER INSERT ON participants
    WHEN EXISTS (SELECT 1 FROM actor_counts) BEGIN DELETE FROM actor_counts; END;
CREATE TRIGGER actor_counts_stale_on_participant_update AFTER UPDATE ON participants
    WHEN EXISTS (SELECT 1 FROM actor_counts) BEGIN DELETE FROM actor_counts; END;
CREATE TRIGGER actor_counts_stale_on_participant_delete AFTER DELETE ON participants
    WHEN EXISTS (SELECT 1 FROM actor_counts) BEGIN DELETE FROM actor_counts; END;

-- A participants row is one actor in one engagement (its primary key), so
-- counting rows counts engagements.
INSERT INTO actor_counts (side, actor_id, n)
    SELECT side, actor_id, COUNT(*) FROM participants GROUP BY side, actor_id;
INSERT INTO actor_counts (side, actor_id, n)
    SELECT '', actor_id, SUM(n) FROM actor_counts GROUP BY actor_id;
