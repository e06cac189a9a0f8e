import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { verify, type KeyObject } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { DialectName, UpstreamDialect } from '../../../server/gateway/ir'
import { responseToEvents } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { GatewayError } from '../../../server/gateway/errors'
import { scenarioResponse } from './scenarios'
import { REPLAYS } from './replays'
import { bedrockEndpoint, type MockBedrock } from './mock-bedrock'

export interface RecordedRequest {
  dialect: UpstreamDialect
  path: string
  headers: IncomingHttpHeaders
  body: any
}

/**
 * A scripted answer for one upstream model (see `MockUpstream.script`): `e500`, `e429` (no
 * retry-after), `e429-ra<N>` (retry-after: N), `garbage` (a 200 stream of unparseable frames),
 * `truncated` (a 200 stream cut before its terminal event), `silent` (200 headers, then nothing),
 * `linger` (a complete stream whose connection stays open 1 s after its terminal event), `noisy` (a
 * complete stream with one unparseable frame after its first event), `ok`.
 */
export type Fault = 'e500' | 'e429' | `e429-ra${number}` | 'garbage' | 'truncated' | 'silent' | 'linger' | 'noisy' | 'ok'

export interface MockUpstream {
  url: string
  /**
   * The next answers for requests naming this upstream model, one per request, then `then` for every
   * later one (default `ok`: the `text` scenario).
   */
  script(model: string, faults: Fault[], then?: Fault): void
  requests: RecordedRequest[]
  /** The most requests each upstream key had in flight at once. */
  maxInFlight: Map<string, number>
  /** Requests whose connection closed before the mock finished answering (the gateway aborted). */
  closedEarly(): number
  /** Bytes of each `huge` answer the mock managed to write before the gateway dropped the connection. */
  hugeBytesSent: number[]
  last(dialect?: UpstreamDialect): RecordedRequest
  close(): Promise<void>
  /**
   * Google's token endpoint for Vertex AI (`POST /oauth2/token`): it accepts a jwt-bearer assertion
   * only when its RS256 signature verifies with `publicKey` and its claims are what Google checks,
   * then issues `mock-token-N` valid for `lifetimeS`. Vertex requests (`/vertex/…`) need a live one.
   */
  google: { publicKey?: KeyObject; lifetimeS: number; exchanges: Array<{ header: any; claims: any }>; refused: string[] }
  /** AWS Bedrock Runtime (`/bedrock/model/{id}/converse[-stream]`): SigV4 verified against these credentials (mock-bedrock.ts). */
  bedrock: MockBedrock
}

/**
 * The dialect an upstream request speaks, by its endpoint: `/openai/v1/chat/completions` (Chat),
 * `/openai/v1/responses` (Responses), `/anthropic/v1/...`, `/gemini/v1beta/...`.
 */
function dialectOf(pathname: string): DialectName | undefined {
  const [, vendor] = pathname.split('/')
  // Azure OpenAI (`/azure/openai/deployments/{d}/chat/completions`, `/azure/openai/v1/…`) speaks OpenAI's wire.
  if (vendor === 'openai' || vendor === 'azure') return pathname.endsWith('/responses') ? 'openai-responses' : 'openai-chat'
  if (vendor === 'anthropic' || vendor === 'gemini') return vendor
  // Vertex AI: `/vertex/v1/projects/{p}/locations/{l}/publishers/{anthropic|google}/models/{m}:{method}`.
  if (vendor === 'vertex') return pathname.includes('/publishers/anthropic/') ? 'anthropic' : pathname.includes('/publishers/google/') ? 'gemini' : undefined
  return undefined
}

/** Azure's prompt-filter verdict, alone in the first chunk of every stream it sends. */
const AZURE_FILTER_CHUNK = `data: ${JSON.stringify({ choices: [], created: 0, id: '', model: '', object: '', prompt_filter_results: [{ prompt_index: 0, content_filter_results: { hate: { filtered: false, severity: 'safe' } } }] })}\n\n`

/**
 * One loopback server playing all four dialects: `/openai/v1/chat/completions`, `/openai/v1/responses`,
 * `/anthropic/v1/...`, `/gemini/v1beta/...`. It records what it received and answers per the
 * scenario in the model name.
 */
export async function startMockUpstream(): Promise<MockUpstream> {
  const requests: RecordedRequest[] = []
  const inFlight = new Map<string, number>()
  const maxInFlight = new Map<string, number>()
  let flaky = 0
  let closedEarly = 0
  const scripts = new Map<string, { faults: Fault[]; then?: Fault }>()
  const open = new Set<import('node:http').ServerResponse>()
  const hugeBytesSent: number[] = []
  const google: MockUpstream['google'] = { lifetimeS: 3600, exchanges: [], refused: [] }
  const issued = new Map<string, number>()
  const bedrock: MockBedrock = { region: 'us-west-2', credentials: new Map(), verified: 0, refused: [] }
  const server: Server = createServer((req, res) => {
    const key = upstreamKey(req.headers)
    inFlight.set(key, (inFlight.get(key) ?? 0) + 1)
    maxInFlight.set(key, Math.max(maxInFlight.get(key) ?? 0, inFlight.get(key)!))
    res.once('close', () => {
      inFlight.set(key, inFlight.get(key)! - 1)
      if (!res.writableFinished) closedEarly++
    })
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x')
      if (url.pathname === '/oauth2/token') return tokenEndpoint(Buffer.concat(chunks).toString('utf8'), `http://${req.headers.host}/oauth2/token`, google, issued, res)
      if (url.pathname.startsWith('/bedrock/')) {
        const raw = Buffer.concat(chunks).toString('utf8')
        let parsed: unknown = null
        try {
          parsed = JSON.parse(raw)
        } catch {
          parsed = null
        }
        // The path as sent (still percent-encoded): it is what was signed.
        const rawPath = (req.url ?? '/').split('?')[0]!
        requests.push({ dialect: 'bedrock-converse', path: rawPath, headers: req.headers, body: parsed })
        void bedrockEndpoint(bedrock, req.method ?? 'POST', rawPath, req.headers, raw, res)
        return
      }
      const dialect = dialectOf(url.pathname)
      if (!dialect) {
        res.writeHead(404).end()
        return
      }
      let body: any
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
      } catch {
        body = null
      }
      requests.push({ dialect, path: url.pathname + url.search, headers: req.headers, body })
      if (url.pathname.startsWith('/vertex/')) {
        const bearer = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1]
        if (!bearer || !((issued.get(bearer) ?? 0) > Date.now())) {
          const { body: eb } = CODECS[dialect].encodeError(new GatewayError('authentication', 'mock vertex: no live access token', { status: 401 }))
          res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify(eb))
          return
        }
      }
      if (extraEndpoint(dialect, req.method ?? 'GET', url.pathname, body, key, res)) return
      let model: string
      let stream: boolean
      const deployment = /\/openai\/deployments\/([^/]+)\//.exec(url.pathname)
      if (dialect === 'gemini' || url.pathname.startsWith('/vertex/')) {
        // The model is one path segment, decoded once (an encoded %2F or %3A belongs to the name).
        const m = /models\/([^/:]+):(\w+)$/.exec(url.pathname)
        model = m ? decodeURIComponent(m[1]!) : ''
        stream = m?.[2] === 'streamGenerateContent' || m?.[2] === 'streamRawPredict'
      } else if (deployment) {
        model = decodeURIComponent(deployment[1]!)
        stream = body?.stream === true
      } else {
        model = String(body?.model ?? '')
        stream = body?.stream === true
      }
      const sc = scripts.get(model)
      const fault = sc ? (sc.faults.shift() ?? sc.then ?? 'ok') : undefined
      if (fault && fault !== 'ok') {
        playFault(dialect, fault, model, stream, res, open)
        return
      }
      let scenario = fault === 'ok' ? 'text' : model.slice(model.indexOf('-') + 1)
      // The upstream key can force a failure too: `-k401-` revoked, `-k429-` limited, `-kquota-`
      // spent, `-k500-` broken, `-kreset-` connection reset, `-kflaky-` every other request limited,
      // `-k429ra-` limited with retry-after: 2.
      const forced = /-k(401|429ra|429|quota|500|reset|flaky)-/.exec(key)?.[1]
      if (forced === 'reset') {
        req.socket.destroy()
        return
      }
      if (forced === 'flaky') {
        if (flaky++ % 2 === 0) scenario = 'e429n'
      } else if (forced === '429ra') {
        playFault(dialect, 'e429-ra2', model, stream, res, open)
        return
      } else if (forced) scenario = forced === 'quota' ? 'equota' : forced === '429' ? 'e429n' : `e${forced}`
      const delay = scenario.startsWith('hold') ? 300 : scenario === 'slowheaders' ? 1500 : 0
      // `path…` and `flash…` names carry hostile characters (../, ?, #, %2F) and are answered like `text`.
      if (scenario === 'slowheaders' || scenario.startsWith('hold') || scenario.startsWith('path') || scenario.startsWith('flash')) scenario = 'text'
      if (scenario === 'e401echo') return echoKey(dialect, key, res)
      if (scenario === 'huge' || scenario === 'hugecl') return huge(scenario === 'hugecl', res, hugeBytesSent)
      const prelude = url.pathname.startsWith('/azure/') ? AZURE_FILTER_CHUNK : ''
      if (delay) setTimeout(() => answer(dialect, scenario, model, stream, res, prelude), delay)
      else answer(dialect, scenario, model, stream, res, prelude)
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight,
    script(model, faults, then) {
      scripts.set(model, { faults: [...faults], then })
    },
    closedEarly: () => closedEarly,
    hugeBytesSent,
    google,
    bedrock,
    last(d) {
      const list = d ? requests.filter((r) => r.dialect === d) : requests
      const r = list.at(-1)
      if (!r) throw new Error(`the mock upstream received no ${d ?? ''} request`)
      return r
    },
    close: () => {
      for (const r of open) r.destroy()
      return new Promise((r) => server.close(() => r()))
    },
  }
}

/** `prelude`: frames a vendor sends before the answer's own (Azure's prompt-filter chunk). */
function answer(d: DialectName, scenario: string, model: string, stream: boolean, res: import('node:http').ServerResponse, prelude = ''): void {
  const codec = CODECS[d]
  const errorKind: Record<string, [GatewayError['kind'], number]> = {
    e429: ['rate_limit', 429],
    e429n: ['rate_limit', 429],
    equota: ['quota', 429],
    e400: ['invalid_request', 400],
    e500: ['upstream_error', 500],
    e401: ['authentication', 401],
  }
  if (errorKind[scenario]) {
    const [kind, status] = errorKind[scenario]!
    const { body } = codec.encodeError(new GatewayError(kind, `mock ${d} says ${scenario}`, { status }))
    res.writeHead(status, { 'content-type': 'application/json', ...(scenario === 'e429' ? { 'retry-after': '7' } : {}) })
    res.end(JSON.stringify(body))
    return
  }
  const replay = REPLAYS[`${d}:${scenario}`]
  if (replay) {
    if (stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' })
      res.end(prelude + replay.stream)
    } else {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(replay.json ?? '{}')
    }
    return
  }
  const ir = scenarioResponse(d, scenario.replace(/^midstream$/, 'text').replace(/^(?:slow|crawl)$/, 'long'), model)
  if (!ir) {
    const { body } = codec.encodeError(new GatewayError('not_found', `mock has no scenario '${scenario}'`))
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify(body))
    return
  }
  if (!stream) {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(codec.encodeResponse(ir, model)))
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  if (prelude) res.write(prelude)
  const enc = codec.createStreamEncoder({ model, sse: true, includeUsage: true })
  const events = responseToEvents(ir, scenario === 'slow' || scenario === 'crawl' ? 2 : 4)
  if (scenario === 'slow' || scenario === 'crawl') {
    // One frame every 50 ms (~1.5 s in all; `crawl`: every 500 ms, ~15 s): a stream still running
    // while a test acts on the server (a browser test on a loaded machine needs the longer one).
    const timer = setInterval(() => {
      const e = events.shift()
      if (e) res.write(enc.push(e))
      else {
        clearInterval(timer)
        res.end(enc.end())
      }
    }, scenario === 'crawl' ? 500 : 50)
    res.once('close', () => clearInterval(timer))
    return
  }
  if (scenario === 'midstream') {
    // A few frames, then the connection dies: the gateway must report it in-band.
    res.write(events.slice(0, 4).map((e) => enc.push(e)).join(''))
    setTimeout(() => res.destroy(), 20)
    return
  }
  res.end(events.map((e) => enc.push(e)).join('') + enc.end())
}

function playFault(d: DialectName, fault: Fault, model: string, stream: boolean, res: import('node:http').ServerResponse, open: Set<import('node:http').ServerResponse>): void {
  const codec = CODECS[d]
  const limited = /^e429(?:-ra(\d+))?$/.exec(fault)
  if (fault === 'e500' || limited) {
    const status = limited ? 429 : 500
    const { body } = codec.encodeError(new GatewayError(limited ? 'rate_limit' : 'upstream_error', `mock ${d} says ${fault}`, { status }))
    res.writeHead(status, { 'content-type': 'application/json', ...(limited?.[1] ? { 'retry-after': limited[1] } : {}) })
    res.end(JSON.stringify(body))
    return
  }
  if (!stream) {
    // Non-streamed faults: an unreadable body (garbage, truncated) or no body at all (silent).
    res.writeHead(200, { 'content-type': 'application/json' })
    if (fault === 'silent') {
      res.flushHeaders()
      open.add(res)
      res.once('close', () => open.delete(res))
    } else res.end(fault === 'linger' ? JSON.stringify(codec.encodeResponse(scenarioResponse(d, 'text', model)!, model)) : '{"choices": [')
    return
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' })
  if (fault === 'garbage') {
    res.end('data: {"oops\n\ndata: <html>502 Bad Gateway</html>\n\n')
    return
  }
  if (fault === 'silent') {
    res.flushHeaders()
    open.add(res)
    res.once('close', () => open.delete(res))
    return
  }
  const enc = codec.createStreamEncoder({ model, sse: true, includeUsage: true })
  const events = responseToEvents(scenarioResponse(d, 'text', model)!, 4)
  if (fault === 'noisy') {
    const frames = events.map((e) => enc.push(e))
    frames.splice(1, 0, 'data: {"half a frame\n\n')
    res.end(frames.join('') + enc.end())
    return
  }
  if (fault === 'truncated') {
    // Everything but the finish: the stream just ends.
    res.end(events.filter((e) => e.type !== 'finish').map((e) => enc.push(e)).join(''))
    return
  }
  // linger: the whole answer, then the connection stays open a while (the client may close first).
  res.write(events.map((e) => enc.push(e)).join('') + enc.end())
  open.add(res)
  const t = setTimeout(() => res.end(), 1000)
  res.once('close', () => {
    clearTimeout(t)
    open.delete(res)
  })
}

/** A 401 that quotes the key it was sent, the way some vendors and proxies do. */
function echoKey(d: DialectName, key: string, res: import('node:http').ServerResponse): void {
  const { body } = CODECS[d].encodeError(new GatewayError('authentication', `Incorrect API key provided: ${key}. Check the key ${key} and retry.`, { status: 401 }))
  res.writeHead(401, { 'content-type': 'application/json', 'x-echo': 'key in body' })
  res.end(JSON.stringify(body))
}

/**
 * A 600 MB JSON answer, generated lazily as the reader takes it (whitespace, with or without a
 * content-length): the gateway must refuse it without reading it whole.
 */
function huge(declared: boolean, res: import('node:http').ServerResponse, sent: number[]): void {
  const total = 600 * 1024 * 1024
  const chunk = Buffer.alloc(64 * 1024, 0x20)
  const slot = sent.push(0) - 1
  res.writeHead(200, { 'content-type': 'application/json', ...(declared ? { 'content-length': String(total) } : {}) })
  const pump = () => {
    while (sent[slot]! < total && !res.destroyed) {
      sent[slot]! += chunk.length
      if (!res.write(chunk)) return void res.once('drain', pump)
    }
    if (!res.destroyed) res.end()
  }
  pump()
}

/**
 * Google's OAuth token endpoint as Vertex AI clients meet it: a form-encoded jwt-bearer grant whose
 * assertion must verify with the test key's public key and carry iss, scope, aud (this very URL),
 * iat and exp at most one hour later. Refusals are Google's `invalid_grant` 400s.
 */
function tokenEndpoint(form: string, self: string, google: MockUpstream['google'], issued: Map<string, number>, res: import('node:http').ServerResponse): void {
  const refuse = (why: string) => {
    google.refused.push(why)
    res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'invalid_grant', error_description: why }))
  }
  const params = new URLSearchParams(form)
  if (params.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') return refuse('bad grant_type')
  const [h, c, sig] = (params.get('assertion') ?? '').split('.')
  if (!h || !c || !sig || !google.publicKey) return refuse('no assertion')
  if (!verify('sha256', Buffer.from(`${h}.${c}`), google.publicKey, Buffer.from(sig, 'base64url'))) return refuse('Invalid JWT Signature.')
  const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'))
  const claims = JSON.parse(Buffer.from(c, 'base64url').toString('utf8'))
  const now = Date.now() / 1000
  if (header.alg !== 'RS256') return refuse('alg must be RS256')
  if (claims.aud !== self) return refuse(`aud must be ${self}`)
  if (claims.scope !== 'https://www.googleapis.com/auth/cloud-platform') return refuse('scope')
  if (!(claims.exp - claims.iat <= 3600 && claims.iat <= now + 5 && claims.exp > now)) return refuse('Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.')
  google.exchanges.push({ header, claims })
  const token = `mock-token-${google.exchanges.length}`
  issued.set(token, Date.now() + google.lifetimeS * 1000)
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ access_token: token, expires_in: google.lifetimeS, token_type: 'Bearer' }))
}

function upstreamKey(h: IncomingHttpHeaders): string {
  const v = h.authorization ?? h['x-api-key'] ?? h['api-key'] ?? h['x-goog-api-key'] ?? ''
  return String(v).replace(/^Bearer\s+/i, '')
}

/** A deterministic vector for a text, so tests can compute what the gateway must return. */
export function mockVector(text: string, dims = 4): number[] {
  let h = 7
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 10_007
  return Array.from({ length: dims }, (_, k) => ((h + k * 101) % 1000) / 1000 - 0.5)
}

/** What the providers' model list endpoints offer (the gateway lists only what routing would reach). */
export const MOCK_MODEL_LISTS = {
  openai: ['oa-gpt-listed', 'an-misrouted', 'unrouted-model', 'oa-text-embedding'],
  anthropic: ['an-claude-listed'],
  gemini: ['gm-gemini-listed', 'gm-embedding-listed'],
}

/**
 * Endpoints beside chat: model lists (GET), embeddings (OpenAI `embeddings`, Gemini
 * `:batchEmbedContents`) and token counting (Anthropic `messages/count_tokens`, Gemini `:countTokens`).
 * A model named `*-e400*` or `*-e500*` gets that error. Returns false for anything else.
 */
function extraEndpoint(d: DialectName, method: string, path: string, body: any, key: string, res: import('node:http').ServerResponse): boolean {
  const json = (status: number, b: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(b))
    return true
  }
  const fail = (model: string) => {
    const m = /-e(400|500)/.exec(model) ?? (/-k500-/.test(key) ? ['', '500'] : null)
    if (!m) return false
    const kind = m[1] === '400' ? 'invalid_request' : 'upstream_error'
    const { body: eb } = CODECS[d].encodeError(new GatewayError(kind, `mock ${d} says e${m[1]}`, { status: Number(m[1]) }))
    return json(Number(m[1]), eb)
  }
  if (method === 'GET' && path.endsWith('/models')) {
    if (d === 'anthropic')
      return json(200, { data: MOCK_MODEL_LISTS.anthropic.map((id) => ({ type: 'model', id, display_name: `Claude ${id}`, created_at: '2025-05-14T00:00:00Z' })), has_more: false })
    if (d === 'gemini')
      return json(200, {
        models: MOCK_MODEL_LISTS.gemini.map((id) => ({
          name: `models/${id}`,
          displayName: `Gemini ${id}`,
          supportedGenerationMethods: id.includes('embedding') ? ['embedContent'] : ['generateContent', 'countTokens'],
        })),
      })
    return json(200, { object: 'list', data: MOCK_MODEL_LISTS.openai.map((id) => ({ id, object: 'model', created: 1_712_000_000, owned_by: 'mock' })) })
  }
  const named = String(body?.model ?? decodeURIComponent(/models\/([^/:]+):/.exec(path)?.[1] ?? ''))
  if (method === 'POST' && named.includes('e401echo') && (/\/(embeddings|count_tokens)$/.test(path) || /:(batchEmbedContents|countTokens)$/.test(path))) {
    echoKey(d, key, res)
    return true
  }
  if (path.endsWith('/embeddings')) {
    if (fail(String(body?.model))) return true
    const inputs: unknown[] = Array.isArray(body.input) && typeof body.input[0] !== 'number' ? body.input : [body.input]
    const data = inputs.map((x, index) => ({ object: 'embedding', index, embedding: mockVector(typeof x === 'string' ? x : JSON.stringify(x), body.dimensions) }))
    return json(200, { object: 'list', data, model: body.model, usage: { prompt_tokens: inputs.length * 3, total_tokens: inputs.length * 3 } })
  }
  const gm = /models\/([^/:]+):(batchEmbedContents|countTokens)$/.exec(path)
  if (gm && fail(decodeURIComponent(gm[1]!))) return true
  if (gm?.[2] === 'batchEmbedContents')
    return json(200, { embeddings: body.requests.map((r: any) => ({ values: mockVector(r.content.parts.map((p: any) => p.text).join('\n'), r.outputDimensionality) })) })
  if (gm?.[2] === 'countTokens') return json(200, { totalTokens: 23, promptTokensDetails: [{ modality: 'TEXT', tokenCount: 23 }] })
  if (path.endsWith('/messages/count_tokens')) return fail(String(body?.model)) || json(200, { input_tokens: 17 })
  return false
}
