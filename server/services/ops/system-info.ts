import { statfs } from 'node:fs/promises'
import { cpus, freemem, loadavg, totalmem } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'

const MB = 1024 * 1024
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d

/**
 * Process-level readings for /health/detailed. The event-loop histogram is reset after each read,
 * so its numbers cover the time since the previous look (or since boot).
 */
export class SystemInfo {
  private loop: ReturnType<typeof monitorEventLoopDelay>
  private lastCpu = process.cpuUsage()
  private lastAt = performance.now()

  constructor() {
    this.loop = monitorEventLoopDelay({ resolution: 20 })
    this.loop.enable()
  }

  memory() {
    const m = process.memoryUsage()
    return {
      rssMb: round(m.rss / MB),
      heapUsedMb: round(m.heapUsed / MB),
      heapTotalMb: round(m.heapTotal / MB),
      externalMb: round(m.external / MB),
      systemTotalMb: round(totalmem() / MB, 0),
      systemFreeMb: round(freemem() / MB, 0),
    }
  }

  /** Process CPU use since the previous call, as a percentage of one core. */
  cpu() {
    const now = performance.now()
    const d = process.cpuUsage(this.lastCpu)
    const elapsedMs = Math.max(now - this.lastAt, 1)
    this.lastCpu = process.cpuUsage()
    this.lastAt = now
    return { percent: round(((d.user + d.system) / 1000 / elapsedMs) * 100), cores: cpus().length, loadAvg: loadavg().map((n) => round(n, 2)) }
  }

  eventLoop() {
    const h = this.loop
    const ms = (ns: number) => (Number.isFinite(ns) ? round(ns / 1e6, 2) : null)
    const out = { meanMs: ms(h.mean), p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) }
    h.reset()
    return out
  }

  /** Free space where the database lives (null for :memory: or when statfs is unsupported). */
  async disk(dir: string | null) {
    if (!dir) return null
    try {
      const s = await statfs(dir)
      return { path: dir, freeMb: round((s.bavail * s.bsize) / MB, 0), totalMb: round((s.blocks * s.bsize) / MB, 0) }
    } catch {
      return null
    }
  }

  stop(): void {
    this.loop.disable()
  }
}
