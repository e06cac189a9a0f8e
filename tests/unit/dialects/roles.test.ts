import { describe, expect, it } from 'vitest'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import type { DialectCodec } from '../../../server/gateway/codec'
import type { IRResponse } from '../../../server/gateway/ir'
import { CODECS, TRANSPORTS } from '../../../server/gateway/registry'
import { CLIENT_ERROR } from '../matrix/builders/errors'
import { REQUEST_BUILDERS } from '../matrix/builders'
import { UPSTREAM_EXPECT } from '../matrix/upstream-expectations'
import { missingRoles, missingRoleTests, ROLE_EXPORTS } from './roles'
import * as compatChatCodec from './fixture-dialect/compat-chat'
import { DIALECT as COMPAT } from './fixture-dialect/compat-chat/wire'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const dialectDir = (name: string) => join(root, 'server/gateway/dialects', name)

/** Issue 20 item 2: every registered dialect plays every role, under the same names, and is in the matrix. */
describe.each(Object.keys(CODECS))('registered dialect %s', (name) => {
  it('has every role file with its exports', async () => {
    expect(await missingRoles(dialectDir(name))).toEqual([])
  })

  it('has every role test file', () => {
    expect(missingRoleTests(join(root, 'tests/unit/dialects', name))).toEqual([])
  })

  it('is registered under its own name and is in every matrix table', () => {
    expect(CODECS[name as keyof typeof CODECS].name).toBe(name)
    expect(TRANSPORTS[name as keyof typeof TRANSPORTS], 'registry.ts TRANSPORTS').toBeDefined()
    expect(REQUEST_BUILDERS[name as keyof typeof REQUEST_BUILDERS], 'tests/unit/matrix/builders/index.ts').toBeDefined()
    expect(UPSTREAM_EXPECT[name as keyof typeof UPSTREAM_EXPECT], 'tests/unit/matrix/upstream-expectations.ts').toBeDefined()
    expect(CLIENT_ERROR[name as keyof typeof CLIENT_ERROR], 'tests/unit/matrix/builders/errors.ts').toBeDefined()
  })
})

describe('the role check itself', () => {
  it('names what a folder lacks', async () => {
    // tests/unit/dialects/anthropic holds tests, not codec roles: every role is missing there.
    const missing = await missingRoles(join(root, 'tests/unit/dialects/anthropic'))
    expect(missing).toEqual(Object.keys(ROLE_EXPORTS))
  })
})

/**
 * "Done when": a trivial fifth dialect (OpenAI-compatible, under another name) needs its own folder
 * and a registry entry only. The fixture folder is tests/unit/dialects/fixture-dialect/compat-chat.
 */
describe('a fifth dialect built from its own folder and a registry entry (test fixture)', () => {
  const registry: Record<string, DialectCodec> = { ...CODECS, [COMPAT]: compatChatCodec }

  it('plays every role', async () => {
    expect(await missingRoles(join(root, 'tests/unit/dialects/fixture-dialect/compat-chat'))).toEqual([])
    expect(registry[COMPAT]!.name).toBe('compat-chat')
  })

  it('round trip: its client talks to an Anthropic upstream, answered and streamed back in its own wire format', () => {
    const client = registry[COMPAT]!
    const upstream = registry.anthropic!
    const ir = client.decodeRequest({ model: 'm', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 20 })
    const sent = upstream.encodeRequest({ ...ir, model: 'claude' })
    expect(sent.body).toMatchObject({ model: 'claude', max_tokens: 20, messages: [{ role: 'user', content: 'Hi' }] })

    const answer: IRResponse = {
      id: 'msg_1',
      model: 'claude',
      created: 1,
      parts: [{ type: 'text', text: 'Hello!' }],
      finish: { unified: 'stop' },
      usage: { inputTokens: 3, outputTokens: 2 },
    }
    const back = client.encodeResponse(upstream.decodeResponse(upstream.encodeResponse(answer, 'claude')), 'm') as any
    expect(back.choices[0].message.content).toBe('Hello!')
    expect(back.choices[0].finish_reason).toBe('stop')
    expect(back.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 2 })

    const enc = upstream.createStreamEncoder({ model: 'claude', sse: true })
    const wire = [{ type: 'start', id: 'msg_1', model: 'claude', created: 1 }, { type: 'text-start', index: 0 }, { type: 'text-delta', index: 0, text: 'Hel' }, { type: 'text-delta', index: 0, text: 'lo!' }, { type: 'text-end', index: 0 }, { type: 'finish', reason: { unified: 'stop' }, usage: answer.usage }]
      .map((e) => enc.push(e as any))
      .join('') + enc.end()
    const dec = upstream.createStreamDecoder()
    const out = client.createStreamEncoder({ model: 'm', sse: true, includeUsage: true })
    let text = ''
    for (const block of wire.split('\n\n').filter(Boolean)) {
      const event = /^event: (.*)$/m.exec(block)?.[1]
      const data = /^data: (.*)$/m.exec(block)![1]!
      for (const ev of dec.push({ data, ...(event ? { event } : {}) } as any)) text += out.push(ev)
    }
    for (const ev of dec.end()) text += out.push(ev)
    text += out.end()
    const chunks = text.split('\n\n').filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)))
    expect(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('')).toBe('Hello!')
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true)
    expect(dec.unparseable()).toBe(0)
  })
})
