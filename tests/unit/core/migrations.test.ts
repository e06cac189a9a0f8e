import { describe, expect, it } from 'vitest'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { useMemoryDatabase } from '../../helpers/database'
import { MIGRATIONS } from '../../../server/services/db/migrations'
import { REQUEST_LOG_COLUMNS, addRequestLogColumns } from '../../../server/services/log/request-log-columns'
import { RequestLogWriter } from '../../../server/services/log/request-log-writer'
import { entry } from '../ops/fakes'

const FOLDER = fileURLToPath(new URL('../../../server/services/db/migrations/', import.meta.url))

interface Described {
  name: string
  type: string
  notNull: boolean
}

async function describeTable(all: (sql: string) => Promise<Record<string, unknown>[]>, table: string): Promise<Described[]> {
  const rows = await all(`DESCRIBE ${table}`)
  return rows.map((r) => ({ name: String(r.column_name), type: String(r.column_type), notNull: r.null === 'NO' }))
}

async function rawAll(conn: DuckDBConnection, sql: string): Promise<Record<string, unknown>[]> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[]
}

describe('the migration list', () => {
  it('is strictly ascending', () => {
    const versions = MIGRATIONS.map((m) => m.version)
    for (let i = 1; i < versions.length; i++) expect(versions[i], `after ${versions[i - 1]}`).toBeGreaterThan(versions[i - 1]!)
  })

  it('lists every NNN_*.ts file in the folder, each under its own number', async () => {
    // postgres*.ts: how PostgreSQL reads these same migrations, and its own (numbered from 1001).
    const files = readdirSync(FOLDER).filter((f) => f !== 'index.ts' && !f.startsWith('postgres'))
    for (const f of files) expect(f, 'a migration file is named NNN_what.ts').toMatch(/^\d{3}_[a-z0-9_]+\.ts$/)
    expect(files.map((f) => Number(f.slice(0, 3))).sort((a, b) => a - b)).toEqual(MIGRATIONS.map((m) => m.version))
    for (const f of files) {
      const mod = (await import(`${FOLDER}${f}`)) as { default: string }
      expect(MIGRATIONS.find((m) => m.version === Number(f.slice(0, 3)))?.sql, f).toBe(mod.default)
    }
  })
})

describe('request_log', () => {
  const mem = useMemoryDatabase()

  it('as the migrations create it equals the column table (names, order, types, NOT NULL)', async () => {
    const actual = await describeTable((sql) => mem.db.all(sql), 'request_log')
    expect(actual).toEqual(REQUEST_LOG_COLUMNS.map((c) => ({ name: c.name, type: c.type, notNull: c.notNull })))
  })

  it('takes a row the writer builds from the column table, every column read back', async () => {
    const w = new RequestLogWriter(mem.db)
    const e = entry({
      requestId: 'req_columns',
      errorId: 'req_columns',
      upstreamLatencyMs: 7,
      costUsd: 0.5,
      sessionId: 's',
      operation: 'embeddings',
      tokensEstimated: true,
      cacheHit: true,
      warnings: 'w=x: y',
      clientIp: '10.0.0.1',
      userAgent: 'ua',
      route: 'r',
      errorKind: 'k',
      errorMessage: 'm',
      attempts: [{ provider: 'p1', model: 'gpt-x', keyId: 1, status: 200, errorKind: null, latencyMs: 3 }],
      usage: { inputTokens: 1, outputTokens: 2, cacheReadTokens: 3, cacheWriteTokens: 4, reasoningTokens: 5 },
    })
    w.push(e)
    await w.close()
    expect(w.written).toBe(1)
    const [row] = await mem.db.all(`SELECT * FROM request_log WHERE request_id = 'req_columns'`)
    // Each column holds what its entry said: none was left out of the row or written to another's place.
    for (const c of REQUEST_LOG_COLUMNS) expect(row![c.name], c.name).not.toBeNull()
    expect(row).toMatchObject({ operation: 'embeddings', cache_hit: true, warnings: 'w=x: y', reasoning_tokens: 5, cache_write_tokens: 4, session_id: 's', client_ip: '10.0.0.1' })
  })
})

describe('addRequestLogColumns', () => {
  it('writes the DDL a shipped migration wrote by hand (007 adds warnings)', async () => {
    const before = MIGRATIONS.filter((m) => m.version < 7)
    const m007 = MIGRATIONS.find((m) => m.version === 7)!.sql
    const tables: Described[][] = []
    for (const last of [m007, addRequestLogColumns('warnings')]) {
      const inst = await DuckDBInstance.create(':memory:')
      const conn = await inst.connect()
      for (const m of before) await conn.run(m.sql)
      await conn.run(last)
      tables.push(await describeTable((sql) => rawAll(conn, sql), 'request_log'))
      conn.closeSync()
    }
    expect(tables[1]).toEqual(tables[0])
    expect(addRequestLogColumns('instance')).toBe(MIGRATIONS.find((m) => m.version === 19)!.sql.trim())
    expect(addRequestLogColumns('cache_hit', 'warnings')).toBe('ALTER TABLE request_log ADD COLUMN cache_hit BOOLEAN;\nALTER TABLE request_log ADD COLUMN warnings VARCHAR;')
  })

  it('refuses a column the table does not list, and a NOT NULL one', () => {
    expect(() => addRequestLogColumns('no_such')).toThrow(/no column no_such/)
    expect(() => addRequestLogColumns('ts')).toThrow(/cannot be NOT NULL/)
  })
})
