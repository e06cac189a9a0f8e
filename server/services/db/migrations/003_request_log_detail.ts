import { DEFAULT_PRICES } from '../../log/price-defaults'

const lit = (v: number | null) => (v === null ? 'NULL' : String(v))

// Migration 3: the rest of the request log's fields, bodies kept apart (own retention), the price table.
export default /* sql */ `
-- Listed in server/services/log/request-log-columns.ts (tests/unit/core/migrations.test.ts keeps the two equal).
ALTER TABLE request_log ADD COLUMN error_id VARCHAR;
ALTER TABLE request_log ADD COLUMN upstream_latency_ms DOUBLE;
ALTER TABLE request_log ADD COLUMN cost_usd DOUBLE;
ALTER TABLE request_log ADD COLUMN session_id VARCHAR;

-- Bodies live apart from the metadata: much larger, shorter retention, and optional (NUXT_LOG_BODIES).
-- Redacted and capped before they are written; a truncated body is no longer valid JSON, hence VARCHAR.
CREATE TABLE request_bodies (
  request_id VARCHAR NOT NULL,
  ts TIMESTAMP NOT NULL,
  request_body VARCHAR,
  response_body VARCHAR,
  request_truncated BOOLEAN NOT NULL DEFAULT false,
  response_truncated BOOLEAN NOT NULL DEFAULT false,
  request_bytes INTEGER,
  response_bytes INTEGER
);

-- USD per million tokens; pattern is a model name (covering its dated variants) or a glob.
CREATE TABLE prices (
  pattern VARCHAR PRIMARY KEY,
  input_per_m DOUBLE NOT NULL,
  output_per_m DOUBLE NOT NULL,
  cache_read_per_m DOUBLE,
  cache_write_per_m DOUBLE,
  updated_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
INSERT INTO prices (pattern, input_per_m, output_per_m, cache_read_per_m, cache_write_per_m) VALUES
${DEFAULT_PRICES.map((p) => `  ('${p.pattern}', ${p.inputPerM}, ${p.outputPerM}, ${lit(p.cacheReadPerM)}, ${lit(p.cacheWritePerM)})`).join(',\n')};
`
