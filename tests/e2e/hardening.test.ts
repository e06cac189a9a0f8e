import { readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { request as httpRequest } from 'node:http'
import { describe, expect, it } from 'vitest'
import { ADMIN_KEY, CLIENT_KEY, mockConfigYaml } from './support/server'
import { useGateway } from './support/setup'
import { parseJson } from './support/admin-api'

/**
 * Issue 21 against the built server: model names never steer an upstream URL (items 2), upstream
 * keys never echo (3), oversized upstream answers are refused with memory returning (5).
 * SIGTERM on kept-alive connections is in shutdown-keepalive.test.ts (it needs its own server).
 */
const FLASH_KEY = 'rk-flash-only-0123456789abcdef'
const ECHO_KEYS = { openai: 'sk-echo-TOPSECRET-openai-1111111111', gemini: 'AIzaEchoTopSecretGemini2222222222', anthropic: 'sk-ant-echo-TOPSECRET-3333333333' }


function config(upstream: string): string {
  return mockConfigYaml(upstream, `  - { name: flash, key: ${FLASH_KEY}, models: ["gm-flash*"] }\n`)
    .replace(
      'providers:\n',
      `providers:
  - { id: echo-openai, type: openai, base_url: "${upstream}/openai/v1", keys: [${ECHO_KEYS.openai}] }
  - { id: echo-gemini, type: gemini, base_url: "${upstream}/gemini/v1beta", keys: [${ECHO_KEYS.gemini}] }
  - { id: echo-anthropic, type: anthropic, base_url: "${upstream}/anthropic/v1", keys: [${ECHO_KEYS.anthropic}] }
`,
    )
    .replace(
      'routes:\n',
      `routes:
  - { name: echo-openai, match: { prefix: "oe-" }, provider: echo-openai, priority: 40 }
  - { name: echo-gemini, match: { prefix: "ge-" }, provider: echo-gemini, priority: 40 }
  - { name: echo-anthropic, match: { prefix: "ae-" }, provider: echo-anthropic, priority: 40 }
`,
    )
}

// The last test stops the server itself (keepDir) to read the DuckDB files; the file's afterAll then only cleans up.
const gw = useGateway('', { config: (url) => config(url) })

interface Answer {
  status: number
  text: string
  json: any
  id: string
}

async function post(path: string, body: unknown, key = CLIENT_KEY): Promise<Answer> {
  const r = await fetch(`${gw.server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'x-goog-api-key': key, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  })
  const text = await r.text()
  return { status: r.status, text, json: parseJson(text), id: r.headers.get('x-request-id') ?? '' }
}

async function admin(path: string, input?: unknown): Promise<any> {
  const q = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`
  const r = await fetch(`${gw.server.url}/api/trpc/${path}${q}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })
  const body = (await r.json()) as any
  if (!r.ok) throw new Error(JSON.stringify(body))
  return body.result.data
}

const msgs = [{ role: 'user', content: 'hi' }]
const gemBody = { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }
const gemUrl = (model: string, method: string) => `/v1beta/models/${encodeURIComponent(model)}:${method}`

/** Each public door, sending `model` the way its SDK would. `upstreamStream` = what the upstream is asked for. */
const DOORS: Array<{ name: string; send: (model: string, key?: string) => Promise<Answer>; stream: boolean }> = [
  { name: 'openai chat', send: (m, k) => post('/v1/chat/completions', { model: m, messages: msgs }, k), stream: false },
  { name: 'openai chat stream', send: (m, k) => post('/v1/chat/completions', { model: m, messages: msgs, stream: true }, k), stream: true },
  { name: 'responses', send: (m, k) => post('/v1/responses', { model: m, input: 'hi' }, k), stream: false },
  { name: 'anthropic', send: (m, k) => post('/v1/messages', { model: m, max_tokens: 20, messages: msgs }, k), stream: false },
  { name: 'gemini generateContent', send: (m, k) => post(gemUrl(m, 'generateContent'), gemBody, k), stream: false },
  { name: 'gemini streamGenerateContent', send: (m, k) => post(`${gemUrl(m, 'streamGenerateContent')}?alt=sse`, gemBody, k), stream: true },
]

/** Hostile names; the dialect prefix (gm-, oa-, an-, rs-) picks the upstream by route. */
const NAMES = ['path/../../../v1beta/models/gm-pro', 'path?x=1#frag', 'path%2Fpro', 'path with space', 'path:countTokens?']

/** What the mock received since `from`. */
const since = (from: number) => gw.mock.requests.slice(from)

describe('item 2: a model name reaches every upstream as exactly the name sent', () => {
  it.each(DOORS)('$name → every upstream dialect', async (door) => {
    for (const prefix of ['gm-', 'oa-', 'an-', 'rs-']) {
      for (const n of NAMES) {
        const model = prefix + n
        const from = gw.mock.requests.length
        const a = await door.send(model)
        expect(a.status, `${door.name} ${JSON.stringify(model)}: ${a.text}`).toBe(200)
        const got = since(from)
        expect(got).toHaveLength(1)
        const r = got[0]!
        if (prefix === 'gm-') {
          // One segment that decodes to the name: / ? # % : and spaces percent-encoded, %2F as %252F.
          const method = door.stream ? 'streamGenerateContent?alt=sse' : 'generateContent'
          expect(r.path).toBe(`/gemini/v1beta/models/${encodeURIComponent(model)}:${method}`)
        } else {
          expect(r.path).toBe(prefix === 'an-' ? '/anthropic/v1/messages' : prefix === 'rs-' ? '/openai/v1/responses' : '/openai/v1/chat/completions')
          expect(r.body.model).toBe(model)
        }
      }
    }
  })

  it('the exact paths of the issue', async () => {
    const from = gw.mock.requests.length
    await post('/v1/chat/completions', { model: 'gm-flash/../../../v1beta/models/gm-pro', messages: msgs })
    await post('/v1/chat/completions', { model: 'gm-flash:countTokens?', messages: msgs })
    await post('/v1/chat/completions', { model: 'gm-flash%2Fpro', messages: msgs })
    expect(since(from).map((r) => r.path)).toEqual([
      '/gemini/v1beta/models/gm-flash%2F..%2F..%2F..%2Fv1beta%2Fmodels%2Fgm-pro:generateContent',
      '/gemini/v1beta/models/gm-flash%3AcountTokens%3F:generateContent',
      '/gemini/v1beta/models/gm-flash%252Fpro:generateContent',
    ])
  })

  it('token counting and embeddings to Gemini encode the name too', async () => {
    const model = 'gm-path/../x?y#z %2F'
    const seg = encodeURIComponent(model)
    const cases: Array<[string, unknown, string]> = [
      ['/v1/messages/count_tokens', { model, messages: msgs }, `${seg}:countTokens`],
      [gemUrl(model, 'countTokens'), gemBody, `${seg}:countTokens`],
      ['/v1/embeddings', { model, input: 'embed me one' }, `${seg}:batchEmbedContents`],
      [gemUrl(model, 'embedContent'), { content: { parts: [{ text: 'embed me two' }] } }, `${seg}:batchEmbedContents`],
      [gemUrl(model, 'batchEmbedContents'), { requests: [{ model: `models/${model}`, content: { parts: [{ text: 'embed me three' }] } }] }, `${seg}:batchEmbedContents`],
    ]
    for (const [path, body, upstream] of cases) {
      const from = gw.mock.requests.length
      const a = await post(path, body)
      expect(a.status, `${path}: ${a.text}`).toBe(200)
      expect(since(from).map((r) => r.path)).toEqual([`/gemini/v1beta/models/${upstream}`])
    }
  })

  it('a name with a newline, a control character or 257 characters is a 400 in the door’s dialect, and reaches no upstream', async () => {
    const before = await admin('keys.list')
    const from = gw.mock.requests.length
    for (const model of ['gm-path\nx', 'oa-path\r\nHost: evil', 'an-a\u0000b', `gm-${'x'.repeat(254)}`]) {
      for (const door of DOORS) {
        const a = await door.send(model)
        expect(a.status, `${door.name} ${JSON.stringify(model)}`).toBe(400)
        if (door.name.startsWith('gemini')) expect(a.json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' })
        else if (door.name === 'anthropic') expect(a.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } })
        else expect(a.json.error).toMatchObject({ type: 'invalid_request_error', param: 'model' })
        expect(a.text).not.toContain('evil')
      }
    }
    expect(since(from)).toEqual([])
    // The client's mistake is held against no key and no provider.
    const after = await admin('keys.list')
    const failures = (list: any[]) => list.map((k) => [k.provider, JSON.stringify(k.failures), k.status, k.lastError])
    expect(failures(after)).toEqual(failures(before))
  })

  it('malformed percent-encoding in a Gemini URL is a 400, not a crash', async () => {
    const a = await post('/v1beta/models/gm-a%zz:generateContent', gemBody)
    expect(a.status).toBe(400)
    expect(a.json.error).toMatchObject({ code: 400, status: 'INVALID_ARGUMENT' })
  })

  it('a key allowed gem-flash* reaches no other model, however the name is dressed', async () => {
    const from = gw.mock.requests.length
    for (const model of ['gm-flash/../../../v1beta/models/gm-pro', 'gm-flash/../gm-pro', 'gm-flash:countTokens?', 'gm-flash%2F..%2Fgm-pro', 'gm-flash?x=../gm-pro#', 'gm-flash with space']) {
      for (const door of DOORS) {
        const a = await door.send(model, FLASH_KEY)
        expect(a.status, `${door.name} ${JSON.stringify(model)}: ${a.text}`).toBe(200)
      }
    }
    // Also as the attacker sent it: a literal ../ in the Gemini URL, which fetch would normalise.
    const raw = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: '127.0.0.1', port: gw.server.port, method: 'POST', path: '/v1beta/models/gm-flash/../gm-pro:generateContent', headers: { 'x-goog-api-key': FLASH_KEY, 'content-type': 'application/json' } },
        (res) => (res.resume(), resolve(res.statusCode!)),
      )
      req.on('error', reject)
      req.end(JSON.stringify(gemBody))
    })
    expect(raw).not.toBe(200)
    const got = since(from).filter((r) => r.dialect === 'gemini')
    expect(got.length).toBeGreaterThan(0)
    for (const r of got) {
      const seg = /^\/gemini\/v1beta\/models\/([^/]+):(?:generateContent|streamGenerateContent\?alt=sse)$/.exec(r.path)
      expect(seg, r.path).not.toBeNull()
      expect(decodeURIComponent(seg![1]!).startsWith('gm-flash')).toBe(true)
    }
  })

  it('the allow-list holds with the flash key itself', async () => {
    const from = gw.mock.requests.length
    const ok = await post('/v1/chat/completions', { model: 'gm-flash/../gm-pro', messages: msgs }, FLASH_KEY)
    expect(ok.status).toBe(200)
    expect(since(from).map((r) => r.path)).toEqual(['/gemini/v1beta/models/gm-flash%2F..%2Fgm-pro:generateContent'])
    for (const model of ['gm-pro', 'gm-pro/../gm-flash', 'oa-text']) {
      const no = await post('/v1/chat/completions', { model, messages: msgs }, FLASH_KEY)
      expect(no.status).toBe(403)
      const gno = await post(gemUrl(model, 'generateContent'), gemBody, FLASH_KEY)
      expect(gno.status).toBe(403)
      expect(gno.json.error.status).toBe('PERMISSION_DENIED')
    }
    expect(since(from)).toHaveLength(1)
  })
})

describe('item 3: an upstream error quoting its key shows it nowhere', () => {
  const secrets = Object.values(ECHO_KEYS)
  const ids: string[] = []

  it('the client gets the error, scrubbed, same-dialect passthrough and converted alike', async () => {
    const cases: Array<[string, unknown]> = [
      ['/v1/chat/completions', { model: 'oe-e401echo', messages: msgs }], // same dialect: the vendor's body, passed through
      ['/v1/messages', { model: 'ge-e401echo', max_tokens: 20, messages: msgs }], // converted
      ['/v1/messages/count_tokens', { model: 'ae-e401echo', messages: msgs }], // an operation, same dialect
    ]
    for (const [path, body] of cases) {
      const a = await post(path, body)
      expect(a.status, a.text).toBe(401)
      expect(a.text).toContain('[redacted]') // the mock did quote the key
      for (const k of secrets) expect(a.text).not.toContain(k)
      ids.push(a.id)
    }
  })

  it('nor the request log, the key state, the health report or the server output', async () => {
    // The log is written in batches: wait for every row with its bodies.
    const rows: any[] = []
    for (const id of ids) {
      for (let i = 0; ; i++) {
        const row = await admin('logs.get', { requestId: id }).catch(() => undefined)
        if (row?.bodies) {
          rows.push(row)
          break
        }
        if (i > 100) throw new Error(`${id} never reached the log`)
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    expect(rows.every((r) => /redacted/.test(r.errorMessage ?? ''))).toBe(true)
    const list = await admin('logs.list', { since: '1h', limit: 500 })
    const keys = await admin('keys.list')
    expect(keys.filter((k: any) => k.provider.startsWith('echo-')).every((k: any) => k.status === 'disabled' && /redacted/.test(k.disabledReason))).toBe(true)
    const health = await (await fetch(`${gw.server.url}/health/detailed`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).text()
    const seen = JSON.stringify([rows, list, keys]) + health + gw.server.output()
    for (const k of secrets) expect(seen).not.toContain(k)
  })
})

/** The server's resident memory in MB, as /health/detailed reports it. */
async function rssMb(): Promise<number> {
  const h = (await (await fetch(`${gw.server.url}/health/detailed`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as any
  return h.memory.rssMb
}

describe('item 5: a 600 MB upstream answer is refused, and memory comes back', () => {
  it('declared or not, it is a 502 in the client’s dialect, read no further than the limit', { timeout: 180_000 }, async () => {
    // Warm up (JIT, pools, log writer) before taking the baseline.
    for (let i = 0; i < 30; i++) await post('/v1/chat/completions', { model: 'oa-text', messages: msgs })
    const baseline = await rssMb()

    const sentBefore = gw.mock.hugeBytesSent.length
    const same = await post('/v1/chat/completions', { model: 'oa-huge', messages: msgs })
    expect(same.status).toBe(502)
    expect(same.json.error.message).toMatch(/larger than 64 MB \(NUXT_MAX_RESPONSE_MB\)/)
    const converted = await post('/v1/messages', { model: 'gm-huge', max_tokens: 20, messages: msgs })
    expect(converted.status).toBe(502)
    expect(converted.json).toMatchObject({ type: 'error', error: { message: expect.stringMatching(/larger than 64 MB/) } })
    const declared = await post(gemUrl('an-hugecl', 'generateContent'), gemBody)
    expect(declared.status).toBe(502)
    expect(declared.json.error.message).toMatch(/larger than 64 MB/)
    const sent = gw.mock.hugeBytesSent.slice(sentBefore)
    expect(sent.length).toBeGreaterThan(0)
    // The upstream connection was dropped early: nothing near 600 MB was ever written.
    for (const n of sent) expect(n).toBeLessThan(200 * 1024 * 1024)

    // Memory returns: the buffers are garbage now, and small requests keep the server allocating, so
    // V8 collects and gives the pages back. How soon depends on the machine; allow up to ~90 s.
    let now = await rssMb()
    for (let i = 0; i < 180 && now - baseline >= 50; i++) {
      for (let j = 0; j < 5; j++) await post('/v1/chat/completions', { model: 'oa-text', messages: msgs })
      await new Promise((r) => setTimeout(r, 500))
      now = await rssMb()
    }
    expect(now - baseline, `baseline ${baseline} MB, now ${now} MB`).toBeLessThan(50)
  })
})

describe('item 3, last part: the database file holds no key', () => {
  it('after a clean shutdown, no byte sequence of any echoed key is in the DuckDB files', async () => {
    expect(await gw.server.stop('SIGTERM', { keepDir: true })).toBe(0)
    try {
      for (const f of ['rosetta.duckdb', 'rosetta.duckdb.wal']) {
        const p = join(gw.server.dir, f)
        if (!existsSync(p)) continue
        const bytes = readFileSync(p)
        for (const k of Object.values(ECHO_KEYS)) expect(bytes.indexOf(Buffer.from(k)), `${k} in ${f}`).toBe(-1)
      }
      expect(gw.server.output()).not.toMatch(/TOPSECRET|EchoTopSecret/)
    } finally {
      gw.server.cleanup()
    }
  })
})
