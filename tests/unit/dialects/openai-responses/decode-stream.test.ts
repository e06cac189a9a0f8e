import { describe, it, expect } from 'vitest'
import { fixtureFiles } from '../../../helpers/fixtures'
import { assemble, decodeAll, DIR, fixtureStreams } from './helpers'

const one = (rel: string) => assemble(decodeAll(fixtureStreams(`${DIR}/${rel}`)[0]!))

describe('openai-responses stream decoder: recorded fixtures', () => {
  it('every stream fixture decodes with a valid lifecycle', () => {
    const files = fixtureFiles(DIR, '.chunks.txt')
    expect(files.length).toBe(6)
    for (const f of files) for (const s of fixtureStreams(f)) expect(() => assemble(decodeAll(s))).not.toThrow()
  })

  it('reasoning with encrypted content, then function calls, over three recorded turns', () => {
    const streams = fixtureStreams(`${DIR}/vercel-openai-reasoning-encrypted-content.1.chunks.txt`)
    expect(streams).toHaveLength(4)
    const t1 = assemble(decodeAll(streams[0]!))
    expect(t1.reasoning).toHaveLength(1)
    expect(t1.reasoning[0]!.text).toBe(
      "**Calculating step-by-step using calculator**\n\nI'll compute 12 plus 7, then multiply the result by 3, and finally multiply that by 10, reporting the final product.",
    )
    const sig = t1.reasoning[0]!.signature as { origin: string; value: string }
    expect(sig.origin).toBe('openai-responses')
    // the item id rides in front of the encrypted content of output_item.done (not the one of .added)
    expect(sig.value.startsWith('rsid1.rs_01830d662ab3856501693c321405c88190be3ab04d5782d5f9.gAAAAABpPDIVOKrsHNZ0')).toBe(true)
    expect(t1.tools).toEqual([{ id: 'call_AB6AaRZ1FYZB2RwS6A5vbdqn', name: 'calculator', arguments: '{"a":12,"b":7,"op":"add"}' }])
    expect(t1.finish!.reason).toMatchObject({ unified: 'tool-calls', raw: 'completed' })
    expect(t1.finish!.usage).toEqual({ inputTokens: 134, outputTokens: 28, cacheReadTokens: 0, reasoningTokens: 0 })

    const t2 = assemble(decodeAll(streams[1]!))
    expect(t2.tools[0]).toEqual({ id: 'call_Q6pW65MUgW9vF59BmItYGos3', name: 'calculator', arguments: '{"a":19,"b":3,"op":"multiply"}' })
    const t3 = assemble(decodeAll(streams[2]!))
    expect(t3.tools[0]!.arguments).toBe('{"a":57,"b":10,"op":"multiply"}')
    expect(t3.finish!.usage.inputTokens).toBe(260)
    const t4 = assemble(decodeAll(streams[3]!))
    expect(t4.text).toEqual(['The final result is **570**.'])
    expect(t4.tools).toHaveLength(0)
    expect(t4.finish!.reason.unified).toBe('stop')
    expect(t4.finish!.usage).toMatchObject({ inputTokens: 299, outputTokens: 12 })
  })

  it('phase: two assistant messages (commentary, final_answer); text completed from output_text.done', () => {
    const a = one('vercel-openai-phase.1.chunks.txt')
    expect(a.text).toHaveLength(2)
    expect(a.text[0]).toBe(
      'Got it — I’ll quickly check reliable, up-to-date sources for AI headlines from **today (February 25, 2026)** and then summarize the key items with links.',
    )
    expect(a.text[1]!.startsWith('Here are a few **AI headlines for today (Wednesday, February 25, 2026)**')).toBe(true)
    expect(a.finish!.reason).toMatchObject({ unified: 'stop', raw: 'completed', rawDialect: 'openai-responses' })
    expect(a.finish!.usage).toEqual({ inputTokens: 7112, outputTokens: 463, cacheReadTokens: 3072, reasoningTokens: 64 })
  })

  it('tool search: hosted items skipped, the function call kept', () => {
    const events = decodeAll(fixtureStreams(`${DIR}/vercel-openai-tool-search.1.chunks.txt`)[0]!)
    const a = assemble(events)
    expect(events[0]).toMatchObject({ type: 'start', id: 'resp_08a14073c7135dc10069aa68621de481908b2fc660fb4fc0af', model: 'gpt-5.4-2026-03-05', created: 1772775522 })
    expect(a.text).toEqual([])
    expect(a.tools).toEqual([
      { id: 'call_pddfxhfOx4gY56zn4vIIEbFp', name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"fahrenheit"}' },
    ])
    expect(a.finish!.reason.unified).toBe('tool-calls')
    expect(a.finish!.usage).toEqual({ inputTokens: 640, outputTokens: 46, cacheReadTokens: 0, reasoningTokens: 20 })
  })

  it('LM Studio: reasoning_text content, text, arguments sent only in .done', () => {
    const a = one('vercel-lmstudio-tool-call.1.chunks.txt')
    expect(a.reasoning).toHaveLength(1)
    expect(a.reasoning[0]!.text).toBe(
      'The user is asking for the weather in San Francisco. I have a weather function available that takes a location parameter. The user has provided "San Francisco" as the location, so I have all the required information to make the function call.',
    )
    expect(a.reasoning[0]!.signature).toBeUndefined()
    expect(a.text).toEqual(["I'll get the current weather information for San Francisco for you."])
    expect(a.tools).toEqual([{ id: 'call_2025306790300011', name: 'weather', arguments: '{"location":"San Francisco"}' }])
    expect(a.finish!.reason.unified).toBe('tool-calls')
    expect(a.finish!.usage).toEqual({ inputTokens: 182, outputTokens: 61, cacheReadTokens: 2, reasoningTokens: 48 })
  })

  it('parallel tool call wrapper: broken JSON lines skipped, finish synthesized at end()', () => {
    const events = decodeAll(fixtureStreams(`${DIR}/vercel-parallel-tool-call-wrapper.1.chunks.txt`)[0]!)
    const a = assemble(events)
    expect(a.tools).toHaveLength(1)
    expect(a.tools[0]!.id).toBe('call_parallel')
    expect(a.tools[0]!.name).toBe('parallel')
    expect(JSON.parse(a.tools[0]!.arguments).tool_uses).toHaveLength(2)
    expect(a.finish!.reason).toEqual({ unified: 'tool-calls' })
  })

  it('error event: quota error, the trailing response.failed ignored', () => {
    const events = decodeAll(fixtureStreams(`${DIR}/vercel-openai-error.1.chunks.txt`)[0]!)
    const a = assemble(events)
    expect(events.map((e) => e.type)).toEqual(['start', 'error'])
    expect(a.error!.error.kind).toBe('quota')
    expect(a.error!.error.message).toMatch(/^You exceeded your current quota/)
  })

  it('response.failed alone, incomplete, refusal and summaries with several parts', () => {
    const frames = (evs: object[]) => evs.map((e) => ({ data: JSON.stringify(e) }))
    const failed = decodeAll(frames([
      { type: 'response.created', response: { id: 'resp_1', model: 'm', created_at: 5, status: 'in_progress' } },
      { type: 'response.failed', response: { id: 'resp_1', status: 'failed', error: { code: 'rate_limit_exceeded', message: 'slow down' } } },
    ]))
    expect(failed[1]).toMatchObject({ type: 'error' })
    expect((failed[1] as { error: { kind: string; message: string } }).error).toMatchObject({ kind: 'rate_limit', message: 'slow down' })

    const a = assemble(decodeAll(frames([
      { type: 'response.created', response: { id: 'resp_2', model: 'm', created_at: 5 } },
      { type: 'response.output_item.added', output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [] } },
      { type: 'response.reasoning_summary_part.added', item_id: 'rs_1', output_index: 0, summary_index: 0, part: { type: 'summary_text', text: '' } },
      { type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'First.' },
      { type: 'response.reasoning_summary_part.added', item_id: 'rs_1', output_index: 0, summary_index: 1, part: { type: 'summary_text', text: '' } },
      { type: 'response.reasoning_summary_text.done', item_id: 'rs_1', output_index: 0, summary_index: 1, text: 'Second.' },
      { type: 'response.output_item.done', output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'ENC' } },
      { type: 'response.output_item.added', output_index: 1, item: { id: 'msg_1', type: 'message', role: 'assistant', content: [] } },
      { type: 'response.content_part.added', item_id: 'msg_1', output_index: 1, content_index: 0, part: { type: 'refusal', refusal: '' } },
      { type: 'response.refusal.delta', item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'I cannot help.' },
      { type: 'response.output_item.done', output_index: 1, item: { id: 'msg_1', type: 'message', role: 'assistant', content: [] } },
      { type: 'response.incomplete', response: { id: 'resp_2', status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, usage: { input_tokens: 3, output_tokens: 9 } } },
    ])))
    expect(a.reasoning).toEqual([{ text: 'First.\n\nSecond.', signature: { origin: 'openai-responses', value: 'rsid1.rs_1.ENC' } }])
    expect(a.text).toEqual(['I cannot help.'])
    expect(a.finish!.reason).toEqual({ unified: 'length', raw: 'max_output_tokens', rawDialect: 'openai-responses' })
    expect(a.finish!.usage).toEqual({ inputTokens: 3, outputTokens: 9 })
  })
})
