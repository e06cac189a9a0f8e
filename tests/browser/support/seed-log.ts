import { DuckDBInstance } from '@duckdb/node-api'

/**
 * Fills a stopped server's request_log with `rows` synthetic requests spread evenly over the last
 * `days` days, in one INSERT … SELECT over range() (seconds for a million rows, not minutes).
 */
export async function seedRequestLog(dbPath: string, rows: number, days = 30): Promise<void> {
  const inst = await DuckDBInstance.create(dbPath)
  const conn = await inst.connect()
  const endUs = Date.now() * 1000
  const stepUs = Math.floor((days * 86_400_000_000) / rows)
  const startUs = endUs - stepUs * rows
  try {
    await conn.run(`
      INSERT INTO request_log BY NAME
      SELECT
        make_timestamp(${startUs} + i * ${stepUs}) AS ts,
        'req_seed_' || i AS request_id,
        ['ci', 'web', 'batch', 'alice'][1 + i % 4] AS client_key,
        ['openai-chat', 'anthropic', 'gemini', 'openai-responses'][1 + i % 4] AS dialect,
        ['openai-chat', 'anthropic', 'gemini', 'openai-chat'][1 + (i // 7) % 4] AS upstream_dialect,
        ['gpt-4.1', 'gpt-4.1-mini', 'claude-sonnet-4-5', 'gemini-2.5-pro', 'deepseek-chat'][1 + (i // 3) % 5] AS model,
        ['openai', 'openai', 'anthropic', 'gemini', 'deepseek'][1 + (i // 3) % 5] AS provider_id,
        ['gpt-4.1', 'gpt-4.1-mini', 'claude-sonnet-4-5', 'gemini-2.5-pro', 'deepseek-chat'][1 + (i // 3) % 5] AS upstream_model,
        NULL AS route,
        1 + i % 4 AS key_id,
        i % 5 < 3 AS stream,
        CASE WHEN i % 37 = 0 THEN 429 WHEN i % 101 = 0 THEN 500 ELSE 200 END AS status,
        CASE WHEN i % 37 = 0 THEN 'rate_limit' WHEN i % 101 = 0 THEN 'upstream_error' END AS error_kind,
        CASE WHEN i % 37 = 0 THEN 'Rate limit reached' WHEN i % 101 = 0 THEN 'upstream returned 500' END AS error_message,
        200 + (i * 7919) % 4000 AS latency_ms,
        50 + (i * 104729) % 900 AS ttfb_ms,
        100 + (i * 31) % 5000 AS input_tokens,
        10 + (i * 17) % 1500 AS output_tokens,
        0 AS cache_read_tokens, 0 AS cache_write_tokens, 0 AS reasoning_tokens,
        2000 AS bytes_in, 4000 AS bytes_out, '127.0.0.1' AS client_ip, 'seed' AS user_agent,
        ((100 + (i * 31) % 5000) * 2 + (10 + (i * 17) % 1500) * 8) / 1e6 AS cost_usd
      FROM range(${rows}) t(i)`)
    await conn.run('CHECKPOINT')
  } finally {
    conn.closeSync()
    inst.closeSync()
  }
}
