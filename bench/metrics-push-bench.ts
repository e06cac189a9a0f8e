// The Prometheus side's cost per finished request (GatewayMetrics.push, a LogSink on the event loop):
// a typical same-dialect entry pushed in a loop, in process. `npm run bench:metrics`.
// Env: BENCH_N (300000 pushes per round), BENCH_REPS (7 rounds; the first is warm-up and not counted).
import { GatewayMetrics, type MetricsSources } from '../server/services/ops/metrics'
import type { RequestLogEntry } from '../server/gateway/log-entry'
import { summary, fmt } from './lib/stats.mjs'

const N = Number(process.env.BENCH_N ?? 300_000)
const REPS = Number(process.env.BENCH_REPS ?? 7)
const snap = { models: new Set(['gpt-bench']) }
const sources = { version: 'bench', snapshot: () => snap, logQueue: () => ({ dropped: 0, written: 0 }) } as unknown as MetricsSources
const m = new GatewayMetrics(sources, { defaultMetrics: false })
const entry = {
  dialect: 'openai',
  providerId: 'mock',
  model: 'gpt-bench',
  upstreamModel: 'gpt-bench',
  status: 200,
  stream: false,
  latencyMs: 0.4,
  attempts: [{ provider: 'mock', model: 'gpt-bench', keyId: 1, status: 200, errorKind: null, latencyMs: 0.3 }],
  errorKind: null,
  ttfbMs: 0.3,
  usage: { inputTokens: 10, outputTokens: 20 },
} as unknown as RequestLogEntry
const ns: number[] = []
for (let r = 0; r < REPS; r++) {
  const t = process.hrtime.bigint()
  for (let i = 0; i < N; i++) m.push(entry)
  if (r > 0) ns.push(Number(process.hrtime.bigint() - t) / N)
}
// The pushes must show in what Prometheus reads, or the loop measured nothing.
const text = await m.registry.getSingleMetricAsString('rosetta_requests_total')
if (!text.includes(`rosetta_requests_total{dialect="openai",model="gpt-bench",provider="mock",status_class="2xx"} ${N * REPS}`)) throw new Error(`the pushes are not in /metrics:\n${text.slice(0, 2000)}`)
console.log(`GatewayMetrics.push: ${fmt(summary(ns), 0)} ns per request (median (min–max) of ${REPS - 1} rounds of ${N})`)
