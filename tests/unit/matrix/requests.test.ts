/**
 * Requests across the matrix: a realistic client body in the CLIENT dialect → client decodeRequest →
 * upstream encodeRequest, asserting the upstream wire body concretely (same meaning from every client).
 */
import { describe, it, expect } from 'vitest'
import { CODECS } from '../../../server/gateway/registry'
import { PAIRS } from './helpers'
import { REQUEST_BUILDERS, REQUEST_CASES, foreignSignature, ownSignature } from './builders'
import { UPSTREAM_EXPECT } from './upstream-expectations'

function convert(client: (typeof PAIRS)[number][0], upstream: (typeof PAIRS)[number][1], c: (typeof REQUEST_CASES)[number]) {
  const { body, ctx } = REQUEST_BUILDERS[client][c](upstream)
  const ir = CODECS[client].decodeRequest(structuredClone(body), ctx)
  // as proxy.ts does: only the upstream's own extras travel
  const upReq = { ...ir, extras: ir.extras?.[upstream] ? { [upstream]: ir.extras[upstream] } : undefined }
  return { ir, enc: CODECS[upstream].encodeRequest(upReq) }
}

describe.each(PAIRS)('request %s client → %s upstream', (client, upstream) => {
  it.each(REQUEST_CASES)('%s', (c) => {
    const { enc } = convert(client, upstream, c)
    UPSTREAM_EXPECT[upstream][c](enc, client)
  })

  it('thinking: only the upstream-origin signature reaches the upstream, never a foreign one', () => {
    const { ir, enc } = convert(client, upstream, 'thinking')
    const sigs = ir.messages[1]!.parts.flatMap((p) => (p.type === 'reasoning' && p.signature ? [p.signature] : []))
    expect(sigs).toEqual([ownSignature(upstream), foreignSignature(upstream)])
    const wire = JSON.stringify(enc.body)
    expect(wire).not.toContain(foreignSignature(upstream).value)
    expect(wire).not.toContain('rsig1.')
    // OpenAI Chat Completions has no field for a signature; the others must get theirs back verbatim
    expect(wire.includes(ownSignature(upstream).value)).toBe(upstream !== 'openai-chat')
  })
})
