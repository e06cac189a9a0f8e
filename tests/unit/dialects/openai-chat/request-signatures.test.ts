import { describe, expect, it } from 'vitest'
import * as openaiChatCodec from '../../../../server/gateway/dialects/openai-chat'
import { irRequest } from '../../../helpers/ir-blocks'

/**
 * Signatures in Chat requests: Chat has no field of its own for them, so Rosetta reads and writes
 * them in `reasoning_details` and Gemini's `extra_content`, and sends no other dialect's signature.
 */
const { decodeRequest, encodeRequest } = openaiChatCodec

describe('openai-chat decodeRequest: signatures', () => {
  it('reads signatures from reasoning_details and extra_content (what our encoders write)', () => {
    const req = decodeRequest({
      model: 'claude-sonnet-4-5',
      messages: [
        { role: 'user', content: 'hi' },
        {
          role: 'assistant',
          content: 'Let me check.',
          reasoning_content: 'ignored when reasoning_details is present',
          reasoning_details: [
            { type: 'reasoning.text', text: 'Thinking...', signature: 'rsig1.anthropic.EqQBCkYI', format: 'anthropic-claude-v1' },
            { type: 'reasoning.encrypted', data: 'rsig1.anthropic.ErUBRedacted', format: 'anthropic-claude-v1' },
          ],
          tool_calls: [
            {
              id: 'call_g',
              type: 'function',
              function: { name: 'lookup', arguments: '{}' },
              extra_content: { google: { thought_signature: 'rsig1.gemini.CiQB0e2K' } },
            },
            // Gemini's own OpenAI endpoint: a raw value is Gemini's.
            { id: 'call_h', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' }, extra_content: { google: { thought_signature: 'RAWGEMINI' } } },
          ],
        },
      ],
    })
    expect(req.messages[1]!.parts).toEqual([
      { type: 'reasoning', text: 'Thinking...', signature: { origin: 'anthropic', value: 'EqQBCkYI' } },
      { type: 'reasoning', text: '', redactedData: 'ErUBRedacted' },
      { type: 'text', text: 'Let me check.' },
      { type: 'tool-call', id: 'call_g', name: 'lookup', arguments: '{}', signature: { origin: 'gemini', value: 'CiQB0e2K' } },
      { type: 'tool-call', id: 'call_h', name: 'lookup', arguments: '{"q":1}', signature: { origin: 'gemini', value: 'RAWGEMINI' } },
    ])
  })
})

describe('openai-chat encodeRequest: signatures', () => {
  it('never sends foreign signatures, except Gemini tool-call signatures in extra_content', () => {
    const ir = irRequest('deepseek-reasoner', [
      { role: 'user', parts: [{ type: 'text', text: 'weather?' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', text: 'Need the tool. ', signature: { origin: 'anthropic', value: 'SIG' } },
          { type: 'reasoning', text: '', redactedData: 'REDACTED' },
          { type: 'reasoning', text: 'Calling it.' },
          { type: 'tool-call', id: 'c1', name: 'w', arguments: '{}', signature: { origin: 'gemini', value: 'GSIG' } },
          { type: 'tool-call', id: 'c2', name: 'w', arguments: '{}', signature: { origin: 'anthropic', value: 'ASIG' } },
        ],
      },
      {
        role: 'user',
        parts: [
          { type: 'text', text: 'here:' },
          {
            type: 'tool-result',
            callId: 'c1',
            name: 'w',
            isError: true,
            content: [
              { type: 'text', text: 'sunny' },
              { type: 'image', source: { kind: 'url', url: 'https://x/y.png' } },
            ],
          },
        ],
      },
    ])
    const { body } = encodeRequest(ir)
    const messages = body.messages as Array<Record<string, unknown>>
    expect(messages[1]).toEqual({
      role: 'assistant',
      content: null,
      reasoning_content: 'Need the tool. Calling it.',
      tool_calls: [
        { id: 'c1', type: 'function', function: { name: 'w', arguments: '{}' }, extra_content: { google: { thought_signature: 'GSIG' } } },
        { id: 'c2', type: 'function', function: { name: 'w', arguments: '{}' } },
      ],
    })
    // Tool results come right after the assistant turn, before the user's text.
    expect(messages[2]).toEqual({
      role: 'tool',
      tool_call_id: 'c1',
      content: [
        { type: 'text', text: 'sunny' },
        { type: 'text', text: '[image omitted: tool result images are not supported by this upstream]' },
      ],
    })
    expect(messages[3]).toEqual({ role: 'user', content: 'here:' })
    expect(JSON.stringify(body)).not.toContain('"SIG"')
    expect(JSON.stringify(body)).not.toContain('ASIG')
    expect(JSON.stringify(body)).not.toContain('REDACTED')
    expect(ir.warnings?.map((w) => w.message)).toEqual([
      'tool result images are not supported by OpenAI Chat Completions; replaced by a text note',
      'tool result is_error has no OpenAI Chat Completions field; sent as a plain result',
    ])
  })
})
