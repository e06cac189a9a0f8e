// Migration 7: the lossy steps of a converted request (what the client saw in x-rosetta-warnings),
// one `code=field: sentence` per line; NULL when nothing was lost.
export default /* sql */ `
ALTER TABLE request_log ADD COLUMN warnings VARCHAR;
`
