// Migration 6: a request answered from the embeddings cache (no key taken, no upstream call) says so.
// Appended in this order by server/services/log/request-log-writer.ts: keep the two in sync.
export default /* sql */ `
ALTER TABLE request_log ADD COLUMN cache_hit BOOLEAN;
`
