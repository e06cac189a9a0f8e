/** Nearest-rank percentile of an unsorted numeric array (sorted copy). */
export function percentiles(values, ps) {
  const a = Float64Array.from(values).sort()
  const out = {}
  for (const p of ps) out[`p${p}`] = a.length ? a[Math.min(a.length - 1, Math.max(0, Math.ceil((p / 100) * a.length) - 1))] : NaN
  return out
}

/** { med, min, max, n } over repetitions (NaN ignored). */
export function summary(xs) {
  const a = xs.filter((x) => Number.isFinite(x)).sort((x, y) => x - y)
  if (!a.length) return { med: NaN, min: NaN, max: NaN, n: 0 }
  const m = a.length % 2 ? a[(a.length - 1) / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2
  return { med: m, min: a[0], max: a[a.length - 1], n: a.length }
}

export function fmt(s, digits = 3) {
  if (!s || !Number.isFinite(s.med)) return 'n/a'
  const f = (x) => (Math.abs(x) >= 1000 ? Math.round(x).toString() : x.toFixed(digits))
  return s.n > 1 ? `${f(s.med)} (${f(s.min)}–${f(s.max)})` : f(s.med)
}
