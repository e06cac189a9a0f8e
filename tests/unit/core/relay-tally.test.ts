import { describe, expect, it } from 'vitest'
import type { ServerResponse } from 'node:http'
import type { DialectCodec } from '../../../server/gateway/codec'
import { pipeStream, type RelayStats } from '../../../server/gateway/http/relay'
import { CODECS } from '../../../server/gateway/registry'
import { FakeRes } from '../../helpers/fake-response'
import { recordedStreams, wireChunks, type RecordedStream } from '../../helpers/recorded-streams'

/**
 * A same-dialect relay decodes, after the first event, only the frames its codec's isTallyFrame names
 * (usage, finish, errors) and any frame that does not look like a whole JSON object. Over every
 * recorded stream it must tally exactly what decoding every frame tallies — usage, error, a complete
 * end — while decoding far fewer frames.
 */
const cases = recordedStreams()
// Servers that leave `event:` out: the data alone must tell a tally frame.
const unnamed: RecordedStream[] = cases.filter((c) => c.dialect !== 'openai-chat').map((c) => ({ ...c, name: `${c.name} (no event names)`, msgs: c.msgs.map((m) => ({ data: m.data })) }))

/** The codec with its decoder's push calls counted; `tally: false` drops isTallyFrame (every frame decoded). */
function counted(codec: DialectCodec, tally: boolean): { codec: DialectCodec; pushes: () => number } {
  let n = 0
  const wrapped: DialectCodec = {
    ...codec,
    isTallyFrame: tally ? codec.isTallyFrame : undefined,
    createStreamDecoder() {
      const d = codec.createStreamDecoder()
      return { ...d, push: (m) => (n++, d.push(m)), unparseable: () => d.unparseable() }
    },
  }
  return { codec: wrapped, pushes: () => n }
}

async function relay(c: RecordedStream, tally: boolean): Promise<{ stats: RelayStats | Error; pushes: number; text: string }> {
  const { codec, pushes } = counted(CODECS[c.dialect], tally)
  const chunks = wireChunks(c)
  async function* body() {
    yield* chunks
  }
  const res = new FakeRes()
  const cx = { t0: performance.now(), provider: 'up', signal: { aborted: false } }
  const stats = await pipeStream(body() as never, res as unknown as ServerResponse, codec, codec, 'm', cx).catch((e: Error) => e)
  return { stats, pushes: pushes(), text: res.text }
}

const summary = (s: RelayStats | Error) => (s instanceof Error ? { threw: s.message } : { usage: s.usage, error: s.error, cancelled: s.cancelled, unparseable: s.unparseable })

describe('same-dialect relay: tally frames only', () => {
  it.each([...cases, ...unnamed].map((c) => [c.name, c] as const))('%s: the same tally as decoding every frame', async (_name, c) => {
    const all = await relay(c, false)
    const some = await relay(c, true)
    expect(summary(some.stats)).toEqual(summary(all.stats))
    expect(some.text).toBe(all.text)
    expect(some.pushes).toBeLessThanOrEqual(all.pushes)
  })

  it('skips the deltas: a long recorded stream decodes a handful of frames', async () => {
    const long = cases.filter((c) => c.msgs.length > 40)
    expect(long.length).toBeGreaterThan(3)
    for (const c of long) {
      const all = await relay(c, false)
      const some = await relay(c, true)
      // Every delta frame was decoded before; now the first few and the tally frames.
      expect(some.pushes, c.name).toBeLessThan(all.pushes / 4)
    }
  })

  it('a frame cut short in the middle is still decoded, so it is counted', async () => {
    const c = cases.find((x) => x.dialect === 'anthropic' && x.msgs.length > 6)!
    const broken: RecordedStream = { ...c, msgs: [...c.msgs.slice(0, 4), { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_del' }, ...c.msgs.slice(4)] }
    const some = await relay(broken, true)
    expect(some.stats).not.toBeInstanceOf(Error)
    expect((some.stats as RelayStats).unparseable).toBe(1)
  })

  it('an error event mid-stream is decoded and reported', async () => {
    const c = cases.find((x) => x.dialect === 'openai-chat' && x.msgs.length > 10)!
    const err = { data: JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }) }
    const some = await relay({ ...c, msgs: [...c.msgs.slice(0, 5), err] }, true)
    expect((some.stats as RelayStats).error?.message).toContain('overloaded')
  })
})
