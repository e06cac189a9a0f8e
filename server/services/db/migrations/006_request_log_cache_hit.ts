// Migration 6: a request answered from the embeddings cache (no key taken, no upstream call) says so.
// Listed in server/services/log/request-log-columns.ts (tests/unit/core/migrations.test.ts keeps the two equal).
export default /* sql */ `
ALTER TABLE request_log ADD COLUMN cache_hit BOOLEAN;
`
