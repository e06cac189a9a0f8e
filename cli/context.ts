import { connect, type Api } from './client'

/** Arguments every command takes. */
export const common = {
  url: { type: 'string', description: 'Rosetta server URL (env ROSETTA_URL)', default: process.env.ROSETTA_URL || 'http://localhost:3000' },
  'admin-key': { type: 'string', description: 'admin key (env ROSETTA_ADMIN_KEY)', default: process.env.ROSETTA_ADMIN_KEY || '' },
  json: { type: 'boolean', description: 'machine-readable JSON output', default: false },
} as const

export interface CommonArgs {
  url: string
  'admin-key': string
  json: boolean
}

export function api(args: CommonArgs): Api {
  return connect({ url: args.url, adminKey: args['admin-key'] })
}

/** `a,b,c` → ['a','b','c'] (empty parts dropped). */
export function list(s: string | undefined): string[] {
  return (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)
}

/** `provider:model[:weight]` → a target. */
export function target(s: string): { provider: string; model: string; weight: number } {
  const first = s.indexOf(':')
  if (first <= 0) throw new Error(`target '${s}' must be provider:model[:weight]`)
  const provider = s.slice(0, first)
  let model = s.slice(first + 1)
  let weight = 1
  const m = /^(.*):(\d+)$/.exec(model)
  if (m) {
    model = m[1]!
    weight = Number(m[2])
  }
  return { provider, model, weight }
}
