// The synthetic request-log entries both log benchmarks write (bench/log-bench.mjs, log-bench-postgres.mjs).
export const NOW = new Date()
export const SPAN = 30 * 86_400_000
const MODELS = ['gpt-4.1', 'gpt-4.1-mini', 'gpt-4o', 'o4-mini', 'claude-sonnet-4-5', 'claude-haiku-4-5', 'claude-opus-4-5', 'gemini-2.5-pro', 'gemini-2.5-flash', 'deepseek-chat']
const PROVIDERS = ['openai', 'anthropic', 'gemini', 'deepseek']
const DIALECTS = ['openai-chat', 'anthropic', 'gemini', 'openai-responses']
const CLIENTS = ['ci', 'web', 'claude-code', 'batch', 'alice']
const WORDS = 'the a of to and in is it you that he was for on are with as I his they be at one have this from or had by hot word but what some we can out other were all there when up use your how said an each she which do their time if will way about many then them write would like so these her long make thing see him two has look more day could go come did number sound no most people my over know water than call first who may down side been now find'.split(' ')

// mulberry32: a small PRNG whose consecutive draws are independent enough for synthetic data (a plain
// LCG made latency depend on the model drawn just before, leaving only a few distinct values per model).
let seed = 42
export const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
}
const pick = (a) => a[Math.floor(rnd() * a.length)]
export const text = (n) => Array.from({ length: n }, () => pick(WORDS)).join(' ')

export function entry(i, n) {
  const m = Math.floor(rnd() * MODELS.length)
  const p = Math.min(3, Math.floor(m / 3))
  const r = rnd()
  const status = r < 0.03 ? 429 : r < 0.04 ? 500 : r < 0.045 ? 400 : 200
  const inBand = status === 200 && r > 0.995
  const latency = 200 + Math.exp(rnd() * 9)
  const ok = status === 200
  const usage = ok ? { inputTokens: 100 + Math.floor(rnd() * 5000), outputTokens: 10 + Math.floor(rnd() * 1500), cacheReadTokens: Math.floor(rnd() * 500) } : null
  const id = `req_${i.toString(16).padStart(12, '0')}${Math.floor(rnd() * 1e9).toString(16)}`
  return {
    ts: new Date(NOW.getTime() - SPAN + Math.floor((i / n) * SPAN)),
    requestId: id,
    clientKey: pick(CLIENTS),
    dialect: pick(DIALECTS),
    upstreamDialect: DIALECTS[p],
    model: MODELS[m],
    providerId: PROVIDERS[p],
    upstreamModel: MODELS[m],
    route: null,
    keyId: 1 + p * 2 + Math.floor(rnd() * 2),
    stream: rnd() < 0.6,
    status,
    errorKind: status === 429 ? 'rate_limit' : status === 500 ? 'upstream_error' : status === 400 ? 'invalid_request' : inBand ? 'connection' : null,
    errorMessage: status === 429 ? 'Rate limit reached for requests, retry in 7 s' : status === 500 ? 'upstream returned 500: internal server error' : status === 400 ? `messages.${Math.floor(rnd() * 9)}: invalid content` : inBand ? 'upstream broke off the stream' : null,
    errorId: ok && !inBand ? null : id,
    latencyMs: latency,
    ttfbMs: ok ? latency * 0.3 : null,
    upstreamLatencyMs: latency * 0.25,
    usage,
    costUsd: usage ? (usage.inputTokens * 3 + usage.outputTokens * 15) / 1e6 : null,
    bytesIn: 500 + Math.floor(rnd() * 20_000),
    bytesOut: ok ? 300 + Math.floor(rnd() * 8000) : 200,
    clientIp: `10.0.${Math.floor(rnd() * 4)}.${Math.floor(rnd() * 250)}`,
    userAgent: pick(['OpenAI/JS 6.30.1', 'Anthropic/JS 1.14.0', 'claude-cli/2.0.1 (external, cli)', 'google-genai-sdk/2.32.0']),
    sessionId: rnd() < 0.3 ? `sess-${Math.floor(rnd() * 2000)}` : null,
    attempts: [{ provider: PROVIDERS[p], model: MODELS[m], keyId: 1 + p * 2, status, errorKind: null, latencyMs: latency * 0.9 }],
  }
}

