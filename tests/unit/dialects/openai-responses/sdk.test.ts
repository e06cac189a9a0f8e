import { describe, it, expect } from 'vitest'
import OpenAI from 'openai'
import type { DialectCodec } from '../../../../server/gateway/codec'
import type { IRResponse, IRStreamEvent } from '../../../../server/gateway/ir'
import { CODECS } from '../../../../server/gateway/registry'
import * as openaiResponsesCodec from '../../../../server/gateway/dialects/openai-responses'
import { fixtureFiles, fixtureJson, fixtureText } from '../../../helpers/fixtures'
import { assemble, encodeAll, fixtureStreams, parseSSE } from './helpers'

/** A client whose fetch answers with `body`, delivered in small pieces (no network). */
function client(body: string, contentType = 'text/event-stream') {
  return new OpenAI({
    apiKey: 'x',
    baseURL: 'http://x',
    maxRetries: 0,
    fetch: (async () => {
      const bytes = new TextEncoder().encode(body)
      const stream = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < bytes.length; i += 11) c.enqueue(bytes.slice(i, i + 11))
          c.close()
        },
      })
      return new Response(stream, { headers: { 'content-type': contentType } })
    }) as typeof fetch,
  })
}

function decodeWith(codec: DialectCodec, msgs: { event?: string; data: string }[]): IRStreamEvent[] {
  const dec = codec.createStreamDecoder()
  const out: IRStreamEvent[] = []
  for (const m of msgs) out.push(...dec.push(m))
  return [...out, ...dec.end()]
}

/** Every stream fixture of every dialect, decoded by its own codec. */
function allFixtureStreams(): Array<{ name: string; events: IRStreamEvent[] }> {
  const byDir: Record<string, DialectCodec> = {
    'openai-chat-sse': CODECS['openai-chat'],
    'openai-chat-chunks': CODECS['openai-chat'],
    'openai-compatible-chat': CODECS['openai-chat'],
    'anthropic-sse': CODECS.anthropic,
    'anthropic-chunks': CODECS.anthropic,
    'gemini-chunks': CODECS.gemini,
  }
  const out: Array<{ name: string; events: IRStreamEvent[] }> = []
  for (const [dir, codec] of Object.entries(byDir)) {
    for (const f of [...fixtureFiles(dir, '.sse'), ...fixtureFiles(dir, '.chunks.txt')]) {
      const msgs = f.endsWith('.sse')
        ? parseSSE(fixtureText(f))
        : fixtureText(f).split('\n').filter((l) => l.trim() !== '').map((data) => {
            const t = (JSON.parse(data) as { type?: unknown }).type
            return typeof t === 'string' ? { event: t, data } : { data }
          })
      out.push({ name: f, events: decodeWith(codec, msgs) })
    }
  }
  for (const f of fixtureFiles('openai-responses', '.chunks.txt')) {
    fixtureStreams(f).forEach((s, i) => out.push({ name: `${f}#${i}`, events: decodeWith(openaiResponsesCodec, s) }))
  }
  return out
}

function outputText(output: Array<{ type: string; content?: Array<{ type: string; text?: string }> }>): string {
  return output.flatMap((o) => (o.type === 'message' ? (o.content ?? []).map((c) => c.text ?? '') : [])).join('')
}

describe('the openai SDK parses what the openai-responses encoder writes', () => {
  const cases = allFixtureStreams()

  it('covers the fixtures of all four dialects', () => {
    expect(cases.length).toBeGreaterThan(40)
  })

  it('responses.stream().finalResponse(): text, function calls, usage for every fixture', async () => {
    let checked = 0
    for (const { name, events } of cases) {
      const ir = assemble(events)
      const wire = encodeAll(events, 'gpt-test')
      const stream = client(wire).responses.stream({ model: 'gpt-test', input: 'hi' })
      if (ir.error) {
        await expect(stream.finalResponse(), name).rejects.toThrow()
        continue
      }
      const final = await stream.finalResponse()
      expect(outputText(final.output as never), name).toBe(ir.text.join(''))
      const calls = final.output.filter((o) => o.type === 'function_call')
      expect(calls.map((c) => ({ id: c.call_id, name: c.name, arguments: c.arguments })), name).toEqual(ir.tools)
      if (final.status === 'completed') {
        const u = ir.finish!.usage
        expect(final.usage, name).toMatchObject({
          input_tokens: u.inputTokens,
          output_tokens: u.outputTokens,
          input_tokens_details: { cached_tokens: u.cacheReadTokens ?? 0 },
          output_tokens_details: { reasoning_tokens: u.reasoningTokens ?? 0 },
        })
      } else expect(final.status).toBe('in_progress') // the SDK keeps its own snapshot for response.incomplete
      checked++
    }
    expect(checked).toBeGreaterThan(35)
  })

  it('responses.create({stream:true}) yields every event in order, ending in response.completed', async () => {
    const { events } = cases.find((c) => c.name.includes('reasoning-encrypted-content') && c.name.endsWith('#0'))!
    const stream = await client(encodeAll(events, 'gpt-test')).responses.create({ model: 'gpt-test', input: 'hi', stream: true })
    const seen: Array<{ type: string; sequence_number: number }> = []
    let args = ''
    let summary = ''
    for await (const ev of stream) {
      seen.push(ev)
      if (ev.type === 'response.function_call_arguments.delta') args += ev.delta
      if (ev.type === 'response.reasoning_summary_text.delta') summary += ev.delta
    }
    expect(seen.map((e) => e.sequence_number)).toEqual(seen.map((_, i) => i))
    expect(seen[0]!.type).toBe('response.created')
    expect(seen[seen.length - 1]!.type).toBe('response.completed')
    expect(args).toBe('{"a":12,"b":7,"op":"add"}')
    expect(summary.startsWith('**Calculating step-by-step using calculator**')).toBe(true)
    const last = seen[seen.length - 1] as unknown as { response: { output: Array<Record<string, unknown>> } }
    // the stream names the item before its signature is known; the upstream id rides in encrypted_content
    expect(last.response.output[0]).toMatchObject({ type: 'reasoning', id: expect.stringMatching(/^rs_/) })
    expect(String(last.response.output[0]!.encrypted_content)).toMatch(/^rsid1\.rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9\.gAAAA/)
  })

  it('an in-band error surfaces as an APIError with the upstream message', async () => {
    const { events } = cases.find((c) => c.name.includes('vercel-openai-error'))!
    const err = await client(encodeAll(events)).responses.stream({ model: 'm', input: 'hi' }).finalResponse().catch((e: unknown) => e)
    expect(err).toBeInstanceOf(OpenAI.APIError)
    expect((err as InstanceType<typeof OpenAI.APIError>).message).toMatch(/exceeded your current quota/)
  })

  it('responses.create() (non-stream) reads encodeResponse: output_text, function calls, usage', async () => {
    const res = openaiResponsesCodec.decodeResponse(fixtureJson('openai-responses/vercel-openai-reasoning-encrypted-content.1.json'))
    const withCall: IRResponse = { ...res, parts: [...res.parts, { type: 'tool-call', id: 'call_9', name: 'calc', arguments: '{"x":1}' }] }
    const body = JSON.stringify(openaiResponsesCodec.encodeResponse(withCall, 'gpt-test'))
    const out = await client(body, 'application/json').responses.create({ model: 'gpt-test', input: 'hi' })
    expect(out.output_text).toBe('12 + 7 = 19\n19 × 3 = 57\n57 × 10 = 570\n\nFinal result: 570')
    expect(out.output.find((o) => o.type === 'function_call')).toMatchObject({ call_id: 'call_9', name: 'calc', arguments: '{"x":1}' })
    expect(out.usage).toMatchObject({ input_tokens: 865, output_tokens: 163, output_tokens_details: { reasoning_tokens: 128 } })
  })
})
