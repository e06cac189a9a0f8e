import { z } from 'zod'

/** `24h`, `30m`, `7d`: a span back from now. */
export const sinceSchema = z.string().regex(/^\d{1,5}[mhd]$/, 'a span like 30m, 24h or 7d')

export function parseSince(since: string): number {
  const n = Number(since.slice(0, -1))
  const unit = since.slice(-1)
  return n * (unit === 'm' ? 60_000 : unit === 'h' ? 3_600_000 : 86_400_000)
}

/** A time range: `since` (back from now), or `from`/`to`; default the last 24 hours. */
export const rangeSchema = z.object({
  since: sinceSchema.optional(),
  from: z.coerce.date().optional(),
  to: z.coerce.date().optional(),
})

export const STATUS_CLASSES = ['2xx', '4xx', '5xx', 'error'] as const

export const logFilterSchema = rangeSchema.extend({
  model: z.string().max(200).optional(),
  provider: z.string().max(100).optional(),
  clientKey: z.string().max(100).optional(),
  keyId: z.number().int().optional(),
  /** 2xx/4xx/5xx by final status; `error` is any failure, including a stream that broke off in-band. */
  status: z.enum(STATUS_CLASSES).optional(),
  stream: z.boolean().optional(),
  /** Case-insensitive substring of the error message (or kind). */
  search: z.string().min(1).max(200).optional(),
  requestId: z.string().max(100).optional(),
  sessionId: z.string().max(200).optional(),
  /** The instance that served it (exact name, as NUXT_INSTANCE_ID or hostname:pid). */
  instance: z.string().max(100).optional(),
})

export const logListSchema = logFilterSchema.extend({
  limit: z.number().int().min(1).max(500).default(50),
  /** From the previous page's `nextCursor`: keyset pagination, as fast on page 1000 as on page 1. */
  cursor: z.string().max(200).optional(),
})

export const STATS_DIMENSIONS = ['model', 'provider', 'key', 'client_key', 'upstream_model', 'dialect'] as const

export const statsBreakdownSchema = logFilterSchema.extend({
  by: z.enum(STATS_DIMENSIONS),
  limit: z.number().int().min(1).max(500).default(50),
})

export const statsSeriesSchema = logFilterSchema.extend({
  /** Bucket width in seconds; chosen from the range when omitted (at most ~200 points). */
  bucketSeconds: z.number().int().min(60).max(30 * 86_400).optional(),
})

/** A series split by model or provider: the busiest `top` groups, the rest summed as one (key null). */
export const statsStackedSchema = statsSeriesSchema.extend({
  by: z.enum(['model', 'provider']),
  top: z.number().int().min(1).max(12).default(6),
})

export const priceSchema = z.object({
  pattern: z.string().min(1).max(200),
  inputPerM: z.number().min(0).max(10_000),
  outputPerM: z.number().min(0).max(10_000),
  cacheReadPerM: z.number().min(0).max(10_000).nullable().default(null),
  cacheWritePerM: z.number().min(0).max(10_000).nullable().default(null),
})

export const priceUpdateSchema = z.object({
  upsert: z.array(priceSchema).max(500).default([]),
  remove: z.array(z.string().min(1).max(200)).max(500).default([]),
})

export type LogFilter = z.infer<typeof logFilterSchema>
export type LogListInput = z.infer<typeof logListSchema>
export type StatsDimension = (typeof STATS_DIMENSIONS)[number]
