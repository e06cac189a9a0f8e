import { GatewayError, invalidRequest } from '../errors'
import { isRecord, type Json } from '../json'

/**
 * Embeddings between dialects: OpenAI `/v1/embeddings` and Gemini `:embedContent` /
 * `:batchEmbedContents`, through one small canonical request. Pure functions, no I/O.
 */
export interface EmbedRequest {
  /** Strings, or (OpenAI only) token arrays. */
  inputs: Array<string | number[]>
  dimensions?: number
  /** What the client wants back: OpenAI `encoding_format`. */
  encoding: 'float' | 'base64'
  /** Gemini `taskType` / `title`: passed through to Gemini upstreams. */
  taskType?: string
  title?: string
  user?: string
}

type Obj = Json
const isTokens = (v: unknown): v is number[] => Array.isArray(v) && v.length > 0 && v.every((n) => Number.isInteger(n))

function dims(v: unknown, param: string): number | undefined {
  if (v === undefined || v === null) return undefined
  if (!Number.isInteger(v) || (v as number) < 1) throw invalidRequest(`${param}: expected a positive integer`, param)
  return v as number
}

/** OpenAI request: `input` is a string, strings, a token array or token arrays. */
export function decodeOpenAIEmbed(body: Obj): EmbedRequest {
  const input = body.input
  let inputs: Array<string | number[]>
  if (typeof input === 'string') inputs = [input]
  else if (isTokens(input)) inputs = [input]
  else if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === 'string' || isTokens(x))) inputs = input as Array<string | number[]>
  else throw invalidRequest('input: expected a string, an array of strings, or an array of token arrays (non-empty)', 'input')
  if (inputs.some((x) => x === '')) throw invalidRequest('input: empty strings cannot be embedded', 'input')
  const encoding = body.encoding_format ?? 'float'
  if (encoding !== 'float' && encoding !== 'base64') throw invalidRequest(`encoding_format: expected 'float' or 'base64', got '${String(encoding)}'`, 'encoding_format')
  const out: EmbedRequest = { inputs, encoding, dimensions: dims(body.dimensions, 'dimensions') }
  if (typeof body.user === 'string') out.user = body.user
  return out
}

function contentText(c: unknown, at: string): string {
  if (!isRecord(c) || !Array.isArray(c.parts)) throw invalidRequest(`${at}.parts: required, an array of text parts`, `${at}.parts`)
  let text = ''
  c.parts.forEach((p: unknown, i: number) => {
    if (!isRecord(p) || typeof p.text !== 'string') throw new GatewayError('unsupported', `${at}.parts[${i}]: only text parts can be embedded here`, { param: `${at}.parts[${i}]` })
    text += (text ? '\n' : '') + p.text
  })
  if (!text) throw invalidRequest(`${at}: nothing to embed`, at)
  return text
}

/** Gemini request: one `embedContent` body, or `batchEmbedContents` `{requests: [...]}` (same settings for all). */
export function decodeGeminiEmbed(body: Obj, batch: boolean): EmbedRequest {
  const list: unknown = batch ? body.requests : [body]
  if (!Array.isArray(list) || list.length === 0) throw invalidRequest('requests: required, a non-empty array', 'requests')
  // Each one's content is checked below (a non-object has none); its settings read as absent.
  const reqs = (list as unknown[]).map((r): Obj => (isRecord(r) ? r : {}))
  const at = (i: number) => (batch ? `requests[${i}]` : '')
  const field = (i: number, f: string) => (batch ? `requests[${i}].${f}` : f)
  const first = reqs[0]!
  const out: EmbedRequest = {
    inputs: (list as unknown[]).map((r, i) => contentText(isRecord(r) ? r.content : undefined, at(i) ? `${at(i)}.content` : 'content')),
    encoding: 'float',
    dimensions: dims(first.outputDimensionality, field(0, 'outputDimensionality')),
  }
  if (typeof first.taskType === 'string') out.taskType = first.taskType
  if (typeof first.title === 'string') out.title = first.title
  reqs.forEach((r, i) => {
    // One upstream call carries one setting: a batch mixing them is split by the client, not guessed here.
    for (const [f, v] of [['outputDimensionality', out.dimensions], ['taskType', out.taskType]] as const)
      if ((r[f] ?? undefined) !== v) throw invalidRequest(`${field(i, f)}: every request in a batch must ask the same ${f}`, field(i, f))
  })
  return out
}

/** → an OpenAI(-compatible) upstream's embeddings body (always float: the cache keeps numbers); the URL is the transport's. */
export function encodeOpenAIUpstream(r: EmbedRequest, inputs: Array<string | number[]>, model: string): { body: Obj } {
  const body: Obj = { model, input: inputs, encoding_format: 'float' }
  if (r.dimensions !== undefined) body.dimensions = r.dimensions
  if (r.user) body.user = r.user
  return { body }
}

/** → a Gemini upstream: always `batchEmbedContents` (the transport's URL), one request per input. */
export function encodeGeminiUpstream(r: EmbedRequest, inputs: Array<string | number[]>, model: string, at: string): { body: Obj } {
  const requests = inputs.map((text) => {
    if (typeof text !== 'string') throw new GatewayError('unsupported', `${at}: token arrays cannot be sent to gemini; send text`, { param: at })
    const one: Obj = { model: `models/${model}`, content: { parts: [{ text }] } }
    if (r.taskType) one.taskType = r.taskType
    if (r.title) one.title = r.title
    if (r.dimensions !== undefined) one.outputDimensionality = r.dimensions
    return one
  })
  return { body: { requests } }
}

/** OpenAI response → vectors in input order (float arrays or base64 float32), and the prompt tokens. */
export function decodeOpenAIResult(json: unknown, n: number): { vectors: number[][]; inputTokens: number | null } {
  const data: unknown = isRecord(json) ? json.data : undefined
  if (!isRecord(json) || !Array.isArray(data) || data.length !== n) throw new GatewayError('upstream_error', `the upstream sent ${Array.isArray(data) ? data.length : 'no'} embeddings for ${n} inputs`)
  const items = data as unknown[]
  const vectors = new Array<number[]>(n)
  items.forEach((d, i) => {
    if (!isRecord(d)) throw new GatewayError('upstream_error', `the upstream sent embedding ${i} as ${JSON.stringify(d)}, not an object`)
    const e = d.embedding
    vectors[Number.isInteger(d.index) ? (d.index as number) : i] = typeof e === 'string' ? fromBase64(e) : (e as number[])
  })
  const t = isRecord(json.usage) ? json.usage.prompt_tokens : undefined
  return { vectors, inputTokens: typeof t === 'number' ? t : null }
}

export function decodeGeminiResult(json: unknown, n: number): { vectors: number[][]; inputTokens: number | null } {
  const list: unknown = isRecord(json) ? json.embeddings : undefined
  if (!Array.isArray(list) || list.length !== n) throw new GatewayError('upstream_error', `the upstream sent ${Array.isArray(list) ? list.length : 'no'} embeddings for ${n} inputs`)
  const usage = isRecord(json) ? json.usageMetadata : undefined
  const t = isRecord(usage) ? usage.promptTokenCount : undefined
  return { vectors: (list as unknown[]).map((e) => (isRecord(e) ? e.values : undefined) as number[]), inputTokens: typeof t === 'number' ? t : null }
}

export function encodeOpenAIResult(vectors: number[][], r: EmbedRequest, model: string, inputTokens: number): Obj {
  return {
    object: 'list',
    data: vectors.map((v, index) => ({ object: 'embedding', index, embedding: r.encoding === 'base64' ? toBase64(v) : v })),
    model,
    usage: { prompt_tokens: inputTokens, total_tokens: inputTokens },
  }
}

export function encodeGeminiResult(vectors: number[][], batch: boolean): Obj {
  return batch ? { embeddings: vectors.map((values) => ({ values })) } : { embedding: { values: vectors[0] } }
}

/** OpenAI's base64 format: little-endian float32. */
export function toBase64(v: number[]): string {
  return Buffer.from(new Float32Array(v).buffer).toString('base64')
}

export function fromBase64(s: string): number[] {
  const b = Buffer.from(s, 'base64')
  const copy = new Uint8Array(b)
  return Array.from(new Float32Array(copy.buffer, 0, copy.byteLength >> 2))
}
