/**
 * Signatures, the whole loop: the upstream answers with a signed part → the client receives it in its
 * own dialect → the client's NEXT TURN sends that assistant message back → the same upstream must get
 * its own signature verbatim (wrapSignature/unwrapSignature when it rode in a foreign field).
 */
import { describe, it, expect } from 'vitest'
import type { DialectName, IRResponse } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { SignatureCache } from '../../../server/gateway/signature-cache'
import { DUMMY_THOUGHT_SIGNATURE } from '../../../server/gateway/dialects/gemini'
import { PAIRS } from './helpers'
import { FOLLOW_UP, MODEL, USER, ownSignature } from './builders'
import { REASONING, responseCase } from './builders/responses'

type J = any

/** The assistant message a client would put in its history, from the response body it received. */
function assistantFromWire(client: DialectName, wire: J): J {
  if (client === 'openai-chat') return wire.choices[0].message
  if (client === 'anthropic') return { role: 'assistant', content: wire.content }
  // a Responses client (Codex, openai SDK with store: false) appends the output items to its input
  if (client === 'openai-responses') return wire.output
  return wire.candidates[0].content
}

/** The next turn in the client's dialect: history + (optional tool answer) + a new user message. */
function nextTurn(client: DialectName, assistant: J, toolAnswer?: { id: string; name: string; text: string }) {
  if (client === 'openai-chat') {
    const msgs: J[] = [{ role: 'user', content: USER }, assistant]
    msgs.push(toolAnswer ? { role: 'tool', tool_call_id: toolAnswer.id, content: toolAnswer.text } : { role: 'user', content: FOLLOW_UP })
    return { body: { model: MODEL, messages: msgs }, ctx: { model: MODEL, stream: false } }
  }
  if (client === 'openai-responses') {
    const input: J[] = [{ role: 'user', content: USER }, ...assistant]
    input.push(toolAnswer ? { type: 'function_call_output', call_id: toolAnswer.id, output: toolAnswer.text } : { role: 'user', content: FOLLOW_UP })
    return { body: { model: MODEL, store: false, input, include: ['reasoning.encrypted_content'] }, ctx: { model: MODEL, stream: false } }
  }
  if (client === 'anthropic') {
    const last = toolAnswer ? [{ type: 'tool_result', tool_use_id: toolAnswer.id, content: toolAnswer.text }] : FOLLOW_UP
    const body = { model: MODEL, max_tokens: 30000, thinking: { type: 'enabled', budget_tokens: 8192 }, messages: [{ role: 'user', content: USER }, assistant, { role: 'user', content: last }] }
    return { body, ctx: { model: MODEL, stream: false } }
  }
  const last = toolAnswer ? { functionResponse: { name: toolAnswer.name, response: JSON.parse(toolAnswer.text) } } : { text: FOLLOW_UP }
  return { body: { contents: [{ role: 'user', parts: [{ text: USER }] }, assistant, { role: 'user', parts: [last] }] }, ctx: { model: MODEL, stream: false } }
}

/** Where loop() leaves the upstream's own response body (not part of the JSON). */
const UP_WIRE = Symbol('upWire')

/** proxy.ts, both legs: upstream body → client body; client next turn → upstream body. */
function loop(client: DialectName, upstream: DialectName, ir: IRResponse, opts: { stripGeminiIds?: boolean; cache?: SignatureCache } = {}) {
  const upWire: J = JSON.parse(JSON.stringify(CODECS[upstream].encodeResponse(ir, 'upstream-model')))
  // the real Gemini API sends function calls without ids
  if (opts.stripGeminiIds) for (const p of upWire.candidates[0].content.parts) if (p.functionCall) delete p.functionCall.id
  const decoded = CODECS[upstream].decodeResponse(upWire)
  opts.cache?.remember(decoded.parts)
  const clientWire: J = JSON.parse(JSON.stringify(CODECS[client].encodeResponse(decoded, 'client-model')))
  const assistant = assistantFromWire(client, clientWire)
  const call = decoded.parts.find((p) => p.type === 'tool-call')
  const answer = call?.type === 'tool-call' ? { id: call.id, name: call.name, text: '{"temp":21}' } : undefined
  const { body, ctx } = nextTurn(client, assistant, answer)
  const req = CODECS[client].decodeRequest(body, ctx)
  const upReq = { ...req, extras: req.extras?.[upstream] ? { [upstream]: req.extras[upstream] } : undefined }
  opts.cache?.restore(upReq.messages)
  const upBody = CODECS[upstream].encodeRequest(upReq).body as J
  return Object.assign(upBody, { [UP_WIRE]: upWire })
}


describe.each(PAIRS)('reasoning signature loop: %s client, %s upstream', (client, upstream) => {
  it('the upstream gets its own thinking signature back on the next turn', () => {
    const sig = ownSignature(upstream)
    const body = loop(client, upstream, responseCase('thinking', upstream))
    const wire = JSON.stringify(body)
    expect(wire).not.toContain('rsig1.')
    if (upstream === 'anthropic') {
      expect(body.messages[1].content[0]).toEqual({ type: 'thinking', thinking: REASONING, signature: sig.value })
    } else if (upstream === 'gemini') {
      expect(body.contents[1].parts[0]).toEqual({ text: REASONING, thought: true, thoughtSignature: sig.value })
    } else if (upstream === 'openai-responses') {
      // the reasoning item goes back with the upstream's own item id and encrypted_content, stateless
      const upItem = body[UP_WIRE].output[0]
      expect(upItem).toMatchObject({ type: 'reasoning', id: expect.stringMatching(/^rs_/), encrypted_content: sig.value })
      expect(body.input[1]).toEqual({ type: 'reasoning', id: upItem.id, summary: [{ type: 'summary_text', text: REASONING }], encrypted_content: sig.value })
      expect(body.input.filter((x: J) => x.type === 'reasoning')).toHaveLength(1)
      expect(wire).not.toContain('rsid1.')
      expect(body.store).toBe(false)
      expect(body.include).toContain('reasoning.encrypted_content')
    } else {
      // Chat Completions has no signature field: the reasoning text goes back, the signature cannot
      expect(body.messages[1].reasoning_content).toBe(REASONING)
      expect(wire).not.toContain(sig.value)
    }
  })
})

describe.each(['openai-chat', 'openai-responses', 'anthropic', 'gemini'] as DialectName[])('Gemini function-call signature loop: %s client', (client) => {
  const ir: IRResponse = {
    id: 'resp_1',
    model: 'gemini-3-pro',
    created: 1,
    parts: [{ type: 'tool-call', id: 'x', name: 'get_weather', arguments: '{"city":"Paris"}', signature: { origin: 'gemini', value: 'CiQBfcSig==' } }],
    finish: { unified: 'tool-calls' },
    usage: { inputTokens: 10, outputTokens: 5 },
  }

  it('with the proxy signature cache, Gemini gets its functionCall thoughtSignature back', () => {
    const body = loop(client, 'gemini', ir, { stripGeminiIds: true, cache: new SignatureCache() })
    expect(body.contents[1]).toEqual({ role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: 'CiQBfcSig==' }] })
    expect(body.contents[2]).toEqual({ role: 'user', parts: [{ functionResponse: { name: 'get_weather', response: { temp: 21 } } }] })
  })

  it('through the codecs alone, only clients with a field for it carry it (Anthropic and Responses get the dummy)', () => {
    const body = loop(client, 'gemini', ir, { stripGeminiIds: true })
    // a Responses function_call item has no field for a call signature (encode-response.ts)
    const noField = client === 'anthropic' || client === 'openai-responses'
    expect(body.contents[1].parts[0].thoughtSignature).toBe(noField ? DUMMY_THOUGHT_SIGNATURE : 'CiQBfcSig==')
  })
})
