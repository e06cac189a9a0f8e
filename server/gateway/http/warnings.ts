import type { ServerResponse } from 'node:http'
import { WARNINGS_HEADER, warningsHeader, type IRWarning } from '../ir'

/** The warnings of the attempt that answered, per response, until the log entry is written. */
const byResponse = new WeakMap<ServerResponse, readonly IRWarning[]>()

/**
 * Sets `x-rosetta-warnings` for a converted attempt (before any byte is written: writeHead merges it)
 * and keeps the full sentences for the log. Each attempt replaces the previous one's, so a failover to
 * another target, or to a same-dialect one (no warnings), never reports what the answer did not do.
 */
export function setWarnings(res: ServerResponse, warnings: readonly IRWarning[] | undefined): void {
  if (res.headersSent) return
  const header = warningsHeader(warnings)
  if (header === undefined) {
    res.removeHeader(WARNINGS_HEADER)
    byResponse.delete(res)
    return
  }
  res.setHeader(WARNINGS_HEADER, header)
  byResponse.set(res, warnings!)
}

export function warningsOf(res: ServerResponse): readonly IRWarning[] | undefined {
  return byResponse.get(res)
}

/**
 * A warning learnt after the headers went out (a stream's unreadable upstream chunks): the log row
 * keeps it; the header can no longer say it.
 */
export function addLogWarning(res: ServerResponse, w: IRWarning): void {
  byResponse.set(res, [...(byResponse.get(res) ?? []), w])
}
