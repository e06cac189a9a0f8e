// The bench report: medians and ratios per leg from the raw repetitions, the goals of issue 22 as
// ratios to the floor measured in the same repetition (PASS/FAIL on their medians), and the Markdown
// table (bench/results/latest.md). `CFG` is run.mjs's configuration.
import { summary, fmt } from './stats.mjs'

export function analyse({ reps, many, mem, soak, logs }, CFG) {
  const S = (f) => summary(reps.map(f))
  const TARGETS = ['mock-openai', 'mock-anthropic', 'floor', 'rosetta-same', 'rosetta-nolog', 'rosetta-converted', 'mock-health', 'nitro-health']
  const BASE = { floor: 'mock-openai', 'rosetta-same': 'mock-openai', 'rosetta-nolog': 'mock-openai', 'rosetta-converted': 'mock-anthropic', 'nitro-health': 'mock-health' }
  const s = { lat: {}, rps: {}, sse: {} }
  for (const n of TARGETS) {
    const b = BASE[n]
    s.lat[n] = {
      p50: S((r) => r.lat[n].p50),
      p99: S((r) => r.lat[n].p99),
      p999: S((r) => r.lat[n]['p99.9']),
      eldP99: S((r) => r.lat[n].eld?.p99),
      ...(b && { addedP50: S((r) => r.lat[n].p50 - r.lat[b].p50), addedP99: S((r) => r.lat[n].p99 - r.lat[b].p99), addedP999: S((r) => r.lat[n]['p99.9'] - r.lat[b]['p99.9']) }),
      errors: reps.reduce((a, r) => a + r.lat[n].errors, 0),
    }
    if (reps[0].rps[n])
      s.rps[n] = {
        rps: S((r) => r.rps[n].rps),
        p50: S((r) => r.rps[n].p50),
        p99: S((r) => r.rps[n].p99),
        p999: S((r) => r.rps[n]['p99.9']),
        eldP99: S((r) => r.rps[n].eld?.p99),
        eldP999: S((r) => r.rps[n].eld?.p999),
        cpuUsPerReq: S((r) => r.rps[n].cpuUsPerReq),
        mockCpuUsPerReq: S((r) => r.rps[n].mockCpuUsPerReq),
        errors: reps.reduce((a, r) => a + r.rps[n].errors, 0),
      }
    if (reps[0].sse[n]) {
      const sb = n === 'floor' || n === 'rosetta-same' || n === 'rosetta-nolog' ? 'mock-openai' : n === 'rosetta-converted' ? 'mock-anthropic' : undefined
      s.sse[n] = {
        ttfcP50: S((r) => r.sse[n].ttfcP50),
        ttfcP99: S((r) => r.sse[n].ttfcP99),
        chunkP50: S((r) => r.sse[n].chunkP50),
        chunkP99: S((r) => r.sse[n].chunkP99),
        gapP99: S((r) => r.sse[n].gapP99),
        eldP99: S((r) => r.sse[n].eld?.p99),
        ...(sb && {
          addedTtfcP50: S((r) => r.sse[n].ttfcP50 - r.sse[sb].ttfcP50),
          addedTtfcP99: S((r) => r.sse[n].ttfcP99 - r.sse[sb].ttfcP99),
          addedChunkP50: S((r) => r.sse[n].chunkP50 - r.sse[sb].chunkP50),
          addedChunkP99: S((r) => r.sse[n].chunkP99 - r.sse[sb].chunkP99),
        }),
        errors: reps.reduce((a, r) => a + r.sse[n].errors, 0),
      }
    }
  }
  // Every goal of issue 22 is a ratio to the floor (or to same-dialect) within one repetition: absolute
  // times on a shared machine move from run to run, the ratios much less.
  const added = (r, n, k) => r.lat[n][k] - r.lat[BASE[n]][k]
  const addedTtfc = (r, n, base) => r.sse[n].ttfcP99 - r.sse[base].ttfcP99
  const ratio = {
    sameVsFloor: S((r) => r.rps['rosetta-same'].rps / r.rps.floor.rps),
    convertedVsSame: S((r) => r.rps['rosetta-converted'].rps / r.rps['rosetta-same'].rps),
    floorVsMock: S((r) => r.rps.floor.rps / r.rps['mock-openai'].rps),
    nitroHealthVsMockHealth: S((r) => r.rps['nitro-health'].rps / r.rps['mock-health'].rps),
    cpuSameVsFloor: S((r) => r.rps['rosetta-same'].cpuUsPerReq / r.rps.floor.cpuUsPerReq),
    cpuConvertedVsFloor: S((r) => r.rps['rosetta-converted'].cpuUsPerReq / r.rps.floor.cpuUsPerReq),
    addedP50VsFloor: S((r) => added(r, 'rosetta-same', 'p50') / added(r, 'floor', 'p50')),
    addedP99VsFloor: S((r) => added(r, 'rosetta-same', 'p99') / added(r, 'floor', 'p99')),
    addedP999VsFloor: S((r) => added(r, 'rosetta-same', 'p99.9') / added(r, 'floor', 'p99.9')),
    ttfcSameVsFloor: S((r) => addedTtfc(r, 'rosetta-same', 'mock-openai') / addedTtfc(r, 'floor', 'mock-openai')),
    ttfcConvertedVsFloor: S((r) => addedTtfc(r, 'rosetta-converted', 'mock-anthropic') / addedTtfc(r, 'floor', 'mock-openai')),
    eldP99SameMinusFloor: S((r) => r.rps['rosetta-same'].eld?.p99 - r.rps.floor.eld?.p99),
  }
  // The same-dialect goals for Rosetta without its request log (a reference leg, not a goal).
  const nolog = {
    rpsVsFloor: S((r) => r.rps['rosetta-nolog'].rps / r.rps.floor.rps),
    cpuVsFloor: S((r) => r.rps['rosetta-nolog'].cpuUsPerReq / r.rps.floor.cpuUsPerReq),
    addedP50VsFloor: S((r) => added(r, 'rosetta-nolog', 'p50') / added(r, 'floor', 'p50')),
    addedP99VsFloor: S((r) => added(r, 'rosetta-nolog', 'p99') / added(r, 'floor', 'p99')),
    ttfcVsFloor: S((r) => addedTtfc(r, 'rosetta-nolog', 'mock-openai') / addedTtfc(r, 'floor', 'mock-openai')),
  }
  const manyOk = (n) => many[n] && many[n].errors === 0 && many[n].frames === many[n].expectedFrames
  const le = (x, bound) => Number.isFinite(x.med) && x.med <= bound
  const goals = [
    { goal: `same-dialect req/s @${CFG.connections} conns ≥ 0.75 × floor`, value: ratio.sameVsFloor, pass: ratio.sameVsFloor.med >= 0.75 },
    { goal: 'translated req/s ≥ 0.85 × same-dialect', value: ratio.convertedVsSame, pass: ratio.convertedVsSame.med >= 0.85 },
    { goal: 'CPU per request (same dialect) ≤ 1.4 × floor', value: ratio.cpuSameVsFloor, pass: le(ratio.cpuSameVsFloor, 1.4) },
    { goal: 'added latency @1 conn, p50 ≤ 1.1 × floor', value: ratio.addedP50VsFloor, pass: le(ratio.addedP50VsFloor, 1.1) },
    { goal: 'added latency @1 conn, p99 ≤ 1.2 × floor', value: ratio.addedP99VsFloor, pass: le(ratio.addedP99VsFloor, 1.2) },
    { goal: 'streaming added TTFC p99 ≤ 1.2 × floor (same dialect)', value: ratio.ttfcSameVsFloor, pass: le(ratio.ttfcSameVsFloor, 1.2) },
    { goal: 'streaming added TTFC p99 ≤ 1.2 × floor (translated)', value: ratio.ttfcConvertedVsFloor, pass: le(ratio.ttfcConvertedVsFloor, 1.2) },
    ...(CFG.streams > 0
      ? [
          {
            goal: `${CFG.streams} concurrent streams, every frame delivered (same + translated)`,
            value: `${many['rosetta-same'].ok}+${many['rosetta-converted'].ok} ok; upstream held ≤ ${Math.max(many['rosetta-same'].maxUpstreamOpen, many['rosetta-converted'].maxUpstreamOpen)} at once`,
            pass: manyOk('rosetta-same') && manyOk('rosetta-converted'),
          },
        ]
      : []),
    { goal: 'RSS idle ≤ 2 × floor', value: `${(mem.rosetta.idleBoot / mem.floor.idleBoot).toFixed(2)} (${mem.rosetta.idleBoot.toFixed(1)} MB vs ${mem.floor.idleBoot.toFixed(1)} MB)`, pass: mem.rosetta.idleBoot <= 2 * mem.floor.idleBoot },
  ]
  const noise = reps.map((r) => {
    const legs = [...Object.values(r.lat), ...Object.values(r.rps), ...Object.values(r.sse)].map((l) => l.noise)
    return { maxForeignCores: Math.max(...legs.map((n) => n.foreignCores)), maxStealCores: Math.max(...legs.map((n) => n.stealCores)) }
  })
  return { summary: s, ratio, nolog, logs, goals, many, mem, soak, noise }
}

export function markdown(a, meta) {
  const { summary: s, ratio, nolog, logs, goals, many, mem, soak, noise } = a
  const ms = (x, d = 3) => fmt(x, d)
  const row = (label, cells) => `| ${label} | ${cells.join(' | ')} |`
  const cols = ['mock-openai', 'mock-anthropic', 'floor', 'rosetta-same', 'rosetta-nolog', 'rosetta-converted']
  const L = []
  L.push(`# Rosetta bench — ${meta.date}`, '')
  L.push(`Node ${meta.node}, ${meta.cpus} × ${meta.cpuModel}, commit ${meta.commit} (+ working tree), build ${meta.build}. ${meta.config.reps} repetitions, legs interleaved; cells are median (min–max) over repetitions. ` +
    `"Added" = target − direct-to-mock in the same repetition (OpenAI mock for floor / same dialect, Anthropic mock for converted). Times in ms.`, '')
  L.push(`| metric | ${cols.join(' | ')} |`, `|---|${cols.map(() => '---').join('|')}|`)
  const pick = (obj, k, d) => cols.map((c) => (obj[c]?.[k] ? ms(obj[c][k], d) : '—'))
  const c = meta.config.connections
  // [label, leg group, field, digits]: one line of the table each.
  const lines = [
    ['1 conn p50', s.lat, 'p50'],
    ['1 conn p99', s.lat, 'p99'],
    ['1 conn p99.9', s.lat, 'p999'],
    ['1 conn added p50', s.lat, 'addedP50'],
    ['1 conn added p99', s.lat, 'addedP99'],
    ['1 conn added p99.9', s.lat, 'addedP999'],
    ['1 conn event-loop delay p99', s.lat, 'eldP99'],
    [`req/s @${c}`, s.rps, 'rps', 0],
    [`p99 @${c}`, s.rps, 'p99', 2],
    [`p99.9 @${c}`, s.rps, 'p999', 2],
    [`event-loop delay p99 @${c}`, s.rps, 'eldP99', 2],
    [`event-loop delay p99.9 @${c}`, s.rps, 'eldP999', 2],
    ['CPU µs/req (this process)', s.rps, 'cpuUsPerReq', 1],
    ['CPU µs/req (mock upstream)', s.rps, 'mockCpuUsPerReq', 1],
    ['SSE TTFC p50', s.sse, 'ttfcP50'],
    ['SSE TTFC p99', s.sse, 'ttfcP99'],
    ['SSE added TTFC p50', s.sse, 'addedTtfcP50'],
    ['SSE added TTFC p99', s.sse, 'addedTtfcP99'],
    ['SSE per-chunk delivery p50', s.sse, 'chunkP50'],
    ['SSE per-chunk delivery p99', s.sse, 'chunkP99'],
    ['SSE added per-chunk p99', s.sse, 'addedChunkP99'],
    ['SSE inter-chunk gap p99', s.sse, 'gapP99'],
    ['SSE event-loop delay p99', s.sse, 'eldP99'],
  ]
  for (const [label, group, field, digits] of lines) L.push(row(label, pick(group, field, digits)))
  if (Object.keys(many).length) {
    L.push(row(`${meta.config.streams} streams: ok / frames`, cols.map((c) => (many[c] ? `${many[c].ok} / ${many[c].frames}/${many[c].expectedFrames}` : '—'))))
    L.push(row(`${meta.config.streams} streams: max open at upstream`, cols.map((c) => (many[c] ? String(many[c].maxUpstreamOpen) : '—'))))
    L.push(row(`${meta.config.streams} streams: wall s`, cols.map((c) => (many[c] ? (many[c].wallMs / 1000).toFixed(2) : '—'))))
    L.push(row(`${meta.config.streams} streams: peak RSS MB`, cols.map((c) => (many[c] ? many[c].peakRssMB.toFixed(0) : '—'))))
  }
  L.push('')
  L.push('Plain Nitro route vs raw node:http (GET /health):', '')
  L.push('| metric | mock-health (node:http) | nitro-health (Rosetta /health) |', '|---|---|---|')
  L.push(`| 1 conn p50 | ${ms(s.lat['mock-health'].p50)} | ${ms(s.lat['nitro-health'].p50)} |`)
  L.push(`| 1 conn added p50 / p99 | — | ${ms(s.lat['nitro-health'].addedP50)} / ${ms(s.lat['nitro-health'].addedP99)} |`)
  L.push(`| req/s @${meta.config.connections} | ${ms(s.rps['mock-health'].rps, 0)} | ${ms(s.rps['nitro-health'].rps, 0)} |`)
  L.push(`| CPU µs/req | ${ms(s.rps['mock-health'].cpuUsPerReq, 1)} | ${ms(s.rps['nitro-health'].cpuUsPerReq, 1)} |`)
  L.push('')
  L.push('Ratios (same run, per repetition):', '')
  L.push(`- Rosetta same-dialect req/s ÷ floor: ${ms(ratio.sameVsFloor)}`)
  L.push(`- Rosetta converted ÷ same dialect: ${ms(ratio.convertedVsSame)}`)
  L.push(`- floor ÷ direct mock: ${ms(ratio.floorVsMock)}`)
  L.push(`- Nitro /health ÷ node:http /health: ${ms(ratio.nitroHealthVsMockHealth)}`)
  L.push(`- Rosetta CPU/req ÷ floor CPU/req: same dialect ${ms(ratio.cpuSameVsFloor)}, translated ${ms(ratio.cpuConvertedVsFloor)}`)
  L.push(`- added latency @1 conn ÷ floor's: p50 ${ms(ratio.addedP50VsFloor)}, p99 ${ms(ratio.addedP99VsFloor)}, p99.9 ${ms(ratio.addedP999VsFloor)}`)
  L.push(`- streaming added TTFC p99 ÷ floor's: same dialect ${ms(ratio.ttfcSameVsFloor)}, translated ${ms(ratio.ttfcConvertedVsFloor)}`)
  L.push(`- event-loop delay p99 @${meta.config.connections} conns, Rosetta − floor (ms): ${ms(ratio.eldP99SameMinusFloor)}`)
  L.push('')
  L.push(
    `Without the request log (\`rosetta-nolog\`: the same build with \`NUXT_LOG_QUEUE_MAX=1\`, bodies off; ${logs['rosetta-nolog'].written} rows written, ${logs['rosetta-nolog'].dropped} dropped; ` +
      `rosetta-same wrote ${logs['rosetta-same'].written} rows, dropped ${logs['rosetta-same'].dropped} rows and ${logs['rosetta-same'].bodiesDropped} bodies), the same-dialect goals ÷ floor: ` +
      `req/s ${ms(nolog.rpsVsFloor)}, CPU/req ${ms(nolog.cpuVsFloor)}, added latency @1 conn p50 ${ms(nolog.addedP50VsFloor)}, p99 ${ms(nolog.addedP99VsFloor)}, streaming added TTFC p99 ${ms(nolog.ttfcVsFloor)}.`,
    '',
  )
  L.push(`Memory (VmRSS MB): Rosetta idle after boot ${mem.rosetta.idleBoot.toFixed(1)} (anonymous ${mem.rosetta.idleBootAnon.toFixed(1)}; DuckDB's library's mapped pages ${mem.rosetta.idleBootDuckLib.toFixed(1)}), idle after warm-up ${mem.rosetta.idleWarm.toFixed(1)}, peak under load ${mem.rosetta.peakLoad.toFixed(1)}, after ${mem.rosetta.after.toFixed(1)} (VmHWM ${mem.rosetta.hwm.toFixed(1)}); floor idle ${mem.floor.idleBoot.toFixed(1)} (anonymous ${mem.floor.idleBootAnon.toFixed(1)}), peak ${mem.floor.peakLoad.toFixed(1)}, after ${mem.floor.after.toFixed(1)}.`, '')
  L.push(
    `Machine noise per repetition (max over legs; CPU outside the bench's five processes / hypervisor steal, in cores): ` +
      noise.map((n, i) => `rep ${i + 1}: ${n.maxForeignCores.toFixed(2)} / ${n.maxStealCores.toFixed(2)}`).join('; ') +
      (noise.some((n) => n.maxForeignCores > 0.2 || n.maxStealCores > 0.2) ? ' — **a repetition ran on a busy machine; trust the medians and the per-repetition ratios, not min–max**' : ''),
    '',
  )
  if (soak) L.push(`Soak: ${soak.rps.toFixed(0)} req/s, ${soak.errors} errors, RSS samples (MB, every 10 s): ${soak.rssSamplesMB.join(', ')}`, '')
  L.push('Goals (issue 22; ratios: median (min–max) of the per-repetition ratios):', '', '| goal | value | result |', '|---|---|---|')
  for (const g of goals) L.push(`| ${g.goal} | ${typeof g.value === 'string' ? g.value : ms(g.value)} | ${g.pass ? 'PASS' : 'FAIL'} |`)
  return L.join('\n') + '\n'
}
