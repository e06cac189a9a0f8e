#!/usr/bin/env node
// Aggregates a V8 .cpuprofile by self time: per function (name + file:line) and per file/package.
// Usage: node bench/cpuprofile-top.mjs <file.cpuprofile> [topN]
import { readFileSync } from 'node:fs'

export function topSelf(file, n = 25) {
  const prof = JSON.parse(readFileSync(file, 'utf8'))
  const byId = new Map(prof.nodes.map((x) => [x.id, x]))
  const self = new Map()
  for (let i = 0; i < prof.samples.length; i++) self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + (prof.timeDeltas[i] ?? 0))
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const fn = new Map()
  const where = new Map()
  for (const [id, us] of self) {
    const cf = byId.get(id).callFrame
    const url = short(cf.url)
    const k = `${cf.functionName || '(anonymous)'}  ${url ? `${url}:${cf.lineNumber + 1}` : ''}`
    fn.set(k, (fn.get(k) ?? 0) + us)
    const w = group(cf)
    where.set(w, (where.get(w) ?? 0) + us)
  }
  const rows = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, us]) => ({ pct: (100 * us) / total, ms: us / 1000, name: k }))
  return { totalMs: total / 1000, functions: rows(fn), groups: rows(where) }
}

function short(url) {
  if (!url) return ''
  return url.replace(/^file:\/\//, '').replace(/^.*\/\.output\/server\//, '.output/server/').replace(/^.*\/node_modules\//, 'node_modules/').replace(/^.*\/bench\//, 'bench/')
}

function group(cf) {
  const u = cf.url
  if (!u) return cf.functionName === '(garbage collector)' ? '(gc)' : cf.functionName === '(idle)' ? '(idle)' : cf.functionName === '(program)' ? '(program)' : '(native/builtin)'
  if (u.startsWith('node:')) return u.split('/').slice(0, 2).join('/')
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(u)
  if (nm) return `pkg ${nm[1]}`
  return short(u)
}

export function printTop(title, r) {
  const L = [`### ${title} (${r.totalMs.toFixed(0)} ms sampled)`, '', '| self % | self ms | function (bundle file:line) |', '|---:|---:|---|']
  for (const x of r.functions) L.push(`| ${x.pct.toFixed(1)} | ${x.ms.toFixed(0)} | \`${x.name.trim()}\` |`)
  L.push('', '| self % | where |', '|---:|---|')
  for (const x of r.groups) L.push(`| ${x.pct.toFixed(1)} | ${x.name} |`)
  return L.join('\n') + '\n'
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = topSelf(process.argv[2], Number(process.argv[3] ?? 25))
  console.log(printTop(process.argv[2], r))
}
