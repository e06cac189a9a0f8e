import type { Operation } from '../operations/operation'
import { AttemptFailure, type AttemptResult } from '../attempt'
import { GatewayError } from '../errors'
import { sendJson } from '../http/respond'
import { callJson } from '../operations/call'
import { scrubberFor } from '../upstream/scrub-secrets'
import {
  decodeGeminiEmbed,
  decodeGeminiResult,
  decodeOpenAIEmbed,
  decodeOpenAIResult,
  encodeGeminiResult,
  encodeGeminiUpstream,
  encodeOpenAIResult,
  encodeOpenAIUpstream,
  type EmbedRequest,
} from './wire'

/** What the embeddings operation needs of a cache (server/services/embedding-cache.ts is the real one). */
export interface EmbeddingStore {
  readonly enabled: boolean
  hash(k: { model: string; dims: number; taskType?: string }, input: string | number[]): string
  lookup(hashes: string[]): Promise<Map<string, number[]>>
  store(k: { model: string; dims: number; taskType?: string }, rows: Array<{ hash: string; vector: number[] }>): void
}

/**
 * Embeddings: OpenAI `/v1/embeddings` and Gemini `:embedContent` / `:batchEmbedContents` in, OpenAI
 * (and compatible) or Gemini out. Inputs the cache holds for this upstream model are not sent again;
 * only the misses go upstream, in one call. Anthropic has no embeddings API: such targets are refused.
 */
export const embeddingsOperation: Operation = {
  name: 'embeddings',
  refuse(t) {
    if (t.provider.dialect !== 'anthropic') return undefined
    return new GatewayError('unsupported', `embeddings cannot be sent to provider '${t.provider.id}' (anthropic): Anthropic has no embeddings API`, { param: 'model' })
  },
  local: () => false,
  async run(rt, door, req, res, a): Promise<AttemptResult> {
    const p = a.target.provider
    const batch = door.gemini?.batch === true
    const er: EmbedRequest = door.gemini ? decodeGeminiEmbed(a.body, batch) : decodeOpenAIEmbed(a.body)
    const cache = rt.embeddings?.enabled ? rt.embeddings : undefined
    const ck = { model: a.target.model, dims: er.dimensions ?? 0, taskType: er.taskType }
    const hashes = cache ? er.inputs.map((x) => cache.hash(ck, x)) : []
    const found = cache ? await cache.lookup(hashes) : new Map<string, number[]>()
    const vectors: Array<number[] | undefined> = cache ? hashes.map((h) => found.get(h)) : new Array(er.inputs.length)
    const missing: number[] = []
    vectors.forEach((v, i) => v === undefined && missing.push(i))

    let inputTokens = 0
    if (missing.length) {
      const inputs = missing.map((i) => er.inputs[i]!)
      const gemini = p.dialect === 'gemini'
      const enc = gemini ? encodeGeminiUpstream(er, inputs, a.target.model, door.gemini ? 'content' : 'input') : encodeOpenAIUpstream(er, inputs, a.target.model)
      const same = door.gemini ? gemini : !gemini
      const { json } = await callJson({ provider: p, key: a.key, path: enc.path, body: JSON.stringify(enc.body), signal: a.signal, req, same, scrubber: scrubberFor(rt.snapshot()) })
      let got
      try {
        got = gemini ? decodeGeminiResult(json, inputs.length) : decodeOpenAIResult(json, inputs.length)
      } catch (e) {
        throw new AttemptFailure(e as GatewayError)
      }
      inputTokens = got.inputTokens ?? 0
      missing.forEach((i, k) => (vectors[i] = got.vectors[k]))
      cache?.store(ck, missing.map((i, k) => ({ hash: hashes[i]!, vector: got.vectors[k]! })))
    }
    const ttfbMs = performance.now() - a.t0
    const full = vectors as number[][]
    const out = JSON.stringify(door.gemini ? encodeGeminiResult(full, batch) : encodeOpenAIResult(full, er, a.model, inputTokens))
    sendJson(res, 200, out)
    return { status: 200, usage: { inputTokens, outputTokens: 0 }, bytesOut: Buffer.byteLength(out), ttfbMs }
  },
}
