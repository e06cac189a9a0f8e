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

export const PG_ONLY_MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [{ version: 1001, sql: m1001 }]
