import { describe, it, expect } from 'vitest'
import * as codec from '../../../../server/gateway/dialects/openai-responses'
import type { IRResponse } from '../../../../server/gateway/ir'
import { fixtureFiles, fixtureJson } from '../../../helpers/fixtures'
import { anthropicAnswer } from '../../../helpers/ir-blocks'

const DIR = 'openai-responses'

describe('openai-responses response bodies', () => {
  it('reasoning with encrypted content + message', () => {
    const body = fixtureJson(`${DIR}/vercel-openai-reasoning-encrypted-content.1.json`)
    const res = codec.decodeResponse(body)
    expect(res).toMatchObject({ id: 'resp_0f35ed53160b395301693cc957829881909359e7f80cdd20b5', model: 'gpt-5-mini-2025-08-07', created: 1765591383 })
    expect(res.parts.map((p) => p.type)).toEqual(['reasoning', 'text'])
    const r = res.parts[0] as Extract<IRResponse['parts'][number], { type: 'reasoning' }>
    expect(r.text.startsWith('**Reporting final result**')).toBe(true)
    expect(r.signature).toEqual({ origin: 'openai-responses', value: `rsid1.rs_0f35ed53160b395301693cc95817ac8190b978637daea4987e.${body.output[0].encrypted_content}` })
    expect(res.parts[1]).toEqual({ type: 'text', text: '12 + 7 = 19\n19 × 3 = 57\n57 × 10 = 570\n\nFinal result: 570' })
    expect(res.finish).toEqual({ unified: 'stop', raw: 'completed', rawDialect: 'openai-responses' })
    expect(res.usage).toEqual({ inputTokens: 865, outputTokens: 163, cacheReadTokens: 0, reasoningTokens: 128 })
  })

  it('phase: two messages; service_tier kept', () => {
    const res = codec.decodeResponse(fixtureJson(`${DIR}/vercel-openai-phase.1.json`))
    expect(res.parts).toHaveLength(2)
    expect((res.parts[0] as { text: string }).text).toMatch(/^I’ll quickly check reliable/)
    expect(res.usage).toEqual({ inputTokens: 7243, outputTokens: 423, cacheReadTokens: 3072, reasoningTokens: 58 })
    expect(res.extras).toEqual({ 'openai-responses': { service_tier: 'default' } })
  })

  it('tool search: hosted items listed in extras, the function call is a tool call', () => {
    const res = codec.decodeResponse(fixtureJson(`${DIR}/vercel-openai-tool-search.1.json`))
    expect(res.parts).toEqual([
      { type: 'tool-call', id: expect.stringMatching(/^call_/), name: 'get_weather', arguments: expect.stringContaining('"location"') },
    ])
    expect(res.finish.unified).toBe('tool-calls')
    expect(res.extras).toEqual({ 'openai-responses': { service_tier: 'default', hosted_items: ['tool_search_call', 'tool_search_output'] } })
  })

  it('parallel wrapper body', () => {
    const res = codec.decodeResponse(fixtureJson(`${DIR}/vercel-parallel-tool-call-wrapper.1.json`))
    expect(res.parts).toEqual([{ type: 'tool-call', id: 'call_parallel', name: 'parallel', arguments: expect.stringContaining('functions.weather') }])
    expect(res.usage).toEqual({ inputTokens: 34, outputTokens: 28, cacheReadTokens: 0, reasoningTokens: 0 })
  })

  it('an error body served with 200 throws the upstream error', () => {
    expect(() => codec.decodeResponse(fixtureJson(`${DIR}/vercel-openai-error.1.json`))).toThrow(/exceeded your current quota/)
  })

  it('every success body: decode → encode → decode keeps the IR', () => {
    const files = fixtureFiles(DIR, '.json').filter((f) => !f.includes('error'))
    expect(files).toHaveLength(4)
    for (const f of files) {
      const first = codec.decodeResponse(fixtureJson(f))
      const wire = codec.encodeResponse(first, first.model)
      expect(wire).toMatchObject({ id: first.id, object: 'response', created_at: first.created, status: 'completed', model: first.model })
      const second = codec.decodeResponse(wire)
      const { extras: _a, ...a } = first
      const { extras: _b, ...b } = second
      expect(b, f).toEqual(a)
    }
  })

  it('encodes foreign parts: anthropic signature and redacted thinking, length → incomplete', () => {
    const res = anthropicAnswer(
      [
        { type: 'reasoning', text: 'hmm', signature: { origin: 'anthropic', value: 'Sig' } },
        { type: 'reasoning', text: '', redactedData: 'Blob' },
        { type: 'text', text: 'partial' },
      ],
      { unified: 'length', raw: 'max_tokens' },
      { inputTokens: 5, outputTokens: 7, cacheWriteTokens: 3 },
    )
    const wire = codec.encodeResponse(res, 'my-model') as Record<string, any>
    expect(wire).toMatchObject({ id: 'resp_msg_01', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, model: 'my-model' })
    expect(wire.output[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'hmm' }], encrypted_content: 'rsig1.anthropic.Sig' })
    expect(wire.output[1]).toMatchObject({ type: 'reasoning', summary: [], encrypted_content: 'rsig1.anthropic.Blob' })
    expect(wire.output[2]).toMatchObject({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'partial', annotations: [] }] })
    expect(wire.usage).toEqual({ input_tokens: 5, input_tokens_details: { cached_tokens: 0 }, output_tokens: 7, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 12 })
    const back = codec.decodeResponse(wire)
    expect(back.parts).toEqual(res.parts)
    expect(back.finish).toEqual({ unified: 'length', raw: 'max_output_tokens', rawDialect: 'openai-responses' })
  })
})
