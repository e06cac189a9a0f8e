/**
 * Non-streamed responses across the matrix: IRResponse → upstream encodeResponse (the upstream's wire
 * body) → upstream decodeResponse → client encodeResponse → client decodeResponse. The client must see
 * the same text, reasoning, tool calls, finish reason (raw value in its own dialect) and usage.
 */
import { describe, it, expect } from 'vitest'
import type { DialectName, IRPart, IRResponse } from '../../../server/gateway/ir'
import { partsText } from '../../../server/gateway/ir'
import { CODECS } from '../../../server/gateway/registry'
import { PAIRS, callShapes, expectUpstreamSignature, expectUsage } from './helpers'
import { RESPONSE_CASES, WIRE_FINISH, responseCase } from './builders/responses'
import { ownSignature } from './builders'

function viaUpstream(ir: IRResponse, upstream: DialectName): IRResponse {
  const wire = JSON.parse(JSON.stringify(CODECS[upstream].encodeResponse(structuredClone(ir), 'upstream-model')))
  return CODECS[upstream].decodeResponse(wire)
}
function viaClient(ir: IRResponse, client: DialectName): { wire: any; ir: IRResponse } {
  const wire = JSON.parse(JSON.stringify(CODECS[client].encodeResponse(ir, 'client-model')))
  return { wire, ir: CODECS[client].decodeResponse(wire) }
}

const reasoningOf = (parts: IRPart[]) => parts.flatMap((p) => (p.type === 'reasoning' ? [p.text] : [])).join('')
const callsOf = (parts: IRPart[]) => parts.flatMap((p) => (p.type === 'tool-call' ? [p] : []))

describe.each(PAIRS)('response %s client ← %s upstream', (client, upstream) => {
  it.each(RESPONSE_CASES)('%s', (c) => {
    const ir = responseCase(c, upstream)
    const up = viaUpstream(ir, upstream)
    // the upstream's own raw finish value is kept, tagged with its dialect
    expect(up.finish).toMatchObject({ unified: ir.finish.unified, raw: WIRE_FINISH[upstream][ir.finish.unified], rawDialect: upstream })
    const { ir: seen } = viaClient(up, client)

    expect(partsText(seen.parts)).toBe(partsText(ir.parts))
    expect(reasoningOf(seen.parts)).toBe(reasoningOf(ir.parts))
    expect(callShapes(callsOf(seen.parts))).toEqual(callShapes(callsOf(ir.parts)))
    expect(callsOf(seen.parts).map((p) => p.id)).toEqual(callsOf(ir.parts).map((p) => p.id))
    expect(seen.finish.unified).toBe(ir.finish.unified)
    expect(seen.finish.raw).toBe(WIRE_FINISH[client][ir.finish.unified])
    expectUsage(seen.usage, ir.usage, client === 'anthropic' && upstream === 'anthropic')
  })

  it('reasoning signature: the client holds it (wrapped when foreign) and decodes it back to the upstream origin', () => {
    const ir = responseCase('thinking', upstream)
    const up = viaUpstream(ir, upstream)
    const { wire, ir: seen } = viaClient(up, client)
    // what the upstream's decoder made of it (a Responses upstream adds its reasoning item id)
    const sig = up.parts[0]!.type === 'reasoning' ? up.parts[0]!.signature! : undefined
    expectUpstreamSignature(sig, ownSignature(upstream))
    const expected = client === upstream ? sig!.value : `rsig1.${upstream}.${sig!.value}`
    const carried =
      client === 'openai-chat'
        ? wire.choices[0].message.reasoning_details[0].signature
        : client === 'openai-responses'
          ? wire.output[0].encrypted_content
          : client === 'anthropic'
          ? wire.content[0].signature
          : wire.candidates[0].content.parts[0].thoughtSignature
    expect(carried).toBe(expected)
    const seenSig = seen.parts.find((p) => p.type === 'reasoning')
    expect(seenSig?.type === 'reasoning' ? seenSig.signature : undefined).toEqual(sig)
  })
})
