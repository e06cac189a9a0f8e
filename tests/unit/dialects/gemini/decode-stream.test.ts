import { describe, it, expect } from 'vitest'
import { fixtureChunks, fixtureFiles } from '../../../helpers/fixtures'
import { callsOf, collapse, decodeChunks, replay, textOf } from './helpers'
import type { IRStreamEvent } from '../../../../server/gateway/ir'

function finishOf(events: IRStreamEvent[]) {
  const f = events[events.length - 1]!
  if (f.type !== 'finish') throw new Error('last event is not finish')
  return f
}

/** The lifecycle guarantees of ir/stream.ts. */
function assertLifecycle(events: IRStreamEvent[]) {
  expect(events[0]!.type).toBe('start')
  expect(events.filter((e) => e.type === 'finish')).toHaveLength(1)
  expect(events[events.length - 1]!.type).toBe('finish')
  const open = new Set<number>()
  let next = 0
  for (const e of events) {
    if (e.type.endsWith('-start') && e.type !== 'start') {
      const i = (e as { index: number }).index
      expect(i).toBe(next++)
      open.add(i)
    } else if (e.type.endsWith('-delta')) expect(open.has((e as { index: number }).index)).toBe(true)
    else if (e.type.endsWith('-end')) {
      const i = (e as { index: number }).index
      expect(open.delete(i)).toBe(true)
    }
  }
  expect(open.size).toBe(0)
}

describe('gemini stream decoder: recorded chunks', () => {
  it('decodes every chunk fixture with a valid lifecycle', () => {
    const files = fixtureFiles('gemini-chunks', '.chunks.txt')
    expect(files.length).toBe(7)
    for (const f of files) assertLifecycle(decodeChunks(fixtureChunks(f)))
  })

  it('text: one text block, signature from the trailing empty part on text-end, usage with thoughts', () => {
    const ev = decodeChunks(fixtureChunks('gemini-chunks/vercel-google-text.chunks.txt'))
    expect(ev[0]).toMatchObject({ type: 'start', id: 'bH6LaZW8Fp_3nsEPqtaSwQ4', model: 'gemini-3-pro-preview' })
    expect(textOf(ev, 'text-delta')).toBe('There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y')
    expect(ev.filter((e) => e.type === 'text-start')).toHaveLength(1)
    const end = ev.find((e) => e.type === 'text-end')
    expect(end).toMatchObject({ index: 0, signature: { origin: 'gemini' } })
    expect(end?.type === 'text-end' && end.signature?.value.startsWith('EqsFCqgFAb4+9vvtAF5n87lB')).toBe(true)
    const fin = finishOf(ev)
    expect(fin.reason).toEqual({ unified: 'stop', raw: 'STOP', rawDialect: 'gemini' })
    expect(fin.usage).toEqual({ inputTokens: 9, outputTokens: 23 + 185, reasoningTokens: 185 })
  })

  it('reasoning (gemini 3): usage is cumulative, the latest wins', () => {
    const ev = decodeChunks(fixtureChunks('gemini-chunks/vercel-google-reasoning-gemini3.chunks.txt'))
    expect(textOf(ev, 'text-delta')).toBe('There are **3** "r"s in strawberry.\n\nSt**r**awbe**rr**y')
    expect(finishOf(ev).usage).toEqual({ inputTokens: 9, outputTokens: 325, reasoningTokens: 302 })
    const r = decodeChunks(fixtureChunks('gemini-chunks/vercel-google-reasoning.chunks.txt'))
    expect(finishOf(r).usage).toEqual({ inputTokens: 9, outputTokens: 285, reasoningTokens: 256 })
  })

  it('tool call (whole): start + full args + signed end, STOP becomes tool-calls', () => {
    for (const [file, thoughts] of [['vercel-google-tool-call.chunks.txt', 45], ['vercel-google-tool-call-gemini3.chunks.txt', 804]] as const) {
      const ev = decodeChunks(fixtureChunks(`gemini-chunks/${file}`))
      const calls = callsOf(ev)
      expect(calls).toHaveLength(1)
      expect(calls[0]!.name).toBe('weather')
      expect(JSON.parse(calls[0]!.arguments)).toEqual({ location: 'San Francisco' })
      expect(calls[0]!.id.startsWith('gmcall_')).toBe(true)
      expect(calls[0]!.signature).toMatchObject({ origin: 'gemini' })
      // the trailing {text: ""} without signature opens no block
      expect(ev.some((e) => e.type === 'text-start')).toBe(false)
      const fin = finishOf(ev)
      expect(fin.reason).toEqual({ unified: 'tool-calls', raw: 'STOP', rawDialect: 'gemini' })
      expect(fin.usage).toEqual({ inputTokens: 29, outputTokens: 15 + thoughts, reasoningTokens: thoughts })
    }
  })

  it('streamed arguments (partialArgs / willContinue): two getWeather calls with incremental JSON', () => {
    const ev = decodeChunks(fixtureChunks('gemini-chunks/vercel-google-stream-tool-call-arguments.chunks.txt'))
    const calls = callsOf(ev)
    expect(calls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ['getWeather', { location: 'Boston' }],
      ['getWeather', { location: 'San Francisco' }],
    ])
    // the signature arrived on the opening part and ends up on the first call's end
    expect(calls[0]!.signature).toMatchObject({ origin: 'gemini' })
    expect(calls[1]!.signature).toBeUndefined()
    // arguments really stream: several deltas for the first call, each a prefix extension
    const deltas = ev.filter((e) => e.type === 'tool-call-delta' && e.index === 0).map((e) => (e as any).argumentsDelta)
    expect(deltas).toEqual(['{', '"location":"Boston', '"', '}'])
    expect(finishOf(ev).reason.unified).toBe('tool-calls')
    expect(finishOf(ev).usage).toEqual({ inputTokens: 26, outputTokens: 155, reasoningTokens: 132 })
  })

  it('thought text, then a no-args call and three streamed calls', () => {
    const ev = decodeChunks(fixtureChunks('gemini-chunks/vercel-google-stream-no-args-tool-call.chunks.txt'))
    expect(ev[1]).toEqual({ type: 'reasoning-start', index: 0 })
    expect(textOf(ev, 'reasoning-delta').startsWith('**Processing User Requests**')).toBe(true)
    const calls = callsOf(ev)
    expect(calls.map((c) => [c.name, JSON.parse(c.arguments)])).toEqual([
      ['read_theme', {}],
      ['read_screen', { id: 'A' }],
      ['read_screen', { id: 'B' }],
      ['read_screen', { id: 'C' }],
    ])
    expect(new Set(calls.map((c) => c.id)).size).toBe(4)
    expect(calls[0]!.signature).toMatchObject({ origin: 'gemini' })
    const starts = ev.filter((e) => e.type === 'tool-call-start').map((e) => (e as any).index)
    expect(starts).toEqual([1, 2, 3, 4])
    expect(finishOf(ev).usage).toEqual({ inputTokens: 249, outputTokens: 241, reasoningTokens: 183 })
  })

  it('js-genai replays: streamed text ending in MAX_TOKENS, and a streamed function call', () => {
    const [t] = replay('js-genai-Client_Tests_generateContentStream_ML_Dev_should_stream_generate_content_with_specified_parameters.json')
    const ev = decodeChunks(t!.responseBodies)
    expect(textOf(ev, 'text-delta')).toBe(t!.responseBodies.map((b: any) => b.candidates[0].content.parts[0].text).join(''))
    expect(finishOf(ev).reason).toEqual({ unified: 'length', raw: 'MAX_TOKENS', rawDialect: 'gemini' })
    expect(finishOf(ev).usage).toEqual({ inputTokens: 7, outputTokens: 198, reasoningTokens: 45 })

    const fc = replay('js-genai-Chats_Tests_chats_function_calling_Google_AI_with_function_calling_stream.json')
    const ev2 = decodeChunks(fc[1]!.responseBodies)
    expect(callsOf(ev2).map((c) => JSON.parse(c.arguments))).toEqual([{ denominator: 2, numerator: 50 }])
    expect(finishOf(ev2).reason.unified).toBe('tool-calls')
  })

  it('an in-stream error chunk becomes an error event and ends the stream', () => {
    const [i] = replay('js-genai-Chats_Tests_sendMessage_Send_message_stream_with_error.json')
    const ev = decodeChunks([{ candidates: [{ content: { role: 'model', parts: [{ text: 'Hi' }] } }] }, i!.responseBodies[0]])
    const err = ev.find((e) => e.type === 'error')
    expect(err?.type === 'error' && err.error.kind).toBe('not_found')
    expect(err?.type === 'error' && err.error.message).toMatch(/custom-gemini-2\.0-flash is not found/)
    expect(ev[ev.length - 1]!.type).toBe('error')
    expect(ev.some((e) => e.type === 'finish')).toBe(false)
  })

  it('promptFeedback block with no candidates → content-filter with the block reason', () => {
    const ev = decodeChunks([{ promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 } }])
    expect(finishOf(ev).reason).toEqual({ unified: 'content-filter', raw: 'PROHIBITED_CONTENT', rawDialect: 'gemini' })
    expect(finishOf(ev).usage.inputTokens).toBe(5)
  })

  it('kind changes close blocks; a second signature starts a new block', () => {
    const part = (p: object) => ({ candidates: [{ content: { role: 'model', parts: [p] } }] })
    const ev = decodeChunks([
      part({ text: 'think', thought: true }),
      part({ text: ' more', thought: true }),
      part({ text: 'Hello', thoughtSignature: 'S1' }),
      part({ text: ' world' }),
      part({ text: 'Again', thoughtSignature: 'S2' }),
      { candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'STOP' }] },
    ])
    expect(collapse(ev).slice(1)).toEqual([
      { type: 'reasoning-start', index: 0 },
      { type: 'reasoning-delta', index: 0, text: 'think more' },
      { type: 'reasoning-end', index: 0 },
      { type: 'text-start', index: 1 },
      { type: 'text-delta', index: 1, text: 'Hello world' },
      { type: 'text-end', index: 1, signature: { origin: 'gemini', value: 'S1' } },
      { type: 'text-start', index: 2 },
      { type: 'text-delta', index: 2, text: 'Again' },
      { type: 'text-end', index: 2, signature: { origin: 'gemini', value: 'S2' } },
      { type: 'finish', reason: { unified: 'stop', raw: 'STOP', rawDialect: 'gemini' }, usage: { inputTokens: 0, outputTokens: 0 } },
    ])
  })
})
