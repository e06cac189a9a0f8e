import { describe, expect, it } from 'vitest'
import { encodeRequest } from '../../../../server/gateway/dialects/bedrock-converse/encode-request'
import type { IRRequest } from '../../../../server/gateway/ir'
import { GatewayError } from '../../../../server/gateway/errors'

type J = any
const base = (over: Partial<IRRequest> = {}): IRRequest => ({ model: 'anthropic.claude-3-5-sonnet-20240620-v1:0', stream: false, system: [], messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }], ...over })
const enc = (over: Partial<IRRequest> = {}) => {
  const req = base(over)
  const out = encodeRequest(req)
  return { ...out, body: out.body as J, warnings: req.warnings ?? [] }
}

describe('Converse request encoding (documented ConverseRequest shape)', () => {
  it('puts the model and streaming in the path only', () => {
    const { path, body } = enc({ stream: true, maxTokens: 100, temperature: 0.2, topP: 0.9, stopSequences: ['X'], system: [{ type: 'text', text: 'Be brief.' }] })
    expect(path).toBe('model/anthropic.claude-3-5-sonnet-20240620-v1%3A0/converse-stream')
    expect(body).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hi' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 100, temperature: 0.2, topP: 0.9, stopSequences: ['X'] },
    })
  })

  it('declares tools the history uses even when the request offers none (Converse requires toolConfig then)', () => {
    const { body, warnings } = enc({
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Weather?' }] },
        { role: 'assistant', parts: [{ type: 'text', text: '   ' }, { type: 'tool-call', id: 'call.1', name: 'get_weather', arguments: '{"city":"Paris"}' }] },
        { role: 'user', parts: [{ type: 'tool-result', callId: 'call.1', content: [{ type: 'text', text: '21C' }] }] },
      ],
    })
    // no blank text block for the assistant turn that only calls a tool; the id made to fit Converse's pattern
    expect(body.messages[1]).toEqual({ role: 'assistant', content: [{ toolUse: { toolUseId: 'call_1', name: 'get_weather', input: { city: 'Paris' } } }] })
    expect(body.messages[2].content).toEqual([{ toolResult: { toolUseId: 'call_1', content: [{ text: '21C' }] } }])
    expect(body.toolConfig.tools).toEqual([{ toolSpec: { name: 'get_weather', description: 'Tool used earlier in this conversation', inputSchema: { json: { type: 'object', properties: {} } } } }])
    expect(warnings.some((w) => w.field === 'tools')).toBe(true)
  })

  it('maps tool choice and marks error results', () => {
    const tools = [{ name: 'f', description: 'd', parameters: { type: 'object', properties: { a: { type: 'string' } } } }]
    expect(enc({ tools, toolChoice: { type: 'required' } }).body.toolConfig).toEqual({ tools: [{ toolSpec: { name: 'f', description: 'd', inputSchema: { json: tools[0]!.parameters } } }], toolChoice: { any: {} } })
    expect(enc({ tools, toolChoice: { type: 'tool', name: 'f' } }).body.toolConfig.toolChoice).toEqual({ tool: { name: 'f' } })
    expect(enc({ tools, toolChoice: { type: 'auto' } }).body.toolConfig.toolChoice).toEqual({ auto: {} })
    const err = enc({ tools, messages: [{ role: 'user', parts: [{ type: 'tool-result', callId: 'x', content: [], isError: true }] }] })
    expect(err.body.messages[0].content[0]).toEqual({ toolResult: { toolUseId: 'x', content: [{ text: '(no output)' }], status: 'error' } })
  })

  it('sends images and documents as bytes, refuses audio and web URLs', () => {
    const { body } = enc({
      messages: [
        {
          role: 'user',
          parts: [
            { type: 'image', source: { kind: 'base64', mediaType: 'image/jpeg', data: 'AAA=' } },
            { type: 'file', mediaType: 'application/pdf', source: { kind: 'base64', data: 'JVBERi0=' }, filename: 'Q3 report.final.pdf' },
            { type: 'image', source: { kind: 'url', url: 'data:image/webp;base64,UklG' } },
          ],
        },
      ],
    })
    expect(body.messages[0].content).toEqual([
      { image: { format: 'jpeg', source: { bytes: 'AAA=' } } },
      { document: { format: 'pdf', name: 'Q3 report-final', source: { bytes: 'JVBERi0=' } } },
      { image: { format: 'webp', source: { bytes: 'UklG' } } },
    ])
    const audio = () => enc({ messages: [{ role: 'user', parts: [{ type: 'file', mediaType: 'audio/wav', source: { kind: 'base64', data: 'UklG' }, at: 'messages[0].content[0]' }] }] })
    expect(audio).toThrow(/messages\[0\]\.content\[0\]: audio input cannot be sent to bedrock-converse/)
    const url = () => enc({ messages: [{ role: 'user', parts: [{ type: 'image', source: { kind: 'url', url: 'https://x/cat.png' } }] }] })
    expect(url).toThrow(GatewayError)
  })

  it('sends its own reasoning back with the signature, drops foreign reasoning, asks Claude to think', () => {
    const { body, warnings } = enc({
      maxTokens: 2000,
      reasoning: { enabled: true, budgetTokens: 4000 },
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'Q' }] },
        {
          role: 'assistant',
          parts: [
            { type: 'reasoning', text: 'mine', signature: { origin: 'bedrock-converse', value: 'sigB' } },
            { type: 'reasoning', text: 'theirs', signature: { origin: 'anthropic', value: 'sigA' } },
            { type: 'text', text: 'A' },
          ],
        },
        { role: 'user', parts: [{ type: 'text', text: 'More' }] },
      ],
    })
    expect(body.messages[1].content).toEqual([{ reasoningContent: { reasoningText: { text: 'mine', signature: 'sigB' } } }, { text: 'A' }])
    expect(body.additionalModelRequestFields).toEqual({ thinking: { type: 'enabled', budget_tokens: 4000 } })
    expect(body.inferenceConfig.maxTokens).toBe(8096)
    expect(warnings.map((w) => w.code + '=' + w.field)).toEqual(expect.arrayContaining(['raised=max_tokens', 'dropped=messages[1].content[1]']))
  })

  it('a forced tool while Claude thinks is sent as auto (Claude refuses it), warned', () => {
    const tools = [{ name: 'f', parameters: {} }]
    const r = enc({ tools, toolChoice: { type: 'tool', name: 'f' }, reasoning: { enabled: true } })
    expect(r.body.toolConfig.toolChoice).toEqual({ auto: {} })
    expect(r.warnings.some((w) => w.field === 'tool_choice')).toBe(true)
    // not a Claude model: no thinking is asked, the choice stays
    expect(enc({ model: 'amazon.nova-pro-v1:0', tools, toolChoice: { type: 'tool', name: 'f' }, reasoning: { enabled: true } }).body.toolConfig.toolChoice).toEqual({ tool: { name: 'f' } })
  })

  it('merges same-role turns and keeps cache points', () => {
    const { body } = enc({
      system: [{ type: 'text', text: 'S', cacheControl: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', parts: [{ type: 'text', text: 'a' }] },
        { role: 'user', parts: [{ type: 'text', text: 'b' }] },
      ],
    })
    expect(body.system).toEqual([{ text: 'S' }, { cachePoint: { type: 'default' } }])
    expect(body.messages).toEqual([{ role: 'user', content: [{ text: 'a' }, { text: 'b' }] }])
  })
})
