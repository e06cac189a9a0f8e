import { describe, it, expect } from 'vitest'
import { z } from 'zod'
import { CODECS } from '../../../server/gateway/registry'
import { fixtureChunks, fixtureJson } from '../../helpers/fixtures'
import { anthropicEvents, codes, encodeFor, type J } from './conversion-gaps-support'
import { decodeStream, encodeStream, parseSSE } from './helpers'
import { irRequest } from '../../helpers/ir-blocks'

/** The conversion gaps of issue 14 (item 7) in streamed answers and the turn after them, on the wire the client sees. */

const chat = CODECS['openai-chat']
const responses = CODECS['openai-responses']
const anthropic = CODECS.anthropic
const gemini = CODECS.gemini

describe('an Anthropic tool call without arguments (one empty input_json_delta, as recorded)', () => {
  const up = decodeStream(anthropic, anthropicEvents(fixtureChunks('anthropic-chunks/vercel-anthropic-tool-no-args.chunks.txt')))

  it('reaches an OpenAI Chat client with arguments "{}"', () => {
    const chunks = parseSSE(encodeStream(chat, up)).filter((m) => m.data !== '[DONE]').map((m) => JSON.parse(m.data))
    let args = ''
    for (const c of chunks) for (const tc of c.choices[0]?.delta?.tool_calls ?? []) args += tc.function?.arguments ?? ''
    expect(args).toBe('{}')
    expect(JSON.parse(args)).toEqual({})
  })

  it('reaches a Responses client with its argument delta and done events', () => {
    const events = parseSSE(encodeStream(responses, up)).map((m) => JSON.parse(m.data))
    const deltas = events.filter((e) => e.type === 'response.function_call_arguments.delta')
    expect(deltas.map((e) => e.delta)).toEqual(['{}'])
    expect(events.find((e) => e.type === 'response.function_call_arguments.done')?.arguments).toBe('{}')
    const done = events.find((e) => e.type === 'response.output_item.done' && e.item.type === 'function_call')
    expect(done.item.arguments).toBe('{}')
  })

  it('goes back to a Chat or Responses upstream as "{}" when the history holds it empty', () => {
    const ir = irRequest('m', [
      { role: 'user', parts: [{ type: 'text', text: 'update' }] },
      { role: 'assistant', parts: [{ type: 'tool-call', id: 'toolu_1', name: 'updateIssueList', arguments: '' }] },
      { role: 'user', parts: [{ type: 'tool-result', callId: 'toolu_1', content: [{ type: 'text', text: 'ok' }] }] },
    ])
    expect(encodeFor(ir, 'openai-chat').body.messages[1].tool_calls[0].function.arguments).toBe('{}')
    expect(encodeFor(ir, 'openai-responses').body.input[1].arguments).toBe('{}')
  })
})

describe('Gemini CLI → Anthropic upstream with thinking on', () => {
  /** The Anthropic answer to the first turn: thinking (text + signature), then the tool call. */
  const answer = anthropicEvents([
    { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [], usage: { input_tokens: 50, output_tokens: 1 } } },
    { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'I should read package.json.' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCkgIARABGAIiQL' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_01ReadPkg', name: 'read_file', input: {} } },
    { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"absolute_path":"/work/demo/package.json"}' } },
    { type: 'content_block_stop', index: 1 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 40 } },
    { type: 'message_stop' },
  ])
  const nextTurn = fixtureJson<J>('agent-cli-requests/gemini-cli-tool-turn.request.json')

  /** What Gemini CLI keeps of a streamed model turn: function calls with their thoughtSignature, no thought parts. */
  function cliHistory(wire: string): J[] {
    const parts: J[] = []
    for (const m of parseSSE(wire)) for (const p of JSON.parse(m.data).candidates?.[0]?.content?.parts ?? []) if (p.functionCall) parts.push(p)
    return parts
  }

  it('carries the thinking in the call’s thoughtSignature and restores it before the tool_use', () => {
    const wire = encodeStream(gemini, decodeStream(anthropic, answer), { sse: true })
    const calls = cliHistory(wire)
    expect(calls).toHaveLength(1)
    expect(calls[0]!.thoughtSignature).toMatch(/^rsig1\.thinking\./)

    const body = structuredClone(nextTurn)
    body.contents[1].parts = calls
    const { body: up, ir } = encodeFor(gemini.decodeRequest(body, { model: 'claude-sonnet-4-5', stream: true }), 'anthropic')
    expect(up.thinking).toEqual({ type: 'enabled', budget_tokens: 24576 })
    expect(up.messages[1]).toEqual({
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should read package.json.', signature: 'EqQBCkgIARABGAIiQL' },
        { type: 'tool_use', id: 'toolu_01ReadPkg', name: 'read_file', input: { absolute_path: '/work/demo/package.json' } },
      ],
    })
    expect(codes(ir)).not.toContain('dropped=thinking')
  })

  it('the same through a non-streamed answer', () => {
    const res = anthropic.decodeResponse({
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content: [
        { type: 'thinking', thinking: 'Read it.', signature: 'SigNonStream' },
        { type: 'tool_use', id: 'toolu_01ReadPkg', name: 'read_file', input: { absolute_path: '/work/demo/package.json' } },
      ],
      stop_reason: 'tool_use',
      usage: { input_tokens: 5, output_tokens: 5 },
    })
    const out = gemini.encodeResponse(res, 'claude') as J
    const body = structuredClone(nextTurn)
    body.contents[1].parts = out.candidates[0].content.parts.filter((p: J) => !p.thought)
    const { body: up } = encodeFor(gemini.decodeRequest(body, { model: 'claude' }), 'anthropic')
    expect(up.messages[1].content[0]).toEqual({ type: 'thinking', thinking: 'Read it.', signature: 'SigNonStream' })
  })

  it('when nothing can be restored (the recorded dummy signature), the request goes without thinking, warned', () => {
    const { body: up, ir } = encodeFor(gemini.decodeRequest(nextTurn, { model: 'claude-sonnet-4-5' }), 'anthropic')
    expect(up.thinking).toBeUndefined()
    expect(up.messages[1].content[0].type).toBe('tool_use')
    expect(codes(ir)).toContain('dropped=thinking')
  })

  it('a first turn (no pending tool call) keeps thinking', () => {
    const { body: up } = encodeFor(
      gemini.decodeRequest({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }], generationConfig: nextTurn.generationConfig }, { model: 'claude' }),
      'anthropic',
    )
    expect(up.thinking).toEqual({ type: 'enabled', budget_tokens: 24576 })
  })
})

describe('OpenAI Chat streams from a Gemini upstream', () => {
  /** The Vercel AI SDK's chunk check, restated: a tool-call delta must carry a `function` object. */
  const aiSdkChunk = z.object({
    id: z.string().nullish(),
    choices: z.array(
      z.object({
        index: z.number(),
        finish_reason: z.string().nullish(),
        delta: z
          .object({
            role: z.enum(['assistant']).nullish(),
            content: z.string().nullish(),
            tool_calls: z
              .array(
                z.object({
                  index: z.number(),
                  id: z.string().nullish(),
                  type: z.literal('function').nullish(),
                  function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }),
                }),
              )
              .nullish(),
          })
          .nullish(),
      }),
    ),
  })

  for (const file of ['vercel-google-tool-call-gemini3.chunks.txt', 'vercel-google-tool-call.chunks.txt', 'vercel-google-stream-no-args-tool-call.chunks.txt']) {
    it(`${file}: every chunk passes; the signature rides with id, type and function`, () => {
      const up = decodeStream(gemini, fixtureChunks(`gemini-chunks/${file}`).map((c) => ({ data: JSON.stringify(c) })))
      const chunks = parseSSE(encodeStream(chat, up)).filter((m) => m.data !== '[DONE]').map((m) => JSON.parse(m.data))
      for (const c of chunks) expect(aiSdkChunk.safeParse(c).success, JSON.stringify(c)).toBe(true)
      const calls = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? [])
      expect(calls.length).toBeGreaterThan(0)
      for (const tc of calls) if (tc.extra_content) expect(tc).toMatchObject({ id: expect.any(String), type: 'function', function: { name: expect.any(String) } })
    })
  }

  it('the recorded Gemini 3 call keeps its signature for the next turn', () => {
    const up = decodeStream(gemini, fixtureChunks('gemini-chunks/vercel-google-tool-call-gemini3.chunks.txt').map((c) => ({ data: JSON.stringify(c) })))
    const chunks = parseSSE(encodeStream(chat, up)).filter((m) => m.data !== '[DONE]').map((m) => JSON.parse(m.data))
    const signed = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []).filter((tc: J) => tc.extra_content)
    expect(signed).toHaveLength(1)
    expect(signed[0].extra_content.google.thought_signature).toMatch(/^rsig1\.gemini\./)
  })
})
