import OpenAI from 'openai'
import type { MockUpstream } from './mock-upstream'
import { useGateway } from './setup'
import { ADMIN_KEY, CLIENT_KEY, startServer, type RunningServer } from './server'

/**
 * The delivery tests' fixture: one server over the mock with pools that fail on purpose by upstream
 * key (`-k401-` revoked, `-k429-` limited, `-kquota-`, `-k500-`, `-kreset-`, `-kflaky-`) or by scenario
 * (`slowheaders`, `hold`, `gw.mock.script`), and the helpers that read its state back. Each file that
 * calls `useDeliveryServer()` gets a server of its own.
 */
// A short stream idle bound so a silent upstream is detected quickly; the default wait bound (10 s).
export const SERVER_ENV = { NUXT_STREAM_IDLE_TIMEOUT_MS: '600', NUXT_RETRY_WAIT_MAX_MS: '10000' }

export const deliveryConfig = (up: string) => `
providers:
  - { id: pool, type: openai, base_url: "${up}/openai/v1", key_strategy: fill-first, keys: [sk-a-k401-x, sk-b-k429ra-x, sk-c-good] }
  - { id: quota-pool, type: openai, base_url: "${up}/openai/v1", key_strategy: fill-first, keys: [sk-d-kquota-x, sk-e-good] }
  - id: capped
    type: openai
    base_url: "${up}/openai/v1"
    keys: [ { key: sk-cap-1, max_concurrency: 1 }, { key: sk-cap-2, max_concurrency: 1 } ]
  - { id: flaky, type: anthropic, base_url: "${up}/anthropic/v1", keys: [sk-f1-kflaky-x, sk-f2-good, sk-f3-good] }
  - { id: down, type: gemini, base_url: "http://127.0.0.1:9/v1beta", keys: [AIza-down] }
  - { id: broken, type: openai, base_url: "${up}/openai/v1", keys: [sk-x-k500-x] }
  - { id: broken-b, type: openai, base_url: "${up}/openai/v1", keys: [sk-xb-k500-x] }
  - { id: broken-c, type: openai, base_url: "${up}/openai/v1", keys: [sk-xc-k500-x] }
  - { id: resetter, type: openai, base_url: "${up}/openai/v1", keys: [sk-r-kreset-x] }
  - { id: slow, type: openai, base_url: "${up}/openai/v1", timeout_ms: 300, keys: [sk-slow] }
  - { id: textonly, type: openai, base_url: "${up}/openai/v1", keys: [sk-textonly], capabilities: [json] }
  - { id: spare, type: openai, base_url: "${up}/openai/v1", keys: [sk-spare] }
  # Single-key providers for the scripted faults (mock.script): each test has its own, so one test's
  # rests and circuits never reach another's.
  - { id: solo, type: openai, base_url: "${up}/openai/v1", keys: [sk-solo] }
  - { id: solo-guard, type: openai, base_url: "${up}/openai/v1", keys: [sk-solo-guard] }
  - { id: solo-an, type: anthropic, base_url: "${up}/anthropic/v1", keys: [sk-solo-an] }
  - { id: solo-rs, type: openai-responses, base_url: "${up}/openai/v1", keys: [sk-solo-rs] }
  - { id: solo-shaky, type: openai, base_url: "${up}/openai/v1", keys: [sk-solo-shaky] }
  - { id: solo-bare, type: openai, base_url: "${up}/openai/v1", keys: [sk-solo-bare] }
  - { id: emb-a, type: openai, base_url: "${up}/openai/v1", keys: [sk-emb-a] }
  - { id: emb-b, type: openai, base_url: "${up}/openai/v1", keys: [sk-emb-b] }
  - { id: backup, type: openai, base_url: "${up}/openai/v1", keys: [sk-backup] }
models:
  - name: guarded
    targets: [ { provider: solo-guard, model: sg-guarded } ]
    fallbacks: [ { provider: backup, model: oa-text } ]
  - name: shaky
    targets: [ { provider: solo-shaky, model: sq-shaky } ]
    fallbacks: [ { provider: backup, model: oa-text } ]
  - name: hushed
    targets: [ { provider: solo-shaky, model: sq-hushed } ]
    fallbacks: [ { provider: backup, model: oa-text } ]
  - name: emb-one
    targets: [ { provider: emb-a, model: oa-embed-same } ]
  - name: emb-two
    targets: [ { provider: emb-b, model: oa-embed-same } ]
  - name: resilient
    targets: [ { provider: down, model: gm-text } ]
    fallbacks: [ { provider: broken, model: oa-text }, { provider: resetter, model: oa-text }, { provider: spare, model: oa-text } ]
  - name: doomed
    targets: [ { provider: broken, model: oa-text } ]
    fallbacks: [ { provider: resetter, model: oa-text }, { provider: down, model: gm-text }, { provider: broken-b, model: oa-text }, { provider: broken-c, model: oa-text } ]
  - name: slowpoke
    targets: [ { provider: slow, model: oa-slowheaders } ]
    fallbacks: [ { provider: spare, model: oa-text } ]
  - name: picky
    targets: [ { provider: textonly, model: oa-text } ]
    fallbacks: [ { provider: spare, model: oa-text } ]
routes:
  - { name: pool, match: { prefix: "oa-" }, provider: pool }
  - { name: quota, match: { prefix: "qq-" }, provider: quota-pool }
  - { name: capped, match: { prefix: "cap-" }, provider: capped }
  - { name: flaky, match: { prefix: "an-" }, provider: flaky }
  - { name: solo, match: { prefix: "so-" }, provider: solo }
  - { name: solo-guard, match: { prefix: "sg-" }, provider: solo-guard }
  - { name: solo-an, match: { prefix: "sx-" }, provider: solo-an }
  - { name: solo-rs, match: { prefix: "sr-" }, provider: solo-rs }
  - { name: solo-bare, match: { prefix: "sb-" }, provider: solo-bare }
client_keys:
  - { name: test, key: ${CLIENT_KEY} }
`

export interface DeliveryServer {
  readonly mock: MockUpstream
  readonly server: RunningServer
  openai(): OpenAI
  ask(model: string, extra?: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming>): Promise<OpenAI.Chat.ChatCompletion>
  /** The upstream keys the mock saw since request number `from`. */
  keysSeen(from: number): string[]
  trpc(path: string, input?: unknown): Promise<any>
  keyState(provider: string): Promise<unknown[][]>
  seenFor(model: string): number
  /** The log is written in batches: polls until the row is there. */
  logged(requestId: string): Promise<any>
  circuitOf(model: string, provider: string): Promise<unknown>
  post(path: string, body: unknown, signal?: AbortSignal): Promise<Response>
  /** Stops the server (SIGTERM) and starts it again on the same data directory. */
  restart(): Promise<void>
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Starts the mock and the server before the file's tests and stops them after. */
export function useDeliveryServer(): DeliveryServer {
  const gw = useGateway('', { config: deliveryConfig, env: SERVER_ENV })

  async function trpc(path: string, input?: unknown) {
    const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`
    const r = await fetch(`${gw.server.url}/api/trpc/${path}${q}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
    const body = (await r.json()) as any
    if (!r.ok) throw new Error(JSON.stringify(body))
    return body.result.data
  }
  const openai = () => new OpenAI({ apiKey: CLIENT_KEY, baseURL: `${gw.server.url}/v1`, maxRetries: 0 })
  return {
    get mock() {
      return gw.mock
    },
    get server() {
      return gw.server
    },
    openai,
    ask: (model, extra = {}) => openai().chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }], ...extra }),
    keysSeen: (from) => gw.mock.requests.slice(from).map((r) => String(r.headers.authorization ?? r.headers['x-api-key']).replace('Bearer ', '')),
    trpc,
    keyState: async (provider) => ((await trpc('keys.list', { provider })) as any[]).map((k) => [k.hint, k.status, k.disabledReason, k.restingUntil !== null]),
    seenFor: (model) => gw.mock.requests.filter((r) => r.body?.model === model).length,
    async logged(requestId) {
      for (let i = 0; i < 60; i++) {
        try {
          return await trpc('logs.get', { requestId })
        } catch {
          await sleep(100)
        }
      }
      throw new Error(`${requestId} never reached the log`)
    },
    circuitOf: async (model, provider) => ((await trpc('routes.test', { model })).targets as any[]).find((t) => t.provider === provider).circuit,
    post: (path, body, signal) =>
      fetch(`${gw.server.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${CLIENT_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify(body), signal }),
    async restart() {
      await gw.server.stop('SIGTERM', { keepDir: true })
      gw.server = await startServer({ config: deliveryConfig(gw.mock.url), dir: gw.server.dir, env: SERVER_ENV })
    },
  }
}
