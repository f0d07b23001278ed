-- Which extractor (version and gazetteer) wrote each document's mentions,
-- as `db::version::Extractor::fingerprint`. A document whose value differs
-- from the running build's is re-parsed from its stored body, so upgrading
-- Readout or extending the gazetteer refreshes old documents without the
-- user importing them again. Rows from before this column are NULL, which
-- differs from every fingerprint: they are refreshed once.
ALTER TABLE documents ADD COLUMN extractor TEXT;
