// Migration 1: configuration tables and the request log.
export default /* sql */ `
-- Configuration: providers, their key pools, model entries, routes, client keys.
-- 'source' is 'file' for entries rosetta.yaml owns, 'db' for entries made in the UI/CLI.
CREATE TABLE settings (
  key VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE providers (
  id VARCHAR PRIMARY KEY,
  type VARCHAR NOT NULL,
  base_url VARCHAR,
  key_strategy VARCHAR NOT NULL DEFAULT 'round-robin',
  auth_header VARCHAR,
  auth_template VARCHAR,
  headers JSON NOT NULL DEFAULT '{}',
  timeout_ms INTEGER NOT NULL DEFAULT 600000,
  enabled BOOLEAN NOT NULL DEFAULT true,
  source VARCHAR NOT NULL DEFAULT 'db',
  position INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE SEQUENCE provider_keys_id START 1;
CREATE TABLE provider_keys (
  id INTEGER PRIMARY KEY DEFAULT nextval('provider_keys_id'),
  provider_id VARCHAR NOT NULL,
  name VARCHAR,
  -- AES-256-GCM under the master key: base64(iv | tag | ciphertext). Never the plain key.
  key_cipher VARCHAR NOT NULL,
  -- sha256 of the key, to recognise the same key again without decrypting.
  key_hash VARCHAR NOT NULL,
  key_hint VARCHAR NOT NULL,
  weight INTEGER NOT NULL DEFAULT 1,
  max_concurrency INTEGER,
  enabled BOOLEAN NOT NULL DEFAULT true,
  source VARCHAR NOT NULL DEFAULT 'db',
  position INTEGER NOT NULL DEFAULT 0,
  created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE model_entries (
  name VARCHAR PRIMARY KEY,
  targets JSON NOT NULL,
  fallbacks JSON NOT NULL DEFAULT '[]',
  enabled BOOLEAN NOT NULL DEFAULT true,
  source VARCHAR NOT NULL DEFAULT 'db',
  position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE routes (
  name VARCHAR PRIMARY KEY,
  match_type VARCHAR NOT NULL,
  pattern VARCHAR NOT NULL,
  provider_id VARCHAR NOT NULL,
  model_template VARCHAR NOT NULL DEFAULT '{model}',
  priority INTEGER NOT NULL DEFAULT 0,
  enabled BOOLEAN NOT NULL DEFAULT true,
  source VARCHAR NOT NULL DEFAULT 'db',
  position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE client_keys (
  name VARCHAR PRIMARY KEY,
  -- sha256 of the key: client keys are verified, never recovered.
  key_hash VARCHAR NOT NULL UNIQUE,
  key_hint VARCHAR NOT NULL,
  models JSON,
  rpm INTEGER,
  enabled BOOLEAN NOT NULL DEFAULT true,
  source VARCHAR NOT NULL DEFAULT 'db',
  created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);

-- The request log (metadata). Written in batches (server/services/log/batch-inserter.ts), never one INSERT per request.
CREATE TABLE request_log (
  ts TIMESTAMP NOT NULL,
  request_id VARCHAR NOT NULL,
  client_key VARCHAR,
  dialect VARCHAR NOT NULL,
  upstream_dialect VARCHAR,
  model VARCHAR,
  provider_id VARCHAR,
  upstream_model VARCHAR,
  route VARCHAR,
  key_id INTEGER,
  stream BOOLEAN NOT NULL,
  status INTEGER NOT NULL,
  error_kind VARCHAR,
  error_message VARCHAR,
  latency_ms DOUBLE NOT NULL,
  ttfb_ms DOUBLE,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cache_read_tokens INTEGER,
  cache_write_tokens INTEGER,
  reasoning_tokens INTEGER,
  bytes_in INTEGER,
  bytes_out INTEGER,
  client_ip VARCHAR,
  user_agent VARCHAR
);
`
