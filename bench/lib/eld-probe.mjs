// Preloaded into every process under test (`node --import`): its event-loop delay, on request.
// SIGUSR2 writes the percentiles since the last request to $BENCH_ELD_DIR/<pid>.json and starts over,
// so the bench reads the delay of each leg (bench/lib/eld.mjs). Nothing happens without the variable.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

const dir = process.env.BENCH_ELD_DIR
if (dir) {
  // The histogram holds whole probe intervals (1 ms plus the delay); eld.mjs subtracts the interval.
  const h = monitorEventLoopDelay({ resolution: 1 })
  h.enable()
  let seq = 0
  process.on('SIGUSR2', () => {
    const ms = (p) => h.percentile(p) / 1e6
    writeFileSync(join(dir, `${process.pid}.json`), JSON.stringify({ seq: ++seq, p50: ms(50), p99: ms(99), p999: ms(99.9), max: h.max / 1e6, n: h.count }))
    h.reset()
  })
}
