import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Database } from '../../../server/services/db/database'
import { Reader } from '../../../server/services/db/reader'
import { RequestLogWriter } from '../../../server/services/log/request-log-writer'
import { exportLog } from '../../../server/services/log/log-export'
import { csvCell, EXPORT_COLUMNS, exportFileName } from '../../../server/services/log/export-format'
import { logFilterSchema } from '../../../shared/schemas/request-log'
import { entry } from '../ops/fakes'

const NOW = new Date('2026-06-01T12:00:00Z')
const at = (minAgo: number) => new Date(NOW.getTime() - minAgo * 60_000)
const TRICKY = 'a, "quoted"\nline two — 模型错误'
let db: Database
let reader: Reader

beforeAll(async () => {
  db = await Database.open(':memory:')
  reader = new Reader(await db.connect())
  const w = new RequestLogWriter(db)
  for (let i = 0; i < 7; i++) w.push(entry({ ts: at(30 - i), requestId: `req_${i}`, clientKey: i % 2 ? 'alice' : 'bob' }))
  w.push(entry({ ts: at(5), requestId: 'req_tricky', clientKey: 'alice', status: 502, errorKind: 'upstream_error', errorMessage: TRICKY, userAgent: '=HYPERLINK("x")' }))
  w.push(entry({ ts: at(60 * 30), requestId: 'req_old', clientKey: 'alice' }))
  await w.close()
})
afterAll(() => {
  reader.close()
  db.close()
})

async function collect(over: Record<string, unknown>, format: 'csv' | 'jsonl', pageRows: number): Promise<{ text: string; chunks: number }> {
  let text = ''
  let chunks = 0
  for await (const c of exportLog(reader, logFilterSchema.parse({ to: NOW, since: '1h', ...over }), format, NOW, pageRows)) {
    text += c
    chunks++
  }
  return { text, chunks }
}

/** An RFC 4180 reader, to read back what the export wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let cell = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"'
        i++
      } else if (ch === '"') quoted = false
      else cell += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(cell)
      cell = ''
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell)
      rows.push(row)
      row = []
      cell = ''
      i++
    } else cell += ch
  }
  return rows
}

describe('log export', () => {
  it('quotes commas, quotes and newlines, keeps CJK, and defuses spreadsheet formulas', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('one\ntwo')).toBe('"one\ntwo"')
    expect(csvCell('模型')).toBe('模型')
    expect(csvCell('=1+1')).toBe("'=1+1")
    expect(csvCell('-2')).toBe("'-2")
    expect(csvCell(-2)).toBe('-2')
    expect(csvCell(null)).toBe('')
    expect(csvCell(false)).toBe('false')
  })

  it('writes every matching row once, newest first, a page per chunk, as CSV that reads back exactly', async () => {
    const { text, chunks } = await collect({}, 'csv', 3)
    expect(text.startsWith('\uFEFFts,request_id,client_key,')).toBe(true)
    const rows = parseCsv(text.slice(1))
    expect(rows[0]).toEqual(EXPORT_COLUMNS.map(([h]) => h))
    const ids = rows.slice(1).map((r) => r[1])
    expect(ids).toEqual(['req_tricky', 'req_6', 'req_5', 'req_4', 'req_3', 'req_2', 'req_1', 'req_0'])
    // header + ceil(8 / 3) pages
    expect(chunks).toBe(4)
    const tricky = rows[1]!
    const col = (h: string) => tricky[EXPORT_COLUMNS.findIndex(([name]) => name === h)]
    expect(col('error_message')).toBe(TRICKY)
    expect(col('user_agent')).toBe(`'=HYPERLINK("x")`)
    expect(col('status')).toBe('502')
    expect(rows.every((r) => r.length === EXPORT_COLUMNS.length)).toBe(true)
  })

  it('applies the filter (client key, status) and writes JSON lines with the same names', async () => {
    const { text } = await collect({ clientKey: 'alice' }, 'jsonl', 2)
    const lines = text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.map((l) => l.request_id)).toEqual(['req_tricky', 'req_5', 'req_3', 'req_1'])
    expect(lines[0]!.error_message).toBe(TRICKY)
    expect(Object.keys(lines[0]!)).toEqual(EXPORT_COLUMNS.map(([h]) => h))
    const errors = await collect({ clientKey: 'alice', status: '5xx' }, 'jsonl', 2)
    expect(errors.text.trimEnd().split('\n')).toHaveLength(1)
    expect((await collect({ clientKey: 'nobody' }, 'csv', 2)).text).toBe(`\uFEFF${EXPORT_COLUMNS.map(([h]) => h).join(',')}\r\n`)
  })

  it('names the file by format and UTC minute', () => {
    expect(exportFileName('jsonl', new Date('2026-12-04T20:38:59Z'))).toBe('rosetta-log-20261204-2038.jsonl')
  })
})
