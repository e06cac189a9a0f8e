/**
 * A small parser for the Prometheus text exposition format (0.0.4): enough to read samples back in
 * tests — HELP/TYPE comments, label sets with escaped quotes, +Inf/NaN values. It throws on a line
 * it cannot read, so a malformed exposition fails the test.
 */
export interface Sample {
  name: string
  labels: Record<string, string>
  value: number
}

export interface Exposition {
  types: Map<string, string>
  samples: Sample[]
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/

export function parsePrometheusText(text: string): Exposition {
  const types = new Map<string, string>()
  const samples: Sample[] = []
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line) continue
    if (line.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)\s*(.*)$/.exec(line)
      if (m?.[1] === 'TYPE') types.set(m[2]!, m[3]!)
      continue
    }
    const name = NAME.exec(line)?.[0]
    if (!name) throw new Error(`bad metric line: ${line}`)
    let rest = line.slice(name.length)
    const labels: Record<string, string> = {}
    if (rest.startsWith('{')) {
      let i = 1
      while (rest[i] !== '}') {
        const key = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(rest.slice(i))?.[0]
        if (!key || rest[i + key.length] !== '=' || rest[i + key.length + 1] !== '"') throw new Error(`bad labels: ${line}`)
        i += key.length + 2
        let v = ''
        while (rest[i] !== '"') {
          if (i >= rest.length) throw new Error(`unterminated label value: ${line}`)
          if (rest[i] === '\\') {
            const c = rest[i + 1]
            v += c === 'n' ? '\n' : c
            i += 2
          } else v += rest[i++]
        }
        labels[key] = v
        i++
        if (rest[i] === ',') i++
      }
      rest = rest.slice(i + 1)
    }
    const parts = rest.trim().split(/\s+/)
    const value = parts[0] === '+Inf' ? Infinity : parts[0] === '-Inf' ? -Infinity : Number(parts[0])
    if (parts[0] === undefined || (Number.isNaN(value) && parts[0] !== 'NaN')) throw new Error(`bad value: ${line}`)
    samples.push({ name, labels, value })
  }
  return { types, samples }
}

/** Sum of the samples named `name` whose labels include `match`. */
export function sumOf(e: Exposition, name: string, match: Record<string, string> = {}): number {
  return e.samples
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((a, s) => a + s.value, 0)
}
