import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'

/**
 * The PostgreSQL twin of tests/browser/support/seed-log.ts: fills a stopped server's request_log
 * (its database, from the folder's postgres-url) with the same synthetic rows, in one INSERT … SELECT
 * over generate_series. Days without a partition land in the DEFAULT partition, as late rows do.
 */
export async function seedRequestLogPostgres(dir: string, rows: number, days = 30): Promise<void> {
  const endUs = Date.now() * 1000
  const stepUs = Math.floor((days * 86_400_000_000) / rows)
  const startUs = endUs - stepUs * rows
  await onDatabase(dir, (c) =>
    c.query(`
      INSERT INTO request_log (ts, request_id, client_key, dialect, upstream_dialect, model, provider_id, upstream_model, route, key_id,
        stream, status, error_kind, error_message, latency_ms, ttfb_ms, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
        reasoning_tokens, bytes_in, bytes_out, client_ip, user_agent, cost_usd)
      SELECT
        to_timestamp((${startUs} + i * ${stepUs}) / 1e6) AT TIME ZONE 'UTC',
        'req_seed_' || i,
        (ARRAY['ci', 'web', 'batch', 'alice'])[1 + i % 4],
        (ARRAY['openai-chat', 'anthropic', 'gemini', 'openai-responses'])[1 + i % 4],
        (ARRAY['openai-chat', 'anthropic', 'gemini', 'openai-chat'])[1 + (i / 7) % 4],
        (ARRAY['gpt-4.1', 'gpt-4.1-mini', 'claude-sonnet-4-5', 'gemini-2.5-pro', 'deepseek-chat'])[1 + (i / 3) % 5],
        (ARRAY['openai', 'openai', 'anthropic', 'gemini', 'deepseek'])[1 + (i / 3) % 5],
        (ARRAY['gpt-4.1', 'gpt-4.1-mini', 'claude-sonnet-4-5', 'gemini-2.5-pro', 'deepseek-chat'])[1 + (i / 3) % 5],
        NULL,
        1 + i % 4,
        i % 5 < 3,
        CASE WHEN i % 37 = 0 THEN 429 WHEN i % 101 = 0 THEN 500 ELSE 200 END,
        CASE WHEN i % 37 = 0 THEN 'rate_limit' WHEN i % 101 = 0 THEN 'upstream_error' END,
        CASE WHEN i % 37 = 0 THEN 'Rate limit reached' WHEN i % 101 = 0 THEN 'upstream returned 500' END,
        200 + (i * 7919) % 4000,
        50 + (i * 104729) % 900,
        100 + (i * 31) % 5000,
        10 + (i * 17) % 1500,
        0, 0, 0, 2000, 4000, '127.0.0.1', 'seed',
        ((100 + (i * 31) % 5000) * 2 + (10 + (i * 17) % 1500) * 8) / 1e6
      FROM generate_series(0::bigint, ${rows - 1}::bigint) AS t(i)`),
  )
}

/** Runs `fn` on a client of the stopped server's database. */
export async function onDatabase<T>(dir: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: readFileSync(join(dir, 'postgres-url'), 'utf8') })
  await c.connect()
  try {
    return await fn(c)
  } finally {
    await c.end()
  }
}
