-- Start-up asks which documents another extractor read. Without an index
-- that question reads every row of `documents`, bodies and all (seconds on
-- a large archive); with it, the answer is a short walk of this index.
CREATE INDEX documents_extractor ON documents(extractor);
