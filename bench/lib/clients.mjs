// Load generators, all in the bench process: a sequential 1-connection client (µs timing; autocannon
// histograms are whole milliseconds), autocannon for the 50-connection legs, and an SSE client that
// timestamps every chunk.
import { Pool } from 'undici'
import autocannon from 'autocannon'
import { percentiles } from './stats.mjs'

const now = () => Number(process.hrtime.bigint()) / 1e6 // ms, CLOCK_MONOTONIC

/** One connection, one request after another, for `ms`. Latency = send → last body byte. */
export async function latencyLeg(t, ms) {
  const pool = new Pool(t.origin, { connections: 1, pipelining: 1 })
  const lat = []
  let errors = 0
  try {
    const end = now() + ms
    while (now() < end) {
      const t0 = now()
      try {
        const r = await pool.request({ path: t.path, method: t.method, headers: t.headers, body: t.body })
        await r.body.arrayBuffer()
        if (r.statusCode !== 200) errors++
        else lat.push(now() - t0)
      } catch {
        errors++
      }
    }
  } finally {
    await pool.close()
  }
  return { requests: lat.length, errors, ...percentiles(lat, [50, 90, 99, 99.9]) }
}

/** autocannon at `connections` for `seconds`; p50/p99 from per-response float ms (not the ms histogram). */
export function throughputLeg(t, connections, seconds, { keepLatencies = true } = {}) {
  return new Promise((resolve, reject) => {
    const lat = []
    const inst = autocannon(
      { url: t.origin + t.path, method: t.method, headers: t.headers, body: t.body, connections, duration: seconds, pipelining: 1 },
      (err, res) => {
        if (err) return reject(err)
        const ok = res['2xx']
        resolve({
          requests: ok,
          rps: ok / (res.duration || seconds),
          errors: res.errors + res.timeouts + res.non2xx,
          ...(keepLatencies ? percentiles(lat, [50, 99, 99.9]) : { p50: res.latency.p50, p99: res.latency.p99 }),
        })
      },
    )
    if (keepLatencies) inst.on('response', (_c, status, _b, rt) => status === 200 && lat.push(rt))
  })
}

const STAMP = /T(\d{6,})\./g

/**
 * One SSE request. ttfc = send → first body chunk. Every `T<ns>.` stamp (written by the mock just
 * before its write) gives that frame's delivery latency: receipt − stamp, on the shared monotonic clock.
 */
export async function sseOnce(pool, t, { collect = true } = {}) {
  const t0 = process.hrtime.bigint()
  const r = await pool.request({ path: t.path, method: 'POST', headers: t.headers, body: t.body })
  if (r.statusCode !== 200) {
    await r.body.dump()
    throw new Error(`status ${r.statusCode}`)
  }
  let ttfc
  let frames = 0
  let pending = ''
  let done = false
  const delivery = []
  const arrivals = []
  for await (const chunk of r.body) {
    const at = process.hrtime.bigint()
    if (ttfc === undefined) ttfc = Number(at - t0) / 1e6
    pending += chunk.toString('latin1')
    let last = 0
    STAMP.lastIndex = 0
    for (let m; (m = STAMP.exec(pending)); ) {
      frames++
      last = STAMP.lastIndex
      if (collect) {
        delivery.push(Number(at - BigInt(m[1])) / 1e6)
        arrivals.push(Number(at) / 1e6)
      }
    }
    if (!done && (pending.includes('[DONE]') || pending.includes('message_stop'))) done = true
    pending = pending.slice(Math.max(last, pending.length - 64))
  }
  return { ttfc, frames, done, delivery, arrivals }
}

/** `n` streams, one at a time, over one keep-alive connection. */
export async function sseLeg(t, n, expectFrames) {
  const pool = new Pool(t.origin, { connections: 1, pipelining: 1 })
  const ttfc = []
  const delivery = []
  const gaps = []
  let errors = 0
  try {
    for (let i = 0; i < n; i++) {
      try {
        const s = await sseOnce(pool, t)
        if (!s.done || s.frames !== expectFrames) errors++
        ttfc.push(s.ttfc)
        // Frame 0 is part of TTFC; the paced frames after it measure the relay itself.
        delivery.push(...s.delivery.slice(1))
        for (let k = 1; k < s.arrivals.length; k++) gaps.push(s.arrivals[k] - s.arrivals[k - 1])
      } catch {
        errors++
      }
    }
  } finally {
    await pool.close()
  }
  const pt = percentiles(ttfc, [50, 99])
  const pd = percentiles(delivery, [50, 99])
  const pg = percentiles(gaps, [50, 99])
  return { streams: ttfc.length, errors, ttfcP50: pt.p50, ttfcP99: pt.p99, chunkP50: pd.p50, chunkP99: pd.p99, gapP50: pg.p50, gapP99: pg.p99 }
}

/** `n` streams at once, each on its own connection; every frame counted. */
export async function concurrentStreams(t, n, expectFrames, timeoutMs = 120_000) {
  const pool = new Pool(t.origin, { connections: n, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs })
  const t0 = now()
  let ok = 0
  let frames = 0
  const errs = {}
  try {
    await Promise.all(
      Array.from({ length: n }, () =>
        sseOnce(pool, t, { collect: false }).then(
          (s) => {
            frames += s.frames
            if (s.done && s.frames === expectFrames) ok++
            else errs[`incomplete(${s.frames} frames${s.done ? '' : ', no end'})`] = (errs[`incomplete(${s.frames} frames${s.done ? '' : ', no end'})`] ?? 0) + 1
          },
          (e) => (errs[String(e?.code ?? e?.message ?? e)] = (errs[String(e?.code ?? e?.message ?? e)] ?? 0) + 1),
        ),
      ),
    )
  } finally {
    await pool.close()
  }
  return { streams: n, ok, errors: n - ok, errorKinds: errs, frames, expectedFrames: n * expectFrames, wallMs: now() - t0 }
}

/** A Rosetta's request-log counters from its /metrics (since it started): rows written and dropped, bodies dropped. */
export async function logCounts(origin, adminKey) {
  const text = await (await fetch(`${origin}/metrics`, { headers: { authorization: `Bearer ${adminKey}` } })).text()
  const read = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? NaN)
  return { written: read('rosetta_log_written_total'), dropped: read('rosetta_log_dropped_total'), bodiesDropped: read('rosetta_log_bodies_dropped_total') }
}
