// Reads a process's event-loop delay through bench/lib/eld-probe.mjs: signal it, wait for its file.
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

export const ELD_DIR = mkdtempSync(join(tmpdir(), 'rosetta-bench-eld-'))
/** The node flag that preloads the probe, and the variable that turns it on. */
export const ELD_ARGS = [`--import=${fileURLToPath(new URL('./eld-probe.mjs', import.meta.url))}`]
export const ELD_ENV = { BENCH_ELD_DIR: ELD_DIR }
const PROBE_MS = 1

const last = new Map()

/** Event-loop delay (ms beyond the probe's 1 ms interval) since the previous call for this pid. */
export async function eventLoopDelay(pid) {
  const file = join(ELD_DIR, `${pid}.json`)
  const before = last.get(pid)
  process.kill(pid, 'SIGUSR2')
  for (let i = 0; i < 200; i++) {
    try {
      const j = JSON.parse(readFileSync(file, 'utf8'))
      if (j.seq !== before) {
        last.set(pid, j.seq)
        const d = (x) => Math.max(0, x - PROBE_MS)
        return { p50: d(j.p50), p99: d(j.p99), p999: d(j.p999), max: d(j.max), n: j.n }
      }
    } catch {
      /* not written yet, or half written */
    }
    await sleep(5)
  }
  return { p50: NaN, p99: NaN, p999: NaN, max: NaN, n: 0 }
}
