/**
 * The one structured logger: one JSON object per line on stdout (stderr for warn/error), so a log
 * shipper can parse every line. The level comes from NUXT_LOG_LEVEL at boot; debug mode raises it
 * for a while (see services/ops/run-mode.ts) without losing the configured one.
 */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const
export type LogLevel = (typeof LOG_LEVELS)[number]

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

let configured: LogLevel = 'info'
let override: LogLevel | undefined
/** Where lines go; tests swap it to capture output. */
let sink: (line: string, level: LogLevel) => void = (line, level) => {
  ;(RANK[level] >= RANK.warn ? process.stderr : process.stdout).write(line + '\n')
}

/** This instance's name, on every line once set (cluster mode: lines of several instances get merged). */
let instance: string | undefined

export function setLogInstance(id: string | undefined): void {
  instance = id
}

export function setLogLevel(level: LogLevel): void {
  configured = level
}

/** A temporary level (debug mode); `undefined` restores the configured one. */
export function overrideLogLevel(level: LogLevel | undefined): void {
  override = level
}

export function logLevel(): LogLevel {
  return override ?? configured
}

export function setLogSink(fn: typeof sink): typeof sink {
  const old = sink
  sink = fn
  return old
}

export function isLevelEnabled(level: LogLevel): boolean {
  return RANK[level] >= RANK[logLevel()]
}

/** Errors become {name, message, stack} (Error's fields are not enumerable, JSON would drop them). */
function plain(v: unknown): unknown {
  if (v instanceof Error) return { name: v.name, message: v.message, stack: v.stack, ...(v.cause ? { cause: plain(v.cause) } : {}) }
  return v
}

function write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
  if (!isLevelEnabled(level)) return
  const rec: Record<string, unknown> = { time: new Date().toISOString(), level, msg }
  if (instance !== undefined) rec.instance = instance
  if (fields) for (const [k, v] of Object.entries(fields)) rec[k] = plain(v)
  let line: string
  try {
    line = JSON.stringify(rec)
  } catch {
    line = JSON.stringify({ time: rec.time, level, msg, note: 'fields were not serialisable' })
  }
  sink(line, level)
}

export const logger = {
  debug: (msg: string, fields?: Record<string, unknown>) => write('debug', msg, fields),
  info: (msg: string, fields?: Record<string, unknown>) => write('info', msg, fields),
  warn: (msg: string, fields?: Record<string, unknown>) => write('warn', msg, fields),
  error: (msg: string, fields?: Record<string, unknown>) => write('error', msg, fields),
}
