import type { SSEMessage } from '../../../server/gateway/codec'
import type { IRRequest } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'

/** What the conversion-gap tests share: the converted request as an upstream gets it, and its warnings. */

export type J = Record<string, any>

/** What attempt.ts does for a converted request: the client's IR, re-encoded for the upstream. */
export function encodeFor(ir: IRRequest, upstream: keyof typeof CODECS): { body: J; ir: IRRequest } {
  const upReq: IRRequest = { ...ir, extras: ir.extras?.[upstream] ? { [upstream]: ir.extras[upstream] } : undefined, warnings: [...(ir.warnings ?? [])] }
  return { body: CODECS[upstream].encodeRequest(upReq).body as J, ir: upReq }
}

/** The request's warnings as `code=field`, the way the log row's warnings column reads. */
export const codes = (ir: IRRequest) => (ir.warnings ?? []).map((w) => `${w.code}=${w.field}`)

/** Anthropic stream events (as recorded, one JSON object each) → SSE messages named by their type. */
export function anthropicEvents(events: J[]): SSEMessage[] {
  return events.map((e) => ({ event: e.type, data: JSON.stringify(e) }))
}
