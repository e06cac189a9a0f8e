import { expect } from 'vitest'
/** Shared plumbing for the dialect matrix: pairs, wire parsing, stream pipelines, event folding. */
import type { DialectCodec, SSEMessage } from '../../../server/gateway/codec'
import type { DialectName, IRStreamEvent, IRUsage, Signature } from '../../../server/gateway/ir'
import { DIALECTS } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { decodeStream, encodeStream as encodeWith, parseSSE } from '../../helpers/stream'

export { decodeStream, fold, parseSSE, type Folded, type ToolCallSeen } from '../../helpers/stream'

export type Pair = [client: DialectName, upstream: DialectName]

/** All 16 (client, upstream) pairs. */
export const PAIRS: Pair[] = DIALECTS.flatMap((c) => DIALECTS.map((u): Pair => [c, u]))

/** Client wire variants: Gemini clients may stream SSE (`?alt=sse`) or a JSON array. */
export type ClientWire = { dialect: DialectName; sse: boolean; label: string }
export const CLIENT_WIRES: ClientWire[] = [
  { dialect: 'openai-chat', sse: true, label: 'openai-chat' },
  { dialect: 'openai-responses', sse: true, label: 'openai-responses' },
  { dialect: 'anthropic', sse: true, label: 'anthropic' },
  { dialect: 'gemini', sse: true, label: 'gemini(sse)' },
  { dialect: 'gemini', sse: false, label: 'gemini(array)' },
]

/** Wire text of a stream → messages: SSE, or Gemini's streamed JSON array. */
export function wireMessages(text: string, sse = true): SSEMessage[] {
  if (sse) return parseSSE(text)
  const arr = JSON.parse(text) as unknown[]
  if (!Array.isArray(arr)) throw new Error('Gemini array stream is not a JSON array')
  return arr.map((c) => ({ data: JSON.stringify(c) }))
}

export function encodeStream(codec: DialectCodec, events: IRStreamEvent[], opts: { sse?: boolean; includeUsage?: boolean } = {}): string {
  return encodeWith(codec, events, { model: 'client-model', sse: opts.sse, includeUsage: opts.includeUsage ?? true })
}

/** Upstream IR events → client encoder → client wire → client decoder (what a client SDK would see). */
export function throughClient(events: IRStreamEvent[], client: DialectName, sse = true): IRStreamEvent[] {
  const wire = encodeStream(CODECS[client], events, { sse })
  return decodeStream(CODECS[client], wireMessages(wire, sse))
}

/**
 * The signature an upstream's decoder yields for a signature it was given: the same, except that a
 * Responses upstream's reasoning item id travels inside its own value (`rsid1.<rs_id>.<encrypted>`,
 * see dialects/openai-responses/reasoning.ts), so the next turn can send the item id back.
 */
export function expectUpstreamSignature(got: Signature | undefined, sent: Signature): void {
  if (sent.origin !== 'openai-responses') return void expect(got).toEqual(sent)
  expect(got?.origin).toBe('openai-responses')
  expect(got?.value).toMatch(new RegExp(`^rsid1\\.rs_[a-z0-9]+\\.${sent.value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`))
}

/** Arguments JSON → value, or the raw text when it does not parse (truncated calls). */
export function args(s: string): unknown {
  try {
    return JSON.parse(s === '' ? '{}' : s)
  } catch {
    return { $unparsable: s }
  }
}

/** Tool calls as compared across dialects: name + parsed arguments. */
export function callShapes(tools: Array<{ name: string; arguments: string }>): Array<{ name: string; args: unknown }> {
  return tools.map((t) => ({ name: t.name, args: args(t.arguments) }))
}

/** Usage as every dialect can carry it; cache writes only exist on the Anthropic wire. */
export function expectUsage(got: IRUsage, want: IRUsage, keepsCacheWrite: boolean): void {
  expect(got.inputTokens).toBe(want.inputTokens)
  expect(got.outputTokens).toBe(want.outputTokens)
  expect(got.cacheReadTokens ?? 0).toBe(want.cacheReadTokens ?? 0)
  expect(got.reasoningTokens ?? 0).toBe(want.reasoningTokens ?? 0)
  expect(got.cacheWriteTokens ?? 0).toBe(keepsCacheWrite ? (want.cacheWriteTokens ?? 0) : 0)
}

