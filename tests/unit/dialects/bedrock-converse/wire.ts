/**
 * ConverseStream wire bytes as Bedrock sends them, built from the documented event payloads
 * (docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html: messageStart,
 * contentBlockStart, contentBlockDelta, contentBlockStop, messageStop, metadata; each payload with
 * the `p` padding field Bedrock adds) in real eventstream framing.
 */
import { encodeEvent, encodeException } from '../../../../server/gateway/dialects/bedrock-converse/eventstream'

export const P = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ'

/** A thinking Claude answer that calls a tool, as the ConverseStream API streams it. */
export function toolCallStreamEvents(): Array<[string, unknown]> {
  return [
    ['messageStart', { p: P, role: 'assistant' }],
    ['contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text: 'The user wants ' } }, p: P }],
    ['contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { text: 'the weather.' } }, p: P }],
    ['contentBlockDelta', { contentBlockIndex: 0, delta: { reasoningContent: { signature: 'EqQBCkYIBRgCKkBsig==' } }, p: P }],
    ['contentBlockStop', { contentBlockIndex: 0, p: P }],
    ['contentBlockDelta', { contentBlockIndex: 1, delta: { text: 'Let me check' }, p: P }],
    ['contentBlockDelta', { contentBlockIndex: 1, delta: { text: ' that.' }, p: P }],
    ['contentBlockStop', { contentBlockIndex: 1, p: P }],
    ['contentBlockStart', { contentBlockIndex: 2, start: { toolUse: { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'get_weather' } }, p: P }],
    ['contentBlockDelta', { contentBlockIndex: 2, delta: { toolUse: { input: '{"city":' } }, p: P }],
    ['contentBlockDelta', { contentBlockIndex: 2, delta: { toolUse: { input: '"Paris"}' } }, p: P }],
    ['contentBlockStop', { contentBlockIndex: 2, p: P }],
    ['messageStop', { p: P, stopReason: 'tool_use' }],
    ['metadata', { metrics: { latencyMs: 1421 }, p: P, usage: { inputTokens: 420, outputTokens: 96, totalTokens: 616, cacheReadInputTokens: 100 } }],
  ]
}

/** A plain text answer. */
export function textStreamEvents(text = 'Hello from Bedrock.'): Array<[string, unknown]> {
  return [
    ['messageStart', { p: P, role: 'assistant' }],
    ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: text.slice(0, 6) }, p: P }],
    ['contentBlockDelta', { contentBlockIndex: 0, delta: { text: text.slice(6) }, p: P }],
    ['contentBlockStop', { contentBlockIndex: 0, p: P }],
    ['messageStop', { p: P, stopReason: 'end_turn' }],
    ['metadata', { metrics: { latencyMs: 300 }, p: P, usage: { inputTokens: 12, outputTokens: 5, totalTokens: 17 } }],
  ]
}

export function frames(events: Array<[string, unknown]>): Buffer {
  return Buffer.concat(events.map(([t, p]) => Buffer.from(encodeEvent(t, p))))
}

export { encodeException }
