// Migration 5: the embedding cache, and what kind of call a logged request was.
// input_hash is sha256 over (upstream model, dimensions, task type, input): one primary-key lookup per
// input, never a scan. model and dims are kept as columns for statistics and pruning.
export default /* sql */ `
CREATE TABLE embedding_cache (
  input_hash VARCHAR PRIMARY KEY,
  model VARCHAR NOT NULL,
  dims INTEGER NOT NULL,
  vector BLOB NOT NULL,
  created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
ALTER TABLE request_log ADD COLUMN operation VARCHAR;
ALTER TABLE request_log ADD COLUMN tokens_estimated BOOLEAN;
`
