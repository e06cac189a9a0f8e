import type { IRRequest } from './request'
import { GatewayError } from '../errors'

/**
 * OpenAI `n` / Gemini `candidateCount` above 1 for an upstream that answers once per request
 * (Anthropic, Responses): refused with a 400 naming `n`. Sending it anyway would bill for one answer
 * while the client waits for several, or (were it repeated) bill for several behind the client's back.
 */
export function refuseSeveralCandidates(req: IRRequest, upstream: string): void {
  const n = req.candidateCount
  if (n === undefined || n <= 1) return
  throw new GatewayError(
    'invalid_request',
    `n: ${n} answers were asked for, but this model's upstream (${upstream}) returns one answer per request; send n=1 or leave it out`,
    { param: 'n' },
  )
}

/**
 * Upstreams that return several answers (Gemini candidates, Chat choices) do so in one body; their
 * streams interleave answers, which the stream IR (one answer) cannot carry. Streamed `n > 1` across
 * dialects is therefore refused rather than cut to one answer.
 */
export function refuseSeveralStreamed(req: IRRequest, upstream: string): void {
  const n = req.candidateCount
  if (!req.stream || n === undefined || n <= 1) return
  throw new GatewayError(
    'invalid_request',
    `n: ${n} streamed answers cannot be converted from this model's upstream (${upstream}); send stream: false to get all ${n}, or n=1`,
    { param: 'n' },
  )
}
