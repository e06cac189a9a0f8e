import type { TimeRange } from './time-range'

/** The request log's filters as the log page holds them (empty strings: not set). */
export interface LogFilterForm {
  range: TimeRange
  model?: string
  provider?: string
  clientKey?: string
  status?: string
  search?: string
  requestId?: string
  instance?: string
}

/**
 * The export route's address for these filters: the same rows the log page lists, in the route's
 * snake_case query names (server/utils/log-filter-query.ts).
 */
export function logExportUrl(format: 'csv' | 'jsonl', f: LogFilterForm): string {
  const q = new URLSearchParams({ format })
  if ('since' in f.range) q.set('since', f.range.since)
  else {
    q.set('from', f.range.from)
    q.set('to', f.range.to)
  }
  const add = (name: string, v: string | undefined) => {
    if (v?.trim()) q.set(name, v.trim())
  }
  add('model', f.model)
  add('provider', f.provider)
  add('client_key', f.clientKey)
  add('status', f.status)
  add('search', f.search)
  add('request_id', f.requestId)
  add('instance', f.instance)
  return `/v1/admin/logs/export?${q.toString()}`
}
