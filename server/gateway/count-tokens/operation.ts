import type { Operation } from '../operations/operation'
import type { Door } from '../door'
import type { DialectName, IRRequest } from '../ir'
import type { ProviderRuntime } from '../routing/snapshot'
import type { UpstreamCall } from '../transport'
import type { AttemptResult } from '../attempt'
import { CODECS } from '../registry'
import { sendJson } from '../http/respond'
import { callJson } from '../operations/call'
import { GatewayError } from '../errors'
import { estimateTokens } from './estimate'
import { scrubberFor } from '../upstream/scrub-secrets'
import { isRecord, type Json } from '../json'

/** Fields Anthropic's count_tokens accepts (it refuses max_tokens, stream, temperature...). */
const ANTHROPIC_COUNT_FIELDS = ['model', 'messages', 'system', 'tools', 'tool_choice', 'thinking', 'mcp_servers']

/** The client's count body → the IR (Anthropic needs no max_tokens to count; its decoder does). */
function decodeCount(door: Door, body: Json, model: string): IRRequest {
  if (door.dialect === 'anthropic') return CODECS.anthropic.decodeRequest({ max_tokens: 1, ...body }, { model, stream: false })
  const gcr = body.generateContentRequest
  const inner = gcr && typeof gcr === 'object' ? gcr : { contents: body.contents ?? [] }
  return CODECS.gemini.decodeRequest(inner, { model, stream: false })
}

/** The counting call to a target, when its provider's transport has an endpoint for it. */
function countCall(p: ProviderRuntime, model: string, client: DialectName): UpstreamCall | undefined {
  const call: UpstreamCall = { dialect: p.transport.dialectFor(model, client), op: 'count_tokens', model, stream: false }
  return p.transport.path(call, p.options) === undefined ? undefined : call
}

function answer(door: Door, n: number): Record<string, unknown> {
  return door.dialect === 'anthropic' ? { input_tokens: n } : { totalTokens: n }
}

/**
 * Token counting: Anthropic `/v1/messages/count_tokens` and Gemini `:countTokens` in. Answered by the
 * upstream's own counting endpoint (Anthropic, Gemini; the request converted through the IR when the
 * client speaks the other dialect) or, for OpenAI upstreams that have none, by a local estimate.
 */
export const countTokensOperation: Operation = {
  name: 'count_tokens',
  refuse: () => undefined,
  // Answered locally when the provider's transport has no counting endpoint for the target (OpenAI).
  local: (t) => countCall(t.provider, t.model, 'openai-chat') === undefined,
  async run(rt, door, req, res, a): Promise<AttemptResult> {
    const p = a.target.provider
    const call = countCall(p, a.target.model, door.dialect)
    const up = call?.dialect
    const same = up === door.dialect
    let n: number
    let estimated = false
    let passthrough: string | undefined
    if (up === 'anthropic') {
      let body: Record<string, unknown>
      if (same) body = { ...a.body, model: a.target.model }
      else {
        const enc = CODECS.anthropic.encodeRequest({ ...decodeCount(door, a.body, a.model), model: a.target.model, extras: undefined })
        body = Object.fromEntries(ANTHROPIC_COUNT_FIELDS.filter((f) => enc.body[f] !== undefined).map((f) => [f, enc.body[f]]))
      }
      const r = await callJson({ provider: p, key: a.key, call: call!, body: JSON.stringify(body), signal: a.signal, req, same, scrubber: scrubberFor(rt.snapshot()) })
      n = Number(isRecord(r.json) ? r.json.input_tokens : undefined)
      if (same) passthrough = r.text
    } else if (up === 'gemini') {
      let body: Record<string, unknown>
      if (same) {
        body = a.body
        const gcr = a.body.generateContentRequest
        if (gcr && typeof gcr === 'object') body = { ...a.body, generateContentRequest: { ...gcr, model: `models/${a.target.model}` } }
      } else {
        const enc = CODECS.gemini.encodeRequest({ ...decodeCount(door, a.body, a.model), model: a.target.model, stream: false, extras: undefined })
        body = { generateContentRequest: { model: `models/${a.target.model}`, ...enc.body } }
      }
      const r = await callJson({ provider: p, key: a.key, call: call!, body: JSON.stringify(body), signal: a.signal, req, same, scrubber: scrubberFor(rt.snapshot()) })
      n = Number(isRecord(r.json) ? r.json.totalTokens : undefined)
      if (same) passthrough = r.text
    } else {
      n = await estimateTokens(decodeCount(door, a.body, a.model))
      estimated = true
    }
    if (!Number.isFinite(n)) throw new GatewayError('upstream_error', `upstream '${p.id}' sent no token count`, { provider: p.id })
    const out = passthrough ?? JSON.stringify(answer(door, n))
    sendJson(res, 200, out)
    return { status: 200, usage: null, bytesOut: Buffer.byteLength(out), ttfbMs: performance.now() - a.t0, estimated }
  },
}
