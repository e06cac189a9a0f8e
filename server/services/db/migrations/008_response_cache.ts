// Migration 8 (issue 19): the exact response cache, and the cache/plugins settings of model entries,
// routes and client keys (JSON as rosetta.yaml writes them; NULL = not declared).
// cache_key is sha256 over the normalised IR request and its targets (gateway/response-cache/key.ts):
// one primary-key lookup per request. expires_at is per entry (the TTL in force when it was stored).
export default /* sql */ `
CREATE TABLE response_cache (
  cache_key VARCHAR PRIMARY KEY,
  model VARCHAR NOT NULL,
  response VARCHAR NOT NULL,
  bytes INTEGER NOT NULL,
  cost_usd DOUBLE,
  hits BIGINT NOT NULL DEFAULT 0,
  created_at TIMESTAMP NOT NULL DEFAULT current_timestamp,
  expires_at TIMESTAMP NOT NULL
);
ALTER TABLE model_entries ADD COLUMN cache JSON;
ALTER TABLE model_entries ADD COLUMN plugins JSON;
ALTER TABLE routes ADD COLUMN cache JSON;
ALTER TABLE routes ADD COLUMN plugins JSON;
ALTER TABLE client_keys ADD COLUMN cache JSON;
ALTER TABLE client_keys ADD COLUMN plugins JSON;
`
