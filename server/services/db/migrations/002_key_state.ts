// Migration 2: key pool state (survives restarts), provider capabilities, attempts per request.
export default /* sql */ `
ALTER TABLE providers ADD COLUMN capabilities JSON;
ALTER TABLE request_log ADD COLUMN attempts JSON;
CREATE TABLE key_state (
  key_hash VARCHAR PRIMARY KEY,
  provider_id VARCHAR NOT NULL,
  requests BIGINT NOT NULL DEFAULT 0,
  successes BIGINT NOT NULL DEFAULT 0,
  failures JSON NOT NULL DEFAULT '{}',
  input_tokens BIGINT NOT NULL DEFAULT 0,
  output_tokens BIGINT NOT NULL DEFAULT 0,
  last_used TIMESTAMP,
  last_error VARCHAR,
  rest_until TIMESTAMP,
  strikes INTEGER NOT NULL DEFAULT 0,
  disabled_reason VARCHAR,
  disabled_at TIMESTAMP,
  updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
`
