/**
 * The mock upstream: one loopback server playing every vendor the e2e tests reach. This file composes
 * them (routing by path, recording requests, scripted faults, forced key failures); each vendor's own
 * wire lives in its file: mock-openai.ts, mock-azure.ts, mock-anthropic.ts, mock-gemini.ts,
 * mock-vertex.ts, mock-bedrock.ts. Chat answers are written by each dialect's codec (mock-answers.ts).
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { DialectName, UpstreamDialect } from '../../../server/gateway/ir'
import { GatewayError } from '../../../server/gateway/errors'
import { answer, echoKey, huge, playFault, sendError, type Fault } from './mock-answers'
import { bedrockEndpoint, type MockBedrock } from './mock-bedrock'
import { ANTHROPIC_MODELS, anthropicEndpoint } from './mock-anthropic'
import { GEMINI_MODELS, geminiEndpoint, modelFromPath } from './mock-gemini'
import { OPENAI_MODELS, openaiEndpoint } from './mock-openai'
import { AZURE_FILTER_CHUNK, azureDeployment } from './mock-azure'
import { createMockGoogle, tokenEndpoint, vertexAuthorized, type MockGoogle } from './mock-vertex'

export { mockVector, type Fault } from './mock-answers'

export interface RecordedRequest {
  dialect: UpstreamDialect
  path: string
  headers: IncomingHttpHeaders
  body: any
}

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
  /** What `call` resolved to and the requests the mock received while it ran. */
  during<T>(call: () => Promise<T>): Promise<{ result: T; sent: RecordedRequest[] }>
  close(): Promise<void>
  /** Google's token endpoint and Vertex AI's bearer check (mock-vertex.ts). */
  google: MockGoogle
  /** AWS Bedrock Runtime (`/bedrock/model/{id}/converse[-stream]`): SigV4 verified against these credentials (mock-bedrock.ts). */
  bedrock: MockBedrock
}

/** What the providers' model list endpoints offer (the gateway lists only what routing would reach). */
export const MOCK_MODEL_LISTS = { openai: OPENAI_MODELS, anthropic: ANTHROPIC_MODELS, gemini: GEMINI_MODELS }

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

/** The model a chat request names and whether it streams: in the path (Gemini, Vertex, an Azure deployment) or the body. */
function requestedModel(dialect: DialectName, pathname: string, body: any): { model: string; stream: boolean } {
  if (dialect === 'gemini' || pathname.startsWith('/vertex/')) return modelFromPath(pathname)
  return { model: azureDeployment(pathname) ?? String(body?.model ?? ''), stream: body?.stream === true }
}

/**
 * Endpoints beside chat, by the vendor whose wire the request speaks: model lists (GET), embeddings
 * and token counting. A model named `*-e400*` or `*-e500*` gets that error. False for anything else.
 */
function extraEndpoint(d: DialectName, method: string, path: string, body: any, key: string, res: ServerResponse): boolean {
  const named = String(body?.model ?? decodeURIComponent(/models\/([^/:]+):/.exec(path)?.[1] ?? ''))
  const beside = /\/(embeddings|count_tokens)$/.test(path) || /:(batchEmbedContents|countTokens)$/.test(path)
  if (method === 'POST' && named.includes('e401echo') && beside) {
    echoKey(d, key, res)
    return true
  }
  if (d === 'anthropic') return anthropicEndpoint(d, method, path, body, key, res)
  if (d === 'gemini') return geminiEndpoint(d, method, path, body, key, res)
  return openaiEndpoint(d, method, path, body, key, res)
}

function upstreamKey(h: IncomingHttpHeaders): string {
  const v = h.authorization ?? h['x-api-key'] ?? h['api-key'] ?? h['x-goog-api-key'] ?? ''
  return String(v).replace(/^Bearer\s+/i, '')
}

/** The request body as JSON, null when it is not. */
function parseBody(raw: string): any {
  try {
    return JSON.parse(raw)
  } catch {
    return null
  }
}

/**
 * One loopback server playing all the vendors: `/openai/v1/…`, `/azure/…`, `/anthropic/v1/…`,
 * `/gemini/v1beta/…`, `/vertex/…` (+ `/oauth2/token`), `/bedrock/…`. It records what it received
 * and answers per the scenario in the model name.
 */
export async function startMockUpstream(): Promise<MockUpstream> {
  const requests: RecordedRequest[] = []
  const inFlight = new Map<string, number>()
  const maxInFlight = new Map<string, number>()
  let flaky = 0
  let closedEarly = 0
  const scripts = new Map<string, { faults: Fault[]; then?: Fault }>()
  const open = new Set<ServerResponse>()
  const hugeBytesSent: number[] = []
  const google = createMockGoogle()
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
      const raw = Buffer.concat(chunks).toString('utf8')
      if (url.pathname === '/oauth2/token') return tokenEndpoint(raw, `http://${req.headers.host}/oauth2/token`, google, res)
      if (url.pathname.startsWith('/bedrock/')) {
        // The path as sent (still percent-encoded): it is what was signed.
        const rawPath = (req.url ?? '/').split('?')[0]!
        requests.push({ dialect: 'bedrock-converse', path: rawPath, headers: req.headers, body: parseBody(raw) })
        void bedrockEndpoint(bedrock, req.method ?? 'POST', rawPath, req.headers, raw, res)
        return
      }
      const dialect = dialectOf(url.pathname)
      if (!dialect) {
        res.writeHead(404).end()
        return
      }
      const body = parseBody(raw)
      requests.push({ dialect, path: url.pathname + url.search, headers: req.headers, body })
      if (url.pathname.startsWith('/vertex/') && !vertexAuthorized(google, req.headers)) {
        return sendError(dialect, res, new GatewayError('authentication', 'mock vertex: no live access token', { status: 401 }))
      }
      if (extraEndpoint(dialect, req.method ?? 'GET', url.pathname, body, key, res)) return
      const { model, stream } = requestedModel(dialect, url.pathname, body)
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
    async during(call) {
      const before = requests.length
      const result = await call()
      return { result, sent: requests.slice(before) }
    },
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
