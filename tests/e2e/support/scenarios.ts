import type { DialectName, IRResponse } from '../../../server/gateway/ir'

/**
 * What the mock upstreams answer, chosen by the model name the gateway sends them:
 * `<prefix>-<scenario>`, e.g. `an-tools` → the Anthropic mock answers with a tool call.
 */
export const SIG = (d: DialectName) => `sig-${d}-0123456789abcdef`

export const PII_ANSWER = 'Call me at +86 138 0013 8000 or mail jane.doe@example.com, card 4111 1111 1111 1111, ID 11010519491231002X. Thanks!'

export function scenarioResponse(d: DialectName, scenario: string, model: string): IRResponse | undefined {
  const base = { id: idFor(d), model, created: 1_760_000_000 }
  const usage = { inputTokens: 21, outputTokens: 9 }
  /** An answer that asks for tools to be run. */
  const toolCalls = (parts: IRResponse['parts']): IRResponse => ({ ...base, parts, finish: { unified: 'tool-calls' }, usage })
  switch (scenario) {
    case 'text':
      return { ...base, parts: [{ type: 'text', text: `Hello from ${d}!` }], finish: { unified: 'stop' }, usage }
    case 'pii':
      // Personal data for the redact plugin (issue 19); streamed 4 characters a frame, so every item is split.
      return { ...base, parts: [{ type: 'text', text: PII_ANSWER }], finish: { unified: 'stop' }, usage }
    case 'long':
      return { ...base, parts: [{ type: 'text', text: 'one two three four five six seven eight nine ten' }], finish: { unified: 'length' }, usage }
    case 'tools':
      return toolCalls([
        { type: 'text', text: 'Let me check.' },
        { type: 'tool-call', id: callId(d, 1), name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
      ])
    case 'parallel':
      return toolCalls([
        { type: 'tool-call', id: callId(d, 1), name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'tool-call', id: callId(d, 2), name: 'get_weather', arguments: '{"city":"Tokyo"}' },
      ])
    case 'thinking':
      return {
        ...base,
        parts: [
          { type: 'reasoning', text: 'The user wants the answer. It is 42.', signature: { origin: d, value: SIG(d) } },
          { type: 'text', text: 'The answer is 42.' },
        ],
        finish: { unified: 'stop' },
        usage: { inputTokens: 30, outputTokens: 40, reasoningTokens: 25 },
      }
    case 'thinktool':
      return toolCalls([
        { type: 'reasoning', text: 'I should call the tool.', signature: d === 'gemini' ? undefined : { origin: d, value: SIG(d) } },
        {
          type: 'tool-call',
          id: callId(d, 1),
          name: 'get_weather',
          arguments: '{"city":"Oslo"}',
          signature: d === 'gemini' ? { origin: d, value: SIG(d) } : undefined,
        },
      ])
    case 'several':
      // n / candidateCount 3: three answers in one body (only Chat and Gemini upstreams can).
      return {
        ...base,
        parts: [{ type: 'text', text: 'Red' }],
        finish: { unified: 'stop' },
        alternatives: [
          { parts: [{ type: 'text', text: 'Green' }], finish: { unified: 'stop' } },
          { parts: [{ type: 'text', text: 'Blue' }], finish: { unified: 'length' } },
        ],
        usage,
      }
    default:
      return undefined
  }
}

function idFor(d: DialectName): string {
  return d === 'anthropic' ? 'msg_mock123' : d === 'gemini' ? 'gm-resp-1' : d === 'openai-responses' ? 'resp_mock123' : 'chatcmpl-mock123'
}

function callId(d: DialectName, n: number): string {
  return d === 'anthropic' ? `toolu_mock${n}` : d === 'gemini' ? `gmcall-${n}` : `call_mock${n}`
}
