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
  hash(k: EmbedCacheKey, input: string | number[]): string
  lookup(hashes: string[]): Promise<Map<string, number[]>>
  store(k: EmbedCacheKey, rows: Array<{ hash: string; vector: number[] }>): void
}

/** Two providers may serve different models under one name: the provider is part of the key. */
export interface EmbedCacheKey {
  provider: string
  model: string
  dims: number
  taskType?: string
}

/** What `prepare` found for one target: the decoded request, its cache key and hashes, the vectors the cache held. */
interface EmbedPlan {
  er: EmbedRequest
  ck: EmbedCacheKey
  hashes: string[]
  vectors: Array<number[] | undefined>
  missing: number[]
}

async function plan(rt: Parameters<NonNullable<Operation['prepare']>>[0], door: Parameters<Operation['run']>[1], body: Record<string, unknown>, target: { provider: { id: string }; model: string }): Promise<EmbedPlan> {
  const er: EmbedRequest = door.gemini ? decodeGeminiEmbed(body, door.gemini.batch === true) : decodeOpenAIEmbed(body)
  const cache = rt.embeddings?.enabled ? rt.embeddings : undefined
  const ck: EmbedCacheKey = { provider: target.provider.id, model: target.model, dims: er.dimensions ?? 0, taskType: er.taskType }
  const hashes = cache ? er.inputs.map((x) => cache.hash(ck, x)) : []
  const found = cache ? await cache.lookup(hashes) : undefined
  const vectors: Array<number[] | undefined> = found ? hashes.map((h) => found.get(h)) : new Array<number[] | undefined>(er.inputs.length)
  const missing: number[] = []
  for (let i = 0; i < vectors.length; i++) if (vectors[i] === undefined) missing.push(i)
  return { er, ck, hashes, vectors, missing }
}

function respond(door: Parameters<Operation['run']>[1], res: Parameters<Operation['run']>[3], pl: EmbedPlan, model: string, inputTokens: number, t0: number): AttemptResult {
  const full = pl.vectors as number[][]
  const out = JSON.stringify(door.gemini ? encodeGeminiResult(full, door.gemini.batch === true) : encodeOpenAIResult(full, pl.er, model, inputTokens))
  const ttfbMs = performance.now() - t0
  sendJson(res, 200, out)
  return { status: 200, usage: { inputTokens, outputTokens: 0 }, bytesOut: Buffer.byteLength(out), ttfbMs }
}

/**
 * Embeddings: OpenAI `/v1/embeddings` and Gemini `:embedContent` / `:batchEmbedContents` in, OpenAI
 * (and compatible) or Gemini out. The cache is read before a key is taken: when it holds every input
 * for this provider and upstream model, the answer needs no key and no upstream call. Otherwise only
 * the misses go upstream, in one call. Anthropic has no embeddings API: such targets are refused.
 */
export const embeddingsOperation: Operation = {
  name: 'embeddings',
  refuse(t) {
    const p = t.provider
    const dialect = p.transport.dialectFor(t.model, 'openai-chat')
    if (p.transport.path({ dialect, op: 'embeddings', model: t.model, stream: false }, p.options) !== undefined) return undefined
    const why = dialect === 'anthropic' ? 'Anthropic has no embeddings API' : 'it has no embeddings endpoint Rosetta speaks'
    return new GatewayError('unsupported', `embeddings cannot be sent to provider '${p.id}' (${dialect}): ${why}`, { param: 'model' })
  },
  local: () => false,
  async prepare(rt, door, res, a) {
    const pl = await plan(rt, door, a.body, a.target)
    if (pl.missing.length === 0 && pl.vectors.length > 0) return { answered: respond(door, res, pl, a.model, 0, a.t0) }
    return { state: pl }
  },
  async run(rt, door, req, res, a): Promise<AttemptResult> {
    const p = a.target.provider
    const pl = (a.prepared as EmbedPlan | undefined) ?? (await plan(rt, door, a.body, a.target))
    let inputTokens = 0
    if (pl.missing.length) {
      const inputs = pl.missing.map((i) => pl.er.inputs[i]!)
      const dialect = p.transport.dialectFor(a.target.model, door.dialect)
      const gemini = dialect === 'gemini'
      const enc = gemini ? encodeGeminiUpstream(pl.er, inputs, a.target.model, door.gemini ? 'content' : 'input') : encodeOpenAIUpstream(pl.er, inputs, a.target.model)
      const same = door.gemini ? gemini : !gemini
      const call = { dialect, op: 'embeddings', model: a.target.model, stream: false } as const
      const { json } = await callJson({ provider: p, key: a.key, call, body: JSON.stringify(enc.body), signal: a.signal, req, same, scrubber: scrubberFor(rt.snapshot()) })
      let got
      try {
        got = gemini ? decodeGeminiResult(json, inputs.length) : decodeOpenAIResult(json, inputs.length)
      } catch (e) {
        throw new AttemptFailure(e as GatewayError)
      }
      inputTokens = got.inputTokens ?? 0
      pl.missing.forEach((i, k) => (pl.vectors[i] = got.vectors[k]))
      const cache = rt.embeddings?.enabled ? rt.embeddings : undefined
      cache?.store(pl.ck, pl.missing.map((i, k) => ({ hash: pl.hashes[i]!, vector: got.vectors[k]! })))
      // A retry of this plan (another key) must not resend what this call already fetched.
      pl.missing = []
    }
    return respond(door, res, pl, a.model, inputTokens, a.t0)
  },
}
