/**
 * Every REAL recorded upstream body (tests/fixtures) through every client dialect: the upstream codec
 * decodes it, the client codec encodes it, the client codec decodes that again (as the client's SDK
 * would read it). Text, reasoning, tool calls, finish and usage must survive; every event stream must
 * keep the IR lifecycle (start first, blocks paired, finish once and last, or an error with no finish).
 */
import { describe, it, expect } from 'vitest'
import type { SSEMessage } from '../../../server/gateway/codec'
import type { DialectName, IRResponse, IRStreamEvent } from '../../../server/gateway/ir'
import { responseToEvents } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { fixtureFiles, fixtureJson, fixtureText } from '../../helpers/fixtures'
import { CLIENT_WIRES, args, decodeStream, fold, parseSSE, throughClient, type Folded } from './helpers'

const lines = (rel: string) => fixtureText(rel).split('\n').filter((l) => l.trim() !== '')
type StreamFixture = [rel: string, upstream: DialectName, msgs: () => SSEMessage[]]

const STREAMS: StreamFixture[] = [
  ...[...fixtureFiles('openai-chat-sse', '.sse'), ...fixtureFiles('openai-compatible-chat', '.sse')].map(
    (rel): StreamFixture => [rel, 'openai-chat', () => parseSSE(fixtureText(rel))],
  ),
  ...[...fixtureFiles('openai-chat-chunks', '.chunks.txt'), ...fixtureFiles('openai-compatible-chat', '.chunks.txt')].map(
    (rel): StreamFixture => [rel, 'openai-chat', () => lines(rel).map((data) => ({ data }))],
  ),
  ...fixtureFiles('anthropic-sse', '.sse').map((rel): StreamFixture => [rel, 'anthropic', () => parseSSE(fixtureText(rel))]),
  ...fixtureFiles('anthropic-chunks', '.chunks.txt').map(
    (rel): StreamFixture => [rel, 'anthropic', () => lines(rel).map((data) => ({ event: JSON.parse(data).type, data }))],
  ),
  ...fixtureFiles('gemini-chunks', '.chunks.txt').map((rel): StreamFixture => [rel, 'gemini', () => lines(rel).map((data) => ({ data }))]),
]

// Responses recordings: one JSON event per line (`event:` = its type); a file may hold several
// streams, each starting at response.created.
for (const rel of fixtureFiles('openai-responses', '.chunks.txt')) {
  const streams: SSEMessage[][] = []
  for (const data of lines(rel)) {
    // (a recording may hold lines that are not valid JSON: the decoder skips those)
    const type = /^\{"type":"([a-z_.]+)"/.exec(data)?.[1]
    if (type === 'response.created' || streams.length === 0) streams.push([])
    streams[streams.length - 1]!.push(type ? { event: type, data } : { data })
  }
  streams.forEach((msgs, n) => STREAMS.push([streams.length > 1 ? `${rel}#${n}` : rel, 'openai-responses', () => msgs]))
}

type BodyFixture = [rel: string, upstream: DialectName, body: () => unknown]
const BODIES: BodyFixture[] = [
  ...[...fixtureFiles('openai-chat-chunks', '.json'), ...fixtureFiles('openai-compatible-chat', '.json')].map(
    (rel): BodyFixture => [rel, 'openai-chat', () => fixtureJson(rel)],
  ),
  ...fixtureFiles('anthropic-chunks', '.json').map((rel): BodyFixture => [rel, 'anthropic', () => fixtureJson(rel)]),
  // the Responses error recording is an HTTP error body, not a response
  ...fixtureFiles('openai-responses', '.json')
    .filter((rel) => !rel.includes('error'))
    .map((rel): BodyFixture => [rel, 'openai-responses', () => fixtureJson(rel)]),
  ...fixtureFiles('gemini-chunks', '.json')
    .filter((rel) => !rel.includes('429'))
    .map((rel): BodyFixture => [rel, 'gemini', () => fixtureJson(rel)]),
]

// Gemini SDK replays: non-streamed 200 bodies are bodies, streamed ones are chunk lists.
for (const rel of fixtureFiles('gemini-replays', '.json')) {
  const rec = fixtureJson(rel)
  rec.interactions.forEach((i: any, n: number) => {
    const url: string = i.request.url
    if (i.response.statusCode !== 200 || url.endsWith(':countTokens')) return
    const segs: unknown[] = i.response.bodySegments
    if (url.includes(':streamGenerateContent')) STREAMS.push([`${rel}#${n}`, 'gemini', () => segs.map((s) => ({ data: JSON.stringify(s) }))])
    else BODIES.push([`${rel}#${n}`, 'gemini', () => segs[0]])
  })
}

const CORE = new Set(['stop', 'length', 'tool-calls', 'content-filter'])

/** What the client saw equals what the upstream said, as far as the client dialect can say it. */
function expectSame(seen: Folded, up: Folded, client: DialectName, label: string): void {
  expect(seen.text, label).toBe(up.text)
  expect(seen.reasoning, label).toBe(up.reasoning)
  expect(seen.tools.map((t) => [t.id, t.name]), label).toEqual(up.tools.map((t) => [t.id, t.name]))
  up.tools.forEach((t, i) => {
    const want = args(t.arguments)
    // a call cut short by max_tokens has no valid JSON; Gemini (whole calls only) then sends {}
    if (!(typeof want === 'object' && want && '$unparsable' in want)) expect(args(seen.tools[i]!.arguments), label).toEqual(want)
    else if (client !== 'gemini') expect(seen.tools[i]!.arguments, label).toBe(t.arguments)
  })
  if (up.error) {
    expect(seen.finish, label).toBeUndefined()
    expect(seen.error?.message, label).toBe(up.error.message)
    return
  }
  const u = up.finish!.reason.unified
  // same dialect: the upstream's raw value is echoed verbatim (an OpenAI refusal ends 'stop'; its text
  // comes back as content, so an OpenAI client reads 'stop', exactly what the upstream wrote)
  if (up.finish!.reason.rawDialect === client) expect(seen.finish!.reason.raw, label).toBe(up.finish!.reason.raw)
  else if (CORE.has(u)) expect(seen.finish!.reason.unified, label).toBe(u)
  else expect(['stop', 'other'], label).toContain(seen.finish!.reason.unified)
  const su = seen.finish!.usage
  const uu = up.finish!.usage
  expect([su.inputTokens, su.outputTokens, su.cacheReadTokens ?? 0, su.reasoningTokens ?? 0], label).toEqual([
    uu.inputTokens, uu.outputTokens, uu.cacheReadTokens ?? 0, uu.reasoningTokens ?? 0,
  ])
}

describe('recorded upstream streams through every client encoder and decoder', () => {
  it('has the fixtures', () => expect(STREAMS.length).toBeGreaterThanOrEqual(30))

  describe.each(CLIENT_WIRES.map((w) => [w.label, w] as const))('%s client', (_label, w) => {
    for (const [rel, upstream, msgs] of STREAMS) {
      it(`${rel} (${upstream} upstream)`, () => {
        const upEvents: IRStreamEvent[] = decodeStream(CODECS[upstream], msgs())
        const up = fold(upEvents)
        const seen = fold(throughClient(upEvents, w.dialect, w.sse))
        expectSame(seen, up, w.dialect, `${rel} → ${w.label}`)
      })
    }
  })
})

describe('recorded upstream bodies through every client encodeResponse and decodeResponse', () => {
  it('has the fixtures', () => expect(BODIES.length).toBeGreaterThanOrEqual(8))

  describe.each(['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as DialectName[])('%s client', (client) => {
    it.each(BODIES)('%s (%s upstream)', (rel, upstream, body) => {
      const up: IRResponse = CODECS[upstream].decodeResponse(body())
      const wire = JSON.parse(JSON.stringify(CODECS[client].encodeResponse(up, 'client-model')))
      const seen = CODECS[client].decodeResponse(wire)
      expectSame(fold(responseToEvents(seen)), fold(responseToEvents(up)), client, `${rel} → ${client}`)
      expect(seen.finish.raw, rel).toBeDefined()
    })
  })
})
