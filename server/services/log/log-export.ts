import type { LogReader } from '../db/reader'
import { logPage } from '../db/log-repo'
import { resolveRange } from '../db/log-filter-sql'
import type { LogFilter } from '../../../shared/schemas/request-log'
import { csvHeader, csvLine, jsonLine, type ExportFormat } from './export-format'

/** Rows read per query: one page is all the export ever holds (about 1 MB of text). */
export const EXPORT_PAGE_ROWS = 1000

/**
 * The filtered log as text, newest first, one page of rows per chunk. The range is fixed when the
 * export starts, so requests logged meanwhile neither shift nor repeat rows. Pulled by the response
 * stream: a slow download reads the next page only when the last one has been sent.
 */
export async function* exportLog(db: LogReader, filter: LogFilter, format: ExportFormat, now = new Date(), pageRows = EXPORT_PAGE_ROWS): AsyncGenerator<string> {
  const range = resolveRange(filter, now)
  // The byte-order mark tells Excel the CSV is UTF-8 (model names and messages may be CJK).
  if (format === 'csv') yield `\uFEFF${csvHeader()}`
  const line = format === 'csv' ? csvLine : jsonLine
  let cursor: string | null = null
  do {
    const page = await logPage(db, filter, range, cursor, pageRows)
    if (page.items.length) yield page.items.map(line).join('')
    cursor = page.nextCursor
  } while (cursor)
}
