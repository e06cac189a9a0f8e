/**
 * The log encoder thread's entry (built into .output/server/log-encoder-worker.mjs by
 * modules/log-encoder-worker.ts): row extraction, body redaction and reassembly, JSON encoding and
 * UTF-8 conversion of the request log, off the event loop that serves requests. The event loop keeps
 * the database connections and binds the finished chunks.
 */
import { deserialize } from 'node:v8'
import { parentPort } from 'node:worker_threads'
import type { BatchTable } from '../batch-inserter'
import { ChunkBuilder, type ChunkLimits } from './encode-rows'
import type { FromEncoder, ToEncoder } from './encoder-protocol'
import { threadTable } from './log-tables'

interface Stream {
  spec: BatchTable<unknown>
  limits: ChunkLimits
  builder: ChunkBuilder<unknown> | null
}

const port = parentPort
if (!port) throw new Error('log-encoder-worker runs as a worker thread only')
const streams = new Map<number, Stream>()

port.on('message', (m: ToEncoder) => {
  switch (m.t) {
    case 'open':
      streams.set(m.s, { spec: threadTable(m.table, m.opts), limits: m.limits, builder: null })
      return
    case 'add': {
      const st = streams.get(m.s)
      if (!st) return
      // Encoded as they arrive, so a flush only joins what is ready.
      st.builder ??= new ChunkBuilder(st.spec, st.limits)
      for (const item of deserialize(m.bytes) as unknown[]) st.builder.add(item)
      return
    }
    case 'flush': {
      const st = streams.get(m.s)
      const batch = st?.builder ? st.builder.finish() : { chunks: [], dropped: 0, errors: [] }
      if (st) st.builder = null
      const reply: FromEncoder = { t: 'flushed', s: m.s, id: m.id, batch }
      // The chunks' bytes move to the event loop without a copy.
      port.postMessage(reply, batch.chunks.flatMap((c) => (typeof c.payload === 'string' ? [] : [c.payload.buffer as ArrayBuffer])))
      return
    }
    case 'close':
      streams.delete(m.s)
  }
})
