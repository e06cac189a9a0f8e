import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { whenReady } from '../../../../services/app-state'
import { requireRole } from '../../../../utils/admin-auth'
import { sendAdminJson } from '../../../../utils/admin-json'
import { logFilterFromQuery } from '../../../../utils/log-filter-query'
import { exportLog } from '../../../../services/log/log-export'
import { EXPORT_FORMATS, exportFileName, type ExportFormat } from '../../../../services/log/export-format'
import { logger } from '../../../../utils/logger'

const CONTENT_TYPES: Record<ExportFormat, string> = { csv: 'text/csv; charset=utf-8', jsonl: 'application/x-ndjson; charset=utf-8' }

/**
 * GET /v1/admin/logs/export?format=csv|jsonl (viewer): the request log filtered as the log page
 * filters it (since or from/to, model, provider, client_key, key_id, status, stream, search,
 * request_id, session_id), streamed page by page as a download. Never the bodies.
 */
export default defineEventHandler(async (event) => {
  if (!requireRole(event, 'viewer')) return
  const format = getQuery(event).format ?? 'csv'
  if (typeof format !== 'string' || !(EXPORT_FORMATS as readonly string[]).includes(format))
    return sendAdminJson(event, 400, { error: { code: 'invalid_request', message: `format: one of ${EXPORT_FORMATS.join(', ')}` } })
  const filter = logFilterFromQuery(event)
  if (typeof filter === 'string') return sendAdminJson(event, 400, { error: { code: 'invalid_request', message: filter } })
  const s = await whenReady()
  const fmt = format as ExportFormat
  const res = event.node.res
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[fmt],
    'content-disposition': `attachment; filename="${exportFileName(fmt, new Date())}"`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  })
  try {
    // pipeline pulls the next page only when the socket has taken the last one, and stops the
    // reading (the generator's finally) when the client goes away.
    // Byte mode (not object mode, whose buffer holds 16 chunks): at most one page waits in memory.
    await pipeline(Readable.from(exportLog(s.requestLog.reader, filter, fmt), { objectMode: false }), res)
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code
    if (code !== 'ERR_STREAM_PREMATURE_CLOSE') logger.warn('log export stopped', { error: (e as Error).message })
    // Headers are gone: a cut-off download (no final chunk) is how the client learns it failed.
    res.destroy()
  }
})
