-- Whether the derived tables (actors, engagements, participants, evidence)
-- may lag behind the stored mentions: set in the same transaction as any
-- write of a document's mentions, cleared in the rebuild's transaction. An
-- import that changes nothing then skips the rebuild, and an import killed
-- between storing documents and rebuilding leaves the mark for the next
-- import or start-up to finish the work. At most one row.
CREATE TABLE pending_rebuild (
    id  INTEGER PRIMARY KEY CHECK (id = 1)
);
-- A database from before this table may have been left mid-import.
INSERT INTO pending_rebuild (id) SELECT 1 WHERE EXISTS (SELECT 1 FROM documents);
