import type { RequestLogEntry, ResponseCapture } from '../../../gateway/log-entry'
import type { BatchTable } from '../batch-inserter'
import { bodyRecord, errorText, responseText } from '../body-record'
import type { Handover } from './encoder-thread'
import { REQUEST_LOG_COLUMNS } from '../request-log-columns'

/**
 * The request log's tables as the writers encode them, by name: the encoder thread is handed a
 * table's name and options (functions do not cross threads) and builds the same spec as the event
 * loop would.
 */
export type LogTableName = 'request_log' | 'request_bodies'

export interface LogTableOptions {
  /** request_bodies: each body is capped at this many bytes. */
  bodyMaxBytes?: number
}

/** request_log: the columns and row read off the one column table. */
export const REQUEST_LOG_TABLE: BatchTable<RequestLogEntry> = {
  table: 'request_log',
  columns: REQUEST_LOG_COLUMNS.map((c) => [c.name, c.type] as const),
  row: (e) => {
    const row = new Array<unknown>(REQUEST_LOG_COLUMNS.length)
    for (let i = 0; i < row.length; i++) row[i] = REQUEST_LOG_COLUMNS[i]!.value(e)
    return row
  },
}

/** request_bodies: redacted, base64-summarised, reassembled and capped (body-record.ts). */
export function requestBodiesTable(maxBytes: number): BatchTable<RequestLogEntry> {
  return {
    table: 'request_bodies',
    columns: [
      ['request_id', 'VARCHAR'],
      ['ts', 'TIMESTAMP'],
      ['request_body', 'VARCHAR'],
      ['response_body', 'VARCHAR'],
      ['request_truncated', 'BOOLEAN'],
      ['response_truncated', 'BOOLEAN'],
      ['request_bytes', 'INTEGER'],
      ['response_bytes', 'INTEGER'],
    ],
    row: (e) => {
      try {
        const r = bodyRecord(e, maxBytes)
        if (!r) return null
        const { request: q, response: s } = r
        return [r.requestId, r.ts.getTime(), q?.text ?? null, s?.text ?? null, q?.truncated ?? false, s?.truncated ?? false, q?.bytes ?? null, s?.bytes ?? null]
      } finally {
        // Encoded inline, the entry is also queued for the metadata writer: let go of the bodies now.
        e.requestBody = undefined
        e.responseBody = undefined
      }
    },
  }
}

/**
 * A table as the encoder thread encodes it: request_log rows arrive built (HANDOVER below: an array of
 * values clones in half the time of the entry object), bodies arrive as entries.
 */
export function threadTable(name: LogTableName, opts: LogTableOptions): BatchTable<unknown> {
  if (name === 'request_log') return { ...REQUEST_LOG_TABLE, row: (r) => r as unknown[] }
  return requestBodiesTable(opts.bodyMaxBytes ?? 64 * 1024) as BatchTable<unknown>
}

/**
 * What crosses to the encoder thread per entry (it is serialized on the event loop,
 * so it carries only what the table's row reads): the metadata row's values; the bodies with
 * the ids they are stored under, and an error answer already in its wire form (a GatewayError does
 * not survive serialization with its fields).
 */
export const HANDOVER: Record<LogTableName, Handover<RequestLogEntry>> = {
  request_log: { form: (e) => REQUEST_LOG_TABLE.row(e) },
  request_bodies: {
    form: (e) => ({
      requestId: e.requestId,
      ts: e.ts,
      requestBody: e.requestBody,
      responseBody: crossable(e.responseBody),
    }),
    // The entry is also queued for the metadata writer: it lets go of the bodies once they are handed over.
    release: (e) => {
      e.requestBody = undefined
      e.responseBody = undefined
    },
  },
}

/**
 * A capture that survives serialization: plain arrays and objects only; a GatewayError (an error answer, or the in-band error
 * of a stream that broke off) would arrive as a plain Error without its kind, so those rare captures
 * are turned into their stored text here.
 */
function crossable(c: ResponseCapture | undefined): ResponseCapture | undefined {
  if (c?.kind === 'error') return { kind: 'text', text: errorText(c) }
  if (c?.kind !== 'events') return c
  if (c.events.some((ev) => ev.type === 'error')) return { kind: 'text', text: responseText(c) }
  // The relay's CappedEvents is an Array subclass with fields of its own (a function among them): a
  // plain array of the same events is what crosses.
  return { ...c, events: Array.prototype.slice.call(c.events) as typeof c.events }
}
