import { describe, expect, it } from 'vitest'
import * as codec from '../../../../server/gateway/dialects/bedrock-converse'

/** A Converse response as documented (ConverseResponse: output.message, stopReason, usage, metrics). */
const RESPONSE = {
  output: {
    message: {
      role: 'assistant',
      content: [
        { reasoningContent: { reasoningText: { text: 'Thinking about Paris.', signature: 'ErUBCkYIBxgCsig' } } },
        { reasoningContent: { redactedContent: 'cmVkYWN0ZWQ=' } },
        { text: 'It is sunny.' },
        { toolUse: { toolUseId: 'tooluse_Gv9', name: 'get_weather', input: { city: 'Paris' } } },
      ],
    },
  },
  stopReason: 'tool_use',
  usage: { inputTokens: 100, outputTokens: 40, totalTokens: 190, cacheReadInputTokens: 30, cacheWriteInputTokens: 20 },
  metrics: { latencyMs: 812 },
}

describe('Converse response decoding', () => {
  it('reads reasoning (signed and redacted), text, tool use, stop reason and usage', () => {
    const r = codec.decodeResponse(RESPONSE)
    expect(r.parts).toEqual([
      { type: 'reasoning', text: 'Thinking about Paris.', signature: { origin: 'bedrock-converse', value: 'ErUBCkYIBxgCsig' } },
      { type: 'reasoning', text: '', redactedData: 'cmVkYWN0ZWQ=' },
      { type: 'text', text: 'It is sunny.' },
      { type: 'tool-call', id: 'tooluse_Gv9', name: 'get_weather', arguments: '{"city":"Paris"}' },
    ])
    expect(r.finish).toEqual({ unified: 'tool-calls', raw: 'tool_use', rawDialect: 'bedrock-converse' })
    // IR input counts the whole prompt: Bedrock's inputTokens excludes cache reads and writes
    expect(r.usage).toEqual({ inputTokens: 150, outputTokens: 40, cacheReadTokens: 30, cacheWriteTokens: 20 })
    expect(r.id).toMatch(/^bedrock-[0-9a-f]{32}$/)
    expect(codec.decodeUsage(RESPONSE)).toEqual(r.usage)
  })

  it('maps every documented stop reason', () => {
    const finish = (stopReason: string) => codec.decodeResponse({ ...RESPONSE, stopReason }).finish.unified
    expect(['end_turn', 'stop_sequence', 'max_tokens', 'model_context_window_exceeded', 'guardrail_intervened', 'content_filtered', 'tool_use'].map(finish)).toEqual(['stop', 'stop', 'length', 'length', 'content-filter', 'content-filter', 'tool-calls'])
  })

  it('refuses a body without output.message', () => {
    expect(() => codec.decodeResponse({ stopReason: 'end_turn' })).toThrow(/output\.message/)
  })
})
