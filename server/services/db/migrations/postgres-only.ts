// PostgreSQL-only migrations, applied after the shared ones (server/services/db/migrations/postgres.ts).
// Versions start at 1001 so they never meet a shared migration's number.

// 1001: a DEFAULT partition for each log table (a row whose day has no partition yet still lands:
// db/postgres/partitions.ts moves such rows into their day's partition when it creates it), and the
// indexes the log's list filters and the detail view use. Created on the partitioned parent, so every
// partition gets them.
const m1001 = /* sql */ `
CREATE TABLE request_log_default PARTITION OF request_log DEFAULT;
CREATE TABLE request_bodies_default PARTITION OF request_bodies DEFAULT;
CREATE INDEX request_log_ts ON request_log (ts DESC, request_id DESC);
CREATE INDEX request_log_request_id ON request_log (request_id);
CREATE INDEX request_log_client_key ON request_log (client_key, ts);
CREATE INDEX request_log_model ON request_log (model, ts);
CREATE INDEX request_log_upstream_model ON request_log (upstream_model, ts);
CREATE INDEX request_log_provider ON request_log (provider_id, ts);
CREATE INDEX request_log_key ON request_log (key_id, ts);
CREATE INDEX request_log_session ON request_log (session_id, ts);
CREATE INDEX request_bodies_request_id ON request_bodies (request_id);
`

// 1002: per-minute rollups of the request log (db/postgres/rollups.ts): one row per minute and
// combination of the dimensions the stats filter and group by, with the counts and sums the stats
// show and log-scale histograms of latency and time to first byte (jsonb: bucket → count, keys 'l<b>'
// and 't<b>'), so percentiles over 30 days need no sort of millions of rows.
const m1002 = /* sql */ `
CREATE TABLE request_stats_minute (
  minute TIMESTAMP NOT NULL,
  model VARCHAR,
  upstream_model VARCHAR,
  provider_id VARCHAR,
  key_id INTEGER,
  client_key VARCHAR,
  dialect VARCHAR,
  stream BOOLEAN NOT NULL,
  status INTEGER NOT NULL,
  error_kind VARCHAR,
  requests BIGINT NOT NULL,
  input_tokens BIGINT,
  output_tokens BIGINT,
  cache_read_tokens BIGINT,
  cache_write_tokens BIGINT,
  reasoning_tokens BIGINT,
  cost_usd DOUBLE PRECISION,
  hist JSONB NOT NULL
);
CREATE INDEX request_stats_minute_minute ON request_stats_minute (minute);
`

// 1003 (issue 15): the rollups carry `unpriced` (requests with tokens but no price: their cost is
// unknown, not 0), which the stats read from them was missing; the watermark is cleared so the next
// round re-rolls the whole history with it. And the index the log's `instance` filter uses.
const m1003 = /* sql */ `
ALTER TABLE request_stats_minute ADD COLUMN unpriced BIGINT;
DELETE FROM settings WHERE key = 'stats_rollup_until';
CREATE INDEX request_log_instance ON request_log (instance, ts);
`

// The hour and day rollups' columns after their time column (the minute rollup's, 1002). Part of a
// migration that has run: never edit it, add a migration instead.
const COARSE_ROLLUP_COLUMNS = `  model VARCHAR,
  upstream_model VARCHAR,
  provider_id VARCHAR,
  key_id INTEGER,
  client_key VARCHAR,
  dialect VARCHAR,
  stream BOOLEAN NOT NULL,
  status INTEGER NOT NULL,
  error_kind VARCHAR,
  requests BIGINT NOT NULL,
  input_tokens BIGINT,
  output_tokens BIGINT,
  cache_read_tokens BIGINT,
  cache_write_tokens BIGINT,
  reasoning_tokens BIGINT,
  cost_usd DOUBLE PRECISION,
  unpriced BIGINT,
  hist JSONB NOT NULL`

// 1004 (issue 15): per-hour and per-day rollups, built from the minute rollups (db/postgres/rollups.ts),
// so the stats over 30 days read day rows instead of ~1.4M minute rows at 10M log rows; and slices of
// them (request_stats_slice: per hour or day, one row for all requests (dim '') and one per value of
// each breakdown dimension, the error counts precomputed), which answer the unfiltered stats (the
// dashboard's) from a few dozen rows per hour or day, since the full combinations of the dimensions
// barely compress per hour (~1k combinations an hour at 10M rows a month). And a
// partial index on the error rows' time: the log's status=error/4xx/5xx and text-search filters (the
// search matches error_message or error_kind, so only error rows match) read those rows, newest first,
// instead of every row of the range.
const m1004 = /* sql */ `
CREATE TABLE request_stats_hour (
  hour TIMESTAMP NOT NULL,
${COARSE_ROLLUP_COLUMNS}
);
CREATE INDEX request_stats_hour_hour ON request_stats_hour (hour);
CREATE TABLE request_stats_day (
  day TIMESTAMP NOT NULL,
${COARSE_ROLLUP_COLUMNS}
);
CREATE INDEX request_stats_day_day ON request_stats_day (day);
CREATE TABLE request_stats_slice (
  at TIMESTAMP NOT NULL,
  grain VARCHAR NOT NULL,
  dim VARCHAR NOT NULL,
  value VARCHAR,
  provider_id VARCHAR,
  requests BIGINT NOT NULL,
  errors BIGINT NOT NULL,
  e4 BIGINT NOT NULL,
  e5 BIGINT NOT NULL,
  eib BIGINT NOT NULL,
  input_tokens BIGINT,
  output_tokens BIGINT,
  cache_read_tokens BIGINT,
  cache_write_tokens BIGINT,
  reasoning_tokens BIGINT,
  cost_usd DOUBLE PRECISION,
  unpriced BIGINT,
  hist JSONB NOT NULL
);
CREATE INDEX request_stats_slice_at ON request_stats_slice (grain, dim, at);
CREATE INDEX request_log_errors ON request_log (ts DESC) WHERE error_kind IS NOT NULL OR status >= 400 OR error_message IS NOT NULL;
`

// 1005 (issue 15): the error rows' partial index covers the log's filters on them: it carries the
// request id (a page's keys), status, error kind, key and message, so the status=error/4xx/5xx, key
// and text-search lists and their capped `total` read the index alone (an index-only scan, once
// autovacuum has marked a closed day's pages all-visible) instead of a heap page per error row:
// a text search matching just under the 10,000 cap took 573 ms at 2M rows, every error row's page
// read. A btree entry must fit 2,704 bytes, so messages are kept to 2,000 bytes (UTF-8) from now on
// (row-values.ts: errorMessage); older rows over that keep their first 500 characters (at most 2,000
// bytes in any script) so the index can be built.
const m1005 = /* sql */ `
UPDATE request_log SET error_message = left(error_message, 500) WHERE octet_length(error_message) > 2000;
DROP INDEX request_log_errors;
CREATE INDEX request_log_errors ON request_log (ts DESC) INCLUDE (request_id, status, error_kind, key_id, error_message)
  WHERE error_kind IS NOT NULL OR status >= 400 OR error_message IS NOT NULL;
`

export const PG_ONLY_MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  { version: 1001, sql: m1001 },
  { version: 1002, sql: m1002 },
  { version: 1003, sql: m1003 },
  { version: 1004, sql: m1004 },
  { version: 1005, sql: m1005 },
]
