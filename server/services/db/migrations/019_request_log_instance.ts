// Migration 19 (issue 15): the instance that served the request (NUXT_INSTANCE_ID, else hostname:pid),
// so the merged log of a cluster says which node answered. NULL on rows written before this migration.
// Listed in server/services/log/request-log-columns.ts (tests/unit/core/migrations.test.ts keeps the two equal).
export default /* sql */ `
ALTER TABLE request_log ADD COLUMN instance VARCHAR;
`
