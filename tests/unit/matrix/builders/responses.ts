/** IRResponse cases: what an upstream answered, before its codec writes it on the wire. */
import type { DialectName, IRResponse, UnifiedFinishReason } from '../../../../server/gateway/ir'
import { ANSWER, ownSignature } from './shared'

export type ResponseCase =
  | 'text'
  | 'tool-call'
  | 'parallel-tool-calls'
  | 'thinking'
  | 'finish-length'
  | 'finish-content-filter'
  | 'usage-cache-reasoning'
export const RESPONSE_CASES: ResponseCase[] = [
  'text', 'tool-call', 'parallel-tool-calls', 'thinking', 'finish-length', 'finish-content-filter', 'usage-cache-reasoning',
]

const base = { id: 'resp_matrix_1', model: 'upstream-model', created: 1_700_000_000 }
export const LONG_TEXT = 'Hello there, traveller. The weather in Paris is mild and clear today.'
export const REASONING = 'The user asks about Paris. I should check the forecast, then answer briefly.'
export const WEATHER_CALL_ARGS = '{"city":"Paris","unit":"c","days":[1,2],"detail":{"hourly":true}}'

/** `upstream` decides whose signature the reasoning carries (the upstream minted it). */
export function responseCase(c: ResponseCase, upstream: DialectName): IRResponse {
  switch (c) {
    case 'text':
      return { ...base, parts: [{ type: 'text', text: LONG_TEXT }], finish: { unified: 'stop' }, usage: { inputTokens: 12, outputTokens: 17 } }
    case 'tool-call':
      return {
        ...base,
        parts: [
          { type: 'text', text: 'Let me check.' },
          { type: 'tool-call', id: 'call_a1', name: 'get_weather', arguments: WEATHER_CALL_ARGS },
        ],
        finish: { unified: 'tool-calls' },
        usage: { inputTokens: 40, outputTokens: 22 },
      }
    case 'parallel-tool-calls':
      return {
        ...base,
        parts: [
          { type: 'tool-call', id: 'call_a1', name: 'get_weather', arguments: WEATHER_CALL_ARGS },
          { type: 'tool-call', id: 'call_b2', name: 'get_time', arguments: '{"tz":"Europe/Paris"}' },
        ],
        finish: { unified: 'tool-calls' },
        usage: { inputTokens: 40, outputTokens: 30 },
      }
    case 'thinking':
      return {
        ...base,
        parts: [
          { type: 'reasoning', text: REASONING, signature: ownSignature(upstream) },
          { type: 'text', text: ANSWER },
        ],
        finish: { unified: 'stop' },
        usage: { inputTokens: 20, outputTokens: 90, reasoningTokens: 70 },
      }
    case 'finish-length':
      return { ...base, parts: [{ type: 'text', text: 'The weather in Paris is' }], finish: { unified: 'length' }, usage: { inputTokens: 12, outputTokens: 6 } }
    case 'finish-content-filter':
      return { ...base, parts: [{ type: 'text', text: "I can't help with that." }], finish: { unified: 'content-filter' }, usage: { inputTokens: 9, outputTokens: 7 } }
    case 'usage-cache-reasoning':
      return {
        ...base,
        parts: [{ type: 'reasoning', text: 'Short thought.', signature: ownSignature(upstream) }, { type: 'text', text: 'Done.' }],
        finish: { unified: 'stop' },
        // input is the WHOLE prompt (60 read from cache, 10 written); output includes 20 reasoning
        usage: { inputTokens: 100, outputTokens: 50, cacheReadTokens: 60, cacheWriteTokens: 10, reasoningTokens: 20 },
      }
  }
}

/** The finish_reason / stop_reason / finishReason each dialect writes for a unified reason. */
export const WIRE_FINISH: Record<DialectName, Partial<Record<UnifiedFinishReason, string>>> = {
  'openai-chat': { stop: 'stop', length: 'length', 'tool-calls': 'tool_calls', 'content-filter': 'content_filter' },
  // Responses: `status`, or `incomplete_details.reason` when incomplete; tool calls end 'completed'
  'openai-responses': { stop: 'completed', length: 'max_output_tokens', 'tool-calls': 'completed', 'content-filter': 'content_filter' },
  anthropic: { stop: 'end_turn', length: 'max_tokens', 'tool-calls': 'tool_use', 'content-filter': 'refusal' },
  gemini: { stop: 'STOP', length: 'MAX_TOKENS', 'tool-calls': 'STOP', 'content-filter': 'SAFETY' },
}
