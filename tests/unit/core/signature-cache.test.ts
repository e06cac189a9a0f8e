import { describe, expect, it } from 'vitest'
import { SignatureCache } from '../../../server/gateway/signature-cache'
import type { IRPart } from '../../../server/gateway/ir'

describe('signature cache', () => {
  it('restores a tool-call signature by id, only where none is present', () => {
    const c = new SignatureCache()
    c.remember([{ type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}', signature: { origin: 'gemini', value: 'S1' } }])
    const parts: IRPart[] = [
      { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}' },
      { type: 'tool-call', id: 'call_2', name: 'f', arguments: '{}' },
      { type: 'tool-call', id: 'call_1', name: 'f', arguments: '{}', signature: { origin: 'anthropic', value: 'KEEP' } },
    ]
    c.restore([{ parts }])
    expect(parts.map((p) => (p.type === 'tool-call' ? p.signature?.value : null))).toEqual(['S1', undefined, 'KEEP'])
  })

  it('is bounded: the oldest entry goes first', () => {
    const c = new SignatureCache(2)
    for (const id of ['a', 'b', 'c']) c.put(id, { origin: 'gemini', value: id })
    const parts: IRPart[] = ['a', 'b', 'c'].map((id) => ({ type: 'tool-call', id, name: 'f', arguments: '{}' }))
    c.restore([{ parts }])
    expect(parts.map((p) => (p.type === 'tool-call' ? p.signature?.value ?? null : null))).toEqual([null, 'b', 'c'])
  })

  it('entries expire', () => {
    const c = new SignatureCache(10, -1)
    c.put('a', { origin: 'gemini', value: 'x' })
    const parts: IRPart[] = [{ type: 'tool-call', id: 'a', name: 'f', arguments: '{}' }]
    c.restore([{ parts }])
    expect((parts[0] as any).signature).toBeUndefined()
  })
})
