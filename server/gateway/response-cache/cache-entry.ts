import type { IRRequest, IRResponse } from '../ir'

/** What the response cache keeps per key: the upstream's answer in the IR, and the limit it was made under. */
export interface CachedAnswer {
  response: IRResponse
  /** The request's output-token limit when the answer was made (undefined: none). */
  maxTokens?: number
}

/**
 * May this entry answer this request? An answer that ended by itself is the answer under any limit at
 * least as large as what it used; one cut off by the limit only under that same limit.
 */
export function servable(entry: CachedAnswer, req: IRRequest): boolean {
  if (entry.response.finish.unified === 'length') return entry.maxTokens === req.maxTokens
  return req.maxTokens === undefined || entry.response.usage.outputTokens <= req.maxTokens
}

/** Is a request meant to vary between calls? (an explicit non-zero temperature; unset counts as not asking for variety) */
export function sampled(req: IRRequest): boolean {
  return req.temperature !== undefined && req.temperature > 0
}
