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
