import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { randomBytes } from 'node:crypto'
import { CLIENT_KEY, mockConfigYaml, startServer, type RunningServer } from './support/server'
import { startMockUpstream, type MockUpstream } from './support/mock-upstream'
import { chat } from './support/admin-api'
import type { DialectName } from '../../server/gateway/ir'

/**
 * Malformed bodies against every public endpoint: each gets a clear 4xx in the endpoint's dialect,
 * within a timeout, and the server stays healthy. Models route to an upstream of ANOTHER dialect so
 * the request is decoded (a same-dialect request passes through to its vendor, which judges it).
 */
let mock: MockUpstream
let server: RunningServer

beforeAll(async () => {
  mock = await startMockUpstream()
  server = await startServer({ config: mockConfigYaml(mock.url), env: { NUXT_MAX_BODY_MB: '1' } })
})
afterAll(async () => {
  await server?.stop()
  await mock?.close()
})

const ENDPOINTS: Array<{ path: string; dialect: DialectName; model?: string }> = [
  { path: '/v1/chat/completions', dialect: 'openai-chat', model: 'an-text' },
  { path: '/v1/responses', dialect: 'openai-responses', model: 'an-text' },
  { path: '/v1/messages', dialect: 'anthropic', model: 'oa-text' },
  { path: '/v1beta/models/oa-text:generateContent', dialect: 'gemini' },
  { path: '/v1beta/models/oa-text:streamGenerateContent?alt=sse', dialect: 'gemini' },
]

const deep = (n: number, leaf = '1') => '['.repeat(n) + leaf + ']'.repeat(n)
const deepObj = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)

/** Bodies per endpoint; `m` is a model field for the dialects that carry it in the body. */
function bodies(e: (typeof ENDPOINTS)[number]): Array<[string, string | Buffer]> {
  const m = e.model ? `"model":${JSON.stringify(e.model)},` : ''
  const list = e.dialect === 'gemini' ? 'contents' : e.dialect === 'openai-responses' ? 'input' : 'messages'
  return [
    ['empty', ''],
    ['bad JSON', `{${m}"${list}":[`],
    ['trailing garbage', `{${m}"${list}":[]} xyz`],
    ['array body', '[1,2,3]'],
    ['string body', '"hello"'],
    ['null body', 'null'],
    ['model of the wrong type', e.model ? `{"model":42,"${list}":[]}` : `{"contents":42}`],
    ['list of the wrong type', `{${m}"${list}":{"role":"user"}}`],
    ['parts of the wrong type', e.dialect === 'gemini' ? `{"contents":[{"role":"user","parts":"hi"}]}` : `{${m}"${list}":[{"role":42,"content":{"x":1}}]}`],
    ['invalid UTF-8', Buffer.concat([Buffer.from(`{${m}"${list}":[{"role":"user","content":"`), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}]}')])],
    ['huge field over the limit', `{${m}"${list}":[],"pad":"${'x'.repeat(1_200_000)}"}`],
    ['huge model name', e.model ? `{"model":"${'m'.repeat(500_000)}","${list}":[{"role":"user","content":"hi"}]}` : `{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"stopSequences":"${'s'.repeat(500_000)}"}}`],
    ['10k-deep nesting in the list', `{${m}"${list}":${deep(10_000)}}`],
    ['10k-deep nesting in a tool schema', toolSchemaBody(e, deepObj(10_000))],
    ['random bytes', randomBytes(4096)],
  ]
}

function toolSchemaBody(e: (typeof ENDPOINTS)[number], schema: string): string {
  const m = e.model ? `"model":${JSON.stringify(e.model)},` : ''
  if (e.dialect === 'gemini') return `{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"tools":[{"functionDeclarations":[{"name":"f","parameters":${schema}}]}]}`
  if (e.dialect === 'anthropic') return `{${m}"max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":${schema}}]}`
  if (e.dialect === 'openai-responses') return `{${m}"input":"hi","tools":[{"type":"function","name":"f","parameters":${schema}}]}`
  return `{${m}"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${schema}}}]}`
}

function expectDialectError(d: DialectName, status: number, body: any, what: string): void {
  if (d === 'anthropic') {
    expect(body?.type, what).toBe('error')
    expect(typeof body?.error?.type, what).toBe('string')
    expect(typeof body?.error?.message, what).toBe('string')
  } else if (d === 'gemini') {
    expect(body?.error?.code, what).toBe(status)
    expect(typeof body?.error?.status, what).toBe('string')
    expect(typeof body?.error?.message, what).toBe('string')
  } else {
    expect(typeof body?.error?.message, what).toBe('string')
    expect(typeof body?.error?.type, what).toBe('string')
  }
}

describe('malformed bodies against every public endpoint', () => {
  for (const e of ENDPOINTS) {
    it(`${e.path}: a clear 4xx in the ${e.dialect} dialect for each, no crash, no hang`, async () => {
      for (const [what, body] of bodies(e)) {
        const r = await fetch(`${server.url}${e.path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${CLIENT_KEY}`, 'x-goog-api-key': CLIENT_KEY, 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
          body: typeof body === 'string' ? body : new Uint8Array(body),
          signal: AbortSignal.timeout(10_000),
        })
        const text = await r.text()
        expect(r.status, `${what}: ${text.slice(0, 300)}`).toBeGreaterThanOrEqual(400)
        expect(r.status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500)
        expect(r.headers.get('x-request-id'), what).toMatch(/^req_/)
        expectDialectError(e.dialect, r.status, JSON.parse(text), what)
        expect(text.length, what).toBeLessThan(4000) // the error does not echo the huge input back
        expect(text).not.toMatch(/\bat .+:\d+:\d+|node_modules/)
      }
      expect((await fetch(`${server.url}/health`)).status).toBe(200)
    })
  }

  it('the server is still healthy and serving after the fuzz run', async () => {
    const r = await chat(server.url, CLIENT_KEY, 'an-text')
    expect(r.status).toBe(200)
    expect(server.output()).not.toMatch(/uncaught|FATAL|heap out of memory/i)
  })
})
