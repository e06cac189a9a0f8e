import { describe, expect, it } from 'vitest'
import { Readable } from 'node:stream'
import { readBounded, readErrorText } from '../../../server/gateway/upstream/read-bounded'
import { CappedEvents } from '../../../server/gateway/capture-events'
import { createSSEReader } from '../../../server/gateway/sse'
import { maxResponseBytes, setMaxResponseBytes } from '../../../server/gateway/upstream/response-limit'

/** A lazily generated body: counts the chunks actually pulled, so a test can tell "not read whole". */
function lazyBody(chunks: number, size: number) {
  const pulled = { n: 0 }
  const body = Readable.from(
    (function* () {
      for (let i = 0; i < chunks; i++) {
        pulled.n++
        yield Buffer.alloc(size, 97)
      }
    })(),
  )
  return { body, pulled }
}

describe('non-streamed upstream answers are bounded', () => {
  it('reads an answer within the limit, UTF-8 split across chunks included', async () => {
    const euro = Buffer.from('€uro', 'utf8')
    const body = Readable.from([euro.subarray(0, 1), euro.subarray(1)])
    expect(await readBounded({ headers: {}, body } as never, 'p', 100)).toBe('€uro')
  })

  it('reassembles a many-chunk answer exactly as it grows its buffer', async () => {
    const parts = Array.from({ length: 300 }, (_, i) => Buffer.from(`{"i":${i},"t":"${'é'.repeat(5000)}"}\n`))
    const expected = Buffer.concat(parts).toString('utf8')
    // Re-chunk at odd sizes so multi-byte characters are split between chunks.
    const all = Buffer.concat(parts)
    const chunks: Buffer[] = []
    for (let o = 0; o < all.length; o += 7777) chunks.push(all.subarray(o, o + 7777))
    expect(await readBounded({ headers: {}, body: Readable.from(chunks) } as never, 'p', all.length)).toBe(expected)
    await expect(readBounded({ headers: {}, body: Readable.from(chunks) } as never, 'p', all.length - 1)).rejects.toMatchObject({ kind: 'upstream_error' })
  })

  it('refuses a declared content-length over the limit without reading a byte', async () => {
    const { body, pulled } = lazyBody(1000, 1024)
    await expect(readBounded({ headers: { 'content-length': String(1000 * 1024) }, body } as never, 'big', 64 * 1024)).rejects.toMatchObject({
      kind: 'upstream_error',
      status: 502,
      message: expect.stringContaining("upstream 'big' sent an answer larger than"),
    })
    expect(pulled.n).toBe(0)
    expect(body.destroyed).toBe(true)
  })

  it('stops reading a chunked answer as soon as it passes the limit, and destroys the rest', async () => {
    const { body, pulled } = lazyBody(10_000, 1024)
    await expect(readBounded({ headers: {}, body } as never, 'big', 64 * 1024)).rejects.toMatchObject({ kind: 'upstream_error', status: 502 })
    // 65 chunks pass the limit; the stream may have buffered a little ahead, never the whole body.
    expect(pulled.n).toBeLessThan(200)
    expect(body.destroyed).toBe(true)
  })

  it('error bodies are read to their own bound and then cut', async () => {
    const { body, pulled } = lazyBody(10_000, 1024)
    const text = await readErrorText({ headers: {}, body } as never, 4096)
    expect(text).toBe('a'.repeat(4096))
    expect(pulled.n).toBeLessThan(100)
    expect(body.destroyed).toBe(true)
  })
})

describe('the body log keeps a bounded part of a stream', () => {
  it('keeps deltas up to the cap, then only structural events', () => {
    const ev = new CappedEvents(10)
    ev.push({ type: 'start', id: 'x', model: 'm', created: 0 }, { type: 'text-start', index: 0 })
    for (let i = 0; i < 100; i++) ev.push({ type: 'text-delta', index: 0, text: 'abcd' })
    ev.push({ type: 'text-end', index: 0 }, { type: 'finish', reason: 'stop', usage: { inputTokens: 1, outputTokens: 2 } } as never)
    const deltas = ev.filter((e) => e.type === 'text-delta')
    expect(deltas).toHaveLength(3) // 4 + 4 + 4 chars: the third crosses the cap of 10
    expect(ev.truncated).toBe(true)
    expect(ev.at(-1)?.type).toBe('finish')
    expect(Array.isArray(ev.map((e) => e.type))).toBe(true)
  })
})

describe('a stream event is bounded like an answer', () => {
  it('an SSE event that never ends is an upstream_error once it passes NUXT_MAX_RESPONSE_MB', () => {
    const before = maxResponseBytes()
    setMaxResponseBytes(4096)
    try {
      const got: string[] = []
      const r = createSSEReader((m) => got.push(m.data))
      r.feed('data: small\n\n')
      expect(got).toEqual(['small'])
      expect(() => {
        for (let i = 0; i < 10; i++) r.feed(`data: ${'x'.repeat(1000)}`)
      }).toThrow(/larger than/)
    } finally {
      setMaxResponseBytes(before)
    }
  })
})
