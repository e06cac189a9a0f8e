// What logging costs the event loop (issue 22, item 2): its delay while a server logs a steady 10,000
// requests/s with bodies (metadata and body rows, bodies ~0.5 kB each way as a chat request and answer),
// against the same loop doing the same pushes with nothing written. Three legs, interleaved over
// repetitions: `off` (entries built, nothing written), `inline` (rows encoded on the event loop), `thread`
// (the log encoder thread). Run: npm run bench:log-eld → bench/results/log-eld-latest.md.
// Env: LOG_ELD_RATE (10000 rows/s), LOG_ELD_S (8 s per leg), LOG_ELD_REPS (3), LOG_ELD_LEGS (off,inline,thread).
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs'
import { tmpdir, cpus } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Database } from '../server/services/db/database.ts'
import { RequestLogWriter } from '../server/services/log/request-log-writer.ts'
import { RequestBodyWriter } from '../server/services/log/request-body-writer.ts'
import { summary, fmt } from './lib/stats.mjs'
import { entry, text } from './lib/log-entries.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const RATE = Number(process.env.LOG_ELD_RATE ?? 10_000)
const SECS = Number(process.env.LOG_ELD_S ?? 8)
const REPS = Number(process.env.LOG_ELD_REPS ?? 3)
const OUT = process.env.BENCH_OUT ?? join(HERE, 'results')
const built = join(HERE, '../.output/server/log-encoder-worker.mjs')
const THREAD = { file: existsSync(built) ? built : join(HERE, '../tests/support/ts-encoder-worker.mjs') }
const TICK_MS = 10
const PER_TICK = Math.round((RATE * TICK_MS) / 1000)

/** A request as the hot path captures it: the client's bytes and the answer's text. */
function withBodies(e, i) {
  const q = text(60)
  const a = text(60)
  e.ts = new Date()
  e.requestId = `eld_${i}`
  e.requestBody = new Uint8Array(Buffer.from(JSON.stringify({ model: e.model, max_tokens: 512, messages: [{ role: 'user', content: q }] })))
  e.responseBody = { kind: 'text', text: JSON.stringify({ id: `chatcmpl-${i}`, object: 'chat.completion', model: e.model, choices: [{ index: 0, message: { role: 'assistant', content: a }, finish_reason: 'stop' }], usage: e.usage }) }
  return e
}

async function leg(db, mode) {
  const thread = mode === 'thread' ? THREAD : null
  const meta = mode === 'off' ? null : new RequestLogWriter(db, 200_000, 500, thread)
  const bodies = mode === 'off' ? null : new RequestBodyWriter(() => db.connect(), 64 * 1024, 20_000, 500, undefined, thread)
  // Entries are built ahead, outside the measured loop: the delay measured is the log's, not the generator's.
  const pool = Array.from({ length: PER_TICK * 100 }, (_, i) => withBodies(entry(i, 1), i))
  const loop = monitorEventLoopDelay({ resolution: 1 })
  let n = 0
  const t0 = performance.now()
  loop.enable()
  while (performance.now() - t0 < SECS * 1000) {
    for (let i = 0; i < PER_TICK; i++) {
      const e = { ...pool[n++ % pool.length], requestId: `eld_${mode}_${n}` }
      meta?.push(e)
      bodies?.push(e)
    }
    await new Promise((r) => setTimeout(r, TICK_MS))
  }
  loop.disable()
  const rate = n / ((performance.now() - t0) / 1000)
  await Promise.all([meta?.close(), bodies?.close()])
  // The probe's 1 ms interval is in every sample: the delay is what lies beyond it.
  const d = (p) => Math.max(0, loop.percentile(p) / 1e6 - 1)
  return { rate, p50: d(50), p99: d(99), p999: d(99.9), max: Math.max(0, loop.max / 1e6 - 1), written: [meta?.written ?? 0, bodies?.written ?? 0], dropped: [meta?.dropped ?? 0, bodies?.dropped ?? 0], on: meta?.encodedOn ?? '—' }
}

const dir = mkdtempSync(join(tmpdir(), 'rosetta-log-eld-'))
const db = await Database.open(join(dir, 'eld.duckdb'))
try {
  const MODES = (process.env.LOG_ELD_LEGS ?? 'off,inline,thread').split(',')
  const reps = []
  for (let r = 0; r < REPS; r++) {
    const rep = {}
    for (const mode of MODES.map((_, i) => MODES[(i + r) % MODES.length])) {
      rep[mode] = await leg(db, mode)
      console.error(`rep ${r + 1}/${REPS} ${mode}: ${Math.round(rep[mode].rate)} rows/s, delay p99 ${rep[mode].p99.toFixed(2)} ms, encoded ${rep[mode].on}, written ${rep[mode].written}, dropped ${rep[mode].dropped}`)
    }
    reps.push(rep)
  }
  const S = (f) => summary(reps.map(f))
  const L = [`# Event-loop delay while logging — ${new Date().toISOString()}`, '']
  L.push(`Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model?.trim()}. ${REPS} repetitions of ${SECS} s per leg, legs interleaved; ${RATE.toLocaleString('en')} entries/s pushed to the metadata and body writers (every entry has a ~0.5 kB request and answer). Delay beyond the 1 ms probe interval, median (min–max) over repetitions, ms. Encoder thread: \`${THREAD.file.replace(join(HERE, '..') + '/', '')}\`.`, '')
  L.push('| leg | rows/s | delay p50 | p99 | p99.9 | max | rows written (meta / bodies) |', '|---|---|---|---|---|---|---|')
  for (const m of MODES) L.push(`| ${m} | ${fmt(S((r) => r[m].rate), 0)} | ${fmt(S((r) => r[m].p50), 2)} | ${fmt(S((r) => r[m].p99), 2)} | ${fmt(S((r) => r[m].p999), 2)} | ${fmt(S((r) => r[m].max), 2)} | ${reps.map((r) => r[m].written.join(' / ')).join('; ')} |`)
  const over = (m) => S((r) => r[m].p99 - r.off.p99)
  const vsOff = MODES.includes('off') ? MODES.filter((m) => m !== 'off').map((m) => `${m} − off: ${fmt(over(m), 2)} ms${m === 'thread' ? ` → **${over(m).med <= 1 ? 'PASS' : 'FAIL'}**` : ''}`) : []
  L.push('', `Goal (issue 22): delay p99 while logging within 1 ms of the delay without logging. ${vsOff.join('; ')}.`, '')
  mkdirSync(OUT, { recursive: true })
  writeFileSync(join(OUT, 'log-eld-latest.md'), L.join('\n'))
  console.log(L.join('\n'))
} finally {
  db.close()
  rmSync(dir, { recursive: true, force: true })
}
